// portscope-cli commands run in-process against the live system and real files.

#include "cli_test_support.h"
#include "loopback.h"
#include "portscope/platform/system.h"
#include "test_process.h"

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace portscope;
using namespace portscope::testing;
namespace pt = boost::property_tree;

TEST(CliUsage, BadArgumentsGiveUsageAndExitTwo) {
    const std::vector<std::vector<std::string>> cases = {
        {},
        {"frobnicate"},
        {"snapshot", "--format", "xml"},
        {"watch", "--interval", "0.1"},
        {"watch", "--interval", "soon"},
        {"watch", "--count", "0"},
        {"snapshot", "--state", "bogus"},
        {"snapshot", "--pid", "abc"},
        {"snapshot", "--pid", "-4"},
        {"snapshot", "--port", "70000"},
        {"snapshot", "--proto", "sctp"},
        {"snapshot", "--family", "5"},
        {"snapshot", "--format"},
        {"snapshot", "extra"},
        {"kill"},
        {"kill", "0"},
        {"kill", "12", "13"},
        {"close"},
        {"close", "--local", "127.0.0.1", "--remote", "127.0.0.1:80"},
        {"close", "--local", "nothere:80", "--remote", "127.0.0.1:80"},
        {"record"},
        {"replay"},
        {"snapshot", "--bogus"},
    };
    for (const auto& args : cases) {
        const auto run = runCli(args);
        std::string joined;
        for (const auto& arg : args) {
            joined += arg + " ";
        }
        EXPECT_EQ(run.exitCode, cli::kExitUsage) << joined;
        EXPECT_NE(run.err.find("Usage: portscope-cli"), std::string::npos) << joined;
        EXPECT_TRUE(run.out.empty()) << joined;
    }
}

TEST(CliUsage, ErrorNamesTheProblem) {
    EXPECT_NE(runCli({"watch", "--interval", "0.1"}).err.find("between 0.25 and 60"),
              std::string::npos);
    EXPECT_NE(runCli({"snapshot", "--state", "bogus"}).err.find("unknown state 'bogus'"),
              std::string::npos);
    EXPECT_NE(runCli({"frobnicate"}).err.find("unknown command 'frobnicate'"), std::string::npos);
}

TEST(CliUsage, HelpGoesToStdoutAndSucceeds) {
    const auto run = runCli({"help"});
    EXPECT_EQ(run.exitCode, 0);
    EXPECT_NE(run.out.find("Exit codes"), std::string::npos);
}

TEST(CliSnapshot, CsvHasHeaderAndOurListener) {
    const Fd listener = tcpListener("127.0.0.1");
    const auto port = std::to_string(localEndpoint(listener.get()).port);
    const auto run = runCli({"snapshot", "--format", "csv", "--port", port});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    std::istringstream lines(run.out);
    std::string header, row, extra;
    std::getline(lines, header);
    EXPECT_EQ(header.rfind("protocol,family,state,local_address,local_port,", 0), 0u) << header;
    ASSERT_TRUE(std::getline(lines, row));
    EXPECT_NE(row.find("TCP,IPv4,LISTEN,127.0.0.1," + port + ","), std::string::npos) << row;
    EXPECT_NE(row.find("," + std::to_string(getpid()) + ","), std::string::npos) << row;
    EXPECT_FALSE(std::getline(lines, extra) && !extra.empty()) << "the port filter keeps one row";
}

TEST(CliSnapshot, TableHasAlignedColumnsAndASummary) {
    const Fd listener = tcpListener("127.0.0.1");
    const auto port = std::to_string(localEndpoint(listener.get()).port);
    const auto run = runCli({"snapshot", "--port", port});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    std::istringstream lines(run.out);
    std::string header, row, summary;
    std::getline(lines, header);
    ASSERT_TRUE(std::getline(lines, row));
    ASSERT_TRUE(std::getline(lines, summary));
    auto padded = [](std::string text, std::size_t width) {
        text.resize(std::max(text.size(), width), ' ');
        return text + ' ';
    };
    EXPECT_EQ(header, padded("PROTO", 5) + padded("LOCAL", 46) + padded("REMOTE", 46) +
                          padded("STATE", 12) + padded("PID", 8) + "PROCESS");
    const std::string pid = std::to_string(getpid());
    EXPECT_EQ(row.substr(0, row.size() - (row.size() - row.rfind(' ') - 1)),
              padded("TCP", 5) + padded("127.0.0.1:" + port, 46) + padded("0.0.0.0:0", 46) +
                  padded("LISTEN", 12) + padded(pid, 8))
        << row;
    EXPECT_EQ(summary.rfind("1 sockets (", 0), 0u) << summary;
    EXPECT_NE(summary.find(" ms"), std::string::npos) << summary;
}

