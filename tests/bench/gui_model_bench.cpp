// The GUI models applying one tick: 10k rows, steady or with 10% of the connections replaced
// per tick, bare and behind the sorting proxy the views use. Updates come from the real
// tracker over synthetic snapshots; only applyUpdate() (and the proxy's reaction) is timed.
//
// Runs offscreen; no window is shown.

#include "connection_filter_proxy.h"
#include "connection_table_model.h"
#include "connection_view.h"
#include "portscope/core/tracker.h"
#include "process_tree_model.h"
#include "row_format.h"
#include "self_status.h"
#include "synthetic_system.h"

#include <QApplication>
#include <QTreeView>
#include <benchmark/benchmark.h>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <type_traits>

namespace {

using portscope::bench::SyntheticSystem;
namespace core = portscope::core;
namespace gui = portscope::gui;

constexpr std::size_t kProcesses = 50;

using portscope::testing::residentKb;

enum class ProxyMode {
    None,
    Sorted,       // as the views use it: by the first column, re-sorted after each update
    SortedByRate, // by send rate, highest first: every tick moves rows
};

// With a proxy, a view shows it set up as the main window's (offscreen), so the view's own
// reaction to the model's signals, and its repaint, are part of the measured time.
std::unique_ptr<QTreeView> makeView(QAbstractItemModel* model, bool flat) {
    auto view = std::make_unique<gui::ConnectionView>();
    view->setModel(model);
    view->setUniformRowHeights(true);
    view->setSortingEnabled(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setAllColumnsShowFocus(true);
    view->setRootIsDecorated(!flat);
    view->resize(1200, 800);
    view->show();
    return view;
}

// One update applied, and with a view its repaint.
void applyTick(gui::UpdateModel& model, const std::shared_ptr<const core::Update>& update,
               QTreeView* view) {
    model.applyUpdate(update);
    if (view != nullptr) {
        // What the event loop does before the next paint: lay out the changed rows, repaint.
        view->viewport()->update();
        QCoreApplication::processEvents();
    }
}

// The measured step, on its own so that a profiler can be told to count only it
// (valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*measuredTick*').
[[gnu::noinline]] void measuredTick(gui::UpdateModel& model,
                                    const std::shared_ptr<const core::Update>& update,
                                    QTreeView* view) {
    applyTick(model, update, view);
}

// Feeds a model the updates of a tracker following a synthetic system.
template <typename Model>
void runModelTicks(benchmark::State& state, double churn, ProxyMode mode, bool inView) {
    const bool withProxy = mode != ProxyMode::None;
    SyntheticSystem system(static_cast<std::size_t>(state.range(0)), kProcesses);
    core::Tracker tracker;
    Model model;
    std::unique_ptr<gui::ConnectionFilterProxy> proxy;
    if (withProxy) {
        proxy = std::make_unique<gui::ConnectionFilterProxy>();
        proxy->setUpdateModel(&model);
    }
    std::unique_ptr<QTreeView> view;
    if (withProxy) {
        const int column =
            mode == ProxyMode::SortedByRate ? model.columnOf(gui::Field::SendRate) : 0;
        const auto order =
            mode == ProxyMode::SortedByRate ? Qt::DescendingOrder : Qt::AscendingOrder;
        if (inView) {
            view = makeView(proxy.get(), std::is_same_v<Model, gui::ConnectionTableModel>);
            view->sortByColumn(column, order);
        } else {
            proxy->sort(column, order);
        }
    }
    const long before = residentKb();
    // The first update resets the model; the next ones give every row its steady shape, and
    // with churn, tombstones that expire as others are made (the tracker keeps a closed row
    // for five updates), as in a long-running session.
    for (int i = 0; i < 8; ++i) {
        applyTick(model, tracker.apply(system.snapshot()), view.get());
        system.advance(churn);
    }
    for (auto _ : state) {
        state.PauseTiming();
        auto update = tracker.apply(system.snapshot());
        system.advance(churn);
        state.ResumeTiming();
        measuredTick(model, update, view.get());
    }
    state.counters["rows"] = model.rowCount();
    state.counters["model_rss_mb"] = static_cast<double>(residentKb() - before) / 1024.0;
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

void BM_TableModelSteady(benchmark::State& state) {
    runModelTicks<gui::ConnectionTableModel>(state, 0.0, ProxyMode::None, false);
}
void BM_TableModelChurn10(benchmark::State& state) {
    runModelTicks<gui::ConnectionTableModel>(state, 0.10, ProxyMode::None, false);
}
void BM_TableModelSteadySortedProxy(benchmark::State& state) {
    runModelTicks<gui::ConnectionTableModel>(state, 0.0, ProxyMode::Sorted, false);
}
void BM_TableModelChurn10SortedProxy(benchmark::State& state) {
    runModelTicks<gui::ConnectionTableModel>(state, 0.10, ProxyMode::Sorted, false);
}
void BM_TableModelChurn10SortedByRate(benchmark::State& state) {
    runModelTicks<gui::ConnectionTableModel>(state, 0.10, ProxyMode::SortedByRate, false);
}
void BM_TableViewSteadySorted(benchmark::State& state) {
    runModelTicks<gui::ConnectionTableModel>(state, 0.0, ProxyMode::Sorted, true);
}
void BM_TableViewChurn10Sorted(benchmark::State& state) {
    runModelTicks<gui::ConnectionTableModel>(state, 0.10, ProxyMode::Sorted, true);
}
void BM_TableViewChurn10SortedByRate(benchmark::State& state) {
    runModelTicks<gui::ConnectionTableModel>(state, 0.10, ProxyMode::SortedByRate, true);
}
void BM_TreeModelSteady(benchmark::State& state) {
    runModelTicks<gui::ProcessTreeModel>(state, 0.0, ProxyMode::None, false);
}
void BM_TreeModelChurn10(benchmark::State& state) {
    runModelTicks<gui::ProcessTreeModel>(state, 0.10, ProxyMode::None, false);
}
void BM_TreeModelChurn10SortedProxy(benchmark::State& state) {
    runModelTicks<gui::ProcessTreeModel>(state, 0.10, ProxyMode::Sorted, false);
}

void BM_TreeViewChurn10Sorted(benchmark::State& state) {
    runModelTicks<gui::ProcessTreeModel>(state, 0.10, ProxyMode::Sorted, true);
}

void rows(benchmark::internal::Benchmark* benchmark) {
    benchmark->Arg(1'000)->Arg(10'000)->Unit(benchmark::kMillisecond);
}

BENCHMARK(BM_TableModelSteady)->Apply(rows);
BENCHMARK(BM_TableModelChurn10)->Apply(rows);
BENCHMARK(BM_TableModelSteadySortedProxy)->Apply(rows);
BENCHMARK(BM_TableModelChurn10SortedProxy)->Apply(rows);
BENCHMARK(BM_TableModelChurn10SortedByRate)->Apply(rows);
BENCHMARK(BM_TableViewSteadySorted)->Apply(rows);
BENCHMARK(BM_TableViewChurn10Sorted)->Apply(rows);
BENCHMARK(BM_TableViewChurn10SortedByRate)->Apply(rows);
BENCHMARK(BM_TreeModelSteady)->Apply(rows);
BENCHMARK(BM_TreeModelChurn10)->Apply(rows);
BENCHMARK(BM_TreeModelChurn10SortedProxy)->Apply(rows);
BENCHMARK(BM_TreeViewChurn10Sorted)->Apply(rows);

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
