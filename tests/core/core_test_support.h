#pragma once
// Builders for snapshots and sockets, and field-by-field comparisons of updates, shared by
// the tracker and replay tests.

#include "portscope/core/tracker.h"

#include <cstdint>
#include <gtest/gtest.h>
#include <vector>

namespace portscope::core::testing {

inline constexpr std::int64_t kBaseUnixMs = 1'700'000'000'000;

// Loopback TCP connection 127.0.0.1:localPort -> 127.0.0.1:remotePort, counters present.
inline Socket tcpSocket(std::uint64_t cookie, std::uint16_t localPort, std::uint16_t remotePort,
                        ProcessKey owner = {}) {
    Socket socket;
    socket.protocol = Protocol::Tcp;
    socket.state = SocketState::Established;
    socket.local = Endpoint{IpAddress::v4(127, 0, 0, 1), localPort};
    socket.remote = Endpoint{IpAddress::v4(127, 0, 0, 1), remotePort};
    socket.cookie = cookie;
    socket.inode = cookie == 0 ? 0 : 100'000 + cookie;
    socket.counters.present = true;
    socket.owner = owner;
    socket.ownerStatus = owner.valid() ? OwnerStatus::Known : OwnerStatus::NotFound;
    return socket;
}

inline Socket tcpListener(std::uint64_t cookie, std::uint16_t port, ProcessKey owner = {}) {
    Socket socket = tcpSocket(cookie, port, 0, owner);
    socket.state = SocketState::Listen;
    socket.remote = Endpoint{IpAddress::anyOf(Family::V4), 0};
    socket.local.address = IpAddress::anyOf(Family::V4);
    return socket;
}

inline Socket udpSocket(std::uint64_t cookie, std::uint16_t port, ProcessKey owner = {}) {
    Socket socket;
    socket.protocol = Protocol::Udp;
    socket.state = SocketState::Bound;
    socket.local = Endpoint{IpAddress::v4(127, 0, 0, 1), port};
    socket.remote = Endpoint{IpAddress::anyOf(Family::V4), 0};
    socket.cookie = cookie;
    socket.inode = 200'000 + cookie;
    socket.owner = owner;
    socket.ownerStatus = owner.valid() ? OwnerStatus::Known : OwnerStatus::NotFound;
    return socket;
}

inline Socket withBytes(Socket socket, std::uint64_t acked, std::uint64_t received) {
    socket.counters.present = true;
    socket.counters.bytesAcked = acked;
    socket.counters.bytesReceived = received;
    return socket;
}

inline Process processOf(ProcessKey key, std::string name) {
    Process process;
    process.key = key;
    process.name = std::move(name);
    process.exePath = "/usr/bin/" + process.name;
    process.commandLine = process.name + " --serve";
    process.uid = 1000;
    process.userName = "alice";
    return process;
}

// A snapshot taken `seconds` after the start of the test session.
inline Snapshot snapshotAt(double seconds, std::vector<Socket> sockets = {},
                           std::vector<Socket> closed = {}, std::vector<Process> processes = {}) {
    Snapshot snapshot;
    snapshot.steadyNs = static_cast<std::int64_t>(seconds * 1e9);
    snapshot.unixMs = kBaseUnixMs + static_cast<std::int64_t>(seconds * 1000);
    snapshot.sockets = std::move(sockets);
    snapshot.closed = std::move(closed);
    snapshot.processes = std::move(processes);
    snapshot.sourceName = "test";
    return snapshot;
}

inline void expectSameConnection(const Connection& a, const Connection& b) {
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.socket, b.socket) << "connection " << a.id;
    EXPECT_EQ(a.change, b.change) << "connection " << a.id;
    EXPECT_EQ(a.open, b.open) << "connection " << a.id;
    EXPECT_EQ(a.shortLived, b.shortLived) << "connection " << a.id;
    EXPECT_EQ(a.tombstoneTicksLeft, b.tombstoneTicksLeft) << "connection " << a.id;
    EXPECT_EQ(a.firstSeenUnixMs, b.firstSeenUnixMs) << "connection " << a.id;
    EXPECT_EQ(a.lastSeenUnixMs, b.lastSeenUnixMs) << "connection " << a.id;
    EXPECT_EQ(a.closedUnixMs, b.closedUnixMs) << "connection " << a.id;
    EXPECT_EQ(a.hasRate, b.hasRate) << "connection " << a.id;
    EXPECT_EQ(a.sendBytesPerSecond, b.sendBytesPerSecond) << "connection " << a.id;
    EXPECT_EQ(a.receiveBytesPerSecond, b.receiveBytesPerSecond) << "connection " << a.id;
    EXPECT_EQ(a.bytesSent, b.bytesSent) << "connection " << a.id;
    EXPECT_EQ(a.bytesReceived, b.bytesReceived) << "connection " << a.id;
    EXPECT_EQ(a.remoteHostName, b.remoteHostName) << "connection " << a.id;
}

