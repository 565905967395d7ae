# Unit tests: every tests/unit/<module>/test_*.c is one cmocka program,
# linked with the library of its module (and what that library uses).
set(PA_FIXTURES ${CMAKE_SOURCE_DIR}/tests/fixtures)
# What unit tests share (tests/unit/common): temporary stores and files.
add_library(pa_unit_common STATIC ${CMAKE_SOURCE_DIR}/tests/unit/common/tmpfiles.c)
foreach(mod core crawler extract rules store reports web app)
  file(GLOB tests CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/unit/${mod}/test_*.c)
  foreach(src ${tests})
    get_filename_component(name ${src} NAME_WE)
    set(target unit_${mod}_${name})
    if(mod STREQUAL "app")
      list(FILTER APP_SRC EXCLUDE REGEX "app/main\\.c$")
      add_executable(${target} ${src} ${APP_SRC})
      target_link_libraries(${target} PRIVATE pa_web pa_reports pa_store pa_rules pa_crawler pa_core)
    else()
      add_executable(${target} ${src})
      target_link_libraries(${target} PRIVATE pa_${mod})
    endif()
    if(mod STREQUAL "extract")
      # Its tests run the crawler's child runner against the helper too.
      target_link_libraries(${target} PRIVATE pa_crawler)
      add_dependencies(${target} portal-audit-extract)
    endif()
    target_link_libraries(${target} PRIVATE pa_unit_common PkgConfig::CMOCKA)
    add_test(NAME ${target} COMMAND ${target})
    set_tests_properties(${target} PROPERTIES
      ENVIRONMENT "PA_FIXTURES=${PA_FIXTURES};PA_SOURCE=${CMAKE_SOURCE_DIR};PORTAL_AUDIT_EXTRACT=$<TARGET_FILE:portal-audit-extract>")
  endforeach()
endforeach()

# Integration tests: every tests/integration/test_*.sh runs the real binary
# against the loopback test server.
# A sanitizer build runs every test several times slower: its bound is
# looser (a bound, not a timing: a test passes long before it on a quiet
# machine).
set(pa_itest_timeout 300)
if(PA_SANITIZE OR PA_TSAN)
  set(pa_itest_timeout 600)
endif()
file(GLOB itests CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/integration/test_*.sh)
foreach(src ${itests})
  get_filename_component(name ${src} NAME_WE)
  add_test(NAME integration_${name} COMMAND bash ${src})
  set_tests_properties(integration_${name} PROPERTIES
    TIMEOUT ${pa_itest_timeout}
    ENVIRONMENT "PORTAL_AUDIT=$<TARGET_FILE:portal-audit>;TESTSERVER=$<TARGET_FILE:testserver>;PA_FIXTURES=${PA_FIXTURES};PA_SOURCE=${CMAKE_SOURCE_DIR}")
endforeach()

# The dashboard tests start `serve`, log in, wait out short session and lock
# times and (browser) drive Chromium and a re-check crawl: slow under ASan.
# The browser test exits 77 (skipped) only without chromium or selenium.
if(TEST integration_test_dashboard_browser)
  set_tests_properties(integration_test_dashboard_browser PROPERTIES TIMEOUT 900 SKIP_RETURN_CODE 77)
endif()
if(TEST integration_test_dashboard_http)
  set_tests_properties(integration_test_dashboard_http PROPERTIES TIMEOUT 600)
endif()

# Every shipped rule set lints clean and passes its embedded examples.
file(GLOB shipped_rules CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/rules/sets/*.yaml)
add_test(NAME rules_lint_shipped COMMAND portal-audit rules lint ${shipped_rules})
add_test(NAME rules_test_shipped COMMAND portal-audit rules test ${shipped_rules})
add_test(NAME lint_sources COMMAND bash ${CMAKE_SOURCE_DIR}/scripts/lint)
include(${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz.cmake)
