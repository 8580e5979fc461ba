#include "portscope/core/update.h"

#include <algorithm>

namespace portscope::core {

void ConnectionCounts::add(const Connection& connection) {
    if (!connection.open) {
        ++closedRecently;
        return;
    }
    const Socket& socket = connection.socket;
    ++(socket.protocol == Protocol::Tcp ? tcp : udp);
    listening += isListening(socket) ? 1 : 0;
    established += socket.state == SocketState::Established ? 1 : 0;
}

const Connection* Update::findConnection(ConnectionId id) const {
    const auto it = std::lower_bound(
        connections.begin(), connections.end(), id,
        [](const Connection& connection, ConnectionId wanted) { return connection.id < wanted; });
    if (it == connections.end() || it->id != id) {
        return nullptr;
    }
    return &*it;
}

const ProcessRow* Update::findProcess(const ProcessKey& key) const {
    const auto it = std::lower_bound(
        processes.begin(), processes.end(), key,
        [](const ProcessRow& row, const ProcessKey& wanted) { return row.process.key < wanted; });
    if (it == processes.end() || it->process.key != key) {
        return nullptr;
    }
    return &*it;
}

const Finding* Update::findFinding(FindingId id) const {
    const auto it = std::lower_bound(
        findings.begin(), findings.end(), id,
        [](const Finding& finding, FindingId wanted) { return finding.id < wanted; });
    if (it == findings.end() || it->id != id) {
        return nullptr;
    }
    return &*it;
}

} // namespace portscope::core
