#!/bin/bash
# The helpdesk case of docs/guide.md, recreated on this machine for screenshots and for
# walking the guide by hand. Run as root. Everything happens inside a network namespace of
# the demo's own, whose only interfaces are its loopback and a veth pair to a second, empty
# namespace that silently drops what it is sent, so nothing reaches a real network.
#
#   helpdesk-demo.sh start               the namespace and the demo processes:
#                                          spollsv.exe  SYN_SENT to 30 hosts on port 135 (a worm)
#                                          sshd         from /tmp/psdemo, listening on 4444
#                                          backup-agent sending ~400 KB/s to that sshd
#   helpdesk-demo.sh gui PORTSCOPE [WxH] [LANG]
#                                        Xvfb on :77 (default 1280x800) and PORTSCOPE in the
#                                          namespace; LANG e.g. ja_JP.UTF-8
#   helpdesk-demo.sh shot FILE.png       a screenshot of the whole screen
#   helpdesk-demo.sh stop                ends what start and gui started, removes the namespace
#
# PSDEMO_NAME (default psdemo) and PSDEMO_DISPLAY (default 77) let two demos run side by side.
set -euo pipefail

readonly NAMESPACE="${PSDEMO_NAME:-psdemo}"
readonly VOID="$NAMESPACE-void"
readonly WORK="/tmp/$NAMESPACE"
readonly DISPLAY_NUMBER="${PSDEMO_DISPLAY:-77}"
readonly HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

in_namespace() { ip netns exec "$NAMESPACE" "$@"; }

start_background() { # NAME ARGS...: starts $WORK/NAME in the namespace, records its PID
  local name="$1"
  shift
  setsid ip netns exec "$NAMESPACE" "$WORK/$name" "$@" </dev/null >/dev/null 2>&1 &
  echo $! >>"$WORK/pids"
}

case "${1:-}" in
start)
  [ "$(id -u)" -eq 0 ] || { echo "run as root" >&2; exit 1; }
  ip netns add "$NAMESPACE"
  ip -n "$NAMESPACE" link set lo up
  ip netns add "$VOID"
  ip link add psdemo0 netns "$NAMESPACE" type veth peer name psvoid0 netns "$VOID"
  ip -n "$NAMESPACE" addr add 10.76.0.1/24 dev psdemo0
  ip -n "$NAMESPACE" link set psdemo0 up
  ip -n "$VOID" addr add 10.76.0.2/24 dev psvoid0
  ip -n "$VOID" link set psvoid0 up
  # The void does not forward: SYNs to 10.77.0.x get no answer and stay in SYN_SENT.
  ip -n "$NAMESPACE" route add 10.77.0.0/16 via 10.76.0.2
  install -d -m 0755 "$WORK"
  gcc -O2 -o "$WORK/demo_peer" "$HERE/demo_peer.c"
  for name in spollsv.exe sshd backup-agent; do cp "$WORK/demo_peer" "$WORK/$name"; done
  start_background sshd serve 4444
  sleep 0.3
  start_background backup-agent send 4444 400000
  start_background spollsv.exe fanout 10.77.0 135 30
  echo "demo running in namespace $NAMESPACE"
  ;;
gui)
  portscope="$(realpath "${2:?path of the portscope binary}")"
  geometry="${3:-1280x800}"
  language="${4:-C.UTF-8}"
  setsid Xvfb ":$DISPLAY_NUMBER" -screen 0 "${geometry}x24" -nolisten tcp </dev/null \
    >"$WORK/xvfb.log" 2>&1 &
  echo $! >>"$WORK/pids"
  for _ in $(seq 50); do [ -S "/tmp/.X11-unix/X$DISPLAY_NUMBER" ] && break; sleep 0.1; done
  runtime="$(mktemp -d)"
  setsid ip netns exec "$NAMESPACE" env DISPLAY=":$DISPLAY_NUMBER" XDG_RUNTIME_DIR="$runtime" \
    LANG="$language" LC_ALL="$language" LANGUAGE="${language%%_*}" "$portscope" \
    </dev/null >"$WORK/portscope.log" 2>&1 &
  echo $! >>"$WORK/pids"
  ;;
shot)
  DISPLAY=":$DISPLAY_NUMBER" import -window root "${2:?file name}"
  ;;
stop)
  if [ -f "$WORK/pids" ]; then
    while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$WORK/pids"
    # ip netns exec ends with its program: kill the programs the namespace still holds.
    for pid in $(ip netns pids "$NAMESPACE" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
  fi
  ip netns delete "$NAMESPACE" 2>/dev/null || true
  ip netns delete "$VOID" 2>/dev/null || true
  rm -rf "$WORK"
  ;;
*)
  sed -n '2,18p' "$0" >&2
  exit 2
  ;;
esac
