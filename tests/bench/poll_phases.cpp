// portscope-bench-phases: times each step of a Linux poll against the live system, so that a
// slow whole-process figure can be traced to the step that costs it. A "cold" round builds
// every object afresh (what `portscope-cli snapshot` does); a "warm" round reuses them (what
// each tick of `watch` does).
//
//   portscope-bench-phases [--rounds N] [--warm-ticks N]
//
// Prints one line per step with the median over the rounds, in milliseconds.

#include "linux/owners.h"
#include "linux/socket_diag.h"

#include "portscope/core/export.h"
#include "portscope/core/findings_engine.h"
#include "portscope/core/tracker.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
namespace core = portscope::core;
namespace linuxsys = portscope::platform::linuxsys;

double millisecondsSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double median(std::vector<double> values) {
    if (values.empty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    const std::size_t middle = values.size() / 2;
    return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

// Step name -> one time per round, in the order steps first ran.
class PhaseTimes {
public:
    void add(const std::string& step, double ms) {
        if (times_.find(step) == times_.end()) {
            order_.push_back(step);
        }
        times_[step].push_back(ms);
    }
    void print() const {
        for (const auto& step : order_) {
            const auto& values = times_.at(step);
            std::printf("%-34s median %9.1f ms  min %9.1f ms  (n=%zu)\n", step.c_str(),
                        median(values), *std::min_element(values.begin(), values.end()),
                        values.size());
        }
    }

private:
    std::vector<std::string> order_;
    std::map<std::string, std::vector<double>> times_;
};

long argumentValue(int argc, char** argv, const std::string& name, long fallback) {
    for (int i = 1; i + 1 < argc; ++i) {
        if (argv[i] == name) {
            return std::strtol(argv[i + 1], nullptr, 10);
        }
    }
    return fallback;
}

core::Snapshot pollOnce(linuxsys::SockDiagSocket& diag, linuxsys::OwnerResolver& owners,
                        linuxsys::ProcessDetailsCache& details, PhaseTimes& times,
                        const std::string& prefix) {
    core::Snapshot snapshot;
    std::string error;
    auto start = Clock::now();
    if (!diag.dumpAll(snapshot.sockets, &error)) {
        std::fprintf(stderr, "dump failed: %s\n", error.c_str());
    }
    times.add(prefix + "sock_diag dump", millisecondsSince(start));

    start = Clock::now();
    const auto ownerCounts = owners.resolve(snapshot.sockets);
    times.add(prefix + "owners (inode->pid)", millisecondsSince(start));

    start = Clock::now();
    snapshot.processes = details.collect(ownerCounts);
    times.add(prefix + "process details", millisecondsSince(start));
    snapshot.steadyNs = Clock::now().time_since_epoch().count();
    return snapshot;
}

} // namespace

int main(int argc, char** argv) {
    const long rounds = std::max(1L, argumentValue(argc, argv, "--rounds", 5));
    const long warmTicks = std::max(1L, argumentValue(argc, argv, "--warm-ticks", 5));
    PhaseTimes times;
    std::size_t sockets = 0;

    for (long round = 0; round < rounds; ++round) {
        const auto coldStart = Clock::now();
        std::string error;
        auto diag = linuxsys::SockDiagSocket::open(&error);
        if (!diag) {
            std::fprintf(stderr, "portscope-bench-phases: %s\n", error.c_str());
            return 1;
        }
        linuxsys::OwnerResolver owners;
        linuxsys::ProcessDetailsCache details;
        core::Tracker tracker;
        core::FindingsEngine findings;

        auto snapshot = pollOnce(*diag, owners, details, times, "cold ");
        sockets = snapshot.sockets.size();
        auto start = Clock::now();
        auto update = tracker.apply(snapshot);
        times.add("cold tracker apply", millisecondsSince(start));
        start = Clock::now();
        findings.evaluate(const_cast<core::Update&>(*update));
        times.add("cold findings", millisecondsSince(start));
        start = Clock::now();
        const auto rows = core::exportRowsOf(*update);
        const auto csv = core::connectionsCsv(rows);
        times.add("cold csv export (in memory)", millisecondsSince(start));
        times.add("cold total", millisecondsSince(coldStart));

        for (long tick = 0; tick < warmTicks; ++tick) {
            const auto tickStart = Clock::now();
            snapshot = pollOnce(*diag, owners, details, times, "warm ");
            start = Clock::now();
            update = tracker.apply(snapshot);
            times.add("warm tracker apply", millisecondsSince(start));
            start = Clock::now();
            findings.evaluate(const_cast<core::Update&>(*update));
            times.add("warm findings", millisecondsSince(start));
            times.add("warm total", millisecondsSince(tickStart));
            const auto& stats = owners.stats();
            std::fprintf(stderr,
                         "  warm tick: walked %d full %d unknown %zu processes %zu fds read %zu "
                         "skipped %zu\n",
                         stats.lastWalked, stats.lastFull, stats.lastUnknownInodes,
                         stats.lastProcessesScanned, stats.lastFdsRead, stats.lastFdsSkipped);
        }
        // Each of the four dumps alone, to see what a family or protocol with few sockets costs.
        for (const auto protocol : {core::Protocol::Tcp, core::Protocol::Udp}) {
            for (const auto family : {core::Family::V4, core::Family::V6}) {
                std::vector<core::Socket> sockets;
                sockets.reserve(snapshot.sockets.size());
                std::string error;
                start = Clock::now();
                diag->dump(protocol, family, sockets, &error);
                times.add("dump " + std::string(core::toString(protocol)) + " v" +
                              std::string(core::toString(family)) + " (" +
                              std::to_string(sockets.size()) + ")",
                          millisecondsSince(start));
            }
        }
        std::fprintf(stderr, "round %ld: %zu sockets, owner walks %llu, fds read %llu\n", round,
                     sockets, static_cast<unsigned long long>(owners.stats().walks),
                     static_cast<unsigned long long>(owners.stats().fdsRead));
    }
    std::printf("%zu sockets, %ld rounds, %ld warm ticks per round\n", sockets, rounds, warmTicks);
    times.print();
    return 0;
}
