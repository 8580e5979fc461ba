#pragma once
// The one output layer of portscope-cli: every format a command prints. Names, command lines
// and host names come from other users' processes and from the network; they go through
// core::terminalText for the terminal and core::jsonString for JSON, never as they are.

#include "connection_filter.h"
#include "portscope/core/ecs.h"
#include "portscope/core/findings_text.h"
#include "portscope/core/update.h"

#include <cstdint>
#include <iosfwd>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace portscope::cli {

// "portscope-cli: MESSAGE" on its own line, escaped for the terminal.
void printError(std::ostream& err, std::string_view message);

// The state after an update as csv, json (with its findings) or a table (then the findings,
// worded by `wording`; csv and json are always English).
void printFinalState(std::ostream& out, const std::string& format, const core::Update& update,
                     const ConnectionFilter& filter, const core::FindingWording& wording);

// Turns one update into NDJSON lines: an event per added, removed and changed connection,
// then a tick summary. Warnings are said once each.
class EventWriter {
public:
    EventWriter(std::ostream& out, const ConnectionFilter& filter) : out_(out), filter_(filter) {}

    void write(const core::Update& update);

private:
    // A finding is said when raised and when it grows materially, not on every tick.
    void emitFindings(const core::Update& update, const std::string& time);
    void emit(const core::Update& update, const std::vector<core::ConnectionId>& ids,
              std::string_view event, const std::string& time);

    std::ostream& out_;
    const ConnectionFilter& filter_;
    std::set<std::string> warningsSaid_;
};

// Turns one update into Elastic Common Schema events (core/ecs.h): the warnings, the added,
// changed and closed connections when `connections` is set, then the findings raised,
// re-announced and cleared. Findings and connections pass the filter as in EventWriter.
// An agent runs for months: a warning is said once an hour at most, and one whose numbers
// change ("Owners of 2 sockets are hidden", then 3) counts as the same warning, so that
// neither the log nor this writer's memory grows with them.
class EcsWriter {
public:
    EcsWriter(const ConnectionFilter& filter, core::EcsHost host, bool connections)
        : filter_(filter), host_(std::move(host)), connections_(connections) {}

    std::vector<core::EcsEvent> eventsOf(const core::Update& update);

private:
    static constexpr std::int64_t kWarningRepeatMs = 3'600'000;

    const ConnectionFilter& filter_;
    core::EcsHost host_;
    bool connections_;
    std::map<std::string, std::int64_t> warningsSaid_; // digits as '#' -> when last said
};

// The name this machine gives itself, for the host.name of events.
std::string localHostName();

// The host counters of `update` with their rates over `intervalSeconds`; those that are zero
// and behind no finding only with `all`. The findings behind them are worded by `wording`.
void printCounterTable(std::ostream& out, const core::Update& update, double intervalSeconds,
                       bool all, const core::FindingWording& wording);
// The same as one NDJSON "stats" event.
void printCounterEvent(std::ostream& out, const core::Update& update, double intervalSeconds,
                       bool all);

} // namespace portscope::cli
