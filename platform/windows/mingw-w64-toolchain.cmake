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

# Windows 10 APIs (QueryFullProcessImageNameW, GetExtendedTcpTable classes, EStats).
add_compile_definitions(_WIN32_WINNT=0x0A00 WINVER=0x0A00 UNICODE _UNICODE NOMINMAX
                        WIN32_LEAN_AND_MEAN)

# The MinGW runtime DLLs (libstdc++, libgcc_s, libwinpthread) are linked in, so that the .exe
# runs on a Windows machine, or under Wine, without them beside it.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")

# Wine runs the cross-built tests. It must be headless and must not touch the user's prefix;
# .ci/windows.sh sets WINEPREFIX, WINEDEBUG and WINEDLLOVERRIDES before calling ctest.
find_program(PORTSCOPE_WINE NAMES wine wine64)
if(PORTSCOPE_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${PORTSCOPE_WINE})
endif()
