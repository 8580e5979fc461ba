#pragma once
// Per-connection byte counters on Windows: TCP extended statistics (EStats). Collection must be
// switched on per connection (SetPerTcpConnectionEStats, administrators only) and counts from
// that moment, so the first read of a connection is its baseline: a rate needs a second read.

#include "portscope/core/model.h"
#include "windows/iphlpapi_headers.h"

#include <string>
#include <unordered_set>
#include <vector>

namespace portscope::platform::winsys {

// The EStats "data" counters as the core's TcpCounters: ThruBytesAcked is what the peer
// confirmed (the figure rates use, as tcpi_bytes_acked on Linux), ThruBytesReceived what
// arrived, DataBytesOut what was sent including retransmissions.
core::TcpCounters countersFromEstats(const TCP_ESTATS_DATA_ROD_v0& data);

// Whether a TCP state has a connection EStats can describe (not LISTEN, TIME_WAIT or CLOSED).
bool hasEstats(core::SocketState state);

class ConnectionStatistics {
public:
    // `unavailableReason` empty: try EStats. Otherwise never call it (Wine aborts inside it;
    // without elevation it can only fail) and report the reason as a warning.
    explicit ConnectionStatistics(std::string unavailableReason);

    // Fills `counters` of every TCP connection it can read; the rest keep present == false.
    void collect(std::vector<core::Socket>& sockets);

    // Empty while counters are collected; otherwise a sentence for users.
    const std::string& unavailableReason() const { return unavailableReason_; }

private:
    struct ConnectionId {
        core::Endpoint local;
        core::Endpoint remote;
        bool operator==(const ConnectionId&) const = default;
    };
    struct ConnectionIdHash {
        std::size_t operator()(const ConnectionId& id) const noexcept;
    };

    bool readOne(core::Socket& socket, bool alreadyEnabled);

    std::string unavailableReason_;
    std::unordered_set<ConnectionId, ConnectionIdHash> enabled_;
    std::unordered_set<ConnectionId, ConnectionIdHash> stillOpen_;
};

} // namespace portscope::platform::winsys
