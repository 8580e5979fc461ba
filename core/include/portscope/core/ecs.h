#pragma once
// Elastic Common Schema (ECS) events: one JSON object per finding, connection change, warning
// or delivery gap, in the field names Elastic, OpenSearch, Wazuh and Splunk map without a
// custom parser. docs/fleet.md lists the fields. Every text field is untrusted (process names,
// command lines, host names) and goes through jsonString(), so an event always parses.

#include "portscope/core/findings.h"
#include "portscope/core/update.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace portscope::core {

inline constexpr std::string_view kEcsVersion = "8.11.0";

// What an event says about the machine it comes from.
struct EcsHost {
    std::string name;
};

// How loud an event is, in syslog's terms (RFC 5424 severity: 3 error ... 6 informational), so
// that a syslog or journal output need not look inside the JSON.
enum class EventClass : std::uint8_t { Finding, Connection, Warning, Dropped, Heartbeat };
std::string_view toString(EventClass eventClass); // "finding", "connection", ...

struct EcsEvent {
    EventClass eventClass = EventClass::Connection;
    int syslogSeverity = 6;
    std::int64_t unixMs = 0;
    std::string ruleId;  // a finding's rule; empty for other events
    std::string message; // the event's sentence, as in the JSON's "message", unescaped
    std::string json;    // one object, no newline
};

enum class FindingChange : std::uint8_t { Raised, Updated, Cleared };

// A finding as an alert. `owner` (may be null) adds what the finding does not carry itself:
// the process's start time, command line and user.
EcsEvent ecsFindingEvent(const Finding& finding, FindingChange change, const ProcessRow* owner,
                         std::int64_t unixMs, const EcsHost& host);
// A connection that was added, changed or closed in an update (`change`).
EcsEvent ecsConnectionEvent(const Connection& connection, RowChange change, const ProcessRow* owner,
                            std::int64_t unixMs, const EcsHost& host);
// A limit of what the monitor can see ("the process list cannot be read").
EcsEvent ecsWarningEvent(std::string_view warning, std::int64_t unixMs, const EcsHost& host);
// `count` events were dropped because the receiver was away longer than the queue could hold.
EcsEvent ecsDroppedEvent(std::uint64_t count, std::int64_t unixMs, const EcsHost& host);

// How delivery went since the agent started, for the periodic heartbeat.
struct AgentHealth {
    std::uint64_t sent = 0;
    std::uint64_t dropped = 0;
    std::uint64_t reconnects = 0;
    std::uint64_t queued = 0;
};
// "The agent is alive": lets a SIEM tell a quiet machine from an agent that stopped.
EcsEvent ecsHeartbeatEvent(const AgentHealth& health, std::int64_t unixMs, const EcsHost& host);

} // namespace portscope::core
