# Version information, icon and manifest for a PortScope program on Windows.
#
#   portscope_add_windows_resources(TARGET NAME portscope-cli
#                                   DESCRIPTION "PortScope command-line monitor"
#                                   MANIFEST portscope-cli.manifest)
#
# The .rc and the manifest are configured into the build directory with the project version.
# MinGW's windres embeds the manifest from the .rc; MSVC's linker embeds it itself (a manifest
# in the .rc as well would collide with the one the linker writes).

set(PORTSCOPE_WINDOWS_RESOURCES_DIR ${CMAKE_CURRENT_LIST_DIR})

function(portscope_add_windows_resources target)
  cmake_parse_arguments(ARG "" "NAME;DESCRIPTION;MANIFEST" "" ${ARGN})
  if(NOT WIN32)
    return()
  endif()
  enable_language(RC)
  set(PORTSCOPE_RC_NAME ${ARG_NAME})
  set(PORTSCOPE_RC_DESCRIPTION ${ARG_DESCRIPTION})
  set(PORTSCOPE_RC_VERSION_COMMAS
      "${PROJECT_VERSION_MAJOR},${PROJECT_VERSION_MINOR},${PROJECT_VERSION_PATCH},0")
  set(PORTSCOPE_RC_VERSION_DOTS
      "${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}.${PROJECT_VERSION_PATCH}.0")
  set(PORTSCOPE_RC_ICON "${PORTSCOPE_WINDOWS_RESOURCES_DIR}/portscope.ico")
  set(out ${CMAKE_BINARY_DIR}/windows-resources/${ARG_NAME})
  configure_file(${PORTSCOPE_WINDOWS_RESOURCES_DIR}/${ARG_MANIFEST}.in ${out}/${ARG_NAME}.manifest
                 @ONLY)
  set(PORTSCOPE_RC_MANIFEST "${out}/${ARG_NAME}.manifest")
  configure_file(${PORTSCOPE_WINDOWS_RESOURCES_DIR}/program.rc.in ${out}/${ARG_NAME}.rc @ONLY)
  target_sources(${target} PRIVATE ${out}/${ARG_NAME}.rc)
  if(MSVC)
    target_sources(${target} PRIVATE ${out}/${ARG_NAME}.manifest)
    set_source_files_properties(${out}/${ARG_NAME}.rc PROPERTIES
                                COMPILE_DEFINITIONS PORTSCOPE_MANIFEST_BY_LINKER)
  endif()
endfunction()
