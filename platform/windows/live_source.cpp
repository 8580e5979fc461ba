// The Windows snapshot source: the TCP and UDP tables for IPv4 and IPv6, the owners' process
// details, EStats byte counters when elevated, and the host's TCP/UDP/ICMP counters.

#include "portscope/platform/system.h"
#include "windows/connection_stats.h"
#include "windows/host_counters.h"
#include "windows/processes.h"
#include "windows/socket_list.h"
#include "windows/win32.h"

#include <chrono>
#include <map>
#include <unordered_map>

namespace portscope::platform {

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t unixMsNow() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

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
          statistics_(estatsUnavailableReason()), underWine_(winsys::isRunningUnderWine()) {
        if (underWine_) {
            setCondition("wine", "Running under Wine, whose socket tables carry no owner "
                                 "process IDs: owners are shown as not found.");
        }
    }

    std::optional<core::Snapshot> poll() override {
        const auto started = Clock::now();
        core::Snapshot snapshot;
        snapshot.sourceName = name();
        snapshot.sockets.reserve(lastSocketCount_ + lastSocketCount_ / 8 + 64);

        std::vector<std::string> problems;
        lister_.list(snapshot.sockets, problems);
        setOrClear("tables", problems);

        statistics_.collect(snapshot.sockets);
        if (statistics_.unavailableReason().empty()) {
            clearCondition("estats");
        } else {
            setCondition("estats", statistics_.unavailableReason());
        }

        if (options_.resolveOwners) {
            resolveOwners(snapshot);
        } else {
            for (auto& socket : snapshot.sockets) {
                socket.owner = {};
                socket.ownerStatus = core::OwnerStatus::NotResolved;
            }
        }

        problems.clear();
        snapshot.counters = winsys::hostCountersFrom(winsys::readMibCounters(problems));
        setOrClear("counters", problems);

        lastSocketCount_ = snapshot.sockets.size();
        for (const auto& [key, message] : conditions_) {
            snapshot.warnings.push_back(message);
        }
        snapshot.steadyNs =
            std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
                .count();
        snapshot.unixMs = unixMsNow();
        snapshot.pollDurationNs =
            std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - started).count();
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
    void setCondition(const std::string& key, std::string message) {
        conditions_[key] = std::move(message);
    }
    void clearCondition(const std::string& key) { conditions_.erase(key); }
    void setOrClear(const std::string& key, const std::vector<std::string>& problems) {
        if (problems.empty()) {
            clearCondition(key);
            return;
        }
        std::string message = problems.front();
        if (problems.size() > 1) {
            message += " (and " + std::to_string(problems.size() - 1) + " more problems)";
        }
        setCondition(key, std::move(message));
    }

    // The tables name each socket's PID; the process's creation time completes its identity.
    void resolveOwners(core::Snapshot& snapshot) {
        identities_.clear();
        for (auto& socket : snapshot.sockets) {
            const std::int32_t pid = socket.owner.pid;
            if (pid == 0) {
                // PID 0 is the System Idle Process: Windows credits TIME_WAIT and other
                // orphaned connections to it. Wine reports 0 for every socket, so there only
                // TIME_WAIT is known to have no owner.
                socket.owner = {};
                socket.ownerStatus = !underWine_ || socket.state == core::SocketState::TimeWait
                                         ? core::OwnerStatus::NoInode
                                         : core::OwnerStatus::NotFound;
                continue;
            }
            auto found = identities_.find(pid);
            if (found == identities_.end()) {
                found = identities_.emplace(pid, Owner{winsys::identifyProcess(pid), 0}).first;
            }
            const auto& identity = found->second.identity;
            ++found->second.sockets;
            socket.owner = identity.key;
            socket.ownerStatus =
                identity.exited() ? core::OwnerStatus::NotFound : core::OwnerStatus::Known;
        }

        std::optional<winsys::ProcessList> list;
        std::size_t unopenable = 0;
        std::unordered_map<core::ProcessKey, core::Process, core::ProcessKeyHash> current;
        current.reserve(identities_.size());
        snapshot.processes.reserve(identities_.size());
        for (const auto& [pid, owner] : identities_) {
            const auto& identity = owner.identity;
            if (identity.exited()) {
                continue;
            }
            if (!identity.opened()) {
                ++unopenable;
            }
            auto cached = details_.find(identity.key);
            // Unopenable processes have start time 0, so their key may come back for another
            // process with the same PID; they are read again each poll (cheap: no open).
            if (cached == details_.end() || !identity.opened()) {
                if (!list) {
                    std::string error;
                    list = winsys::listProcesses(&error);
                }
                core::Process details = winsys::readProcessDetails(identity, &*list);
                cached = details_.insert_or_assign(identity.key, std::move(details)).first;
            }
            cached->second.socketCount = owner.sockets;
            snapshot.processes.push_back(cached->second);
            current.emplace(identity.key, cached->second);
        }
        // Only processes that still own sockets are kept.
        details_.swap(current);

        if (unopenable == 0) {
            clearCondition("owners");
        } else {
            setCondition("owners",
                         "Details of " + std::to_string(unopenable) +
                             " process(es) are unavailable (protected or system processes, or "
                             "other users'); run PortScope as administrator to see more.");
        }
    }

    LiveSourceOptions options_;
    winsys::SocketLister lister_;
    winsys::ConnectionStatistics statistics_;
    bool underWine_ = false;
    struct Owner {
        winsys::ProcessIdentity identity;
        std::uint32_t sockets = 0;
    };
    std::unordered_map<std::int32_t, Owner> identities_; // this poll's owners, by PID
    std::unordered_map<core::ProcessKey, core::Process, core::ProcessKeyHash> details_;
    std::map<std::string, std::string> conditions_;
    std::size_t lastSocketCount_ = 0;
};

} // namespace

std::unique_ptr<core::SnapshotSource> makeLiveSource(const LiveSourceOptions& options) {
    return std::make_unique<WindowsLiveSource>(options);
}

} // namespace portscope::platform
