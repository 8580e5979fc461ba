// portscope-cli and findings: --config, the findings of snapshot and replay, the finding
// events of watch, and the stats subcommand. Run in-process against the live system with
// loopback sockets made by the test.

#include "cli_test_support.h"
#include "loopback.h"

#include <algorithm>
#include <atomic>
#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <thread>
#include <unistd.h>

using namespace portscope;
using namespace portscope::testing;
using namespace std::chrono_literals;
namespace pt = boost::property_tree;

namespace {

// A config that flags `port` as a backdoor port and keeps rules that could flag this test
// program for other reasons (where it was built, for instance) out of the way.
std::string suspiciousPortConfig(std::uint16_t port, const std::string& extra = "") {
    return "[suspicious-port]\nports = " + std::to_string(port) +
           "\n[masquerade]\nenabled = false\n" + extra;
}

const std::string kPid = std::to_string(getpid());

} // namespace

TEST(CliConfig, ABadValueIsAWarningNamingTheKeyAndTheRunSucceeds) {
    TempDir dir;
    const auto path = dir.write("findings.conf", "[fanout-scan]\nhosts = ten\nwindow = 5s\n"
                                                 "[nonsense]\n");
    const auto run = runCli({"snapshot", "--config", path, "--pid", kPid});
    EXPECT_EQ(run.exitCode, cli::kExitOk) << run.err;
    EXPECT_NE(run.err.find("portscope-cli: warning: " + path +
                           " line 2: fanout-scan.hosts: expected a whole number from 2 to "
                           "1000000, not 'ten'; the default (10) stays in force"),
              std::string::npos)
        << run.err;
    EXPECT_NE(run.err.find("line 4: [nonsense]: unknown section"), std::string::npos) << run.err;
    EXPECT_EQ(run.err.find("window"), std::string::npos) << "a good key raises nothing";

    const auto missing = runCli({"snapshot", "--config", dir.file("absent.conf"), "--pid", kPid});
    EXPECT_EQ(missing.exitCode, cli::kExitOk);
    EXPECT_NE(missing.err.find("absent.conf: cannot read the file"), std::string::npos)
        << missing.err;

    const auto noValue = runCli({"snapshot", "--config"});
    EXPECT_EQ(noValue.exitCode, cli::kExitUsage);
    EXPECT_NE(noValue.err.find("--config needs a value"), std::string::npos) << noValue.err;
}

TEST(CliSnapshotFindings, JsonHasAFindingsArrayAndTheTableListsThemAfterTheRows) {
    const Fd listener = tcpListener("127.0.0.1");
    const auto port = localEndpoint(listener.get()).port;
    TempDir dir;
    const auto config = dir.write("findings.conf", suspiciousPortConfig(port));

    const auto json = runCli({"snapshot", "--format", "json", "--config", config, "--pid", kPid});
    ASSERT_EQ(json.exitCode, cli::kExitOk) << json.err;
    const auto document = parseJson(json.out);
    EXPECT_EQ(document.get<std::string>("format"), "portscope-snapshot");
    int ours = 0;
    for (const auto& [key, finding] : document.get_child("findings")) {
        EXPECT_EQ(finding.get<std::string>("pid"), kPid) << "--pid filters findings too";
        if (finding.get<std::string>("rule") == "suspicious-port") {
            ++ours;
            EXPECT_EQ(finding.get<std::string>("subject"), "listening on " + std::to_string(port));
            EXPECT_EQ(finding.get<std::string>("severity"), "medium");
            EXPECT_NE(finding.get<std::string>("summary").find("in your list of suspicious ports"),
                      std::string::npos);
            const auto& socket = finding.get_child("sockets").front().second;
            EXPECT_EQ(socket.get<int>("local_port"), port);
        }
    }
    EXPECT_EQ(ours, 1);

    const auto table = runCli({"snapshot", "--config", config, "--pid", kPid});
    ASSERT_EQ(table.exitCode, cli::kExitOk) << table.err;
    const auto rows = table.out.find("127.0.0.1:" + std::to_string(port));
    const auto section = table.out.find("\nFINDINGS\n");
    ASSERT_NE(rows, std::string::npos) << table.out;
    ASSERT_NE(section, std::string::npos) << table.out;
    EXPECT_LT(rows, section) << "findings come after the rows";
    const auto line = table.out.find("medium   suspicious-port      " + kPid, section);
    EXPECT_NE(line, std::string::npos) << table.out;
    EXPECT_NE(table.out.find("action: ", line), std::string::npos) << table.out;

    const auto none = runCli({"snapshot", "--pid", kPid, "--config",
                              dir.write("quiet.conf", "[suspicious-port]\nenabled = no\n"
                                                      "[masquerade]\nenabled = no\n")});
    ASSERT_EQ(none.exitCode, cli::kExitOk) << none.err;
    EXPECT_NE(none.out.find("\nNo findings.\n"), std::string::npos) << none.out;
}

