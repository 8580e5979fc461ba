#include "common/source_conditions.h"

#include "portscope/core/translatable.h"

#include <utility>

namespace portscope::platform::common {

void SourceConditions::set(const std::string& key, core::SystemText message) {
    messages_[key] = std::move(message);
}

void SourceConditions::set(const std::string& key, std::string message) {
    set(key, core::verbatimText(std::move(message)));
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
    if (problems.size() == 1) {
        set(key, problems.front());
        return;
    }
    set(key, core::systemText(
                 PORTSCOPE_TRANSLATABLE("SystemText", "%1 (and %2 more problems)"),
                 {core::verbatimText(problems.front()), core::numberText(problems.size() - 1)}));
}

const core::SystemText* SourceConditions::find(const std::string& key) const {
    const auto found = messages_.find(key);
    return found == messages_.end() ? nullptr : &found->second;
}

void SourceConditions::appendTo(std::vector<core::SystemText>& warnings) const {
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
