#!/usr/bin/env bash
# CI stage: proves the README on a Debian 12 system where nothing was installed by hand.
#
#   1. A minimal Debian 12 root from mmdebstrap, cached as a tarball outside the repository
#      and rebuilt when it is a week old.
#   2. A clean copy of the checkout in a fresh root, where the README's first command runs
#      exactly as written (`bash .ci/start`) with no display, so it ends in
#      `portscope-cli watch`; `--count 2` lets it stop.
#   3. A second fresh root, where `apt-get install ./portscope_*.deb` (without Recommends)
#      must bring everything the package needs: the installed CLI, helper and GUI start.
#
# Nothing is taken from the host but the archive's address and the acquire options that this
# site needs to reach it (and a download cache of .deb files, to spare the mirror). The .deb
# comes from the package stage (.ci/package.sh), or from $PORTSCOPE_DEB.
#
# Each step prints one line with its time; a failure names the step and shows its log.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$PORTSCOPE_ROOT"

ensure_packages mmdebstrap

cache_dir="${PORTSCOPE_CI_CACHE:-/var/cache/portscope-ci}"
tarball="$cache_dir/bookworm-apt.tar"
download_cache="$cache_dir/apt-archives"
# Not /tmp: it may be a small tmpfs, and a root with a build in it takes about 1.5 GB.
work="$(mktemp -d /var/tmp/portscope-clean-root.XXXXXX)"
stage_started=$SECONDS
current_step=""
current_log=""

elapsed_since() { echo "$((SECONDS - $1)) s"; }

# Mounts are listed in a file, since steps run in subshells.
mount_list="$work/mounts"
: >"$mount_list"

mount_recorded() {
  mount "$@"
  echo "${!#}" >>"$mount_list"
}

unmount_all() {
  local target
  while read -r target; do
    umount -R "$target" 2>/dev/null || umount -lR "$target" ||
      echo "clean-root: could not unmount $target" >&2
  done < <(tac "$mount_list")
  : >"$mount_list"
}

# Ends what a step left running inside a root, so that its mounts can go.
kill_processes_in() {
  local root="$1" link pid
  for link in /proc/[0-9]*/root; do
    pid="${link#/proc/}"
    pid="${pid%/root}"
    [ "$(readlink "$link" 2>/dev/null)" = "$root" ] && kill -KILL "$pid" 2>/dev/null
  done
  return 0
}

cleanup() {
  local status=$?
  local root
  for root in "$work"/root-*; do
    [ -d "$root" ] && kill_processes_in "$root"
  done
  unmount_all
  # Never delete through a mount that is still there: /dev of the host would go with it.
  if grep -q " $work/" /proc/self/mounts; then
    echo "clean-root: mounts remain under $work; it is left in place" >&2
  else
    rm -rf --one-file-system "$work"
  fi
  if [ "$status" -ne 0 ] && [ -n "$current_step" ]; then
    echo "== clean-root: FAILED at step '$current_step'" >&2
  fi
}
trap cleanup EXIT

# step NAME COMMAND...: runs COMMAND with its output in a log, prints one line with the time,
# and on failure prints the end of the log and exits naming the step.
step() {
  local name="$1"
  shift
  current_step="$name"
  current_log="$work/$(echo "$name" | tr -c 'a-zA-Z0-9\n' '-').log"
  local started=$SECONDS
  local status=0
  # In the background, so that errexit holds inside the step: bash ignores it in any command
  # whose status is tested, functions and subshells included.
  ("$@") >"$current_log" 2>&1 &
  wait $! || status=$?
  if [ "$status" -eq 0 ]; then
    echo "== clean-root: $name: ok in $(elapsed_since "$started")"
    current_step=""
  else
    echo "== clean-root: $name: FAILED (status $status) after $(elapsed_since "$started")" >&2
    # CMake's verdict first: a missing package is named there.
    grep -E "could not be found|Could NOT find|CMake Error|^E: " "$current_log" | head -n 10 >&2 || true
    echo "---- last lines of its log ($current_log)" >&2
    tail -n 60 "$current_log" >&2
    echo "----" >&2
    exit "$status"
  fi
}

archive_sources() {
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    echo /etc/apt/sources.list.d/debian.sources
  elif [ -s /etc/apt/sources.list ]; then
    echo /etc/apt/sources.list
  fi
}

# The site's options for reaching the archive (a proxy, or a snapshot mirror whose Release
# files are past their Valid-Until date); packages are not options and none are copied.
acquire_options() {
  apt-config dump | grep -E '^Acquire::(Check-Valid-Until|Check-Date|https?::Proxy|https?::proxy) ' |
    sed -E 's/^([^ ]+) (.*);$/--aptopt=\1 \2/'
}

