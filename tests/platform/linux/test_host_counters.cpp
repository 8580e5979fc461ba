// The `netstat -s` counters from /proc/net/snmp and /proc/net/netstat.

#include "diag_test_support.h"
#include "linux/host_counters.h"

#include <algorithm>
#include <filesystem>
#include <gtest/gtest.h>
#include <limits>
#include <set>

namespace portscope::platform::linuxsys {
namespace {

using namespace portscope::diagtest;
namespace fs = std::filesystem;

std::optional<std::int64_t> counter(const core::HostCounters& counters, std::string_view name) {
    for (const auto& [key, value] : counters.all) {
        if (key == name) {
            return value;
        }
    }
    return std::nullopt;
}

// Every typed field must hold what `all` holds under the kernel's name.
void expectTypedFieldsMatchAll(const core::HostCounters& c) {
    const std::vector<std::pair<std::string_view, std::uint64_t>> typed = {
        {"Tcp.ActiveOpens", c.tcp.activeOpens},
        {"Tcp.PassiveOpens", c.tcp.passiveOpens},
        {"Tcp.AttemptFails", c.tcp.attemptFails},
        {"Tcp.EstabResets", c.tcp.estabResets},
        {"Tcp.CurrEstab", c.tcp.currEstab},
        {"Tcp.InSegs", c.tcp.inSegs},
        {"Tcp.OutSegs", c.tcp.outSegs},
        {"Tcp.RetransSegs", c.tcp.retransSegs},
        {"Tcp.InErrs", c.tcp.inErrs},
        {"Tcp.OutRsts", c.tcp.outRsts},
        {"Udp.InDatagrams", c.udp.inDatagrams},
        {"Udp.NoPorts", c.udp.noPorts},
        {"Udp.InErrors", c.udp.inErrors},
        {"Udp.OutDatagrams", c.udp.outDatagrams},
        {"Udp.RcvbufErrors", c.udp.receiveBufferErrors},
        {"Udp.SndbufErrors", c.udp.sendBufferErrors},
        {"Icmp.InMsgs", c.icmp.inMessages},
        {"Icmp.OutMsgs", c.icmp.outMessages},
        {"Icmp.InDestUnreachs", c.icmp.inDestUnreachs},
        {"Icmp.OutDestUnreachs", c.icmp.outDestUnreachs},
        {"TcpExt.ListenOverflows", c.tcpExt.listenOverflows},
        {"TcpExt.ListenDrops", c.tcpExt.listenDrops},
        {"TcpExt.TCPReqQFullDrop", c.tcpExt.reqQueueFullDrop},
        {"TcpExt.TCPReqQFullDoCookies", c.tcpExt.reqQueueFullDoCookies},
        {"TcpExt.SyncookiesSent", c.tcpExt.syncookiesSent},
        {"TcpExt.SyncookiesRecv", c.tcpExt.syncookiesRecv},
        {"TcpExt.SyncookiesFailed", c.tcpExt.syncookiesFailed},
        {"TcpExt.TCPSynRetrans", c.tcpExt.synRetransmits},
    };
    for (const auto& [name, value] : typed) {
        const auto listed = counter(c, name);
        ASSERT_TRUE(listed.has_value()) << name;
        EXPECT_EQ(static_cast<std::uint64_t>(*listed), value) << name;
    }
}

core::HostCounters parseBoth(const std::string& snmp, const std::string& netstat,
                             std::vector<std::string>& errors) {
    core::HostCounters counters;
    parseSnmp(readFixtureText(snmp), counters, &errors);
    parseNetstat(readFixtureText(netstat), counters, &errors);
    return counters;
}

// ---------------------------------------------------------------------------------------------
// Captured files

TEST(HostCountersCaptured, FreshNamespaceShowsExactlyWhatTheCaptureDid) {
    // Captured in a new network namespace after 5 TCP connects and 3 UDP datagrams to the
    // closed port 127.0.0.1:9, and nothing else.
    std::vector<std::string> errors;
    const auto counters = parseBoth("snmp_netns_snmp.txt", "snmp_netns_netstat.txt", errors);
    EXPECT_TRUE(errors.empty()) << errors.front();
    EXPECT_EQ(counters.tcp.activeOpens, 5u);
    EXPECT_EQ(counters.tcp.attemptFails, 5u);
    EXPECT_EQ(counters.tcp.outRsts, 5u);
    EXPECT_EQ(counters.tcp.passiveOpens, 0u);
    EXPECT_EQ(counters.tcp.currEstab, 0u);
    EXPECT_EQ(counters.udp.outDatagrams, 3u);
    EXPECT_EQ(counters.udp.noPorts, 3u);
    EXPECT_EQ(counters.udp.inDatagrams, 0u);
    EXPECT_EQ(counters.icmp.outDestUnreachs, 3u);
    EXPECT_EQ(counters.icmp.inDestUnreachs, 3u);
    EXPECT_EQ(counters.tcpExt.listenOverflows, 0u);
    EXPECT_FALSE(counters.present) << "parsing alone does not claim the counters were read";
    expectTypedFieldsMatchAll(counters);
}

TEST(HostCountersCaptured, SignedAndConstantCountersKeepTheirValues) {
    std::vector<std::string> errors;
    const auto counters = parseBoth("snmp_host_snmp.txt", "snmp_host_netstat.txt", errors);
    EXPECT_TRUE(errors.empty()) << errors.front();
    EXPECT_EQ(counter(counters, "Tcp.MaxConn"), -1);
    EXPECT_EQ(counter(counters, "Tcp.RtoAlgorithm"), 1);
    EXPECT_EQ(counter(counters, "Tcp.RtoMin"), 200);
    EXPECT_EQ(counter(counters, "Tcp.RtoMax"), 120000);
    EXPECT_EQ(counter(counters, "Ip.DefaultTTL"), 64);
    expectTypedFieldsMatchAll(counters);
}

TEST(HostCountersCaptured, AllListsEveryCounterOnceInFileOrder) {
    std::vector<std::string> errors;
    const auto counters = parseBoth("snmp_host_snmp.txt", "snmp_host_netstat.txt", errors);
    ASSERT_FALSE(counters.all.empty());
    EXPECT_EQ(counters.all.front().first, "Ip.Forwarding");
    std::set<std::string> names;
    std::size_t tcpExt = 0;
    for (const auto& [name, value] : counters.all) {
        EXPECT_TRUE(names.insert(name).second) << "duplicate " << name;
        tcpExt += name.starts_with("TcpExt.");
    }
    EXPECT_GT(tcpExt, 50u);
    EXPECT_TRUE(names.count("IpExt.InOctets"));
    EXPECT_TRUE(names.count("IcmpMsg.InType3") || names.count("Icmp.InMsgs"));
    // snmp comes before netstat, as they were parsed.
    const auto position = [&](std::string_view name) {
        return std::find_if(counters.all.begin(), counters.all.end(),
                            [&](const auto& entry) { return entry.first == name; }) -
               counters.all.begin();
    };
    EXPECT_LT(position("Udp.NoPorts"), position("TcpExt.ListenDrops"));
}

// ---------------------------------------------------------------------------------------------
// Malformed text

TEST(HostCountersMalformed, HeaderWithoutValuesIsReportedAndTheNextPairStillRead) {
    const std::string text = "Ip: Forwarding DefaultTTL\n"
                             "Tcp: ActiveOpens OutRsts\n"
                             "Tcp: 4 9\n";
    core::HostCounters counters;
    std::vector<std::string> errors;
    parseSnmp(text, counters, &errors);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("line 1"), std::string::npos) << errors[0];
    EXPECT_NE(errors[0].find("'Ip'"), std::string::npos) << errors[0];
    EXPECT_EQ(counters.tcp.activeOpens, 4u);
    EXPECT_EQ(counters.tcp.outRsts, 9u);
    EXPECT_EQ(counters.all.size(), 2u);
}

TEST(HostCountersMalformed, HeaderAtEndOfFileWithoutValues) {
    core::HostCounters counters;
    std::vector<std::string> errors;
    parseNetstat("TcpExt: ListenDrops\n", counters, &errors);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("no value line"), std::string::npos) << errors[0];
    EXPECT_TRUE(counters.all.empty());
}