TEST(CliSnapshot, JsonIsValidAndFiltered) {
    const Fd listener = tcpListener("127.0.0.1");
    const Fd udp = udpSocket("127.0.0.1");
    const auto port = localEndpoint(listener.get()).port;
    const auto run = runCli({"snapshot", "--format", "json", "--pid", std::to_string(getpid())});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const auto tree = parseJson(run.out);
    EXPECT_EQ(tree.get<std::string>("format"), "portscope-snapshot");
    bool sawListener = false;
    bool sawUdp = false;
    for (const auto& [unused, connection] : tree.get_child("connections")) {
        EXPECT_EQ(connection.get<int>("pid"), getpid()) << "--pid filters the rows";
        if (connection.get<int>("local_port") == port) {
            sawListener = connection.get<std::string>("state") == "LISTEN";
        }
        if (connection.get<std::string>("protocol") == "UDP") {
            sawUdp = true;
        }
    }
    EXPECT_TRUE(sawListener);
    EXPECT_TRUE(sawUdp);
    const auto& processes = tree.get_child("processes");
    ASSERT_EQ(processes.size(), 1u);
    EXPECT_EQ(processes.front().second.get<int>("pid"), getpid());
    EXPECT_EQ(processes.front().second.get<std::string>("name"), "cli_tests");
}

TEST(CliSnapshot, StateAndProtocolFiltersCombine) {
    const Fd listener = tcpListener("127.0.0.1");
    const Fd udp = udpSocket("127.0.0.1");
    const auto run =
        runCli({"snapshot", "--format", "json", "--state", "LISTEN", "--proto", "udp"});
    ASSERT_EQ(run.exitCode, 0);
    EXPECT_TRUE(parseJson(run.out).get_child("connections").empty())
        << "no UDP socket is in LISTEN";
}

TEST(CliWatch, StreamsParsableEventsAndStopsAfterCount) {
    const Fd listener = tcpListener("127.0.0.1");
    const auto run =
        runCli({"watch", "--interval", "0.25", "--count", "3", "--pid", std::to_string(getpid())});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const auto events = parseNdjson(run.out);
    int ticks = 0;
    bool addedListener = false;
    for (const auto& event : events) {
        const auto kind = event.get<std::string>("event");
        if (kind == "tick") {
            EXPECT_EQ(event.get<int>("sequence"), ++ticks);
        } else if (kind == "added") {
            addedListener |=
                event.get<int>("connection.local_port") == localEndpoint(listener.get()).port;
            EXPECT_EQ(event.get<int>("process.pid"), getpid());
        }
    }
    EXPECT_EQ(ticks, 3);
    EXPECT_TRUE(addedListener);
}

TEST(CliRecordReplay, RoundTripAndDamagedFile) {
    TempDir dir;
    const auto path = dir.file("session.psrec");
    const Fd listener = tcpListener("127.0.0.1");
    const auto port = std::to_string(localEndpoint(listener.get()).port);
    const auto recorded = runCli({"record", path, "--interval", "0.25", "--count", "3"});
    ASSERT_EQ(recorded.exitCode, 0) << recorded.err;
    EXPECT_NE(recorded.out.find("Recorded 3 snapshots"), std::string::npos) << recorded.out;

    const auto replayed = runCli({"replay", path, "--port", port});
    ASSERT_EQ(replayed.exitCode, 0) << replayed.err;
    int ticks = 0;
    int added = 0;
    for (const auto& event : parseNdjson(replayed.out)) {
        ticks += event.get<std::string>("event") == "tick";
        added += event.get<std::string>("event") == "added";
    }
    EXPECT_EQ(ticks, 3);
    EXPECT_EQ(added, 1) << "the listener is added once and then unchanged";

    const auto table = runCli({"replay", path, "--format", "table", "--port", port});
    ASSERT_EQ(table.exitCode, 0);
    EXPECT_NE(table.out.find("127.0.0.1:" + port), std::string::npos);

    // Cut the last record in half: the first records still replay, then exit 6.
    const auto size = std::filesystem::file_size(path);
    std::filesystem::resize_file(path, size - 10);
    const auto damaged = runCli({"replay", path});
    EXPECT_EQ(damaged.exitCode, cli::kExitPartialReplay);
    EXPECT_NE(damaged.err.find("record"), std::string::npos) << damaged.err;
    int damagedTicks = 0;
    for (const auto& event : parseNdjson(damaged.out)) {
        damagedTicks += event.get<std::string>("event") == "tick";
    }
    EXPECT_EQ(damagedTicks, 2);

    const auto missing = runCli({"replay", dir.file("nope.psrec")});
    EXPECT_EQ(missing.exitCode, cli::kExitFailure);
    EXPECT_NE(missing.err.find("nope.psrec"), std::string::npos);

    std::ofstream(dir.file("garbage.psrec")) << "this is not a recording";
    EXPECT_EQ(runCli({"replay", dir.file("garbage.psrec")}).exitCode, cli::kExitFailure);

    EXPECT_EQ(runCli({"record", "/nonexistent-dir/x.psrec", "--count", "1"}).exitCode,
              cli::kExitFailure);
}

