#!/usr/bin/env python3
"""Before/after comparison of two builds of the same command, run alternately so that the
load of a shared machine falls on both alike. Reports medians of wall time, CPU time (user +
system) and minor page faults, and the after/before ratio of each.

  ab_compare.py --before OLD/portscope-cli --after NEW/portscope-cli --runs 9 -- snapshot

The arguments after "--" go to both. Output is discarded; a non-zero exit is reported.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time


def run_once(binary, arguments):
    started = time.perf_counter()
    child = subprocess.Popen([binary] + arguments, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    return {
        "wall_s": time.perf_counter() - started,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "faults": usage.ru_minflt,
        "max_rss_mb": usage.ru_maxrss / 1024,
        "exit": os.waitstatus_to_exitcode(status),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", required=True)
    parser.add_argument("--after", required=True)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("arguments", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    arguments = args.arguments[1:] if args.arguments[:1] == ["--"] else args.arguments
    results = {"before": [], "after": []}
    for run in range(args.runs):
        # Alternate which goes first, so neither always follows the other.
        order = ("before", "after") if run % 2 == 0 else ("after", "before")
        for name in order:
            result = run_once(getattr(args, name), arguments)
            if result["exit"] != 0:
                print(f"{name} run {run} exited with {result['exit']}", file=sys.stderr)
            results[name].append(result)
    print(f"{'':8} {'wall s':>9} {'cpu s':>9} {'faults':>9} {'max rss MB':>11}   (medians of "
          f"{args.runs})")
    medians = {}
    for name in ("before", "after"):
        medians[name] = {key: statistics.median(r[key] for r in results[name])
                         for key in ("wall_s", "cpu_s", "faults", "max_rss_mb")}
        m = medians[name]
        print(f"{name:8} {m['wall_s']:9.3f} {m['cpu_s']:9.3f} {m['faults']:9.0f} "
              f"{m['max_rss_mb']:11.1f}")
    ratio = {key: medians["after"][key] / medians["before"][key]
             for key in medians["before"] if medians["before"][key]}
    print(f"{'after/before':8} {ratio.get('wall_s', 0):5.2f} {ratio.get('cpu_s', 0):9.2f} "
          f"{ratio.get('faults', 0):9.2f} {ratio.get('max_rss_mb', 0):11.2f}")
    with open("/proc/loadavg") as f:
        print("load average:", " ".join(f.read().split()[:3]))


if __name__ == "__main__":
    main()
