// The core tick without the OS: the tracker's diff, rates, totals and history plus the
// findings rules, over synthetic snapshots of 1k, 10k and 100k sockets.
//
// Target (issue 5): a steady core tick at 100k sockets under 30 ms.

#include "portscope/core/findings_engine.h"
#include "portscope/core/tracker.h"
#include "synthetic_system.h"

#include <benchmark/benchmark.h>
#include <memory>

namespace {

using portscope::bench::SyntheticSystem;
namespace core = portscope::core;

constexpr std::size_t kProcesses = 50;

void setSocketCounters(benchmark::State& state) {
    state.counters["sockets"] = static_cast<double>(state.range(0));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

// One tick as the engine runs it: tracker, then rules. `churn` is the fraction of sockets
// replaced between two ticks.
void runTicks(benchmark::State& state, double churn) {
    SyntheticSystem system(static_cast<std::size_t>(state.range(0)), kProcesses);
    core::Tracker tracker;
    core::FindingsEngine findings;
    // Warm-up: the first tick builds the tables and the second gives every row a rate; under
    // churn, tombstones pile up for `tombstoneTicks` and the tables grow to their working
    // size, which takes a dozen ticks. What follows is the steady state.
    for (int i = 0; i < 12; ++i) {
        auto update = tracker.apply(system.snapshot());
        findings.evaluate(*update);
        system.advance(churn);
    }
    std::size_t rows = 0;
    for (auto _ : state) {
        auto update = tracker.apply(system.snapshot());
        findings.evaluate(*update);
        rows = update->connections.size();
        benchmark::DoNotOptimize(update);
        state.PauseTiming();
        update.reset();
        system.advance(churn);
        state.ResumeTiming();
    }
    state.counters["rows"] = static_cast<double>(rows);
    setSocketCounters(state);
}

void BM_CoreTickSteady(benchmark::State& state) {
    runTicks(state, 0.0);
}

void BM_CoreTickChurn10(benchmark::State& state) {
    runTicks(state, 0.10);
}

// The tracker alone, steady: the part of the tick the issue calls "diff, rates, history".
void BM_TrackerApplySteady(benchmark::State& state) {
    SyntheticSystem system(static_cast<std::size_t>(state.range(0)), kProcesses);
    core::Tracker tracker;
    for (int i = 0; i < 2; ++i) {
        tracker.apply(system.snapshot());
        system.advance(0);
    }
    for (auto _ : state) {
        auto update = tracker.apply(system.snapshot());
        benchmark::DoNotOptimize(update);
        state.PauseTiming();
        update.reset();
        system.advance(0);
        state.ResumeTiming();
    }
    setSocketCounters(state);
}

// The rules alone over one steady update.
void BM_FindingsSteady(benchmark::State& state) {
    SyntheticSystem system(static_cast<std::size_t>(state.range(0)), kProcesses);
    core::Tracker tracker;
    core::FindingsEngine findings;
    std::shared_ptr<core::Update> update;
    for (int i = 0; i < 3; ++i) {
        update = tracker.apply(system.snapshot());
        findings.evaluate(*update);
        system.advance(0);
    }
    for (auto _ : state) {
        state.PauseTiming();
        update = tracker.apply(system.snapshot());
        system.advance(0);
        state.ResumeTiming();
        findings.evaluate(*update);
    }
    setSocketCounters(state);
}

// The first tick of a fresh process (what `portscope-cli snapshot` pays): every row is new
// and every table is built.
void BM_CoreTickFirst(benchmark::State& state) {
    SyntheticSystem system(static_cast<std::size_t>(state.range(0)), kProcesses);
    for (auto _ : state) {
        core::Tracker tracker;
        core::FindingsEngine findings;
        auto update = tracker.apply(system.snapshot());
        findings.evaluate(*update);
        benchmark::DoNotOptimize(update);
    }
    setSocketCounters(state);
}

void socketCounts(benchmark::internal::Benchmark* benchmark) {
    benchmark->Arg(1'000)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);
}

BENCHMARK(BM_CoreTickSteady)->Apply(socketCounts);
BENCHMARK(BM_CoreTickChurn10)->Apply(socketCounts);
BENCHMARK(BM_TrackerApplySteady)->Apply(socketCounts);
BENCHMARK(BM_FindingsSteady)->Apply(socketCounts);
BENCHMARK(BM_CoreTickFirst)->Apply(socketCounts);

} // namespace

BENCHMARK_MAIN();
