# Install layout (GNUInstallDirs), the build tree's rules directory and the
# Debian package (CPack).  Included by the top-level CMakeLists.txt after
# the portal-audit target.  See docs/INSTALL.md.

# The binary finds its rules relative to its own location, never through a
# compiled-in absolute path: BINDIR/<rel>, e.g. /usr/bin/../share/portal-audit/rules.
set(PA_RULES_INSTALL_DIR ${CMAKE_INSTALL_DATADIR}/portal-audit/rules)
file(RELATIVE_PATH pa_rules_from_bin ${CMAKE_INSTALL_FULL_BINDIR}
     ${CMAKE_INSTALL_PREFIX}/${PA_RULES_INSTALL_DIR})
set_source_files_properties(${CMAKE_SOURCE_DIR}/app/rulesdir.c PROPERTIES COMPILE_DEFINITIONS
  "PA_RULES_FROM_BIN=\"${pa_rules_from_bin}\";PA_RULES_IN_BUILD=\"${PA_RULES_INSTALL_DIR}\"")

# A binary in the build tree (not in a bin/ directory beside share/) reads
# BUILD/share/portal-audit/rules: a link to the source's rules/sets, so
# edits to the rules need no rebuild.
get_filename_component(pa_build_rules ${CMAKE_BINARY_DIR}/${PA_RULES_INSTALL_DIR} DIRECTORY)
file(MAKE_DIRECTORY ${pa_build_rules})
file(CREATE_LINK ${CMAKE_SOURCE_DIR}/rules/sets ${CMAKE_BINARY_DIR}/${PA_RULES_INSTALL_DIR}
     SYMBOLIC COPY_ON_ERROR)

install(TARGETS portal-audit RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS portal-audit-extract RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/portal-audit)
install(DIRECTORY rules/sets/ DESTINATION ${PA_RULES_INSTALL_DIR}
        FILES_MATCHING PATTERN "*.yaml")
option(PA_DEB_PACKAGE "Install as the .deb does: /etc/portal-audit/portal-audit.conf, gzipped man page" OFF)
if(PA_DEB_PACKAGE)
  # Debian ships man pages compressed with gzip -9n (reproducible).
  add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/portal-audit.1.gz
    COMMAND gzip -9nc ${CMAKE_SOURCE_DIR}/docs/man/portal-audit.1 > ${CMAKE_BINARY_DIR}/portal-audit.1.gz
    DEPENDS ${CMAKE_SOURCE_DIR}/docs/man/portal-audit.1 VERBATIM)
  add_custom_target(manpage ALL DEPENDS ${CMAKE_BINARY_DIR}/portal-audit.1.gz)
  install(FILES ${CMAKE_BINARY_DIR}/portal-audit.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  install(FILES docs/man/portal-audit.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()
install(FILES dist/bash-completion/portal-audit
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
# Not CMAKE_INSTALL_DOCDIR: that is named after the project, portal_audit.
set(pa_docdir ${CMAKE_INSTALL_DATADIR}/doc/portal-audit)
install(FILES README.md docs/GUIDE.md docs/RULES.md docs/REPORTS.md docs/INSTALL.md
        DESTINATION ${pa_docdir})
install(FILES dist/portal-audit.conf DESTINATION ${pa_docdir}/examples)
# Under /usr this is /usr/lib/systemd/system, where Debian 12 (merged /usr)
# and systemd look for packaged units.
install(FILES dist/systemd/portal-audit-crawl.service dist/systemd/portal-audit-crawl.timer
        DESTINATION lib/systemd/system)

# The Debian package (scripts/package) also ships the example as the
# conffile /etc/portal-audit/portal-audit.conf, every line commented.  A
# plain `cmake --install` never writes outside its prefix.
if(PA_DEB_PACKAGE)
  install(FILES dist/portal-audit.conf DESTINATION /etc/portal-audit)
endif()

set(PA_MAINTAINER "portal-audit maintainers <portal-audit@hcm.edu.vn>" CACHE STRING
    "Maintainer field of the Debian package")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME portal-audit)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT ${PA_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${PA_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "audits school web portals for the disclosures the law requires")
# The long description; CPack puts the summary above it.
set(CPACK_PACKAGE_DESCRIPTION "portal-audit crawls the web portals of Vietnamese schools politely,
checks them against the public disclosure (cong khai) rules of the Ministry
of Education and Training and writes scored reports with the evidence for
each verdict.  It ships the rule sets, a hardened systemd timer for a weekly
crawl and audit, and an example configuration.")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# adduser: the postinst creates the system user portal-audit.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "man-db, bash-completion")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/dist/debian/conffiles
    ${CMAKE_SOURCE_DIR}/dist/debian/postinst
    ${CMAKE_SOURCE_DIR}/dist/debian/prerm
    ${CMAKE_SOURCE_DIR}/dist/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
