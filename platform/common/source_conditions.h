#pragma once
// What every live source does the same way on every OS: it keeps the conditions that limit
// what it can show (no netlink, no privileges, a table that cannot be read) and repeats them
// in every snapshot while they hold, and it stamps each snapshot with its times.

#include "portscope/core/model.h"

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace portscope::platform::common {

// Sentences for users, keyed by what they are about ("netlink", "owners", ...), so that each
// is listed once however often it is set, and in the same order in every snapshot.
class SourceConditions {
public:
    void set(const std::string& key, core::SystemText message);
    // A sentence in English only (an OS's own message); prefer the one in parts.
    void set(const std::string& key, std::string message);
    void clear(const std::string& key);
    // The first problem, with a count of the others, or nothing when there is none.
    void setOrClear(const std::string& key, const std::vector<std::string>& problems);

    // The message held for `key`, or nullptr.
    const core::SystemText* find(const std::string& key) const;
    bool empty() const { return messages_.empty(); }

    // Appends every message, ordered by key.
    void appendTo(std::vector<core::SystemText>& warnings) const;

private:
    std::map<std::string, core::SystemText> messages_;
};

// Finishes a snapshot: its warnings from `conditions`, the steady and wall-clock times it was
// taken at, and how long the poll that started at `pollStarted` took.
void stampSnapshot(core::Snapshot& snapshot, const SourceConditions& conditions,
                   std::chrono::steady_clock::time_point pollStarted);

} // namespace portscope::platform::common
