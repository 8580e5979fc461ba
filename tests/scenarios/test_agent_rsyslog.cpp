// Agent mode against a real receiver: rsyslogd (Debian's rsyslog) on the loopback of the
// test's own network namespace, with its own config and work directory, receiving over TCP
// (octet-counted) and UDP and writing every message to a file. The worm scenario must arrive
// there as ECS alerts naming the right process, and a receiver that restarts must get what
// was queued meanwhile, with any overflow counted.

#include "findings_scenario.h"
#include "portscope/core/ecs.h"
#include "portscope/core/findings_engine.h"

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <gtest/gtest.h>
#include <optional>
#include <set>
#include <sstream>

using namespace portscope;
using namespace portscope::testing;
using namespace std::chrono_literals;
using boost::property_tree::ptree;

namespace {

constexpr const char* kRsyslogd = "/usr/sbin/rsyslogd";
constexpr const char* kPerl = "/usr/bin/perl";

// One message as rsyslog wrote it: "APP-NAME PROCID MSGID MSG", the MSG parsed as JSON.
struct Received {
    std::string appName;
    std::string processId;
    std::string messageId;
    ptree ecs;
};

std::uint16_t freeLoopbackPort() {
    Fd probe = listenInNamespace("127.0.0.1", 0);
    return localEndpoint(probe.get()).port;
}

bool acceptsConnections(std::uint16_t port) {
    Fd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    const auto in = socketAddress("127.0.0.1", port);
    return fd && connect(fd.get(), reinterpret_cast<const sockaddr*>(&in), sizeof in) == 0;
}

// rsyslogd in the foreground with a config of its own: imtcp and imudp on one loopback port,
// no /dev/log, and every message appended to a file in the test's directory.
class Rsyslog {
public:
    Rsyslog(const ScratchDirectory& directory, std::uint16_t port)
        : directory_(directory), port_(port), config_(directory.file("rsyslog.conf")),
          output_(directory.file("received.log")) {
        std::ofstream(config_) << "global(workDirectory=\"" << directory.file("") << "\" "
                               << "maxMessageSize=\"64k\")\n"
                               << "module(load=\"imtcp\")\n"
                               << "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" << port
                               << "\")\n"
                               << "module(load=\"imudp\")\n"
                               << "input(type=\"imudp\" address=\"127.0.0.1\" port=\"" << port
                               << "\")\n"
                               << "template(name=\"fields\" type=\"string\" "
                               << "string=\"%app-name% %procid% %msgid% %msg%\\n\")\n"
                               << "*.* action(type=\"omfile\" file=\"" << output_
                               << "\" template=\"fields\")\n";
        start();
    }
    ~Rsyslog() { stop(); }
    Rsyslog(const Rsyslog&) = delete;
    Rsyslog& operator=(const Rsyslog&) = delete;

    void start() {
        ASSERT_TRUE(std::filesystem::exists(kRsyslogd))
            << kRsyslogd << " is missing: install rsyslog (listed in .ci/common.sh)";
        const std::string pidFile =
            directory_.file("rsyslogd-" + std::to_string(++starts_) + ".pid");
        pid_ = startChild({kRsyslogd, "-n", "-f", config_, "-i", pidFile});
        const auto deadline = std::chrono::steady_clock::now() + 15s;
        while (!acceptsConnections(port_)) {
            ASSERT_TRUE(isAlive(pid_)) << "rsyslogd exited; check " << config_;
            ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "rsyslogd never listened";
            std::this_thread::sleep_for(50ms);
        }
    }

    // SIGTERM, so that rsyslogd writes out what it received and closes its connections as
    // on a real restart; SIGKILL if it takes longer than 10 s.
    void stop() {
        if (pid_ <= 0) {
            return;
        }
        ::kill(pid_, SIGTERM);
        if (!waitChildExit(pid_, 10s)) {
            killChild(pid_);
        }
        pid_ = -1;
    }

