// The ECS encoder: the fields a SIEM maps, and hostile text that must still give one valid
// JSON object on one line.

#include "portscope/core/ecs.h"
#include "portscope/core/text.h"

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <gtest/gtest.h>
#include <sstream>
#include <string>

using namespace portscope::core;
using boost::property_tree::ptree;

namespace {

constexpr std::int64_t kTime = 1'700'000'000'123; // 2023-11-14T22:13:20.123Z

ptree parsed(const EcsEvent& event) {
    std::istringstream stream(event.json);
    ptree tree;
    boost::property_tree::read_json(stream, tree);
    return tree;
}

// Every byte is printable ASCII or part of valid UTF-8, and there is no line break: one
// event is exactly one line of a log.
void expectOneCleanLine(const std::string& json) {
    for (std::size_t i = 0; i < json.size();) {
        const auto length = utf8SequenceLength(json, i);
        ASSERT_GT(length, 0u) << "invalid UTF-8 at byte " << i << ": " << json;
        if (length == 1) {
            const auto byte = static_cast<unsigned char>(json[i]);
            ASSERT_TRUE(byte >= 0x20 && byte != 0x7f) << "raw control byte " << int(byte);
        }
        i += length;
    }
}

Finding wormFinding() {
    Finding finding;
    finding.id = 4;
    finding.revision = 2;
    finding.ruleId = std::string(rules::kFanoutScan);
    finding.severity = Severity::High;
    finding.subject = "port 135";
    finding.process = {4242, 777};
    finding.processName = "spoolsv";
    finding.exePath = "/tmp/x/spoolsv";
    finding.summary = "spoolsv (PID 4242) tried to connect to 30 different hosts on port 135";
    finding.action = "Isolate the machine.";
    finding.details = {"30 hosts in 10 s."};
    finding.firstSeenUnixMs = kTime - 5000;
    finding.lastSeenUnixMs = kTime;
    EvidenceSocket socket;
    socket.protocol = Protocol::Tcp;
    socket.state = SocketState::SynSent;
    socket.local = {IpAddress::v4(10, 0, 0, 5), 50000};
    socket.remote = {IpAddress::v4(10, 0, 0, 9), 135};
    finding.sockets.push_back(socket);
    finding.socketsTotal = 30;
    return finding;
}

ProcessRow ownerRow() {
    ProcessRow row;
    row.process.key = {4242, 777};
    row.process.name = "spoolsv";
    row.process.exePath = "/tmp/x/spoolsv";
    row.process.commandLine = "spoolsv -q";
    row.process.userName = "alice";
    row.process.uid = 1000;
    row.process.parentPid = 1;
    row.process.startedAtUnixMs = kTime - 60'000;
    return row;
}

} // namespace

TEST(EcsFindingEvent, IsAnAlertWithRuleProcessUserAndEndpoints) {
    const ProcessRow owner = ownerRow();
    const EcsEvent event =
        ecsFindingEvent(wormFinding(), FindingChange::Raised, &owner, kTime, {"desk-17"});
    EXPECT_EQ(event.eventClass, EventClass::Finding);
    EXPECT_EQ(event.syslogSeverity, 3);
    EXPECT_EQ(event.ruleId, "fanout-scan");
    const ptree tree = parsed(event);
    EXPECT_EQ(tree.get<std::string>("@timestamp"), "2023-11-14T22:13:20.123Z");
    EXPECT_EQ(tree.get<std::string>("ecs.version"), kEcsVersion);
    EXPECT_EQ(tree.get<std::string>("event.kind"), "alert");
    EXPECT_EQ(tree.get_child("event.category").front().second.data(), "network");
    EXPECT_EQ(tree.get<std::string>("event.action"), "finding-raised");
    EXPECT_EQ(tree.get<std::string>("rule.id"), "fanout-scan");
    EXPECT_EQ(tree.get<std::string>("rule.name"), "Outbound fan-out scan");
    EXPECT_EQ(tree.get<std::string>("message"), wormFinding().summary);
    EXPECT_EQ(tree.get<int>("process.pid"), 4242);
    EXPECT_EQ(tree.get<std::string>("process.name"), "spoolsv");
    EXPECT_EQ(tree.get<std::string>("process.executable"), "/tmp/x/spoolsv");
    EXPECT_EQ(tree.get<std::string>("process.command_line"), "spoolsv -q");
    EXPECT_EQ(tree.get<std::string>("process.start"), "2023-11-14T22:12:20.123Z");
    EXPECT_EQ(tree.get<int>("process.parent.pid"), 1);
    EXPECT_EQ(tree.get<std::string>("user.name"), "alice");
    EXPECT_EQ(tree.get<std::string>("user.id"), "1000");
    EXPECT_EQ(tree.get<std::string>("source.ip"), "10.0.0.5");
    EXPECT_EQ(tree.get<int>("source.port"), 50000);
    EXPECT_EQ(tree.get<std::string>("destination.ip"), "10.0.0.9");
    EXPECT_EQ(tree.get<int>("destination.port"), 135);
    EXPECT_EQ(tree.get<std::string>("network.transport"), "tcp");
    EXPECT_EQ(tree.get<std::string>("host.name"), "desk-17");
    EXPECT_EQ(tree.get<int>("portscope.sockets_total"), 30);
    EXPECT_EQ(tree.get<std::string>("portscope.severity"), "high");
    EXPECT_EQ(tree.get<std::string>("event.id"), "4.2");
}

