// Agent mode's outside input and framing: the --output URL, agent.conf, RFC 5424 messages,
// RFC 6587 octet counting and journald's native datagrams.

#include "portscope/core/agent_config.h"
#include "portscope/core/log_output.h"

#include <cstring>
#include <gtest/gtest.h>
#include <string>

using namespace portscope::core;
using namespace std::chrono_literals;

namespace {

LogTarget target(std::string_view text) {
    std::string error;
    auto parsed = parseLogTarget(text, &error);
    EXPECT_TRUE(parsed) << text << ": " << error;
    return parsed.value_or(LogTarget{});
}

std::string refusal(std::string_view text) {
    std::string error;
    EXPECT_FALSE(parseLogTarget(text, &error)) << text << " was accepted";
    EXPECT_FALSE(error.empty());
    return error;
}

EcsEvent sampleEvent() {
    EcsEvent event;
    event.eventClass = EventClass::Finding;
    event.syslogSeverity = 3;
    event.unixMs = 1'700'000'000'123;
    event.ruleId = "masquerade";
    event.message = "sshd (PID 7) runs from /tmp\nsecond line";
    event.json = R"({"message":"x"})";
    return event;
}

} // namespace

TEST(LogTarget, ReadsSyslogOverUdpAndTcpAndTheJournal) {
    EXPECT_EQ(target("syslog://127.0.0.1:5140"),
              (LogTarget{LogTarget::Kind::SyslogUdp, "127.0.0.1", 5140}));
    EXPECT_EQ(target("syslog+tcp://logs.example.org:6514"),
              (LogTarget{LogTarget::Kind::SyslogTcp, "logs.example.org", 6514}));
    EXPECT_EQ(target("syslog+tcp://[::1]:514"),
              (LogTarget{LogTarget::Kind::SyslogTcp, "::1", 514}));
    EXPECT_EQ(target("syslog://loghost").port, kDefaultSyslogPort);
    EXPECT_EQ(target("syslog://[fe80::1]").port, kDefaultSyslogPort);
    EXPECT_EQ(target("journal").kind, LogTarget::Kind::Journal);
    EXPECT_EQ(toString(target("syslog+tcp://[::1]:514")), "syslog+tcp://[::1]:514");
    EXPECT_EQ(toString(target("syslog://a.b")), "syslog://a.b:514");
}

TEST(LogTarget, RefusesAnythingElseSayingWhy) {
    EXPECT_NE(refusal("").find("none of"), std::string::npos);
    EXPECT_NE(refusal("udp://127.0.0.1:514").find("unknown output scheme 'udp'"),
              std::string::npos);
    EXPECT_NE(refusal("SYSLOG://h:1").find("unknown output scheme"), std::string::npos);
    EXPECT_NE(refusal("syslog://").find("no host"), std::string::npos);
    EXPECT_NE(refusal("syslog://:514").find("no host"), std::string::npos);
    EXPECT_NE(refusal("syslog://h:").find("no port"), std::string::npos);
    EXPECT_NE(refusal("syslog://h:0").find("1 to 65535"), std::string::npos);
    EXPECT_NE(refusal("syslog://h:65536").find("1 to 65535"), std::string::npos);
    EXPECT_NE(refusal("syslog://h:+1").find("1 to 65535"), std::string::npos);
    EXPECT_NE(refusal("syslog://h:000514").find("1 to 65535"), std::string::npos);
    EXPECT_NE(refusal("syslog://h:51x").find("1 to 65535"), std::string::npos);
    EXPECT_NE(refusal("syslog://::1:514").find("brackets"), std::string::npos);
    EXPECT_NE(refusal("syslog://[::1").find("closing ']'"), std::string::npos);
    EXPECT_NE(refusal("syslog://[127.0.0.1]:5").find("not an IPv6"), std::string::npos);
    EXPECT_NE(refusal("syslog://[::1]x").find("only HOST:PORT"), std::string::npos);
    EXPECT_NE(refusal("syslog://user@h:514").find("without a user"), std::string::npos);
    EXPECT_NE(refusal("syslog://h/path").find("without a user, path"), std::string::npos);
    EXPECT_NE(refusal("syslog://h:514/x").find("1 to 65535"), std::string::npos);
    EXPECT_NE(refusal("syslog://256.1.1.1:514").find("not an IPv4"), std::string::npos);
    EXPECT_NE(refusal("syslog://a..b").find("empty label"), std::string::npos);
    EXPECT_NE(refusal("syslog://-a.b").find("'-'"), std::string::npos);
    EXPECT_NE(refusal("syslog://" + std::string(64, 'a')).find("63"), std::string::npos);
    EXPECT_NE(refusal("syslog://" + std::string(254, 'a')).find("253"), std::string::npos);
    EXPECT_NE(refusal("journal:").find("none of"), std::string::npos);
    // The input is quoted, but never with its control characters.
    const std::string error = refusal("syslog://h\x1b[2J:514");
    EXPECT_EQ(error.find('\x1b'), std::string::npos) << error;
}

