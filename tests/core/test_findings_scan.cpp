// The traffic-shape rules on scripted snapshots: fanout-scan, syn-flood, connection-surge and
// inbound-scan. Thresholds, windows, PID reuse and clearing.

#include "findings_test_support.h"

#include <gtest/gtest.h>

using namespace portscope::core;
using namespace portscope::core::testing;

namespace {

const ProcessKey kWorm{1540, 777};
const ProcessKey kServer{812, 900};

std::vector<Socket> synSentTo(ProcessKey owner, int firstHost, int hosts, std::uint16_t port,
                              std::uint64_t firstCookie) {
    std::vector<Socket> sockets;
    for (int i = 0; i < hosts; ++i) {
        sockets.push_back(
            socketTo(firstCookie + i, owner, host(firstHost + i), port, SocketState::SynSent));
    }
    return sockets;
}

// A connect that was refused between two polls, as the kernel's close event reports it.
Socket refused(std::uint64_t cookie, ProcessKey owner, int hostNumber, std::uint16_t port,
               std::uint32_t uid = 1000) {
    Socket socket = socketTo(cookie, owner, host(hostNumber), port, SocketState::Close);
    socket.inode = 0;
    socket.uid = uid;
    socket.counters = {};
    socket.counters.present = true;
    if (!owner.valid()) {
        socket.ownerStatus = OwnerStatus::NoInode;
    }
    return socket;
}

Snapshot withCounters(Snapshot snapshot, std::uint64_t outRsts, std::uint64_t noPorts = 0,
                      std::uint64_t unreachables = 0) {
    snapshot.counters.present = true;
    snapshot.counters.tcp.outRsts = outRsts;
    snapshot.counters.udp.noPorts = noPorts;
    snapshot.counters.icmp.outDestUnreachs = unreachables;
    snapshot.counters.all = {{"Tcp.OutRsts", static_cast<std::int64_t>(outRsts)},
                             {"Udp.NoPorts", static_cast<std::int64_t>(noPorts)},
                             {"Icmp.OutDestUnreachs", static_cast<std::int64_t>(unreachables)},
                             {"Tcp.CurrEstab", 7}};
    return snapshot;
}

} // namespace

// ------------------------------------------------------------------------------ fanout-scan

TEST(FanoutScanRule, RaisedAtTheHostThresholdAndNamesThePortsService) {
    RulesHarness h;
    const auto proc = processOf(kWorm, "spollsv.exe");
    h.step(snapshotAt(0));
    auto sockets = synSentTo(kWorm, 0, 9, 445, 100);
    auto update = h.step(snapshotAt(1, sockets, {}, {proc}));
    EXPECT_TRUE(findingsOf(*update, rules::kFanoutScan).empty()) << "9 hosts is below 10";

    sockets.push_back(socketTo(109, kWorm, host(9), 445, SocketState::SynSent));
    update = h.step(snapshotAt(2, sockets, {}, {proc}));
    const Finding* finding = onlyFinding(*update, rules::kFanoutScan);
    ASSERT_NE(finding, nullptr);
    EXPECT_EQ(finding->process, kWorm);
    EXPECT_EQ(finding->processName, "spollsv.exe");
    EXPECT_EQ(finding->severity, Severity::High) << "445 is a worm port";
    EXPECT_EQ(finding->summary, "spollsv.exe (PID 1540) tried to connect to 10 different hosts "
                                "on port 445 (SMB) in 2 s — typical of a network worm spreading");
    EXPECT_FALSE(finding->action.empty());
    // The same as data, for a front end that words it in another language.
    EXPECT_EQ(finding->headline.key, "fanout-scan.worm-port");
    EXPECT_EQ(finding->headline.integer("hosts"), 10);
    EXPECT_EQ(finding->headline.integer("port"), 445);
    EXPECT_EQ(finding->headline.find("port")->type, FactType::Port);
    EXPECT_EQ(finding->headline.integer("elapsed"), 2000);
    EXPECT_EQ(finding->headline.find("elapsed")->type, FactType::Duration);
    ASSERT_EQ(finding->evidence.size(), 2u);
    EXPECT_EQ(finding->evidence[0].key, "fanout-scan.attempts");
    EXPECT_EQ(finding->evidence[0].integer("waiting"), 10);
    ASSERT_FALSE(finding->details.empty());
    EXPECT_EQ(finding->details[0], "10 connection attempts are waiting for an answer (SYN_SENT).")
        << "no \"0 failed\"";
    EXPECT_EQ(finding->evidence[1].key, "fanout-scan.hosts-tried");
    EXPECT_EQ(finding->evidence[1].integer("hosts"), 10) << "all of them";
    EXPECT_EQ(finding->evidence[1].find("hosts")->items.size(), 8u) << "the first 8 in full";
    EXPECT_EQ(finding->details.size(), finding->evidence.size()) << "one sentence each";
    EXPECT_EQ(finding->socketsTotal, 10u);
    ASSERT_EQ(finding->sockets.size(), 10u);
    for (const auto& socket : finding->sockets) {
        EXPECT_EQ(socket.state, SocketState::SynSent);
        EXPECT_EQ(socket.remote.port, 445);
        EXPECT_EQ(socket.remoteScope, AddressScope::Private);
    }
    EXPECT_TRUE(wasRaised(*update, finding->id));
    EXPECT_EQ(finding->firstSeenUnixMs, kBaseUnixMs + 2000);
}

