// Scenarios for long-lived-external, new-listener and suspicious-port with real sockets in
// namespaces the test creates. The "Internet" of the long-lived scenario is a peer namespace
// reached over a veth pair with benchmark addresses (198.18.0.0/15), declared external in the
// test's config: no packet leaves the test's namespaces.

#include "findings_scenario.h"
#include "portscope/core/findings.h"

#include <gtest/gtest.h>

using namespace portscope;
using namespace portscope::testing;
using namespace std::chrono_literals;

TEST(LongLivedExternalScenario, AQuietPeriodicConnectionToAnExternalAddressIsABeacon) {
    ENTER_PRIVATE_NETWORK(network, false);
    network->addPeer("198.18.0.1/30", "198.18.0.2/30");
    // The server lives in the peer namespace: our side sees only the client.
    const Fd server = network->inPeer([] { return listenInNamespace("198.18.0.2", 8443); });

    core::FindingsConfig config;
    config.scope.external = {*core::AddressRange::parse("198.18.0.0/15")};
    config.longLivedExternal.minAge = 3s;
    WatchedEngine engine(config);
    engine.waitForUpdates(1);

    const auto connectedAt = std::chrono::system_clock::now();
    const Fd client = connectInNamespace("198.18.0.2", 8443, true);
    const Fd accepted = network->inPeer([&] { return acceptOne(server.get()); });
    const auto me = self();
    auto isOurs = [&](const core::Finding& finding) {
        return finding.ruleId == core::rules::kLongLivedExternal && finding.process == me;
    };
    // A heartbeat: 40 bytes every second, like a beacon to a control server.
    std::optional<std::pair<core::Finding, std::uint64_t>> beacon;
    for (int beat = 0; beat < 14 && !beacon; ++beat) {
        sendAll(client.get(), 40);
        ASSERT_EQ(receiveExactly(accepted.get(), 40), 40u);
        std::this_thread::sleep_for(1s);
        beacon = engine.waitForFinding(
            [&](const core::Finding& finding) {
                return isOurs(finding) && has(finding.summary, "low and periodic");
            },
            10ms);
    }
    // The earliest update that listed the finding.
    const auto earliest = engine.waitForFinding(isOurs, 10ms);
    const std::optional<core::Finding> firstSeen =
        earliest ? std::optional<core::Finding>(earliest->first) : std::nullopt;
    ASSERT_TRUE(firstSeen) << "no long-lived-external finding for this process";
    const auto connectedUnixMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(connectedAt.time_since_epoch())
            .count();
    EXPECT_GE(firstSeen->firstSeenUnixMs, connectedUnixMs + 2900)
        << "raised before the connection was 3 s old";
    EXPECT_EQ(firstSeen->subject, "198.18.0.2");
    EXPECT_TRUE(has(firstSeen->summary,
                    "has kept a connection to 198.18.0.2:8443 (HTTPS alternate) open for "))
        << firstSeen->summary;
    ASSERT_EQ(firstSeen->sockets.size(), 1u);
    EXPECT_EQ(firstSeen->sockets[0].remoteScope, core::AddressScope::Global);
    EXPECT_EQ(firstSeen->sockets[0].local, localEndpoint(client.get()));
    ASSERT_TRUE(beacon) << "the once-a-second heartbeat was not called low and periodic; last: "
                        << firstSeen->summary;
    EXPECT_EQ(beacon->first.severity, core::Severity::Medium);
    EXPECT_TRUE(has(beacon->first.summary, "about 40 bytes every 1")) << beacon->first.summary;
}

TEST(LongLivedExternalScenario, LoopbackConnectionsAreNeverExternal) {
    ENTER_PRIVATE_NETWORK(network, false);
    core::FindingsConfig config;
    config.longLivedExternal.minAge = 1s;
    WatchedEngine engine(config);
    const Fd listener = tcpListener("127.0.0.1");
    const Fd client = tcpConnect(localEndpoint(listener.get()));
    const Fd server = acceptOne(listener.get());
    engine.waitForUpdates(12); // 3 s at 0.25 s
    for (const auto& update : engine.updates()) {
        for (const auto& finding : update->findings) {
            EXPECT_NE(finding.ruleId, core::rules::kLongLivedExternal) << finding.summary;
        }
    }
}