TEST(EcsFindingEvent, AMasqueradeIsAProcessAlertAndAClearedOneIsInformational) {
    Finding finding = wormFinding();
    finding.ruleId = std::string(rules::kMasquerade);
    finding.sockets.clear();
    const EcsEvent event = ecsFindingEvent(finding, FindingChange::Cleared, nullptr, kTime, {});
    EXPECT_EQ(event.syslogSeverity, 6);
    const ptree tree = parsed(event);
    EXPECT_EQ(tree.get_child("event.category").front().second.data(), "process");
    EXPECT_EQ(tree.get<std::string>("event.action"), "finding-cleared");
    EXPECT_EQ(tree.get<std::string>("event.end"), "2023-11-14T22:13:20.123Z");
    EXPECT_EQ(tree.get<int>("process.pid"), 4242);
    // Without an owner row nothing is invented, and without sockets no endpoint appears.
    EXPECT_FALSE(tree.get_child_optional("process.command_line"));
    EXPECT_FALSE(tree.get_child_optional("source"));
    EXPECT_FALSE(tree.get_child_optional("host"));
}

TEST(EcsFindingEvent, AHostFindingHasNoProcess) {
    Finding finding = wormFinding();
    finding.process = {};
    const ptree tree = parsed(ecsFindingEvent(finding, FindingChange::Raised, nullptr, kTime, {}));
    EXPECT_FALSE(tree.get_child_optional("process"));
}

TEST(EcsConnectionEvent, AnOpenedConnectionIsAnEventWithSourceAndDestination) {
    Connection connection;
    connection.id = 9;
    connection.socket.protocol = Protocol::Tcp;
    connection.socket.state = SocketState::Established;
    connection.socket.local = {IpAddress::v4(192, 0, 2, 1), 40000};
    connection.socket.remote = {IpAddress::v4(198, 51, 100, 7), 443};
    connection.socket.owner = {4242, 777};
    const ProcessRow owner = ownerRow();
    const EcsEvent event = ecsConnectionEvent(connection, RowChange::Added, &owner, kTime, {"srv"});
    EXPECT_EQ(event.eventClass, EventClass::Connection);
    const ptree tree = parsed(event);
    EXPECT_EQ(tree.get<std::string>("event.kind"), "event");
    EXPECT_EQ(tree.get<std::string>("event.action"), "connection-opened");
    auto types = tree.get_child("event.type").begin();
    EXPECT_EQ((types++)->second.data(), "connection");
    EXPECT_EQ(types->second.data(), "start");
    EXPECT_EQ(tree.get<std::string>("source.ip"), "192.0.2.1");
    EXPECT_EQ(tree.get<int>("destination.port"), 443);
    EXPECT_EQ(tree.get<int>("process.pid"), 4242);
    EXPECT_EQ(tree.get<std::string>("process.name"), "spoolsv");
    EXPECT_EQ(tree.get<std::string>("network.type"), "ipv4");
    EXPECT_EQ(tree.get<std::string>("message"),
              "TCP 192.0.2.1:40000 -> 198.51.100.7:443 ESTABLISHED pid 4242 (spoolsv)");
}