make_root_tarball() {
  mkdir -p "$cache_dir"
  if [ -f "$tarball" ] && [ -n "$(find "$tarball" -mtime -7)" ]; then
    echo "reusing $tarball from $(date -r "$tarball" -u +%FT%TZ)"
    return 0
  fi
  local options=()
  mapfile -t options < <(acquire_options)
  local sources
  sources="$(archive_sources)"
  # mmdebstrap picks the output format from the name's extension.
  local fresh="$cache_dir/bookworm-apt.new.tar"
  mmdebstrap --variant=apt --mode=root "${options[@]}" bookworm "$fresh" ${sources:+"$sources"}
  mv -f "$fresh" "$tarball"
}

root_of() { echo "$work/root-$1"; }

# new_root NAME: a fresh root from the tarball, with /proc, /sys and /dev mounted, the site's
# name server, and the download cache.
new_root() {
  local root
  root="$(root_of "$1")"
  mkdir -p "$root"
  tar -C "$root" -xf "$tarball"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  mount_recorded -t proc proc "$root/proc"
  mount_recorded --rbind /sys "$root/sys"
  mount --make-rslave "$root/sys"
  mount_recorded --rbind /dev "$root/dev"
  mount --make-rslave "$root/dev"
  mkdir -p "$download_cache/partial"
  mount_recorded --bind "$download_cache" "$root/var/cache/apt/archives"
  # The root's apt would otherwise delete what it downloaded (docker-style images do this).
  rm -f "$root/etc/apt/apt.conf.d/docker-clean"
}

in_root() {
  local root="$1"
  shift
  chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

copy_checkout() {
  local root="$1"
  mkdir -p "$root/src"
  # The tracked files as they are in this checkout: what a fresh clone would hold.
  git -C "$PORTSCOPE_ROOT" ls-files -z --cached |
    (cd "$PORTSCOPE_ROOT" && xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' _) |
    tar -C "$PORTSCOPE_ROOT" --null -T - -cf - | tar -C "$root/src" -xf -
}

readme_first_command() {
  local root="$1"
  # The README's first command, as written; no display, so it ends in portscope-cli watch.
  grep -qx 'bash .ci/start' README.md || {
    echo "README.md no longer says 'bash .ci/start'; update this stage with it"
    return 1
  }
  in_root "$root" bash -c 'cd /src && bash .ci/start --count 2' >"$work/watch.out"
  local updates
  updates="$(grep -c '^{"event":"tick"' "$work/watch.out" || true)"
  echo "portscope-cli watch printed $(wc -l <"$work/watch.out") lines, $updates ticks"
  [ "$updates" -ge 2 ] || {
    head -n 20 "$work/watch.out"
    echo "expected two ticks from portscope-cli watch --count 2"
    return 1
  }
}

install_package() {
  local root="$1" deb="$2"
  cp "$deb" "$root/tmp/"
  in_root "$root" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  in_root "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "/tmp/$(basename "$deb")"
}

installed_programs() {
  local root="$1"
  in_root "$root" /usr/bin/portscope-cli snapshot >"$work/snapshot.txt"
  grep -q ' sockets (' "$work/snapshot.txt" || {
    cat "$work/snapshot.txt"
    echo "the installed portscope-cli snapshot printed no summary"
    return 1
  }
  in_root "$root" /usr/libexec/portscope/portscope-helper --version
  in_root "$root" bash -c '
    runtime="$(mktemp -d)"
    QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$runtime" /usr/bin/portscope &
    gui=$!
    sleep 3
    if ! kill -0 "$gui" 2>/dev/null; then
      wait "$gui"
      echo "the installed GUI exited within 3 s (status $?)"
      exit 1
    fi
    kill "$gui"
    status=0
    wait "$gui" || status=$?
    # 143: ended by our SIGTERM; 0: it quit cleanly on it.
    [ "$status" -eq 143 ] || [ "$status" -eq 0 ] || { echo "the GUI ended with status $status"; exit 1; }
    echo "the installed GUI ran offscreen for 3 s"'
}

deb="${PORTSCOPE_DEB:-}"
if [ -z "$deb" ]; then
  deb="$(ls "$PORTSCOPE_ROOT"/build/package/portscope_*.deb 2>/dev/null | head -n 1 || true)"
fi
[ -n "$deb" ] && [ -f "$deb" ] || {
  echo "clean-root: no .deb to install; run .ci/package.sh first or set PORTSCOPE_DEB" >&2
  exit 1
}

step "Debian 12 root tarball" make_root_tarball
step "a fresh root for the README" new_root readme
readme_root="$(root_of readme)"
step "copy the checkout into a clean root" copy_checkout "$readme_root"
step "README first command (bash .ci/start --count 2) in the clean root" \
  readme_first_command "$readme_root"
kill_processes_in "$readme_root"
unmount_all
rm -rf --one-file-system "$readme_root"

step "a second fresh root for the package" new_root package
package_root="$(root_of package)"
step "apt-get install ./$(basename "$deb") in a second clean root" install_package "$package_root" "$deb"
step "the installed CLI, helper and GUI (offscreen, 3 s) in that root" installed_programs "$package_root"
echo "== clean-root: ok in $(elapsed_since "$stage_started")"
