// Per-connection byte counters from EStats.

#include "support/win_test_support.h"
#include "windows/connection_stats.h"
#include "windows/win32.h"

#include <algorithm>
#include <gtest/gtest.h>

namespace {

using namespace portscope;
using platform::winsys::ConnectionStatistics;

TEST(ConnectionStats, MapsTheDataCountersOntoTcpCounters) {
    TCP_ESTATS_DATA_ROD_v0 data{};
    data.DataBytesOut = 5000;
    data.DataBytesIn = 7000;
    data.ThruBytesAcked = 4800;
    data.ThruBytesReceived = 6900;
    data.SegsIn = 12;
    data.SegsOut = 0x1'0000'0005ULL; // wider than the core's 32 bits: clamped, not wrapped
    const auto counters = platform::winsys::countersFromEstats(data);
    EXPECT_TRUE(counters.present);
    EXPECT_TRUE(counters.hasBytesSent);
    EXPECT_EQ(counters.bytesAcked, 4800u);
    EXPECT_EQ(counters.bytesReceived, 6900u);
    EXPECT_EQ(counters.bytesSent, 5000u);
    EXPECT_EQ(counters.segsIn, 12u);
    EXPECT_EQ(counters.segsOut, 0xFFFFFFFFu);
}

TEST(ConnectionStats, OnlyConnectionsHaveStatistics) {
    using core::SocketState;
    for (const auto state : {SocketState::Established, SocketState::SynSent, SocketState::SynRecv,
                             SocketState::FinWait1, SocketState::FinWait2, SocketState::CloseWait,
                             SocketState::Closing, SocketState::LastAck}) {
        EXPECT_TRUE(platform::winsys::hasEstats(state)) << core::toString(state);
    }
    for (const auto state : {SocketState::Listen, SocketState::TimeWait, SocketState::Close,
                             SocketState::Bound, SocketState::Unknown}) {
        EXPECT_FALSE(platform::winsys::hasEstats(state)) << core::toString(state);
    }
}

TEST(ConnectionStats, WhenUnavailableNoCountersAreInvented) {
    auto pair = wintest::connectOnLoopback(AF_INET);
    ASSERT_TRUE(pair.has_value());
    core::Socket socket;
    socket.state = core::SocketState::Established;
    socket.local = {core::IpAddress::v4(127, 0, 0, 1), pair->client.localPort()};
    socket.remote = {core::IpAddress::v4(127, 0, 0, 1), pair->listener.localPort()};
    std::vector<core::Socket> sockets{socket};

    ConnectionStatistics statistics("no EStats here");
    statistics.collect(sockets);
    EXPECT_FALSE(sockets[0].counters.present);
    EXPECT_EQ(statistics.unavailableReason(), "no EStats here");
}

TEST(ConnectionStats, CountsBytesOfALoopbackConnectionWhenElevated) {
    if (platform::winsys::isRunningUnderWine()) {
        GTEST_SKIP()
            << "Wine aborts inside the EStats calls; the live source never makes them there";
    }
    if (!platform::winsys::isElevated()) {
        GTEST_SKIP() << "EStats needs an elevated process";
    }
    auto pair = wintest::connectOnLoopback(AF_INET);
    ASSERT_TRUE(pair.has_value());
    core::Socket socket;
    socket.state = core::SocketState::Established;
    socket.local = {core::IpAddress::v4(127, 0, 0, 1), pair->client.localPort()};
    socket.remote = {core::IpAddress::v4(127, 0, 0, 1), pair->listener.localPort()};

    ConnectionStatistics statistics("");
    std::vector<core::Socket> first{socket};
    statistics.collect(first);
    ASSERT_TRUE(first[0].counters.present) << statistics.unavailableReason();
    ASSERT_TRUE(wintest::exchangesData(*pair));
    std::vector<core::Socket> second{socket};
    statistics.collect(second);
    ASSERT_TRUE(second[0].counters.present);
    EXPECT_GE(second[0].counters.bytesSent - first[0].counters.bytesSent, 5u);
    EXPECT_GE(second[0].counters.bytesReceived - first[0].counters.bytesReceived, 5u);
}

} // namespace
