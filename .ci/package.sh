#!/usr/bin/env bash
# CI stage: builds the .deb and the .tar.gz with CPack, checks the desktop metadata and the
# package contents, installs the .deb with apt-get, starts the installed programs once
# (the CLI, the helper as root with the CLI as nobody, the GUI offscreen when it is built),
# and removes the package again. Proves that the package is complete.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$PORTSCOPE_ROOT"

ensure_packages "${PORTSCOPE_PACKAGES[@]}"

build="$PORTSCOPE_ROOT/build/package"
app_id=org.portscope.PortScope
work="$(mktemp -d)"
installed=no

fail() {
  echo "package.sh: $*" >&2
  exit 1
}

cleanup() {
  if [ "$installed" = yes ]; then
    echo "== package: removing the test installation"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=180 purge -y -q \
      portscope >/dev/null || echo "package.sh: could not remove portscope" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== package: release build"
# Warnings are errors in the debug and sanitizer builds; at -O3, GCC 12 reports false
# -Wrestrict positives inside std::string, so here they stay warnings.
cmake -S "$PORTSCOPE_ROOT" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_INSTALL_PREFIX=/usr -DPORTSCOPE_BUILD_TESTS=OFF -DPORTSCOPE_WARNINGS_AS_ERRORS=OFF \
  >/dev/null
cmake --build "$build" --parallel "$(nproc)"
gui=no
if grep -q '^PORTSCOPE_BUILD_GUI:BOOL=ON' "$build/CMakeCache.txt"; then
  gui=yes
fi

echo "== package: desktop metadata"
desktop-file-validate "resources/linux/$app_id.desktop"
appstreamcli validate --no-net "resources/linux/$app_id.metainfo.xml"
if [ -f /usr/share/polkit-1/policyconfig-1.dtd ]; then
  xmllint --noout --dtdvalid /usr/share/polkit-1/policyconfig-1.dtd "$build/installer/$app_id.policy"
else
  xmllint --noout "$build/installer/$app_id.policy"
fi
grep -q '>/usr/libexec/portscope/portscope-helper<' "$build/installer/$app_id.policy" ||
  fail "the polkit policy does not name /usr/libexec/portscope/portscope-helper"

echo "== package: cpack"
rm -f "$build"/portscope_*.deb "$build"/portscope-*.tar.gz
(cd "$build" && cpack -G "DEB;TGZ" >/dev/null)
deb="$(ls "$build"/portscope_*.deb)"
tgz="$(ls "$build"/portscope-*.tar.gz)"
echo "built $(basename "$deb") and $(basename "$tgz")"

expected=(
  usr/bin/portscope-cli
  usr/libexec/portscope/portscope-helper
  "usr/share/polkit-1/actions/$app_id.policy"
  usr/share/man/man1/portscope-cli.1.gz
  usr/share/man/man1/portscope-helper.1.gz
  usr/lib/systemd/system/portscope-agent.service
  usr/share/doc/portscope/examples/agent.conf
)
if [ "$gui" = yes ]; then
  expected+=(
    usr/bin/portscope
    usr/share/man/man1/portscope.1.gz
    "usr/share/applications/$app_id.desktop"
    "usr/share/metainfo/$app_id.metainfo.xml"
    "usr/share/icons/hicolor/scalable/apps/$app_id.svg"
  )
  for size in 16 24 32 48 64 128 256; do
    expected+=("usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png")
  done
fi
dpkg-deb --contents "$deb" >"$work/contents"
for path in "${expected[@]}"; do
  grep -q " \./$path\$" "$work/contents" || fail "$(basename "$deb") lacks /$path"
done
tar -tzf "$tgz" >"$work/tar-contents"
for path in bin/portscope-cli libexec/portscope/portscope-helper; do
  grep -q "/$path\$" "$work/tar-contents" || fail "$(basename "$tgz") lacks $path"
done

depends="$(dpkg-deb -f "$deb" Depends)"
echo "Depends: $depends"
echo "Recommends: $(dpkg-deb -f "$deb" Recommends)"
[[ "$depends" == *libc6* ]] || fail "Depends lacks the shared-library dependencies"
if [ "$gui" = yes ]; then
  [[ "$depends" == *qt6-qpa-plugins* ]] || fail "Depends lacks qt6-qpa-plugins"
  [[ "$depends" == *libqt6widgets6* ]] || fail "Depends lacks libqt6widgets6"
  recommends="$(dpkg-deb -f "$deb" Recommends)"
  for package in fonts-noto-cjk qt6-translations-l10n; do
    [[ "$recommends" == *"$package"* ]] || fail "Recommends lacks $package"
  done
fi

dpkg-deb -x "$deb" "$work/root"
for binary in usr/bin/portscope-cli usr/libexec/portscope/portscope-helper usr/bin/portscope; do
  [ -e "$work/root/$binary" ] || continue
  description="$(file -b "$work/root/$binary")"
  [[ "$description" == *", stripped"* ]] || fail "/$binary is not stripped: $description"
done

echo "== package: apt-get install"
installed=yes
(cd "$build" && as_root env DEBIAN_FRONTEND=noninteractive \
  apt-get -o DPkg::Lock::Timeout=180 install -y -q ./portscope_*.deb)

echo "== package: the installed programs"
/usr/bin/portscope-cli --version
/usr/bin/portscope-cli snapshot >"$work/snapshot.txt" ||
  fail "the installed portscope-cli snapshot failed"
grep -q ' sockets (' "$work/snapshot.txt" || fail "portscope-cli snapshot printed no summary"
/usr/libexec/portscope/portscope-helper --version

# The installed helper as root, the installed CLI as nobody connected to it, as pkexec and
# the GUI would arrange it. Both sides open the FIFOs in the same order, so neither blocks.
mkfifo "$work/requests" "$work/replies"
/usr/libexec/portscope/portscope-helper <"$work/requests" >"$work/replies" 2>"$work/helper.err" &
helper_pid=$!
setpriv --reuid=nobody --regid=nogroup --clear-groups \
  /usr/bin/portscope-cli snapshot --format json --helper-fds 3,4 \
  4>"$work/requests" 3<"$work/replies" >"$work/helped.json" ||
  fail "portscope-cli as nobody with the installed helper failed"
wait "$helper_pid" || fail "the helper exited with status $?: $(cat "$work/helper.err")"
grep -q '"source":"[^"]*via portscope-helper (root' "$work/helped.json" ||
  fail "the snapshot did not come from the root helper"

echo "== package: the agent service"
unit=/usr/lib/systemd/system/portscope-agent.service
systemd-analyze verify --man=no "$unit" || fail "systemd-analyze verify rejects $unit"
# The exposure docs/fleet.md reports (2.4); above 3.0 a hardening setting was lost.
systemd-analyze security --offline=yes --threshold=30 "$unit" | tail -1
systemd-analyze security --offline=yes --threshold=30 "$unit" >/dev/null ||
  fail "the agent unit's exposure rose above 3.0"
[ ! -e /etc/systemd/system/multi-user.target.wants/portscope-agent.service ] ||
  fail "installing the package enabled the agent"
printf 'output = syslog+tcp://127.0.0.1:514\nevents = some\n' >"$work/agent.conf"
status=0
/usr/bin/portscope-cli agent --agent-config "$work/agent.conf" 2>"$work/agent.err" || status=$?
[ "$status" -eq 2 ] && grep -q 'agent.conf:2: events must be findings or all' "$work/agent.err" ||
  fail "the installed agent did not refuse a bad agent.conf (status $status): $(cat "$work/agent.err")"

if [ "$gui" = yes ]; then
  runtime="$work/runtime"
  mkdir -m 0700 "$runtime"
  QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$runtime" /usr/bin/portscope \
    >"$work/gui.log" 2>&1 &
  gui_pid=$!
  sleep 3
  if ! kill -0 "$gui_pid" 2>/dev/null; then
    status=0
    wait "$gui_pid" || status=$?
    cat "$work/gui.log" >&2
    fail "the installed GUI exited within 3 s (status $status)"
  fi
  kill "$gui_pid"
  status=0
  wait "$gui_pid" || status=$?
  # 143: ended by our SIGTERM; 0: it quit cleanly on it.
  if [ "$status" -ne 143 ] && [ "$status" -ne 0 ]; then
    cat "$work/gui.log" >&2
    fail "the installed GUI ended with status $status"
  fi
  echo "the installed GUI ran offscreen for 3 s"
  # The translations are embedded in the program: the installed binary answers in Japanese.
  LANGUAGE=ja LC_ALL=ja_JP.UTF-8 QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$runtime" \
    /usr/bin/portscope --help >"$work/gui-help-ja.txt" 2>&1 || true
  grep -q '記録したセッション' "$work/gui-help-ja.txt" ||
    fail "the installed GUI did not load its Japanese translation: $(cat "$work/gui-help-ja.txt")"
  echo "the installed GUI speaks Japanese with LANGUAGE=ja"
fi

echo "== package: apt-get purge"
as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=180 purge -y -q portscope
installed=no
[ ! -e /usr/bin/portscope-cli ] || fail "portscope-cli is still there after removal"
echo "== package: ok"
