#!/usr/bin/env python3
"""Before/after comparison of two builds of the same command, run alternately so that the
load of a shared machine falls on both alike. Reports medians of wall time, CPU time (user +
system) and minor page faults, and the after/before ratio of each.

  ab_compare.py --before OLD/portscope-cli --after NEW/portscope-cli --runs 9 -- snapshot
  ab_compare.py --before ... --after ... --runs 4 --ticks -- watch --duration 20

The arguments after "--" go to both. Output is discarded (with --ticks, the tick events of
`watch` are read for the engine's own poll and track times); a non-zero exit is reported.
"""

import json
import tempfile

import argparse
import os
import statistics
import subprocess
import sys
import time


def run_once(binary, arguments, ticks):
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        child = subprocess.Popen([binary] + arguments,
                                 stdout=out if ticks else subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        result = {
            "wall_s": time.perf_counter() - started,
            "cpu_s": usage.ru_utime + usage.ru_stime,
            "faults": usage.ru_minflt,
            "max_rss_mb": usage.ru_maxrss / 1024,
            "exit": os.waitstatus_to_exitcode(status),
        }
        if ticks:
            out.seek(0)
            events = [json.loads(line) for line in out if line.startswith(b'{"event":"tick"')]
            steady = events[2:]  # the first polls list every socket as new
            if steady:
                result["tick_ms"] = statistics.median(e["poll_ms"] + e["track_ms"] for e in steady)
                result["poll_ms"] = statistics.median(e["poll_ms"] for e in steady)
                result["track_ms"] = statistics.median(e["track_ms"] for e in steady)
                result["ticks"] = len(events)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", required=True)
    parser.add_argument("--after", required=True)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--ticks", action="store_true",
                        help="read watch tick events: median poll + track ms per run")
    parser.add_argument("arguments", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    arguments = args.arguments[1:] if args.arguments[:1] == ["--"] else args.arguments
    results = {"before": [], "after": []}
    for run in range(args.runs):
        # Alternate which goes first, so neither always follows the other.
        order = ("before", "after") if run % 2 == 0 else ("after", "before")
        for name in order:
            result = run_once(getattr(args, name), arguments, args.ticks)
            if result["exit"] != 0:
                print(f"{name} run {run} exited with {result['exit']}", file=sys.stderr)
            results[name].append(result)
    keys = ["wall_s", "cpu_s", "faults", "max_rss_mb"]
    if args.ticks:
        keys += ["tick_ms", "poll_ms", "track_ms"]
    print(f"{'':13}" + "".join(f"{key:>12}" for key in keys) + f"   (medians of {args.runs})")
    medians = {}
    for name in ("before", "after"):
        medians[name] = {key: statistics.median(r.get(key, 0) for r in results[name])
                         for key in keys}
        print(f"{name:13}" + "".join(f"{medians[name][key]:12.3f}" for key in keys))
    print(f"{'after/before':13}" +
          "".join(f"{medians['after'][k] / medians['before'][k]:12.2f}" if medians["before"][k]
                  else f"{'-':>12}" for k in keys))
    with open("/proc/loadavg") as f:
        print("load average:", " ".join(f.read().split()[:3]))


if __name__ == "__main__":
    main()
