#include "portscope/core/filter_query.h"

#include <gtest/gtest.h>
#include <string>

namespace portscope::core {
namespace {

IpAddress ip(std::string_view text) {
    auto address = IpAddress::parse(text);
    EXPECT_TRUE(address.has_value()) << text;
    return address.value_or(IpAddress{});
}

Connection connection(Protocol protocol, SocketState state, std::string_view local,
                      std::uint16_t localPort, std::string_view remote, std::uint16_t remotePort,
                      std::int32_t pid = 0) {
    Connection c;
    c.id = 1;
    c.socket.protocol = protocol;
    c.socket.state = state;
    c.socket.local = Endpoint{ip(local), localPort};
    c.socket.remote = Endpoint{ip(remote), remotePort};
    c.socket.owner = ProcessKey{pid, pid > 0 ? 4242u : 0u};
    return c;
}

ProcessRow process(std::int32_t pid, std::string name, std::string exe, std::string user,
                   std::uint32_t uid) {
    ProcessRow row;
    row.process.key = ProcessKey{pid, 4242};
    row.process.name = std::move(name);
    row.process.exePath = std::move(exe);
    row.process.userName = std::move(user);
    row.process.uid = uid;
    return row;
}

FilterQuery parsed(std::string_view text) {
    FilterQueryError error;
    auto query = FilterQuery::parse(text, &error);
    EXPECT_TRUE(query.has_value()) << "'" << text << "': " << error.message;
    return query.value_or(FilterQuery{});
}

FilterQueryError errorOf(std::string_view text) {
    FilterQueryError error;
    EXPECT_FALSE(FilterQuery::parse(text, &error).has_value()) << "'" << text << "' was accepted";
    EXPECT_FALSE(error.message.empty());
    return error;
}

class FilterQueryTest : public ::testing::Test {
protected:
    ProcessRow firefox = process(3100, "firefox", "/usr/lib/firefox/firefox", "alice", 1000);
    ProcessRow sshd = process(812, "sshd", "/usr/sbin/sshd", "root", 0);
    Connection web = connection(Protocol::Tcp, SocketState::Established, "192.168.1.20", 51000,
                                "93.184.216.34", 443, 3100);
    Connection sshListen =
        connection(Protocol::Tcp, SocketState::Listen, "0.0.0.0", 22, "0.0.0.0", 0, 812);
    Connection dns = connection(Protocol::Udp, SocketState::Established, "::1", 40000, "::1", 53);
    Connection timeWait =
        connection(Protocol::Tcp, SocketState::TimeWait, "10.0.0.5", 139, "10.0.0.9", 50123);
};

TEST_F(FilterQueryTest, EmptyQueryMatchesEverything) {
    const auto query = parsed("   ");
    EXPECT_TRUE(query.empty());
    EXPECT_TRUE(query.matches(web, &firefox));
    EXPECT_TRUE(query.matches(dns, nullptr));
}

TEST_F(FilterQueryTest, FreeTextSearchesNamePathAddressesHostAndPid) {
    EXPECT_TRUE(parsed("FIREFOX").matches(web, &firefox));
    EXPECT_FALSE(parsed("firefox").matches(sshListen, &sshd));
    EXPECT_TRUE(parsed("/usr/sbin").matches(sshListen, &sshd));
    EXPECT_TRUE(parsed("93.184").matches(web, &firefox));
    EXPECT_TRUE(parsed("192.168.1.20:51000").matches(web, &firefox));
    EXPECT_TRUE(parsed("3100").matches(web, &firefox));
    EXPECT_FALSE(parsed("3101").matches(web, &firefox));

    web.remoteHostName = "Example.ORG";
    EXPECT_TRUE(parsed("example.org").matches(web, &firefox));
    EXPECT_FALSE(parsed("example.com").matches(web, &firefox));
}

TEST_F(FilterQueryTest, TermsAreCombinedWithAnd) {
    EXPECT_TRUE(parsed("firefox port:443").matches(web, &firefox));
    EXPECT_FALSE(parsed("firefox port:80").matches(web, &firefox));
}

TEST_F(FilterQueryTest, PortsSingleRangeAndAlternatives) {
    EXPECT_TRUE(parsed("port:443").matches(web, &firefox));
    EXPECT_TRUE(parsed("port:51000").matches(web, &firefox));
    EXPECT_TRUE(parsed("port:135-139").matches(timeWait, nullptr));
    EXPECT_FALSE(parsed("port:140-200").matches(timeWait, nullptr));
    EXPECT_TRUE(parsed("rport:80,443").matches(web, &firefox));
    EXPECT_FALSE(parsed("lport:443").matches(web, &firefox));
    EXPECT_TRUE(parsed("lport:51000").matches(web, &firefox));
    EXPECT_TRUE(parsed("port:65535,0").matches(sshListen, &sshd)); // the listener's remote port 0
}

TEST_F(FilterQueryTest, PidProcAndUser) {
    EXPECT_TRUE(parsed("pid:3100").matches(web, &firefox));
    EXPECT_TRUE(parsed("pid:3000-3200").matches(web, &firefox));
    EXPECT_FALSE(parsed("pid:812").matches(web, &firefox));
    EXPECT_FALSE(parsed("pid:0-100").matches(dns, nullptr)); // no owner is no PID

    EXPECT_TRUE(parsed("proc:fire").matches(web, &firefox));
    EXPECT_TRUE(parsed("proc:/usr/lib/").matches(web, &firefox));
    EXPECT_FALSE(parsed("proc:fire").matches(dns, nullptr));

    EXPECT_TRUE(parsed("user:alice").matches(web, &firefox));
    EXPECT_TRUE(parsed("user:0").matches(sshListen, &sshd));
    EXPECT_FALSE(parsed("user:root").matches(web, &firefox));
}

TEST_F(FilterQueryTest, StateNamesAndClosedTombstones) {
    EXPECT_TRUE(parsed("state:listen").matches(sshListen, &sshd));
    EXPECT_TRUE(parsed("state:LISTENING").matches(sshListen, &sshd));
    EXPECT_TRUE(parsed("state:time-wait").matches(timeWait, nullptr));
    EXPECT_FALSE(parsed("state:established").matches(timeWait, nullptr));

    Connection halfOpen = web;
    halfOpen.socket.state = SocketState::NewSynRecv;
    EXPECT_TRUE(parsed("state:syn_recv").matches(halfOpen, &firefox));

    EXPECT_FALSE(parsed("state:closed").matches(web, &firefox));
    web.open = false;
    EXPECT_TRUE(parsed("state:closed").matches(web, &firefox));
}

TEST_F(FilterQueryTest, ProtocolAndFamily) {
    EXPECT_TRUE(parsed("proto:udp").matches(dns, nullptr));
    EXPECT_FALSE(parsed("proto:tcp").matches(dns, nullptr));
    EXPECT_TRUE(parsed("proto:udp6").matches(dns, nullptr));
    EXPECT_FALSE(parsed("proto:udp4").matches(dns, nullptr));
    EXPECT_TRUE(parsed("family:4").matches(web, &firefox));
    EXPECT_TRUE(parsed("family:ipv6").matches(dns, nullptr));

    // A dual-stack socket talking to an IPv4 peer carries IPv4 traffic.
    Connection mapped = connection(Protocol::Tcp, SocketState::Established, "::ffff:10.0.0.1", 80,
                                   "::ffff:8.8.8.8", 5555);
    EXPECT_TRUE(parsed("proto:tcp4").matches(mapped, nullptr));
    EXPECT_EQ(socketScope(mapped.socket), AddressScope::Global);
}

TEST_F(FilterQueryTest, SocketScopeUsesRemoteThenLocal) {
    EXPECT_EQ(socketScope(web.socket), AddressScope::Global);       // remote 93.184.216.34
    EXPECT_EQ(socketScope(timeWait.socket), AddressScope::Private); // remote 10.0.0.9
    EXPECT_EQ(socketScope(sshListen.socket), AddressScope::Unspecified);
    Connection localListener =
        connection(Protocol::Tcp, SocketState::Listen, "127.0.0.1", 8080, "0.0.0.0", 0);
    EXPECT_EQ(socketScope(localListener.socket), AddressScope::Loopback);

    // A declared internal range wins over the built-in table.
    const auto internal = AddressRange::parse("93.184.216.0/24");
    ASSERT_TRUE(internal.has_value());
    const ScopeClassifier classifier({*internal}, {});
    EXPECT_EQ(socketScope(web.socket, &classifier), AddressScope::Internal);
}

TEST_F(FilterQueryTest, ScopeTermUsesRemoteThenLocal) {
    EXPECT_TRUE(parsed("scope:internet").matches(web, &firefox));
    EXPECT_FALSE(parsed("scope:lan").matches(web, &firefox));
    EXPECT_TRUE(parsed("scope:lan").matches(timeWait, nullptr));
    EXPECT_TRUE(parsed("scope:private").matches(timeWait, nullptr));
    EXPECT_FALSE(parsed("scope:ula").matches(timeWait, nullptr));
    EXPECT_TRUE(parsed("scope:global").matches(web, &firefox));
    EXPECT_TRUE(parsed("scope:loopback").matches(dns, nullptr));
    EXPECT_TRUE(parsed("scope:any").matches(sshListen, &sshd)); // listens on all interfaces

    Connection linkLocal =
        connection(Protocol::Udp, SocketState::Established, "fe80::2", 546, "fe80::1", 547);
    EXPECT_TRUE(parsed("scope:link-local").matches(linkLocal, nullptr));
    EXPECT_TRUE(parsed("scope:lan").matches(linkLocal, nullptr)); // lan includes link-local
    EXPECT_FALSE(parsed("scope:link-local").matches(timeWait, nullptr));
}

TEST_F(FilterQueryTest, HostAndIpTerms) {
    EXPECT_TRUE(parsed("host:93.184.216").matches(web, &firefox));
    EXPECT_FALSE(parsed("host:192.168").matches(web, &firefox)); // host: is the remote end
    web.remoteHostName = "edge.example.net";
    EXPECT_TRUE(parsed("host:example.net").matches(web, &firefox));

    EXPECT_TRUE(parsed("ip:192.168.0.0/16").matches(web, &firefox));
    EXPECT_TRUE(parsed("ip:93.184.216.34").matches(web, &firefox));
    EXPECT_TRUE(parsed("ip:93.184.216.1-93.184.216.100").matches(web, &firefox));
    EXPECT_FALSE(parsed("ip:93.184.216.35-93.184.216.100").matches(web, &firefox));
    EXPECT_FALSE(parsed("ip:10.0.0.0/8").matches(web, &firefox));
    EXPECT_TRUE(parsed("ip:::1/128").matches(dns, nullptr));
    EXPECT_TRUE(parsed("ip:0.0.0.0/0").matches(web, &firefox));
    EXPECT_FALSE(parsed("ip:0.0.0.0/0").matches(dns, nullptr)); // another family
}

TEST_F(FilterQueryTest, NegationWithDashOrBang) {
    EXPECT_FALSE(parsed("-state:time_wait").matches(timeWait, nullptr));
    EXPECT_TRUE(parsed("-state:time_wait").matches(web, &firefox));
    EXPECT_FALSE(parsed("!proc:firefox").matches(web, &firefox));
    EXPECT_TRUE(parsed("!proc:firefox").matches(dns, nullptr)); // no owner is not firefox
    EXPECT_FALSE(parsed("-firefox").matches(web, &firefox));
    EXPECT_TRUE(parsed("proto:tcp -port:22 -state:time_wait").matches(web, &firefox));
    EXPECT_FALSE(parsed("proto:tcp -port:22 -state:time_wait").matches(sshListen, &sshd));
}

TEST_F(FilterQueryTest, QuotedValuesKeepSpacesAndEscapes) {
    ProcessRow spaced = process(77, "Web Content", "/opt/a \"b\"\\c", "bob", 1001);
    web.socket.owner = spaced.process.key;
    EXPECT_TRUE(parsed("\"web content\"").matches(web, &spaced));
    EXPECT_TRUE(parsed("proc:\"Web Content\"").matches(web, &spaced));
    EXPECT_FALSE(parsed("proc:\"Web  Content\"").matches(web, &spaced));
    EXPECT_TRUE(parsed(R"(proc:"\"b\"\\c")").matches(web, &spaced));
    // A comma inside quotes is part of the value, not an alternative.
    EXPECT_FALSE(parsed("proc:\"web,content\"").matches(web, &spaced));
    EXPECT_TRUE(parsed("-\"web content\"").matches(dns, nullptr));
}

TEST_F(FilterQueryTest, QuotedAlternativesAreSeparatedByCommas) {
    ProcessRow spaced = process(77, "Web, Content", "/opt/web", "bob", 1001);
    web.socket.owner = spaced.process.key;
    EXPECT_TRUE(parsed("proc:\"web, content\",sshd").matches(web, &spaced));
    EXPECT_TRUE(parsed("proc:sshd,\"web, content\"").matches(web, &spaced));
    EXPECT_TRUE(parsed("proc:\"nothing\",\"WEB,\"").matches(web, &spaced));
    EXPECT_FALSE(parsed("proc:\"nothing\",sshd").matches(web, &spaced));
    EXPECT_TRUE(parsed("proc:\"nothing\",sshd").matches(sshListen, &sshd));
    EXPECT_TRUE(parsed("port:\"443\",22").matches(sshListen, &sshd));

    auto error = errorOf("proc:\"a\",");
    EXPECT_NE(error.message.find("empty alternative"), std::string::npos) << error.message;
    error = errorOf("proc:\"a\"x");
    EXPECT_NE(error.message.find("comma"), std::string::npos) << error.message;
    error = errorOf("port:80,\"x\"");
    EXPECT_EQ(error.position, 8u);
}

TEST_F(FilterQueryTest, QuotedFilterValuesAreTakenLiterally) {
    const std::string hostile = "a \"b\",c\\ -port:1 \\";
    ProcessRow odd = process(88, hostile, "/x", "bob", 1001);
    web.socket.owner = odd.process.key;
    EXPECT_EQ(quotedFilterValue("my app"), "\"my app\"");
    const FilterQuery query = parsed("proc:" + quotedFilterValue(hostile));
    EXPECT_TRUE(query.matches(web, &odd));
    EXPECT_FALSE(query.matches(web, &firefox));
}

TEST_F(FilterQueryTest, Ipv6FreeTextIsNotAField) {
    EXPECT_TRUE(parsed("::1").matches(dns, nullptr));
    const Connection linkLocal =
        connection(Protocol::Udp, SocketState::Established, "fe80::2", 546, "fe80::1", 547);
    EXPECT_TRUE(parsed("fe80::1").matches(linkLocal, nullptr));
    EXPECT_FALSE(parsed("fe80::1").matches(dns, nullptr));
    EXPECT_TRUE(
        parsed("dead::beef")
            .matches(connection(Protocol::Tcp, SocketState::Established, "dead::beef", 1, "::2", 2),
                     nullptr));
}

TEST_F(FilterQueryTest, ErrorsNamePositionAndReason) {
    auto error = errorOf("firefox bogus:1");
    EXPECT_EQ(error.position, 8u);
    EXPECT_EQ(error.length, 6u);
    EXPECT_NE(error.message.find("Unknown field 'bogus:'"), std::string::npos) << error.message;

    error = errorOf("port:70000");
    EXPECT_EQ(error.position, 5u);
    EXPECT_NE(error.message.find("out of range"), std::string::npos) << error.message;

    error = errorOf("port:80,abc");
    EXPECT_EQ(error.position, 8u);
    EXPECT_EQ(error.length, 3u);

    error = errorOf("port:139-135");
    EXPECT_NE(error.message.find("135-139"), std::string::npos) << error.message;

    error = errorOf("state:sleeping");
    EXPECT_NE(error.message.find("not a socket state"), std::string::npos);

    error = errorOf("proto:icmp");
    EXPECT_NE(error.message.find("not a protocol"), std::string::npos);

    error = errorOf("scope:mars");
    EXPECT_NE(error.message.find("not a scope"), std::string::npos);

    error = errorOf("ip:10.0.0.0/33");
    EXPECT_NE(error.message.find("not an IP address"), std::string::npos);
    errorOf("ip:10.0.0.9-10.0.0.1");
    errorOf("ip:10.0.0.1-::1");

    error = errorOf("pid:");
    EXPECT_EQ(error.position, 0u);
    EXPECT_NE(error.message.find("needs a value"), std::string::npos);

    error = errorOf("port:80,");
    EXPECT_NE(error.message.find("empty alternative"), std::string::npos);

    error = errorOf("ok \"unterminated value");
    EXPECT_EQ(error.position, 3u);
    EXPECT_EQ(error.length, 19u);
    EXPECT_NE(error.message.find("never closed"), std::string::npos);

    error = errorOf("firefox - sshd");
    EXPECT_EQ(error.position, 8u);
    errorOf("!");
    errorOf("proc:\"a\"b");
    errorOf("family:5");
    errorOf("pid:-1");
    errorOf("pid:99999999999");
    errorOf("port:-");
}

// The GUI words errors in the user's language from their parts; the parts must be there and
// agree with the English sentence.
TEST_F(FilterQueryTest, ErrorsComeInPartsThatNameTheKindAndTheText) {
    auto error = errorOf("firefox bogus:1");
    EXPECT_EQ(error.kind, FilterErrorKind::UnknownField);
    EXPECT_EQ(error.subject, "bogus");
    EXPECT_EQ(error.suggestion, "") << "nothing is near 'bogus'";

    error = errorOf("port:139-135");
    EXPECT_EQ(error.kind, FilterErrorKind::BackwardsRange);
    EXPECT_EQ(error.subject, "139-135");
    EXPECT_EQ(error.low, 135u);
    EXPECT_EQ(error.high, 139u);

    error = errorOf("port:70000");
    EXPECT_EQ(error.kind, FilterErrorKind::PortOutOfRange);
    EXPECT_EQ(error.maximum, 65535u);
    error = errorOf("pid:abc");
    EXPECT_EQ(error.kind, FilterErrorKind::NotAProcessId);

    error = errorOf("state:");
    EXPECT_EQ(error.kind, FilterErrorKind::MissingValue);
    EXPECT_EQ(error.example, "state:listen");

    error = errorOf("ip:10.0.0.0/33");
    EXPECT_EQ(error.kind, FilterErrorKind::BadAddress);
    EXPECT_FALSE(error.detail.empty());

    EXPECT_EQ(errorOf("- x").kind, FilterErrorKind::NothingToNegate);
    EXPECT_EQ(errorOf("\"open").kind, FilterErrorKind::UnclosedQuote);
    EXPECT_EQ(errorOf("\"a\"b").kind, FilterErrorKind::TextAfterQuote);
    EXPECT_EQ(errorOf("proc:\"a\"b").kind, FilterErrorKind::TextAfterQuoteInValue);
    EXPECT_EQ(errorOf("port:80,").kind, FilterErrorKind::EmptyAlternative);
    EXPECT_EQ(errorOf("family:5").kind, FilterErrorKind::UnknownFamily);
    EXPECT_EQ(errorOf("ip:10.0.0.9-10.0.0.1").kind, FilterErrorKind::BadAddressRange);
    // The sentence is made from the parts.
    EXPECT_EQ(error.message, filterErrorMessage(error));
}

TEST_F(FilterQueryTest, AMisspeltFieldOrValueGetsTheNearestKnownOne) {
    auto error = errorOf("stat:listen");
    EXPECT_EQ(error.kind, FilterErrorKind::UnknownField);
    EXPECT_EQ(error.suggestion, "state");
    EXPECT_NE(error.message.find("Unknown field 'stat:'. Did you mean state:?"), std::string::npos)
        << error.message;

    EXPECT_EQ(errorOf("LProt:22").suggestion, "lport") << "a swap of neighbours is one slip";
    EXPECT_EQ(errorOf("sope:lan").suggestion, "scope");
    EXPECT_EQ(errorOf("usr:root").suggestion, "user");
    // Two letters are not enough to guess from.
    EXPECT_EQ(errorOf("xp:1").suggestion, "");

    error = errorOf("state:lisen");
    EXPECT_EQ(error.kind, FilterErrorKind::UnknownState);
    EXPECT_EQ(error.suggestion, "listen");
    EXPECT_NE(error.message.find("Did you mean listen?"), std::string::npos) << error.message;
    EXPECT_EQ(errorOf("state:sleeping").suggestion, "");
    EXPECT_EQ(errorOf("proto:tpc").suggestion, "tcp");
    EXPECT_EQ(errorOf("scope:internt").suggestion, "internet");
}

TEST(FilterErrorPosition, CountsCharactersNotBytes) {
    EXPECT_EQ(characterNumber("port:70000", 5), 6u);
    EXPECT_EQ(characterNumber("", 0), 1u);
    // "été" is five bytes and three characters.
    EXPECT_EQ(characterNumber("\xC3\xA9t\xC3\xA9 \"open", 6), 5u);
    EXPECT_EQ(characterNumber("ab", 99), 3u) << "an offset past the end stops at the end";
}

TEST_F(FilterQueryTest, HostileInputNeverCrashes) {
    const std::string samples[] = {
        std::string(1, '\0'),
        std::string("\xff\xfe\"\\"),
        std::string(10000, ':'),
        std::string(5000, '-') + "x",
        "\"\\",
        "\"\\\"",
        "port:" + std::string(300, '9'),
        "ip:" + std::string(100, '/'),
        std::string(2000, '"'),
    };
    for (const auto& sample : samples) {
        FilterQueryError error;
        const auto query = FilterQuery::parse(sample, &error);
        if (query) {
            (void)query->matches(web, &firefox);
        } else {
            EXPECT_LE(error.position, sample.size());
            EXPECT_FALSE(error.message.empty());
        }
    }
}

TEST_F(FilterQueryTest, VisibilityToggles) {
    VisibilityToggles toggles;
    EXPECT_TRUE(toggles.showsEverything());
    for (const auto* c : {&web, &sshListen, &dns, &timeWait}) {
        EXPECT_TRUE(toggles.accepts(*c));
    }

    toggles.udp = false;
    EXPECT_FALSE(toggles.accepts(dns));
    EXPECT_TRUE(toggles.accepts(web));
    toggles = {};
    toggles.tcp = false;
    EXPECT_FALSE(toggles.accepts(web));
    EXPECT_TRUE(toggles.accepts(dns));
    toggles = {};
    toggles.ipv6 = false;
    EXPECT_FALSE(toggles.accepts(dns));
    EXPECT_TRUE(toggles.accepts(web));
    toggles = {};
    toggles.ipv4 = false;
    EXPECT_FALSE(toggles.accepts(web));
    EXPECT_TRUE(toggles.accepts(dns));
    toggles = {};
    toggles.listening = false;
    EXPECT_FALSE(toggles.accepts(sshListen));
    EXPECT_TRUE(toggles.accepts(web));
    Connection unconnectedUdp =
        connection(Protocol::Udp, SocketState::Bound, "0.0.0.0", 5353, "0.0.0.0", 0);
    EXPECT_FALSE(toggles.accepts(unconnectedUdp));
    toggles = {};
    toggles.loopback = false;
    EXPECT_FALSE(toggles.accepts(dns));
    EXPECT_TRUE(toggles.accepts(sshListen));
    toggles = {};
    toggles.timeWait = false;
    EXPECT_FALSE(toggles.accepts(timeWait));
    EXPECT_TRUE(toggles.accepts(web));
    EXPECT_FALSE(toggles.showsEverything());
}

} // namespace
} // namespace portscope::core
