// Address scope classification, declared ranges and port names.

#include "portscope/core/address_scope.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <string>

using namespace portscope::core;

namespace {

IpAddress ip(std::string_view text) {
    const auto address = IpAddress::parse(text);
    if (!address) {
        throw std::invalid_argument("bad test address " + std::string(text));
    }
    return *address;
}

AddressRange range(std::string_view text) {
    const auto parsed = AddressRange::parse(text);
    if (!parsed) {
        throw std::invalid_argument("bad test range " + std::string(text));
    }
    return *parsed;
}

struct Case {
    const char* address;
    AddressScope scope;
};

} // namespace

TEST(AddressScope, BuiltInTableCoversEverySpecialRangeAndItsEdges) {
    const Case cases[] = {
        {"0.0.0.0", AddressScope::Unspecified},
        {"::", AddressScope::Unspecified},
        {"0.1.2.3", AddressScope::Reserved},
        {"127.0.0.1", AddressScope::Loopback},
        {"127.255.255.254", AddressScope::Loopback},
        {"::1", AddressScope::Loopback},
        {"169.254.0.1", AddressScope::LinkLocal},
        {"169.253.255.255", AddressScope::Global},
        {"fe80::1", AddressScope::LinkLocal},
        {"febf::1", AddressScope::LinkLocal},
        {"fec0::1", AddressScope::Reserved},
        {"10.0.0.0", AddressScope::Private},
        {"10.255.255.255", AddressScope::Private},
        {"11.0.0.1", AddressScope::Global},
        {"172.15.255.255", AddressScope::Global},
        {"172.16.0.0", AddressScope::Private},
        {"172.31.255.255", AddressScope::Private},
        {"172.32.0.0", AddressScope::Global},
        {"192.168.1.1", AddressScope::Private},
        {"192.169.0.1", AddressScope::Global},
        {"100.63.255.255", AddressScope::Global},
        {"100.64.0.0", AddressScope::Cgnat},
        {"100.127.255.255", AddressScope::Cgnat},
        {"100.128.0.0", AddressScope::Global},
        {"fc00::1", AddressScope::UniqueLocal},
        {"fdff:ffff::1", AddressScope::UniqueLocal},
        {"224.0.0.251", AddressScope::Multicast},
        {"239.255.255.250", AddressScope::Multicast},
        {"255.255.255.255", AddressScope::Multicast},
        {"ff02::fb", AddressScope::Multicast},
        {"233.252.0.7", AddressScope::Documentation},
        {"192.0.2.1", AddressScope::Documentation},
        {"198.51.100.200", AddressScope::Documentation},
        {"203.0.113.9", AddressScope::Documentation},
        {"2001:db8::1", AddressScope::Documentation},
        {"3fff::1", AddressScope::Documentation},
        {"198.18.0.1", AddressScope::Reserved},
        {"198.19.255.255", AddressScope::Reserved},
        {"198.20.0.0", AddressScope::Global},
        {"240.0.0.1", AddressScope::Reserved},
        {"192.0.0.9", AddressScope::Reserved},
        {"2001:2::1", AddressScope::Reserved},
        {"100::1", AddressScope::Reserved},
        {"8.8.8.8", AddressScope::Global},
        {"93.184.216.34", AddressScope::Global},
        {"2606:4700::1111", AddressScope::Global},
        {"2a00:1450:4001::200e", AddressScope::Global},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(builtInScope(ip(c.address)), c.scope)
            << c.address << " classified as " << toString(builtInScope(ip(c.address)))
            << ", expected " << toString(c.scope);
    }
}

TEST(AddressScope, Ipv4InsideIpv6IsClassifiedByItsIpv4Address) {
    EXPECT_EQ(builtInScope(ip("::ffff:127.0.0.1")), AddressScope::Loopback);
    EXPECT_EQ(builtInScope(ip("::ffff:10.1.2.3")), AddressScope::Private);
    EXPECT_EQ(builtInScope(ip("::ffff:8.8.8.8")), AddressScope::Global);
    // NAT64: the embedded address decides.
    EXPECT_EQ(builtInScope(ip("64:ff9b::192.168.0.1")), AddressScope::Private);
    EXPECT_EQ(builtInScope(ip("64:ff9b::8.8.4.4")), AddressScope::Global);
}

TEST(AddressScope, NamesRoundTripAndLanGroupsTheLocalScopes) {
    for (auto scope : {AddressScope::Unspecified, AddressScope::Loopback, AddressScope::LinkLocal,
                       AddressScope::Private, AddressScope::Cgnat, AddressScope::UniqueLocal,
                       AddressScope::Internal, AddressScope::Multicast, AddressScope::Documentation,
                       AddressScope::Reserved, AddressScope::Global}) {
        const auto name = toString(scope);
        EXPECT_EQ(parseAddressScope(name), scope) << name;
        EXPECT_FALSE(describe(scope).empty()) << name;
    }
    EXPECT_EQ(parseAddressScope("  GLOBAL "), AddressScope::Global);
    EXPECT_FALSE(parseAddressScope("internet-ish"));
    EXPECT_TRUE(isLan(AddressScope::Private));
    EXPECT_TRUE(isLan(AddressScope::Cgnat));
    EXPECT_TRUE(isLan(AddressScope::UniqueLocal));
    EXPECT_TRUE(isLan(AddressScope::LinkLocal));
    EXPECT_TRUE(isLan(AddressScope::Internal));
    EXPECT_FALSE(isLan(AddressScope::Loopback));
    EXPECT_FALSE(isLan(AddressScope::Global));
    EXPECT_FALSE(isLan(AddressScope::Multicast));
}