TEST(SyslogMessage, IsRfc5424WithTheEventAsMessage) {
    SyslogHeader header;
    header.facility = 16; // local0
    header.hostName = "desk-17";
    header.processId = 321;
    EXPECT_EQ(syslogMessage(header, sampleEvent()),
              "<131>1 2023-11-14T22:13:20.123Z desk-17 portscope 321 finding - "
              R"({"message":"x"})");
}

TEST(SyslogMessage, AHostileHostNameCannotForgeAHeaderField) {
    SyslogHeader header;
    header.hostName = "evil host\n<0>1 - forged";
    header.processId = 0;
    EcsEvent event = sampleEvent();
    event.unixMs = 0;
    event.syslogSeverity = 99; // out of range: informational
    EXPECT_EQ(syslogMessage(header, event),
              "<30>1 - evilhost<0>1-forged portscope - finding - " + event.json);
    header.hostName = std::string(300, 'h');
    header.facility = 40; // out of range: daemon
    const auto message = syslogMessage(header, sampleEvent());
    EXPECT_EQ(message.substr(0, 5), "<27>1");
    EXPECT_NE(message.find(" " + std::string(255, 'h') + " "), std::string::npos);
    header.hostName = "\x01\x02";
    EXPECT_NE(syslogMessage(header, sampleEvent()).find("Z - portscope"), std::string::npos);
}

TEST(OctetCounted, PrefixesTheLengthInBytes) {
    EXPECT_EQ(octetCounted("<14>1 abc"), "9 <14>1 abc");
    EXPECT_EQ(octetCounted("\xc3\xa9"), "2 \xc3\xa9");
}

TEST(JournalDatagram, WritesEveryFieldLengthPrefixed) {
    const std::string datagram = journalDatagram(sampleEvent(), "portscope");
    auto field = [&](std::string_view name, std::string_view value) {
        std::string expected(name);
        expected += '\n';
        std::uint64_t length = value.size();
        char bytes[8];
        std::memcpy(bytes, &length, 8); // little-endian on every machine this runs on
        expected.append(bytes, 8);
        expected += value;
        expected += '\n';
        return expected;
    };
    EXPECT_EQ(datagram, field("MESSAGE", "sshd (PID 7) runs from /tmp\nsecond line") +
                            field("PRIORITY", "3") + field("SYSLOG_IDENTIFIER", "portscope") +
                            field("PORTSCOPE_EVENT", "finding") +
                            field("PORTSCOPE_RULE", "masquerade") +
                            field("PORTSCOPE_ECS", R"({"message":"x"})"));
}

TEST(AgentConfig, ReadsEveryKey) {
    const auto load = parseAgentConfig("# PortScope agent\n"
                                       "output = syslog+tcp://127.0.0.1:6514\r\n"
                                       "  events=all  \n"
                                       "\n"
                                       "findings_config = /etc/portscope/findings.conf\n"
                                       "interval = 2.5\n"
                                       "queue = 500\n"
                                       "facility = local3\n"
                                       "heartbeat = 600\n");
    ASSERT_TRUE(load.problems.empty()) << load.problems.front().message;
    EXPECT_EQ(load.config.output, (LogTarget{LogTarget::Kind::SyslogTcp, "127.0.0.1", 6514}));
    EXPECT_EQ(load.config.events, AgentEvents::All);
    EXPECT_EQ(load.config.findingsConfig, "/etc/portscope/findings.conf");
    EXPECT_EQ(load.config.interval, 2500ms);
    EXPECT_EQ(load.config.queueLimit, 500u);
    EXPECT_EQ(load.config.facility, 19);
    EXPECT_EQ(load.config.heartbeat, 600s);
}

