#pragma once
// Which process owns each socket on Windows, and the owners' details. The socket tables name
// each socket's PID; the process's creation time completes its identity.

#include "common/process_details_cache.h"
#include "common/source_conditions.h"
#include "portscope/core/model.h"
#include "windows/processes.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace portscope::platform::winsys {

class SocketOwners {
public:
    // Names and parents of every process; empty with *error set when they cannot be listed.
    using ProcessLister = std::function<ProcessList(std::string* error)>;

    // `underWine`: Wine's tables carry PID 0 for every socket. The default lister is
    // listProcesses().
    explicit SocketOwners(bool underWine, ProcessLister lister = {});
    SocketOwners(const SocketOwners&) = delete; // the details cache reads through `this`
    SocketOwners& operator=(const SocketOwners&) = delete;

    // Sets owner and ownerStatus of every socket, and returns the details of the owners that
    // still run (read once per process, then cached while it owns sockets). Sets or clears
    // the conditions "owners" (processes that cannot be opened) and "process-list" (the
    // list of processes, which supplies names and parents, cannot be read).
    std::vector<core::Process> resolve(std::vector<core::Socket>& sockets,
                                       common::SourceConditions& conditions);

private:
    std::optional<core::Process> readDetails(const core::ProcessKey& key);

    struct Owner {
        ProcessIdentity identity;
        std::uint32_t sockets = 0;
    };
    bool underWine_;
    ProcessLister lister_;
    std::unordered_map<std::int32_t, Owner> identities_; // this poll's owners, by PID
    // Read at most once per poll, and only when a process has to be read.
    std::optional<ProcessList> processList_;
    std::string processListError_;
    common::ProcessDetailsCache details_;
};

} // namespace portscope::platform::winsys