// Attempts already waiting when monitoring began have no known start: a duration counted
// from the previous poll said "in 1 s" of a scan that had run for minutes.
TEST(FanoutScanRule, AScanUnderWayBeforeMonitoringBeganGetsNoMadeUpDuration) {
    RulesHarness h;
    const auto proc = processOf(kWorm, "spollsv.exe");
    const auto sockets = synSentTo(kWorm, 0, 12, 445, 100);
    std::shared_ptr<const Update> update;
    for (int t = 0; t <= 3; ++t) {
        update = h.step(snapshotAt(t, sockets, {}, {proc}));
    }
    const Finding* finding = onlyFinding(*update, rules::kFanoutScan);
    ASSERT_NE(finding, nullptr);
    EXPECT_TRUE(finding->headline.flag("under-way-at-start"));
    EXPECT_EQ(finding->summary, "spollsv.exe (PID 1540) tried to connect to 12 different hosts "
                                "on port 445 (SMB) since before monitoring began — typical of "
                                "a network worm spreading");
}

// Sockets that keep waiting count from when they were first seen, not from the last poll.
TEST(FanoutScanRule, WaitingAttemptsCountFromTheirFirstSighting) {
    RulesHarness h;
    const auto proc = processOf(kWorm, "spollsv.exe");
    h.step(snapshotAt(0));
    auto sockets = synSentTo(kWorm, 0, 6, 445, 100);
    h.step(snapshotAt(1, sockets, {}, {proc}));
    for (int t = 2; t <= 14; ++t) {
        h.step(snapshotAt(t, sockets, {}, {proc}));
    }
    // Four more at 15 s reach the threshold of 10: the scan took 15 s, counted from 0 s, though
    // the first six are older than the 10 s window of new attempts.
    const auto more = synSentTo(kWorm, 6, 4, 445, 200);
    sockets.insert(sockets.end(), more.begin(), more.end());
    const auto update = h.step(snapshotAt(15, sockets, {}, {proc}));
    const Finding* finding = onlyFinding(*update, rules::kFanoutScan);
    ASSERT_NE(finding, nullptr);
    EXPECT_FALSE(finding->headline.flag("under-way-at-start"));
    EXPECT_EQ(finding->headline.integer("elapsed"), 15000);
}

TEST(FanoutScanRule, OneHostOnManyPortsIsNotAFanOut) {
    RulesHarness h;
    h.step(snapshotAt(0));
    std::vector<Socket> sockets;
    for (int port = 1; port <= 40; ++port) {
        sockets.push_back(socketTo(100 + port, kWorm, host(1), static_cast<std::uint16_t>(port),
                                   SocketState::SynSent));
    }
    const auto update = h.step(snapshotAt(1, sockets, {}, {processOf(kWorm, "nmap")}));
    EXPECT_TRUE(findingsOf(*update, rules::kFanoutScan).empty());
}

TEST(FanoutScanRule, ManyPortsAreAScanOfMediumSeverity) {
    RulesHarness h;
    h.step(snapshotAt(0));
    std::vector<Socket> sockets;
    for (int i = 0; i < 12; ++i) {
        sockets.push_back(socketTo(100 + i, kWorm, host(i), static_cast<std::uint16_t>(8000 + i),
                                   SocketState::SynSent));
    }
    const auto update = h.step(snapshotAt(1, sockets, {}, {processOf(kWorm, "scanner")}));
    const Finding* finding = onlyFinding(*update, rules::kFanoutScan);
    ASSERT_NE(finding, nullptr);
    EXPECT_EQ(finding->severity, Severity::Medium);
    EXPECT_TRUE(contains(finding->summary, "12 different hosts on 12 ports")) << finding->summary;
    EXPECT_TRUE(contains(finding->summary, "network scan")) << finding->summary;
}

TEST(FanoutScanRule, AttemptsSpreadWiderThanTheWindowDoNotAddUp) {
    // One new host every 2 s for 40 s: 20 hosts in all, never 10 within 10 s.
    RulesHarness h;
    h.step(snapshotAt(0));
    for (int i = 0; i < 20; ++i) {
        const auto update = h.step(snapshotAt(
            2.0 * (i + 1), {socketTo(100 + i, kWorm, host(i), 445, SocketState::SynSent)}, {},
            {processOf(kWorm, "slow")}));
        ASSERT_TRUE(findingsOf(*update, rules::kFanoutScan).empty()) << "at host " << i;
    }
    // The same 20 hosts at one every 0.5 s fit in the window.
    RulesHarness fast;
    fast.step(snapshotAt(0));
    bool raised = false;
    for (int i = 0; i < 20 && !raised; ++i) {
        const auto update = fast.step(snapshotAt(
            0.5 * (i + 1), {socketTo(100 + i, kWorm, host(i), 445, SocketState::SynSent)}, {},
            {processOf(kWorm, "fast")}));
        raised = !findingsOf(*update, rules::kFanoutScan).empty();
        if (raised) {
            EXPECT_EQ(i, 9) << "raised exactly at the tenth host";
        }
    }
    EXPECT_TRUE(raised);
}

