#!/usr/bin/env bash
# The Windows stage: cross-compiles core, platform and portscope-cli.exe with mingw-w64, runs
# the Windows test suites and the CLI smoke test under Wine, and builds the NSIS installer of
# the CLI, build/windows/PortScope-<version>-win64.exe (the stage's artifact).
#
# Wine runs headless in a throw-away prefix. What Wine lacks (socket owner PIDs, EStats, a
# working SetTcpEntry) is described in docs/platforms.md; the tests check only what it has.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$PORTSCOPE_ROOT"

stage_started=$SECONDS
elapsed() { echo "$((SECONDS - stage_started)) s"; }

ensure_packages cmake ninja-build libboost-dev googletest \
  g++-mingw-w64-x86-64-posix wine wine64 nsis
echo "== Windows stage: packages ready after $(elapsed)"

export WINEPREFIX
WINEPREFIX="$(mktemp -d "${TMPDIR:-/tmp}/portscope-wine.XXXXXX")"
export WINEARCH=win64
export WINEDEBUG=-all
# No Mono or Gecko: nothing here needs them, and their installers would open dialogs.
export WINEDLLOVERRIDES="mscoree,mshtml="
unset DISPLAY WAYLAND_DISPLAY
stop_wine() {
  wineserver -k >/dev/null 2>&1 || true
  rm -rf "$WINEPREFIX"
}
trap stop_wine EXIT
# Create the prefix once, before tests start in parallel. Without 32-bit Wine, wineboot warns
# that syswow64\rundll32.exe is missing; 64-bit programs are unaffected.
wineboot --init >/dev/null 2>&1 || true
wineserver --wait
echo "== Windows stage: Wine prefix ready after $(elapsed)"

build="${PORTSCOPE_WINDOWS_BUILD_DIR:-$PORTSCOPE_ROOT/build/windows}"
cmake -S . -B "$build" -G Ninja \
  -DCMAKE_TOOLCHAIN_FILE="$PORTSCOPE_ROOT/platform/windows/mingw-w64-toolchain.cmake" \
  -DCMAKE_BUILD_TYPE=Release -DPORTSCOPE_WARNINGS_AS_ERRORS=ON >/dev/null
cmake --build "$build" --parallel "$(nproc)"
echo "== Windows stage: built after $(elapsed)"

ctest --test-dir "$build" --output-on-failure --parallel 2 --timeout 600
echo "== Windows stage: tests passed after $(elapsed)"

(cd "$build" && cpack -G NSIS)
installer="$(ls "$build"/PortScope-*-win64.exe)"
# NSIS installers are 32-bit programs, which 64-bit-only Wine cannot start, so the files CPack
# packed are run instead.
packed_cli="$(ls "$build"/_CPack_Packages/win64/NSIS/PortScope-*-win64/bin/portscope-cli.exe)"
wine "$packed_cli" snapshot --format csv >/dev/null
echo "== Windows stage: installer $installer ($(du -h "$installer" | cut -f1)) after $(elapsed)"
