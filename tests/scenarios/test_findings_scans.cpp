// Scenarios for fanout-scan, syn-flood, connection-surge and inbound-scan: the situation is
// recreated for real inside a network namespace of the test's own (nftables drops SYNs or
// ACKs where a real network would not answer), and the engine must name the right process
// within a few ticks.

#include "findings_scenario.h"
#include "portscope/core/findings.h"

#include <gtest/gtest.h>
#include <poll.h>

using namespace portscope;
using namespace portscope::testing;
using namespace std::chrono_literals;

TEST(FanoutScanScenario, SynSentToThirtyHostsOnPort445IsReportedAsAWorm) {
    ENTER_PRIVATE_NETWORK(network, true);
    // Nobody answers on port 445, so every connect waits in SYN_SENT, as on a real LAN.
    network->dropOnOutput("tcp dport 445 tcp flags & (syn | ack) == syn");
    WatchedEngine engine;
    const auto before = engine.waitForUpdates(1);
    std::vector<Fd> attempts;
    for (int i = 2; i < 32; ++i) {
        attempts.push_back(connectInNamespace("127.0.0." + std::to_string(i), 445, false));
    }
    const auto me = self();
    const auto found = engine.waitForFinding([&](const core::Finding& finding) {
        return finding.ruleId == core::rules::kFanoutScan && finding.process == me;
    });
    ASSERT_TRUE(found) << "no fanout-scan finding for this process (PID " << me.pid << ")";
    const auto& [finding, sequence] = *found;
    EXPECT_LE(sequence, before + kFewTicks);
    EXPECT_EQ(finding.severity, core::Severity::High);
    EXPECT_TRUE(has(finding.summary, "(PID " + std::to_string(me.pid) + ") tried to connect to "))
        << finding.summary;
    EXPECT_TRUE(has(finding.summary, "different hosts on port 445 (SMB)")) << finding.summary;
    EXPECT_TRUE(has(finding.summary, "worm")) << finding.summary;
    EXPECT_GE(finding.magnitude, 10);
    ASSERT_FALSE(finding.sockets.empty());
    for (const auto& socket : finding.sockets) {
        EXPECT_EQ(socket.state, core::SocketState::SynSent);
        EXPECT_EQ(socket.remote.port, 445);
        EXPECT_TRUE(socket.remote.address.isLoopback());
    }
}

TEST(FanoutScanScenario, RefusedConnectsSeenOnlyThroughCloseEventsAreCountedToo) {
    ENTER_PRIVATE_NETWORK(network, false);
    WatchedEngine engine;
    engine.waitForUpdates(1);
    // Each connect is refused at once and closed before any poll can list it: only the
    // kernel's close event tells of it. Like a worm, the test connects without blocking and
    // closes the socket when the refusal arrives.
    int refused = 0;
    for (int i = 1; i <= 20; ++i) {
        Fd attempt = connectInNamespace("127.0.1." + std::to_string(i), 139, false);
        pollfd ready{attempt.get(), POLLOUT, 0};
        int error = 0;
        socklen_t length = sizeof error;
        if (poll(&ready, 1, 2000) == 1 &&
            getsockopt(attempt.get(), SOL_SOCKET, SO_ERROR, &error, &length) == 0 &&
            error == ECONNREFUSED) {
            ++refused;
        }
    }
    ASSERT_EQ(refused, 20);
    const auto found = engine.waitForFinding([](const core::Finding& finding) {
        return finding.ruleId == core::rules::kFanoutScan && finding.hasUid &&
               finding.uid == geteuid();
    });
    if (!found) {
        std::string seen;
        for (const auto& update : engine.updates()) {
            for (const auto& connection : update->connections) {
                if (connection.socket.remote.port == 139 &&
                    connection.change != core::RowChange::None) {
                    seen += std::string(core::toString(connection.socket.state)) +
                            " open=" + std::to_string(connection.open) +
                            " short=" + std::to_string(connection.shortLived) +
                            " pid=" + std::to_string(connection.socket.owner.pid) +
                            " uid=" + std::to_string(connection.socket.uid) +
                            " acked=" + std::to_string(connection.socket.counters.bytesAcked) +
                            " present=" + std::to_string(connection.socket.counters.present) + "\n";
                }
            }
        }
        FAIL() << "the close events of 20 refused connects raised nothing; rows seen:\n" << seen;
    }
    const auto& finding = found->first;
    EXPECT_FALSE(finding.process.valid()) << "close events carry no process";
    EXPECT_TRUE(has(finding.summary, "an unidentified process (uid " + std::to_string(geteuid()) +
                                         ") tried to connect to "))
        << finding.summary;
    EXPECT_TRUE(has(finding.summary, "on port 139 (NetBIOS)")) << finding.summary;
    for (const auto& socket : finding.sockets) {
        EXPECT_FALSE(socket.open);
        EXPECT_TRUE(socket.shortLived);
    }
}

