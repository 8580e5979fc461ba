#include "windows/socket_owners.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace portscope::platform::winsys {

SocketOwners::SocketOwners(bool underWine, ProcessLister lister)
    : underWine_(underWine), lister_(std::move(lister)),
      // A process keeps its image for life on Windows (there is no exec), so details never
      // go stale while the process runs.
      details_([this](const core::ProcessKey& key) { return readDetails(key); },
               std::chrono::steady_clock::duration::max()) {
    if (!lister_) {
        lister_ = &listProcesses;
    }
}

std::vector<core::Process> SocketOwners::resolve(std::vector<core::Socket>& sockets,
                                                 common::SourceConditions& conditions) {
    identities_.clear();
    for (auto& socket : sockets) {
        const std::int32_t pid = socket.owner.pid;
        if (pid == 0) {
            // PID 0 is the System Idle Process: Windows credits TIME_WAIT and other orphaned
            // connections to it. Wine reports 0 for every socket, so there only TIME_WAIT is
            // known to have no owner.
            socket.owner = {};
            socket.ownerStatus = !underWine_ || socket.state == core::SocketState::TimeWait
                                     ? core::OwnerStatus::NoInode
                                     : core::OwnerStatus::NotFound;
            continue;
        }
        auto found = identities_.find(pid);
        if (found == identities_.end()) {
            found = identities_.emplace(pid, Owner{identifyProcess(pid), 0}).first;
        }
        const auto& identity = found->second.identity;
        ++found->second.sockets;
        socket.owner = identity.key;
        socket.ownerStatus =
            identity.exited() ? core::OwnerStatus::NotFound : core::OwnerStatus::Known;
    }

    std::vector<common::OwnerCount> owners;
    owners.reserve(identities_.size());
    std::size_t unopenable = 0;
    for (const auto& [pid, owner] : identities_) {
        if (owner.identity.exited()) {
            continue;
        }
        if (!owner.identity.opened()) {
            ++unopenable;
        }
        owners.push_back(common::OwnerCount{owner.identity.key, owner.sockets});
    }
    std::sort(
        owners.begin(), owners.end(),
        [](const common::OwnerCount& a, const common::OwnerCount& b) { return a.key < b.key; });

    processList_.reset();
    processListError_.clear();
    // Processes that cannot be opened have start time 0, so their key may come back for
    // another process with the same PID; the cache reads them again each poll (cheap: no
    // open).
    auto processes = details_.collect(owners);

    if (unopenable == 0) {
        conditions.clear("owners");
    } else {
        conditions.set("owners",
                       "Details of " + std::to_string(unopenable) +
                           " process(es) are unavailable (protected or system processes, or "
                           "other users'); run PortScope as administrator to see more.");
    }
    // A poll that read no process says nothing about the list: the condition stays as it was,
    // since the cached details were read with (or without) the list of then.
    if (processList_) {
        if (processListError_.empty()) {
            conditions.clear("process-list");
        } else {
            conditions.set("process-list",
                           "Parent processes, and the names of processes that cannot be opened, "
                           "are missing: the list of processes cannot be read (" +
                               processListError_ + ").");
        }
    }
    return processes;
}

std::optional<core::Process> SocketOwners::readDetails(const core::ProcessKey& key) {
    const auto found = identities_.find(key.pid);
    if (found == identities_.end()) {
        return std::nullopt;
    }
    if (!processList_) {
        processList_ = lister_(&processListError_);
    }
    return readProcessDetails(found->second.identity, &*processList_);
}

} // namespace portscope::platform::winsys