TEST(CliWatchFindings, AFindingIsSaidOnceWhenRaisedAndOnceWhenCleared) {
    auto listener = std::make_unique<Fd>(tcpListener("127.0.0.1"));
    const auto port = localEndpoint(listener->get()).port;
    TempDir dir;
    const auto config = dir.write("findings.conf", suspiciousPortConfig(port, "[findings]\n"
                                                                              "clear_after = 0\n"));
    // The stream goes to a file so the test can read it while the watch runs: polls can be
    // slow on a busy machine, so the test waits for events rather than for a fixed time.
    const std::string streamPath = dir.file("watch.ndjson");
    int exitCode = -1;
    std::ostringstream errors;
    std::thread watcher([&] {
        std::ofstream stream(streamPath);
        exitCode = cli::run({"watch", "--interval", "0.25", "--config", config, "--pid", kPid},
                            stream, errors);
    });
    const std::string subject = "listening on " + std::to_string(port);
    auto waitForLine = [&](const std::string& event) {
        const auto deadline = std::chrono::steady_clock::now() + 60s;
        while (std::chrono::steady_clock::now() < deadline) {
            std::ifstream stream(streamPath);
            std::string line;
            while (std::getline(stream, line)) {
                if (line.find("\"event\":\"" + event + "\"") != std::string::npos &&
                    line.find("\"subject\":\"" + subject + "\"") != std::string::npos) {
                    return true;
                }
            }
            std::this_thread::sleep_for(50ms);
        }
        return false;
    };
    const bool sawRaised = waitForLine("finding");
    listener.reset(); // the finding's condition ends
    const bool sawCleared = sawRaised && waitForLine("finding_cleared");
    cli::requestStop();
    watcher.join();
    ASSERT_TRUE(sawRaised) << errors.str();
    ASSERT_TRUE(sawCleared) << errors.str();
    EXPECT_EQ(exitCode, cli::kExitInterrupted);
    std::ifstream stream(streamPath);
    CliRun run;
    run.out.assign(std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>());
    int raised = 0;
    int cleared = 0;
    int ticksWithIt = 0;
    for (const auto& event : parseNdjson(run.out)) {
        const auto kind = event.get<std::string>("event");
        if (kind == "finding") {
            EXPECT_EQ(event.get<std::string>("finding.pid"), kPid);
            if (event.get<std::string>("finding.subject") == subject) {
                EXPECT_EQ(event.get<std::string>("change"), "raised");
                EXPECT_EQ(event.get<std::string>("finding.rule"), "suspicious-port");
                ++raised;
            }
        } else if (kind == "finding_cleared") {
            if (event.get<std::string>("finding.subject") == subject) {
                ++cleared;
            }
        } else if (kind == "tick") {
            ticksWithIt += event.get<int>("findings") > 0 ? 1 : 0;
        }
    }
    EXPECT_EQ(raised, 1) << "said once, not on every tick:\n" << run.out;
    EXPECT_EQ(cleared, 1) << run.out;
    EXPECT_GE(ticksWithIt, 1);
}

