#!/usr/bin/env python3
"""The eBPF sensor against the poll sensor, side by side in one run (docs/performance.md,
"Sensors"). Needs root and a build with the sensor (release preset recommended):

    sudo tests/bench/sensor_bench.py --build build/release

1. Connect rate: refused connects to a closed loopback port, as fast as one Python loop
   makes them, while `portscope-cli watch` runs with `--sensor poll` and then with
   `--sensor bpf` (alternating, five rounds each). The sensor hooks every TCP state change,
   so this is its worst case; the watch's own polling is the same in both. On a shared
   machine the rates are noisy, so the kernel's own account of the programs' run time
   (kernel.bpf_stats_enabled, switched on for the run and restored after) gives the cost per
   connect directly.
2. Events without loss: whether the bpf watch of step 1 reported an overflow of its event
   buffer, at the connect rate reached (two state changes a connect).
3. `watch` CPU at 1 Hz with 10,000 TCP sockets held by portscope-loadgen, poll vs bpf.
4. Cold start (`--steps cold`): the first snapshot at 100,000 sockets held by
   portscope-loadgen, `portscope-cli snapshot --sensor bpf` (owners from the task_file
   iterator) alternated with `--sensor poll` (owners from the /proc/PID/fd walk) and
   `ss -tanp`, five rounds, medians and ratios; then portscope-bench-phases for the owner
   search alone, iterator against /proc walk, in one process.

Every socket is on 127.0.0.0/8; processes started here are stopped by PID.
"""

import argparse
import json
import os
import pathlib
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from perf_suite import (Loadgen, log, median, ours_rows, process_cpu_seconds,  # noqa: E402
                        run_timed, wait_for_settle)


def closed_port():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nobody listens there now
    return port


def connect_rate(seconds, port):
    made = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        attempt = socket.socket()
        try:
            attempt.connect(("127.0.0.1", port))
        except OSError:
            pass
        attempt.close()
        made += 1
    return made / seconds


def program_costs():
    """{program name: (runs, total ns)} of the sensor's loaded programs (bpftool's 15-character
    names), from the kernel's statistics."""
    shown = json.loads(subprocess.run(["bpftool", "prog", "show", "--json"], check=True,
                                      capture_output=True, text=True).stdout)
    costs = {}
    for program in shown:
        name = program.get("name", "")
        if name.startswith("on_") and "run_cnt" in program:
            costs[name] = (program["run_cnt"], program["run_time_ns"])
    return costs


class Watch:
    """portscope-cli watch --sensor MODE at 1 Hz, writing ndjson to a file."""

    def __init__(self, cli, mode, out):
        self.command = [str(cli), "watch", "--interval", "1", "--format", "ndjson",
                        "--sensor", mode]
        self.out = out
        self.process = None

    def __enter__(self):
        self.file = open(self.out, "w")
        self.process = subprocess.Popen(self.command, stdout=self.file, stderr=subprocess.STDOUT)
        time.sleep(3)  # the first polls walk every process
        if self.process.poll() is not None:
            raise RuntimeError("watch ended: " + pathlib.Path(self.out).read_text())
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.file.close()
        return False

    def text(self):
        return pathlib.Path(self.out).read_text()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=pathlib.Path, default=pathlib.Path("build/release"))
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--watch-seconds", type=float, default=30)
    parser.add_argument("--sockets", type=int, default=10000)
    parser.add_argument("--cold-sockets", type=int, default=100000)
    parser.add_argument("--steps", default="connect,steady,cold",
                        help="comma-separated: connect (1 and 2), steady (3), cold (4)")
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("/tmp/portscope-sensor"))
    args = parser.parse_args()
    cli = args.build / "app/cli/portscope-cli"
    loadgen = args.build / "tests/bench/portscope-loadgen"
    args.out.mkdir(parents=True, exist_ok=True)
    steps = set(args.steps.split(","))
    if "connect" in steps:
        run_connects(args, cli)
    if "steady" in steps:
        run_steady(args, cli, loadgen)
    if "cold" in steps:
        run_cold(args, cli, loadgen)


