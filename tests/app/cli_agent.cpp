// Agent mode through portscope-cli: watch --format ecs on stdout, the checks of --output and
// agent.conf, and the frames the sender writes to a real TCP peer and a journal-like socket.

#include "cli_test_support.h"
#include "log_sender.h"
#include "loopback.h"
#include "output.h"

#include <algorithm>
#include <future>
#include <gtest/gtest.h>
#include <optional>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

using namespace portscope;
using namespace portscope::testing;
using namespace std::chrono_literals;
namespace pt = boost::property_tree;

namespace {

// Everything the peer sends until it closes, or 20 s.
std::string readUntilClosed(int fd) {
    std::string bytes;
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline) {
        pollfd ready{fd, POLLIN, 0};
        if (poll(&ready, 1, 200) != 1) {
            continue;
        }
        char buffer[4096];
        const auto got = ::read(fd, buffer, sizeof buffer);
        if (got <= 0) {
            break;
        }
        bytes.append(buffer, static_cast<std::size_t>(got));
    }
    return bytes;
}

// Splits RFC 6587 octet-counted frames; a frame whose length is wrong is a test failure.
std::vector<std::string> octetFrames(std::string_view bytes) {
    std::vector<std::string> frames;
    while (!bytes.empty()) {
        const auto space = bytes.find(' ');
        if (space == std::string_view::npos) {
            ADD_FAILURE() << "no length before: " << bytes.substr(0, 40);
            break;
        }
        const auto length = std::stoul(std::string(bytes.substr(0, space)));
        if (bytes.size() < space + 1 + length) {
            ADD_FAILURE() << "a frame of " << length << " bytes is cut short";
            break;
        }
        frames.emplace_back(bytes.substr(space + 1, length));
        bytes.remove_prefix(space + 1 + length);
    }
    return frames;
}

} // namespace

TEST(CliEcs, WatchWritesOneEcsObjectPerLine) {
    const auto run = runCli({"watch", "--format", "ecs", "--count", "2", "--interval", "0.25"});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const auto events = parseNdjson(run.out);
    ASSERT_FALSE(events.empty()) << "a live system has sockets, so the first update has events";
    for (const auto& event : events) {
        EXPECT_EQ(event.get<std::string>("ecs.version"), core::kEcsVersion);
        EXPECT_FALSE(event.get<std::string>("@timestamp").empty());
        const auto kind = event.get<std::string>("event.kind");
        EXPECT_TRUE(kind == "event" || kind == "alert") << kind;
        EXPECT_FALSE(event.get<std::string>("event.action").empty());
    }
}

TEST(CliEcs, BadOutputsAndEventClassesAreUsageErrors) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"watch", "--format", "ecs", "--output", "syslog://h:0"}, "1 to 65535"},
        {{"watch", "--format", "ecs", "--output", "tcp://h:514"}, "unknown output scheme"},
        {{"watch", "--format", "ecs", "--events", "most"}, "--events expects findings or all"},
        {{"watch", "--format", "ecs", "--queue", "0"}, "--queue must be from 1"},
        {{"watch", "--format", "ecs", "--facility", "local8"}, "--facility expects"},
        {{"watch", "--output", "journal"}, "go with --format ecs"},
        {{"watch", "--format", "xml"}, "--format must be one of ndjson, ecs"},
    };
    for (const auto& [args, message] : cases) {
        const auto run = runCli(args);
        EXPECT_EQ(run.exitCode, 2) << args.back();
        EXPECT_NE(run.err.find(message), std::string::npos) << run.err;
    }
}

TEST(CliAgent, ABadConfigStopsTheAgentNamingTheLine) {
    const TempDir directory;
    const auto path = directory.write("agent.conf", "output = journal\nevents = most\n");
    auto run = runCli({"agent", "--agent-config", path});
    EXPECT_EQ(run.exitCode, 2);
    EXPECT_NE(run.err.find(path + ":2: events must be findings or all, not 'most'"),
              std::string::npos)
        << run.err;
    run = runCli({"agent", "--agent-config", directory.file("missing.conf")});
    EXPECT_EQ(run.exitCode, 1);
    EXPECT_NE(run.err.find("cannot read the agent config"), std::string::npos) << run.err;
}

