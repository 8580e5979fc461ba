# Linux packages: a .deb and a .tar.gz, built by CPack from the install() rules.
#   cmake -S . -B build/package -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr
#   cmake --build build/package && (cd build/package && cpack -G "DEB;TGZ")
# The programs install themselves (app/*/CMakeLists.txt); the desktop integration, the polkit
# policy and the man pages are installed here. .ci/package.sh builds, checks and installs
# the .deb.

set(PORTSCOPE_APP_ID org.portscope.PortScope)
set(PORTSCOPE_RESOURCES_DIR ${PROJECT_SOURCE_DIR}/resources)
set(PORTSCOPE_PACKAGING_DIR ${PROJECT_BINARY_DIR}/installer)
if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  message(STATUS "PortScope packages: configure with -DCMAKE_INSTALL_PREFIX=/usr for a .deb "
                 "whose polkit policy and desktop files are found (now ${CMAKE_INSTALL_PREFIX})")
endif()
# pkexec runs the helper only at the exact path the policy names.
set(PORTSCOPE_HELPER_INSTALL_PATH ${CMAKE_INSTALL_FULL_LIBEXECDIR}/portscope/portscope-helper)

configure_file(${PORTSCOPE_RESOURCES_DIR}/linux/${PORTSCOPE_APP_ID}.policy.in
               ${PORTSCOPE_PACKAGING_DIR}/${PORTSCOPE_APP_ID}.policy @ONLY)
install(FILES ${PORTSCOPE_PACKAGING_DIR}/${PORTSCOPE_APP_ID}.policy
        DESTINATION ${CMAKE_INSTALL_DATADIR}/polkit-1/actions)

# Agent mode: a hardened service, installed disabled, and an example of the config it reads
# (/etc/portscope/agent.conf, which the administrator writes; the unit does not start without).
configure_file(${PORTSCOPE_RESOURCES_DIR}/linux/portscope-agent.service.in
               ${PORTSCOPE_PACKAGING_DIR}/portscope-agent.service @ONLY)
install(FILES ${PORTSCOPE_PACKAGING_DIR}/portscope-agent.service
        DESTINATION lib/systemd/system)
install(FILES ${PORTSCOPE_RESOURCES_DIR}/linux/agent.conf
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/portscope/examples)

# Man pages, compressed as Debian policy asks.
set(PORTSCOPE_MAN_PAGES portscope-cli.1 portscope-helper.1)
if(PORTSCOPE_BUILD_GUI)
  list(APPEND PORTSCOPE_MAN_PAGES portscope.1)
endif()
foreach(page IN LISTS PORTSCOPE_MAN_PAGES)
  set(source ${PORTSCOPE_RESOURCES_DIR}/man/${page})
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${source})
  # A copy named like the page, so that the archive's single entry is the page itself.
  configure_file(${source} ${PORTSCOPE_PACKAGING_DIR}/man/${page} COPYONLY)
  file(ARCHIVE_CREATE OUTPUT ${PORTSCOPE_PACKAGING_DIR}/man/${page}.gz
       PATHS ${PORTSCOPE_PACKAGING_DIR}/man/${page} FORMAT raw COMPRESSION GZip)
  install(FILES ${PORTSCOPE_PACKAGING_DIR}/man/${page}.gz
          DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endforeach()

if(PORTSCOPE_BUILD_GUI)
  install(FILES ${PORTSCOPE_RESOURCES_DIR}/linux/${PORTSCOPE_APP_ID}.desktop
          DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES ${PORTSCOPE_RESOURCES_DIR}/linux/${PORTSCOPE_APP_ID}.metainfo.xml
          DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
  install(FILES ${PORTSCOPE_RESOURCES_DIR}/icons/${PORTSCOPE_APP_ID}.svg
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
  foreach(size 16 24 32 48 64 128 256)
    install(FILES
            ${PORTSCOPE_RESOURCES_DIR}/icons/hicolor/${size}x${size}/apps/${PORTSCOPE_APP_ID}.png
            DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
  endforeach()
endif()

# ---------------------------------------------------------------------------------------
# CPack

set(CPACK_PACKAGE_NAME portscope)
set(CPACK_PACKAGE_VENDOR "PortScope")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "process and port monitor: every connection with its owner")
set(CPACK_PACKAGE_CONTACT "PortScope developers <portscope@example.invalid>")
set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_CHECKSUM SHA256)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # portscope_VERSION_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Library dependencies come from dpkg-shlibdeps; what it cannot see is listed by hand.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
if(PORTSCOPE_BUILD_GUI)
  # The xcb platform plugin is only a Recommends of libqt6gui6; without it the GUI cannot
  # start on X11.
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins")
endif()
# pkexec (polkit) is needed only for "Show all processes (administrator)"; the Qt SVG plugins
# only to draw programs' icons that the icon theme has as SVG alone. The GUI's own
# translations are built into it; Qt's, for its standard dialogs, come from
# qt6-translations-l10n, and Japanese text needs a CJK font.
if(PORTSCOPE_BUILD_GUI)
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "pkexec, libqt6svg6, qt6-translations-l10n, fonts-noto-cjk")
else()
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "pkexec")
endif()
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "process and port monitor: every connection with its owner
 PortScope shows, live, every process with its TCP and UDP connections: who
 owns each socket, where it goes, what state it is in and how fast it moves
 data. Findings point out port scans, SYN floods and masquerading programs.
 Processes can be stopped and connections closed without hitting a recycled
 PID. Sessions can be recorded and replayed.
 .
 The package holds the desktop program (portscope), the terminal program
 (portscope-cli), the privileged helper started through pkexec to show
 every process's connections, and a disabled portscope-agent service that
 sends findings to syslog or the journal as Elastic Common Schema JSON.")

# The .deb installs under /usr; the .tar.gz holds bin/, libexec/ and share/ to unpack under
# any prefix (the helper is found as BINDIR/../libexec/portscope/portscope-helper).
set(CPACK_PROJECT_CONFIG_FILE ${PORTSCOPE_PACKAGING_DIR}/cpack-project-config.cmake)
file(WRITE ${CPACK_PROJECT_CONFIG_FILE}
     "if(CPACK_GENERATOR STREQUAL \"DEB\")\n"
     "  set(CPACK_PACKAGING_INSTALL_PREFIX \"${CMAKE_INSTALL_PREFIX}\")\n"
     "else()\n"
     "  set(CPACK_PACKAGING_INSTALL_PREFIX \"/\")\n"
     "  set(CPACK_PACKAGE_FILE_NAME \"portscope-${PROJECT_VERSION}-linux-${CMAKE_SYSTEM_PROCESSOR}\")\n"
     "endif()\n")

include(CPack)
