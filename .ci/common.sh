# Shared by .ci/run and .ci/start: install what is missing, then build.
set -euo pipefail

PORTSCOPE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Everything a build, the tests and the GUI need on Debian 12.
PORTSCOPE_PACKAGES=(
  cmake ninja-build g++ pkg-config
  qt6-base-dev qt6-charts-dev qt6-qpa-plugins libgl-dev
  libboost-dev libgtest-dev libgmock-dev libbenchmark-dev
  iproute2 net-tools lsof procps nftables
  xvfb xauth fonts-dejavu-core
  desktop-file-utils appstream libxml2-utils dpkg-dev file pkexec clang
)

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
