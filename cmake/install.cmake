# SPDX-License-Identifier: MIT
# What `cmake --install` (and `make install PREFIX=...`) puts where; the
# layout is listed in docs/operations.md, "Install layout".
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS rumor RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS rumor_shared rumor_static
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/rumor)
# The public headers: the agent and what it includes.
install(FILES include/rumor/agent.h include/rumor/core.h
  include/rumor/errors.h include/rumor/export.h include/rumor/version.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/rumor)

# pkg-config and CMake package files, relocatable: paths relative to
# where they are installed.
file(RELATIVE_PATH RUMOR_PC_REL "/x/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/x")
file(RELATIVE_PATH RUMOR_CMAKE_REL "/x/${CMAKE_INSTALL_LIBDIR}/cmake/rumor"
     "/x")
configure_file(cmake/rumor.pc.in ${CMAKE_BINARY_DIR}/rumor.pc @ONLY)
configure_file(cmake/rumorConfig.cmake.in
  ${CMAKE_BINARY_DIR}/rumorConfig.cmake @ONLY)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/rumorConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/rumor.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
install(FILES ${CMAKE_BINARY_DIR}/rumorConfig.cmake
  ${CMAKE_BINARY_DIR}/rumorConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/rumor)

# Man pages from docs/man/*.scd (scdoc), when scdoc is there.
find_program(SCDOC scdoc)
if(SCDOC)
  foreach(page rumor.1 rumor-viz.1)
    add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/man/${page}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
      COMMAND sh -c "${SCDOC} < ${PROJECT_SOURCE_DIR}/docs/man/${page}.scd > ${CMAKE_BINARY_DIR}/man/${page}"
      DEPENDS ${PROJECT_SOURCE_DIR}/docs/man/${page}.scd VERBATIM)
    list(APPEND _rumor_man ${CMAKE_BINARY_DIR}/man/${page})
  endforeach()
  add_custom_target(rumor_man ALL DEPENDS ${_rumor_man})
  install(FILES ${_rumor_man} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(STATUS "man pages: skipped, scdoc not found "
    "(scripts/install-deps.sh installs it)")
endif()

# systemd unit (ExecStart names the installed binary) and logrotate.
install(CODE "
  file(READ \"${PROJECT_SOURCE_DIR}/packaging/rumor.service\" _unit)
  string(REPLACE \"@BINDIR@\" \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}\" _unit \"\${_unit}\")
  set(_dst \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/lib/systemd/system\")
  file(MAKE_DIRECTORY \"\${_dst}\")
  message(STATUS \"Installing: \${_dst}/rumor.service\")
  file(WRITE \"\${_dst}/rumor.service\" \"\${_unit}\")")
install(FILES packaging/rumor.logrotate
  DESTINATION ${CMAKE_INSTALL_SYSCONFDIR}/logrotate.d RENAME rumor)
# An example configuration for `rumor agent --config` (docs/operations.md).
install(FILES packaging/agent.ini
  DESTINATION ${CMAKE_INSTALL_SYSCONFDIR}/rumor)