TEST(FanoutScanRule, ConnectsRefusedBetweenPollsCountThroughCloseEvents) {
    RulesHarness h;
    h.step(snapshotAt(0));
    std::vector<Socket> closed;
    for (int i = 0; i < 10; ++i) {
        closed.push_back(refused(100 + i, kWorm, i, 139));
    }
    // A short connection that did work is no failed attempt.
    Socket fine = socketTo(200, kWorm, host(50), 139, SocketState::Close);
    fine.counters.bytesAcked = 1;
    fine.counters.bytesReceived = 300;
    closed.push_back(fine);
    auto update = h.step(snapshotAt(1, {}, closed, {processOf(kWorm, "worm")}));
    const Finding* finding = onlyFinding(*update, rules::kFanoutScan);
    ASSERT_NE(finding, nullptr);
    EXPECT_EQ(finding->process, kWorm);
    EXPECT_TRUE(contains(finding->summary, "10 different hosts on port 139 (NetBIOS)"))
        << finding->summary;
    ASSERT_FALSE(finding->details.empty());
    EXPECT_EQ(finding->details[0],
              "0 connection attempts are waiting for an answer (SYN_SENT); 10 failed between "
              "two polls.");
    for (const auto& socket : finding->sockets) {
        EXPECT_FALSE(socket.open);
        EXPECT_TRUE(socket.shortLived);
        EXPECT_NE(socket.remote.address, host(50));
    }
}

TEST(FanoutScanRule, UnattributedCloseEventsAreReportedByUser) {
    RulesHarness h;
    h.step(snapshotAt(0));
    std::vector<Socket> closed;
    for (int i = 0; i < 12; ++i) {
        closed.push_back(refused(100 + i, ProcessKey{}, i, 23, 1001));
    }
    const auto update = h.step(snapshotAt(1, {}, closed));
    const Finding* finding = onlyFinding(*update, rules::kFanoutScan);
    ASSERT_NE(finding, nullptr);
    EXPECT_FALSE(finding->process.valid());
    EXPECT_TRUE(finding->hasUid);
    EXPECT_EQ(finding->uid, 1001u);
    EXPECT_EQ(finding->subject, "uid 1001");
    EXPECT_TRUE(contains(finding->summary, "an unidentified process (uid 1001) tried to connect "
                                           "to 12 different hosts on port 23 (Telnet)"))
        << finding->summary;
}

TEST(FanoutScanRule, CloseEventsWithoutAPortStillCountTheirHosts) {
    RulesHarness h;
    h.step(snapshotAt(0));
    std::vector<Socket> closed;
    for (int i = 0; i < 11; ++i) {
        Socket socket = refused(100 + i, kWorm, i, 0);
        socket.local.address = IpAddress::v4(0, 0, 0, 0); // what a failed blocking connect leaves
        closed.push_back(socket);
    }
    const auto update = h.step(snapshotAt(1, {}, closed, {processOf(kWorm, "worm")}));
    const Finding* finding = onlyFinding(*update, rules::kFanoutScan);
    ASSERT_NE(finding, nullptr);
    EXPECT_EQ(finding->summary, "worm (PID 1540) tried to connect to 11 different hosts in 1 s — "
                                "typical of a network scan");
    EXPECT_EQ(finding->severity, Severity::Medium);
}

TEST(FanoutScanRule, EstablishedConnectionsToManyHostsAreNormal) {
    RulesHarness h;
    h.step(snapshotAt(0));
    std::vector<Socket> sockets;
    for (int i = 0; i < 40; ++i) {
        sockets.push_back(socketTo(100 + i, kWorm, host(i), 443, SocketState::Established));
    }
    const auto update = h.step(snapshotAt(1, sockets, {}, {processOf(kWorm, "browser")}));
    EXPECT_TRUE(findingsOf(*update, rules::kFanoutScan).empty());
}

