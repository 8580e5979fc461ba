# The Windows test suites, included from tests/CMakeLists.txt when building for Windows.
#
# Cross-compiled with mingw-w64, GoogleTest is built from Debian's sources (package
# googletest, /usr/src/googletest) with the same toolchain, and the tests run under Wine
# through CMAKE_CROSSCOMPILING_EMULATOR. gtest_discover_tests would start Wine once per test
# case, so each suite is registered as one test.

if(CMAKE_CROSSCOMPILING)
  set(PORTSCOPE_GOOGLETEST_SOURCE_DIR /usr/src/googletest
      CACHE PATH "GoogleTest sources to build with the cross toolchain")
  if(NOT EXISTS "${PORTSCOPE_GOOGLETEST_SOURCE_DIR}/CMakeLists.txt")
    message(FATAL_ERROR "GoogleTest sources not found in ${PORTSCOPE_GOOGLETEST_SOURCE_DIR}; "
                        "install Debian's googletest package or set PORTSCOPE_GOOGLETEST_SOURCE_DIR")
  endif()
  set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
  set(BUILD_GMOCK ON CACHE BOOL "" FORCE)
  add_subdirectory(${PORTSCOPE_GOOGLETEST_SOURCE_DIR} ${CMAKE_BINARY_DIR}/googletest
                   EXCLUDE_FROM_ALL)
  foreach(library gtest gtest_main gmock gmock_main)
    if(NOT TARGET GTest::${library})
      add_library(GTest::${library} ALIAS ${library})
    endif()
  endforeach()
else()
  find_package(GTest REQUIRED)
endif()

set(PORTSCOPE_WINDOWS_TESTS_DIR ${CMAKE_CURRENT_SOURCE_DIR}/platform/windows)
set(PORTSCOPE_WINDOWS_DEFINITIONS _WIN32_WINNT=0x0A00 UNICODE _UNICODE WIN32_LEAN_AND_MEAN
                                  NOMINMAX)

function(portscope_add_windows_suite name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;ARGS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main GTest::gmock
                                        portscope_warnings)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/platform
                                             ${PORTSCOPE_WINDOWS_TESTS_DIR}
                                             ${PROJECT_SOURCE_DIR}/tests/support)
  # The tests need no optimisation, and without it their GoogleTest-heavy files compile in
  # half the time; the code under test keeps the build type's flags.
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${name} PRIVATE -O0)
  endif()
  target_compile_definitions(${name} PRIVATE ${PORTSCOPE_WINDOWS_DEFINITIONS}
    PORTSCOPE_WINDOWS_FIXTURES_DIR="${PORTSCOPE_WINDOWS_TESTS_DIR}/fixtures")
  # With an emulator set, CMake runs the target's file through it (wine NAME.exe ...).
  add_test(NAME ${name} COMMAND ${name} --gtest_color=no ${ARG_ARGS})
  set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT} LABELS windows)
endfunction()

# The core is free of OS code, so its suite runs on Windows too. One test is left out: it
# expects opening a directory as a replay file to fail on read, as it does on Linux; Windows
# refuses to open it at all (EACCES), which the reader reports just as clearly.
file(GLOB CORE_TEST_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/core/*.cpp)
portscope_add_windows_suite(core_tests SOURCES ${CORE_TEST_SOURCES}
                            LIBS portscope_engine Boost::headers TIMEOUT 300
                            ARGS --gtest_filter=-ReplayFile.ReaderRejectsFilesThatAreNotReplays)

# A helper process for the tests: it sleeps, bounded, until it is killed.
add_executable(windows_test_child ${PORTSCOPE_WINDOWS_TESTS_DIR}/support/test_child.cpp)
target_link_libraries(windows_test_child PRIVATE portscope_warnings)

# The code every backend shares (platform/common) is tested here as well as on Linux.
file(GLOB WINDOWS_TEST_SOURCES CONFIGURE_DEPENDS ${PORTSCOPE_WINDOWS_TESTS_DIR}/*.cpp
                                                 ${CMAKE_CURRENT_SOURCE_DIR}/platform/common/*.cpp)
portscope_add_windows_suite(platform_windows_tests
  SOURCES ${WINDOWS_TEST_SOURCES} ${PORTSCOPE_WINDOWS_TESTS_DIR}/support/win_test_support.cpp
  LIBS portscope_platform TIMEOUT 300)
target_compile_definitions(platform_windows_tests PRIVATE
  PORTSCOPE_TEST_CHILD_PATH="$<TARGET_FILE:windows_test_child>")
add_dependencies(platform_windows_tests windows_test_child)

# The smoke test: portscope-cli.exe snapshot --format json must list a socket the test opened.
portscope_add_windows_suite(windows_cli_smoke
  SOURCES ${PORTSCOPE_WINDOWS_TESTS_DIR}/smoke/cli_smoke.cpp
          ${PORTSCOPE_WINDOWS_TESTS_DIR}/support/win_test_support.cpp
  LIBS portscope_platform TIMEOUT 300)
target_compile_definitions(windows_cli_smoke PRIVATE
  PORTSCOPE_CLI_PATH="$<TARGET_FILE:portscope-cli>")
add_dependencies(windows_cli_smoke portscope-cli)

# Writes the socket tables as Windows (or Wine) returns them, to refresh the fixtures:
#   wine windows_capture_tables.exe OUTPUT_DIR
add_executable(windows_capture_tables EXCLUDE_FROM_ALL
               ${PORTSCOPE_WINDOWS_TESTS_DIR}/support/capture_tables.cpp
               ${PORTSCOPE_WINDOWS_TESTS_DIR}/support/win_test_support.cpp)
target_include_directories(windows_capture_tables PRIVATE ${PROJECT_SOURCE_DIR}/platform
                                                          ${PORTSCOPE_WINDOWS_TESTS_DIR})
target_compile_definitions(windows_capture_tables PRIVATE ${PORTSCOPE_WINDOWS_DEFINITIONS})
target_link_libraries(windows_capture_tables PRIVATE portscope_platform portscope_warnings)
