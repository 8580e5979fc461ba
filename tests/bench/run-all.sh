#!/usr/bin/env bash
# Builds the release preset and runs every PortScope performance measurement: the core and
# GUI microbenchmarks, the GUI at 105k connections, then the whole-process suite (peers,
# steady ticks, churn, GUI memory and the 10-minute soak). Takes about 35 minutes; not part
# of CI.
#
#   sudo bash tests/bench/run-all.sh            # everything
#   sudo bash tests/bench/run-all.sh --quick    # without the 10-minute soak
#
# Run as root: owners of other users' sockets are hidden otherwise (from ss, netstat and lsof
# too), and the load generator raises its open-file limit. Needs ss, netstat (net-tools) and
# lsof. All traffic stays on 127.0.0.0/8. Results: $OUT (default build/release/perf-results),
# summarised by tests/bench/report.py into the table docs/performance.md shows.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${PORTSCOPE_BENCH_BUILD_DIR:-$root/build/release}
out=${OUT:-$build/perf-results}
jobs=${JOBS:-2}
suite_args=("$@")

if [[ $(id -u) -ne 0 ]]; then
  echo "run-all.sh: not root; owner lookups of other users' sockets will be incomplete" >&2
fi

# The release preset turns the benchmarks on.
cmake --preset release -S "$root" -B "$build" >/dev/null
targets=(portscope-cli portscope-loadgen portscope-bench-core portscope-bench-phases)
if grep -q '^PORTSCOPE_BUILD_GUI:BOOL=ON' "$build/CMakeCache.txt"; then
  targets+=(portscope portscope-bench-gui portscope-bench-gui-load)
fi
ninja -C "$build" -j"$jobs" "${targets[@]}"

mkdir -p "$out"
rm -f "$out/results.json"
echo "== core tick microbenchmarks" >&2
"$build/tests/bench/portscope-bench-core" --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true --benchmark_out="$out/core_bench.json" \
  --benchmark_out_format=json
if [[ -x "$build/tests/bench/portscope-bench-gui" ]]; then
  echo "== GUI model microbenchmarks" >&2
  "$build/tests/bench/portscope-bench-gui" --benchmark_repetitions=3 \
    --benchmark_report_aggregates_only=true --benchmark_out="$out/gui_bench.json" \
    --benchmark_out_format=json
  echo "== the GUI at 105k connections, 1 Hz" >&2
  for view in table tree; do
    "$build/tests/bench/portscope-bench-gui-load" --view "$view" --seconds 30
  done >"$out/gui_load.jsonl"
fi

echo "== whole-process suite" >&2
python3 "$root/tests/bench/perf_suite.py" --build "$build" --out "$out" "${suite_args[@]}" all

python3 "$root/tests/bench/report.py" "$out"
