#pragma once
// What the window remembers of findings over a session: the findings that ended, with when
// and why, and the one-line summary the notice area shows of what is active and what ended.

#include "portscope/core/findings.h"

#include <QString>
#include <cstdint>
#include <deque>

namespace portscope::core {
struct Update;
} // namespace portscope::core

namespace portscope::gui {

struct ResolvedFinding {
    enum class Reason : std::uint8_t {
        ProcessExited, // the process it was about is gone, or holds no open socket any more
        NoLongerSeen,  // the rule stopped seeing it
    };
    core::Finding finding;        // as it was last
    std::int64_t endedUnixMs = 0; // when the rule last saw it
    Reason reason = Reason::NoLongerSeen;
};

// "process gone at 17:03:12", "last seen at 17:03:12"
QString endedText(const ResolvedFinding& resolved);

class FindingHistory {
public:
    // Enough for a long session; the oldest are forgotten first.
    static constexpr std::size_t kMaxResolved = 1000;

    // Records the findings `update` cleared.
    void apply(const core::Update& update);
    // Finding ids restart with each engine.
    void reset() { resolved_.clear(); }
    const std::deque<ResolvedFinding>& resolved() const { return resolved_; }
    // The ended finding `id`, or null.
    const ResolvedFinding* findResolved(std::uint64_t id) const;

private:
    std::deque<ResolvedFinding> resolved_; // oldest first
};

// The notice area's one line: counts by severity, then the high and medium findings most
// severe first, those of one rule about several processes grouped ("traffic-surge ×10 (a, b,
// c, …)"), then how many ended. Low and info findings stay in the Findings tab.
struct FindingNotice {
    QString text;
    QString details;           // every finding in full, one a line, for the tooltip
    std::uint64_t firstId = 0; // the most severe active finding; 0 when none
    int highestSeverity = -1;  // an int of core::Severity among the listed; -1 if none
};
FindingNotice summarizeFindings(const core::Update* update, const FindingHistory& history);

} // namespace portscope::gui