    // Every message received so far; a line that is not one is a test failure.
    std::vector<Received> received() const {
        std::vector<Received> messages;
        std::ifstream file(output_);
        std::string line;
        while (std::getline(file, line)) {
            Received message;
            std::istringstream fields(line);
            fields >> message.appName >> message.processId >> message.messageId;
            std::string json;
            std::getline(fields >> std::ws, json);
            std::istringstream stream(json);
            try {
                boost::property_tree::read_json(stream, message.ecs);
            } catch (const std::exception& error) {
                ADD_FAILURE() << "not valid JSON: " << json << " (" << error.what() << ")";
                continue;
            }
            messages.push_back(std::move(message));
        }
        return messages;
    }

    // Waits (at most `timeout`) until `done` accepts what was received; returns the last look.
    std::vector<Received> waitFor(const std::function<bool(const std::vector<Received>&)>& done,
                                  std::chrono::milliseconds timeout = 30s) const {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        auto messages = received();
        while (!done(messages) && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(100ms);
            messages = received();
        }
        return messages;
    }

private:
    const ScratchDirectory& directory_;
    std::uint16_t port_;
    std::string config_;
    std::string output_;
    int starts_ = 0;
    pid_t pid_ = -1;
};

const Received* alertOf(const std::vector<Received>& messages, std::string_view rule, pid_t pid) {
    for (const auto& message : messages) {
        if (message.ecs.get("rule.id", "") == rule && message.ecs.get("process.pid", 0) == pid &&
            message.ecs.get("event.action", "") == "finding-raised") {
            return &message;
        }
    }
    return nullptr;
}

// The local ports of the listener-opened events received.
std::set<std::uint16_t> listenersOpened(const std::vector<Received>& messages) {
    std::set<std::uint16_t> ports;
    for (const auto& message : messages) {
        if (message.ecs.get("event.action", "") == "listener-opened") {
            ports.insert(message.ecs.get<std::uint16_t>("source.port", 0));
        }
    }
    return ports;
}

std::uint64_t droppedCounted(const std::vector<Received>& messages) {
    std::uint64_t dropped = 0;
    for (const auto& message : messages) {
        if (message.ecs.get("event.action", "") == "events-dropped") {
            dropped += message.ecs.get<std::uint64_t>("portscope.dropped_events", 0);
        }
    }
    return dropped;
}

// The queue tests count events: only the listeners the test opens may reach the queue. Any
// other socket of the test process (rsyslogd's readiness probe) is left out by --state, and
// no rule runs, so no finding can take a place in it either.
std::vector<std::string> onlyOurListeners(const ScratchDirectory& directory) {
    const std::string config = directory.file("no-findings.conf");
    std::ofstream file(config);
    for (const auto rule : core::findingRuleIds()) {
        file << "[" << rule << "]\nenabled = false\n";
    }
    return {"--pid", std::to_string(getpid()), "--state", "LISTEN", "--config", config};
}

std::vector<std::string> agentArguments(const std::string& output,
                                        const std::vector<std::string>& more) {
    std::vector<std::string> argv = {PORTSCOPE_CLI_PATH, "watch", "--format", "ecs",
                                     "--interval",       "0.25",  "--output", output};
    argv.insert(argv.end(), more.begin(), more.end());
    return argv;
}

// Opens a listener on the test's loopback and waits long enough for the agent (polling every
// 0.25 s) to report it in an update of its own, so that the events keep their order.
std::uint16_t openListener(std::vector<Fd>& listeners) {
    listeners.push_back(listenInNamespace("127.0.0.1", 0));
    std::this_thread::sleep_for(600ms);
    return localEndpoint(listeners.back().get()).port;
}

} // namespace

