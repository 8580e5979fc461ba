// The findings config file: every key, its errors, and what stays in force.

#include "bounded_run.h"
#include "portscope/core/findings_config.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <random>

using namespace portscope::core;

namespace {

bool sameConfig(const FindingsConfig& a, const FindingsConfig& b) {
    return a.general.clearAfter == b.general.clearAfter &&
           a.general.updateGrowth == b.general.updateGrowth &&
           a.scope.internal == b.scope.internal && a.scope.external == b.scope.external &&
           a.fanoutScan.enabled == b.fanoutScan.enabled &&
           a.fanoutScan.hosts == b.fanoutScan.hosts && a.fanoutScan.window == b.fanoutScan.window &&
           a.fanoutScan.wormPorts == b.fanoutScan.wormPorts &&
           a.synFlood.enabled == b.synFlood.enabled && a.synFlood.synRecv == b.synFlood.synRecv &&
           a.synFlood.counterRate == b.synFlood.counterRate &&
           a.synFlood.window == b.synFlood.window &&
           a.longLivedExternal.enabled == b.longLivedExternal.enabled &&
           a.longLivedExternal.minAge == b.longLivedExternal.minAge &&
           a.longLivedExternal.lowRate == b.longLivedExternal.lowRate &&
           a.newListener.enabled == b.newListener.enabled &&
           a.newListener.udp == b.newListener.udp &&
           a.newListener.udpPortBelow == b.newListener.udpPortBelow &&
           a.suspiciousPort.enabled == b.suspiciousPort.enabled &&
           a.suspiciousPort.ports == b.suspiciousPort.ports &&
           a.connectionSurge.enabled == b.connectionSurge.enabled &&
           a.connectionSurge.openIncrease == b.connectionSurge.openIncrease &&
           a.connectionSurge.newPerSecond == b.connectionSurge.newPerSecond &&
           a.connectionSurge.window == b.connectionSurge.window &&
           a.masquerade.enabled == b.masquerade.enabled &&
           a.masquerade.names == b.masquerade.names &&
           a.masquerade.maxDistance == b.masquerade.maxDistance &&
           a.masquerade.writableDirs == b.masquerade.writableDirs &&
           a.inboundScan.enabled == b.inboundScan.enabled &&
           a.inboundScan.outRsts == b.inboundScan.outRsts &&
           a.inboundScan.udpNoPorts == b.inboundScan.udpNoPorts &&
           a.inboundScan.icmpUnreachables == b.inboundScan.icmpUnreachables &&
           a.inboundScan.window == b.inboundScan.window;
}

const ConfigProblem* problemFor(const FindingsConfigLoad& load, std::string_view key) {
    for (const auto& problem : load.problems) {
        if (problem.key == key) {
            return &problem;
        }
    }
    return nullptr;
}

} // namespace

TEST(FindingsConfig, TheDocumentedDefaultsParseBackToTheDefaults) {
    const std::string text = defaultFindingsConfigText();
    const auto load = parseFindingsConfig(text);
    for (const auto& problem : load.problems) {
        ADD_FAILURE() << formatProblem(problem, "defaults");
    }
    EXPECT_TRUE(sameConfig(load.config, FindingsConfig{}));
    for (const char* key :
         {"[fanout-scan]", "hosts = 10", "window = 10s", "syn_recv = 50", "min_age = 30m",
          "ports = 1243, 1337", "clear_after = 30s", "[inbound-scan]", "out_rsts = 50"}) {
        EXPECT_NE(text.find(key), std::string::npos) << key;
    }
}