TEST(CliAgent, SendsOctetCountedRfc5424FramesOverTcp) {
    const Fd listener = tcpListener("127.0.0.1");
    const auto port = localEndpoint(listener.get()).port;
    const TempDir directory;
    const auto path =
        directory.write("agent.conf", "output = syslog+tcp://127.0.0.1:" + std::to_string(port) +
                                          "\nevents = all\ninterval = 0.25\n"
                                          "facility = local0\n");
    auto agent = std::async(std::launch::async, [&] {
        return runCli({"agent", "--agent-config", path, "--count", "2"});
    });
    const Fd peer = acceptOne(listener.get());
    const auto frames = octetFrames(readUntilClosed(peer.get()));
    const auto run = agent.get();
    ASSERT_EQ(run.exitCode, 0) << run.err;
    ASSERT_FALSE(frames.empty());
    const std::string pid = std::to_string(getpid());
    for (const auto& frame : frames) {
        // <PRI>1 TIMESTAMP HOST portscope PID MSGID - JSON; local0 is facility 16.
        std::istringstream fields(frame);
        std::string priority, timestamp, host, app, procid, msgid, structured;
        fields >> priority >> timestamp >> host >> app >> procid >> msgid >> structured;
        const int pri = std::stoi(priority.substr(1, priority.find('>') - 1));
        EXPECT_EQ(pri / 8, 16) << frame;
        EXPECT_EQ(priority.substr(priority.find('>')), ">1");
        EXPECT_EQ(timestamp.back(), 'Z');
        EXPECT_EQ(app, "portscope");
        EXPECT_EQ(procid, pid);
        EXPECT_TRUE(msgid == "connection" || msgid == "warning" || msgid == "finding") << msgid;
        EXPECT_EQ(structured, "-");
        std::string json;
        std::getline(fields >> std::ws, json);
        EXPECT_NO_THROW(parseJson(json)) << json;
    }
}

