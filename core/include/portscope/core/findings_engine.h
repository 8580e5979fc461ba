#pragma once
// Runs the findings rules over each Update after the tracker built it.
//
// Contract:
// - evaluate() takes the updates of one tracker in order. It reads only the update (its
//   connections, processes, host counters and steady time), never a clock, so the same
//   updates always give the same findings.
// - Each rule keeps a little state of its own (time windows keyed by process), and one pass
//   over the connections serves every rule, so a tick with 100k sockets stays cheap.
// - A finding is raised once, listed in every update while it persists, re-announced only
//   when it grows materially (or its severity rises), and cleared when its rule has not
//   seen the condition for `general.clearAfter`.
// - Not thread-safe: it belongs to the engine thread, like the tracker.

#include "portscope/core/findings.h"
#include "portscope/core/findings_config.h"
#include "portscope/core/update.h"

#include <memory>
#include <string_view>
#include <vector>

namespace portscope::core {

// The IDs of every rule the engine runs (rules::k...), in the order it runs them.
std::vector<std::string_view> findingRuleIds();

class FindingsEngine {
public:
    explicit FindingsEngine(FindingsConfig config = {});
    ~FindingsEngine();
    FindingsEngine(const FindingsEngine&) = delete;
    FindingsEngine& operator=(const FindingsEngine&) = delete;

    // Fills update.findings, findingsRaised, findingsUpdated, findingsCleared and
    // counterRates.
    void evaluate(Update& update);

    // New thresholds apply from the next evaluate(); the rules' windows start afresh while
    // active findings stay listed until they clear or are seen again.
    void setConfig(FindingsConfig config);
    const FindingsConfig& config() const { return config_; }

private:
    struct State;
    FindingsConfig config_;
    std::unique_ptr<State> state_;
};

} // namespace portscope::core
