// portscope-bench-phases: times each step of a Linux poll against the live system, so that a
// slow whole-process figure can be traced to the step that costs it. A "cold" round builds
// every object afresh (what `portscope-cli snapshot` does); a "warm" round reuses them (what
// each tick of `watch` does).
//
//   portscope-bench-phases [--rounds N] [--warm-ticks N] [--interval-ms MS]
//
// Prints one line per step with the median over the rounds, in milliseconds.

#include "linux/bpf_sensor.h"
#include "linux/owners.h"
#include "linux/socket_diag.h"
#include "portscope/core/export.h"
#include "portscope/core/findings_engine.h"
#include "portscope/core/tracker.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
namespace core = portscope::core;
namespace linuxsys = portscope::platform::linuxsys;
namespace common = portscope::platform::common;

// CPU time of this thread: on a machine shared with other work, wall time mostly measures
// the others, CPU time measures us.
struct Stamp {
    Clock::time_point wall;
    timespec cpu;
};

Stamp now() {
    Stamp stamp{Clock::now(), {}};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &stamp.cpu);
    return stamp;
}

struct Elapsed {
    double wallMs;
    double cpuMs;
};

Elapsed since(const Stamp& start) {
    const Stamp end = now();
    return {std::chrono::duration<double, std::milli>(end.wall - start.wall).count(),
            (end.cpu.tv_sec - start.cpu.tv_sec) * 1e3 +
                (end.cpu.tv_nsec - start.cpu.tv_nsec) / 1e6};
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
    void add(const std::string& step, Elapsed elapsed) {
        if (wall_.find(step) == wall_.end()) {
            order_.push_back(step);
        }
        wall_[step].push_back(elapsed.wallMs);
        cpu_[step].push_back(elapsed.cpuMs);
    }
    void print() const {
        std::printf("%-34s %12s %12s %12s\n", "step", "wall median", "cpu median", "cpu min");
        for (const auto& step : order_) {
            const auto& cpu = cpu_.at(step);
            std::printf("%-34s %9.1f ms %9.1f ms %9.1f ms  (n=%zu)\n", step.c_str(),
                        median(wall_.at(step)), median(cpu),
                        *std::min_element(cpu.begin(), cpu.end()), cpu.size());
        }
    }

private:
    std::vector<std::string> order_;
    std::map<std::string, std::vector<double>> wall_;
    std::map<std::string, std::vector<double>> cpu_;
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
                        common::ProcessDetailsCache& details, PhaseTimes& times,
                        const std::string& prefix) {
    core::Snapshot snapshot;
    std::string error;
    auto start = now();
    if (!diag.dumpAll(snapshot.sockets, &error)) {
        std::fprintf(stderr, "dump failed: %s\n", error.c_str());
    }
    times.add(prefix + "sock_diag dump", since(start));

    start = now();
    const auto ownerCounts = owners.resolve(snapshot.sockets);
    times.add(prefix + "owners (inode->pid)", since(start));

    start = now();
    snapshot.processes = details.collect(ownerCounts);
    times.add(prefix + "process details", since(start));
    snapshot.steadyNs = Clock::now().time_since_epoch().count();
    return snapshot;
}

