# Fuzz targets (docs/internals/fuzzing.md): tests/fuzz/fuzz_<name>.c, one per
# parser, each with a seed corpus in tests/fuzz/corpus/<name>/ and maybe a
# dictionary tests/fuzz/dict/<name>.dict.
#
# Default: each target links with tests/fuzz/driver.c (seeds, then
# FUZZ_ITERATIONS deterministic mutations) and runs as the ctest test
# fuzz_<name>, so it runs in the normal and the PA_SANITIZE build.
#
# With clang and -DPA_LIBFUZZER=ON: each target is built as
# fuzz_<name>_libfuzzer with -fsanitize=fuzzer,address,undefined instead,
# and the libraries get coverage instrumentation and the sanitizers.  A
# UBSan report stops the run (-fno-sanitize-recover), so libFuzzer keeps
# the input as a crash, as PA_SANITIZE does for ctest.

option(PA_LIBFUZZER "Build the fuzz targets for libFuzzer (clang only)" OFF)

set(PA_FUZZ_DIR ${CMAKE_SOURCE_DIR}/tests/fuzz)
set(PA_FUZZ_LIBS pa_store pa_rules pa_crawler pa_extract pa_core)
file(GLOB pa_fuzz_targets CONFIGURE_DEPENDS ${PA_FUZZ_DIR}/fuzz_*.c)
list(REMOVE_ITEM pa_fuzz_targets ${PA_FUZZ_DIR}/fuzz_util.c)

set(pa_use_libfuzzer OFF)
if(PA_LIBFUZZER)
  if(CMAKE_C_COMPILER_ID STREQUAL "Clang")
    set(pa_use_libfuzzer ON)
  else()
    message(WARNING "PA_LIBFUZZER needs clang (CC=clang); building the fuzz targets with the plain driver")
  endif()
endif()

if(pa_use_libfuzzer)
  # Coverage for libFuzzer in the code under test, and the sanitizers in
  # everything that links it (the libraries are defined before this file).
  foreach(lib pa_core pa_crawler pa_extract pa_rules pa_store pa_reports)
    target_compile_options(${lib} PRIVATE -fsanitize=fuzzer-no-link,address,undefined
                           -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
    target_link_options(${lib} INTERFACE -fsanitize=address,undefined)
  endforeach()
endif()

foreach(src ${pa_fuzz_targets})
  get_filename_component(name ${src} NAME_WE)          # fuzz_html
  string(REGEX REPLACE "^fuzz_" "" short ${name})       # html
  set(corpus ${PA_FUZZ_DIR}/corpus/${short})
  set(dict_args)
  if(EXISTS ${PA_FUZZ_DIR}/dict/${short}.dict)
    set(dict_args -dict=${PA_FUZZ_DIR}/dict/${short}.dict)
  endif()

  if(pa_use_libfuzzer)
    set(target ${name}_libfuzzer)
    add_executable(${target} ${src} ${PA_FUZZ_DIR}/fuzz_util.c)
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer,address,undefined
                           -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=fuzzer,address,undefined)
    # A short bounded run in ctest; new inputs go to a scratch corpus in the
    # build tree, never into the committed seeds.
    file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz-corpus/${short})
    add_test(NAME ${name} COMMAND ${target} -runs=2000 -seed=1 ${dict_args}
             ${CMAKE_BINARY_DIR}/fuzz-corpus/${short} ${corpus})
  else()
    set(target ${name})
    add_executable(${target} ${src} ${PA_FUZZ_DIR}/fuzz_util.c ${PA_FUZZ_DIR}/driver.c)
    add_test(NAME ${name} COMMAND ${target} ${dict_args} ${corpus})
  endif()
  target_link_libraries(${target} PRIVATE ${PA_FUZZ_LIBS})
  set_tests_properties(${name} PROPERTIES LABELS fuzz TIMEOUT 300)
endforeach()