TEST(LogSender, WritesNativeJournalDatagrams) {
    const TempDir directory;
    const std::string socketPath = directory.file("journal.socket");
    const int journal = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(journal, 0);
    const Fd owned(journal);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    socketPath.copy(address.sun_path, sizeof address.sun_path - 1);
    ASSERT_EQ(bind(journal, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);

    core::EcsEvent event = core::ecsWarningEvent("line one\nline two", 1'700'000'000'000, {"h"});
    {
        cli::LogSenderOptions options;
        options.target.kind = core::LogTarget::Kind::Journal;
        options.journalSocket = socketPath;
        cli::LogSender sender(options);
        sender.send(event);
        EXPECT_TRUE(sender.drain(10s));
        EXPECT_EQ(sender.stats().sent, 1u);
    }
    pollfd ready{journal, POLLIN, 0};
    ASSERT_EQ(poll(&ready, 1, 5000), 1);
    std::string datagram(64 * 1024, '\0');
    const auto got = recv(journal, datagram.data(), datagram.size(), 0);
    ASSERT_GT(got, 0);
    datagram.resize(static_cast<std::size_t>(got));
    EXPECT_EQ(datagram, core::journalDatagram(event, "portscope"));
}

TEST(LogSender, NeverBlocksTheCallerWhileTheReceiverIsAway) {
    // Nobody listens on this port: every connect is refused, events pile up and overflow.
    const auto port = [] {
        const Fd probe = tcpListener("127.0.0.1");
        return localEndpoint(probe.get()).port;
    }();
    cli::LogSenderOptions options;
    options.target = {core::LogTarget::Kind::SyslogTcp, "127.0.0.1", port};
    options.queueLimit = 100;
    cli::LogSender sender(options);
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 10'000; ++i) {
        sender.send(core::ecsDroppedEvent(1, 1'700'000'000'000, {}));
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
    const auto stats = sender.stats();
    EXPECT_EQ(stats.sent, 0u);
    EXPECT_EQ(stats.queued, 100u);
    EXPECT_EQ(stats.dropped, 9'900u);
    EXPECT_FALSE(sender.drain(100ms));
}

TEST(LogSender, DeliversABurstCompleteAndInOrderOverTcp) {
    const Fd listener = tcpListener("127.0.0.1");
    cli::LogSenderOptions options;
    options.target = {core::LogTarget::Kind::SyslogTcp, "127.0.0.1",
                      localEndpoint(listener.get()).port};
    options.header.hostName = "h";
    constexpr int kEvents = 5000;
    std::optional<cli::LogSender> sender(std::in_place, options);
    for (int i = 0; i < kEvents; ++i) {
        sender->send(core::ecsDroppedEvent(static_cast<std::uint64_t>(i), 1, {}));
    }
    const Fd peer = acceptOne(listener.get());
    auto reading = std::async(std::launch::async, [&] { return readUntilClosed(peer.get()); });
    EXPECT_TRUE(sender->drain(20s));
    EXPECT_EQ(sender->stats().sent, static_cast<std::uint64_t>(kEvents));
    EXPECT_EQ(sender->stats().dropped, 0u);
    sender.reset(); // closes the connection, which ends the read
    const std::string received = reading.get();
    const auto frames = octetFrames(received);
    ASSERT_EQ(frames.size(), static_cast<std::size_t>(kEvents));
    for (int i = 0; i < kEvents; ++i) {
        const auto json = frames[static_cast<std::size_t>(i)].substr(
            frames[static_cast<std::size_t>(i)].find('{'));
        EXPECT_EQ(parseJson(json).get<int>("portscope.dropped_events"), i);
    }
}

TEST(LogSender, AnEventTooLargeForADatagramIsDroppedAndCountedNotRetriedForever) {
    const Fd receiver = udpSocket("127.0.0.1");
    cli::LogSenderOptions options;
    options.target = {core::LogTarget::Kind::SyslogUdp, "127.0.0.1",
                      localEndpoint(receiver.get()).port};
    cli::LogSender sender(options);
    sender.send(core::ecsWarningEvent(std::string(70'000, 'x'), 1, {})); // over 65,507 bytes
    sender.send(core::ecsWarningEvent("small", 1, {}));
    EXPECT_TRUE(sender.drain(10s));
    EXPECT_EQ(sender.stats().dropped, 1u);

    auto nextMessage = [&] {
        pollfd ready{receiver.get(), POLLIN, 0};
        if (poll(&ready, 1, 5000) != 1) {
            return pt::ptree();
        }
        std::string datagram(70'000, '\0');
        const auto got = recv(receiver.get(), datagram.data(), datagram.size(), 0);
        datagram.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
        return parseJson(datagram.substr(datagram.find('{')));
    };
    const auto notice = nextMessage();
    EXPECT_EQ(notice.get("event.action", ""), "events-dropped");
    EXPECT_EQ(notice.get("portscope.dropped_events", 0), 1);
    EXPECT_EQ(nextMessage().get("message", ""), "small");
}

TEST(EcsWriter, SaysAWarningAtMostHourlyWhateverItCountsAndOnlyWhatTheFilterSelects) {
    cli::ConnectionFilter filter;
    filter.ports.push_back(443);
    filter.buildQuery();
    cli::EcsWriter writer(filter, core::EcsHost{"h"}, true);

    core::Update update;
    update.unixMs = 1'700'000'000'000;
    update.warnings = {portscope::core::verbatimText("owners hidden")};
    update.closeEventsLost = true;
    for (const std::uint16_t port : {443, 80}) {
        core::Connection connection;
        connection.id = port;
        connection.socket.state = core::SocketState::Established;
        connection.socket.local = {core::IpAddress::v4(10, 0, 0, 1), 50000};
        connection.socket.remote = {core::IpAddress::v4(10, 0, 0, 2), port};
        update.connections.push_back(connection);
    }
    std::sort(update.connections.begin(), update.connections.end(),
              [](const auto& a, const auto& b) { return a.id < b.id; });
    update.added = {80, 443};
    core::Finding finding;
    finding.id = 1;
    finding.ruleId = "fanout-scan";
    finding.sockets.push_back({});
    finding.sockets.back().remote.port = 445; // not selected by --port 443
    update.findings.push_back(finding);
    update.findingsRaised = {1};

    auto actions = [](const std::vector<core::EcsEvent>& events) {
        std::vector<std::string> list;
        for (const auto& event : events) {
            list.push_back(parseJson(event.json).get<std::string>("event.action") + " " +
                           parseJson(event.json).get<std::string>("message").substr(0, 13));
        }
        return list;
    };
    EXPECT_EQ(actions(writer.eventsOf(update)),
              (std::vector<std::string>{"monitoring-limited owners hidden",
                                        "monitoring-limited The kernel dr",
                                        "connection-opened TCP 10.0.0.1:"}));
    // The same warning is not said again, even with other numbers in it, until an hour has
    // passed; the loss of close events is said each time.
    update.added.clear();
    update.findingsRaised.clear();
    update.warnings = {portscope::core::verbatimText("owners hidden"),
                       portscope::core::verbatimText("Owners of 2 sockets are hidden")};
    EXPECT_EQ(actions(writer.eventsOf(update)),
              (std::vector<std::string>{"monitoring-limited Owners of 2 s",
                                        "monitoring-limited The kernel dr"}));
    update.closeEventsLost = false;
    update.warnings = {portscope::core::verbatimText("owners hidden"),
                       portscope::core::verbatimText("Owners of 13 sockets are hidden")};
    update.unixMs += 3'599'999;
    EXPECT_TRUE(writer.eventsOf(update).empty());
    update.unixMs += 1;
    EXPECT_EQ(actions(writer.eventsOf(update)),
              (std::vector<std::string>{"monitoring-limited owners hidden",
                                        "monitoring-limited Owners of 13 "}));
}
