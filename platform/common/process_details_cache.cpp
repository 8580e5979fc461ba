#include "common/process_details_cache.h"

#include "portscope/platform/system.h"

#include <utility>

namespace portscope::platform::common {

ProcessDetailsCache::ProcessDetailsCache(Reader reader,
                                         std::chrono::steady_clock::duration refreshAfter)
    : reader_(std::move(reader)), refreshAfter_(refreshAfter) {
    if (!reader_) {
        reader_ = [](const core::ProcessKey& key) { return processDetails(key); };
    }
}

std::vector<core::Process> ProcessDetailsCache::collect(const std::vector<OwnerCount>& owners) {
    const auto now = std::chrono::steady_clock::now();
    std::unordered_map<core::ProcessKey, Entry, core::ProcessKeyHash> stillOwning;
    stillOwning.reserve(owners.size());
    std::vector<core::Process> processes;
    processes.reserve(owners.size());
    for (const OwnerCount& owner : owners) {
        if (const auto repeated = stillOwning.find(owner.key); repeated != stillOwning.end()) {
            processes.push_back(repeated->second.process);
            processes.back().socketCount = owner.sockets;
            continue;
        }
        const bool keepable = owner.key.startTime != 0;
        auto cached = keepable ? cache_.find(owner.key) : cache_.end();
        if (cached == cache_.end() || now - cached->second.readAt >= refreshAfter_) {
            ++readsDone_;
            if (auto read = reader_(owner.key)) {
                if (!keepable) {
                    read->socketCount = owner.sockets;
                    processes.push_back(std::move(*read));
                    continue;
                }
                cached = cache_.insert_or_assign(owner.key, Entry{std::move(*read), now}).first;
            }
        }
        if (cached == cache_.end()) {
            // Not cached: it may have been a passing failure, worth another try next poll.
            core::Process process;
            process.key = owner.key;
            process.detailsError = "the process exited before its details could be read";
            process.socketCount = owner.sockets;
            processes.push_back(std::move(process));
            continue;
        }
        cached->second.process.socketCount = owner.sockets;
        processes.push_back(cached->second.process);
        stillOwning.emplace(owner.key, std::move(cached->second));
    }
    cache_.swap(stillOwning);
    return processes;
}

} // namespace portscope::platform::common