def run_connects(args, cli):

    port = closed_port()
    rates = {"poll": [], "bpf": []}
    lost = False
    stats_path = pathlib.Path("/proc/sys/kernel/bpf_stats_enabled")
    stats_before = stats_path.read_text().strip()
    stats_path.write_text("1")
    per_connect_ns = []
    try:
        for _ in range(5):
            for mode in ("poll", "bpf"):
                with Watch(cli, mode, args.out / f"connect-{mode}.ndjson") as watch:
                    rate = connect_rate(args.seconds, port)
                    rates[mode].append(rate)
                    if mode == "bpf":
                        costs = program_costs()
                        total_ns = sum(ns for _, ns in costs.values())
                        per_connect_ns.append(total_ns / (rate * args.seconds))
                        for name, (runs, ns) in sorted(costs.items()):
                            log(f"  {name}: {runs} runs, {ns / max(runs, 1):.0f} ns each")
                check_watch(watch, mode)
                lost = lost or (mode == "bpf" and "event buffer overflowed" in watch.text())
                log(f"connects/s with {mode}: {rate:.0f}")
    finally:
        stats_path.write_text(stats_before)
    poll_rate, bpf_rate = median(rates["poll"]), median(rates["bpf"])
    cost = median(per_connect_ns)
    print(f"connect rate: poll {poll_rate:.0f}/s, bpf {bpf_rate:.0f}/s (medians of 5, noisy)")
    print(f"sensor programs: {cost:.0f} ns per refused connect, "
          f"{100 * cost * poll_rate / 1e9:.1f}% of a connect at the poll-mode rate")
    print(f"events: {2 * bpf_rate:.0f} state changes/s at 1 Hz, "
          f"{'loss reported' if lost else 'no loss reported'}")


def check_watch(watch, mode):
    if f'"sensor":"{mode}"' not in watch.text():
        raise RuntimeError(f"the {mode} watch did not run the {mode} sensor:\n" +
                           watch.text()[:2000])


def run_steady(args, cli, loadgen):
    with Loadgen(loadgen, args.sockets, processes=20):
        for mode in ("poll", "bpf"):
            with Watch(cli, mode, args.out / f"steady-{mode}.ndjson") as watch:
                before = process_cpu_seconds(watch.process.pid)
                started = time.monotonic()
                time.sleep(args.watch_seconds)
                used = process_cpu_seconds(watch.process.pid) - before
                elapsed = time.monotonic() - started
            print(f"watch at {args.sockets} sockets, {mode}: "
                  f"{100 * used / elapsed:.2f}% of a core")


def run_cold(args, cli, loadgen, rounds=5):
    commands = {
        "portscope-cli snapshot --sensor bpf (iterator)": [str(cli), "snapshot", "--sensor", "bpf"],
        "portscope-cli snapshot --sensor poll (/proc walk)": [str(cli), "snapshot", "--sensor",
                                                              "poll"],
        "ss -tanp": ["ss", "-tanp"],
    }
    walls = {name: [] for name in commands}
    with Loadgen(loadgen, args.cold_sockets, processes=20):
        wait_for_settle()
        for repetition in range(rounds):
            for name, command in commands.items():
                out = args.out / "cold.txt"
                run = run_timed(command, out, timeout=600)
                if run["exit"] != 0:
                    raise RuntimeError(f"{name} failed with {run['exit']}")
                walls[name].append(run["wall_s"])
                rows = ours_rows(out)[0] if name.startswith("portscope") else None
                log(f"  cold {repetition}: {name} {run['wall_s']:.3f}s"
                    + (f" ({rows} tcp rows)" if rows is not None else ""))
        phases = subprocess.run([str(args.build / "tests/bench/portscope-bench-phases"),
                                 "--rounds", "3", "--warm-ticks", "2"],
                                capture_output=True, text=True)
    ss = median(walls["ss -tanp"])
    print(f"first snapshot at {args.cold_sockets} sockets (medians of {rounds}):")
    for name, values in walls.items():
        print(f"  {name}: {median(values):.3f} s = {median(values) / ss:.3f} x ss -tanp "
              f"(range {min(values):.3f}-{max(values):.3f})")
    print("owner search alone (portscope-bench-phases; wall, CPU, min CPU):")
    for line in phases.stdout.splitlines():
        if "owners" in line or "iterator" in line or "sockets" in line:
            print("  " + line)


if __name__ == "__main__":
    main()