TEST(FindingsConfig, EveryKindOfValueIsRead) {
    const auto load = parseFindingsConfig(R"(
# comment
; another comment
[findings]
clear_after = 1500ms
update_growth = 2

[scope]
internal = 10.20.0.0/16, fd12:3456::/48
external = 198.18.0.0/15

[fanout-scan]
enabled = no
hosts = 25
window = 1m
worm_ports = 445, 135-139

[syn-flood]
syn_recv = 200   # half-open sockets
counter_rate = 2.5
window = 0.5h

[long-lived-external]
min_age = 45 minutes
low_rate = 64

[new-listener]
udp = off
udp_port_below = 1024

[suspicious-port]
ports = 4444, 6666-6669

[connection-surge]
open_increase = 250
new_per_second = 40.5
window = 20

[masquerade]
ENABLED = TRUE
names = corpagent, Backup.exe
max_distance = 1
writable_dirs = /tmp/, /srv/upload/

[inbound-scan]
out_rsts = 10
udp_no_ports = 20
icmp_unreachables = 30
window = 3s
)");
    for (const auto& problem : load.problems) {
        ADD_FAILURE() << formatProblem(problem, "test");
    }
    const FindingsConfig& c = load.config;
    EXPECT_EQ(c.general.clearAfter, Milliseconds(1500));
    EXPECT_EQ(c.general.updateGrowth, 2.0);
    ASSERT_EQ(c.scope.internal.size(), 2u);
    EXPECT_EQ(c.scope.internal[1].toString(), "fd12:3456::/48");
    ASSERT_EQ(c.scope.external.size(), 1u);
    EXPECT_FALSE(c.fanoutScan.enabled);
    EXPECT_EQ(c.fanoutScan.hosts, 25u);
    EXPECT_EQ(c.fanoutScan.window, Milliseconds(60'000));
    EXPECT_EQ(c.fanoutScan.wormPorts.toVector(),
              (std::vector<std::uint16_t>{135, 136, 137, 138, 139, 445}));
    EXPECT_EQ(c.synFlood.synRecv, 200u);
    EXPECT_EQ(c.synFlood.counterRate, 2.5);
    EXPECT_EQ(c.synFlood.window, Milliseconds(1'800'000));
    EXPECT_EQ(c.longLivedExternal.minAge, Milliseconds(45 * 60'000));
    EXPECT_EQ(c.longLivedExternal.lowRate, 64.0);
    EXPECT_FALSE(c.newListener.udp);
    EXPECT_EQ(c.newListener.udpPortBelow, 1024u);
    EXPECT_EQ(c.suspiciousPort.ports.toVector(),
              (std::vector<std::uint16_t>{4444, 6666, 6667, 6668, 6669}));
    EXPECT_EQ(c.connectionSurge.openIncrease, 250u);
    EXPECT_EQ(c.connectionSurge.newPerSecond, 40.5);
    EXPECT_EQ(c.connectionSurge.window, Milliseconds(20'000));
    EXPECT_TRUE(c.masquerade.enabled);
    EXPECT_EQ(c.masquerade.names, (std::vector<std::string>{"corpagent", "Backup.exe"}));
    EXPECT_EQ(c.masquerade.maxDistance, 1u);
    EXPECT_EQ(c.masquerade.writableDirs, (std::vector<std::string>{"/tmp/", "/srv/upload/"}));
    EXPECT_EQ(c.inboundScan.outRsts, 10.0);
    EXPECT_EQ(c.inboundScan.udpNoPorts, 20.0);
    EXPECT_EQ(c.inboundScan.icmpUnreachables, 30.0);
    EXPECT_EQ(c.inboundScan.window, Milliseconds(3000));
    EXPECT_EQ(c.classifier().classify(*IpAddress::parse("10.20.3.4")), AddressScope::Internal);
}

TEST(FindingsConfig, ABadValueNamesItsKeyAndKeepsTheDefaultWhileGoodKeysApply) {
    const auto load = parseFindingsConfig("[fanout-scan]\n"
                                          "hosts = ten\n"
                                          "window = 5s\n"
                                          "[syn-flood]\n"
                                          "syn_recv = 0\n"
                                          "window = 10 fortnights\n"
                                          "[scope]\n"
                                          "internal = 10.0.0.0/8, 10.0.0.1/8\n"
                                          "[suspicious-port]\n"
                                          "ports = 4444, 70000\n"
                                          "[masquerade]\n"
                                          "enabled = maybe\n"
                                          "[inbound-scan]\n"
                                          "out_rsts = -3\n"
                                          "udp_no_ports = nan\n");
    const FindingsConfig defaults;
    EXPECT_EQ(load.config.fanoutScan.window, Milliseconds(5000)) << "a good key still applies";

    const auto* hosts = problemFor(load, "fanout-scan.hosts");
    ASSERT_NE(hosts, nullptr);
    EXPECT_EQ(hosts->line, 2u);
    EXPECT_EQ(formatProblem(*hosts, "findings.conf"),
              "findings.conf line 2: fanout-scan.hosts: expected a whole number from 2 to "
              "1000000, not 'ten'; the default (10) stays in force");
    EXPECT_EQ(load.config.fanoutScan.hosts, defaults.fanoutScan.hosts);

    ASSERT_NE(problemFor(load, "syn-flood.syn_recv"), nullptr);
    EXPECT_EQ(load.config.synFlood.synRecv, 50u);
    const auto* window = problemFor(load, "syn-flood.window");
    ASSERT_NE(window, nullptr);
    EXPECT_NE(window->message.find("the default (5s) stays in force"), std::string::npos)
        << window->message;

    const auto* internal = problemFor(load, "scope.internal");
    ASSERT_NE(internal, nullptr);
    EXPECT_NE(internal->message.find("did you mean 10.0.0.0/8?"), std::string::npos)
        << internal->message;
    EXPECT_TRUE(load.config.scope.internal.empty()) << "one bad range keeps the whole default";

    ASSERT_NE(problemFor(load, "suspicious-port.ports"), nullptr);
    EXPECT_EQ(load.config.suspiciousPort.ports.toVector(),
              defaults.suspiciousPort.ports.toVector());
    ASSERT_NE(problemFor(load, "masquerade.enabled"), nullptr);
    EXPECT_TRUE(load.config.masquerade.enabled);
    ASSERT_NE(problemFor(load, "inbound-scan.out_rsts"), nullptr);
    ASSERT_NE(problemFor(load, "inbound-scan.udp_no_ports"), nullptr);
    EXPECT_EQ(load.config.inboundScan.outRsts, defaults.inboundScan.outRsts);
    EXPECT_EQ(load.problems.size(), 8u);
}

TEST(FindingsConfig, TheLastGoodLineForAKeyWins) {
    auto load = parseFindingsConfig("[fanout-scan]\nhosts = 20\nhosts = 30\n");
    EXPECT_TRUE(load.ok());
    EXPECT_EQ(load.config.fanoutScan.hosts, 30u);
    load = parseFindingsConfig("[fanout-scan]\nhosts = 20\nhosts = bad\n");
    EXPECT_EQ(load.config.fanoutScan.hosts, 10u) << "the message promised the default";
    load = parseFindingsConfig("[fanout-scan]\nhosts = bad\nhosts = 30\n");
    EXPECT_EQ(load.config.fanoutScan.hosts, 30u);
}

TEST(FindingsConfig, UnknownKeysSectionsAndMalformedLinesAreReportedNotFatal) {
    const auto load = parseFindingsConfig("hosts = 5\n"
                                          "[fanout-scan]\n"
                                          "windw = 3\n"
                                          "colour = blue\n"
                                          "just some words\n"
                                          "[fanout-scan\n"
                                          "[bogus]\n"
                                          "anything = 1\n"
                                          "[syn-flood]\n"
                                          "syn_recv = 70\n");
    EXPECT_EQ(load.config.synFlood.synRecv, 70u) << "reading went on after the problems";
    ASSERT_EQ(load.problems.size(), 6u);
    EXPECT_EQ(load.problems[0].key, "hosts");
    EXPECT_NE(load.problems[0].message.find("outside any section"), std::string::npos);
    EXPECT_EQ(load.problems[1].key, "fanout-scan.windw");
    EXPECT_NE(load.problems[1].message.find("did you mean window?"), std::string::npos);
    EXPECT_EQ(load.problems[2].key, "fanout-scan.colour");
    EXPECT_NE(load.problems[2].message.find("the keys of [fanout-scan] are enabled, hosts, "
                                            "window, worm_ports"),
              std::string::npos)
        << load.problems[2].message;
    EXPECT_EQ(load.problems[3].line, 5u);
    EXPECT_NE(load.problems[3].message.find("expected 'key = value'"), std::string::npos);
    EXPECT_EQ(load.problems[4].line, 6u);
    EXPECT_EQ(load.problems[5].key, "[bogus]");
    EXPECT_NE(load.problems[5].message.find("fanout-scan"), std::string::npos);
}

TEST(FindingsConfig, DurationsTakeUnits) {
    const struct {
        const char* text;
        std::int64_t ms;
    } cases[] = {{"10", 10'000},  {"10s", 10'000},   {"2.5 s", 2'500},    {"250ms", 250},
                 {"3m", 180'000}, {"1h", 3'600'000}, {"1.5 min", 90'000}, {"0", 0}};
    for (const auto& c : cases) {
        const auto load =
            parseFindingsConfig(std::string("[findings]\nclear_after = ") + c.text + "\n");
        EXPECT_TRUE(load.ok()) << c.text;
        EXPECT_EQ(load.config.general.clearAfter, Milliseconds(c.ms)) << c.text;
    }
    for (const char* bad : {"-1s", "s", "10 parsecs", "1e9h", "2 days", ""}) {
        const auto load = parseFindingsConfig(std::string("[findings]\nclear_after = ") + bad);
        EXPECT_FALSE(load.ok()) << bad;
        EXPECT_EQ(load.config.general.clearAfter, Milliseconds(30'000)) << bad;
    }
    // A window shorter than a second makes no sense.
    EXPECT_FALSE(parseFindingsConfig("[fanout-scan]\nwindow = 500ms\n").ok());
}

TEST(FindingsConfig, HostileInputNeverCrashes) {
    std::mt19937 random(7);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int round = 0; round < 200; ++round) {
        std::string text = round % 2 ? "[fanout-scan]\nhosts = " : "";
        const int length = 1 + round * 7;
        for (int i = 0; i < length; ++i) {
            text += static_cast<char>(byte(random));
        }
        const auto load = parseFindingsConfig(text);
        for (const auto& problem : load.problems) {
            EXPECT_LT(problem.message.size(), 600u);
            EXPECT_EQ(problem.message.find('\0'), std::string::npos);
        }
    }
    const auto huge = parseFindingsConfig(std::string(2 << 20, 'x'));
    ASSERT_EQ(huge.problems.size(), 1u);
    EXPECT_NE(huge.problems[0].message.find("larger than 1 MB"), std::string::npos);
    EXPECT_TRUE(sameConfig(huge.config, FindingsConfig{}));
    const auto longLine =
        parseFindingsConfig("[fanout-scan]\nhosts = " + std::string(100'000, '9'));
    ASSERT_EQ(longLine.problems.size(), 1u);
    EXPECT_LT(longLine.problems[0].message.size(), 300u) << "the value is quoted shortened";
}

TEST(FindingsConfig, PortListsAreSetsAndPrintRangesBack) {
    const auto load = parseFindingsConfig("[suspicious-port]\n"
                                          "ports = 65535, 1-3, 2-70, 6666-6669, 6667, 100, 101\n");
    ASSERT_TRUE(load.ok()) << formatProblem(load.problems[0], "test");
    const PortSet& ports = load.config.suspiciousPort.ports;
    EXPECT_EQ(ports.size(), 70u + 4 + 2 + 1);
    EXPECT_TRUE(ports.contains(1));
    EXPECT_TRUE(ports.contains(64)) << "a range crosses a word of the bit set";
    EXPECT_TRUE(ports.contains(70));
    EXPECT_FALSE(ports.contains(71));
    EXPECT_FALSE(ports.contains(0));
    EXPECT_TRUE(ports.contains(65535));
    EXPECT_EQ(ports.toString(), "1-70, 100, 101, 6666-6669, 65535");

    const auto everything = parseFindingsConfig("[fanout-scan]\nworm_ports = 1-65535\n");
    ASSERT_TRUE(everything.ok());
    EXPECT_EQ(everything.config.fanoutScan.wormPorts.size(), 65535u);
    EXPECT_EQ(defaultFindingsConfigText().find("1-65535"), std::string::npos);
    EXPECT_EQ(everything.config.fanoutScan.wormPorts.toString(), "1-65535");
}

TEST(FindingsConfig, AListHoldsAtMostSoManyItemsAndTheWarningSaysSo) {
    std::string list;
    for (std::size_t i = 0; i <= kMaxConfigListItems; ++i) {
        list += i ? ", " : "";
        list += std::to_string(1 + i % 60000);
    }
    for (const char* key :
         {"[suspicious-port]\nports", "[masquerade]\nnames", "[scope]\ninternal"}) {
        const auto load = parseFindingsConfig(std::string(key) + " = " + list + "\n");
        ASSERT_EQ(load.problems.size(), 1u) << key;
        EXPECT_NE(load.problems[0].message.find("a list holds at most 1024 items"),
                  std::string::npos)
            << load.problems[0].message;
        EXPECT_NE(load.problems[0].message.find("stays in force"), std::string::npos);
    }
    EXPECT_TRUE(sameConfig(parseFindingsConfig("[suspicious-port]\nports = " + list).config,
                           FindingsConfig{}));
    // Exactly the limit is fine.
    const auto atLimit =
        parseFindingsConfig("[suspicious-port]\nports = " + list.substr(0, list.rfind(',')));
    EXPECT_TRUE(atLimit.ok());
    EXPECT_EQ(atLimit.config.suspiciousPort.ports.size(), kMaxConfigListItems);
}

TEST(FindingsConfig, ProblemsBeyondTheFirstHundredAreCountedNotListed) {
    std::string text;
    for (int i = 0; i < 250; ++i) {
        text += "not a key\n";
    }
    const auto load = parseFindingsConfig(text);
    ASSERT_EQ(load.problems.size(), kMaxConfigProblems + 1);
    EXPECT_EQ(load.problems[99].line, 100u);
    EXPECT_EQ(load.problems.back().message, "150 more problems like these were not listed");
}

// A 1 MiB file, the most a config may be, shaped to cost as much as possible to read.
TEST(FindingsConfig, AHostileConfigOfTheLargestSizeParsesInBoundedTimeAndMemory) {
    if (!portscope::testing::kCanRunBounded) {
        GTEST_SKIP() << "needs fork";
    }
    auto fill = [](std::string head, std::string_view item, std::string_view separator) {
        std::string text = std::move(head);
        while (text.size() + item.size() + separator.size() < kMaxConfigBytes) {
            text += item;
            text += separator;
        }
        return text;
    };
    // Every range in one line: a list of expanded ports would need 17 GB.
    const std::string oneLine = fill("[fanout-scan]\nworm_ports = ", "1-65535", ",");
    // Lines within the item limit, each of them a full range many times over.
    std::string manyLines = "[suspicious-port]\n";
    const std::string fullLine = fill("ports = ", "1-65535", ",").substr(0, 8 + 8 * 1000);
    while (manyLines.size() + fullLine.size() + 1 < kMaxConfigBytes) {
        manyLines += fullLine + "\n";
    }
    // Long word lists, then half a million bad lines.
    const std::string words = fill("[masquerade]\nnames = ", "abcdefghijklmnopqrstuvwxyz", ",");
    const std::string badLines = fill("", "x", "\n");
    for (const std::string* text :
         std::initializer_list<const std::string*>{&oneLine, &manyLines, &words, &badLines}) {
        ASSERT_LE(text->size(), kMaxConfigBytes);
        ASSERT_GT(text->size(), kMaxConfigBytes / 100 * 99);
    }

    const auto result = portscope::testing::runBounded(
        [&] {
            const auto first = parseFindingsConfig(oneLine);
            const auto second = parseFindingsConfig(manyLines);
            const auto third = parseFindingsConfig(words);
            const auto fourth = parseFindingsConfig(badLines);
            return first.problems.size() == 1 && second.ok() &&
                   second.config.suspiciousPort.ports.size() == 65535 &&
                   third.problems.size() == 1 && fourth.problems.size() == kMaxConfigProblems + 1;
        },
        50, 5);
    EXPECT_TRUE(result.ok) << result.why;
}

TEST(FindingsConfig, FilesAreReadAndAMissingFileKeepsTheDefaults) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("portscope-config-test-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir);
    const auto path = (dir / "findings.conf").string();
    {
        std::ofstream file(path);
        file << "[connection-surge]\r\nnew_per_second = 12\r\n";
    }
    const auto load = loadFindingsConfig(path);
    EXPECT_TRUE(load.ok()) << "CRLF line ends are fine";
    EXPECT_EQ(load.config.connectionSurge.newPerSecond, 12.0);

    const auto missing = loadFindingsConfig((dir / "absent.conf").string());
    ASSERT_EQ(missing.problems.size(), 1u);
    EXPECT_NE(missing.problems[0].message.find("cannot read the file"), std::string::npos);
    EXPECT_NE(missing.problems[0].message.find("defaults are in force"), std::string::npos);
    EXPECT_TRUE(sameConfig(missing.config, FindingsConfig{}));

    const auto directory = loadFindingsConfig(dir.string());
    EXPECT_FALSE(directory.ok()) << "a directory is not a config file";
    std::filesystem::remove_all(dir);
}
