#include "core_test_support.h"
#include "portscope/core/tracker.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <map>
#include <random>
#include <set>

namespace portscope::core {
namespace {

using testing::kBaseUnixMs;
using testing::processOf;
using testing::snapshotAt;
using testing::tcpListener;
using testing::tcpSocket;
using testing::udpSocket;
using testing::withBytes;

const ProcessKey kNginx{100, 5000};
const ProcessKey kCurl{200, 6000};

// The id of the open (or, failing that, any) row with this cookie.
ConnectionId idOfCookie(const Update& update, std::uint64_t cookie) {
    ConnectionId found = 0;
    for (const auto& connection : update.connections) {
        if (connection.socket.cookie == cookie) {
            if (connection.open) {
                return connection.id;
            }
            found = connection.id;
        }
    }
    return found;
}

const Connection& connectionOf(const Update& update, ConnectionId id) {
    const Connection* connection = update.findConnection(id);
    if (connection == nullptr) {
        ADD_FAILURE() << "connection " << id << " is not listed in update " << update.sequence;
        static const Connection missing{};
        return missing;
    }
    return *connection;
}

const ProcessRow& processRowOf(const Update& update, const ProcessKey& key) {
    const ProcessRow* row = update.findProcess(key);
    if (row == nullptr) {
        ADD_FAILURE() << "process " << key.pid << "/" << key.startTime << " is not listed";
        static const ProcessRow missing{};
        return missing;
    }
    return *row;
}

// ---------------------------------------------------------------------------------------
// Identity

TEST(ConnectionKey, UsesTheCookieWhenPresentAndTheInodeOtherwise) {
    Socket withCookie = tcpSocket(5, 40000, 80);
    withCookie.inode = 9;
    const ConnectionKey cookieKey = connectionKeyOf(withCookie);
    EXPECT_EQ(cookieKey.cookie, 5u);
    EXPECT_EQ(cookieKey.inode, 0u);

    Socket closeEvent = withCookie; // destroy events carry inode 0
    closeEvent.inode = 0;
    EXPECT_EQ(connectionKeyOf(closeEvent), cookieKey);
    EXPECT_EQ(ConnectionKeyHash{}(connectionKeyOf(closeEvent)), ConnectionKeyHash{}(cookieKey));

    Socket noCookie = tcpSocket(0, 40000, 80);
    noCookie.inode = 9;
    const ConnectionKey inodeKey = connectionKeyOf(noCookie);
    EXPECT_EQ(inodeKey.cookie, 0u);
    EXPECT_EQ(inodeKey.inode, 9u);
    EXPECT_NE(inodeKey, cookieKey);
}

TEST(ConnectionKey, DiffersWhenAnyIdentityFieldDiffers) {
    const Socket base = tcpSocket(5, 40000, 80);
    const ConnectionKey key = connectionKeyOf(base);
    Socket other = base;
    other.remote.port = 81;
    EXPECT_NE(connectionKeyOf(other), key);
    other = base;
    other.local.address = IpAddress::v4(127, 0, 0, 2);
    EXPECT_NE(connectionKeyOf(other), key);
    other = base;
    other.protocol = Protocol::Udp;
    EXPECT_NE(connectionKeyOf(other), key);
    other = base;
    other.netns = 4026531993;
    EXPECT_NE(connectionKeyOf(other), key);
    other = base;
    other.cookie = 6;
    EXPECT_NE(connectionKeyOf(other), key);

    // State, owner and counters are not identity.
    other = base;
    other.state = SocketState::CloseWait;
    other.owner = kNginx;
    other.counters.bytesAcked = 77;
    EXPECT_EQ(connectionKeyOf(other), key);
}

TEST(Tracker, FirstUpdateAddsEverySocketWithIdsFromOne) {
    Tracker tracker;
    const auto update = tracker.apply(snapshotAt(
        0, {tcpSocket(30, 40000, 80), tcpSocket(10, 40001, 80), tcpSocket(20, 40002, 80)}));
    EXPECT_EQ(update->sequence, 1u);
    ASSERT_EQ(update->connections.size(), 3u);
    // Ids follow the order the sockets were listed in.
    EXPECT_EQ(update->connections[0].id, 1u);
    EXPECT_EQ(update->connections[0].socket.cookie, 30u);
    EXPECT_EQ(update->connections[2].id, 3u);
    EXPECT_EQ(update->connections[2].socket.cookie, 20u);
    EXPECT_EQ(update->added, (std::vector<ConnectionId>{1, 2, 3}));
    EXPECT_TRUE(update->removed.empty());
    EXPECT_TRUE(update->changed.empty());
    EXPECT_TRUE(update->expired.empty());
    for (const auto& connection : update->connections) {
        EXPECT_EQ(connection.change, RowChange::Added);
        EXPECT_TRUE(connection.open);
        EXPECT_FALSE(connection.hasRate);
        EXPECT_EQ(connection.firstSeenUnixMs, kBaseUnixMs);
        EXPECT_EQ(connection.closedUnixMs, 0);
    }
}

TEST(Tracker, SameSocketKeepsItsIdAndIsNotReportedAgain) {
    Tracker tracker;
    tracker.apply(snapshotAt(0, {tcpSocket(10, 40000, 80), tcpSocket(11, 40001, 80)}));
    // Listed in a different order, as a dump may do.
    const auto update =
        tracker.apply(snapshotAt(1, {tcpSocket(11, 40001, 80), tcpSocket(10, 40000, 80)}));
    EXPECT_EQ(update->sequence, 2u);
    ASSERT_EQ(update->connections.size(), 2u);
    EXPECT_EQ(idOfCookie(*update, 10), 1u);
    EXPECT_EQ(idOfCookie(*update, 11), 2u);
    EXPECT_TRUE(update->added.empty());
    EXPECT_TRUE(update->removed.empty());
    for (const auto& connection : update->connections) {
        EXPECT_EQ(connection.change, RowChange::None);
        EXPECT_EQ(connection.firstSeenUnixMs, kBaseUnixMs);
        EXPECT_EQ(connection.lastSeenUnixMs, kBaseUnixMs + 1000);
    }
}

TEST(Tracker, SocketsWithoutCookieAreMatchedByInode) {
    Tracker tracker;
    Socket socket = tcpSocket(0, 40000, 80);
    socket.inode = 42;
    tracker.apply(snapshotAt(0, {socket}));
    auto update = tracker.apply(snapshotAt(1, {socket}));
    EXPECT_TRUE(update->added.empty());

    socket.inode = 43; // same endpoints, another socket
    update = tracker.apply(snapshotAt(2, {socket}));
    EXPECT_EQ(update->added, std::vector<ConnectionId>{2});
    EXPECT_EQ(update->removed, std::vector<ConnectionId>{1});
}

TEST(Tracker, DuplicateSocketInOneDumpIsListedOnce) {
    Tracker tracker;
    const Socket socket = tcpSocket(10, 40000, 80);
    const auto update = tracker.apply(snapshotAt(0, {socket, socket}));
    EXPECT_EQ(update->connections.size(), 1u);
    EXPECT_EQ(update->added.size(), 1u);
}

// ---------------------------------------------------------------------------------------
// Mark and sweep

TEST(Tracker, VanishedSocketStaysAsTombstoneThenExpires) {
    Tracker tracker(TrackerOptions{.tombstoneTicks = 3});
    tracker.apply(snapshotAt(0, {tcpSocket(10, 40000, 80), tcpSocket(11, 40001, 80)}));

    auto update = tracker.apply(snapshotAt(1, {tcpSocket(11, 40001, 80)}));
    EXPECT_EQ(update->removed, std::vector<ConnectionId>{1});
    EXPECT_TRUE(update->expired.empty());
    const Connection& closed = connectionOf(*update, 1);
    EXPECT_FALSE(closed.open);
    EXPECT_FALSE(closed.shortLived);
    EXPECT_EQ(closed.change, RowChange::Closed);
    EXPECT_EQ(closed.tombstoneTicksLeft, 3u);
    EXPECT_EQ(closed.closedUnixMs, kBaseUnixMs + 1000);
    EXPECT_EQ(closed.lastSeenUnixMs, kBaseUnixMs);

    for (std::uint32_t expectedLeft : {2u, 1u}) {
        update = tracker.apply(snapshotAt(1 + (3 - expectedLeft), {tcpSocket(11, 40001, 80)}));
        EXPECT_TRUE(update->removed.empty());
        EXPECT_TRUE(update->expired.empty());
        const Connection& tombstone = connectionOf(*update, 1);
        EXPECT_FALSE(tombstone.open);
        EXPECT_EQ(tombstone.change, RowChange::None);
        EXPECT_EQ(tombstone.tombstoneTicksLeft, expectedLeft);
    }

    update = tracker.apply(snapshotAt(4, {tcpSocket(11, 40001, 80)}));
    EXPECT_EQ(update->expired, std::vector<ConnectionId>{1});
    EXPECT_EQ(update->findConnection(1), nullptr);
    EXPECT_EQ(update->connections.size(), 1u);

    update = tracker.apply(snapshotAt(5, {tcpSocket(11, 40001, 80)}));
    EXPECT_TRUE(update->expired.empty()) << "a tombstone expires once";
}

TEST(Tracker, ZeroTombstoneTicksShowsTheClosedRowOnce) {
    Tracker tracker(TrackerOptions{.tombstoneTicks = 0});
    tracker.apply(snapshotAt(0, {tcpSocket(10, 40000, 80)}));
    auto update = tracker.apply(snapshotAt(1));
    EXPECT_EQ(update->removed, std::vector<ConnectionId>{1});
    ASSERT_NE(update->findConnection(1), nullptr);
    EXPECT_EQ(update->findConnection(1)->tombstoneTicksLeft, 0u);
    update = tracker.apply(snapshotAt(2));
    EXPECT_EQ(update->expired, std::vector<ConnectionId>{1});
    EXPECT_TRUE(update->connections.empty());
}

TEST(Tracker, KeyOfATombstoneComingBackIsANewConnectionAndTheTombstoneExpiresAtOnce) {
    Tracker tracker(TrackerOptions{.tombstoneTicks = 5});
    Socket socket = tcpSocket(0, 40000, 80); // a source without cookies reusing an inode
    socket.inode = 42;
    tracker.apply(snapshotAt(0, {socket}));
    tracker.apply(snapshotAt(1));
    const auto update = tracker.apply(snapshotAt(2, {socket}));
    EXPECT_EQ(update->added, std::vector<ConnectionId>{2});
    EXPECT_EQ(update->expired, std::vector<ConnectionId>{1});
    ASSERT_EQ(update->connections.size(), 1u);
    EXPECT_EQ(update->connections[0].id, 2u);
    EXPECT_TRUE(update->connections[0].open);
    EXPECT_EQ(update->connections[0].change, RowChange::Added);

    // The new connection is tracked normally from here on.
    const auto next = tracker.apply(snapshotAt(3, {socket}));
    EXPECT_TRUE(next->added.empty());
    EXPECT_TRUE(next->expired.empty());
    EXPECT_EQ(idOfCookie(*next, 0), 2u);
}

TEST(Tracker, CookieReusedWithDifferentEndpointsIsANewConnection) {
    Tracker tracker;
    tracker.apply(snapshotAt(0, {tcpSocket(10, 40000, 80)}));
    const auto update = tracker.apply(snapshotAt(1, {tcpSocket(10, 40000, 443)}));
    EXPECT_EQ(update->added, std::vector<ConnectionId>{2});
    EXPECT_EQ(update->removed, std::vector<ConnectionId>{1});
    EXPECT_EQ(connectionOf(*update, 2).socket.remote.port, 443);
    EXPECT_FALSE(connectionOf(*update, 1).open);
}

TEST(Tracker, StateOwnerAndQueueChangesAreReportedAsChanged) {
    Tracker tracker;
    std::vector<Socket> sockets;
    for (std::uint64_t cookie = 1; cookie <= 6; ++cookie) {
        sockets.push_back(
            tcpSocket(cookie, static_cast<std::uint16_t>(40000 + cookie), 80, kNginx));
    }
    tracker.apply(snapshotAt(0, sockets));

    sockets[0].state = SocketState::CloseWait;
    sockets[1].owner = kCurl;
    sockets[2].ownerStatus = OwnerStatus::PermissionDenied;
    sockets[3].receiveQueue = 10;
    sockets[4].sendQueue = 20;
    sockets[5].counters.bytesAcked = 5000; // traffic alone is a rate, not a change
    sockets[5].counters.segsOut = 9;
    std::reverse(sockets.begin(), sockets.end());
    auto update = tracker.apply(snapshotAt(1, sockets));
    EXPECT_EQ(update->changed, (std::vector<ConnectionId>{1, 2, 3, 4, 5}));
    for (ConnectionId id = 1; id <= 5; ++id) {
        EXPECT_EQ(connectionOf(*update, id).change, RowChange::Changed) << id;
    }
    EXPECT_EQ(connectionOf(*update, 6).change, RowChange::None);
    EXPECT_EQ(connectionOf(*update, 1).socket.state, SocketState::CloseWait);
    EXPECT_EQ(connectionOf(*update, 2).socket.owner, kCurl);

    update = tracker.apply(snapshotAt(2, sockets));
    EXPECT_TRUE(update->changed.empty());
    for (const auto& connection : update->connections) {
        EXPECT_EQ(connection.change, RowChange::None);
    }
}

// ---------------------------------------------------------------------------------------
// Rates

TEST(Tracker, RatesComeFromCounterDeltasOverSteadyTime) {
    Tracker tracker;
    auto update =
        tracker.apply(snapshotAt(0, {withBytes(tcpSocket(1, 40000, 80, kNginx), 1000, 500)}));
    const Connection& first = connectionOf(*update, 1);
    EXPECT_FALSE(first.hasRate);
    EXPECT_EQ(first.sendBytesPerSecond, 0);
    EXPECT_EQ(first.bytesSent, 1000u);
    EXPECT_EQ(first.bytesReceived, 500u);
    EXPECT_FALSE(update->totals.hasRate);
    EXPECT_EQ(update->totals.bytesSentTotal, 0u) << "bytes from before monitoring are not counted";

    update = tracker.apply(snapshotAt(2, {withBytes(tcpSocket(1, 40000, 80, kNginx), 5000, 2500)}));
    const Connection& second = connectionOf(*update, 1);
    EXPECT_TRUE(second.hasRate);
    EXPECT_DOUBLE_EQ(second.sendBytesPerSecond, 2000.0);
    EXPECT_DOUBLE_EQ(second.receiveBytesPerSecond, 1000.0);
    EXPECT_EQ(second.bytesSent, 5000u);
    EXPECT_EQ(second.bytesReceived, 2500u);
    EXPECT_EQ(second.change, RowChange::None);

    const ProcessRow& nginx = processRowOf(*update, kNginx);
    EXPECT_TRUE(nginx.hasRate);
    EXPECT_DOUBLE_EQ(nginx.sendBytesPerSecond, 2000.0);
    EXPECT_DOUBLE_EQ(nginx.receiveBytesPerSecond, 1000.0);
    EXPECT_EQ(nginx.bytesSentTotal, 4000u);
    EXPECT_EQ(nginx.bytesReceivedTotal, 2000u);
    EXPECT_TRUE(update->totals.hasRate);
    EXPECT_DOUBLE_EQ(update->totals.sendBytesPerSecond, 2000.0);
    EXPECT_DOUBLE_EQ(update->totals.receiveBytesPerSecond, 1000.0);

    update =
        tracker.apply(snapshotAt(2.5, {withBytes(tcpSocket(1, 40000, 80, kNginx), 5500, 2500)}));
    EXPECT_DOUBLE_EQ(connectionOf(*update, 1).sendBytesPerSecond, 1000.0);
    EXPECT_DOUBLE_EQ(connectionOf(*update, 1).receiveBytesPerSecond, 0.0);
    EXPECT_TRUE(connectionOf(*update, 1).hasRate);
    EXPECT_EQ(update->totals.bytesSentTotal, 4500u);
}

TEST(Tracker, CounterGoingBackwardsGivesZeroAndBecomesTheNewBaseline) {
    Tracker tracker;
    tracker.apply(snapshotAt(0, {withBytes(tcpSocket(1, 40000, 80), 5000, 5000)}));
    auto update = tracker.apply(snapshotAt(1, {withBytes(tcpSocket(1, 40000, 80), 100, 200)}));
    const Connection& reset = connectionOf(*update, 1);
    EXPECT_TRUE(reset.hasRate);
    EXPECT_EQ(reset.sendBytesPerSecond, 0.0);
    EXPECT_EQ(reset.receiveBytesPerSecond, 0.0);
    EXPECT_EQ(reset.bytesSent, 100u);
    EXPECT_EQ(update->totals.bytesSentTotal, 0u);

    update = tracker.apply(snapshotAt(2, {withBytes(tcpSocket(1, 40000, 80), 1100, 1200)}));
    EXPECT_DOUBLE_EQ(connectionOf(*update, 1).sendBytesPerSecond, 1000.0);
    EXPECT_DOUBLE_EQ(connectionOf(*update, 1).receiveBytesPerSecond, 1000.0);
    EXPECT_EQ(update->totals.bytesSentTotal, 1000u);
    EXPECT_EQ(update->totals.bytesReceivedTotal, 1000u);
}

TEST(Tracker, SnapshotFromThePastCountsAsTakenAtThePreviousTime) {
    Tracker tracker;
    tracker.apply(snapshotAt(0, {withBytes(tcpSocket(1, 40000, 80), 0, 0)}));
    auto update = tracker.apply(snapshotAt(2, {withBytes(tcpSocket(1, 40000, 80), 2000, 0)}));
    EXPECT_DOUBLE_EQ(connectionOf(*update, 1).sendBytesPerSecond, 1000.0);

    // The steady clock went backwards: no interval, so no rate, but the bytes still count.
    update = tracker.apply(snapshotAt(1, {withBytes(tcpSocket(1, 40000, 80), 3000, 0)}));
    EXPECT_FALSE(connectionOf(*update, 1).hasRate);
    EXPECT_FALSE(update->totals.hasRate);
    EXPECT_EQ(update->totals.bytesSentTotal, 3000u);

    // The next interval is measured from t=2 s, the latest time seen.
    update = tracker.apply(snapshotAt(3, {withBytes(tcpSocket(1, 40000, 80), 4000, 0)}));
    EXPECT_TRUE(connectionOf(*update, 1).hasRate);
    EXPECT_DOUBLE_EQ(connectionOf(*update, 1).sendBytesPerSecond, 1000.0);
    EXPECT_DOUBLE_EQ(update->totals.sendBytesPerSecond, 1000.0);
}

TEST(Tracker, SocketWithoutCountersHasNoRate) {
    Tracker tracker;
    tracker.apply(snapshotAt(0, {udpSocket(1, 5353, kNginx)}));
    auto update = tracker.apply(snapshotAt(1, {udpSocket(1, 5353, kNginx)}));
    EXPECT_FALSE(connectionOf(*update, 1).hasRate);
    EXPECT_EQ(connectionOf(*update, 1).bytesSent, 0u);

    // A TCP socket whose tcp_info went missing keeps its last figures and shows no rate.
    tracker.apply(snapshotAt(2, {withBytes(tcpSocket(2, 40000, 80), 700, 70)}));
    Socket withoutInfo = tcpSocket(2, 40000, 80);
    withoutInfo.counters = {};
    update = tracker.apply(snapshotAt(3, {withoutInfo}));
    const Connection& tcp = connectionOf(*update, idOfCookie(*update, 2));
    EXPECT_FALSE(tcp.hasRate);
    EXPECT_EQ(tcp.bytesSent, 700u);
    EXPECT_EQ(tcp.bytesReceived, 70u);
}

// ---------------------------------------------------------------------------------------
// Processes

TEST(Tracker, RecycledPidWithNewStartTimeIsASeparateProcess) {
    const ProcessKey oldProcess{500, 111};
    const ProcessKey newProcess{500, 222};
    Tracker tracker(TrackerOptions{.tombstoneTicks = 1});
    auto update = tracker.apply(snapshotAt(0, {tcpSocket(1, 40000, 80, oldProcess)}, {},
                                           {processOf(oldProcess, "old-daemon")}));
    ASSERT_EQ(update->processes.size(), 1u);

    update = tracker.apply(snapshotAt(1, {tcpSocket(2, 40001, 80, newProcess)}, {},
                                      {processOf(newProcess, "new-daemon")}));
    ASSERT_EQ(update->processes.size(), 2u);
    EXPECT_EQ(update->processes[0].process.key, oldProcess);
    EXPECT_EQ(update->processes[0].process.name, "old-daemon");
    EXPECT_EQ(update->processes[0].counts.closedRecently, 1u);
    EXPECT_EQ(update->processes[0].counts.tcp, 0u);
    EXPECT_EQ(update->processes[0].change, RowChange::None);
    EXPECT_EQ(update->processes[1].process.key, newProcess);
    EXPECT_EQ(update->processes[1].process.name, "new-daemon");
    EXPECT_EQ(update->processes[1].counts.tcp, 1u);
    EXPECT_EQ(update->processes[1].change, RowChange::Added);

    update = tracker.apply(snapshotAt(2, {tcpSocket(2, 40001, 80, newProcess)}));
    EXPECT_EQ(update->processesExpired, std::vector<ProcessKey>{oldProcess});
    ASSERT_EQ(update->processes.size(), 1u);
    EXPECT_EQ(update->processes[0].process.key, newProcess);
    EXPECT_EQ(update->findProcess(oldProcess), nullptr);
}

TEST(Tracker, ProcessRateSumsItsConnectionsIncludingNewAndClosedOnes) {
    Tracker tracker;
    tracker.apply(snapshotAt(0, {withBytes(tcpSocket(1, 40001, 80, kNginx), 0, 0),
                                 withBytes(tcpSocket(2, 40002, 80, kNginx), 0, 0)}));
    auto update =
        tracker.apply(snapshotAt(0.5, {withBytes(tcpSocket(1, 40001, 80, kNginx), 100, 0),
                                       withBytes(tcpSocket(2, 40002, 80, kNginx), 300, 50),
                                       withBytes(tcpSocket(3, 40003, 80, kNginx), 1000, 0)}));
    const ProcessRow* nginx = &processRowOf(*update, kNginx);
    EXPECT_TRUE(nginx->hasRate);
    // 100 + 300 + the 1000 bytes of a connection born in this interval, over 0.5 s.
    EXPECT_DOUBLE_EQ(nginx->sendBytesPerSecond, 2800.0);
    EXPECT_DOUBLE_EQ(nginx->receiveBytesPerSecond, 100.0);
    EXPECT_EQ(nginx->bytesSentTotal, 1400u);
    EXPECT_FALSE(connectionOf(*update, 3).hasRate) << "a new connection has no rate of its own";

    // Connection 1 vanishes silently; 2 closes with final counters; 3 moves 200 bytes.
    update = tracker.apply(snapshotAt(1, {withBytes(tcpSocket(3, 40003, 80, kNginx), 1200, 0)},
                                      {withBytes(tcpSocket(2, 40002, 80), 400, 50)}));
    nginx = &processRowOf(*update, kNginx);
    EXPECT_DOUBLE_EQ(nginx->sendBytesPerSecond, 600.0);
    EXPECT_DOUBLE_EQ(nginx->receiveBytesPerSecond, 0.0);
    EXPECT_EQ(nginx->bytesSentTotal, 1700u);
    EXPECT_EQ(nginx->bytesReceivedTotal, 50u);
    EXPECT_EQ(nginx->counts.tcp, 1u);
    EXPECT_EQ(nginx->counts.closedRecently, 2u);
    EXPECT_EQ(update->totals.bytesSentTotal, 1700u);
}

TEST(Tracker, ProcessHasNoRateOnItsFirstUpdate) {
    Tracker tracker;
    tracker.apply(snapshotAt(0, {withBytes(tcpSocket(1, 40001, 80, kNginx), 0, 0)}));
    auto update = tracker.apply(snapshotAt(1, {withBytes(tcpSocket(1, 40001, 80, kNginx), 10, 0),
                                               withBytes(tcpSocket(2, 40002, 80, kCurl), 500, 0)}));
    const ProcessRow& curl = processRowOf(*update, kCurl);
    EXPECT_EQ(curl.change, RowChange::Added);
    EXPECT_FALSE(curl.hasRate);
    EXPECT_EQ(curl.sendBytesPerSecond, 0.0);
    EXPECT_EQ(curl.bytesSentTotal, 500u);
    EXPECT_EQ(curl.firstSeenUnixMs, kBaseUnixMs + 1000);
    EXPECT_TRUE(processRowOf(*update, kNginx).hasRate);
    EXPECT_DOUBLE_EQ(update->totals.sendBytesPerSecond, 510.0);

    update = tracker.apply(snapshotAt(2, {withBytes(tcpSocket(1, 40001, 80, kNginx), 10, 0),
                                          withBytes(tcpSocket(2, 40002, 80, kCurl), 800, 0)}));
    EXPECT_TRUE(processRowOf(*update, kCurl).hasRate);
    EXPECT_DOUBLE_EQ(processRowOf(*update, kCurl).sendBytesPerSecond, 300.0);
    EXPECT_EQ(processRowOf(*update, kCurl).change, RowChange::None);
    EXPECT_EQ(processRowOf(*update, kCurl).firstSeenUnixMs, kBaseUnixMs + 1000);
}

TEST(Tracker, ProcessDetailsAreKeptWhenMissingLaterAndChangesAreReported) {
    Tracker tracker;
    Process details = processOf(kNginx, "nginx");
    details.socketCount = 1;
    const Socket socket = tcpSocket(1, 40001, 80, kNginx);

    auto update = tracker.apply(snapshotAt(0, {socket}, {}, {details}));
    EXPECT_EQ(processRowOf(*update, kNginx).change, RowChange::Added);
    EXPECT_EQ(processRowOf(*update, kNginx).process, details);

    update = tracker.apply(snapshotAt(1, {socket}));
    EXPECT_EQ(processRowOf(*update, kNginx).change, RowChange::None);
    EXPECT_EQ(processRowOf(*update, kNginx).process, details) << "last known details are kept";

    details.socketCount = 7;
    update = tracker.apply(snapshotAt(2, {socket}, {}, {details}));
    EXPECT_EQ(processRowOf(*update, kNginx).change, RowChange::None)
        << "a socket count is a count, not a change of the process";
    EXPECT_EQ(processRowOf(*update, kNginx).process.socketCount, 7u);

    details.name = "nginx: worker process";
    update = tracker.apply(snapshotAt(3, {socket}, {}, {details}));
    EXPECT_EQ(processRowOf(*update, kNginx).change, RowChange::Changed);
    EXPECT_EQ(processRowOf(*update, kNginx).process.name, "nginx: worker process");

    update = tracker.apply(snapshotAt(4, {socket}, {}, {details}));
    EXPECT_EQ(processRowOf(*update, kNginx).change, RowChange::None);
}

TEST(Tracker, ProcessWithoutDetailsIsListedByItsKey) {
    Tracker tracker;
    const auto update = tracker.apply(snapshotAt(0, {tcpSocket(1, 40001, 80, kNginx)}));
    ASSERT_EQ(update->processes.size(), 1u);
    EXPECT_EQ(update->processes[0].process.key, kNginx);
    EXPECT_TRUE(update->processes[0].process.name.empty());
}

TEST(Tracker, DetailsOfProcessesOwningNothingAreNotListed) {
    Tracker tracker;
    const auto update =
        tracker.apply(snapshotAt(0, {tcpSocket(1, 40001, 80, kNginx)}, {},
                                 {processOf(kNginx, "nginx"), processOf(kCurl, "curl")}));
    ASSERT_EQ(update->processes.size(), 1u);
    EXPECT_EQ(update->processes[0].process.name, "nginx");
}

TEST(Tracker, ProcessExpiresWithItsLastTombstone) {
    Tracker tracker(TrackerOptions{.tombstoneTicks = 2});
    tracker.apply(snapshotAt(0, {tcpSocket(1, 40001, 80, kNginx), tcpSocket(2, 40002, 80, kCurl)}));
    auto update = tracker.apply(snapshotAt(1, {tcpSocket(2, 40002, 80, kCurl)}));
    EXPECT_EQ(processRowOf(*update, kNginx).counts.closedRecently, 1u);
    EXPECT_TRUE(update->processesExpired.empty());
    update = tracker.apply(snapshotAt(2, {tcpSocket(2, 40002, 80, kCurl)}));
    EXPECT_NE(update->findProcess(kNginx), nullptr);
    update = tracker.apply(snapshotAt(3, {tcpSocket(2, 40002, 80, kCurl)}));
    EXPECT_EQ(update->expired, std::vector<ConnectionId>{1});
    EXPECT_EQ(update->processesExpired, std::vector<ProcessKey>{kNginx});
    EXPECT_EQ(update->findProcess(kNginx), nullptr);
    EXPECT_EQ(update->totals.processes, 1u);

    // Coming back later, it is a new row again.
    update = tracker.apply(
        snapshotAt(4, {tcpSocket(2, 40002, 80, kCurl), tcpSocket(3, 40003, 80, kNginx)}));
    EXPECT_EQ(processRowOf(*update, kNginx).change, RowChange::Added);
    EXPECT_FALSE(processRowOf(*update, kNginx).hasRate);
}

TEST(Tracker, OwnerChangeMovesTheConnectionToTheNewProcess) {
    Tracker tracker;
    tracker.apply(snapshotAt(0, {withBytes(tcpSocket(1, 40001, 80, kNginx), 0, 0),
                                 withBytes(tcpSocket(2, 40002, 80, kCurl), 0, 0)}));
    // The socket was passed to curl (or its owner was resolved differently).
    const auto update =
        tracker.apply(snapshotAt(1, {withBytes(tcpSocket(1, 40001, 80, kCurl), 300, 0),
                                     withBytes(tcpSocket(2, 40002, 80, kCurl), 0, 0)}));
    EXPECT_EQ(update->processesExpired, std::vector<ProcessKey>{kNginx});
    EXPECT_EQ(processRowOf(*update, kCurl).counts.tcp, 2u);
    EXPECT_DOUBLE_EQ(processRowOf(*update, kCurl).sendBytesPerSecond, 300.0);
    EXPECT_EQ(update->changed, std::vector<ConnectionId>{1});
}

TEST(Tracker, CountsByProtocolStateAndTombstone) {
    Tracker tracker;
    Socket synSent = tcpSocket(3, 40003, 80, kCurl);
    synSent.state = SocketState::SynSent;
    Socket connectedUdp = udpSocket(5, 5000, kCurl);
    connectedUdp.state = SocketState::Established;
    connectedUdp.remote = Endpoint{IpAddress::v4(127, 0, 0, 53), 53};
    std::vector<Socket> sockets{tcpSocket(1, 40001, 80, kNginx),
                                tcpListener(2, 80, kNginx),
                                synSent,
                                udpSocket(4, 5353, kNginx),
                                connectedUdp,
                                tcpSocket(6, 40006, 80)};
    auto update = tracker.apply(snapshotAt(0, sockets));
    const auto& host = update->totals.counts;
    EXPECT_EQ(host.tcp, 4u);
    EXPECT_EQ(host.udp, 2u);
    EXPECT_EQ(host.listening, 2u);
    EXPECT_EQ(host.established, 3u);
    EXPECT_EQ(host.closedRecently, 0u);
    EXPECT_EQ(update->totals.processes, 2u);

    const auto& nginx = processRowOf(*update, kNginx).counts;
    EXPECT_EQ(nginx.tcp, 2u);
    EXPECT_EQ(nginx.udp, 1u);
    EXPECT_EQ(nginx.listening, 2u);
    EXPECT_EQ(nginx.established, 1u);
    const auto& curl = processRowOf(*update, kCurl).counts;
    EXPECT_EQ(curl.tcp, 1u);
    EXPECT_EQ(curl.udp, 1u);
    EXPECT_EQ(curl.listening, 0u);
    EXPECT_EQ(curl.established, 1u);

    sockets.erase(sockets.begin()); // nginx's established connection closes
    update = tracker.apply(snapshotAt(1, sockets));
    EXPECT_EQ(update->totals.counts.tcp, 3u);
    EXPECT_EQ(update->totals.counts.established, 2u);
    EXPECT_EQ(update->totals.counts.closedRecently, 1u);
    EXPECT_EQ(processRowOf(*update, kNginx).counts.tcp, 1u);
    EXPECT_EQ(processRowOf(*update, kNginx).counts.established, 0u);
    EXPECT_EQ(processRowOf(*update, kNginx).counts.closedRecently, 1u);
}

// ---------------------------------------------------------------------------------------
// Close events

TEST(Tracker, ShortLivedConnectionIsAddedAndRemovedWithFinalBytesAndOwnerByCookie) {
    Tracker tracker(TrackerOptions{.tombstoneTicks = 4});
    // Seen once, bound but not yet connected, with its owner.
    Socket bound = tcpSocket(77, 40000, 0, kCurl);
    bound.state = SocketState::Close;
    bound.remote = Endpoint{IpAddress::anyOf(Family::V4), 0};
    tracker.apply(
        snapshotAt(0, {bound, tcpSocket(1, 40001, 80, kCurl)}, {}, {processOf(kCurl, "curl")}));

    // It connected, moved data and closed between polls; the event has no owner.
    Socket event = withBytes(tcpSocket(77, 40000, 8080), 3002, 1201);
    event.inode = 0;
    event.state = SocketState::TimeWait;
    event.ownerStatus = OwnerStatus::NoInode;
    const auto update = tracker.apply(snapshotAt(1, {tcpSocket(1, 40001, 80, kCurl)}, {event}));

    const ConnectionId shortId = 3;
    EXPECT_EQ(update->added, std::vector<ConnectionId>{shortId});
    EXPECT_EQ(update->removed, (std::vector<ConnectionId>{1, shortId}));
    const Connection& shortLived = connectionOf(*update, shortId);
    EXPECT_TRUE(shortLived.shortLived);
    EXPECT_FALSE(shortLived.open);
    EXPECT_EQ(shortLived.change, RowChange::Closed);
    EXPECT_EQ(shortLived.tombstoneTicksLeft, 4u);
    EXPECT_EQ(shortLived.bytesSent, 3002u);
    EXPECT_EQ(shortLived.bytesReceived, 1201u);
    EXPECT_FALSE(shortLived.hasRate);
    EXPECT_EQ(shortLived.socket.owner, kCurl);
    EXPECT_EQ(shortLived.socket.ownerStatus, OwnerStatus::Known);
    EXPECT_EQ(shortLived.socket.remote.port, 8080);
    EXPECT_EQ(shortLived.firstSeenUnixMs, kBaseUnixMs + 1000);
    EXPECT_EQ(shortLived.closedUnixMs, kBaseUnixMs + 1000);

    const Connection& boundRow = connectionOf(*update, 1);
    EXPECT_FALSE(boundRow.open);
    EXPECT_FALSE(boundRow.shortLived);

    const ProcessRow& curl = processRowOf(*update, kCurl);
    EXPECT_EQ(curl.process.name, "curl");
    EXPECT_DOUBLE_EQ(curl.sendBytesPerSecond, 3002.0);
    EXPECT_DOUBLE_EQ(curl.receiveBytesPerSecond, 1201.0);
    EXPECT_EQ(curl.bytesSentTotal, 3002u);
    EXPECT_EQ(curl.counts.closedRecently, 2u);
    EXPECT_EQ(curl.counts.tcp, 1u);
    EXPECT_EQ(update->totals.bytesReceivedTotal, 1201u);
}

TEST(Tracker, ShortLivedConnectionWithUnknownCookieHasNoOwner) {
    Tracker tracker;
    tracker.apply(snapshotAt(0));
    Socket event = withBytes(tcpSocket(99, 40000, 8080), 10, 20);
    event.inode = 0;
    const auto update = tracker.apply(snapshotAt(1, {}, {event}));
    ASSERT_EQ(update->connections.size(), 1u);
    EXPECT_FALSE(update->connections[0].socket.owner.valid());
    EXPECT_TRUE(update->connections[0].shortLived);
    EXPECT_TRUE(update->processes.empty());
    EXPECT_EQ(update->totals.bytesSentTotal, 10u) << "unowned traffic still counts for the host";
    EXPECT_DOUBLE_EQ(update->totals.receiveBytesPerSecond, 20.0);
}

TEST(Tracker, ShortLivedConnectionsOnTheFirstUpdateAreListedButNotCounted) {
    Tracker tracker;
    Socket event = withBytes(tcpSocket(99, 40000, 8080, kCurl), 10, 20);
    const auto update = tracker.apply(snapshotAt(0, {}, {event}));
    EXPECT_EQ(update->added, std::vector<ConnectionId>{1});
    EXPECT_EQ(update->removed, std::vector<ConnectionId>{1});
    EXPECT_EQ(update->totals.bytesSentTotal, 0u)
        << "on the first update nobody knows when these bytes moved";
    EXPECT_EQ(processRowOf(*update, kCurl).counts.closedRecently, 1u);
}

TEST(Tracker, CloseEventForAnOpenSocketClosesItWithItsFinalCounters) {
    Tracker tracker;
    tracker.apply(snapshotAt(0, {withBytes(tcpSocket(1, 40001, 80, kNginx), 1000, 1000)}));
    tracker.apply(snapshotAt(1, {withBytes(tcpSocket(1, 40001, 80, kNginx), 3000, 2000)}));
    Socket event = withBytes(tcpSocket(1, 40001, 80), 3500, 2600);
    event.inode = 0;
    event.state = SocketState::FinWait1;
    const auto update = tracker.apply(snapshotAt(2, {}, {event}));
    EXPECT_EQ(update->removed, std::vector<ConnectionId>{1});
    EXPECT_TRUE(update->added.empty());
    const Connection& closed = connectionOf(*update, 1);
    EXPECT_FALSE(closed.open);
    EXPECT_FALSE(closed.shortLived);
    EXPECT_EQ(closed.change, RowChange::Closed);
    EXPECT_EQ(closed.bytesSent, 3500u);
    EXPECT_EQ(closed.bytesReceived, 2600u);
    EXPECT_EQ(closed.socket.owner, kNginx) << "the owner seen while open is kept";
    EXPECT_EQ(closed.lastSeenUnixMs, kBaseUnixMs + 2000);
    EXPECT_TRUE(closed.hasRate) << "the final interval has a rate";
    EXPECT_DOUBLE_EQ(closed.sendBytesPerSecond, 500.0);

    const ProcessRow& nginx = processRowOf(*update, kNginx);
    EXPECT_EQ(nginx.bytesSentTotal, 2500u);
    EXPECT_EQ(nginx.bytesReceivedTotal, 1600u);
    EXPECT_DOUBLE_EQ(nginx.receiveBytesPerSecond, 600.0);
    EXPECT_EQ(update->totals.bytesSentTotal, 2500u);
}

TEST(Tracker, CloseEventForASocketStillInTheDumpIsIgnored) {
    Tracker tracker;
    tracker.apply(snapshotAt(0, {withBytes(tcpSocket(1, 40001, 80), 1000, 0)}));
    const auto update = tracker.apply(snapshotAt(1, {withBytes(tcpSocket(1, 40001, 80), 2000, 0)},
                                                 {withBytes(tcpSocket(1, 40001, 80), 9000, 0)}));
    EXPECT_TRUE(update->removed.empty());
    EXPECT_TRUE(update->added.empty());
    ASSERT_EQ(update->connections.size(), 1u);
    EXPECT_TRUE(update->connections[0].open);
    EXPECT_EQ(update->connections[0].bytesSent, 2000u);
    EXPECT_EQ(update->totals.bytesSentTotal, 1000u);
}

TEST(Tracker, LateCloseEventForATombstoneCountsItsFinalBytesOnce) {
    Tracker tracker;
    tracker.apply(snapshotAt(0, {withBytes(tcpSocket(1, 40001, 80, kNginx), 1000, 0)}));
    auto update = tracker.apply(snapshotAt(1));
    EXPECT_EQ(update->removed, std::vector<ConnectionId>{1});

    Socket event = withBytes(tcpSocket(1, 40001, 80), 1800, 0);
    event.inode = 0;
    update = tracker.apply(snapshotAt(2, {}, {event}));
    EXPECT_TRUE(update->removed.empty());
    EXPECT_TRUE(update->added.empty());
    EXPECT_EQ(connectionOf(*update, 1).bytesSent, 1800u);
    EXPECT_FALSE(connectionOf(*update, 1).hasRate);
    EXPECT_EQ(update->totals.bytesSentTotal, 800u);
    EXPECT_EQ(processRowOf(*update, kNginx).bytesSentTotal, 800u);

    update = tracker.apply(snapshotAt(3, {}, {event}));
    EXPECT_EQ(update->totals.bytesSentTotal, 800u);
    EXPECT_TRUE(update->added.empty());
}

TEST(Tracker, RepeatedCloseEventInOneSnapshotCountsOnce) {
    Tracker tracker;
    tracker.apply(snapshotAt(0));
    const Socket event = withBytes(tcpSocket(5, 40001, 80), 100, 0);
    const auto update = tracker.apply(snapshotAt(1, {}, {event, event}));
    EXPECT_EQ(update->connections.size(), 1u);
    EXPECT_EQ(update->totals.bytesSentTotal, 100u);
}

// ---------------------------------------------------------------------------------------
// Totals and history

TEST(Tracker, TotalsAccumulateAndResetTotalsStartsAgain) {
    Tracker tracker;
    tracker.apply(snapshotAt(0, {withBytes(tcpSocket(1, 40001, 80, kNginx), 0, 0)}));
    auto update =
        tracker.apply(snapshotAt(1, {withBytes(tcpSocket(1, 40001, 80, kNginx), 1000, 2000)}));
    EXPECT_EQ(update->totals.bytesSentTotal, 1000u);
    EXPECT_EQ(update->totals.bytesReceivedTotal, 2000u);
    EXPECT_EQ(tracker.hostHistory().size(), 1u);
    EXPECT_EQ(tracker.processHistory(kNginx).size(), 1u);

    tracker.resetTotals();
    EXPECT_TRUE(tracker.hostHistory().empty());
    EXPECT_TRUE(tracker.processHistory(kNginx).empty());

    update = tracker.apply(snapshotAt(2, {withBytes(tcpSocket(1, 40001, 80, kNginx), 1500, 2100)}));
    EXPECT_EQ(update->totals.bytesSentTotal, 500u);
    EXPECT_EQ(update->totals.bytesReceivedTotal, 100u);
    EXPECT_EQ(processRowOf(*update, kNginx).bytesSentTotal, 500u);
    EXPECT_EQ(processRowOf(*update, kNginx).bytesReceivedTotal, 100u);
    EXPECT_TRUE(update->totals.hasRate) << "rates carry on across a reset";
    EXPECT_EQ(idOfCookie(*update, 1), 1u) << "open rows stay";
    EXPECT_TRUE(update->added.empty());
    ASSERT_NE(update->hostHistory, nullptr);
    EXPECT_EQ(update->hostHistory->size(), 1u);
}

TEST(Tracker, HostHistoryGetsOneSamplePerUpdateWithRates) {
    Tracker tracker(TrackerOptions{.historyCapacity = 2});
    auto first = tracker.apply(snapshotAt(0, {withBytes(tcpSocket(1, 40001, 80), 0, 0)}));
    ASSERT_NE(first->hostHistory, nullptr);
    EXPECT_TRUE(first->hostHistory->empty());

    auto second = tracker.apply(snapshotAt(1, {withBytes(tcpSocket(1, 40001, 80), 1000, 4000)}));
    ASSERT_EQ(second->hostHistory->size(), 1u);
    EXPECT_EQ(second->hostHistory->newest(), (RateSample{kBaseUnixMs + 1000, 1000.0f, 4000.0f}));

    auto third = tracker.apply(snapshotAt(3, {withBytes(tcpSocket(1, 40001, 80), 2000, 4000)}));
    EXPECT_EQ(third->hostHistory->toVector(),
              (std::vector<RateSample>{{kBaseUnixMs + 1000, 1000.0f, 4000.0f},
                                       {kBaseUnixMs + 3000, 500.0f, 0.0f}}));
    EXPECT_EQ(third->hostHistory->toVector(), tracker.hostHistory().toVector());

    auto fourth = tracker.apply(snapshotAt(4, {withBytes(tcpSocket(1, 40001, 80), 2000, 4000)}));
    EXPECT_EQ(fourth->hostHistory->size(), 2u) << "capacity bounds the ring";
    EXPECT_EQ(fourth->hostHistory->at(0).unixMs, kBaseUnixMs + 3000);

    // What an update published does not change afterwards.
    EXPECT_TRUE(first->hostHistory->empty());
    EXPECT_EQ(second->hostHistory->size(), 1u);
    EXPECT_EQ(third->hostHistory->newest().unixMs, kBaseUnixMs + 3000);
}

TEST(Tracker, ProcessHistoryKeepsTheMostRecentlyActiveProcessesUpToTheLimit) {
    const ProcessKey one{1001, 1};
    const ProcessKey two{1002, 1};
    const ProcessKey three{1003, 1};
    Tracker tracker(TrackerOptions{.historyCapacity = 4, .processHistoryLimit = 2});
    auto sockets = [&](std::uint64_t a, std::uint64_t b, std::uint64_t c) {
        return std::vector<Socket>{withBytes(tcpSocket(1, 40001, 80, one), a, 0),
                                   withBytes(tcpSocket(2, 40002, 80, two), b, 0),
                                   withBytes(tcpSocket(3, 40003, 80, three), c, 0)};
    };
    tracker.apply(snapshotAt(0, sockets(0, 0, 0)));
    EXPECT_TRUE(tracker.processHistory(one).empty()) << "no rate on the first update";

    tracker.apply(snapshotAt(1, sockets(100, 200, 0)));
    EXPECT_EQ(tracker.processHistory(one).size(), 1u);
    EXPECT_EQ(tracker.processHistory(two),
              (std::vector<RateSample>{{kBaseUnixMs + 1000, 200.0f, 0.0f}}));
    EXPECT_TRUE(tracker.processHistory(three).empty()) << "idle processes get no history";

    // Two and three are active now; one, idle, is the least recently active and makes room.
    tracker.apply(snapshotAt(2, sockets(100, 250, 30)));
    EXPECT_TRUE(tracker.processHistory(one).empty());
    EXPECT_EQ(tracker.processHistory(two).size(), 2u);
    EXPECT_EQ(tracker.processHistory(three),
              (std::vector<RateSample>{{kBaseUnixMs + 2000, 30.0f, 0.0f}}));

    // Idle samples are still recorded for a process that has a history.
    tracker.apply(snapshotAt(3, sockets(100, 250, 30)));
    EXPECT_EQ(tracker.processHistory(two).back(), (RateSample{kBaseUnixMs + 3000, 0.0f, 0.0f}));
}

TEST(Tracker, ProcessHistoryIsDroppedWhenTheProcessExpires) {
    Tracker tracker(TrackerOptions{.tombstoneTicks = 1});
    tracker.apply(snapshotAt(0, {withBytes(tcpSocket(1, 40001, 80, kNginx), 0, 0)}));
    tracker.apply(snapshotAt(1, {withBytes(tcpSocket(1, 40001, 80, kNginx), 10, 0)}));
    EXPECT_EQ(tracker.processHistory(kNginx).size(), 1u);
    tracker.apply(snapshotAt(2));
    tracker.apply(snapshotAt(3));
    EXPECT_TRUE(tracker.processHistory(kNginx).empty());
}

TEST(Tracker, UpdateCarriesTheSnapshotsMetadata) {
    Tracker tracker;
    Snapshot snapshot = snapshotAt(7, {tcpSocket(1, 40001, 80)});
    snapshot.pollDurationNs = 12345;
    snapshot.counters.present = true;
    snapshot.counters.tcp.outRsts = 42;
    snapshot.counters.all = {{"Tcp.OutRsts", 42}};
    snapshot.warnings = {
        portscope::core::verbatimText("Owners of other users' sockets are hidden.")};
    snapshot.closeEventsLost = true;
    snapshot.sourceName = "linux sock_diag";
    const auto update = tracker.apply(snapshot);
    EXPECT_EQ(update->steadyNs, snapshot.steadyNs);
    EXPECT_EQ(update->unixMs, snapshot.unixMs);
    EXPECT_EQ(update->pollDurationNs, 12345);
    EXPECT_GT(update->trackDurationNs, 0);
    EXPECT_TRUE(update->counters.present);
    EXPECT_EQ(update->counters.tcp.outRsts, 42u);
    EXPECT_EQ(update->counters.all, snapshot.counters.all);
    EXPECT_EQ(update->warnings, snapshot.warnings);
    EXPECT_TRUE(update->closeEventsLost);
    EXPECT_EQ(update->sourceName, "linux sock_diag");
    EXPECT_FALSE(update->focusedProcess.valid());
    EXPECT_TRUE(update->focusedProcessHistory.empty());

    snapshot.closeEventsLost = false;
    EXPECT_FALSE(tracker.apply(snapshot)->closeEventsLost);
}

TEST(Update, FindConnectionAndFindProcessSearchTheSortedRows) {
    Tracker tracker(TrackerOptions{.tombstoneTicks = 1});
    std::vector<Socket> sockets;
    const ProcessKey owners[] = {{300, 1}, {100, 9}, {100, 2}, {200, 1}};
    for (std::uint64_t cookie = 1; cookie <= 40; ++cookie) {
        sockets.push_back(
            tcpSocket(cookie, static_cast<std::uint16_t>(40000 + cookie), 80, owners[cookie % 4]));
    }
    tracker.apply(snapshotAt(0, sockets));
    // Leave gaps in the ids: every third socket goes away for good.
    std::vector<Socket> fewer;
    for (const auto& socket : sockets) {
        if (socket.cookie % 3 != 0) {
            fewer.push_back(socket);
        }
    }
    tracker.apply(snapshotAt(1, fewer));
    const auto update = tracker.apply(snapshotAt(2, fewer));
    ASSERT_FALSE(update->expired.empty());
    for (const auto& connection : update->connections) {
        EXPECT_EQ(update->findConnection(connection.id), &connection);
    }
    for (ConnectionId gone : update->expired) {
        EXPECT_EQ(update->findConnection(gone), nullptr);
    }
    EXPECT_EQ(update->findConnection(0), nullptr);
    EXPECT_EQ(update->findConnection(update->connections.back().id + 1), nullptr);

    ASSERT_EQ(update->processes.size(), 4u);
    for (const auto& row : update->processes) {
        EXPECT_EQ(update->findProcess(row.process.key), &row);
    }
    EXPECT_EQ(update->findProcess(ProcessKey{100, 3}), nullptr);
    EXPECT_EQ(update->findProcess(ProcessKey{}), nullptr);

    const Update empty;
    EXPECT_EQ(empty.findConnection(1), nullptr);
    EXPECT_EQ(empty.findProcess(owners[0]), nullptr);
}

TEST(Tracker, IdsAndLookupsSurviveTheTableBeingCompacted) {
    Tracker tracker(TrackerOptions{.tombstoneTicks = 1});
    std::vector<Socket> all;
    std::vector<Socket> kept;
    for (std::uint64_t cookie = 1; cookie <= 2000; ++cookie) {
        all.push_back(withBytes(
            tcpSocket(cookie, static_cast<std::uint16_t>(10000 + cookie), 80, kNginx), cookie, 0));
        if (cookie % 4 == 0) {
            kept.push_back(all.back());
        }
    }
    tracker.apply(snapshotAt(0, all));
    EXPECT_EQ(tracker.apply(snapshotAt(1, kept))->removed.size(), 1500u);
    // Three quarters of the rows expire at once, which squeezes them out of the table.
    EXPECT_EQ(tracker.apply(snapshotAt(2, kept))->expired.size(), 1500u);

    for (auto& socket : kept) {
        socket.counters.bytesAcked += 10;
    }
    std::vector<Socket> next = kept;
    next.push_back(tcpSocket(5000, 9000, 80, kNginx));
    next.push_back(all[0]); // the key of an expired row: a new connection
    Socket closing = kept[7];
    kept.erase(kept.begin() + 7);
    next.erase(std::find(next.begin(), next.end(), closing));
    closing.counters.bytesAcked += 5;
    const auto update = tracker.apply(snapshotAt(3, next, {closing}));
    EXPECT_EQ(update->added, (std::vector<ConnectionId>{2001, 2002}));
    EXPECT_EQ(update->removed, std::vector<ConnectionId>{closing.cookie});
    EXPECT_TRUE(update->expired.empty());
    ASSERT_EQ(update->connections.size(), 502u);
    for (const auto& socket : kept) {
        const Connection* connection = update->findConnection(socket.cookie);
        ASSERT_NE(connection, nullptr) << socket.cookie;
        EXPECT_EQ(connection->socket.cookie, socket.cookie) << "ids were assigned in cookie order";
        EXPECT_TRUE(connection->open);
        EXPECT_TRUE(connection->hasRate);
        EXPECT_DOUBLE_EQ(connection->sendBytesPerSecond, 10.0);
    }
    EXPECT_EQ(connectionOf(*update, closing.cookie).bytesSent, closing.counters.bytesAcked);
    // 10 from each kept socket, 15 from the closing one (10 + 5 final), 1 from the newcomer.
    EXPECT_EQ(update->totals.bytesSentTotal, 499u * 10 + 15 + 1);
}

TEST(Tracker, PublishedUpdatesStayIntactWhileLaterOnesAreBuilt) {
    Tracker tracker;
    std::vector<Socket> sockets;
    for (std::uint64_t cookie = 1; cookie <= 50; ++cookie) {
        sockets.push_back(tcpSocket(cookie, static_cast<std::uint16_t>(20000 + cookie), 80));
    }
    const auto kept = tracker.apply(snapshotAt(0, sockets));
    const std::vector<Connection> copy = kept->connections;
    for (int round = 1; round <= 6; ++round) {
        // Dropped at once, so their memory is handed back and reused by the next update.
        auto dropped = tracker.apply(snapshotAt(round, {tcpSocket(1000 + round, 30000, 80)}));
        ASSERT_EQ(dropped->connections.back().socket.cookie, 1000u + round);
    }
    ASSERT_EQ(kept->connections.size(), copy.size());
    for (std::size_t i = 0; i < copy.size(); ++i) {
        testing::expectSameConnection(kept->connections[i], copy[i]);
    }
}

// A loopback TCP socket whose cookie is `number`, with a distinct peer address per number.
Socket numberedSocket(std::uint64_t number, std::uint64_t bytesAcked) {
    Socket socket = withBytes(tcpSocket(number, static_cast<std::uint16_t>(1024 + number % 60000),
                                        443, number % 3 == 0 ? kCurl : kNginx),
                              bytesAcked, 0);
    socket.remote.address =
        IpAddress::v4(127, static_cast<std::uint8_t>(number >> 16),
                      static_cast<std::uint8_t>(number >> 8), static_cast<std::uint8_t>(number));
    return socket;
}

// Every row of the update is the numbered socket of its id (ids follow the numbers because
// sockets are first listed in number order), open exactly when `isOpen` says so.
template <typename IsOpen>
void expectRowsMatchTheirSockets(const Update& update, IsOpen&& isOpen) {
    for (const Connection& connection : update.connections) {
        ASSERT_EQ(connection.socket.cookie, connection.id);
        ASSERT_EQ(connection.open, isOpen(connection.id)) << connection.id;
    }
}

TEST(Tracker, GrowsShrinksAndGrowsAgainKeepingEveryRowAndOnlyTheRoomItNeeds) {
    Tracker tracker(TrackerOptions{.tombstoneTicks = 2});
    // The first poll sizes the table for itself plus a quarter.
    std::uint64_t firstOpen = 1;
    std::uint64_t nextNumber = 40'001;
    std::uint64_t bytes = 0;
    auto openSockets = [&] {
        std::vector<Socket> sockets;
        for (std::uint64_t number = firstOpen; number < nextNumber; ++number) {
            sockets.push_back(numberedSocket(number, bytes));
        }
        return sockets;
    };
    auto update = tracker.apply(snapshotAt(0, openSockets()));
    ASSERT_EQ(update->connections.size(), 40'000u);

    // Growth well past that size: every row keeps its id and its counters.
    nextNumber += 15'000;
    ++bytes;
    update = tracker.apply(snapshotAt(1, openSockets()));
    ASSERT_EQ(update->added.size(), 15'000u);
    EXPECT_EQ(update->added.front(), 40'001u);
    ASSERT_EQ(update->connections.size(), 55'000u);
    expectRowsMatchTheirSockets(*update, [](ConnectionId) { return true; });
    EXPECT_DOUBLE_EQ(update->findConnection(1)->sendBytesPerSecond, 1.0);
    EXPECT_EQ(update->totals.bytesSentTotal, 40'000u + 15'000u);
    // The table grows by what it needs, not to twice its size (110k rows' worth before).
    EXPECT_LE(tracker.reservedRows(), 55'000u + 16'384u);

    // Churn: 3,000 close and 3,000 open each second, so expired rows leave holes and the
    // table is compacted on the way.
    std::uint64_t sentTotal = update->totals.bytesSentTotal;
    for (int second = 2; second < 14; ++second) {
        const std::uint64_t openBefore = nextNumber - firstOpen;
        firstOpen += 3'000;
        nextNumber += 3'000;
        ++bytes;
        update = tracker.apply(snapshotAt(second, openSockets()));
        // Each socket that stayed open moved one byte; each newcomer moved all it had.
        sentTotal += (openBefore - 3'000) + 3'000 * bytes;
        ASSERT_EQ(update->totals.bytesSentTotal, sentTotal) << second;
        ASSERT_EQ(update->added.size(), 3'000u);
        ASSERT_EQ(update->removed.size(), 3'000u);
        ASSERT_EQ(update->totals.counts.tcp, 55'000u);
        ASSERT_EQ(update->totals.counts.closedRecently, second == 2 ? 3'000u : 6'000u);
        expectRowsMatchTheirSockets(*update, [&](ConnectionId id) { return id >= firstOpen; });
        ASSERT_FALSE(HasFatalFailure());
        EXPECT_LE(tracker.reservedRows(), update->connections.size() * 3 / 2 + 16'384u) << second;
    }

    // Shrinking to a hundred sockets: once the tombstones expire, the room is given back.
    firstOpen = nextNumber - 100;
    for (int second = 14; second < 18; ++second) {
        update = tracker.apply(snapshotAt(second, openSockets()));
    }
    ASSERT_EQ(update->connections.size(), 100u);
    expectRowsMatchTheirSockets(*update, [](ConnectionId) { return true; });
    EXPECT_LE(tracker.reservedRows(), 16'384u);

    // And growing again from there.
    nextNumber += 20'000;
    ++bytes;
    update = tracker.apply(snapshotAt(18, openSockets()));
    ASSERT_EQ(update->connections.size(), 20'100u);
    ASSERT_EQ(update->added.size(), 20'000u);
    expectRowsMatchTheirSockets(*update, [](ConnectionId) { return true; });
    EXPECT_DOUBLE_EQ(update->findConnection(firstOpen)->sendBytesPerSecond, 1.0);
    EXPECT_EQ(update->findConnection(nextNumber - 1)->bytesSent, bytes);
}

TEST(Tracker, RowsStayCompact) {
    // Each row is held by the tracker and by every update in flight: at 115k rows each 8
    // bytes of a Connection cost about 1 MB per copy. These are the sizes on 64-bit
    // platforms with a 32-byte std::string.
    if constexpr (sizeof(void*) == 8 && sizeof(std::string) == 32) {
        EXPECT_LE(sizeof(Socket), 144u);
        EXPECT_LE(sizeof(Connection), 248u);
    }
}

// ---------------------------------------------------------------------------------------
// Invariants under random churn, checked against a simple model of the sockets.

struct SimulatedSocket {
    Socket socket;
    enum class Fate { Open, Silent, EventNow, EventNextTick, Done } fate = Fate::Open;
    bool observed = false;
    std::uint64_t baselineSent = 0;
    std::uint64_t baselineReceived = 0;
    std::uint64_t lastSent = 0;
    std::uint64_t lastReceived = 0;
};

void observe(SimulatedSocket& sim, const Socket& seen, bool firstUpdate) {
    if (!sim.observed) {
        sim.observed = true;
        if (firstUpdate) {
            sim.baselineSent = seen.counters.bytesAcked;
            sim.baselineReceived = seen.counters.bytesReceived;
        }
    }
    sim.lastSent = seen.counters.bytesAcked;
    sim.lastReceived = seen.counters.bytesReceived;
}

void checkInvariants(const Update& previous, const Update& current, std::uint32_t tombstoneTicks) {
    auto idsOf = [](const Update& update) {
        std::set<ConnectionId> ids;
        for (const auto& connection : update.connections) {
            ids.insert(connection.id);
        }
        return ids;
    };
    for (std::size_t i = 1; i < current.connections.size(); ++i) {
        ASSERT_LT(current.connections[i - 1].id, current.connections[i].id);
    }
    for (std::size_t i = 1; i < current.processes.size(); ++i) {
        ASSERT_LT(current.processes[i - 1].process.key, current.processes[i].process.key);
    }
    for (const auto* list :
         {&current.added, &current.changed, &current.removed, &current.expired}) {
        ASSERT_TRUE(std::is_sorted(list->begin(), list->end()));
        ASSERT_EQ(std::adjacent_find(list->begin(), list->end()), list->end());
    }

    const auto before = idsOf(previous);
    const auto now = idsOf(current);
    std::set<ConnectionId> appeared;
    std::set_difference(now.begin(), now.end(), before.begin(), before.end(),
                        std::inserter(appeared, appeared.end()));
    std::set<ConnectionId> vanished;
    std::set_difference(before.begin(), before.end(), now.begin(), now.end(),
                        std::inserter(vanished, vanished.end()));
    EXPECT_EQ(appeared, std::set<ConnectionId>(current.added.begin(), current.added.end()));
    EXPECT_EQ(vanished, std::set<ConnectionId>(current.expired.begin(), current.expired.end()));

    for (ConnectionId id : current.removed) {
        const Connection* connection = current.findConnection(id);
        ASSERT_NE(connection, nullptr);
        EXPECT_FALSE(connection->open);
        EXPECT_EQ(connection->change, RowChange::Closed);
        const Connection* earlier = previous.findConnection(id);
        EXPECT_TRUE((earlier != nullptr && earlier->open) ||
                    (earlier == nullptr && connection->shortLived));
    }
    for (ConnectionId id : current.changed) {
        const Connection* connection = current.findConnection(id);
        ASSERT_NE(connection, nullptr);
        EXPECT_TRUE(connection->open);
        EXPECT_EQ(connection->change, RowChange::Changed);
        EXPECT_NE(previous.findConnection(id), nullptr);
    }

    ConnectionCounts counts;
    std::map<ProcessKey, std::uint32_t> rowsByOwner;
    for (const auto& connection : current.connections) {
        EXPECT_EQ(connection.change == RowChange::Added,
                  connection.open && std::binary_search(current.added.begin(), current.added.end(),
                                                        connection.id));
        EXPECT_EQ(
            connection.change == RowChange::Closed,
            std::binary_search(current.removed.begin(), current.removed.end(), connection.id));
        if (!connection.open) {
            EXPECT_LE(connection.tombstoneTicksLeft, tombstoneTicks);
            ++counts.closedRecently;
        } else if (connection.socket.protocol == Protocol::Tcp) {
            ++counts.tcp;
        } else {
            ++counts.udp;
        }
        if (connection.socket.owner.valid()) {
            ++rowsByOwner[connection.socket.owner];
        }
    }
    EXPECT_EQ(current.totals.counts.tcp, counts.tcp);
    EXPECT_EQ(current.totals.counts.udp, counts.udp);
    EXPECT_EQ(current.totals.counts.closedRecently, counts.closedRecently);
    ASSERT_EQ(current.processes.size(), rowsByOwner.size());
    EXPECT_EQ(current.totals.processes, rowsByOwner.size());
    for (const auto& row : current.processes) {
        const auto& c = row.counts;
        EXPECT_EQ(c.tcp + c.udp + c.closedRecently, rowsByOwner[row.process.key]);
        EXPECT_GE(row.sendBytesPerSecond, 0.0);
    }
    for (const auto& key : current.processesExpired) {
        EXPECT_NE(previous.findProcess(key), nullptr);
        EXPECT_EQ(current.findProcess(key), nullptr);
    }
    EXPECT_GE(current.totals.bytesSentTotal, previous.totals.bytesSentTotal);
}

TEST(Tracker, RandomChurnKeepsEveryInvariantAndCountsEveryByteOnce) {
    constexpr std::uint32_t kTombstoneTicks = 3;
    Tracker tracker(TrackerOptions{.tombstoneTicks = kTombstoneTicks});
    std::mt19937_64 random(20240611);
    auto chance = [&](double p) { return std::uniform_real_distribution<>(0, 1)(random) < p; };
    auto upTo = [&](std::uint64_t n) {
        return std::uniform_int_distribution<std::uint64_t>(0, n)(random);
    };

    const std::vector<ProcessKey> owners{{}, {100, 1}, {101, 1}, {100, 2}, {300, 7}};
    std::vector<SimulatedSocket> sims;
    std::uint64_t nextCookie = 1;
    auto newSocket = [&]() {
        SimulatedSocket sim;
        const bool udp = chance(0.15);
        const ProcessKey owner = owners[upTo(owners.size() - 1)];
        const auto port = static_cast<std::uint16_t>(20000 + nextCookie);
        sim.socket =
            udp ? udpSocket(nextCookie, port, owner) : tcpSocket(nextCookie, port, 443, owner);
        if (chance(0.1)) { // a source without cookies
            sim.socket.cookie = 0;
            sim.socket.inode = 900'000 + nextCookie;
        }
        ++nextCookie;
        return sim;
    };

    UpdatePtr previous;
    double seconds = 0;
    for (int tick = 0; tick < 300; ++tick) {
        const bool firstUpdate = tick == 0;
        Snapshot snapshot;
        seconds += chance(0.05) ? -0.3 : 0.2 + static_cast<double>(upTo(10)) / 10;
        snapshot = snapshotAt(seconds);

        for (auto& sim : sims) {
            if (sim.fate == SimulatedSocket::Fate::EventNextTick) {
                snapshot.closed.push_back(sim.socket);
                observe(sim, sim.socket, firstUpdate);
                sim.fate = SimulatedSocket::Fate::Done;
            }
        }
        for (auto& sim : sims) {
            if (sim.fate != SimulatedSocket::Fate::Open) {
                continue;
            }
            if (sim.socket.protocol == Protocol::Tcp) {
                sim.socket.counters.bytesAcked += upTo(5000);
                sim.socket.counters.bytesReceived += upTo(5000);
            }
            if (chance(0.05)) {
                sim.socket.receiveQueue = static_cast<std::uint32_t>(upTo(100));
            }
            if (chance(0.08)) {
                const bool hasCookie =
                    sim.socket.cookie != 0 && sim.socket.protocol == Protocol::Tcp;
                const auto roll = upTo(2);
                sim.fate = !hasCookie || roll == 0 ? SimulatedSocket::Fate::Silent
                           : roll == 1             ? SimulatedSocket::Fate::EventNow
                                                   : SimulatedSocket::Fate::EventNextTick;
                if (sim.fate == SimulatedSocket::Fate::EventNow) {
                    Socket event = sim.socket;
                    event.inode = 0;
                    event.owner = {};
                    event.counters.bytesAcked += upTo(100);
                    snapshot.closed.push_back(event);
                    observe(sim, event, firstUpdate);
                    sim.fate = SimulatedSocket::Fate::Done;
                } else if (sim.fate == SimulatedSocket::Fate::EventNextTick) {
                    sim.socket.inode = 0;
                    sim.socket.counters.bytesReceived += upTo(100);
                }
                continue;
            }
            snapshot.sockets.push_back(sim.socket);
            observe(sim, sim.socket, firstUpdate);
        }
        for (std::uint64_t n = upTo(6); n > 0; --n) {
            sims.push_back(newSocket());
            if (sims.back().socket.cookie != 0 && sims.back().socket.protocol == Protocol::Tcp &&
                chance(0.2)) {
                // Opened and closed between polls: only the close event tells.
                sims.back().socket.counters.bytesAcked = upTo(3000);
                snapshot.closed.push_back(sims.back().socket);
                observe(sims.back(), sims.back().socket, firstUpdate);
                sims.back().fate = SimulatedSocket::Fate::Done;
            } else {
                snapshot.sockets.push_back(sims.back().socket);
                observe(sims.back(), sims.back().socket, firstUpdate);
            }
        }
        std::shuffle(snapshot.sockets.begin(), snapshot.sockets.end(), random);
        for (const auto& owner : owners) {
            if (owner.valid()) {
                snapshot.processes.push_back(processOf(owner, "p" + std::to_string(owner.pid)));
            }
        }

        const auto update = tracker.apply(snapshot);
        ASSERT_EQ(update->sequence, static_cast<std::uint64_t>(tick + 1));
        if (previous) {
            checkInvariants(*previous, *update, kTombstoneTicks);
        }
        if (HasFatalFailure()) {
            return;
        }
        std::uint64_t expectedSent = 0;
        std::uint64_t expectedReceived = 0;
        for (const auto& sim : sims) {
            expectedSent += sim.lastSent - sim.baselineSent;
            expectedReceived += sim.lastReceived - sim.baselineReceived;
        }
        ASSERT_EQ(update->totals.bytesSentTotal, expectedSent) << "tick " << tick;
        ASSERT_EQ(update->totals.bytesReceivedTotal, expectedReceived) << "tick " << tick;
        previous = update;
    }
    EXPECT_GT(previous->connections.size(), 20u) << "the simulation should reach some size";
}

TEST(Tracker, HundredThousandSocketsWithChurn) {
    constexpr std::uint64_t kSockets = 100'000;
    Tracker tracker;
    std::vector<Socket> sockets;
    sockets.reserve(kSockets);
    const ProcessKey owners[] = {{10, 1}, {11, 1}, {12, 1}, {13, 1}, {}};
    for (std::uint64_t i = 1; i <= kSockets; ++i) {
        Socket socket = tcpSocket(i, static_cast<std::uint16_t>(1024 + i % 60000),
                                  static_cast<std::uint16_t>(1024 + i / 60000), owners[i % 5]);
        socket.remote.address =
            IpAddress::v4(127, 0, static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i));
        sockets.push_back(socket);
    }
    auto update = tracker.apply(snapshotAt(0, sockets));
    ASSERT_EQ(update->connections.size(), kSockets);
    ASSERT_EQ(update->added.size(), kSockets);

    // 1% close, 1% open, the rest move one byte each.
    std::vector<Socket> next;
    next.reserve(kSockets);
    for (auto& socket : sockets) {
        if (socket.cookie % 100 != 0) {
            socket.counters.bytesAcked += 1;
            next.push_back(socket);
        }
    }
    for (std::uint64_t i = kSockets + 1; i <= kSockets + 1000; ++i) {
        next.push_back(tcpSocket(i, static_cast<std::uint16_t>(i % 60000), 9, owners[0]));
    }
    update = tracker.apply(snapshotAt(1, next));
    EXPECT_EQ(update->added.size(), 1000u);
    EXPECT_EQ(update->removed.size(), 1000u);
    EXPECT_EQ(update->connections.size(), kSockets + 1000);
    EXPECT_EQ(update->totals.counts.tcp, kSockets);
    EXPECT_EQ(update->totals.counts.closedRecently, 1000u);
    EXPECT_EQ(update->totals.bytesSentTotal, kSockets - 1000);
    EXPECT_DOUBLE_EQ(update->totals.sendBytesPerSecond, static_cast<double>(kSockets - 1000));
    RecordProperty("trackMicroseconds", static_cast<int>(update->trackDurationNs / 1000));
}

} // namespace
} // namespace portscope::core