TEST(HostCountersMalformed, ValuesWithoutHeader) {
    core::HostCounters counters;
    std::vector<std::string> errors;
    parseSnmp("Udp: 1 2 3\nUdp: InDatagrams\nUdp: 8\n", counters, &errors);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("no header"), std::string::npos) << errors[0];
    EXPECT_EQ(counters.udp.inDatagrams, 8u);
}

TEST(HostCountersMalformed, MismatchedCountsSkipThePair) {
    core::HostCounters counters;
    std::vector<std::string> errors;
    parseSnmp("Tcp: ActiveOpens PassiveOpens OutRsts\nTcp: 1 2\nUdp: NoPorts\nUdp: 6\n", counters,
              &errors);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("3 names"), std::string::npos) << errors[0];
    EXPECT_NE(errors[0].find("2 values"), std::string::npos) << errors[0];
    EXPECT_EQ(counters.tcp.activeOpens, 0u);
    EXPECT_FALSE(counter(counters, "Tcp.ActiveOpens").has_value());
    EXPECT_EQ(counters.udp.noPorts, 6u);
}

TEST(HostCountersMalformed, NonNumericValueSkipsOnlyThatCounter) {
    core::HostCounters counters;
    std::vector<std::string> errors;
    parseSnmp("Tcp: ActiveOpens AttemptFails OutRsts\nTcp: 3 x7 12\n", counters, &errors);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("Tcp.AttemptFails"), std::string::npos) << errors[0];
    EXPECT_NE(errors[0].find("'x7'"), std::string::npos) << errors[0];
    EXPECT_EQ(counters.tcp.activeOpens, 3u);
    EXPECT_EQ(counters.tcp.outRsts, 12u);
    EXPECT_FALSE(counter(counters, "Tcp.AttemptFails").has_value());
}

