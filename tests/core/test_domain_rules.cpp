// The domain rules every layer asks the model for: what "listening" means, which address
// family a connection belongs to, and the process key hash.

#include "findings_test_support.h"
#include "portscope/core/filter_query.h"

#include <gtest/gtest.h>
#include <unordered_set>

using namespace portscope::core;
using namespace portscope::core::testing;

namespace {

const ProcessKey kApp{4242, 17};

// An unconnected UDP socket on 127.0.0.1:port in `state`, owned by kApp.
Socket udpWithoutPeer(std::uint64_t cookie, std::uint16_t port, SocketState state) {
    Socket socket = udpSocket(cookie, port, kApp);
    socket.state = state;
    return socket;
}

Socket mappedTcp(std::string_view local, std::string_view remote) {
    Socket socket = tcpSocket(1, 8080, 40000);
    socket.local.address = *IpAddress::parse(local);
    socket.remote.address = *IpAddress::parse(remote);
    return socket;
}

} // namespace

TEST(Listening, TcpListenersAndBoundUnconnectedUdpSocketsListen) {
    EXPECT_TRUE(isListening(tcpListener(1, 22)));
    EXPECT_TRUE(isListening(udpWithoutPeer(2, 5353, SocketState::Bound)));
    EXPECT_FALSE(isListening(tcpSocket(3, 40000, 22)));

    Socket connectedUdp = udpSocket(4, 5000);
    connectedUdp.state = SocketState::Established;
    connectedUdp.remote = Endpoint{IpAddress::v4(127, 0, 0, 53), 53};
    EXPECT_FALSE(isListening(connectedUdp)) << "a connected UDP socket hears its peer only";
}

TEST(Listening, UdpWithoutPeerInAnotherStateIsNoListener) {
    // A source that could not tell the state (a recording, another backend) reports Unknown;
    // no peer alone does not make a listener.
    EXPECT_FALSE(isListening(udpWithoutPeer(1, 5353, SocketState::Unknown)));
    EXPECT_FALSE(isListening(udpWithoutPeer(2, 5353, SocketState::Close)));
}

// The listener counts, the Show > Listening switch and the findings rules answered
// differently about a UDP socket with no peer whose state is not Bound.
TEST(Listening, CountsSwitchAndFindingsAgreeAboutTheSameSocket) {
    RulesHarness harness;
    const Socket unknownState = udpWithoutPeer(1, 4444, SocketState::Unknown);
    auto update = harness.step(snapshotAt(0, {unknownState}, {}, {processOf(kApp, "nc")}));
    ASSERT_EQ(update->connections.size(), 1u);
    EXPECT_TRUE(update->findings.empty()) << "the suspicious-port rule sees no listener";
    EXPECT_EQ(update->totals.counts.listening, 0u);
    VisibilityToggles hideListening;
    hideListening.listening = false;
    EXPECT_TRUE(hideListening.accepts(update->connections[0]));

    RulesHarness bound;
    update = bound.step(
        snapshotAt(0, {udpWithoutPeer(1, 4444, SocketState::Bound)}, {}, {processOf(kApp, "nc")}));
    ASSERT_EQ(update->findings.size(), 1u);
    EXPECT_EQ(update->findings[0].subject, "listening on 4444");
    EXPECT_EQ(update->totals.counts.listening, 1u);
    EXPECT_FALSE(hideListening.accepts(update->connections[0]));
}

TEST(EffectiveFamily, AMappedPeerMakesAnIpv6SocketIpv4) {
    const Socket mapped = mappedTcp("::ffff:127.0.0.1", "::ffff:127.0.0.1");
    EXPECT_EQ(mapped.family(), Family::V6);
    EXPECT_EQ(effectiveFamily(mapped), Family::V4);
    EXPECT_EQ(effectiveFamily(mappedTcp("::1", "::1")), Family::V6);
    EXPECT_EQ(effectiveFamily(mappedTcp("::", "::ffff:10.0.0.1")), Family::V4);

    Socket listener = tcpListener(2, 80);
    listener.local.address = *IpAddress::parse("::");
    listener.remote.address = *IpAddress::parse("::");
    EXPECT_EQ(effectiveFamily(listener), Family::V6) << "no peer: the local address decides";
    listener.local.address = *IpAddress::parse("::ffff:127.0.0.1");
    EXPECT_EQ(effectiveFamily(listener), Family::V4);
}

TEST(ProcessKeyHash, EqualKeysHashEquallyAndRecycledPidsApart) {
    const ProcessKeyHash hash;
    EXPECT_EQ(hash(ProcessKey{812, 99}), hash(ProcessKey{812, 99}));
    std::unordered_set<std::size_t> seen;
    for (std::int32_t pid = 1; pid <= 200; ++pid) {
        for (std::uint64_t start = 0; start < 5; ++start) {
            seen.insert(hash(ProcessKey{pid, start}));
        }
    }
    EXPECT_EQ(seen.size(), 1000u) << "a PID reused with a new start time gets its own slot";
}