TEST(SynFloodScenario, AListenerWhoseHandshakesNeverCompleteFillsWithSynRecv) {
    ENTER_PRIVATE_NETWORK(network, true);
    const Fd listener = listenInNamespace("127.0.0.1", 0, 1024);
    const std::uint16_t port = localEndpoint(listener.get()).port;
    // The clients' final ACK is lost, so the listener keeps every request half-open.
    network->dropOnOutput("tcp dport " + std::to_string(port) +
                          " tcp flags & (syn | ack | fin | rst) == ack");
    WatchedEngine engine;
    const auto before = engine.waitForUpdates(1);
    std::vector<Fd> clients;
    for (int i = 0; i < 70; ++i) {
        clients.push_back(connectInNamespace("127.0.0.1", port, false));
    }
    const auto me = self();
    const auto found = engine.waitForFinding([&](const core::Finding& finding) {
        return finding.ruleId == core::rules::kSynFlood && finding.process == me;
    });
    ASSERT_TRUE(found) << "no syn-flood finding for the listener on port " << port;
    const auto& [finding, sequence] = *found;
    EXPECT_LE(sequence, before + kFewTicks);
    EXPECT_EQ(finding.subject, "port " + std::to_string(port));
    EXPECT_TRUE(has(finding.summary,
                    "half-open connections (SYN_RECV) waiting on port " + std::to_string(port)))
        << finding.summary;
    EXPECT_GE(finding.magnitude, 50);
    ASSERT_FALSE(finding.sockets.empty());
    EXPECT_EQ(finding.sockets.front().state, core::SocketState::Listen);
    EXPECT_EQ(finding.sockets.front().local.port, port);
    for (std::size_t i = 1; i < finding.sockets.size(); ++i) {
        EXPECT_TRUE(finding.sockets[i].state == core::SocketState::SynRecv ||
                    finding.sockets[i].state == core::SocketState::NewSynRecv)
            << core::toString(finding.sockets[i].state);
    }
}

TEST(ConnectionSurgeScenario, ThousandsOfConnectsToPort445AreASurge) {
    ENTER_PRIVATE_NETWORK(network, true);
    if (!ensureDescriptors(4096)) {
        GTEST_SKIP() << "needs 4096 open files";
    }
    network->dropOnOutput("tcp dport 445 tcp flags & (syn | ack) == syn");
    WatchedEngine engine; // default thresholds
    const auto before = engine.waitForUpdates(1);
    std::vector<Fd> attempts;
    for (int i = 0; i < 1200; ++i) {
        attempts.push_back(connectInNamespace("127.0." + std::to_string(1 + i / 250) + "." +
                                                  std::to_string(1 + i % 250),
                                              445, false));
    }
    const auto me = self();
    // A poll may land in the middle of the connect loop on a loaded machine; the finding's
    // count then grows on the next polls, so wait for the one that has seen most of them.
    const auto found = engine.waitForFinding([&](const core::Finding& finding) {
        return finding.ruleId == core::rules::kConnectionSurge && finding.process == me &&
               finding.socketsTotal >= 1000u;
    });
    ASSERT_TRUE(found) << "1200 connects raised no connection-surge finding counting 1000 of them";
    const auto& [finding, sequence] = *found;
    EXPECT_LE(sequence, before + kFewTicks);
    EXPECT_TRUE(has(finding.summary, "mostly to port 445 (SMB)")) << finding.summary;
    EXPECT_TRUE(has(finding.summary, "NAT table")) << finding.summary;
}

TEST(InboundScanScenario, ProbesOfClosedPortsRaiseTheHostCounters) {
    ENTER_PRIVATE_NETWORK(network, false);
    WatchedEngine engine;
    const auto before = engine.waitForUpdates(1);
    // A scan of this namespace: TCP connects and UDP datagrams to ports nobody listens on.
    for (int i = 0; i < 300; ++i) {
        try {
            connectInNamespace("127.0.0.1", static_cast<std::uint16_t>(20000 + i), true);
        } catch (const std::runtime_error&) {
            // refused, as a scan of a closed port is
        }
    }
    const Fd udp = udpSocket("127.0.0.1");
    for (int i = 0; i < 300; ++i) {
        const auto to = socketAddress("127.0.0.1", static_cast<std::uint16_t>(30000 + i));
        ASSERT_EQ(
            sendto(udp.get(), "probe", 5, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to), 5);
    }
    const auto found = engine.waitForFinding(
        [](const core::Finding& finding) { return finding.ruleId == core::rules::kInboundScan; });
    ASSERT_TRUE(found) << "300 refused connects and 300 closed-port datagrams raised nothing";
    const auto& [finding, sequence] = *found;
    EXPECT_LE(sequence, before + kFewTicks);
    EXPECT_TRUE(finding.concernsHost());
    ASSERT_EQ(finding.counters.size(), 3u);
    EXPECT_EQ(finding.counters[0].name, "Tcp.OutRsts");
    EXPECT_GT(finding.counters[0].increase + finding.counters[1].increase, 100u);
    EXPECT_TRUE(has(finding.summary, "probes of closed ports")) << finding.summary;

    // The statistics view marks the counters behind the finding.
    bool flagged = false;
    for (const auto& update : engine.updates()) {
        if (update->sequence != sequence) {
            continue;
        }
        for (const auto& counter : update->counterRates) {
            if (counter.name == "Tcp.OutRsts") {
                flagged = counter.flagged() && counter.findings.front() == "inbound-scan";
            }
        }
    }
    EXPECT_TRUE(flagged);
}