TEST(AgentConfig, DefaultsToFindingsOnly) {
    const auto load = parseAgentConfig("output = journal");
    ASSERT_TRUE(load.problems.empty());
    EXPECT_EQ(load.config.events, AgentEvents::Findings);
    EXPECT_EQ(load.config.interval, 1000ms);
    EXPECT_EQ(load.config.facility, 3);
    EXPECT_EQ(load.config.heartbeat, 3600s);
}

TEST(AgentConfig, EveryProblemNamesItsLine) {
    const auto load = parseAgentConfig("output = syslog://h:99999\n"
                                       "events = some\n"
                                       "interval = 0.1\n"
                                       "interval = 1\n"
                                       "queue = 0\n"
                                       "facility = local9\n"
                                       "findings_config = relative.conf\n"
                                       "colour = red\n"
                                       "just words\n"
                                       "= 5\n"
                                       "events =\n");
    ASSERT_EQ(load.problems.size(), 11u);
    const std::vector<std::pair<std::size_t, std::string>> expected = {
        {1, "output: the port '99999' is not a number from 1 to 65535"},
        {2, "events must be findings or all, not 'some'"},
        {3, "interval must be seconds from 0.25 to 60, not '0.1'"},
        {4, "'interval' is set twice; keep one line"},
        {5, "queue must be a number of events from 1 to 1000000, not '0'"},
        {6, "facility must be a syslog facility such as daemon, authpriv or local0 (or 0-23), "
            "not 'local9'"},
        {7, "findings_config must be an absolute path, not 'relative.conf'"},
        {8, "unknown key 'colour'; the keys are output, events, findings_config, interval, "
            "queue, facility and heartbeat"},
        {9, "expected KEY = VALUE, not 'just words'"},
        {10, "a value without a key"},
        {11, "'events' is set twice; keep one line"},
    };
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(load.problems[i].line, expected[i].first) << i;
        EXPECT_EQ(load.problems[i].message, expected[i].second) << i;
    }
    EXPECT_EQ(formatAgentProblem(load.problems[1], "/etc/portscope/agent.conf"),
              "/etc/portscope/agent.conf:2: events must be findings or all, not 'some'");
}

TEST(AgentConfig, AFileWithoutOutputIsRefused) {
    const auto load = parseAgentConfig("events = all\n");
    ASSERT_EQ(load.problems.size(), 1u);
    EXPECT_EQ(load.problems[0].line, 0u);
    EXPECT_NE(load.problems[0].message.find("no output is set"), std::string::npos);
}

TEST(AgentConfig, ABinaryFileGivesABoundedListOfProblems) {
    std::string garbage;
    for (int i = 0; i < 500; ++i) {
        garbage += "\x01\x02\x1b[2J line\n";
    }
    const auto load = parseAgentConfig(garbage);
    // 500 bad lines and no output: 20 named, the rest counted.
    ASSERT_EQ(load.problems.size(), 21u);
    EXPECT_EQ(load.problems.back().message, "481 more problems");
    for (const auto& problem : load.problems) {
        EXPECT_EQ(problem.message.find('\x1b'), std::string::npos) << problem.message;
    }
}

TEST(AgentHeartbeat, IsOffOrBetweenAMinuteAndADay) {
    EXPECT_EQ(parseHeartbeat("0"), 0s);
    EXPECT_EQ(parseHeartbeat("60"), 60s);
    EXPECT_EQ(parseHeartbeat("86400"), 86400s);
    for (const auto* bad : {"59", "86401", "", "-60", "1h", "60.5", " 60"}) {
        EXPECT_EQ(parseHeartbeat(bad), std::nullopt) << bad;
    }
    const auto load = parseAgentConfig("output = journal\nheartbeat = 5\n");
    ASSERT_EQ(load.problems.size(), 1u);
    EXPECT_EQ(load.problems[0].message,
              "heartbeat must be whole seconds from 60 to 86400, or 0 for none, not '5'");
}

TEST(SyslogFacility, ReadsNamesAndNumbers) {
    EXPECT_EQ(parseSyslogFacility("daemon"), 3);
    EXPECT_EQ(parseSyslogFacility("authpriv"), 10);
    EXPECT_EQ(parseSyslogFacility("local7"), 23);
    EXPECT_EQ(parseSyslogFacility("23"), 23);
    EXPECT_EQ(parseSyslogFacility("24"), std::nullopt);
    EXPECT_EQ(parseSyslogFacility("-1"), std::nullopt);
    EXPECT_EQ(parseSyslogFacility(""), std::nullopt);
    EXPECT_EQ(parseSyslogFacility("Daemon"), std::nullopt);
}