// Recordings hold every user's command lines: owner-only whatever the umask, and a link
// planted at the path is refused instead of followed.
TEST(CliRecordReplay, RecordingIsPrivateAndNeverWrittenThroughALink) {
    TempDir dir;
    const mode_t savedMask = ::umask(022);
    const auto recorded = runCli({"record", dir.file("session.psrec"), "--count", "1"});
    ::umask(savedMask);
    ASSERT_EQ(recorded.exitCode, 0) << recorded.err;
    EXPECT_EQ(std::filesystem::status(dir.file("session.psrec")).permissions(),
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

    const auto victim = dir.file("victim");
    std::ofstream(victim) << "precious";
    const auto link = dir.file("link.psrec");
    std::filesystem::create_symlink(victim, link);
    const auto refused = runCli({"record", link, "--count", "1"});
    EXPECT_EQ(refused.exitCode, cli::kExitFailure);
    EXPECT_NE(refused.err.find(link), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("symbolic link"), std::string::npos) << refused.err;
    std::ifstream in(victim);
    const std::string victimText(std::istreambuf_iterator<char>(in), {});
    EXPECT_TRUE(victimText == "precious") << victimText.size() << " bytes";
}

TEST(CliKill, KillsAChildAndRefusesAStaleStartTime) {
    const pid_t child = startChild({"sleep", "30"});
    const auto key = platform::currentProcessKey(child);
    ASSERT_TRUE(key);

    const auto stale =
        runCli({"kill", std::to_string(child), "--start-time", std::to_string(key->startTime + 1)});
    EXPECT_EQ(stale.exitCode, cli::kExitRefused) << stale.err;
    EXPECT_NE(stale.err.find("another process"), std::string::npos) << stale.err;
    EXPECT_TRUE(isAlive(child)) << "a stale start time must not kill";

    const auto killed =
        runCli({"kill", std::to_string(child), "--start-time", std::to_string(key->startTime)});
    EXPECT_EQ(killed.exitCode, 0) << killed.err;
    EXPECT_TRUE(waitChildExit(child, std::chrono::seconds(5)));
    killChild(child);

    // The PID is reaped now and belongs to nobody.
    EXPECT_EQ(runCli({"kill", std::to_string(child)}).exitCode, cli::kExitRefused);
}

TEST(CliClose, ClosesALoopbackConnectionOrSaysWhyNot) {
    const Fd listener = tcpListener("127.0.0.1");
    const Fd client = tcpConnect(localEndpoint(listener.get()));
    const Fd server = acceptOne(listener.get());
    const auto run = runCli({"close", "--local", localEndpoint(client.get()).toString(), "--remote",
                             localEndpoint(server.get()).toString()});
    if (run.exitCode == cli::kExitNotSupported) {
        EXPECT_NE(run.err.find("CONFIG_INET_DIAG_DESTROY"), std::string::npos) << run.err;
        return;
    }
    ASSERT_EQ(run.exitCode, 0) << run.err;
    char byte;
    // The destroyed socket reports an error instead of blocking.
    EXPECT_LE(recv(client.get(), &byte, 1, MSG_DONTWAIT), 0);
    EXPECT_NE(errno, EAGAIN);

    const auto again = runCli(
        {"close", "--local", localEndpoint(client.get()).toString(), "--remote", "127.0.0.1:1"});
    EXPECT_EQ(again.exitCode, cli::kExitRefused);
}
