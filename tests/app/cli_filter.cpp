// The filters of portscope-cli (--filter EXPR and the --pid/--process/--port/--state/--proto/
// --family flags), run as the real program against loopback sockets this test holds.

#include "cli_test_support.h"
#include "loopback.h"
#include "test_process.h"

#include <algorithm>
#include <boost/property_tree/ptree.hpp>
#include <gtest/gtest.h>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

using namespace portscope;
using namespace portscope::testing;
namespace pt = boost::property_tree;

namespace {

const std::string kPid = std::to_string(getpid());

// The real portscope-cli program with ARGS.
ProgramResult cliProgram(std::vector<std::string> args) {
    args.insert(args.begin(), PORTSCOPE_CLI_PATH);
    return runProgram(args);
}

struct Row {
    std::string protocol;
    std::string state;
    int localPort = 0;
    int remotePort = 0;
    bool operator<(const Row& other) const {
        return std::tie(protocol, state, localPort, remotePort) <
               std::tie(other.protocol, other.state, other.localPort, other.remotePort);
    }
    bool operator==(const Row&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Row& row) {
    return out << row.protocol << ' ' << row.state << ' ' << row.localPort << "->"
               << row.remotePort;
}

Row rowOf(const pt::ptree& connection) {
    return {connection.get<std::string>("protocol"), connection.get<std::string>("state"),
            connection.get<int>("local_port"), connection.get<int>("remote_port")};
}

// The rows of `snapshot --format json ARGS`; fails the test on a non-zero exit.
std::set<Row> snapshotRows(std::vector<std::string> args) {
    args.insert(args.begin(), {"snapshot", "--format", "json"});
    const auto run = cliProgram(args);
    EXPECT_EQ(run.exitCode, 0) << run.err;
    std::set<Row> rows;
    if (run.exitCode != 0) {
        return rows;
    }
    const pt::ptree tree = parseJson(run.out);
    for (const auto& [unused, connection] : tree.get_child("connections")) {
        rows.insert(rowOf(connection));
    }
    return rows;
}

// The connections of the "added" events in an NDJSON stream.
std::set<Row> addedRows(const std::string& ndjson) {
    std::set<Row> rows;
    for (const auto& event : parseNdjson(ndjson)) {
        if (event.get<std::string>("event") == "added") {
            rows.insert(rowOf(event.get_child("connection")));
        }
    }
    return rows;
}

std::string portOf(const Fd& fd) {
    return std::to_string(localEndpoint(fd.get()).port);
}

// Two TCP listeners and a UDP socket on 127.0.0.1, held by this process.
struct Sockets {
    Fd first = tcpListener("127.0.0.1");
    Fd second = tcpListener("127.0.0.1");
    Fd udp = udpSocket("127.0.0.1");
    int firstPort = localEndpoint(first.get()).port;
    int secondPort = localEndpoint(second.get()).port;
    int udpPort = localEndpoint(udp.get()).port;
    Row firstRow{"TCP", "LISTEN", firstPort, 0};
    Row secondRow{"TCP", "LISTEN", secondPort, 0};
    Row udpRow{"UDP", "BOUND", udpPort, 0};
};

} // namespace

TEST(CliFilter, SnapshotTakesTheGuiFilterLanguage) {
    const Sockets s;
    const std::string both = std::to_string(s.firstPort) + "," + std::to_string(s.secondPort);
    EXPECT_EQ(snapshotRows({"--filter", "lport:" + both + " state:listen"}),
              (std::set<Row>{s.firstRow, s.secondRow}));
    EXPECT_EQ(snapshotRows({"--filter", "lport:" + both + " -lport:" + portOf(s.first)}),
              (std::set<Row>{s.secondRow}));
    EXPECT_EQ(
        snapshotRows({"--filter", "pid:" + kPid + " proto:udp lport:" + std::to_string(s.udpPort)}),
        (std::set<Row>{s.udpRow}));
    EXPECT_EQ(snapshotRows({"--filter", "proc:\"CLI_TESTS\",nothing-else lport:" + both}),
              (std::set<Row>{s.firstRow, s.secondRow}))
        << "quoted alternatives, case ignored";
    EXPECT_TRUE(snapshotRows({"--filter", "lport:" + both + " scope:internet"}).empty());
}

TEST(CliFilter, ExpressionAndFlagsMustAllMatch) {
    const Sockets s;
    const std::string both = std::to_string(s.firstPort) + "," + std::to_string(s.secondPort);
    EXPECT_EQ(snapshotRows({"--filter", "lport:" + both, "--port", portOf(s.second)}),
              (std::set<Row>{s.secondRow}));
    EXPECT_TRUE(snapshotRows({"--filter", "lport:" + both, "--proto", "udp"}).empty());
    EXPECT_EQ(snapshotRows({"--filter", "state:listen", "--filter", "lport:" + both, "--pid", kPid,
                            "--process", "cli_tests"}),
              (std::set<Row>{s.firstRow, s.secondRow}))
        << "two --filter expressions and two flags";
    EXPECT_TRUE(snapshotRows({"--filter", "lport:" + both, "--pid", "1"}).empty());
}

TEST(CliFilter, RepeatedFlagsAllowAnyOfTheirValues) {
    const Sockets s;
    EXPECT_EQ(snapshotRows({"--port", portOf(s.first), "--port", portOf(s.second)}),
              (std::set<Row>{s.firstRow, s.secondRow}));
    EXPECT_EQ(snapshotRows({"--port", portOf(s.first), "--port", portOf(s.udp), "--state", "LISTEN",
                            "--state", "bound"}),
              (std::set<Row>{s.firstRow, s.udpRow}));
    // As documented: repeating a filter allows any of its values, --proto and --family too.
    EXPECT_EQ(snapshotRows({"--port", portOf(s.first), "--port", portOf(s.udp), "--proto", "tcp",
                            "--proto", "udp"}),
              (std::set<Row>{s.firstRow, s.udpRow}));
    EXPECT_EQ(snapshotRows({"--port", portOf(s.first), "--family", "6", "--family", "4"}),
              (std::set<Row>{s.firstRow}));
    EXPECT_EQ(snapshotRows({"--port", portOf(s.first), "--pid", "1", "--pid", kPid}),
              (std::set<Row>{s.firstRow}));
    EXPECT_EQ(snapshotRows({"--port", portOf(s.first), "--process", "nothing-else", "--process",
                            "CLI_TEST"}),
              (std::set<Row>{s.firstRow}));
}

// A dual-stack IPv6 socket carrying IPv4 (::ffff:127.0.0.1) is IPv4 for --family 4 as for the
// GUI's family:4; before, the flag looked at the socket's own family and said IPv6.
TEST(CliFilter, FamilyFlagAndFamilyTermAgreeOnIpv4MappedSockets) {
    const Fd listener = tcpListener("::ffff:127.0.0.1");
    const auto port = localEndpoint(listener.get()).port;
    const Fd client = tcpConnect({core::IpAddress::v4(127, 0, 0, 1), port});
    const Fd server = acceptOne(listener.get());
    const auto clientPort = localEndpoint(client.get()).port;
    const std::set<Row> all{{"TCP", "LISTEN", port, 0},
                            {"TCP", "ESTABLISHED", port, clientPort},
                            {"TCP", "ESTABLISHED", clientPort, port}};

    const std::string portText = std::to_string(port);
    EXPECT_EQ(snapshotRows({"--port", portText}), all);
    EXPECT_EQ(snapshotRows({"--port", portText, "--family", "4"}), all);
    EXPECT_EQ(snapshotRows({"--filter", "family:4 port:" + portText}), all);
    EXPECT_TRUE(snapshotRows({"--port", portText, "--family", "6"}).empty());
    EXPECT_TRUE(snapshotRows({"--filter", "family:6 port:" + portText}).empty());
}

TEST(CliFilter, WatchAndReplayApplyTheExpression) {
    const Sockets s;
    const std::string both = std::to_string(s.firstPort) + "," + std::to_string(s.secondPort);
    const auto watched = cliProgram({"watch", "--interval", "0.25", "--count", "2", "--filter",
                                     "lport:" + both + " -lport:" + portOf(s.first)});
    ASSERT_EQ(watched.exitCode, 0) << watched.err;
    EXPECT_EQ(addedRows(watched.out), (std::set<Row>{s.secondRow}));

    TempDir dir;
    const auto path = dir.file("session.psrec");
    const auto recorded = cliProgram({"record", path, "--interval", "0.25", "--count", "2"});
    ASSERT_EQ(recorded.exitCode, 0) << recorded.err;

    const auto replayed = cliProgram({"replay", path, "--filter", "state:listen lport:" + both});
    ASSERT_EQ(replayed.exitCode, 0) << replayed.err;
    EXPECT_EQ(addedRows(replayed.out), (std::set<Row>{s.firstRow, s.secondRow}));

    const auto final =
        cliProgram({"replay", path, "--format", "json", "--filter",
                    "lport:" + both + " -lport:" + portOf(s.second), "--state", "listen"});
    ASSERT_EQ(final.exitCode, 0) << final.err;
    std::set<Row> rows;
    const pt::ptree tree = parseJson(final.out);
    for (const auto& [unused, connection] : tree.get_child("connections")) {
        rows.insert(rowOf(connection));
    }
    EXPECT_EQ(rows, (std::set<Row>{s.firstRow}));
}

TEST(CliFilter, ABadExpressionIsAUsageErrorNamingCharacterAndTerm) {
    auto run = cliProgram({"snapshot", "--filter", "proc:sshd bogus:1"});
    EXPECT_EQ(run.exitCode, cli::kExitUsage);
    EXPECT_TRUE(run.out.empty());
    EXPECT_NE(run.err.find("--filter: character 11 ('bogus:'): Unknown field 'bogus:'"),
              std::string::npos)
        << run.err;

    // A slip of the keyboard gets the field it was probably meant to be.
    run = cliProgram({"snapshot", "--filter", "stat:listen"});
    EXPECT_EQ(run.exitCode, cli::kExitUsage);
    EXPECT_NE(run.err.find("Unknown field 'stat:'. Did you mean state:?"), std::string::npos)
        << run.err;
    EXPECT_NE(run.err.find("Usage:"), std::string::npos);

    run = cliProgram({"watch", "--count", "1", "--filter", "port:70000"});
    EXPECT_EQ(run.exitCode, cli::kExitUsage);
    EXPECT_NE(run.err.find("character 6 ('70000')"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("out of range"), std::string::npos) << run.err;

    run = cliProgram({"replay", "/nonexistent.psrec", "--filter", "\xC3\xA9t\xC3\xA9 \"open"});
    EXPECT_EQ(run.exitCode, cli::kExitUsage) << "checked before the file is opened";
    EXPECT_NE(run.err.find("character 5 ('\"open')"), std::string::npos) << run.err;

    EXPECT_EQ(cliProgram({"snapshot", "--filter"}).exitCode, cli::kExitUsage);
    EXPECT_EQ(cliProgram({"snapshot", "--process", ""}).exitCode, cli::kExitUsage);
}