TEST(HostCountersMalformed, NumbersOutOfRange) {
    core::HostCounters counters;
    std::vector<std::string> errors;
    parseSnmp("Tcp: OutSegs InSegs CurrEstab MaxConn\n"
              "Tcp: 18446744073709551615 18446744073709551616 -3 -1\n",
              counters, &errors);
    // InSegs does not fit 64 bits; CurrEstab cannot be negative; MaxConn may be.
    ASSERT_EQ(errors.size(), 2u) << errors.front();
    EXPECT_NE(errors[0].find("Tcp.InSegs"), std::string::npos) << errors[0];
    EXPECT_NE(errors[1].find("Tcp.CurrEstab"), std::string::npos) << errors[1];
    EXPECT_EQ(counters.tcp.outSegs, 18446744073709551615ull);
    EXPECT_EQ(counter(counters, "Tcp.OutSegs"), std::numeric_limits<std::int64_t>::max());
    EXPECT_EQ(counters.tcp.currEstab, 0u);
    EXPECT_EQ(counter(counters, "Tcp.MaxConn"), -1);
}

TEST(HostCountersMalformed, LinesWithoutGroupAreReported) {
    core::HostCounters counters;
    std::vector<std::string> errors;
    parseSnmp("no colon here\n: 1 2\n\n   \nTcp: OutRsts\nTcp: 2\n", counters, &errors);
    EXPECT_EQ(errors.size(), 2u);
    EXPECT_EQ(counters.tcp.outRsts, 2u);
}

TEST(HostCountersMalformed, EmptyTextAndNullErrorsAreFine) {
    core::HostCounters counters;
    std::vector<std::string> errors;
    parseSnmp("", counters, &errors);
    parseNetstat("\n\n", counters, &errors);
    EXPECT_TRUE(errors.empty());
    EXPECT_TRUE(counters.all.empty());
    parseSnmp("Tcp: a b\nTcp: 1\ngarbage\n", counters, nullptr);
    EXPECT_TRUE(counters.all.empty());
}

