// The whole GUI at a large connection count: the main window, shown (offscreen), monitoring a
// synthetic system of 105,000 connections at one poll a second, with connections opening and
// closing. After a warm-up it measures, over a window of real time:
//
// - the GUI thread's CPU time per shown update (models, proxies, views, panels and their
//   repaints) and, at one update a second, the share of a core that makes;
// - the whole process's share of a core (adds the engine thread: tracker, findings and the
//   copying of the synthetic snapshot, which stands in for the kernel's dump);
// - resident memory now (VmRSS) and at its peak (VmHWM), and how much of it the heap holds.
//
//   portscope-bench-gui-load [--connections N] [--processes N] [--churn-per-second N]
//                            [--seconds N] [--warmup-seconds N] [--view table|tree]
//
// Prints one JSON object. Runs offscreen unless QT_QPA_PLATFORM says otherwise; settings go
// to Qt's test locations, never the user's.

#include "allocator_tuning.h"
#include "main_window.h"
#include "portscope/core/snapshot_source.h"
#include "portscope/core/update.h"
#include "portscope/platform/system.h"
#include "synthetic_system.h"
#include "system_actions.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTest>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <malloc.h>
#include <memory>
#include <mutex>
#include <string>
#include <sys/resource.h>

namespace {

using portscope::bench::SyntheticSystem;
namespace core = portscope::core;
namespace gui = portscope::gui;

struct Options {
    std::size_t connections = 105'000;
    std::size_t processes = 50;
    std::size_t churnPerSecond = 2'000;
    int seconds = 30;
    int warmupSeconds = 8;
    bool tree = false;
};

[[noreturn]] void usage(const char* problem) {
    std::fprintf(stderr,
                 "portscope-bench-gui-load: %s\nusage: portscope-bench-gui-load [--connections N] "
                 "[--processes N] [--churn-per-second N] [--seconds N] [--warmup-seconds N] "
                 "[--view table|tree]\n",
                 problem);
    std::exit(2);
}

std::size_t number(const char* text, std::size_t limit) {
    char* end = nullptr;
    const unsigned long long value = std::strtoull(text, &end, 10);
    if (end == text || *end != '\0' || value > limit) {
        usage("a number is out of range");
    }
    return static_cast<std::size_t>(value);
}

Options parse(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string name = argv[i];
        if (i + 1 >= argc) {
            usage("an option lacks its value");
        }
        const char* value = argv[++i];
        if (name == "--connections") {
            options.connections = number(value, 2'000'000);
        } else if (name == "--processes") {
            options.processes = std::max<std::size_t>(1, number(value, 100'000));
        } else if (name == "--churn-per-second") {
            options.churnPerSecond = number(value, 1'000'000);
        } else if (name == "--seconds") {
            options.seconds = static_cast<int>(std::max<std::size_t>(1, number(value, 3600)));
        } else if (name == "--warmup-seconds") {
            options.warmupSeconds = static_cast<int>(number(value, 3600));
        } else if (name == "--view") {
            const std::string view = value;
            if (view != "table" && view != "tree") {
                usage("--view takes table or tree");
            }
            options.tree = view == "tree";
        } else {
            usage("unknown option");
        }
    }
    return options;
}

// A live-looking source over a synthetic system: every poll is the next second of it.
class SyntheticSource final : public core::SnapshotSource {
public:
    explicit SyntheticSource(const Options& options)
        : system_(options.connections, options.processes),
          churn_(static_cast<double>(options.churnPerSecond) /
                 static_cast<double>(std::max<std::size_t>(1, options.connections))) {}

    std::optional<core::Snapshot> poll() override {
        core::Snapshot snapshot = system_.snapshot();
        system_.advance(churn_);
        return snapshot;
    }
    std::string name() const override { return "synthetic"; }

private:
    SyntheticSystem system_;
    double churn_;
};

double cpuSeconds(int who) {
    rusage usage{};
    getrusage(who, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// A "VmRSS:" or "VmHWM:" line of /proc/self/status, in MB; -1 when absent.
double statusMb(const char* field) {
    const long kb = portscope::testing::selfStatusKb(field);
    return kb < 0 ? -1.0 : static_cast<double>(kb) / 1024.0;
}

// What the allocator has handed out and not had back, in MB: the rest of the resident memory
// is code, the allocator's free lists and pages it has not returned.
double heapInUseMb() {
    const struct mallinfo2 info = mallinfo2();
    return static_cast<double>(info.uordblks + info.hblkhd) / (1024.0 * 1024.0);
}

} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QStandardPaths::setTestModeEnabled(true);
    // As portscope's main() does.
    portscope::platform::installLargeBufferAdvice();
    portscope::gui::returnLargeBlocksToTheSystem();
    QApplication application(argc, argv);
    const Options options = parse(argc, argv);
    const double rssBeforeMb = statusMb("VmRSS:");

    gui::MainWindow window(gui::SystemActions{});
    window.resize(1280, 800);
    window.setGrouped(options.tree);
    window.show();
    std::uint64_t shown = 0;
    QObject::connect(&window, &gui::MainWindow::updateShown, [&shown] { ++shown; });
    if (!window.openSource(std::make_unique<SyntheticSource>(options))) {
        std::fputs("portscope-bench-gui-load: the engine refused the source\n", stderr);
        return 1;
    }
    window.setIntervalMs(1000);
    QTest::qWait(options.warmupSeconds * 1000);

    const std::uint64_t shownBefore = shown;
    const double threadBefore = cpuSeconds(RUSAGE_THREAD);
    const double processBefore = cpuSeconds(RUSAGE_SELF);
    QElapsedTimer wall;
    wall.start();
    QTest::qWait(options.seconds * 1000);
    const double wallSeconds = static_cast<double>(wall.nsecsElapsed()) / 1e9;
    const double threadSeconds = cpuSeconds(RUSAGE_THREAD) - threadBefore;
    const double processSeconds = cpuSeconds(RUSAGE_SELF) - processBefore;
    const std::uint64_t updates = shown - shownBefore;
    const auto rows = window.latestUpdate() ? window.latestUpdate()->connections.size() : 0;

    std::printf("{\"view\":\"%s\",\"connections\":%zu,\"processes\":%zu,\"churn_per_s\":%zu,"
                "\"rows\":%zu,\"seconds\":%.1f,\"updates\":%llu,"
                "\"gui_thread_ms_per_update\":%.2f,\"gui_thread_core_percent\":%.2f,"
                "\"process_core_percent\":%.2f,\"rss_mb\":%.1f,\"peak_rss_mb\":%.1f,"
                "\"heap_in_use_mb\":%.1f,\"rss_at_start_mb\":%.1f}\n",
                options.tree ? "tree" : "table", options.connections, options.processes,
                options.churnPerSecond, rows, wallSeconds, static_cast<unsigned long long>(updates),
                updates > 0 ? threadSeconds * 1000.0 / static_cast<double>(updates) : 0.0,
                100.0 * threadSeconds / wallSeconds, 100.0 * processSeconds / wallSeconds,
                statusMb("VmRSS:"), statusMb("VmHWM:"), heapInUseMb(), rssBeforeMb);
    return 0;
}
