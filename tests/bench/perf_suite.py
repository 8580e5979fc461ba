#!/usr/bin/env python3
"""Whole-process measurements of PortScope against the live system (Linux, run as root).

Steps (run in this order by "all"):
  peers   cold `portscope-cli snapshot` alternated with `ss -tanp`, `netstat -tanp` and
          `lsof -nP -iTCP` at each size; medians, ratios, peak RSS
  steady  `portscope-cli watch` at 1 Hz for 60 s at each size, without and with churn: the
          engine's own tick time (poll_ms + track_ms), CPU use, RSS; then `ss -tanp` on the
          same machine state for the steady-tick ratio
  churn   2,000 connections/s for 60 s under `watch`: closed connections reported against
          connections made, and stale rows left at the end
  soak    10 minutes of churn under `watch`, RSS sampled every 5 s (skipped with --quick)
  gui     RSS of the Qt GUI (offscreen) at 10k rows, if it was built

All traffic is loopback (portscope-loadgen). Every process started here is stopped by its
PID. Results go to OUT/results.json and OUT/results.md.
"""

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load_average():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


def median(values):
    return statistics.median(values) if values else None


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


# ---- processes --------------------------------------------------------------------------


def process_cpu_seconds(pid):
    """utime + stime of a live process (all threads), from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as f:
        text = f.read()
    fields = text[text.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def process_memory_kb(pid):
    """(VmRSS, VmHWM) in KB, or (None, None) once the process has gone."""
    rss = hwm = None
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return rss, hwm


def run_timed(command, stdout_path, timeout, env=None):
    """Runs a command to completion; returns wall seconds, user+sys CPU seconds, peak RSS."""
    with open(stdout_path, "wb") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, env=env)
        timer = threading.Timer(timeout, lambda: os.kill(child.pid, signal.SIGKILL))
        timer.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "user_s": usage.ru_utime,
        "sys_s": usage.ru_stime,
        "max_rss_kb": usage.ru_maxrss,
        "exit": child.returncode,
        "timed_out": child.returncode == -signal.SIGKILL,
    }


class Loadgen:
    """portscope-loadgen as a context manager: waits for 'ready', stops it by PID on exit."""

    def __init__(self, binary, sockets, processes=20, churn=0, churn_close="fin",
                 duration=3600, udp=10):
        self.command = [str(binary), "--connections", str(sockets // 2), "--processes",
                        str(processes), "--udp", str(udp), "--churn", str(churn),
                        "--churn-close", churn_close, "--duration", str(duration)]
        self.sockets = sockets
        self.process = None
        self.churn_port = None
        self.churned = None

    def __enter__(self):
        log("loadgen: " + " ".join(self.command[1:]))
        self.process = subprocess.Popen(self.command, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 600
        line = ""
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line or line.startswith("ready"):
                break
        if not line.startswith("ready"):
            self.stop()
            raise RuntimeError("portscope-loadgen did not get ready: " +
                               (self.process.stderr.read() or line))
        match = re.search(r"churn_listener=([0-9.]+):(\d+)", line)
        if match and match.group(1) != "none":
            self.churn_address = match.group(1)
            self.churn_port = int(match.group(2))
        log("loadgen " + line.strip())
        return self

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return self.churned
        self.process.send_signal(signal.SIGTERM)
        try:
            rest, _ = self.process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            self.process.kill()
            rest, _ = self.process.communicate()
        match = re.search(r"done churned=(\d+)", rest or "")
        self.churned = int(match.group(1)) if match else None
        return self.churned

    def wait_done(self, timeout):
        """Waits for a loadgen that ends at its --duration; returns the churned count."""
        try:
            rest, _ = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            return self.stop()
        match = re.search(r"done churned=(\d+)", rest or "")
        self.churned = int(match.group(1)) if match else None
        return self.churned

    def __exit__(self, *exc):
        self.stop()
        return False


def tcp_socket_count():
    """TCP sockets the kernel lists now (ss without owners is cheap)."""
    out = subprocess.run(["ss", "-tanH"], capture_output=True, text=True).stdout
    return out.count("\n")


def wait_for_settle(seconds=3):
    time.sleep(seconds)


# ---- output parsers ---------------------------------------------------------------------


def ours_rows(path):
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        f.seek(max(0, f.tell() - 4096))
        tail = f.read().decode(errors="replace")
    match = re.search(r"(\d+) sockets \((\d+) TCP, (\d+) UDP\).*polled in ([0-9.]+) ms", tail)
    if not match:
        return None, None
    return int(match.group(2)), float(match.group(4))


def line_count(path, header_lines):
    with open(path, "rb") as f:
        return max(0, sum(1 for _ in f) - header_lines)


def owners_listed_ss(path):
    with open(path, "rb") as f:
        return sum(1 for line in f if b"users:" in line)


# ---- steps ------------------------------------------------------------------------------


PEERS = {
    "ss -tanp": (["ss", "-tanp"], 1),
    "netstat -tanp": (["netstat", "-tanp"], 2),
    "lsof -nP -iTCP": (["lsof", "-nP", "-iTCP"], 1),
}


def step_peers(args, results):
    cli = args.build / "app/cli/portscope-cli"
    section = results.setdefault("peers", {})
    for size in args.sizes:
        with Loadgen(args.loadgen, size) as _:
            wait_for_settle()
            entry = {"tcp_sockets_before": tcp_socket_count(), "load_before": load_average(),
                     "runs": []}
            log(f"peers at {size}: {entry['tcp_sockets_before']} TCP sockets")
            for repetition in range(args.repetitions):
                for peer, (command, header) in PEERS.items():
                    ours_out = args.out / "ours.txt"
                    ours = run_timed([str(cli), "snapshot"], ours_out, args.timeout)
                    ours["tcp_rows"], ours["poll_ms"] = ours_rows(ours_out)
                    peer_out = args.out / "peer.txt"
                    theirs = run_timed(command, peer_out, args.timeout)
                    theirs["rows"] = line_count(peer_out, header)
                    entry["runs"].append({"repetition": repetition, "peer": peer, "ours": ours,
                                          "peer_run": theirs})
                    log(f"  {size} rep {repetition}: ours {ours['wall_s']:.2f}s "
                        f"({ours['tcp_rows']} tcp) vs {peer} {theirs['wall_s']:.2f}s "
                        f"({theirs['rows']} rows)")
            entry["load_after"] = load_average()
            entry["tcp_sockets_after"] = tcp_socket_count()
            summary = {}
            for peer in PEERS:
                runs = [r for r in entry["runs"] if r["peer"] == peer]
                ours_wall = median([r["ours"]["wall_s"] for r in runs])
                peer_wall = median([r["peer_run"]["wall_s"] for r in runs])
                summary[peer] = {
                    "ours_median_s": ours_wall,
                    "peer_median_s": peer_wall,
                    "ratio": ours_wall / peer_wall if peer_wall else None,
                    "ours_cpu_median_s": median([r["ours"]["cpu_s"] for r in runs]),
                    "peer_cpu_median_s": median([r["peer_run"]["cpu_s"] for r in runs]),
                    "peer_max_rss_kb": max(r["peer_run"]["max_rss_kb"] for r in runs),
                    "ours_rows_median": median([r["ours"]["tcp_rows"] or 0 for r in runs]),
                    "peer_rows_median": median([r["peer_run"]["rows"] for r in runs]),
                    "peer_timeouts": sum(r["peer_run"]["timed_out"] for r in runs),
                }
            all_ours = [r["ours"] for r in entry["runs"]]
            entry["ours_all"] = {
                "wall_median_s": median([r["wall_s"] for r in all_ours]),
                "cpu_median_s": median([r["cpu_s"] for r in all_ours]),
                "poll_median_ms": median([r["poll_ms"] for r in all_ours if r["poll_ms"]]),
                "max_rss_kb": max(r["max_rss_kb"] for r in all_ours),
            }
            entry["summary"] = summary
            section[str(size)] = entry
            save(args, results)
        wait_for_settle(2)


def sample_process(pid, samples, stop, every):
    """(time, CPU ns of the process, VmRSS KB, VmHWM KB) every `every` seconds. The CPU time
    comes from /proc/PID/stat, which keeps the time of threads that have ended."""
    while not stop.is_set():
        try:
            cpu = int(process_cpu_seconds(pid) * 1e9)
        except (FileNotFoundError, ProcessLookupError, ValueError, IndexError):
            break
        rss, hwm = process_memory_kb(pid)
        if rss is None:
            break
        samples.append((time.monotonic(), cpu, rss, hwm))
        stop.wait(every)


def run_watch(args, seconds, out_path, sample_every=0.25, after_start=None, extra=()):
    """Runs `portscope-cli watch` for `seconds`, sampling CPU and RSS; returns the samples and
    the tick events it printed."""
    cli = args.build / "app/cli/portscope-cli"
    command = [str(cli), "watch", "--interval", "1", "--duration", str(seconds), *extra]
    samples = []
    stop = threading.Event()
    with open(out_path, "wb") as out:
        started = time.monotonic()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL)
        sampler = threading.Thread(target=sample_process,
                                   args=(child.pid, samples, stop, sample_every))
        sampler.start()
        if after_start:
            after_start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            stop.set()
            sampler.join()
        child.returncode = os.waitstatus_to_exitcode(status)
    ticks = []
    with open(out_path, "rb") as f:
        for line in f:
            if line.startswith(b'{"event":"tick"'):
                ticks.append(json.loads(line))
    return {
        "exit": child.returncode,
        "wall_s": time.monotonic() - started,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "max_rss_kb": usage.ru_maxrss,
        "samples": samples,
        "ticks": ticks,
    }


def summarize_watch(run, skip_ticks=2):
    ticks = run["ticks"]
    steady = ticks[skip_ticks:]
    tick_ms = [t["poll_ms"] + t["track_ms"] for t in steady]
    samples = run["samples"]
    summary = {
        "exit": run["exit"],
        "ticks": len(ticks),
        "first_tick_ms": ticks[0]["poll_ms"] + ticks[0]["track_ms"] if ticks else None,
        "tick_ms_median": median(tick_ms),
        "tick_ms_p95": percentile(tick_ms, 0.95),
        "tick_ms_max": max(tick_ms) if tick_ms else None,
        "poll_ms_median": median([t["poll_ms"] for t in steady]),
        "track_ms_median": median([t["track_ms"] for t in steady]),
        "connections_median": median([t["connections"] for t in steady]),
        "max_rss_kb": run["max_rss_kb"],
        "cpu_total_s": run["cpu_s"],
    }
    # CPU use over the steady window: from 5 s after the start (the first poll, which lists
    # every socket as added, is done by then) to the last sample.
    if len(samples) >= 2:
        start = next((s for s in samples if s[0] >= samples[0][0] + 5), samples[0])
        t0, c0, _, _ = start
        t1, c1, _, _ = samples[-1]
        if t1 > t0:
            summary["window_s"] = t1 - t0
            summary["cpu_percent_of_core"] = 100.0 * (c1 - c0) / 1e9 / (t1 - t0)
            summary["cpu_ms_per_tick"] = (c1 - c0) / 1e6 / (t1 - t0)  # one tick per second
        summary["rss_kb_last"] = samples[-1][2]
        summary["rss_kb_peak_sampled"] = max((s[3] or 0) for s in samples)
    return summary


def step_steady(args, results):
    section = results.setdefault("steady", {})
    for size in args.sizes:
        for churn in args.steady_churn:
            key = f"{size}/churn{churn}"
            close_mode = "reset"  # churn without TIME_WAIT keeps the socket count at `size`
            with Loadgen(args.loadgen, size, churn=churn, churn_close=close_mode) as _:
                wait_for_settle()
                sockets = tcp_socket_count()
                log(f"steady {key}: {sockets} TCP sockets, watch for {args.watch_seconds} s")
                load_before = load_average()
                run = run_watch(args, args.watch_seconds + 2, args.out / "watch.ndjson")
                entry = summarize_watch(run)
                entry["tcp_sockets"] = sockets
                entry["load_before"] = load_before
                entry["load_after"] = load_average()
                if churn == 0:
                    ss_runs = [run_timed(["ss", "-tanp"], args.out / "peer.txt", args.timeout)
                               for _ in range(3)]
                    entry["ss_tanp_median_s"] = median([r["wall_s"] for r in ss_runs])
                    entry["tick_to_ss_ratio"] = (entry["tick_ms_median"] / 1000.0 /
                                                 entry["ss_tanp_median_s"])
                section[key] = entry
                log(f"  {key}: tick median {entry['tick_ms_median']:.1f} ms, "
                    f"cpu {entry.get('cpu_percent_of_core', 0):.2f}% of a core, "
                    f"rss {entry['max_rss_kb'] / 1024:.0f} MB")
                save(args, results)
            wait_for_settle(2)


def step_churn(args, results):
    """Connections made by the loadgen against connections `watch` reported closed."""
    base = args.churn_base
    seconds = args.churn_seconds
    out_path = args.out / "churn.ndjson"
    loadgen_box = {}

    def start_loadgen():
        time.sleep(3)  # watch has taken its first poll
        loadgen = Loadgen(args.loadgen, base, churn=args.churn_rate, churn_close="fin",
                          duration=seconds)
        loadgen.__enter__()
        loadgen_box["loadgen"] = loadgen
        loadgen_box["churned"] = loadgen.wait_done(seconds + 120)

    holder = {}

    def after_start():
        thread = threading.Thread(target=start_loadgen)
        thread.start()
        holder["thread"] = thread

    # Long enough for the loadgen to start, run and end, and for the TIME_WAIT sockets its
    # last connections leave (60 s on Linux) to expire: at the end no row on the churn port
    # may be left open.
    log(f"churn: {args.churn_rate}/s for {seconds} s over {base} held sockets")
    run = run_watch(args, seconds + 80 + base // 2000, out_path, after_start=after_start)
    holder["thread"].join()
    loadgen = loadgen_box["loadgen"]
    churned = loadgen_box["churned"]
    port = loadgen.churn_port
    address = loadgen.churn_address

    server_closed = set()
    server_added = set()
    short_lived = 0
    open_rows = {}  # id -> connection, for rows on the churn port still open at the end
    with open(out_path, "rb") as f:
        needle = f'"local_port":{port},'.encode()
        needle_remote = f'"remote_port":{port},'.encode()
        for line in f:
            if needle not in line and needle_remote not in line:
                continue
            event = json.loads(line)
            kind = event.get("event")
            connection = event.get("connection")
            if connection is None:
                continue
            is_server = (connection["local_port"] == port and
                         connection["local_address"] == address and
                         connection["state"] != "LISTEN")
            if kind == "added":
                open_rows[connection["id"]] = connection
                if is_server:
                    server_added.add(connection["id"])
            elif kind == "removed":
                open_rows.pop(connection["id"], None)
                if is_server:
                    server_closed.add(connection["id"])
                    short_lived += connection.get("short_lived", False)
            elif kind == "changed":
                if connection["id"] in open_rows:
                    open_rows[connection["id"]] = connection
    left_server = [c for c in open_rows.values()
                   if c["local_port"] == port and c["state"] != "LISTEN"]
    left_client_states = {}
    for c in open_rows.values():
        if c["remote_port"] == port:
            left_client_states[c["state"]] = left_client_states.get(c["state"], 0) + 1
    kernel_left = subprocess.run(["ss", "-tanH", f"( sport = :{port} or dport = :{port} )"],
                                 capture_output=True, text=True).stdout.count("\n")
    entry = {
        "rate_per_s": args.churn_rate,
        "seconds": seconds,
        "held_sockets": base,
        "connections_made": churned,
        "server_sockets_reported_closed": len(server_closed),
        "server_sockets_reported_added": len(server_added),
        "caught_only_by_close_event": short_lived,
        "server_rows_left_open_at_end": len(left_server),
        "client_rows_left_open_at_end_by_state": left_client_states,
        "kernel_sockets_on_churn_port_at_end": kernel_left,
        "watch_exit": run["exit"],
        "watch_summary": summarize_watch(run),
    }
    results["churn"] = entry
    log(f"churn: made {churned}, reported closed {len(server_closed)} "
        f"({short_lived} only by close events), stale server rows {len(left_server)}, "
        f"watch exit {run['exit']}")
    save(args, results)
    out_path.unlink(missing_ok=True)


def step_soak(args, results):
    seconds = args.soak_seconds
    with Loadgen(args.loadgen, args.churn_base, churn=args.churn_rate, churn_close="fin",
                 duration=seconds + 120) as _:
        wait_for_settle()
        log(f"soak: watch for {seconds} s with churn {args.churn_rate}/s")
        # Only tick lines are printed (no connection uses port 9), so the file stays small;
        # the tracker still follows every socket.
        out_path = args.out / "soak.ndjson"
        run = run_watch(args, seconds, out_path, sample_every=5, extra=("--port", "9"))
        out_path.unlink(missing_ok=True)
    samples = run["samples"]
    rss = [(t - samples[0][0], r) for t, _, r, _ in samples]
    rows = [t["connections"] for t in run["ticks"]]
    half = len(rows) // 2
    minute = [r for t, r in rss if 55 <= t <= 65]
    last = [r for t, r in rss if t >= rss[-1][0] - 10]
    entry = {
        "seconds": seconds,
        "rate_per_s": args.churn_rate,
        "samples": len(rss),
        "rss_kb_at_1min": median(minute),
        "rss_kb_at_end": median(last),
        "rss_kb_max": max(r for _, r in rss),
        "watch_exit": run["exit"],
        "rss_kb_series": [[round(t, 1), r] for t, r in rss],
        # Rows held by the tracker (open sockets and tombstones): memory follows its peak.
        "rows_max_first_half": max(rows[:half]) if half else None,
        "rows_max_second_half": max(rows[half:]) if rows[half:] else None,
        "rows_series": rows[::5],
    }
    results["soak"] = entry
    log(f"soak: rss at 1 min {entry['rss_kb_at_1min']} KB, at end {entry['rss_kb_at_end']} KB")
    save(args, results)


def step_gui(args, results):
    gui = args.build / "app/gui/portscope"
    if not gui.exists():
        log("gui: no GUI binary built; skipped")
        results["gui"] = {"skipped": "the GUI was not built"}
        return
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with Loadgen(args.loadgen, args.gui_rows) as _:
        wait_for_settle()
        log(f"gui: {tcp_socket_count()} TCP sockets, GUI offscreen for {args.gui_seconds} s")
        child = subprocess.Popen([str(gui)], env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        samples = []
        stop = threading.Event()
        sampler = threading.Thread(target=sample_process, args=(child.pid, samples, stop, 1.0))
        sampler.start()
        time.sleep(args.gui_seconds)
        stop.set()
        sampler.join()
        child.send_signal(signal.SIGTERM)
        try:
            _, status, usage = os.wait4(child.pid, 0)
        except ChildProcessError:
            usage = None
    entry = {
        "rows_target": args.gui_rows,
        "seconds": args.gui_seconds,
        "rss_kb_last": samples[-1][2] if samples else None,
        "rss_kb_peak": max((s[3] or 0) for s in samples) if samples else None,
        "cpu_percent_of_core": (100.0 * (samples[-1][1] - samples[min(5, len(samples) - 1)][1]) /
                                1e9 / max(1e-9, samples[-1][0] -
                                          samples[min(5, len(samples) - 1)][0]))
        if len(samples) > 6 else None,
    }
    results["gui"] = entry
    log(f"gui: rss {entry['rss_kb_last']} KB, peak {entry['rss_kb_peak']} KB")
    save(args, results)


# ---- report -----------------------------------------------------------------------------


def save(args, results):
    (args.out / "results.json").write_text(json.dumps(results, indent=1))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("steps", nargs="*", default=["all"])
    parser.add_argument("--build", type=Path, required=True, help="release build directory")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=180)
    parser.add_argument("--watch-seconds", type=int, default=60)
    parser.add_argument("--churn-rate", type=int, default=2000)
    parser.add_argument("--steady-churn", default=None,
                        help="churn rates for the steady step (default: 0 and --churn-rate)")
    parser.add_argument("--churn-base", type=int, default=10000)
    parser.add_argument("--churn-seconds", type=int, default=60)
    parser.add_argument("--soak-seconds", type=int, default=600)
    parser.add_argument("--gui-rows", type=int, default=10000)
    parser.add_argument("--gui-seconds", type=int, default=30)
    parser.add_argument("--quick", action="store_true", help="skip the 10-minute soak")
    args = parser.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",")]
    args.steady_churn = ([int(c) for c in args.steady_churn.split(",")] if args.steady_churn
                         else [0, args.churn_rate])
    args.build = args.build.resolve()
    args.loadgen = args.build / "tests/bench/portscope-loadgen"
    args.out = (args.out or args.build / "perf-results").resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    for tool in ("ss", "netstat", "lsof"):
        if shutil.which(tool) is None:
            sys.exit(f"perf_suite: {tool} is not installed")
    if os.geteuid() != 0:
        log("warning: not root; owners of other users' sockets stay hidden from every tool")

    results_path = args.out / "results.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    with open("/proc/cpuinfo") as f:
        cpu = next((line.split(":", 1)[1].strip() for line in f
                    if line.startswith("model name")), "unknown")
    results["machine"] = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "kernel": os.uname().release,
        "memory_kb": int(open("/proc/meminfo").readline().split()[1]),
        "load_at_start": load_average(),
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }
    steps = args.steps
    if "all" in steps:
        steps = ["peers", "steady", "churn", "gui"] + ([] if args.quick else ["soak"])
    known = {"peers": step_peers, "steady": step_steady, "churn": step_churn,
             "soak": step_soak, "gui": step_gui}
    for step in steps:
        if step not in known:
            sys.exit(f"perf_suite: unknown step {step}")
        known[step](args, results)
    results["machine"]["load_at_end"] = load_average()
    save(args, results)
    log(f"results in {results_path}")


if __name__ == "__main__":
    main()
