# Cross-compiles PortScope for 64-bit Windows with Debian's mingw-w64 (package
# g++-mingw-w64-x86-64-posix). The "-posix" compiler is required: the default win32 thread
# model has no std::thread, which the engine needs.
#
#   cmake -S . -B build/windows -G Ninja \
#     -DCMAKE_TOOLCHAIN_FILE=platform/windows/mingw-w64-toolchain.cmake
#
# Tests then run under Wine through CMAKE_CROSSCOMPILING_EMULATOR.

set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(PORTSCOPE_MINGW_TRIPLE x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${PORTSCOPE_MINGW_TRIPLE}-gcc-posix)
set(CMAKE_CXX_COMPILER ${PORTSCOPE_MINGW_TRIPLE}-g++-posix)
set(CMAKE_RC_COMPILER ${PORTSCOPE_MINGW_TRIPLE}-windres)

set(CMAKE_FIND_ROOT_PATH /usr/${PORTSCOPE_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Boost.Asio is header-only, so the host's Boost headers serve the cross-build. Only the
# boost/ folder is exposed: adding all of /usr/include would pull in glibc's headers.
# BoostConfig.cmake of the host describes Linux libraries, so FindBoost's own search is used.
if(CMAKE_BINARY_DIR AND EXISTS /usr/include/boost/version.hpp)
  set(PORTSCOPE_HOST_BOOST_HEADERS "${CMAKE_BINARY_DIR}/host-boost-headers")
  if(NOT EXISTS "${PORTSCOPE_HOST_BOOST_HEADERS}/boost")
    file(MAKE_DIRECTORY "${PORTSCOPE_HOST_BOOST_HEADERS}")
    file(CREATE_LINK /usr/include/boost "${PORTSCOPE_HOST_BOOST_HEADERS}/boost" SYMBOLIC)
  endif()
  set(Boost_INCLUDE_DIR "${PORTSCOPE_HOST_BOOST_HEADERS}" CACHE PATH "Boost headers (host copy)")
  set(Boost_NO_BOOST_CMAKE ON)
  set(Boost_NO_SYSTEM_PATHS ON)
endif()

# Windows 10 as the target everywhere; Boost.Asio asks for it to be stated.
add_compile_definitions(_WIN32_WINNT=0x0A00 WINVER=0x0A00)

# GCC 12 reports false -Wrestrict overlaps inside std::string's operator+ when optimising
# (GCC bug 105329); with -Werror that stops Release builds of correct code.
set(CMAKE_CXX_FLAGS_INIT "-Wno-restrict")

# The MinGW runtime DLLs (libstdc++, libgcc_s, libwinpthread) are linked in, so that the .exe
# runs on a Windows machine, or under Wine, without them beside it.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")

# Wine runs the cross-built tests. It must be headless and must not touch the user's prefix;
# .ci/windows.sh sets WINEPREFIX, WINEDEBUG and WINEDLLOVERRIDES before calling ctest.
find_program(PORTSCOPE_WINE NAMES wine wine64)
if(PORTSCOPE_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${PORTSCOPE_WINE})
endif()