TEST(NewListenerScenario, AllInterfacesIsReportedAsMoreExposedThanOneAddress) {
    ENTER_PRIVATE_NETWORK(network, false);
    network->run({"ip", "addr", "add", "198.18.5.1/32", "dev", "lo"});
    const Fd before = listenInNamespace("0.0.0.0"); // there when monitoring begins
    WatchedEngine engine;
    const auto start = engine.waitForUpdates(1);

    const Fd everywhere = listenInNamespace("0.0.0.0");
    const Fd one = listenInNamespace("198.18.5.1");
    const Fd loopback = tcpListener("127.0.0.1");
    const auto everywherePort = localEndpoint(everywhere.get()).port;
    const auto onePort = localEndpoint(one.get()).port;
    const auto me = self();

    const auto wide = engine.waitForFinding([&](const core::Finding& finding) {
        return finding.ruleId == core::rules::kNewListener && finding.process == me &&
               finding.subject == "TCP port " + std::to_string(everywherePort);
    });
    const auto narrow = engine.waitForFinding([&](const core::Finding& finding) {
        return finding.ruleId == core::rules::kNewListener && finding.process == me &&
               finding.subject == "TCP port " + std::to_string(onePort);
    });
    ASSERT_TRUE(wide) << "no finding for the listener on 0.0.0.0:" << everywherePort;
    ASSERT_TRUE(narrow) << "no finding for the listener on 198.18.5.1:" << onePort;
    EXPECT_LE(wide->second, start + kFewTicks);
    EXPECT_TRUE(has(wide->first.summary, "on all interfaces (0.0.0.0)")) << wide->first.summary;
    EXPECT_TRUE(has(narrow->first.summary, "on 198.18.5.1 only")) << narrow->first.summary;
    EXPECT_GT(wide->first.severity, narrow->first.severity);

    engine.waitForUpdates(2);
    const auto beforePort = localEndpoint(before.get()).port;
    const auto loopbackPort = localEndpoint(loopback.get()).port;
    for (const auto& update : engine.updates()) {
        for (const auto& finding : update->findings) {
            if (finding.ruleId == core::rules::kNewListener) {
                EXPECT_NE(finding.subject, "TCP port " + std::to_string(beforePort))
                    << "a listener from before monitoring began is not new";
                EXPECT_NE(finding.subject, "TCP port " + std::to_string(loopbackPort))
                    << "loopback is not exposed";
            }
        }
    }
}

TEST(SuspiciousPortScenario, ABackdoorPortListenerAndItsClientAreBothNamed) {
    ENTER_PRIVATE_NETWORK(network, false);
    WatchedEngine engine;
    const auto start = engine.waitForUpdates(1);
    // Port 4444 is Metasploit's default; the namespace is new, so the port is free.
    const Fd listener = listenInNamespace("127.0.0.1", 4444);
    const Fd client = connectInNamespace("127.0.0.1", 4444, true);
    const Fd accepted = acceptOne(listener.get());
    const auto me = self();
    const auto listening = engine.waitForFinding([&](const core::Finding& finding) {
        return finding.ruleId == core::rules::kSuspiciousPort && finding.process == me &&
               finding.subject == "listening on 4444";
    });
    const auto connected = engine.waitForFinding([&](const core::Finding& finding) {
        return finding.ruleId == core::rules::kSuspiciousPort && finding.process == me &&
               finding.subject == "connected to 4444";
    });
    ASSERT_TRUE(listening);
    ASSERT_TRUE(connected);
    EXPECT_LE(listening->second, start + kFewTicks);
    EXPECT_TRUE(has(listening->first.summary, "is listening on TCP port 4444 (127.0.0.1:4444)"))
        << listening->first.summary;
    EXPECT_TRUE(has(listening->first.summary, "Metasploit")) << listening->first.summary;
    EXPECT_TRUE(has(connected->first.summary, "is connected to 127.0.0.1:4444"))
        << connected->first.summary;
    ASSERT_EQ(connected->first.sockets.size(), 1u);
    EXPECT_EQ(connected->first.sockets[0].local, localEndpoint(client.get()));
}
