#include "common/source_conditions.h"

#include <utility>

namespace portscope::platform::common {

void SourceConditions::set(const std::string& key, std::string message) {
    messages_[key] = std::move(message);
}

void SourceConditions::clear(const std::string& key) {
    messages_.erase(key);
}

void SourceConditions::setOrClear(const std::string& key,
                                  const std::vector<std::string>& problems) {
    if (problems.empty()) {
        clear(key);
        return;
    }
    std::string message = problems.front();
    if (problems.size() > 1) {
        message += " (and " + std::to_string(problems.size() - 1) + " more problems)";
    }
    set(key, std::move(message));
}

const std::string* SourceConditions::find(const std::string& key) const {
    const auto found = messages_.find(key);
    return found == messages_.end() ? nullptr : &found->second;
}

void SourceConditions::appendTo(std::vector<std::string>& warnings) const {
    for (const auto& [key, message] : messages_) {
        warnings.push_back(message);
    }
}

void stampSnapshot(core::Snapshot& snapshot, const SourceConditions& conditions,
                   std::chrono::steady_clock::time_point pollStarted) {
    using namespace std::chrono;
    conditions.appendTo(snapshot.warnings);
    const auto finished = steady_clock::now();
    snapshot.steadyNs = duration_cast<nanoseconds>(finished.time_since_epoch()).count();
    snapshot.unixMs = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    snapshot.pollDurationNs = duration_cast<nanoseconds>(finished - pollStarted).count();
}

} // namespace portscope::platform::common
