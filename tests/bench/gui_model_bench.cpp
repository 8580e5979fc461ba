// The GUI models applying one tick: 10k rows, steady or with 10% of the connections replaced
// per tick, bare and behind the sorting proxy the views use. Updates come from the real
// tracker over synthetic snapshots; only applyUpdate() (and the proxy's reaction) is timed.
//
// Runs offscreen; no window is shown.

#include "connection_filter_proxy.h"
#include "connection_table_model.h"
#include "portscope/core/tracker.h"
#include "process_tree_model.h"
#include "synthetic_system.h"

#include <QApplication>
#include <benchmark/benchmark.h>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace {

using portscope::bench::SyntheticSystem;
namespace core = portscope::core;
namespace gui = portscope::gui;

constexpr std::size_t kProcesses = 50;

// VmRSS of this process in KiB.
long residentKb() {
    long kb = -1;
    if (FILE* status = std::fopen("/proc/self/status", "re")) {
        char line[256];
        while (std::fgets(line, sizeof line, status) != nullptr) {
            if (std::sscanf(line, "VmRSS: %ld kB", &kb) == 1) {
                break;
            }
        }
        std::fclose(status);
    }
    return kb;
}

enum class ProxyMode {
    None,
    Dynamic,  // as the views use it: the proxy re-sorts on every insert and change
    SortOnce, // for comparison: dynamic sorting off, one sort after each update
};

// Feeds a model the updates of a tracker following a synthetic system.
template <typename Model>
void runModelTicks(benchmark::State& state, double churn, ProxyMode mode) {
    const bool withProxy = mode != ProxyMode::None;
    SyntheticSystem system(static_cast<std::size_t>(state.range(0)), kProcesses);
    core::Tracker tracker;
    Model model;
    std::unique_ptr<gui::ConnectionFilterProxy> proxy;
    if (withProxy) {
        proxy = std::make_unique<gui::ConnectionFilterProxy>();
        proxy->setUpdateModel(&model);
        proxy->sort(0, Qt::AscendingOrder);
        if (mode == ProxyMode::SortOnce) {
            proxy->setDynamicSortFilter(false);
        }
    }
    const long before = residentKb();
    // The first update resets the model; a few more give every row its steady shape.
    for (int i = 0; i < 3; ++i) {
        model.applyUpdate(tracker.apply(system.snapshot()));
        system.advance(churn);
    }
    for (auto _ : state) {
        state.PauseTiming();
        auto update = tracker.apply(system.snapshot());
        system.advance(churn);
        state.ResumeTiming();
        model.applyUpdate(update);
        if (mode == ProxyMode::SortOnce) {
            proxy->invalidate();
        }
    }
    state.counters["rows"] = model.rowCount();
    state.counters["model_rss_mb"] = static_cast<double>(residentKb() - before) / 1024.0;
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

void BM_TableModelSteady(benchmark::State& state) {
    runModelTicks<gui::ConnectionTableModel>(state, 0.0, ProxyMode::None);
}
void BM_TableModelChurn10(benchmark::State& state) {
    runModelTicks<gui::ConnectionTableModel>(state, 0.10, ProxyMode::None);
}
void BM_TableModelSteadySortedProxy(benchmark::State& state) {
    runModelTicks<gui::ConnectionTableModel>(state, 0.0, ProxyMode::Dynamic);
}
void BM_TableModelChurn10SortedProxy(benchmark::State& state) {
    runModelTicks<gui::ConnectionTableModel>(state, 0.10, ProxyMode::Dynamic);
}
void BM_TableModelChurn10ProxySortedOnce(benchmark::State& state) {
    runModelTicks<gui::ConnectionTableModel>(state, 0.10, ProxyMode::SortOnce);
}
void BM_TreeModelSteady(benchmark::State& state) {
    runModelTicks<gui::ProcessTreeModel>(state, 0.0, ProxyMode::None);
}
void BM_TreeModelChurn10(benchmark::State& state) {
    runModelTicks<gui::ProcessTreeModel>(state, 0.10, ProxyMode::None);
}
void BM_TreeModelChurn10SortedProxy(benchmark::State& state) {
    runModelTicks<gui::ProcessTreeModel>(state, 0.10, ProxyMode::Dynamic);
}

void rows(benchmark::internal::Benchmark* benchmark) {
    benchmark->Arg(1'000)->Arg(10'000)->Unit(benchmark::kMillisecond);
}

BENCHMARK(BM_TableModelSteady)->Apply(rows);
BENCHMARK(BM_TableModelChurn10)->Apply(rows);
BENCHMARK(BM_TableModelSteadySortedProxy)->Apply(rows);
BENCHMARK(BM_TableModelChurn10SortedProxy)->Apply(rows);
BENCHMARK(BM_TableModelChurn10ProxySortedOnce)->Apply(rows);
BENCHMARK(BM_TreeModelSteady)->Apply(rows);
BENCHMARK(BM_TreeModelChurn10)->Apply(rows);
BENCHMARK(BM_TreeModelChurn10SortedProxy)->Apply(rows);

} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication application(argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 1;
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
