# The Windows parts of the Qt desktop program, kept with the resources they use. Qt for Windows
# comes from Qt's own installer (MSVC or MinGW kit); Debian has no Qt for MinGW, so this file
# is not exercised by the cross-build in CI.
#
# app/gui/CMakeLists.txt, after defining the targets:
#
#   if(WIN32)
#     include(${PROJECT_SOURCE_DIR}/resources/windows/gui-windows.cmake)
#     portscope_configure_windows_gui(portscope)
#   endif()
#
# - WIN32 subsystem: no console window behind the program (Qt6::EntryPoint supplies WinMain).
# - Version information, the icon, and an "asInvoker" manifest (portscope.manifest.in).
# - "Restart as administrator" needs nothing here: the GUI asks the platform library's public
#   portscope/platform/elevation.h, like on every OS.
# - `cmake --install` runs windeployqt, which copies Qt's DLLs and plugins (and a MinGW kit's
#   runtime DLLs) next to portscope.exe, so that the installed folder runs anywhere, and Qt's
#   own translations (qtbase_ja.qm...) for each language PortScope is translated into, into
#   bin/translations, where language.cpp looks for them. PortScope's translations are
#   embedded in portscope.exe.

include(${CMAKE_CURRENT_LIST_DIR}/windows-resources.cmake)

function(portscope_configure_windows_gui target)
  set_target_properties(${target} PROPERTIES WIN32_EXECUTABLE ON)
  portscope_add_windows_resources(${target} NAME portscope
                                  DESCRIPTION "PortScope process and port monitor"
                                  MANIFEST portscope.manifest)

  if(TARGET Qt6::windeployqt)
    set(windeployqt "$<TARGET_FILE:Qt6::windeployqt>")
  else()
    find_program(PORTSCOPE_WINDEPLOYQT windeployqt
                 HINTS "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS}" "${Qt6_DIR}/../../../bin")
    if(NOT PORTSCOPE_WINDEPLOYQT)
      message(WARNING "windeployqt not found: `cmake --install` will not copy Qt's DLLs")
      return()
    endif()
    set(windeployqt "${PORTSCOPE_WINDEPLOYQT}")
  endif()
  # One language per resources/translations/portscope_<language>.ts.
  set(languages "")
  foreach(ts_file IN LISTS PORTSCOPE_TS_FILES)
    get_filename_component(name "${ts_file}" NAME_WE)
    string(REGEX REPLACE "^portscope_" "" language "${name}")
    list(APPEND languages "${language}")
  endforeach()
  list(JOIN languages "," languages)
  set(installed "\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/$<TARGET_FILE_NAME:${target}>")
  install(CODE "
    message(STATUS \"windeployqt: ${installed}\")
    execute_process(
      COMMAND \"${windeployqt}\" --translations \"${languages}\" --no-system-d3d-compiler --no-opengl-sw
              \"${installed}\"
      RESULT_VARIABLE portscope_windeployqt_result)
    if(NOT portscope_windeployqt_result EQUAL 0)
      message(FATAL_ERROR \"windeployqt failed (\${portscope_windeployqt_result})\")
    endif()")
endfunction()