TEST(EcsConnectionEvent, AClosedListenerHasNoDestination) {
    Connection connection;
    connection.socket.protocol = Protocol::Udp;
    connection.socket.state = SocketState::Bound;
    connection.socket.local = {IpAddress::anyOf(Family::V6), 5353};
    connection.socket.remote = {IpAddress::anyOf(Family::V6), 0};
    const ptree tree =
        parsed(ecsConnectionEvent(connection, RowChange::Closed, nullptr, kTime, {}));
    EXPECT_EQ(tree.get<std::string>("event.action"), "listener-closed");
    EXPECT_FALSE(tree.get_child_optional("destination"));
    EXPECT_FALSE(tree.get_child_optional("process"));
    EXPECT_EQ(tree.get<std::string>("network.transport"), "udp");
}

TEST(EcsEncoding, HostileNamesCommandLinesAndHostNamesStayOneValidJsonLine) {
    const std::string hostile = std::string("evil\"\\\n\r\t\x01\x1b[31m\x7f") +
                                "\xc3\x28"     // a cut two-byte sequence
                                "\xed\xa0\x80" // a UTF-16 surrogate
                                "\xf8\x88\x80\x80\x80" +
                                "\xe2\x80\xae" + // bidi override
                                "\xc2\x85" + "end\xff";
    Finding finding = wormFinding();
    finding.processName = hostile;
    finding.exePath = hostile;
    finding.summary = hostile;
    finding.subject = hostile;
    finding.details = {hostile};
    ProcessRow owner = ownerRow();
    owner.process.commandLine = hostile;
    owner.process.userName = hostile;
    const EcsHost host{hostile};
    for (const EcsEvent& event :
         {ecsFindingEvent(finding, FindingChange::Raised, &owner, kTime, host),
          ecsWarningEvent(hostile, kTime, host), ecsDroppedEvent(3, kTime, host)}) {
        expectOneCleanLine(event.json);
        ptree tree;
        ASSERT_NO_THROW(tree = parsed(event)) << event.json;
        EXPECT_EQ(tree.get<std::string>("host.name").substr(0, 5), "evil\"");
    }
    const ptree tree = parsed(ecsFindingEvent(finding, FindingChange::Raised, &owner, kTime, host));
    const std::string name = tree.get<std::string>("process.name");
    EXPECT_EQ(name.substr(0, 10), "evil\"\\\n\r\t\x01");
    EXPECT_NE(name.find("\xef\xbf\xbd"), std::string::npos) << "invalid bytes become U+FFFD";
    EXPECT_EQ(name.substr(name.size() - 6), "end\xef\xbf\xbd");
}

TEST(EcsDroppedEvent, CountsTheDroppedEvents) {
    const EcsEvent event = ecsDroppedEvent(1234, kTime, {"h"});
    EXPECT_EQ(event.eventClass, EventClass::Dropped);
    const ptree tree = parsed(event);
    EXPECT_EQ(tree.get<std::string>("event.action"), "events-dropped");
    EXPECT_EQ(tree.get<int>("portscope.dropped_events"), 1234);
    EXPECT_EQ(tree.get<std::string>("message").substr(0, 20), "1234 events dropped:");
    EXPECT_EQ(event.message, tree.get<std::string>("message"));
}

TEST(EcsHeartbeatEvent, SaysTheAgentIsAliveWithItsDeliveryCounts) {
    const EcsEvent event = ecsHeartbeatEvent({120, 3, 2, 7}, kTime, {"srv"});
    EXPECT_EQ(event.eventClass, EventClass::Heartbeat);
    EXPECT_EQ(toString(event.eventClass), "heartbeat");
    const ptree tree = parsed(event);
    EXPECT_EQ(tree.get<std::string>("event.kind"), "state");
    EXPECT_EQ(tree.get<std::string>("event.action"), "agent-heartbeat");
    EXPECT_EQ(tree.get<std::string>("host.name"), "srv");
    EXPECT_EQ(tree.get<int>("portscope.sent_events"), 120);
    EXPECT_EQ(tree.get<int>("portscope.dropped_events_total"), 3);
    EXPECT_EQ(tree.get<int>("portscope.reconnects"), 2);
    EXPECT_EQ(tree.get<int>("portscope.queued_events"), 7);
    EXPECT_EQ(tree.get<std::string>("message"),
              "PortScope agent running: 120 events sent, 3 dropped, 7 queued");
}