TEST(AgentRsyslog, WormFanoutAndMasqueradeArriveOverTcpAsEcsAlertsWithThePid) {
    ASSERT_TRUE(std::filesystem::exists(kPerl)) << "needs " << kPerl;
    ENTER_PRIVATE_NETWORK(network, true);
    // Nobody answers on port 135, so every connect waits in SYN_SENT, as on a real LAN.
    network->dropOnOutput("tcp dport 135 tcp flags & (syn | ack) == syn");
    const ScratchDirectory directory;
    const std::uint16_t port = freeLoopbackPort();
    Rsyslog rsyslog(directory, port);
    Child agent(
        agentArguments("syslog+tcp://127.0.0.1:" + std::to_string(port), {"--events", "findings"}));

    // A program named like the SSH daemon, run from a temporary directory, trying 30 hosts on
    // the RPC endpoint mapper port without waiting for answers: a worm spreading.
    const std::string worm = directory.file("sshd");
    std::filesystem::copy_file(kPerl, worm);
    std::filesystem::permissions(worm, std::filesystem::perms::owner_all);
    Child spreading({worm, "-e",
                     "use Socket; use Fcntl; my @s; for my $i (2..31) { socket(my $s, PF_INET, "
                     "SOCK_STREAM, 0) or die; fcntl($s, F_SETFL, fcntl($s, F_GETFL, 0) | "
                     "O_NONBLOCK); connect($s, pack_sockaddr_in(135, inet_aton(\"127.0.0.$i\"))); "
                     "push @s, $s; } sleep 300;"});

    const auto messages = rsyslog.waitFor([&](const std::vector<Received>& received) {
        return alertOf(received, "fanout-scan", spreading.pid()) &&
               alertOf(received, "masquerade", spreading.pid());
    });
    const Received* fanout = alertOf(messages, "fanout-scan", spreading.pid());
    const Received* masquerade = alertOf(messages, "masquerade", spreading.pid());
    ASSERT_NE(fanout, nullptr) << "no fanout-scan alert for PID " << spreading.pid() << " in "
                               << messages.size() << " messages";
    ASSERT_NE(masquerade, nullptr) << "no masquerade alert for PID " << spreading.pid();
    for (const Received* alert : {fanout, masquerade}) {
        EXPECT_EQ(alert->appName, "portscope");
        EXPECT_EQ(alert->processId, std::to_string(agent.pid()));
        EXPECT_EQ(alert->messageId, "finding");
        EXPECT_EQ(alert->ecs.get<std::string>("event.kind"), "alert");
        EXPECT_EQ(alert->ecs.get<std::string>("ecs.version"), core::kEcsVersion);
        EXPECT_EQ(alert->ecs.get<std::string>("process.name"), "sshd");
        EXPECT_EQ(alert->ecs.get<std::string>("process.executable"), worm);
        EXPECT_FALSE(alert->ecs.get<std::string>("process.start").empty());
        EXPECT_FALSE(alert->ecs.get<std::string>("message").empty());
        EXPECT_FALSE(alert->ecs.get<std::string>("@timestamp").empty());
        EXPECT_FALSE(alert->ecs.get<std::string>("host.name").empty());
        EXPECT_EQ(alert->ecs.get<std::string>("user.name"), "root");
    }
    EXPECT_EQ(fanout->ecs.get<std::string>("rule.name"), "Outbound fan-out scan");
    EXPECT_EQ(fanout->ecs.get<int>("destination.port"), 135);
    EXPECT_EQ(fanout->ecs.get<std::string>("network.transport"), "tcp");
    EXPECT_EQ(fanout->ecs.get<std::string>("portscope.severity"), "high");
}

TEST(AgentRsyslog, EventsQueuedWhileTheReceiverRestartsArriveAfterIt) {
    ENTER_PRIVATE_NETWORK(network, false);
    const ScratchDirectory directory;
    const std::uint16_t port = freeLoopbackPort();
    Rsyslog rsyslog(directory, port);
    auto arguments = onlyOurListeners(directory);
    arguments.insert(arguments.begin(), {"--events", "all"});
    Child agent(agentArguments("syslog+tcp://127.0.0.1:" + std::to_string(port), arguments));
    std::vector<Fd> listeners;
    const std::uint16_t before = openListener(listeners);
    ASSERT_TRUE(listenersOpened(rsyslog.waitFor([&](const auto& received) {
                    return listenersOpened(received).contains(before);
                })).contains(before))
        << "the agent delivers nothing while the receiver is up";

    rsyslog.stop();
    std::set<std::uint16_t> whileAway;
    for (int i = 0; i < 5; ++i) {
        whileAway.insert(openListener(listeners));
    }
    rsyslog.start();
    const auto messages = rsyslog.waitFor([&](const auto& received) {
        const auto opened = listenersOpened(received);
        return std::includes(opened.begin(), opened.end(), whileAway.begin(), whileAway.end());
    });
    const auto opened = listenersOpened(messages);
    for (const auto listenerPort : whileAway) {
        EXPECT_TRUE(opened.contains(listenerPort)) << "the listener on port " << listenerPort
                                                   << ", opened while rsyslogd was away, is lost";
    }
    EXPECT_EQ(droppedCounted(messages), 0u) << "nothing overflowed a queue of 10000";
}

