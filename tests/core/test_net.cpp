#include "portscope/core/model.h"
#include "portscope/core/net.h"

#include <cstring>
#include <gtest/gtest.h>
#include <unordered_set>

using namespace portscope::core;

TEST(IpAddress, ParsesAndPrintsIpv4) {
    const auto address = IpAddress::parse("192.168.10.254");
    ASSERT_TRUE(address);
    EXPECT_EQ(address->family, Family::V4);
    EXPECT_EQ(address->toString(), "192.168.10.254");
    EXPECT_EQ(*address, IpAddress::v4(192, 168, 10, 254));
}

TEST(IpAddress, RejectsMalformedIpv4) {
    for (const char* text : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "1.2.3.4 ", "a.b.c.d",
                             "1.2.3.-4", "01234.1.1.1"}) {
        EXPECT_FALSE(IpAddress::parse(text)) << text;
    }
}

TEST(IpAddress, ParsesAndCompressesIpv6) {
    struct Case {
        const char* input;
        const char* printed;
    };
    for (const auto& c :
         {Case{"::1", "::1"}, Case{"::", "::"}, Case{"fe80::1:2", "fe80::1:2"},
          Case{"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
          Case{"2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"}, Case{"[::1]", "::1"},
          Case{"1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"}, Case{"1::", "1::"},
          Case{"::ffff:10.1.2.3", "::ffff:10.1.2.3"}, Case{"1:0:2:0:3:0:4:0", "1:0:2:0:3:0:4:0"}}) {
        const auto address = IpAddress::parse(c.input);
        ASSERT_TRUE(address) << c.input;
        EXPECT_EQ(address->family, Family::V6);
        EXPECT_EQ(address->toString(), c.printed) << c.input;
        EXPECT_EQ(IpAddress::parse(address->toString()), address) << "round trip of " << c.input;
    }
}

TEST(IpAddress, RejectsMalformedIpv6) {
    for (const char* text : {":", ":::", "1:::2", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "g::1",
                             "1:2", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", "::1.2.3", "[::1"}) {
        EXPECT_FALSE(IpAddress::parse(text)) << text;
    }
}

TEST(IpAddress, NetworkOrderIpv4) {
    // 127.0.0.1 in network byte order, as inet_diag and sockaddr_in hold it.
    const std::uint8_t raw[4] = {127, 0, 0, 1};
    std::uint32_t value;
    std::memcpy(&value, raw, 4);
    EXPECT_EQ(IpAddress::v4FromNetworkOrder(value).toString(), "127.0.0.1");
}

TEST(IpAddress, LoopbackAndMappedAddresses) {
    EXPECT_TRUE(IpAddress::parse("127.0.0.1")->isLoopback());
    EXPECT_TRUE(IpAddress::parse("127.255.1.2")->isLoopback());
    EXPECT_TRUE(IpAddress::parse("::1")->isLoopback());
    EXPECT_TRUE(IpAddress::parse("::ffff:127.0.0.1")->isLoopback());
    EXPECT_FALSE(IpAddress::parse("128.0.0.1")->isLoopback());
    EXPECT_FALSE(IpAddress::parse("::2")->isLoopback());
    const auto mapped = IpAddress::parse("::ffff:10.0.0.7");
    EXPECT_TRUE(mapped->isV4Mapped());
    EXPECT_EQ(mapped->unmapped(), IpAddress::v4(10, 0, 0, 7));
    EXPECT_TRUE(IpAddress::anyOf(Family::V6).isUnspecified());
}

TEST(Endpoint, PrintsWithBracketsForIpv6) {
    EXPECT_EQ((Endpoint{IpAddress::v4(10, 0, 0, 1), 443}).toString(), "10.0.0.1:443");
    EXPECT_EQ((Endpoint{*IpAddress::parse("::1"), 8080}).toString(), "[::1]:8080");
}

TEST(Endpoint, HashesDistinguishFamilyAndPort) {
    std::unordered_set<Endpoint> set;
    set.insert({IpAddress::v4(0, 0, 0, 0), 80});
    set.insert({IpAddress::anyOf(Family::V6), 80});
    set.insert({IpAddress::v4(0, 0, 0, 0), 81});
    set.insert({IpAddress::v4(0, 0, 0, 0), 80});
    EXPECT_EQ(set.size(), 3u);
}

TEST(SocketState, NamesAndParsing) {
    EXPECT_EQ(toString(SocketState::SynSent), "SYN_SENT");
    EXPECT_EQ(toString(SocketState::NewSynRecv), "SYN_RECV");
    EXPECT_EQ(parseSocketState("syn-sent"), SocketState::SynSent);
    EXPECT_EQ(parseSocketState("LISTENING"), SocketState::Listen);
    EXPECT_EQ(parseSocketState("time_wait"), SocketState::TimeWait);
    EXPECT_FALSE(parseSocketState("bogus"));
    EXPECT_EQ(fromKernelState(10, Protocol::Tcp), SocketState::Listen);
    EXPECT_EQ(fromKernelState(99, Protocol::Tcp), SocketState::Unknown);
    EXPECT_EQ(fromKernelState(7, Protocol::Udp), SocketState::Bound);
    EXPECT_EQ(fromKernelState(1, Protocol::Udp), SocketState::Established);
}

TEST(Protocols, ParseUserSpellings) {
    EXPECT_EQ(parseProtocol("TCP"), Protocol::Tcp);
    EXPECT_EQ(parseProtocol("udp"), Protocol::Udp);
    EXPECT_FALSE(parseProtocol("sctp"));
    EXPECT_EQ(parseFamily("ipv6"), Family::V6);
    EXPECT_EQ(parseFamily("4"), Family::V4);
    EXPECT_FALSE(parseFamily("5"));
}