TEST(FanoutScanRule, RaisedOnceUpdatedWhenItGrowsAndClearedAfterItStops) {
    RulesHarness h;
    h.step(snapshotAt(0));
    std::vector<FindingId> raised;
    std::vector<FindingId> updated;
    FindingId id = 0;
    // Two new hosts each second for 15 s.
    for (int t = 1; t <= 15; ++t) {
        const auto update = h.step(snapshotAt(t, synSentTo(kWorm, 2 * t, 2, 445, 1000 + 2 * t), {},
                                              {processOf(kWorm, "worm")}));
        raised.insert(raised.end(), update->findingsRaised.begin(), update->findingsRaised.end());
        updated.insert(updated.end(), update->findingsUpdated.begin(),
                       update->findingsUpdated.end());
        if (const Finding* finding = onlyFinding(*update, rules::kFanoutScan)) {
            id = finding->id;
            EXPECT_GE(finding->magnitude, 10);
        }
    }
    ASSERT_EQ(raised.size(), 1u) << "raised once, not every tick";
    EXPECT_EQ(raised.front(), id);
    // 10 hosts when raised; the window holds 20 later: re-announced at 15, not every tick.
    ASSERT_EQ(updated.size(), 1u);
    EXPECT_EQ(updated.front(), id);
    EXPECT_EQ(h.last()->findFinding(id)->revision, 2u);

    // The scan stops at 15 s. The 10 s window still holds 10 hosts at 21 s, the last time
    // the rule sees the condition; the finding stays listed for clear_after (30 s) after that.
    for (int t = 16; t <= 50; ++t) {
        const auto update = h.step(snapshotAt(t, {}, {}, {processOf(kWorm, "worm")}));
        ASSERT_TRUE(update->findingsCleared.empty()) << "cleared early, at " << t << " s";
        ASSERT_NE(update->findFinding(id), nullptr) << "gone without a cleared event at " << t;
        if (t > 21) {
            EXPECT_EQ(update->findFinding(id)->lastSeenUnixMs, kBaseUnixMs + 21'000);
        }
    }
    const auto update = h.step(snapshotAt(51, {}, {}, {processOf(kWorm, "worm")}));
    EXPECT_TRUE(wasCleared(*update, id));
    EXPECT_EQ(update->findFinding(id), nullptr);
}

TEST(FanoutScanRule, NamesTheProcessAfterItsSocketsAreGone) {
    RulesHarness h;
    h.step(snapshotAt(0));
    h.step(snapshotAt(1, synSentTo(kWorm, 0, 10, 445, 100), {}, {processOf(kWorm, "worm")}));
    // The attempts stay in the 10 s window after the sockets have gone; once the closed rows
    // expire too, the update has no row for the process, but the sentences still name it, as
    // the finding's data does.
    UpdatePtr update;
    for (int t = 2; t <= 10; ++t) {
        update = h.step(snapshotAt(t, {}, {}, {processOf(kWorm, "worm")}));
    }
    EXPECT_EQ(update->findProcess(kWorm), nullptr);
    const Finding* finding = onlyFinding(*update, rules::kFanoutScan);
    ASSERT_NE(finding, nullptr);
    EXPECT_EQ(finding->lastSeenUnixMs, kBaseUnixMs + 10'000) << "still seen by the rule";
    EXPECT_EQ(finding->processName, "worm");
    EXPECT_TRUE(contains(finding->summary, "worm (PID 1540) tried")) << finding->summary;
    EXPECT_TRUE(contains(finding->action, "Unless worm is")) << finding->action;
}

TEST(FanoutScanRule, AReusedPidIsANewProcess) {
    const ProcessKey before{100, 1};
    const ProcessKey after{100, 2};
    RulesHarness h;
    h.step(snapshotAt(0));
    h.step(snapshotAt(1, synSentTo(before, 0, 6, 445, 100), {}, {processOf(before, "old")}));
    auto update =
        h.step(snapshotAt(2, synSentTo(after, 10, 6, 445, 200), {}, {processOf(after, "new")}));
    EXPECT_TRUE(findingsOf(*update, rules::kFanoutScan).empty())
        << "6 + 6 hosts of two different processes are not 12 of one";
    update =
        h.step(snapshotAt(3, synSentTo(after, 16, 4, 445, 300), {}, {processOf(after, "new")}));
    const Finding* finding = onlyFinding(*update, rules::kFanoutScan);
    ASSERT_NE(finding, nullptr);
    EXPECT_EQ(finding->process, after);
    EXPECT_TRUE(contains(finding->summary, "new (PID 100) tried to connect to 10 different"))
        << finding->summary;
}

// ---------------------------------------------------------------------------- syn-flood

namespace {

std::vector<Socket> halfOpen(ProcessKey listenerOwner, int count, std::uint16_t port,
                             std::uint64_t firstCookie) {
    std::vector<Socket> sockets;
    for (int i = 0; i < count; ++i) {
        Socket socket =
            socketTo(firstCookie + i, listenerOwner, host(i % 37),
                     static_cast<std::uint16_t>(30000 + i), SocketState::NewSynRecv, port);
        socket.inode = 0;
        socket.ownerStatus = OwnerStatus::Listener;
        socket.counters = {};
        sockets.push_back(socket);
    }
    return sockets;
}

} // namespace

TEST(SynFloodRule, HalfOpenConnectionsOnOneListenerAtTheThreshold) {
    RulesHarness h;
    const auto proc = processOf(kServer, "nginx");
    const Socket listener = listenerOn(1, kServer, IpAddress::v4(0, 0, 0, 0), 80);
    h.step(snapshotAt(0, {listener}, {}, {proc}));

    auto sockets = halfOpen(kServer, 49, 80, 100);
    sockets.push_back(listener);
    auto update = h.step(snapshotAt(1, sockets, {}, {proc}));
    EXPECT_TRUE(findingsOf(*update, rules::kSynFlood).empty()) << "49 is below 50";

    sockets = halfOpen(kServer, 50, 80, 100);
    sockets.push_back(listener);
    update = h.step(snapshotAt(2, sockets, {}, {proc}));
    const Finding* finding = onlyFinding(*update, rules::kSynFlood);
    ASSERT_NE(finding, nullptr);
    EXPECT_EQ(finding->process, kServer);
    EXPECT_EQ(finding->subject, "port 80");
    EXPECT_EQ(finding->severity, Severity::Medium);
    EXPECT_TRUE(contains(finding->summary, "nginx (PID 812) has 50 half-open connections "
                                           "(SYN_RECV) waiting on port 80 (HTTP) from 37 "
                                           "addresses"))
        << finding->summary;
    EXPECT_EQ(finding->headline.key, "syn-flood.half-open");
    EXPECT_EQ(finding->headline.integer("half-open"), 50);
    EXPECT_EQ(finding->headline.integer("sources"), 37);
    EXPECT_EQ(finding->headline.integer("port"), 80);
    ASSERT_FALSE(finding->evidence.empty());
    EXPECT_EQ(finding->evidence.front().key, "syn-flood.sources");
    EXPECT_EQ(finding->socketsTotal, 51u) << "50 requests plus the listener";
    EXPECT_EQ(finding->sockets.front().state, SocketState::Listen);
}

TEST(SynFloodRule, FourTimesTheThresholdIsHighAndAnotherPortIsAnotherFinding) {
    RulesHarness h;
    h.step(snapshotAt(0));
    auto sockets = halfOpen(kServer, 200, 443, 100);
    const auto more = halfOpen(kServer, 60, 22, 1000);
    sockets.insert(sockets.end(), more.begin(), more.end());
    const auto update = h.step(snapshotAt(1, sockets, {}, {processOf(kServer, "edge")}));
    const auto findings = findingsOf(*update, rules::kSynFlood);
    ASSERT_EQ(findings.size(), 2u);
    for (const Finding* finding : findings) {
        if (finding->subject == "port 443") {
            EXPECT_EQ(finding->severity, Severity::High);
        } else {
            EXPECT_EQ(finding->subject, "port 22");
            EXPECT_EQ(finding->severity, Severity::Medium);
        }
    }
}

TEST(SynFloodRule, RisingQueueCountersPointAtTheListenerWithAFullAcceptQueue) {
    RulesHarness h;
    const auto proc = processOf(kServer, "slowapp");
    Socket listener = listenerOn(1, kServer, IpAddress::v4(0, 0, 0, 0), 8080);
    listener.receiveQueue = 128; // accept queue full
    listener.sendQueue = 128;
    auto snapshot = [&](double t, std::uint64_t overflows) {
        Snapshot s = snapshotAt(t, {listener}, {}, {proc});
        s.counters.present = true;
        s.counters.tcpExt.listenOverflows = overflows;
        return s;
    };
    h.step(snapshot(0, 1000));
    auto update = h.step(snapshot(1, 1010)); // 10/s: below 20/s
    EXPECT_TRUE(findingsOf(*update, rules::kSynFlood).empty());
    update = h.step(snapshot(2, 1100)); // 100 over the last 2 s: 50/s
    const Finding* finding = onlyFinding(*update, rules::kSynFlood);
    ASSERT_NE(finding, nullptr);
    EXPECT_EQ(finding->process, kServer);
    EXPECT_TRUE(contains(finding->summary, "TcpExt.ListenOverflows +100")) << finding->summary;
    EXPECT_TRUE(contains(finding->summary, "full accept queue on port 8080 (HTTP alternate)"))
        << finding->summary;
    ASSERT_EQ(finding->counters.size(), 4u);
    EXPECT_EQ(finding->counters[3].name, "TcpExt.ListenOverflows");
    EXPECT_EQ(finding->counters[3].increase, 100u);
    EXPECT_DOUBLE_EQ(finding->counters[3].perSecond, 50.0);
}

TEST(SynFloodRule, CookiesWithoutHalfOpenSocketsMakeAHostFinding) {
    RulesHarness h;
    auto snapshot = [](double t, std::uint64_t cookies) {
        Snapshot s = snapshotAt(t);
        s.counters.present = true;
        s.counters.tcpExt.syncookiesSent = cookies;
        s.counters.tcpExt.reqQueueFullDoCookies = cookies;
        return s;
    };
    h.step(snapshot(0, 0));
    const auto update = h.step(snapshot(1, 500));
    const Finding* finding = onlyFinding(*update, rules::kSynFlood);
    ASSERT_NE(finding, nullptr);
    EXPECT_TRUE(finding->concernsHost());
    EXPECT_EQ(finding->subject, "host");
    EXPECT_EQ(finding->severity, Severity::High) << "1000/s is far above 20/s";
    EXPECT_TRUE(contains(finding->summary, "probably receiving a SYN flood")) << finding->summary;
}

TEST(SynFloodRule, CountersThatGoBackwardsAreNotASpike) {
    RulesHarness h;
    auto snapshot = [](double t, std::uint64_t overflows) {
        Snapshot s = snapshotAt(t);
        s.counters.present = true;
        s.counters.tcpExt.listenOverflows = overflows;
        return s;
    };
    h.step(snapshot(0, 1'000'000));
    auto update = h.step(snapshot(1, 5)); // reset: another namespace or a restart
    EXPECT_TRUE(findingsOf(*update, rules::kSynFlood).empty());
    update = h.step(snapshot(2, 10));
    EXPECT_TRUE(findingsOf(*update, rules::kSynFlood).empty());
}

TEST(SynFloodRule, ClearsWhenTheHalfOpenConnectionsAreGone) {
    FindingsConfig config;
    config.general.clearAfter = Milliseconds(3000);
    RulesHarness h(config);
    h.step(snapshotAt(0));
    auto update =
        h.step(snapshotAt(1, halfOpen(kServer, 80, 80, 100), {}, {processOf(kServer, "nginx")}));
    const Finding* finding = onlyFinding(*update, rules::kSynFlood);
    ASSERT_NE(finding, nullptr);
    const FindingId id = finding->id;
    update = h.step(snapshotAt(2));
    EXPECT_NE(update->findFinding(id), nullptr);
    update = h.step(snapshotAt(3));
    EXPECT_NE(update->findFinding(id), nullptr);
    update = h.step(snapshotAt(4));
    EXPECT_TRUE(wasCleared(*update, id));
}

TEST(SynFloodRule, AListenerTakenOverByAReusedPidIsANewFinding) {
    const ProcessKey before{500, 1};
    const ProcessKey after{500, 2};
    FindingsConfig config;
    config.general.clearAfter = Milliseconds(2000);
    RulesHarness h(config);
    h.step(snapshotAt(0));
    auto update =
        h.step(snapshotAt(1, halfOpen(before, 60, 80, 100), {}, {processOf(before, "old")}));
    const Finding* first = onlyFinding(*update, rules::kSynFlood);
    ASSERT_NE(first, nullptr);
    const FindingId oldId = first->id;
    // The old server exits; a new process that got its PID listens on port 80 and is flooded.
    update = h.step(snapshotAt(2, halfOpen(after, 60, 80, 200), {}, {processOf(after, "new")}));
    const auto findings = findingsOf(*update, rules::kSynFlood);
    ASSERT_EQ(findings.size(), 2u) << "the old one lingers for clear_after";
    const Finding* fresh = findings[0]->id == oldId ? findings[1] : findings[0];
    EXPECT_EQ(fresh->process, after);
    EXPECT_TRUE(wasRaised(*update, fresh->id));
    update = h.step(snapshotAt(3, halfOpen(after, 60, 80, 200), {}, {processOf(after, "new")}));
    EXPECT_TRUE(wasCleared(*update, oldId)) << "last seen at 1 s, clear_after 2 s";
    ASSERT_EQ(findingsOf(*update, rules::kSynFlood).size(), 1u);
}

TEST(SynFloodRule, ABurstOfQueueDropsAgesOutOfTheWindow) {
    FindingsConfig config;
    config.general.clearAfter = Milliseconds(0);
    RulesHarness h(config);
    auto snapshot = [](double t, std::uint64_t drops) {
        Snapshot s = snapshotAt(t);
        s.counters.present = true;
        s.counters.tcpExt.reqQueueFullDrop = drops;
        return s;
    };
    h.step(snapshot(0, 0));
    auto update = h.step(snapshot(1, 60)); // 60/s
    ASSERT_NE(onlyFinding(*update, rules::kSynFlood), nullptr);
    update = h.step(snapshot(3, 60)); // 60 over 3 s: 20/s, still at the threshold
    ASSERT_NE(onlyFinding(*update, rules::kSynFlood), nullptr);
    update = h.step(snapshot(4, 60)); // 60 over 4 s: 15/s
    EXPECT_EQ(onlyFinding(*update, rules::kSynFlood), nullptr);
    EXPECT_EQ(update->findingsCleared.size(), 1u);
}

// --------------------------------------------------------------------- connection-surge

TEST(ConnectionSurgeRule, OpenSocketsJumpingPastTheIncrease) {
    RulesHarness h;
    const auto proc = processOf(kWorm, "worm");
    std::vector<Socket> sockets;
    for (int i = 0; i < 10; ++i) {
        sockets.push_back(socketTo(100 + i, kWorm, host(i), 443, SocketState::Established));
    }
    h.step(snapshotAt(0, sockets, {}, {proc}));
    // 999 more over 11 s: 90 new per second, 999 more sockets: both below the thresholds.
    for (int t = 1; t <= 11; ++t) {
        for (int i = 0; i < (t == 11 ? 9 : 99); ++i) {
            const int n = static_cast<int>(sockets.size());
            sockets.push_back(socketTo(1000 + n, kWorm, host(n), 445, SocketState::Established));
        }
        const auto update = h.step(snapshotAt(t, sockets, {}, {proc}));
        ASSERT_TRUE(findingsOf(*update, rules::kConnectionSurge).empty()) << "at " << t << " s";
    }
    // 1100 in the next second: a surge.
    for (int i = 0; i < 1100; ++i) {
        const int n = static_cast<int>(sockets.size());
        sockets.push_back(socketTo(5000 + n, kWorm, host(n), 445, SocketState::SynSent));
    }
    const auto update = h.step(snapshotAt(12, sockets, {}, {proc}));
    const Finding* finding = onlyFinding(*update, rules::kConnectionSurge);
    ASSERT_NE(finding, nullptr);
    EXPECT_EQ(finding->process, kWorm);
    EXPECT_EQ(finding->severity, Severity::Medium) << "under 5 times the thresholds";
    EXPECT_NEAR(finding->magnitude, 1.901, 0.001) << "1901 more sockets than 10 s ago";
    EXPECT_TRUE(contains(finding->summary, "mostly to port 445 (SMB)")) << finding->summary;
    EXPECT_TRUE(contains(finding->summary, "NAT table")) << finding->summary;
    EXPECT_EQ(finding->headline.integer("open"), 2109);
    EXPECT_EQ(finding->headline.integer("mostly-port"), 445);
    ASSERT_EQ(finding->evidence.size(), 1u);
    EXPECT_EQ(finding->evidence[0].key, "connection-surge.sockets");
    EXPECT_EQ(finding->evidence[0].integer("open"), 2109);
    EXPECT_EQ(finding->socketsTotal, 2109u);
}

TEST(ConnectionSurgeRule, ShortLivedConnectionsCountAsNewOnes) {
    RulesHarness h;
    const auto proc = processOf(kWorm, "churner");
    h.step(snapshotAt(0, {socketTo(1, kWorm, host(1), 80, SocketState::Established)}, {}, {proc}));
    std::uint64_t cookie = 100;
    FindingId id = 0;
    for (int t = 1; t <= 3; ++t) {
        std::vector<Socket> closed;
        for (int i = 0; i < 150; ++i) {
            closed.push_back(refused(cookie++, kWorm, i, 445));
        }
        const auto update = h.step(snapshotAt(
            t, {socketTo(1, kWorm, host(1), 80, SocketState::Established)}, closed, {proc}));
        if (const Finding* finding = onlyFinding(*update, rules::kConnectionSurge)) {
            id = finding->id;
            EXPECT_TRUE(contains(finding->summary, "per second")) << finding->summary;
        }
    }
    EXPECT_NE(id, 0u) << "150 connections a second, though never more than one open";
}

TEST(ConnectionSurgeRule, EverythingOpenAtStartIsNoSurge) {
    RulesHarness h;
    std::vector<Socket> sockets;
    for (int i = 0; i < 5000; ++i) {
        sockets.push_back(socketTo(100 + i, kServer, host(i), 443, SocketState::Established));
    }
    auto update = h.step(snapshotAt(0, sockets, {}, {processOf(kServer, "proxy")}));
    EXPECT_TRUE(findingsOf(*update, rules::kConnectionSurge).empty());
    update = h.step(snapshotAt(1, sockets, {}, {processOf(kServer, "proxy")}));
    EXPECT_TRUE(findingsOf(*update, rules::kConnectionSurge).empty());
}

TEST(ConnectionSurgeRule, AReusedPidStartsFromNothing) {
    const ProcessKey before{300, 1};
    const ProcessKey after{300, 2};
    RulesHarness h;
    std::vector<Socket> old;
    for (int i = 0; i < 1500; ++i) {
        old.push_back(socketTo(100 + i, before, host(i), 443, SocketState::Established));
    }
    h.step(snapshotAt(0, old, {}, {processOf(before, "old")}));
    // The old process exits; the new one with its PID holds a few sockets.
    std::vector<Socket> few;
    for (int i = 0; i < 20; ++i) {
        few.push_back(socketTo(10'000 + i, after, host(i), 443, SocketState::Established));
    }
    auto update = h.step(snapshotAt(1, few, {}, {processOf(after, "new")}));
    EXPECT_TRUE(findingsOf(*update, rules::kConnectionSurge).empty());
    // Then it opens 1200 within a second: its own surge, not the old one's.
    for (int i = 0; i < 1200; ++i) {
        few.push_back(socketTo(20'000 + i, after, host(i), 445, SocketState::Established));
    }
    update = h.step(snapshotAt(2, few, {}, {processOf(after, "new")}));
    const Finding* finding = onlyFinding(*update, rules::kConnectionSurge);
    ASSERT_NE(finding, nullptr);
    EXPECT_EQ(finding->process, after);
}

TEST(ConnectionSurgeRule, ClearsOnceTheWindowNoLongerHoldsTheSurge) {
    FindingsConfig config;
    config.general.clearAfter = Milliseconds(5000);
    RulesHarness h(config);
    const auto proc = processOf(kWorm, "burst");
    h.step(snapshotAt(0, {}, {}, {proc}));
    std::vector<Socket> sockets;
    for (int i = 0; i < 1500; ++i) {
        sockets.push_back(socketTo(100 + i, kWorm, host(i), 445, SocketState::Established));
    }
    auto update = h.step(snapshotAt(1, sockets, {}, {proc}));
    const Finding* finding = onlyFinding(*update, rules::kConnectionSurge);
    ASSERT_NE(finding, nullptr);
    const FindingId id = finding->id;
    // It keeps its sockets but opens no more: the surge leaves the 10 s window at 11 s,
    // and the finding clears 5 s after that.
    int clearedAt = 0;
    for (int t = 2; t <= 20 && clearedAt == 0; ++t) {
        update = h.step(snapshotAt(t, sockets, {}, {proc}));
        if (wasCleared(*update, id)) {
            clearedAt = t;
        }
    }
    EXPECT_EQ(clearedAt, 16);
}

// -------------------------------------------------------------------------- inbound-scan

TEST(InboundScanRule, ResetRateAtTheThreshold) {
    RulesHarness h;
    h.step(withCounters(snapshotAt(0), 1000));
    auto update = h.step(withCounters(snapshotAt(1), 1049)); // 49/s
    EXPECT_TRUE(findingsOf(*update, rules::kInboundScan).empty());
    update = h.step(withCounters(snapshotAt(2), 1100)); // 100 in 2 s: 50/s
    const Finding* finding = onlyFinding(*update, rules::kInboundScan);
    ASSERT_NE(finding, nullptr);
    EXPECT_TRUE(finding->concernsHost());
    EXPECT_EQ(finding->severity, Severity::Medium);
    EXPECT_TRUE(contains(finding->summary, "turned away 100 probes of closed ports in 2 s"))
        << finding->summary;
    EXPECT_EQ(finding->headline.key, "inbound-scan.probes");
    EXPECT_EQ(finding->headline.integer("probes"), 100);
    EXPECT_EQ(finding->headline.integer("elapsed"), 2000);
    EXPECT_EQ(finding->headline.find("tcp-resets")->type, FactType::PerSecond);
    ASSERT_EQ(finding->counters.size(), 3u);
    EXPECT_EQ(finding->counters[0].name, "Tcp.OutRsts");
    EXPECT_EQ(finding->counters[0].increase, 100u);
    EXPECT_DOUBLE_EQ(finding->counters[0].perSecond, 50.0);
}

TEST(InboundScanRule, TheSourcesTheSensorSawAreNamedBusiestFirst) {
    RulesHarness h;
    h.step(withCounters(snapshotAt(0), 0));
    Snapshot probed = withCounters(snapshotAt(1), 612, 300, 300);
    ProbeSource scanner;
    scanner.address = IpAddress::v4(203, 0, 113, 9);
    scanner.tcpPorts = 312;
    scanner.udpPorts = 300;
    scanner.probes = 612;
    ProbeSource stray;
    stray.address = IpAddress::v4(198, 51, 100, 4);
    stray.tcpPorts = 1;
    stray.probes = 1;
    probed.probeSources = {stray, scanner};
    const auto update = h.step(std::move(probed));
    const Finding* finding = onlyFinding(*update, rules::kInboundScan);
    ASSERT_NE(finding, nullptr);
    EXPECT_TRUE(contains(finding->summary, "most of them from 203.0.113.9")) << finding->summary;
    ASSERT_EQ(finding->details.size(), 2u);
    EXPECT_EQ(finding->details[0],
              "203.0.113.9 probed 312 closed TCP ports and 300 closed UDP ports (612 packets "
              "turned away).");
    EXPECT_EQ(finding->details[1], "198.51.100.4 probed 1 closed TCP port (1 packet turned away).");
}

TEST(InboundScanRule, WithoutTheSensorTheDetailSaysTheCountersCannotTellWhere) {
    RulesHarness h;
    h.step(withCounters(snapshotAt(0), 0));
    const auto update = h.step(withCounters(snapshotAt(1), 600, 0, 0));
    const Finding* finding = onlyFinding(*update, rules::kInboundScan);
    ASSERT_NE(finding, nullptr);
    ASSERT_EQ(finding->details.size(), 1u);
    EXPECT_TRUE(contains(finding->details[0], "not from where")) << finding->details[0];
    EXPECT_FALSE(contains(finding->summary, "from ")) << finding->summary;
}

TEST(InboundScanRule, TheWindowAveragesOutASingleBlip) {
    RulesHarness h;
    std::uint64_t resets = 0;
    for (int t = 0; t <= 5; ++t) {
        h.step(withCounters(snapshotAt(t), resets));
    }
    resets += 40; // 40 in one second, then quiet: 40/s < 50/s
    auto update = h.step(withCounters(snapshotAt(6), resets));
    EXPECT_TRUE(findingsOf(*update, rules::kInboundScan).empty());
    // UDP probes count by their own threshold.
    update = h.step(withCounters(snapshotAt(7), resets, 400, 380));
    const Finding* finding = onlyFinding(*update, rules::kInboundScan);
    ASSERT_NE(finding, nullptr);
    EXPECT_EQ(finding->counters[1].name, "Udp.NoPorts");
    EXPECT_EQ(finding->counters[1].increase, 400u);
    EXPECT_DOUBLE_EQ(finding->counters[1].perSecond, 80.0);
    EXPECT_TRUE(contains(finding->summary, "turned away 440 probes")) << finding->summary;
}

TEST(InboundScanRule, CountersBehindTheFindingAreFlaggedInTheStatistics) {
    RulesHarness h;
    h.step(withCounters(snapshotAt(0), 0));
    const auto update = h.step(withCounters(snapshotAt(1), 600, 0, 0));
    ASSERT_NE(onlyFinding(*update, rules::kInboundScan), nullptr);
    ASSERT_EQ(update->counterRates.size(), 4u);
    const CounterRate& resets = update->counterRates[0];
    EXPECT_EQ(resets.name, "Tcp.OutRsts");
    EXPECT_TRUE(resets.hasRate);
    EXPECT_DOUBLE_EQ(resets.perSecond, 600.0);
    ASSERT_EQ(resets.findings, std::vector<std::string>{"inbound-scan"});
    EXPECT_TRUE(resets.flagged());
    const CounterRate& established = update->counterRates[3];
    EXPECT_EQ(established.name, "Tcp.CurrEstab");
    EXPECT_FALSE(established.flagged());
}

TEST(InboundScanRule, ResetCountersAndQuietPeriodsClear) {
    FindingsConfig config;
    config.general.clearAfter = Milliseconds(2000);
    config.inboundScan.window = Milliseconds(2000);
    RulesHarness h(config);
    h.step(withCounters(snapshotAt(0), 5'000'000));
    auto update = h.step(withCounters(snapshotAt(1), 10));
    EXPECT_TRUE(findingsOf(*update, rules::kInboundScan).empty()) << "a reset is no scan";
    update = h.step(withCounters(snapshotAt(2), 1000));
    const Finding* finding = onlyFinding(*update, rules::kInboundScan);
    ASSERT_NE(finding, nullptr);
    const FindingId id = finding->id;
    bool cleared = false;
    for (int t = 3; t <= 10 && !cleared; ++t) {
        update = h.step(withCounters(snapshotAt(t), 1000));
        cleared = wasCleared(*update, id);
        if (cleared) {
            EXPECT_EQ(t, 5) << "last seen at 3 s, while the 2 s window held the jump";
        }
    }
    EXPECT_TRUE(cleared);
}
