#!/usr/bin/env python3
"""Summarises a run of tests/bench/run-all.sh as the Markdown tables of docs/performance.md.

  report.py OUT_DIR      (reads results.json, core_bench.json, gui_bench.json and
                          gui_load.jsonl there)
"""

import json
import sys
from pathlib import Path


def load(path):
    return json.loads(path.read_text()) if path.exists() else {}


def bench_times(path):
    """name -> (real ms, cpu ms) of the median aggregate (or the single run)."""
    data = load(path)
    times = {}
    for entry in data.get("benchmarks", []):
        name = entry.get("run_name", entry["name"])
        if entry.get("aggregate_name") not in (None, "median"):
            continue
        scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[entry.get("time_unit", "ns")]
        times[name] = (entry["real_time"] * scale, entry["cpu_time"] * scale, entry)
    return times


def load_lines(path):
    """One JSON object per line (portscope-bench-gui-load), by its "view"."""
    if not path.exists():
        return {}
    runs = (json.loads(line) for line in path.read_text().splitlines() if line.startswith("{"))
    return {run["view"]: run for run in runs}


def fmt(value, digits=2, unit=""):
    if value is None:
        return "–"
    return f"{value:.{digits}f}{unit}"


def verdict(ok):
    if ok is None:
        return "not measured"
    return "met" if ok else "**missed**"


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "build/release/perf-results")
    results = load(out / "results.json")
    core = bench_times(out / "core_bench.json")
    gui = bench_times(out / "gui_bench.json")
    gui_load = load_lines(out / "gui_load.jsonl")
    machine = results.get("machine", {})
    lines = []
    add = lines.append

    add(f"Machine: {machine.get('cpu', '?')}, {machine.get('cores', '?')} cores, kernel "
        f"{machine.get('kernel', '?')}, {machine.get('memory_kb', 0) // 1024} MB RAM. "
        f"Load average at start {machine.get('load_at_start')}, at end "
        f"{machine.get('load_at_end')}. Run started {machine.get('started', '?')}.")
    add("")

    peers = results.get("peers", {})
    steady = results.get("steady", {})
    big = peers.get("100000", {}).get("summary", {})
    first_ratio = big.get("ss -tanp", {}).get("ratio")
    steady_big = steady.get("100000/churn0", {})
    steady_small = steady.get("10000/churn0", {})
    core_tick = core.get("BM_CoreTickSteady/100000")
    core_churn = core.get("BM_CoreTickChurn10/100000")
    cli_rss = [peers.get("100000", {}).get("ours_all", {}).get("max_rss_kb"),
               steady_big.get("max_rss_kb")]
    cli_rss = max([r for r in cli_rss if r] or [0]) / 1024 or None
    gui_result = results.get("gui", {})
    gui_rss = (gui_result.get("rss_kb_peak") or 0) / 1024 or None
    soak = results.get("soak", {})
    churn = results.get("churn", {})

    add("| Target | Limit | Measured | Verdict |")
    add("|---|---|---|---|")
    add(f"| First snapshot with owners, 100k sockets | ≤ 0.15 × `ss -tanp` | "
        f"{fmt(first_ratio)} × ({fmt(big.get('ss -tanp', {}).get('ours_median_s'))} s vs "
        f"{fmt(big.get('ss -tanp', {}).get('peer_median_s'))} s) | "
        f"{verdict(None if first_ratio is None else first_ratio <= 0.15)} |")
    ratio = steady_big.get("tick_to_ss_ratio")
    add(f"| Steady tick with owners, 100k, no churn | ≤ 0.05 × `ss -tanp` | {fmt(ratio, 3)} × "
        f"({fmt(steady_big.get('tick_ms_median'), 0)} ms vs "
        f"{fmt(steady_big.get('ss_tanp_median_s'))} s) | "
        f"{verdict(None if ratio is None else ratio <= 0.05)} |")
    add(f"| Core tick, 100k sockets | < 30 ms | {fmt(core_tick and core_tick[0], 1)} ms steady, "
        f"{fmt(core_churn and core_churn[0], 1)} ms with 10% churn (wall; CPU "
        f"{fmt(core_tick and core_tick[1], 1)} / {fmt(core_churn and core_churn[1], 1)} ms) | "
        f"{verdict(None if not core_tick else core_tick[0] < 30)} |")
    cpu = steady_small.get("cpu_percent_of_core")
    add(f"| `watch` at 1 Hz, 10k sockets | < 2% of a core | {fmt(cpu)}% | "
        f"{verdict(None if cpu is None else cpu < 2)} |")
    add(f"| CLI memory, 100k sockets | < 200 MB RSS | {fmt(cli_rss, 0)} MB peak | "
        f"{verdict(None if cli_rss is None else cli_rss < 200)} |")
    table_view = gui.get("BM_TableViewChurn10Sorted/10000")
    tree_view = gui.get("BM_TreeViewChurn10Sorted/10000")
    # CPU time: the view benchmarks' wall time also counts whatever else the machine ran.
    slowest = max([t[1] for t in (table_view, tree_view) if t] or [0]) or None
    add(f"| GUI tick, 10k rows, 10% churn, with a shown view and its repaint | < 10 ms | "
        f"table {fmt(table_view and table_view[1], 1)} ms, tree "
        f"{fmt(tree_view and tree_view[1], 1)} ms (CPU) | "
        f"{verdict(None if slowest is None else slowest < 10)} |")
    if gui_load:
        runs = [gui_load.get(view) for view in ("table", "tree")]
        busiest = max(r["gui_thread_core_percent"] for r in runs if r)
        heaviest = max(r["peak_rss_mb"] for r in runs if r)
        described = "; ".join(
            f"{view}: {fmt(r['gui_thread_core_percent'], 1)}% ({fmt(r['gui_thread_ms_per_update'], 0)}"
            f" ms an update; whole process {fmt(r['process_core_percent'], 1)}%), "
            f"{fmt(r['rss_mb'], 0)} MB, peak {fmt(r['peak_rss_mb'], 0)} MB"
            for view, r in zip(("table", "tree"), runs) if r)
        connections = next(r["connections"] for r in runs if r)
        add(f"| GUI at {connections:,} connections, 1 Hz | "
            f"< 10% of a core, < 200 MB | {described} | "
            f"{verdict(busiest < 10 and heaviest < 200)} |")
    else:
        add("| GUI at 105k connections, 1 Hz | < 10% of a core, < 200 MB | not run | "
            "not measured |")
    add(f"| GUI memory, 10k rows | < 150 MB RSS | {fmt(gui_rss, 0)} MB peak | "
        f"{verdict(None if gui_rss is None else gui_rss < 150)} |")
    if soak:
        # Tables, pools and the TIME_WAIT rows of the churn reach their working size in the
        # first minutes; growth is judged over the second half of the run.
        series = soak.get("rss_kb_series") or []
        seconds = soak.get("seconds", 0)
        half = [r for t, r in series if t >= seconds / 2]
        start, end = soak.get("rss_kb_at_1min"), soak.get("rss_kb_at_end")
        growth = (end - half[0]) / 1024 if half and end else None
        add(f"| No growth, 10 min with churn | flat RSS | {fmt(start and start / 1024, 1)} MB at "
            f"1 min, {fmt(half and half[0] / 1024, 1)} MB at {seconds // 120} min, "
            f"{fmt(end and end / 1024, 1)} MB at {seconds // 60} min "
            f"({fmt(growth, 1)} MB over the second half) | "
            f"{verdict(None if growth is None else growth <= 1)} |")
    else:
        add("| No growth, 10 min with churn | flat RSS | not run (--quick) | not measured |")
    if churn:
        made, caught = churn.get("connections_made"), churn.get("server_sockets_reported_closed")
        stale = (churn.get("server_rows_left_open_at_end") or 0) + sum(
            (churn.get("client_rows_left_open_at_end_by_state") or {}).values())
        ok = (made is not None and caught is not None and caught >= made and stale == 0
              and churn.get("watch_exit") == 0)
        add(f"| Churn {churn.get('rate_per_s')}/s for {churn.get('seconds')} s | every close "
            f"reported, no stale rows, no crash | {caught} reported closed of {made} made "
            f"({churn.get('caught_only_by_close_event')} only through close events); "
            f"{stale} rows on the churn port still open once the kernel had none; exit "
            f"{churn.get('watch_exit')} | {verdict(ok)} |")
    add("")

    if peers:
        add("Whole process, cold start (medians; each peer alternated with `portscope-cli "
            "snapshot`):")
        add("")
        add("| Sockets | Peer | Peer wall s | Ours wall s | Ratio | Peer CPU s | Ours CPU s | "
            "Peer rows | Our TCP rows |")
        add("|---|---|---|---|---|---|---|---|---|")
        for size, entry in peers.items():
            for peer, s in entry.get("summary", {}).items():
                add(f"| {int(size):,} | `{peer}` | {fmt(s['peer_median_s'])} | "
                    f"{fmt(s['ours_median_s'])} | {fmt(s['ratio'])} | "
                    f"{fmt(s['peer_cpu_median_s'])} | {fmt(s['ours_cpu_median_s'])} | "
                    f"{s['peer_rows_median']:.0f} | {s['ours_rows_median']:.0f} |")
        add("")

    if steady:
        add("`portscope-cli watch --interval 1`, 60 s (the engine's own tick = poll + track):")
        add("")
        add("| Sockets / churn | Tick median ms | p95 ms | max ms | Poll ms | Track ms | "
            "CPU % of a core | Peak RSS MB | Rows |")
        add("|---|---|---|---|---|---|---|---|---|")
        for key, s in steady.items():
            add(f"| {key} | {fmt(s.get('tick_ms_median'), 1)} | {fmt(s.get('tick_ms_p95'), 1)} | "
                f"{fmt(s.get('tick_ms_max'), 1)} | {fmt(s.get('poll_ms_median'), 1)} | "
                f"{fmt(s.get('track_ms_median'), 1)} | {fmt(s.get('cpu_percent_of_core'))} | "
                f"{fmt((s.get('max_rss_kb') or 0) / 1024, 0)} | "
                f"{fmt(s.get('connections_median'), 0)} |")
        add("")

    for title, times in (("Core microbenchmarks", core), ("GUI model microbenchmarks", gui)):
        if not times:
            continue
        add(f"{title} (median of 3 repetitions):")
        add("")
        add("| Benchmark | Wall ms | CPU ms |")
        add("|---|---|---|")
        for name, (real, cpu_ms, _) in times.items():
            add(f"| {name} | {real:.3f} | {cpu_ms:.3f} |")
        add("")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
