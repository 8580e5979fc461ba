# The GUI tests. tests/CMakeLists.txt includes this file when the GUI is built:
#   if(PORTSCOPE_BUILD_GUI)
#     include(${CMAKE_CURRENT_SOURCE_DIR}/app/CMakeLists-gui.cmake)
#   endif()
# Paths are relative to this file, so it works from whichever directory includes it.
if(NOT TARGET portscope_gui_lib)
  return()
endif()
if(NOT TARGET GTest::gtest)
  find_package(GTest REQUIRED)
endif()
if(NOT COMMAND gtest_discover_tests)
  include(GoogleTest)
endif()
find_package(Qt6 6.4 REQUIRED COMPONENTS Test)

file(GLOB PORTSCOPE_GUI_TEST_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/gui_*.cpp)
add_executable(gui_tests ${PORTSCOPE_GUI_TEST_SOURCES})
set_target_properties(gui_tests PROPERTIES AUTOMOC ON)
# gui_test_main.cpp provides main(): it creates the QApplication first.
target_link_libraries(gui_tests PRIVATE portscope_gui_lib Qt6::Test GTest::gtest GTest::gmock
                                        portscope_warnings)
target_include_directories(gui_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR} ${CMAKE_CURRENT_LIST_DIR}/../support)
# Discovery runs the binary before the tests; its main() falls back to offscreen without a
# display, and the tests themselves get the offscreen platform explicitly.
gtest_discover_tests(gui_tests DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
                     PROPERTIES ENVIRONMENT "QT_QPA_PLATFORM=offscreen" TIMEOUT 120)
# The privilege tests start the real helper (without pkexec).
if(TARGET portscope-helper)
  target_compile_definitions(gui_tests PRIVATE
                             PORTSCOPE_HELPER_PATH="$<TARGET_FILE:portscope-helper>")
  add_dependencies(gui_tests portscope-helper)
endif()