TEST(CliReplayFindings, TheRulesRunOverARecordingToo) {
    const Fd listener = tcpListener("127.0.0.1");
    const auto port = localEndpoint(listener.get()).port;
    TempDir dir;
    const auto recording = dir.file("run.psrec");
    const auto recorded = runCli({"record", recording, "--interval", "0.25", "--count", "2"});
    ASSERT_EQ(recorded.exitCode, cli::kExitOk) << recorded.err;
    const auto config = dir.write("findings.conf", suspiciousPortConfig(port));
    const auto replayed =
        runCli({"replay", recording, "--format", "json", "--config", config, "--pid", kPid});
    ASSERT_EQ(replayed.exitCode, cli::kExitOk) << replayed.err;
    bool found = false;
    const auto document = parseJson(replayed.out);
    for (const auto& [key, finding] : document.get_child("findings")) {
        found =
            found || finding.get<std::string>("subject") == "listening on " + std::to_string(port);
    }
    EXPECT_TRUE(found) << replayed.out.substr(0, 2000);
}

TEST(CliStats, CountersWithRatesAndTheOnesBehindAFindingMarked) {
    TempDir dir;
    // Refused connects on loopback make this machine send resets: an "inbound scan" by the
    // test's own standard, which is set low so a few hundred resets a second suffice.
    const auto config = dir.write("findings.conf", "[inbound-scan]\nout_rsts = 5\nwindow = 1s\n");
    std::atomic<bool> scanning{true};
    std::thread scanner([&] {
        Fd listener = tcpListener("127.0.0.1");
        const auto closedPort = localEndpoint(listener.get());
        listener.reset(); // now nobody listens on that port
        while (scanning.load()) {
            try {
                tcpConnect(closedPort);
            } catch (const std::runtime_error&) {
                // refused: that is the point
            }
            std::this_thread::sleep_for(2ms);
        }
    });
    const auto run = runCli(
        {"stats", "--interval", "0.5", "--count", "3", "--format", "ndjson", "--config", config});
    scanning.store(false);
    scanner.join();
    ASSERT_EQ(run.exitCode, cli::kExitOk) << run.err;
    const auto events = parseNdjson(run.out);
    ASSERT_EQ(events.size(), 3u) << "--count counts printed tables";
    bool flagged = false;
    bool sawActiveOpens = false;
    for (const auto& event : events) {
        EXPECT_EQ(event.get<std::string>("event"), "stats");
        // At least the interval asked for, more when polls are slow on a busy machine.
        EXPECT_GT(event.get<double>("interval_s"), 0.2);
        for (const auto& [key, counter] : event.get_child("counters")) {
            const auto name = counter.get<std::string>("name");
            if (name == "Tcp.ActiveOpens") {
                sawActiveOpens = true;
                EXPECT_NE(counter.get<std::string>("rate"), "null");
            }
            if (name == "Tcp.OutRsts") {
                for (const auto& [k, rule] : counter.get_child("findings")) {
                    flagged = flagged || rule.get_value<std::string>() == "inbound-scan";
                }
            }
        }
    }
    EXPECT_TRUE(sawActiveOpens);
    EXPECT_TRUE(flagged) << run.out.substr(0, 3000);

    const auto table = runCli({"stats", "--interval", "0.25"});
    ASSERT_EQ(table.exitCode, cli::kExitOk) << table.err;
    EXPECT_NE(table.out.find("netstat -s counters at "), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("  Tcp.ActiveOpens "), std::string::npos) << table.out;
    const auto all = runCli({"stats", "--interval", "0.25", "--all"});
    ASSERT_EQ(all.exitCode, cli::kExitOk) << all.err;
    auto lines = [](const std::string& text) { return std::count(text.begin(), text.end(), '\n'); };
    EXPECT_GT(lines(all.out), lines(table.out)) << "--all adds the counters that are zero";

    const auto badFormat = runCli({"stats", "--format", "csv"});
    EXPECT_EQ(badFormat.exitCode, cli::kExitUsage);
}
