#pragma once
// What the tracker hands to views after each poll. An Update is immutable once built and
// is shared between threads through std::shared_ptr<const Update>.

#include "portscope/core/findings.h"
#include "portscope/core/history.h"
#include "portscope/core/model.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace portscope::core {

// Assigned by the tracker when it first sees a socket; never reused within one tracker.
using ConnectionId = std::uint64_t;

enum class RowChange : std::uint8_t {
    None = 0,
    Added,   // first seen in this update
    Changed, // state, owner or queues changed in this update
    Closed,  // disappeared in this update (a tombstone starts)
};

// One row per connection in every update, so the 8-byte fields come first and the small ones
// share the last 8 bytes.
struct Connection {
    ConnectionId id = 0;
    Socket socket;
    std::int64_t firstSeenUnixMs = 0;
    std::int64_t lastSeenUnixMs = 0;
    std::int64_t closedUnixMs = 0; // 0 while open
    double sendBytesPerSecond = 0;
    double receiveBytesPerSecond = 0;
    std::uint64_t bytesSent = 0; // as last reported by the OS (tcp_info bytes_acked)
    std::uint64_t bytesReceived = 0;
    std::string remoteHostName; // filled in when reverse DNS is on and has answered
    std::uint32_t tombstoneTicksLeft = 0;
    RowChange change = RowChange::None;
    bool open = true;        // false for a tombstone: the socket has closed
    bool shortLived = false; // opened and closed between two polls; known from a close event
    bool hasRate = false;    // false on the first sample: no rate is invented
};

struct ConnectionCounts {
    std::uint32_t tcp = 0;
    std::uint32_t udp = 0;
    std::uint32_t listening = 0;
    std::uint32_t established = 0;
    std::uint32_t closedRecently = 0; // tombstones

    // Counts one row: a tombstone, or an open socket by protocol, and whether it is listening
    // (isListening) or established.
    void add(const Connection& connection);
};

struct ProcessRow {
    Process process;
    RowChange change = RowChange::None;
    ConnectionCounts counts;
    bool hasRate = false;
    double sendBytesPerSecond = 0;
    double receiveBytesPerSecond = 0;
    // Bytes moved while monitored, including sockets that have closed since.
    std::uint64_t bytesSentTotal = 0;
    std::uint64_t bytesReceivedTotal = 0;
    std::int64_t firstSeenUnixMs = 0;
};

struct HostTotals {
    ConnectionCounts counts;
    std::uint32_t processes = 0;
    bool hasRate = false;
    double sendBytesPerSecond = 0;
    double receiveBytesPerSecond = 0;
    std::uint64_t bytesSentTotal = 0;
    std::uint64_t bytesReceivedTotal = 0;
};

struct Update {
    std::uint64_t sequence = 0; // 1 for the first update of a tracker
    std::int64_t steadyNs = 0;
    std::int64_t unixMs = 0;
    std::int64_t pollDurationNs = 0;
    std::int64_t trackDurationNs = 0; // time the tracker itself took

    // Every open connection plus the tombstones, ordered by id.
    std::vector<Connection> connections;
    std::vector<ConnectionId> added;
    std::vector<ConnectionId> changed;
    std::vector<ConnectionId> removed; // closed in this update; still in `connections`
    std::vector<ConnectionId> expired; // tombstones dropped in this update; no longer listed

    // Every process that owns an open connection or a tombstone, ordered by key.
    std::vector<ProcessRow> processes;
    std::vector<ProcessKey> processesExpired;

    HostTotals totals;
    HostCounters counters;
    std::shared_ptr<const RateHistory> hostHistory;
    // History of the process the engine was asked to focus on (the GUI's selection).
    ProcessKey focusedProcess;
    std::vector<RateSample> focusedProcessHistory;

    std::vector<SystemText> warnings; // the snapshot's (model.h)
    bool closeEventsLost = false;
    std::string sourceName;
    SensorMode sensor = SensorMode::Unknown;
    std::vector<ProbeSource> probeSources; // as the snapshot had them

    // Filled by the FindingsEngine (findings_engine.h); empty when no rules ran.
    std::vector<Finding> findings;          // every active finding, ordered by id
    std::vector<FindingId> findingsRaised;  // raised in this update
    std::vector<FindingId> findingsUpdated; // re-announced in this update: grew materially
    std::vector<Finding> findingsCleared;   // cleared in this update, as they were last
    std::vector<CounterRate> counterRates;  // netstat -s counters with per-second rates

    const Connection* findConnection(ConnectionId id) const; // binary search
    const ProcessRow* findProcess(const ProcessKey& key) const;
    const Finding* findFinding(FindingId id) const; // binary search
};

using UpdatePtr = std::shared_ptr<const Update>;

} // namespace portscope::core
