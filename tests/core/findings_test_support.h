#pragma once
// Drives the tracker and the findings engine with scripted snapshots, for the rule tests.

#include "core_test_support.h"
#include "portscope/core/findings_engine.h"

#include <algorithm>
#include <string>
#include <vector>

namespace portscope::core::testing {

// A socket from `owner` at 10.0.0.5:localPort to remote:remotePort in `state`.
inline Socket socketTo(std::uint64_t cookie, ProcessKey owner, IpAddress remote,
                       std::uint16_t remotePort, SocketState state, std::uint16_t localPort = 0) {
    Socket socket = tcpSocket(
        cookie, localPort == 0 ? static_cast<std::uint16_t>(40000 + cookie % 20000) : localPort,
        remotePort, owner);
    socket.local.address = IpAddress::v4(10, 0, 0, 5);
    socket.remote.address = remote;
    socket.state = state;
    if (state == SocketState::SynSent) {
        socket.counters = {};
        socket.counters.present = true;
    }
    return socket;
}

inline Socket listenerOn(std::uint64_t cookie, ProcessKey owner, IpAddress address,
                         std::uint16_t port, Protocol protocol = Protocol::Tcp) {
    Socket socket = tcpListener(cookie, port, owner);
    socket.protocol = protocol;
    socket.local.address = address;
    socket.remote.address = IpAddress::anyOf(address.family);
    if (protocol == Protocol::Udp) {
        socket.state = SocketState::Bound;
        socket.counters = {};
    }
    return socket;
}

// 10.1.x.y for host number n: distinct addresses for scans.
inline IpAddress host(int n) {
    return IpAddress::v4(10, 1, static_cast<std::uint8_t>(n / 250),
                         static_cast<std::uint8_t>(n % 250 + 1));
}

class RulesHarness {
public:
    explicit RulesHarness(FindingsConfig config = {}) : engine_(std::move(config)) {}

    UpdatePtr step(const Snapshot& snapshot) {
        auto update = tracker_.apply(snapshot);
        engine_.evaluate(const_cast<Update&>(*update));
        last_ = update;
        return update;
    }
    FindingsEngine& engine() { return engine_; }
    const UpdatePtr& last() const { return last_; }

private:
    Tracker tracker_;
    FindingsEngine engine_;
    UpdatePtr last_;
};

inline std::vector<const Finding*> findingsOf(const Update& update, std::string_view rule) {
    std::vector<const Finding*> out;
    for (const auto& finding : update.findings) {
        if (finding.ruleId == rule) {
            out.push_back(&finding);
        }
    }
    return out;
}

inline const Finding* onlyFinding(const Update& update, std::string_view rule) {
    const auto found = findingsOf(update, rule);
    return found.size() == 1 ? found.front() : nullptr;
}

inline bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

inline bool wasRaised(const Update& update, FindingId id) {
    return std::find(update.findingsRaised.begin(), update.findingsRaised.end(), id) !=
           update.findingsRaised.end();
}

inline bool wasUpdated(const Update& update, FindingId id) {
    return std::find(update.findingsUpdated.begin(), update.findingsUpdated.end(), id) !=
           update.findingsUpdated.end();
}

inline bool wasCleared(const Update& update, FindingId id) {
    return std::any_of(update.findingsCleared.begin(), update.findingsCleared.end(),
                       [&](const Finding& finding) { return finding.id == id; });
}

} // namespace portscope::core::testing
