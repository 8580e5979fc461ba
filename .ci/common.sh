# Shared by .ci/run and .ci/start: install what is missing, then build.
set -euo pipefail

PORTSCOPE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Every package is named here, never left to another package's Recommends: both scripts
# install with --no-install-recommends, as a minimal system would.
#
# What .ci/start needs to build and start the GUI, the CLI and the helper on Debian 12.
PORTSCOPE_BUILD_PACKAGES=(
  cmake ninja-build g++ pkg-config # CMake's Ninja generator, the compiler, its tools
  libboost-dev                     # find_package(Boost): Asio, headers only
  qt6-base-dev                     # find_package(Qt6 Widgets Concurrent Test)
  qt6-charts-dev                   # find_package(Qt6 Charts)
  qt6-tools-dev qt6-l10n-tools     # find_package(Qt6 LinguistTools); lupdate and lrelease
  qt6-translations-l10n            # qtbase_ja.qm: Qt's standard dialogs in the GUI's language
  libqt6opengl6-dev                # Qt6OpenGL and Qt6OpenGLWidgets, which Qt6Charts requires
  libgl-dev                        # Qt6Gui's WrapOpenGL
  qt6-qpa-plugins                  # the xcb platform plugin, only a Recommends of libqt6gui6
  fonts-dejavu-core                # without a font, text renders as empty boxes
  fonts-noto-cjk                   # the Japanese GUI's glyphs (a Recommends of the .deb)
  pkexec                           # "Show all processes (administrator)" starts the helper
  libpcap-dev                      # pkg_check_modules(libpcap): packet capture (docs/capture.md)
  clang bpftool libbpf-dev         # the eBPF sensor: compiler, skeleton generator, loader
)
# What .ci/run adds for the tests and the package stage.
PORTSCOPE_TEST_PACKAGES=(
  libgtest-dev libgmock-dev # find_package(GTest)
  libbenchmark-dev          # find_package(benchmark), tests/bench
  iproute2 net-tools lsof   # ip, ss, netstat, lsof: real peers in the scenario tests
  procps nftables           # ps, sysctl; nft for the firewall scenarios
  rsyslog                   # rsyslogd: the real receiver of the agent scenarios (syslog output)
  systemd                   # systemd-analyze: the package stage checks the agent unit
  xvfb xauth                # the GUI under a real X server, for screenshots (docs/guide.md)
  desktop-file-utils appstream libxml2-utils # desktop entry, AppStream and polkit checks
  dpkg-dev file             # dpkg-shlibdeps for the .deb's Depends; file for the strip check
  # clang, in the build list for the eBPF sensor, also builds the libFuzzer targets.
  clang-format              # the style check: .clang-format is the project's style
  openssh-server openssh-client # sshd and ssh: the remote-machine tests (tests/helper/test_ssh_remote.cpp)
  tshark                    # reads the capture tests' pcapng files and their comments
)
PORTSCOPE_PACKAGES=("${PORTSCOPE_BUILD_PACKAGES[@]}" "${PORTSCOPE_TEST_PACKAGES[@]}")

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_packages() {
  local missing=()
  local package
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$package")
    fi
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    return 0
  fi
  echo "Installing: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=180 update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=180 install -y -q \
    --no-install-recommends "${missing[@]}"
}

# build PRESET [targets...]
build_preset() {
  local preset="$1"
  shift
  cmake --preset "$preset" -S "$PORTSCOPE_ROOT" >/dev/null
  cmake --build "$PORTSCOPE_ROOT/build/$preset" --parallel "$(nproc)" "$@"
}
