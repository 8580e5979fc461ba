// The exposure rules on scripted snapshots: long-lived-external, new-listener and
// suspicious-port.

#include "findings_test_support.h"

#include <gtest/gtest.h>
#include <random>

using namespace portscope::core;
using namespace portscope::core::testing;

namespace {

const ProcessKey kApp{2200, 31};
const IpAddress kInternet = IpAddress::v4(93, 184, 216, 34);

FindingsConfig shortAge(double minutes) {
    FindingsConfig config;
    config.longLivedExternal.minAge = Milliseconds(static_cast<std::int64_t>(minutes * 60'000));
    return config;
}

Socket toInternet(std::uint64_t cookie, std::uint64_t sent, std::uint64_t received,
                  IpAddress remote = kInternet, std::uint16_t port = 443) {
    Socket socket = socketTo(cookie, kApp, remote, port, SocketState::Established);
    socket.counters.bytesAcked = sent;
    socket.counters.bytesReceived = received;
    return socket;
}

} // namespace

// ------------------------------------------------------------------ long-lived-external

TEST(LongLivedExternalRule, RaisedWhenAConnectionToTheInternetOutlivesTheMinimumAge) {
    RulesHarness h; // default: 30 min
    const auto proc = processOf(kApp, "updater");
    h.step(snapshotAt(0, {}, {}, {proc}));
    std::uint64_t bytes = 0;
    UpdatePtr update;
    // Polls every 60 s; the connection opens at 60 s and moves 50 KB a minute.
    for (int minute = 1; minute <= 30; ++minute) {
        bytes += 50'000;
        update = h.step(snapshotAt(60.0 * minute, {toInternet(7, bytes, bytes)}, {}, {proc}));
        ASSERT_TRUE(findingsOf(*update, rules::kLongLivedExternal).empty())
            << "open " << minute - 1 << " min";
    }
    bytes += 50'000;
    update = h.step(snapshotAt(60.0 * 31, {toInternet(7, bytes, bytes)}, {}, {proc}));
    const Finding* finding = onlyFinding(*update, rules::kLongLivedExternal);
    ASSERT_NE(finding, nullptr);
    EXPECT_EQ(finding->process, kApp);
    EXPECT_EQ(finding->subject, "93.184.216.34");
    EXPECT_EQ(finding->severity, Severity::Low);
    EXPECT_TRUE(contains(finding->summary, "updater (PID 2200) has kept a connection to "
                                           "93.184.216.34:443 (HTTPS) open for 30 min"))
        << finding->summary;
    EXPECT_TRUE(contains(finding->summary, "it moves")) << finding->summary;
    EXPECT_EQ(finding->headline.key, "long-lived-external.one");
    EXPECT_EQ(finding->headline.text("remote"), "93.184.216.34:443");
    EXPECT_EQ(finding->headline.integer("port"), 443);
    EXPECT_EQ(finding->headline.integer("age"), 30 * 60'000);
    EXPECT_EQ(finding->headline.text("traffic"), "busy");
    ASSERT_EQ(finding->evidence.size(), 1u);
    EXPECT_EQ(finding->evidence[0].key, "long-lived-external.global-address");
    ASSERT_EQ(finding->sockets.size(), 1u);
    EXPECT_EQ(finding->sockets[0].remoteScope, AddressScope::Global);
}

TEST(LongLivedExternalRule, LowPeriodicTrafficReadsAsABeacon) {
    RulesHarness h(shortAge(2));
    const auto proc = processOf(kApp, "beacon");
    h.step(snapshotAt(0, {}, {}, {proc}));
    std::uint64_t bytes = 0;
    const Finding* finding = nullptr;
    UpdatePtr update;
    // One poll a second; 120 bytes every 30 s.
    for (int t = 1; t <= 200; ++t) {
        if (t % 30 == 0) {
            bytes += 60;
        }
        update = h.step(snapshotAt(t, {toInternet(7, bytes, bytes)}, {}, {proc}));
        finding = onlyFinding(*update, rules::kLongLivedExternal);
    }
    ASSERT_NE(finding, nullptr);
    EXPECT_EQ(finding->severity, Severity::Medium);
    EXPECT_TRUE(contains(finding->summary, "low and periodic (about 120 bytes every 30 s)"))
        << finding->summary;
    EXPECT_EQ(finding->headline.text("traffic"), "beacon");
    EXPECT_DOUBLE_EQ(finding->headline.real("bytes-per-burst"), 120);
    EXPECT_EQ(finding->headline.integer("period"), 30'000);
    EXPECT_TRUE(contains(finding->summary, "beacon")) << finding->summary;
}

TEST(LongLivedExternalRule, LowButIrregularTrafficIsNotCalledPeriodic) {
    RulesHarness h(shortAge(2));
    const auto proc = processOf(kApp, "chat");
    h.step(snapshotAt(0, {}, {}, {proc}));
    std::mt19937 random(42);
    std::uniform_int_distribution<int> gap(3, 60);
    std::uint64_t bytes = 0;
    int next = gap(random);
    UpdatePtr update;
    for (int t = 1; t <= 300; ++t) {
        if (t == next) {
            bytes += 40;
            next += gap(random);
        }
        update = h.step(snapshotAt(t, {toInternet(7, bytes, 0)}, {}, {proc}));
    }
    const Finding* finding = onlyFinding(*update, rules::kLongLivedExternal);
    ASSERT_NE(finding, nullptr);
    EXPECT_EQ(finding->severity, Severity::Low);
    EXPECT_TRUE(contains(finding->summary, "low")) << finding->summary;
    EXPECT_TRUE(contains(finding->summary, "not periodic")) << finding->summary;
}

TEST(LongLivedExternalRule, LocalAddressesAndDeclaredInternalRangesAreNotExternal) {
    FindingsConfig config = shortAge(1);
    config.scope.internal = {*AddressRange::parse("93.184.0.0/16")};
    RulesHarness h(config);
    const auto proc = processOf(kApp, "agent");
    const std::vector<Socket> sockets = {
        toInternet(1, 10, 10, IpAddress::v4(192, 168, 1, 20)),
        toInternet(2, 10, 10, IpAddress::v4(100, 64, 3, 3)),
        toInternet(3, 10, 10, *IpAddress::parse("fd00::7")),
        toInternet(4, 10, 10, IpAddress::v4(203, 0, 113, 5)),
        toInternet(5, 10, 10, kInternet)}; // declared internal above
    UpdatePtr update;
    for (int t = 0; t <= 180; t += 30) {
        update = h.step(snapshotAt(t, sockets, {}, {proc}));
    }
    EXPECT_TRUE(findingsOf(*update, rules::kLongLivedExternal).empty());
}

TEST(LongLivedExternalRule, DeclaredExternalRangesCountAsTheInternet) {
    FindingsConfig config = shortAge(1);
    config.scope.external = {*AddressRange::parse("198.18.0.0/15")};
    RulesHarness h(config);
    const auto proc = processOf(kApp, "lab");
    const Socket socket = toInternet(1, 10, 10, IpAddress::v4(198, 18, 0, 2), 8443);
    h.step(snapshotAt(0, {}, {}, {proc}));
    h.step(snapshotAt(1, {socket}, {}, {proc}));
    auto update = h.step(snapshotAt(60, {socket}, {}, {proc}));
    EXPECT_TRUE(findingsOf(*update, rules::kLongLivedExternal).empty()) << "59 s < 1 min";
    update = h.step(snapshotAt(61, {socket}, {}, {proc}));
    const Finding* finding = onlyFinding(*update, rules::kLongLivedExternal);
    ASSERT_NE(finding, nullptr);
    EXPECT_EQ(finding->subject, "198.18.0.2");
}

TEST(LongLivedExternalRule, AConnectionOpenAtStartIsAtLeastThatOld) {
    RulesHarness h(shortAge(1));
    const auto proc = processOf(kApp, "old");
    UpdatePtr update;
    for (int t = 0; t <= 61; t += 61) {
        update = h.step(snapshotAt(t, {toInternet(9, 100, 100)}, {}, {proc}));
    }
    const Finding* finding = onlyFinding(*update, rules::kLongLivedExternal);
    ASSERT_NE(finding, nullptr);
    EXPECT_TRUE(contains(finding->summary, "open for at least 61 s")) << finding->summary;
}

TEST(LongLivedExternalRule, SeveralConnectionsToOneHostMakeOneFindingThatClears) {
    FindingsConfig config = shortAge(1);
    config.general.clearAfter = Milliseconds(5000);
    RulesHarness h(config);
    const auto proc = processOf(kApp, "sync");
    const std::vector<Socket> sockets = {toInternet(1, 5, 5), toInternet(2, 5, 5),
                                         toInternet(3, 5, 5, kInternet, 80)};
    h.step(snapshotAt(0, {}, {}, {proc}));
    h.step(snapshotAt(1, sockets, {}, {proc}));
    auto update = h.step(snapshotAt(70, sockets, {}, {proc}));
    const Finding* finding = onlyFinding(*update, rules::kLongLivedExternal);
    ASSERT_NE(finding, nullptr);
    EXPECT_TRUE(contains(finding->summary, "has kept 3 connections to 93.184.216.34 open for up "
                                           "to 69 s"))
        << finding->summary;
    EXPECT_EQ(finding->socketsTotal, 3u);
    const FindingId id = finding->id;
    // They close; the finding clears after clear_after.
    update = h.step(snapshotAt(71, {}, {}, {proc}));
    EXPECT_NE(update->findFinding(id), nullptr);
    update = h.step(snapshotAt(75, {}, {}, {proc}));
    EXPECT_TRUE(wasCleared(*update, id));
}

TEST(LongLivedExternalRule, AReusedPidDoesNotInheritTheOldConnectionsAge) {
    const ProcessKey before{700, 1};
    const ProcessKey after{700, 2};
    RulesHarness h(shortAge(1));
    Socket old = toInternet(1, 10, 10);
    old.owner = before;
    h.step(snapshotAt(0, {}, {}, {processOf(before, "old")}));
    h.step(snapshotAt(1, {old}, {}, {processOf(before, "old")}));
    h.step(snapshotAt(50, {old}, {}, {processOf(before, "old")}));
    // The old process exits at 55 s; a new one with its PID connects to the same host.
    Socket fresh = toInternet(2, 10, 10);
    fresh.owner = after;
    auto update = h.step(snapshotAt(55, {fresh}, {}, {processOf(after, "new")}));
    update = h.step(snapshotAt(70, {fresh}, {}, {processOf(after, "new")}));
    EXPECT_TRUE(findingsOf(*update, rules::kLongLivedExternal).empty())
        << "the new connection is 15 s old, whatever the old process did";
    update = h.step(snapshotAt(116, {fresh}, {}, {processOf(after, "new")}));
    const Finding* finding = onlyFinding(*update, rules::kLongLivedExternal);
    ASSERT_NE(finding, nullptr);
    EXPECT_EQ(finding->process, after);
}

// ------------------------------------------------------------------------ new-listener

TEST(NewListenerRule, ListenersPresentAtStartAreNotNew) {
    RulesHarness h;
    const auto proc = processOf(kApp, "sshd");
    const Socket listener = listenerOn(1, kApp, IpAddress::v4(0, 0, 0, 0), 22);
    auto update = h.step(snapshotAt(0, {listener}, {}, {proc}));
    EXPECT_TRUE(findingsOf(*update, rules::kNewListener).empty());
    update = h.step(snapshotAt(1, {listener}, {}, {proc}));
    EXPECT_TRUE(findingsOf(*update, rules::kNewListener).empty());
}

TEST(NewListenerRule, AllInterfacesIsMoreExposedThanOneAddressAndLoopbackIsIgnored) {
    RulesHarness h;
    const auto proc = processOf(kApp, "devserver");
    h.step(snapshotAt(0, {}, {}, {proc}));
    const std::vector<Socket> sockets = {
        listenerOn(1, kApp, IpAddress::v4(0, 0, 0, 0), 8080),
        listenerOn(2, kApp, IpAddress::anyOf(Family::V6), 8080),
        listenerOn(3, kApp, IpAddress::v4(192, 168, 1, 5), 9000),
        listenerOn(4, kApp, IpAddress::v4(127, 0, 0, 1), 9001),
        listenerOn(5, kApp, *IpAddress::parse("::1"), 9002),
    };
    const auto update = h.step(snapshotAt(1, sockets, {}, {proc}));
    const auto findings = findingsOf(*update, rules::kNewListener);
    ASSERT_EQ(findings.size(), 2u);
    const Finding* wide = findings[0]->subject == "TCP port 8080" ? findings[0] : findings[1];
    const Finding* narrow = wide == findings[0] ? findings[1] : findings[0];
    EXPECT_EQ(wide->severity, Severity::Medium);
    EXPECT_EQ(wide->summary,
              "devserver (PID 2200) started listening on TCP port 8080 (HTTP alternate) on all "
              "interfaces (0.0.0.0 and ::), so every network this machine is connected to can "
              "reach it");
    EXPECT_EQ(wide->socketsTotal, 2u);
    EXPECT_EQ(narrow->subject, "TCP port 9000");
    EXPECT_EQ(narrow->severity, Severity::Low);
    EXPECT_EQ(narrow->summary, "devserver (PID 2200) started listening on TCP port 9000 on "
                               "192.168.1.5 only (private network (RFC 1918))");
    EXPECT_EQ(wide->headline.key, "new-listener.all-interfaces");
    EXPECT_EQ(wide->headline.find("addresses")->items, (std::vector<std::string>{"0.0.0.0", "::"}));
    EXPECT_EQ(narrow->headline.key, "new-listener.one-address");
    EXPECT_EQ(narrow->headline.text("protocol"), "TCP");
    EXPECT_EQ(narrow->headline.integer("port"), 9000);
    EXPECT_EQ(narrow->headline.text("scope"), "private");
    EXPECT_GT(wide->severity, narrow->severity);
}

TEST(NewListenerRule, UdpServicesCountButEphemeralClientPortsDoNot) {
    RulesHarness h;
    const auto proc = processOf(kApp, "mdns");
    h.step(snapshotAt(0, {}, {}, {proc}));
    const std::vector<Socket> sockets = {
        listenerOn(1, kApp, IpAddress::v4(0, 0, 0, 0), 5353, Protocol::Udp),
        listenerOn(2, kApp, IpAddress::v4(0, 0, 0, 0), 41234, Protocol::Udp)};
    auto update = h.step(snapshotAt(1, sockets, {}, {proc}));
    const Finding* finding = onlyFinding(*update, rules::kNewListener);
    ASSERT_NE(finding, nullptr);
    EXPECT_EQ(finding->subject, "UDP port 5353");

    FindingsConfig noUdp;
    noUdp.newListener.udp = false;
    RulesHarness quiet(noUdp);
    quiet.step(snapshotAt(0, {}, {}, {proc}));
    update = quiet.step(snapshotAt(1, sockets, {}, {proc}));
    EXPECT_TRUE(findingsOf(*update, rules::kNewListener).empty());
}

TEST(NewListenerRule, PersistsWhileListeningAndClearsWhenClosed) {
    FindingsConfig config;
    config.general.clearAfter = Milliseconds(2000);
    RulesHarness h(config);
    const auto proc = processOf(kApp, "server");
    h.step(snapshotAt(0, {}, {}, {proc}));
    const Socket listener = listenerOn(1, kApp, IpAddress::v4(0, 0, 0, 0), 7000);
    auto update = h.step(snapshotAt(1, {listener}, {}, {proc}));
    const Finding* finding = onlyFinding(*update, rules::kNewListener);
    ASSERT_NE(finding, nullptr);
    const FindingId id = finding->id;
    for (int t = 2; t <= 20; ++t) {
        update = h.step(snapshotAt(t, {listener}, {}, {proc}));
        ASSERT_NE(update->findFinding(id), nullptr);
        EXPECT_TRUE(update->findingsRaised.empty());
        EXPECT_TRUE(update->findingsUpdated.empty());
    }
    h.step(snapshotAt(21, {}, {}, {proc}));
    update = h.step(snapshotAt(22, {}, {}, {proc}));
    EXPECT_TRUE(wasCleared(*update, id));
}

TEST(NewListenerRule, AReusedPidThatListensAgainIsNew) {
    const ProcessKey before{800, 1};
    const ProcessKey after{800, 2};
    RulesHarness h;
    const Socket oldListener = listenerOn(1, before, IpAddress::v4(0, 0, 0, 0), 8000);
    h.step(snapshotAt(0, {oldListener}, {}, {processOf(before, "server")}));
    // The server restarts and gets its old PID back: its listener is a new socket.
    const Socket newListener = listenerOn(2, after, IpAddress::v4(0, 0, 0, 0), 8000);
    const auto update = h.step(snapshotAt(1, {newListener}, {}, {processOf(after, "server")}));
    const Finding* finding = onlyFinding(*update, rules::kNewListener);
    ASSERT_NE(finding, nullptr);
    EXPECT_EQ(finding->process, after);
}

// --------------------------------------------------------------------- suspicious-port

TEST(SuspiciousPortRule, ListenersAndConnectionsOnListedPorts) {
    RulesHarness h;
    const auto proc = processOf(kApp, "nc");
    h.step(snapshotAt(0, {}, {}, {proc}));
    const std::vector<Socket> sockets = {
        listenerOn(1, kApp, IpAddress::v4(127, 0, 0, 1), 4444),
        socketTo(2, kApp, IpAddress::v4(10, 9, 9, 9), 6667, SocketState::Established),
        socketTo(3, kApp, IpAddress::v4(10, 9, 9, 10), 6667, SocketState::Established),
        // A client whose ephemeral port happens to be listed is not suspicious.
        socketTo(4, kApp, IpAddress::v4(10, 9, 9, 11), 80, SocketState::Established, 31337),
    };
    const auto update = h.step(snapshotAt(1, sockets, {}, {proc}));
    const auto findings = findingsOf(*update, rules::kSuspiciousPort);
    ASSERT_EQ(findings.size(), 2u);
    for (const Finding* finding : findings) {
        if (finding->subject == "listening on 4444") {
            EXPECT_EQ(finding->summary,
                      "nc (PID 2200) is listening on TCP port 4444 (127.0.0.1:4444) — a port "
                      "commonly used by Metasploit's default reverse shell and the Blaster worm");
            EXPECT_EQ(finding->severity, Severity::Medium);
            EXPECT_EQ(finding->headline.key, "suspicious-port.listening");
            EXPECT_EQ(finding->headline.integer("port"), 4444);
            EXPECT_EQ(finding->headline.text("local"), "127.0.0.1:4444");
        } else {
            EXPECT_EQ(finding->subject, "connected to 6667");
            EXPECT_EQ(finding->headline.key, "suspicious-port.connections");
            EXPECT_EQ(finding->headline.integer("connections"), 2);
            EXPECT_TRUE(contains(finding->summary, "has 2 connections to port 6667"))
                << finding->summary;
            EXPECT_TRUE(contains(finding->summary, "IRC")) << finding->summary;
            EXPECT_EQ(finding->socketsTotal, 2u);
        }
    }
}

TEST(SuspiciousPortRule, AnEstablishedConnectionToTheInternetIsHigh) {
    RulesHarness h;
    const auto proc = processOf(kApp, "bot");
    h.step(snapshotAt(0, {}, {}, {proc}));
    const auto update = h.step(
        snapshotAt(1, {socketTo(2, kApp, kInternet, 6667, SocketState::Established)}, {}, {proc}));
    const Finding* finding = onlyFinding(*update, rules::kSuspiciousPort);
    ASSERT_NE(finding, nullptr);
    EXPECT_EQ(finding->severity, Severity::High);
    EXPECT_EQ(finding->sockets[0].remoteScope, AddressScope::Global);
}

TEST(SuspiciousPortRule, TheListIsConfigurable) {
    FindingsConfig config;
    config.suspiciousPort.ports = {5000};
    RulesHarness h(config);
    const auto proc = processOf(kApp, "custom");
    h.step(snapshotAt(0, {}, {}, {proc}));
    const auto update = h.step(snapshotAt(1,
                                          {listenerOn(1, kApp, IpAddress::v4(127, 0, 0, 1), 4444),
                                           listenerOn(2, kApp, IpAddress::v4(127, 0, 0, 1), 5000)},
                                          {}, {proc}));
    const Finding* finding = onlyFinding(*update, rules::kSuspiciousPort);
    ASSERT_NE(finding, nullptr);
    EXPECT_EQ(finding->subject, "listening on 5000");
    EXPECT_TRUE(contains(finding->summary, "in your list of suspicious ports")) << finding->summary;
}

TEST(SuspiciousPortRule, TimeWaitAndRequestSocketsDoNotCount) {
    RulesHarness h;
    h.step(snapshotAt(0));
    Socket waiting =
        socketTo(1, ProcessKey{}, IpAddress::v4(10, 2, 2, 2), 4444, SocketState::TimeWait);
    Socket request =
        socketTo(2, kApp, IpAddress::v4(10, 2, 2, 3), 4444, SocketState::NewSynRecv, 8080);
    const auto update = h.step(snapshotAt(1, {waiting, request}));
    EXPECT_TRUE(findingsOf(*update, rules::kSuspiciousPort).empty());
}

TEST(SuspiciousPortRule, ClearsWhenTheConnectionCloses) {
    FindingsConfig config;
    config.general.clearAfter = Milliseconds(1000);
    RulesHarness h(config);
    const auto proc = processOf(kApp, "irc");
    const Socket socket =
        socketTo(2, kApp, IpAddress::v4(10, 3, 3, 3), 6697, SocketState::Established);
    h.step(snapshotAt(0, {}, {}, {proc}));
    auto update = h.step(snapshotAt(1, {socket}, {}, {proc}));
    const Finding* finding = onlyFinding(*update, rules::kSuspiciousPort);
    ASSERT_NE(finding, nullptr);
    const FindingId id = finding->id;
    update = h.step(snapshotAt(2, {}, {}, {proc}));
    EXPECT_TRUE(wasCleared(*update, id));
}