TEST(HostCountersMalformed, WindowsLineEndings) {
    core::HostCounters counters;
    std::vector<std::string> errors;
    parseSnmp("Tcp: OutRsts AttemptFails\r\nTcp: 5 6\r\n", counters, &errors);
    EXPECT_TRUE(errors.empty()) << errors.front();
    EXPECT_EQ(counters.tcp.outRsts, 5u);
    EXPECT_EQ(counters.tcp.attemptFails, 6u);
}

TEST(HostCountersMalformed, GarbageNeverCrashesAndErrorsAreCapped) {
    std::string text;
    for (int i = 0; i < 5000; ++i) {
        text += "Tcp: a\nUdp: 1\n\x01\x02\xff:\n";
    }
    core::HostCounters counters;
    std::vector<std::string> errors;
    parseNetstat(text, counters, &errors);
    EXPECT_LE(errors.size(), 51u);
    EXPECT_NE(errors.back().find("more problems"), std::string::npos) << errors.back();
}

// ---------------------------------------------------------------------------------------------
// Reading files

TEST(HostCountersRead, ReadsBothFilesUnderARoot) {
    const auto root = fs::temp_directory_path() / ("portscope-snmp-" + std::to_string(::getpid()));
    fs::create_directories(root / "net");
    fs::copy_file(fixturePath("snmp_netns_snmp.txt"), root / "net" / "snmp",
                  fs::copy_options::overwrite_existing);
    fs::copy_file(fixturePath("snmp_netns_netstat.txt"), root / "net" / "netstat",
                  fs::copy_options::overwrite_existing);
    std::vector<std::string> errors;
    const auto counters = readHostCounters(root.string(), &errors);
    EXPECT_TRUE(errors.empty()) << errors.front();
    EXPECT_TRUE(counters.present);
    EXPECT_EQ(counters.tcp.attemptFails, 5u);
    EXPECT_TRUE(counter(counters, "TcpExt.ListenDrops").has_value());

    fs::remove(root / "net" / "netstat");
    errors.clear();
    const auto snmpOnly = readHostCounters(root.string(), &errors);
    EXPECT_TRUE(snmpOnly.present);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("netstat"), std::string::npos) << errors[0];
    fs::remove_all(root);
}

TEST(HostCountersRead, NothingReadableMeansNotPresent) {
    std::vector<std::string> errors;
    const auto counters = readHostCounters("/nonexistent/portscope", &errors);
    EXPECT_FALSE(counters.present);
    EXPECT_EQ(errors.size(), 2u);
}

// ---------------------------------------------------------------------------------------------
// Live

TEST(HostCountersLive, RefusedConnectsRaiseResetsAndFailedAttempts) {
    // A bound but not listening socket holds a port nobody else can listen on.
    const auto holder = boundSocket(core::Family::V4, SOCK_STREAM);
    const auto closedPort = localEndpoint(holder.get());

    std::vector<std::string> errors;
    const auto before = readHostCounters("/proc", &errors);
    ASSERT_TRUE(before.present);
    EXPECT_TRUE(errors.empty()) << errors.front();
    for (int i = 0; i < 20; ++i) {
        Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        socklen_t length = 0;
        const auto address = toSockaddr(closedPort, length);
        EXPECT_NE(::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), length), 0);
        EXPECT_EQ(errno, ECONNREFUSED);
    }
    const auto after = readHostCounters("/proc", &errors);
    ASSERT_TRUE(after.present);
    EXPECT_GE(after.tcp.outRsts - before.tcp.outRsts, 20u);
    EXPECT_GE(after.tcp.attemptFails - before.tcp.attemptFails, 20u);
    EXPECT_GE(after.tcp.activeOpens - before.tcp.activeOpens, 20u);
    expectTypedFieldsMatchAll(after);
}

} // namespace
} // namespace portscope::platform::linuxsys
