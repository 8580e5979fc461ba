// The Windows snapshot source: the TCP and UDP tables for IPv4 and IPv6, the owners' process
// details, EStats byte counters when elevated, and the host's TCP/UDP/ICMP counters.

#include "common/source_conditions.h"
#include "portscope/platform/system.h"
#include "windows/connection_stats.h"
#include "windows/host_counters.h"
#include "windows/socket_list.h"
#include "windows/socket_owners.h"
#include "windows/win32.h"

#include <chrono>

namespace portscope::platform {

namespace {

using Clock = std::chrono::steady_clock;

std::string estatsUnavailableReason() {
    if (winsys::isRunningUnderWine()) {
        return "Per-connection byte counts and rates are unavailable: Wine does not implement "
               "TCP extended statistics (EStats).";
    }
    if (!winsys::isElevated()) {
        return "Per-connection byte counts and rates are unavailable: Windows collects them "
               "(EStats) only for administrators. Run PortScope as administrator to see them.";
    }
    return {};
}

class WindowsLiveSource final : public core::SnapshotSource {
public:
    explicit WindowsLiveSource(const LiveSourceOptions& options)
        : options_(options), lister_(winsys::isRunningUnderWine()),
          statistics_(estatsUnavailableReason()), underWine_(winsys::isRunningUnderWine()),
          owners_(underWine_) {
        if (underWine_) {
            conditions_.set("wine", "Running under Wine, whose socket tables carry no owner "
                                    "process IDs: owners are shown as not found.");
        }
    }

    core::SensorMode sensor() const override { return core::SensorMode::Poll; }

    std::optional<core::Snapshot> poll() override {
        const auto started = Clock::now();
        core::Snapshot snapshot;
        snapshot.sourceName = name();
        snapshot.sensor = sensor();
        snapshot.sockets.reserve(lastSocketCount_ + lastSocketCount_ / 8 + 64);

        std::vector<std::string> problems;
        lister_.list(snapshot.sockets, problems);
        conditions_.setOrClear("tables", problems);

        statistics_.collect(snapshot.sockets);
        if (statistics_.unavailableReason().empty()) {
            conditions_.clear("estats");
        } else {
            conditions_.set("estats", statistics_.unavailableReason());
        }

        if (options_.resolveOwners) {
            snapshot.processes = owners_.resolve(snapshot.sockets, conditions_);
        } else {
            for (auto& socket : snapshot.sockets) {
                socket.owner = {};
                socket.ownerStatus = core::OwnerStatus::NotResolved;
            }
        }

        problems.clear();
        snapshot.counters = winsys::hostCountersFrom(winsys::readMibCounters(problems));
        conditions_.setOrClear("counters", problems);

        lastSocketCount_ = snapshot.sockets.size();
        common::stampSnapshot(snapshot, conditions_, started);
        return snapshot;
    }

    std::string name() const override {
        if (underWine_) {
            return "windows iphlpapi (wine)";
        }
        return lister_.usingModuleTables(core::Protocol::Tcp) ? "windows iphlpapi"
                                                              : "windows iphlpapi (owner pid)";
    }

private:
    LiveSourceOptions options_;
    winsys::SocketLister lister_;
    winsys::ConnectionStatistics statistics_;
    bool underWine_ = false;
    winsys::SocketOwners owners_;
    common::SourceConditions conditions_;
    std::size_t lastSocketCount_ = 0;
};

} // namespace

std::unique_ptr<core::SnapshotSource> makeLiveSource(const LiveSourceOptions& options) {
    if (options.sensor == SensorChoice::Bpf) {
        throw core::SourceError("The eBPF sensor exists on Linux only; Windows is polled.");
    }
    return std::make_unique<WindowsLiveSource>(options);
}

void installLargeBufferAdvice() {
    // Nothing to advise: Windows has no transparent huge pages for ordinary allocations.
}

} // namespace portscope::platform
