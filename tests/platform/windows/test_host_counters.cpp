// Host counters from GetTcpStatisticsEx, GetUdpStatisticsEx and GetIcmpStatisticsEx.

#include "support/win_test_support.h"
#include "windows/host_counters.h"

#include <algorithm>
#include <gtest/gtest.h>

namespace {

using namespace portscope;
using platform::winsys::hostCountersFrom;
using platform::winsys::MibCounters;

std::optional<std::int64_t> named(const core::HostCounters& counters, std::string_view name) {
    const auto found = std::find_if(counters.all.begin(), counters.all.end(),
                                    [&](const auto& entry) { return entry.first == name; });
    if (found == counters.all.end()) {
        return std::nullopt;
    }
    return found->second;
}

TEST(HostCounters, SumsIpv4AndIpv6) {
    MibCounters mib;
    MIB_TCPSTATS tcp4{};
    tcp4.dwActiveOpens = 100;
    tcp4.dwPassiveOpens = 10;
    tcp4.dwAttemptFails = 3;
    tcp4.dwEstabResets = 4;
    tcp4.dwCurrEstab = 5;
    tcp4.dwInSegs = 1000;
    tcp4.dwOutSegs = 900;
    tcp4.dwRetransSegs = 7;
    tcp4.dwInErrs = 1;
    tcp4.dwOutRsts = 8;
    tcp4.dwNumConns = 12;
    MIB_TCPSTATS tcp6 = tcp4;
    tcp6.dwActiveOpens = 1;
    tcp6.dwOutRsts = 2;
    mib.tcp4 = tcp4;
    mib.tcp6 = tcp6;
    MIB_UDPSTATS udp4{};
    udp4.dwInDatagrams = 50;
    udp4.dwNoPorts = 6;
    udp4.dwInErrors = 2;
    udp4.dwOutDatagrams = 40;
    mib.udp4 = udp4;

    const auto counters = hostCountersFrom(mib);
    EXPECT_TRUE(counters.present);
    EXPECT_EQ(counters.tcp.activeOpens, 101u);
    EXPECT_EQ(counters.tcp.passiveOpens, 20u);
    EXPECT_EQ(counters.tcp.attemptFails, 6u);
    EXPECT_EQ(counters.tcp.estabResets, 8u);
    EXPECT_EQ(counters.tcp.currEstab, 10u);
    EXPECT_EQ(counters.tcp.inSegs, 2000u);
    EXPECT_EQ(counters.tcp.outSegs, 1800u);
    EXPECT_EQ(counters.tcp.retransSegs, 14u);
    EXPECT_EQ(counters.tcp.inErrs, 2u);
    EXPECT_EQ(counters.tcp.outRsts, 10u);
    EXPECT_EQ(counters.udp.inDatagrams, 50u) << "IPv6 UDP missing: IPv4 alone";
    EXPECT_EQ(counters.udp.noPorts, 6u);
    EXPECT_EQ(counters.udp.inErrors, 2u);
    EXPECT_EQ(counters.udp.outDatagrams, 40u);
    EXPECT_EQ(named(counters, "Tcp.ActiveOpens"), 101);
    EXPECT_EQ(named(counters, "Tcp.NumConns"), 24);
    EXPECT_EQ(named(counters, "Udp.NoPorts"), 6);
    EXPECT_FALSE(named(counters, "Icmp.InMsgs").has_value()) << "no ICMP call succeeded";
    EXPECT_FALSE(named(counters, "TcpExt.ListenOverflows").has_value())
        << "Windows has no such counter; it must not be listed as a measured 0";
}

TEST(HostCounters, CountsUnreachablesByEachFamilysOwnType) {
    MibCounters mib;
    MIB_ICMP_EX icmp4{};
    icmp4.icmpInStats.dwMsgs = 30;
    icmp4.icmpOutStats.dwMsgs = 20;
    icmp4.icmpInStats.rgdwTypeCount[3] = 5; // ICMPv4 destination unreachable
    icmp4.icmpOutStats.rgdwTypeCount[3] = 6;
    icmp4.icmpInStats.rgdwTypeCount[1] = 1000; // not a type ICMPv4 uses for this
    MIB_ICMP_EX icmp6{};
    icmp6.icmpInStats.dwMsgs = 3;
    icmp6.icmpInStats.rgdwTypeCount[1] = 2; // ICMPv6 destination unreachable
    icmp6.icmpOutStats.rgdwTypeCount[1] = 1;
    icmp6.icmpInStats.rgdwTypeCount[3] = 1000; // ICMPv6 time exceeded
    mib.icmp4 = icmp4;
    mib.icmp6 = icmp6;

    const auto counters = hostCountersFrom(mib);
    EXPECT_TRUE(counters.present);
    EXPECT_EQ(counters.icmp.inMessages, 33u);
    EXPECT_EQ(counters.icmp.outMessages, 20u);
    EXPECT_EQ(counters.icmp.inDestUnreachs, 7u);
    EXPECT_EQ(counters.icmp.outDestUnreachs, 7u);
    EXPECT_EQ(named(counters, "Icmp.InDestUnreachs"), 7);
    EXPECT_FALSE(named(counters, "Tcp.ActiveOpens").has_value());
}

TEST(HostCounters, NothingReadMeansNotPresent) {
    const auto counters = hostCountersFrom(MibCounters{});
    EXPECT_FALSE(counters.present);
    EXPECT_TRUE(counters.all.empty());
}

TEST(HostCountersLive, ActiveOpensCountLoopbackConnections) {
    // Wine answers these calls from the host's /proc/net/snmp, so the check is real there too.
    std::vector<std::string> problems;
    const auto before = hostCountersFrom(platform::winsys::readMibCounters(problems));
    ASSERT_TRUE(problems.empty()) << problems.front();
    ASSERT_TRUE(before.present);
    constexpr int kConnections = 5;
    for (int i = 0; i < kConnections; ++i) {
        ASSERT_TRUE(wintest::connectOnLoopback(AF_INET).has_value());
    }
    const auto after = hostCountersFrom(platform::winsys::readMibCounters(problems));
    ASSERT_TRUE(after.present);
    EXPECT_GE(after.tcp.activeOpens - before.tcp.activeOpens,
              static_cast<std::uint64_t>(kConnections));
    EXPECT_GE(after.tcp.passiveOpens - before.tcp.passiveOpens,
              static_cast<std::uint64_t>(kConnections));
}

} // namespace
