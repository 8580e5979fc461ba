# The Windows installer: `cpack -G NSIS` in the build directory packs what `cmake --install`
# puts in bin/ (portscope-cli.exe; with a Qt kit also portscope.exe and the Qt DLLs windeployqt
# copies) into PortScope-<version>-win64.exe. Debian's nsis package provides makensis, so the
# cross-build in CI makes the installer too.

include(${PROJECT_SOURCE_DIR}/resources/windows/windows-resources.cmake)

if(TARGET portscope-cli)
  portscope_add_windows_resources(portscope-cli NAME portscope-cli
                                  DESCRIPTION "PortScope command-line monitor"
                                  MANIFEST portscope-cli.manifest)
endif()

if(MSVC)
  # The Visual C++ runtime DLLs, next to the programs. MinGW builds link their runtime
  # statically (mingw-w64-toolchain.cmake) or get it from windeployqt.
  include(InstallRequiredSystemLibraries)
endif()

set(CPACK_GENERATOR NSIS)
set(CPACK_PACKAGE_NAME "PortScope")
set(CPACK_PACKAGE_VENDOR "PortScope")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Process and port monitor")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "PortScope")
set(CPACK_PACKAGE_INSTALL_REGISTRY_KEY "PortScope")
set(CPACK_PACKAGE_FILE_NAME "PortScope-${PROJECT_VERSION}-win64")
set(CPACK_STRIP_FILES ON)

set(CPACK_NSIS_DISPLAY_NAME "PortScope ${PROJECT_VERSION}")
set(CPACK_NSIS_PACKAGE_NAME "PortScope")
set(CPACK_NSIS_INSTALL_ROOT "$PROGRAMFILES64")
set(CPACK_NSIS_MUI_ICON "${PROJECT_SOURCE_DIR}/resources/windows/portscope.ico")
set(CPACK_NSIS_MUI_UNIICON "${PROJECT_SOURCE_DIR}/resources/windows/portscope.ico")
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\portscope-cli.exe")
# portscope-cli is used from a terminal: offer to put bin\ on PATH.
set(CPACK_NSIS_MODIFY_PATH ON)
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
# The project has no licence file yet; CPack would otherwise show a placeholder licence.
set(CPACK_NSIS_IGNORE_LICENSE_PAGE ON)
if(TARGET portscope)
  set(CPACK_PACKAGE_EXECUTABLES "portscope" "PortScope")
  set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\portscope.exe")
endif()

include(CPack)