TEST(AgentRsyslog, AnOverflowDropsTheOldestAndCountsThem) {
    ENTER_PRIVATE_NETWORK(network, false);
    const ScratchDirectory directory;
    const std::uint16_t port = freeLoopbackPort();
    Rsyslog rsyslog(directory, port);
    auto arguments = onlyOurListeners(directory);
    arguments.insert(arguments.begin(), {"--events", "all", "--queue", "3"});
    Child agent(agentArguments("syslog+tcp://127.0.0.1:" + std::to_string(port), arguments));
    std::vector<Fd> listeners;
    const std::uint16_t before = openListener(listeners);
    rsyslog.waitFor(
        [&](const auto& received) { return listenersOpened(received).contains(before); });

    rsyslog.stop();
    std::vector<std::uint16_t> whileAway;
    for (int i = 0; i < 8; ++i) {
        whileAway.push_back(openListener(listeners));
    }
    rsyslog.start();
    const auto messages = rsyslog.waitFor([&](const auto& received) {
        return droppedCounted(received) > 0 && listenersOpened(received).contains(whileAway.back());
    });
    std::string arrived;
    for (const auto& message : messages) {
        arrived +=
            "\n  " + message.ecs.get("event.action", "") + ": " + message.ecs.get("message", "");
    }
    // Eight listeners went into a queue of three. A warning may take a place too (a process
    // that is exiting, such as the stopped rsyslogd, hides its sockets' owner for a moment,
    // and each new count of hidden owners is said once), so the test checks the order and the
    // accounting rather than exact numbers.
    const auto opened = listenersOpened(messages);
    std::size_t firstKept = whileAway.size();
    for (std::size_t i = 0; i < whileAway.size(); ++i) {
        if (opened.contains(whileAway[i])) {
            firstKept = std::min(firstKept, i);
        } else {
            EXPECT_LT(i, firstKept) << "listener " << i << " was dropped after a newer one was "
                                    << "kept: the oldest must go first" << arrived;
        }
    }
    const std::size_t kept = whileAway.size() - firstKept;
    EXPECT_GE(kept, 1u) << "the newest listener was dropped" << arrived;
    EXPECT_LE(kept, 3u) << "more events arrived than the queue holds" << arrived;
    EXPECT_GE(droppedCounted(messages), whileAway.size() - kept)
        << "each dropped listener is counted" << arrived;
}

TEST(AgentRsyslog, EventsArriveOverUdp) {
    ENTER_PRIVATE_NETWORK(network, false);
    const ScratchDirectory directory;
    const std::uint16_t port = freeLoopbackPort();
    Rsyslog rsyslog(directory, port);
    Child agent(agentArguments("syslog://127.0.0.1:" + std::to_string(port),
                               {"--pid", std::to_string(getpid())}));
    std::vector<Fd> listeners;
    std::this_thread::sleep_for(500ms); // the agent's first update lists what is already open
    const std::uint16_t listener = openListener(listeners);
    const auto messages = rsyslog.waitFor(
        [&](const auto& received) { return listenersOpened(received).contains(listener); });
    ASSERT_TRUE(listenersOpened(messages).contains(listener));
    for (const auto& message : messages) {
        EXPECT_EQ(message.appName, "portscope");
        EXPECT_EQ(message.processId, std::to_string(agent.pid()));
    }
}