inline void expectSameCounts(const ConnectionCounts& a, const ConnectionCounts& b) {
    EXPECT_EQ(a.tcp, b.tcp);
    EXPECT_EQ(a.udp, b.udp);
    EXPECT_EQ(a.listening, b.listening);
    EXPECT_EQ(a.established, b.established);
    EXPECT_EQ(a.closedRecently, b.closedRecently);
}

// Everything but trackDurationNs, which measures this machine rather than the data.
inline void expectSameUpdate(const Update& a, const Update& b) {
    EXPECT_EQ(a.sequence, b.sequence);
    EXPECT_EQ(a.steadyNs, b.steadyNs);
    EXPECT_EQ(a.unixMs, b.unixMs);
    EXPECT_EQ(a.pollDurationNs, b.pollDurationNs);
    ASSERT_EQ(a.connections.size(), b.connections.size()) << "update " << a.sequence;
    for (std::size_t i = 0; i < a.connections.size(); ++i) {
        expectSameConnection(a.connections[i], b.connections[i]);
    }
    EXPECT_EQ(a.added, b.added);
    EXPECT_EQ(a.changed, b.changed);
    EXPECT_EQ(a.removed, b.removed);
    EXPECT_EQ(a.expired, b.expired);
    ASSERT_EQ(a.processes.size(), b.processes.size()) << "update " << a.sequence;
    for (std::size_t i = 0; i < a.processes.size(); ++i) {
        const ProcessRow& x = a.processes[i];
        const ProcessRow& y = b.processes[i];
        EXPECT_EQ(x.process, y.process);
        EXPECT_EQ(x.change, y.change);
        expectSameCounts(x.counts, y.counts);
        EXPECT_EQ(x.hasRate, y.hasRate);
        EXPECT_EQ(x.sendBytesPerSecond, y.sendBytesPerSecond);
        EXPECT_EQ(x.receiveBytesPerSecond, y.receiveBytesPerSecond);
        EXPECT_EQ(x.bytesSentTotal, y.bytesSentTotal);
        EXPECT_EQ(x.bytesReceivedTotal, y.bytesReceivedTotal);
        EXPECT_EQ(x.firstSeenUnixMs, y.firstSeenUnixMs);
    }
    EXPECT_EQ(a.processesExpired, b.processesExpired);
    expectSameCounts(a.totals.counts, b.totals.counts);
    EXPECT_EQ(a.totals.processes, b.totals.processes);
    EXPECT_EQ(a.totals.hasRate, b.totals.hasRate);
    EXPECT_EQ(a.totals.sendBytesPerSecond, b.totals.sendBytesPerSecond);
    EXPECT_EQ(a.totals.receiveBytesPerSecond, b.totals.receiveBytesPerSecond);
    EXPECT_EQ(a.totals.bytesSentTotal, b.totals.bytesSentTotal);
    EXPECT_EQ(a.totals.bytesReceivedTotal, b.totals.bytesReceivedTotal);
    ASSERT_NE(a.hostHistory, nullptr);
    ASSERT_NE(b.hostHistory, nullptr);
    EXPECT_EQ(a.hostHistory->toVector(), b.hostHistory->toVector());
    EXPECT_EQ(a.counters.present, b.counters.present);
    EXPECT_EQ(a.counters.tcp.outRsts, b.counters.tcp.outRsts);
    EXPECT_EQ(a.counters.all, b.counters.all);
    EXPECT_EQ(a.warnings, b.warnings);
    EXPECT_EQ(a.closeEventsLost, b.closeEventsLost);
    EXPECT_EQ(a.sourceName, b.sourceName);
}

} // namespace portscope::core::testing
