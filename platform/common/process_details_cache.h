#pragma once
// The owners' details, read once per process and kept while it owns sockets: every backend
// needs the same cache, only the reading differs.

#include "portscope/core/model.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <unordered_map>
#include <vector>

namespace portscope::platform::common {

// An owner and how many sockets of the current poll it holds.
struct OwnerCount {
    core::ProcessKey key;
    std::uint32_t sockets = 0;
};

// Details of the owners of a snapshot, read once per process (keyed by PID and start time)
// and forgotten when the process no longer owns sockets. An exec keeps PID and start time but
// changes name, executable and arguments, so entries are read again after `refreshAfter`.
// A key without a start time (0: the OS would not say when the process started) cannot tell
// a process from a later one with the same PID, so its details are read on every collect().
// Not thread-safe: one cache per poll thread.
class ProcessDetailsCache {
public:
    // Returns nullopt when the process has gone (or is not the one the key names).
    using Reader = std::function<std::optional<core::Process>(const core::ProcessKey&)>;
    static constexpr std::chrono::seconds kDefaultRefreshAfter{30};
    // The default reader is platform::processDetails().
    explicit ProcessDetailsCache(
        Reader reader = {},
        std::chrono::steady_clock::duration refreshAfter = kDefaultRefreshAfter);

    // One Process per owner, in the order given, with socketCount set; reads only processes
    // not cached. An owner that cannot be read gets a Process with only its key and a
    // detailsError, and is tried again next time.
    std::vector<core::Process> collect(const std::vector<OwnerCount>& owners);
    std::size_t readsDone() const { return readsDone_; }
    std::size_t size() const { return cache_.size(); }

private:
    struct Entry {
        core::Process process;
        std::chrono::steady_clock::time_point readAt;
    };
    Reader reader_;
    std::chrono::steady_clock::duration refreshAfter_;
    std::unordered_map<core::ProcessKey, Entry, core::ProcessKeyHash> cache_;
    std::size_t readsDone_ = 0;
};

} // namespace portscope::platform::common