TEST(AddressRange, ParsesPrefixesAndBareAddresses) {
    const auto v4 = AddressRange::parse(" 10.20.0.0/16 ");
    ASSERT_TRUE(v4);
    EXPECT_EQ(v4->prefixLength, 16);
    EXPECT_EQ(v4->toString(), "10.20.0.0/16");
    EXPECT_TRUE(v4->contains(ip("10.20.255.1")));
    EXPECT_FALSE(v4->contains(ip("10.21.0.1")));
    EXPECT_TRUE(v4->contains(ip("::ffff:10.20.1.1"))) << "dual-stack sockets report IPv4 peers so";
    EXPECT_FALSE(v4->contains(ip("fd00::1")));

    const auto host = AddressRange::parse("192.0.2.7");
    ASSERT_TRUE(host);
    EXPECT_EQ(host->prefixLength, 32);
    EXPECT_TRUE(host->contains(ip("192.0.2.7")));
    EXPECT_FALSE(host->contains(ip("192.0.2.8")));

    const auto v6 = AddressRange::parse("fd12:3456::/32");
    ASSERT_TRUE(v6);
    EXPECT_TRUE(v6->contains(ip("fd12:3456:1::9")));
    EXPECT_FALSE(v6->contains(ip("fd12:3457::1")));

    const auto everything = AddressRange::parse("0.0.0.0/0");
    ASSERT_TRUE(everything);
    EXPECT_TRUE(everything->contains(ip("203.0.113.1")));
    EXPECT_FALSE(everything->contains(ip("2001:db8::1")));

    const auto odd = AddressRange::parse("10.0.0.0/9");
    ASSERT_TRUE(odd);
    EXPECT_TRUE(odd->contains(ip("10.127.0.1")));
    EXPECT_FALSE(odd->contains(ip("10.128.0.1")));
}

TEST(AddressRange, RejectsMalformedRangesWithAReason) {
    for (const char* bad :
         {"", "10.0.0.0/", "10.0.0.0/33", "fd00::/129", "10.0.0.0/-1", "10.0.0.0/8/8",
          "ten.0.0.0/8", "10.0.0.1/8", "10.0.0.0/8x", "300.1.1.1/32", "/8", "fd00::1/8"}) {
        std::string why;
        EXPECT_FALSE(AddressRange::parse(bad, &why)) << bad;
        EXPECT_FALSE(why.empty()) << bad;
    }
    std::string why;
    ASSERT_FALSE(AddressRange::parse("10.0.0.1/8", &why));
    EXPECT_NE(why.find("10.0.0.0/8"), std::string::npos) << "suggests the network: " << why;
}

TEST(AddressRange, ReasonsQuoteTheTextWithoutControlCharacters) {
    // A config file's text reaches the terminal through these reasons.
    for (const std::string& bad :
         {std::string("10.0.0.\x1b]0;owned\x07/8"), std::string("10.0.0.0/\x1b[2J8"),
          std::string("fd00::\0/8", 9), std::string(200, 'x')}) {
        std::string why;
        ASSERT_FALSE(AddressRange::parse(bad, &why)) << bad;
        EXPECT_EQ(
            std::count_if(why.begin(), why.end(),
                          [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }),
            0)
            << why;
        EXPECT_LT(why.size(), 150u) << why;
    }
}

TEST(ScopeClassifier, DeclaredRangesWinAndTheLongestPrefixDecides) {
    const ScopeClassifier plain;
    EXPECT_EQ(plain.classify(ip("93.184.216.34")), AddressScope::Global);

    const ScopeClassifier declared({range("93.184.0.0/16"), range("fd12::/16")},
                                   {range("93.184.216.0/24"), range("198.18.0.0/15")});
    EXPECT_EQ(declared.classify(ip("93.184.1.1")), AddressScope::Internal);
    EXPECT_EQ(declared.classify(ip("93.184.216.34")), AddressScope::Global)
        << "the /24 external range is more specific than the /16 internal one";
    EXPECT_EQ(declared.classify(ip("fd12::5")), AddressScope::Internal);
    EXPECT_EQ(declared.classify(ip("198.18.0.2")), AddressScope::Global)
        << "a lab can call benchmark addresses external";
    EXPECT_EQ(declared.classify(ip("::ffff:198.18.0.2")), AddressScope::Global);
    EXPECT_EQ(declared.classify(ip("10.0.0.1")), AddressScope::Private) << "built-in otherwise";
    EXPECT_EQ(declared.classify(ip("127.0.0.1")), AddressScope::Loopback);

    const ScopeClassifier tie({range("10.9.0.0/16")}, {range("10.9.0.0/16")});
    EXPECT_EQ(tie.classify(ip("10.9.1.1")), AddressScope::Global) << "a tie goes to external";
}

TEST(PortNames, WellKnownServicesAreNamed) {
    EXPECT_EQ(portServiceName(135), "RPC");
    EXPECT_EQ(portServiceName(139), "NetBIOS");
    EXPECT_EQ(portServiceName(445), "SMB");
    EXPECT_EQ(portServiceName(80), "HTTP");
    EXPECT_EQ(portServiceName(443), "HTTPS");
    EXPECT_EQ(portServiceName(3389), "RDP");
    EXPECT_EQ(portServiceName(22), "SSH");
    EXPECT_EQ(portServiceName(23), "Telnet");
    EXPECT_EQ(portServiceName(31337), "Back Orifice");
    EXPECT_EQ(portServiceName(0), "");
    EXPECT_EQ(portServiceName(50123), "");
    EXPECT_EQ(portServiceName(65535), "");
    EXPECT_EQ(describePort(445), "port 445 (SMB)");
    EXPECT_EQ(describePort(50123), "port 50123");
}