// The owner search's full walk answered by the eBPF sensor's task_file iterator instead of
// /proc/PID/fd, cold (a fresh resolver, as at start-up) and as a forced full rescan of a warm
// one; skipped with a note where the sensor does not load (not root, built without it).
void timeOwnerSearchWithIterator(const std::vector<core::Socket>& dumped, PhaseTimes& times) {
    portscope::core::SystemText whyNot;
    const auto opening = now();
    const auto sensor = linuxsys::BpfSensor::open(&whyNot);
    times.add("sensor open (load and attach)", since(opening));
    if (!sensor || !sensor->listsSocketHolders()) {
        std::fprintf(stderr, "  no task_file iterator: %s\n",
                     sensor ? "the kernel lacks it" : whyNot.english().c_str());
        return;
    }
    std::vector<linuxsys::SocketHolder> holders;
    auto start = now();
    sensor->listSocketHolders(holders);
    times.add("iterator listing only", since(start));
    if (sensor->listsTcpSockets()) {
        // What a poll's TCP dump gives, socket for socket, read through the tcp iterator.
        std::vector<core::Socket> tcp;
        tcp.reserve(dumped.size());
        start = now();
        sensor->listTcpSockets(tcp);
        times.add("TCP IPv4+IPv6 through the tcp iterator", since(start));
    }

    auto source = [&sensor](std::vector<linuxsys::SocketHolder>& found) {
        return sensor->listSocketHolders(found);
    };
    for (const bool iterator : {true, false}) {
        const std::string how = iterator ? "iterator" : "/proc walk";
        linuxsys::OwnerResolver owners;
        if (iterator) {
            owners.setSocketHolderSource(source);
        }
        std::vector<core::Socket> sockets = dumped;
        start = now();
        owners.resolve(sockets);
        times.add("cold owners, " + how, since(start));
        start = now();
        owners.resolve(sockets);
        times.add("warm owners (cache), " + how, since(start));
        owners.requestFullRescan();
        start = now();
        owners.resolve(sockets);
        times.add("full rescan owners, " + how, since(start));
    }
}

} // namespace

int main(int argc, char** argv) {
    const long rounds = std::max(1L, argumentValue(argc, argv, "--rounds", 5));
    const long warmTicks = std::max(1L, argumentValue(argc, argv, "--warm-ticks", 5));
    const long intervalMs = std::max(0L, argumentValue(argc, argv, "--interval-ms", 0));
    PhaseTimes times;
    std::size_t sockets = 0;

    for (long round = 0; round < rounds; ++round) {
        const auto coldStart = now();
        std::string error;
        auto diag = linuxsys::SockDiagSocket::open(&error);
        if (!diag) {
            std::fprintf(stderr, "portscope-bench-phases: %s\n", error.c_str());
            return 1;
        }
        linuxsys::OwnerResolver owners;
        common::ProcessDetailsCache details;
        core::Tracker tracker;
        core::FindingsEngine findings;

        auto snapshot = pollOnce(*diag, owners, details, times, "cold ");
        sockets = snapshot.sockets.size();
        auto start = now();
        auto update = tracker.apply(snapshot);
        times.add("cold tracker apply", since(start));
        start = now();
        findings.evaluate(*update);
        times.add("cold findings", since(start));
        start = now();
        const auto rows = core::exportRowsOf(*update);
        const auto csv = core::connectionsCsv(rows);
        times.add("cold csv export (in memory)", since(start));
        times.add("cold total", since(coldStart));

        for (long tick = 0; tick < warmTicks; ++tick) {
            std::this_thread::sleep_for(std::chrono::milliseconds(intervalMs));
            const auto tickStart = now();
            snapshot = pollOnce(*diag, owners, details, times, "warm ");
            start = now();
            update = tracker.apply(snapshot);
            times.add("warm tracker apply", since(start));
            start = now();
            findings.evaluate(*update);
            times.add("warm findings", since(start));
            times.add("warm total", since(tickStart));
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
                start = now();
                diag->dump(protocol, family, sockets, &error);
                times.add("dump " + std::string(core::toString(protocol)) + " " +
                              std::string(core::toString(family)),
                          since(start));
            }
        }
        {
            std::vector<core::Socket> sockets;
            sockets.reserve(snapshot.sockets.size());
            std::string error;
            start = now();
            if (!diag->dumpTcpBothFamilies(sockets, &error)) {
                std::fprintf(stderr, "one-walk TCP dump refused: %s\n", error.c_str());
            }
            times.add("dump TCP IPv4+IPv6 in one walk", since(start));
        }
        timeOwnerSearchWithIterator(snapshot.sockets, times);
        std::fprintf(stderr, "round %ld: %zu sockets, owner walks %llu, fds read %llu\n", round,
                     sockets, static_cast<unsigned long long>(owners.stats().walks),
                     static_cast<unsigned long long>(owners.stats().fdsRead));
    }
    std::printf("%zu sockets, %ld rounds, %ld warm ticks per round\n", sockets, rounds, warmTicks);
    times.print();
    return 0;
}
