// The eBPF sensor on the real kernel, as root: a connect refused between two polls names its
// process and start time, UDP traffic has byte counts and rates, a reused PID is never taken
// for the process that held it before, and where the sensor cannot load the source says so
// and polls. The poll-mode result of the same situations is asserted too, so that both modes
// stay honest about what they see.

#include "findings_scenario.h"
#include "linux/bpf_sensor.h"
#include "linux/owners.h"
#include "linux/socket_diag.h"
#include "portscope/core/findings.h"
#include "portscope/core/tracker.h"
#include "portscope/platform/helper_client.h"

#include <algorithm>
#include <fcntl.h>
#include <filesystem>
#include <gtest/gtest.h>
#include <iostream>
#include <linux/sched.h>
#include <map>
#include <poll.h>
#include <set>
#include <sstream>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <thread>

using namespace portscope;
using namespace portscope::testing;
using namespace std::chrono_literals;

namespace {

// Null (the test then skips with `whyNot`) only where the kernel truly cannot load the
// sensor: no root, or no BTF. Any other failure fails the test, naming the kernel's reason.
std::unique_ptr<core::SnapshotSource> bpfSourceOrReason(std::string* whyNot) {
    if (geteuid() != 0) {
        *whyNot = "needs root to load eBPF programs";
        return nullptr;
    }
    if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
        *whyNot = "the kernel has no BTF (/sys/kernel/btf/vmlinux)";
        return nullptr;
    }
    platform::LiveSourceOptions options;
    options.includeOtherNamespaces = false;
    options.sensor = platform::SensorChoice::Bpf;
    return platform::makeLiveSource(options); // throws with the reason when it cannot load
}

// The sensor alone, without a live source around it, for tests of its listings; after
// REQUIRE_BPF_SENSOR(), a null result is a failure, saying why.
std::unique_ptr<platform::linuxsys::BpfSensor> openSensorItself() {
    core::SystemText whyNot;
    auto sensor = platform::linuxsys::BpfSensor::open(&whyNot);
    EXPECT_TRUE(sensor) << whyNot.english();
    return sensor;
}

#define REQUIRE_BPF_SENSOR()                                                                       \
    do {                                                                                           \
        std::string bpfWhyNot;                                                                     \
        if (!bpfSourceOrReason(&bpfWhyNot)) {                                                      \
            GTEST_SKIP() << "the eBPF sensor " << bpfWhyNot;                                       \
        }                                                                                          \
    } while (false)

// Connects to `count` closed ports on 127.0.1.1, 127.0.1.2, ... without blocking and closes
// each socket when the RST arrives, as a worm does: only close events tell of them.
int refusedConnects(int count, std::uint16_t port) {
    int refused = 0;
    for (int i = 1; i <= count; ++i) {
        Fd attempt = connectInNamespace("127.0.1." + std::to_string(i), port, false);
        pollfd ready{attempt.get(), POLLOUT, 0};
        int error = 0;
        socklen_t length = sizeof error;
        if (poll(&ready, 1, 2000) == 1 &&
            getsockopt(attempt.get(), SOL_SOCKET, SO_ERROR, &error, &length) == 0 &&
            error == ECONNREFUSED) {
            ++refused;
        }
    }
    return refused;
}

bool isFanoutOnPort139(const core::Finding& finding) {
    return finding.ruleId == core::rules::kFanoutScan && has(finding.summary, "port 139");
}

} // namespace

TEST(BpfSensorScenario, FiftyRefusedConnectsNameTheProcessAndItsStartTime) {
    REQUIRE_BPF_SENSOR();
    ENTER_PRIVATE_NETWORK(network, false);
    WatchedEngine engine({}, core::Engine::kMinInterval, platform::SensorChoice::Bpf);
    engine.waitForUpdates(1);
    ASSERT_EQ(refusedConnects(50, 139), 50);
    const auto me = self();
    const auto found = engine.waitForFinding(
        [&](const core::Finding& finding) { return isFanoutOnPort139(finding); });
    ASSERT_TRUE(found) << "50 refused connects raised no fanout-scan finding on port 139";
    const auto& finding = found->first;
    EXPECT_EQ(finding.process, me)
        << "named PID " << finding.process.pid << " started at " << finding.process.startTime
        << "; this is PID " << me.pid << " started at " << me.startTime;
    EXPECT_TRUE(has(finding.summary, "(PID " + std::to_string(me.pid) + ") tried to connect to "))
        << finding.summary;
    for (const auto& socket : finding.sockets) {
        EXPECT_FALSE(socket.open);
        EXPECT_EQ(socket.remote.port, 139) << "the sensor keeps the port a refused connect lost";
    }
    const auto updates = engine.updates();
    ASSERT_FALSE(updates.empty());
    EXPECT_EQ(updates.back()->sensor, core::SensorMode::Bpf);
}

TEST(BpfSensorScenario, InPollModeTheSameConnectsNameOnlyAUid) {
    ENTER_PRIVATE_NETWORK(network, false);
    WatchedEngine engine({}, core::Engine::kMinInterval, platform::SensorChoice::Poll);
    engine.waitForUpdates(1);
    ASSERT_EQ(refusedConnects(50, 139), 50);
    const auto found = engine.waitForFinding(
        [](const core::Finding& finding) { return finding.ruleId == core::rules::kFanoutScan; });
    ASSERT_TRUE(found);
    EXPECT_FALSE(found->first.process.valid()) << "close events carry no process";
    EXPECT_TRUE(has(found->first.summary,
                    "an unidentified process (uid " + std::to_string(geteuid()) + ")"))
        << found->first.summary;
    EXPECT_EQ(engine.updates().back()->sensor, core::SensorMode::Poll);
}

namespace {

struct UdpRun {
    std::optional<core::Connection> sender;
    bool sawRate = false;
    double bytesSent = 0;
    core::UpdatePtr last;
};

// Sends `total` bytes in 1000-byte datagrams from a socket connected to a loopback receiver,
// with an engine watching, and returns what the engine made of the sending socket.
UdpRun sendUdp(platform::SensorChoice sensor, std::size_t total) {
    Fd receiver(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_in address = socketAddress("127.0.0.1", 0);
    socklen_t length = sizeof address;
    if (bind(receiver.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        getsockname(receiver.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        throw std::runtime_error("cannot bind the UDP receiver");
    }
    Fd sender(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (connect(sender.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        throw std::runtime_error("cannot connect the UDP sender");
    }
    sockaddr_in local{};
    length = sizeof local;
    getsockname(sender.get(), reinterpret_cast<sockaddr*>(&local), &length);
    const std::uint16_t senderPort = ntohs(local.sin_port);

    WatchedEngine engine({}, core::Engine::kMinInterval, sensor);
    engine.waitForUpdates(2);
    // The receiver drains as the sender sends, so loopback drops nothing it need not.
    std::atomic<bool> done{false};
    std::thread drain([&] {
        char buffer[2048];
        while (!done.load()) {
            pollfd ready{receiver.get(), POLLIN, 0};
            if (poll(&ready, 1, 50) == 1) {
                (void)recv(receiver.get(), buffer, sizeof buffer, 0);
            }
        }
    });
    const std::string datagram(1000, 'u');
    for (std::size_t sent = 0; sent < total; sent += datagram.size()) {
        if (send(sender.get(), datagram.data(), datagram.size(), 0) !=
            static_cast<ssize_t>(datagram.size())) {
            done = true;
            drain.join();
            throw std::runtime_error("UDP send failed: " + std::string(std::strerror(errno)));
        }
    }
    engine.waitForUpdates(3);
    done = true;
    drain.join();

    UdpRun run;
    for (const auto& update : engine.updates()) {
        for (const auto& connection : update->connections) {
            if (connection.socket.protocol == core::Protocol::Udp &&
                connection.socket.local.port == senderPort) {
                run.sawRate =
                    run.sawRate || (connection.hasRate && connection.sendBytesPerSecond > 0);
                if (connection.socket.counters.present) {
                    run.bytesSent = static_cast<double>(connection.bytesSent);
                }
                run.sender = connection;
            }
        }
        run.last = update;
    }
    return run;
}

} // namespace

TEST(BpfSensorScenario, TenMegabytesOfUdpAreCountedWithARate) {
    REQUIRE_BPF_SENSOR();
    ENTER_PRIVATE_NETWORK(network, false);
    constexpr std::size_t kTotal = 10'000'000;
    const UdpRun run = sendUdp(platform::SensorChoice::Bpf, kTotal);
    ASSERT_TRUE(run.sender) << "the sending UDP socket was never listed";
    EXPECT_NEAR(run.bytesSent, static_cast<double>(kTotal), kTotal * 0.01);
    EXPECT_TRUE(run.sawRate) << "no update showed a send rate for the UDP socket";
    EXPECT_GE(run.last->totals.sendBytesPerSecond + static_cast<double>(kTotal), kTotal)
        << "host totals include UDP";
}

TEST(BpfSensorScenario, InPollModeUdpHasNoByteCounts) {
    ENTER_PRIVATE_NETWORK(network, false);
    const UdpRun run = sendUdp(platform::SensorChoice::Poll, 1'000'000);
    ASSERT_TRUE(run.sender);
    EXPECT_FALSE(run.sender->socket.counters.present);
    EXPECT_FALSE(run.sawRate);
}

namespace {

// Starts a child with exactly this PID (clone3 with set_tid, which root may ask for), that
// waits until killed. -1 when the kernel refused.
pid_t startChildWithPid(pid_t pid) {
    pid_t wanted = pid;
    clone_args args{};
    args.exit_signal = SIGCHLD;
    args.set_tid = reinterpret_cast<std::uint64_t>(&wanted);
    args.set_tid_size = 1;
    const long child = syscall(SYS_clone3, &args, sizeof args);
    if (child == 0) {
        for (int i = 0; i < 600; ++i) { // bounded: ten minutes at most
            pause();
        }
        _exit(0);
    }
    return static_cast<pid_t>(child);
}

} // namespace

TEST(BpfSensorScenario, AReusedPidIsNeverTakenForTheProcessThatConnected) {
    REQUIRE_BPF_SENSOR();
    ENTER_PRIVATE_NETWORK(network, false);
    std::string sensorWhyNot;
    auto source = bpfSourceOrReason(&sensorWhyNot);
    ASSERT_TRUE(source);
    source->poll();

    // The first process connects, is refused, and exits before any poll.
    const pid_t first = fork();
    ASSERT_GE(first, 0);
    if (first == 0) {
        const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        sockaddr_in target = socketAddress("127.0.2.1", 139);
        connect(fd, reinterpret_cast<sockaddr*>(&target), sizeof target);
        pollfd ready{fd, POLLOUT, 0};
        poll(&ready, 1, 2000);
        close(fd);
        _exit(0);
    }
    const auto firstKey = platform::currentProcessKey(first);
    int status = 0;
    ASSERT_EQ(waitpid(first, &status, 0), first);
    ASSERT_TRUE(firstKey);

    // A second process gets the same PID, a few clock ticks later.
    std::this_thread::sleep_for(50ms);
    const pid_t second = startChildWithPid(first);
    ASSERT_EQ(second, first) << "clone3 could not reuse PID " << first << ": "
                             << std::strerror(errno);
    const auto secondKey = platform::currentProcessKey(second);
    kill(second, SIGKILL);
    waitpid(second, &status, 0);
    ASSERT_TRUE(secondKey);
    ASSERT_NE(secondKey->startTime, firstKey->startTime);

    const auto snapshot = source->poll();
    ASSERT_TRUE(snapshot);
    const core::Socket* refused = nullptr;
    for (const auto& socket : snapshot->closed) {
        if (socket.remote.address == core::IpAddress::v4(127, 0, 2, 1)) {
            refused = &socket;
        }
    }
    ASSERT_NE(refused, nullptr) << "the refused connect's close was not reported";
    EXPECT_EQ(refused->owner, *firstKey)
        << "credited to PID " << refused->owner.pid << " started at " << refused->owner.startTime;
    EXPECT_NE(refused->owner, *secondKey);
    EXPECT_EQ(refused->remote.port, 139);
    for (const auto& process : snapshot->processes) {
        EXPECT_NE(process.key, *secondKey) << "the process that reused the PID was listed";
        if (process.key == *firstKey) {
            EXPECT_FALSE(process.name.empty()) << "the kernel's name for it is kept";
        }
    }
}

TEST(BpfSensorScenario, WithoutPrivilegesAutoPollsAndSaysWhyAndBpfRefuses) {
    if (geteuid() != 0) {
        GTEST_SKIP() << "needs root, to drop to nobody in a child";
    }
    // The child drops to nobody, where loading eBPF programs is refused, and reports through
    // its exit code: 0 all as expected, 1 auto did not fall back, 2 bpf did not refuse.
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        if (setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0) {
            _exit(3);
        }
        platform::LiveSourceOptions options;
        options.includeOtherNamespaces = false;
        options.resolveOwners = false;
        options.sensor = platform::SensorChoice::Auto;
        auto source = platform::makeLiveSource(options);
        const auto snapshot = source->poll();
        bool said = false;
        bool translatable = false;
        for (const auto& warning : snapshot->warnings) {
            if (warning.english().find("without the eBPF sensor: loading eBPF programs needs "
                                       "root") != std::string::npos) {
                said = true;
                // The reason is a sentence of its own, worded in the user's language too.
                translatable = warning.arguments.size() == 1 &&
                               warning.arguments[0].kind == core::SystemText::Kind::Template;
            }
        }
        if (snapshot->sensor != core::SensorMode::Poll || !said) {
            _exit(1);
        }
        if (!translatable) {
            _exit(4);
        }
        options.sensor = platform::SensorChoice::Bpf;
        try {
            platform::makeLiveSource(options);
            _exit(2);
        } catch (const core::SourceError& error) {
            _exit(std::string(error.what()).find("needs root") == std::string::npos ? 2 : 0);
        }
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "1: auto did not poll and say why; 2: bpf did not "
                                         "refuse with the reason; 3: could not become nobody; "
                                         "4: the reason is not translatable";
}

TEST(BpfSensorScenario, InboundScanNamesTheScannerOnTheOtherSideOfAVethPair) {
    REQUIRE_BPF_SENSOR();
    ENTER_PRIVATE_NETWORK(network, false);
    network->addPeer("198.18.0.1/30", "198.18.0.2/30");
    WatchedEngine engine({}, core::Engine::kMinInterval, platform::SensorChoice::Bpf);
    engine.waitForUpdates(1);
    // The scanner, in the peer namespace, probes 300 closed TCP and 300 closed UDP ports here.
    const int refused = network->inPeer([] {
        int count = 0;
        for (int i = 0; i < 300; ++i) {
            try {
                connectInNamespace("198.18.0.1", static_cast<std::uint16_t>(20000 + i), true);
            } catch (const std::runtime_error&) {
                ++count; // refused: a reset from a closed port
            }
        }
        const Fd udp(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        for (int i = 0; i < 300; ++i) {
            const auto to = socketAddress("198.18.0.1", static_cast<std::uint16_t>(30000 + i));
            sendto(udp.get(), "probe", 5, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
            std::this_thread::sleep_for(1ms); // ARP and the veth queue keep up
        }
        return count;
    });
    ASSERT_EQ(refused, 300);
    const auto found = engine.waitForFinding([](const core::Finding& finding) {
        return finding.ruleId == core::rules::kInboundScan && has(finding.summary, "198.18.0.2");
    });
    ASSERT_TRUE(found) << "inbound-scan did not name the scanner 198.18.0.2";
    engine.waitForUpdates(3); // the rest of the probes, if the finding came mid-scan
    const auto updates = engine.updates();
    std::string details;
    for (const auto& finding : updates.back()->findings) {
        if (finding.ruleId == core::rules::kInboundScan) {
            for (const auto& detail : finding.details) {
                details += detail + "\n";
            }
        }
    }
    EXPECT_TRUE(has(details, "198.18.0.2 probed 300 closed TCP ports and 300 closed UDP ports"))
        << details;
}

// The desktop program and the CLI never load the sensor themselves: they get it from
// portscope-helper, so the scanner's address has to cross the helper protocol.
TEST(BpfSensorScenario, ThroughTheHelperInboundScanStillNamesTheScanner) {
    REQUIRE_BPF_SENSOR();
    ENTER_PRIVATE_NETWORK(network, false);
    network->addPeer("198.18.0.1/30", "198.18.0.2/30");
    platform::HelperLaunch launch;
    launch.helperPath = PORTSCOPE_HELPER_PATH;
    launch.elevate = false; // this test runs as root already; pkexec is not under test here
    launch.handshakeTimeout = 10s;
    platform::HelperOptions helperOptions;
    helperOptions.source.includeOtherNamespaces = false;
    helperOptions.source.sensor = platform::SensorChoice::Bpf;
    auto helper = platform::HelperConnection::launch(launch, helperOptions);
    ASSERT_EQ(helper->info().sensor, core::SensorMode::Bpf);
    WatchedEngine engine(platform::makeHelperSource(helper),
                         WatchedEngine::engineOptions({}, core::Engine::kMinInterval));
    engine.waitForUpdates(1);
    const int refused = network->inPeer([] {
        int count = 0;
        for (int i = 0; i < 300; ++i) {
            try {
                connectInNamespace("198.18.0.1", static_cast<std::uint16_t>(20000 + i), true);
            } catch (const std::runtime_error&) {
                ++count;
            }
        }
        return count;
    });
    ASSERT_EQ(refused, 300);
    const auto found = engine.waitForFinding([](const core::Finding& finding) {
        return finding.ruleId == core::rules::kInboundScan && has(finding.summary, "198.18.0.2");
    });
    ASSERT_TRUE(found) << "inbound-scan did not name the scanner 198.18.0.2 through the helper";
}

namespace {

// Polls once a minute, and early when the source announces changes.
core::EngineOptions slowPollsThatFollowChanges() {
    auto options = WatchedEngine::engineOptions({}, std::chrono::seconds(60));
    options.pollOnChanges = true;
    return options;
}

bool listsPort(const core::Update& update, std::uint16_t port) {
    return std::any_of(update.connections.begin(), update.connections.end(),
                       [port](const core::Connection& connection) {
                           return connection.open && connection.socket.local.port == port &&
                                  connection.socket.state == core::SocketState::Established;
                       });
}

// Opens a loopback connection after the engine's first update and waits for an update that
// lists it; returns how long that took, or nothing within `timeout`.
std::optional<std::chrono::milliseconds>
timeUntilANewConnectionShows(WatchedEngine& engine, std::chrono::seconds timeout) {
    engine.waitForUpdates(1);
    const Fd listener = tcpListener("127.0.0.1");
    const auto started = std::chrono::steady_clock::now();
    const Fd client = tcpConnect(localEndpoint(listener.get()));
    const Fd server = acceptOne(listener.get());
    const auto port = localEndpoint(client.get()).port;
    const auto update = engine.waitForUpdate(
        [port](const core::Update& candidate) { return listsPort(candidate, port); }, timeout);
    if (!update) {
        return std::nullopt;
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 started);
}

} // namespace

// With the eBPF sensor, the kernel's state change wakes the source: the engine polls at once
// (no sooner than 250 ms after the last poll) instead of waiting out its minute.
TEST(BpfSensorScenario, ANewConnectionShowsAsItHappensNotAtTheNextPoll) {
    REQUIRE_BPF_SENSOR();
    ENTER_PRIVATE_NETWORK(network, false);
    WatchedEngine engine(WatchedEngine::liveSource(platform::SensorChoice::Bpf),
                         slowPollsThatFollowChanges());
    const auto took = timeUntilANewConnectionShows(engine, std::chrono::seconds(10));
    ASSERT_TRUE(took) << "the new connection waited for the next poll, a minute away";
    std::cout << "[ measured ] a new connection showed after " << took->count() << " ms\n";

    // Its end is a change too: the row closes without waiting for the minute either.
    const Fd listener = tcpListener("127.0.0.1");
    Fd client = tcpConnect(localEndpoint(listener.get()));
    Fd server = acceptOne(listener.get());
    const auto port = localEndpoint(client.get()).port;
    ASSERT_TRUE(engine.waitForUpdate(
        [port](const core::Update& update) { return listsPort(update, port); }, 10s));
    client = Fd();
    server = Fd();
    // The client's end waits in TIME_WAIT; the server's end is gone, a closed row.
    const auto closed = engine.waitForUpdate(
        [port](const core::Update& update) {
            return std::any_of(update.connections.begin(), update.connections.end(),
                               [port](const core::Connection& connection) {
                                   return !connection.open && connection.socket.remote.port == port;
                               });
        },
        10s);
    EXPECT_TRUE(closed) << "the closed connection waited for the next poll, a minute away";
}

TEST(BpfSensorScenario, ThroughTheHelperANewConnectionShowsAsItHappens) {
    REQUIRE_BPF_SENSOR();
    ENTER_PRIVATE_NETWORK(network, false);
    platform::HelperLaunch launch;
    launch.helperPath = PORTSCOPE_HELPER_PATH;
    launch.elevate = false;
    launch.handshakeTimeout = 10s;
    platform::HelperOptions helperOptions;
    helperOptions.source.includeOtherNamespaces = false;
    helperOptions.source.sensor = platform::SensorChoice::Bpf;
    auto helper = platform::HelperConnection::launch(launch, helperOptions);
    ASSERT_EQ(helper->info().sensor, core::SensorMode::Bpf);
    WatchedEngine engine(platform::makeHelperSource(helper), slowPollsThatFollowChanges());
    const auto took = timeUntilANewConnectionShows(engine, std::chrono::seconds(10));
    ASSERT_TRUE(took) << "the helper did not announce the new connection";
    std::cout << "[ measured ] through the helper, a new connection showed after " << took->count()
              << " ms\n";
    // The session still answers requests in order after the unasked frames.
    for (int i = 0; i < 3; ++i) {
        EXPECT_FALSE(helper->poll().sockets.empty());
    }
}

TEST(BpfSensorScenario, InPollModeANewConnectionWaitsForTheNextPoll) {
    ENTER_PRIVATE_NETWORK(network, false);
    WatchedEngine engine(WatchedEngine::liveSource(platform::SensorChoice::Poll),
                         slowPollsThatFollowChanges());
    EXPECT_FALSE(timeUntilANewConnectionShows(engine, std::chrono::seconds(2)));
}

TEST(BpfSensorScenario, InPollModeInboundScanCannotSayWhoScans) {
    ENTER_PRIVATE_NETWORK(network, false);
    network->addPeer("198.18.0.1/30", "198.18.0.2/30");
    WatchedEngine engine({}, core::Engine::kMinInterval, platform::SensorChoice::Poll);
    engine.waitForUpdates(1);
    network->inPeer([] {
        for (int i = 0; i < 300; ++i) {
            try {
                connectInNamespace("198.18.0.1", static_cast<std::uint16_t>(20000 + i), true);
            } catch (const std::runtime_error&) {
            }
        }
        return 0;
    });
    const auto found = engine.waitForFinding(
        [](const core::Finding& finding) { return finding.ruleId == core::rules::kInboundScan; });
    ASSERT_TRUE(found);
    EXPECT_FALSE(has(found->first.summary, "198.18.0.2")) << found->first.summary;
    ASSERT_FALSE(found->first.details.empty());
    EXPECT_TRUE(has(found->first.details.front(), "not from where"))
        << found->first.details.front();
}

namespace {

// Each socket that `describe` describes (it returns nothing for the others), sorted, for
// comparing two views.
template <typename Describe>
std::vector<std::string> sortedDescriptions(const std::vector<core::Socket>& sockets,
                                            Describe describe) {
    std::vector<std::string> described;
    for (const auto& socket : sockets) {
        if (std::optional<std::string> text = describe(socket)) {
            described.push_back(std::move(*text));
        }
    }
    std::sort(described.begin(), described.end());
    return described;
}

// The 4-tuple, protocol and state of every open socket.
std::vector<std::string> openSocketKeys(const std::vector<core::Socket>& sockets) {
    return sortedDescriptions(sockets, [](const core::Socket& socket) {
        return std::optional<std::string>(std::string(core::toString(socket.protocol)) + " " +
                                          socket.local.toString() + " " + socket.remote.toString() +
                                          " " + std::string(core::toString(socket.state)));
    });
}

} // namespace

TEST(BpfSensorScenario, AHundredThousandConnectsLoseNothingOrSaySoAndResync) {
    REQUIRE_BPF_SENSOR();
    ENTER_PRIVATE_NETWORK(network, false);
    const Fd listener = tcpListener("127.0.0.1"); // something that stays open
    WatchedEngine engine({}, core::Engine::kMinInterval, platform::SensorChoice::Bpf);
    engine.waitForUpdates(1);
    // As many refused connects as 5 s allow, up to 100,000: 200,000 state changes.
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    int attempts = 0;
    for (; attempts < 100'000 && std::chrono::steady_clock::now() < deadline; ++attempts) {
        const Fd attempt(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
        const auto to = socketAddress("127.0.3.1", static_cast<std::uint16_t>(1 + attempts % 1000));
        connect(attempt.get(), reinterpret_cast<const sockaddr*>(&to), sizeof to);
    }
    RecordProperty("connects", attempts);
    EXPECT_GE(attempts, 20'000) << "the loop is far slower than this test assumes";
    engine.waitForUpdates(4); // the resync poll after a loss, and one more

    const auto updates = engine.updates();
    bool lossSaid = false;
    for (const auto& update : updates) {
        for (const auto& warning : update->warnings) {
            lossSaid = lossSaid || has(warning.english(), "event buffer overflowed");
        }
    }
    RecordProperty("loss_reported", lossSaid ? "yes" : "no");
    // Whether or not events were lost, the tracker's open connections now match a fresh dump.
    platform::LiveSourceOptions options;
    options.includeOtherNamespaces = false;
    options.resolveOwners = false;
    const auto fresh = platform::makeLiveSource(options)->poll();
    ASSERT_TRUE(fresh);
    std::vector<core::Socket> tracked;
    for (const auto& connection : updates.back()->connections) {
        if (connection.open) {
            tracked.push_back(connection.socket);
        }
    }
    EXPECT_EQ(openSocketKeys(tracked), openSocketKeys(fresh->sockets));
    std::cout << "[          ] " << attempts << " connects, loss "
              << (lossSaid ? "reported" : "none") << "\n";
}

TEST(BpfSensorScenario, AnOverflowingEventBufferIsSaidOnceAndTheNextPollResyncs) {
    REQUIRE_BPF_SENSOR();
    ENTER_PRIVATE_NETWORK(network, false);
    const Fd listener = tcpListener("127.0.0.1");
    platform::LiveSourceOptions options;
    options.includeOtherNamespaces = false;
    options.sensor = platform::SensorChoice::Bpf;
    options.sensorEventBufferBytes = 65536; // some 1,100 state changes
    auto source = platform::makeLiveSource(options);
    core::Tracker tracker;
    tracker.apply(*source->poll());
    for (int i = 0; i < 5000; ++i) {
        const Fd attempt(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
        const auto to = socketAddress("127.0.4.1", static_cast<std::uint16_t>(1 + i % 1000));
        connect(attempt.get(), reinterpret_cast<const sockaddr*>(&to), sizeof to);
    }
    const auto overflowed = tracker.apply(*source->poll());
    const auto countLossWarnings = [](const core::Update& update) {
        return std::count_if(
            update.warnings.begin(), update.warnings.end(),
            [](const core::SystemText& w) { return has(w.english(), "event buffer overflowed"); });
    };
    EXPECT_EQ(countLossWarnings(*overflowed), 1) << "10,000 state changes into a 64 KiB buffer";
    // Said once, not on every poll. The tracepoints see the whole machine, so other work may
    // overflow so small a buffer again; one quiet poll of twenty proves the warning is not a
    // standing condition.
    core::UpdatePtr after = tracker.apply(*source->poll());
    for (int i = 0; i < 20 && countLossWarnings(*after) != 0; ++i) {
        std::this_thread::sleep_for(20ms);
        after = tracker.apply(*source->poll());
    }
    EXPECT_EQ(countLossWarnings(*after), 0) << "the overflow warning stays";

    platform::LiveSourceOptions plain;
    plain.includeOtherNamespaces = false;
    plain.resolveOwners = false;
    const auto fresh = platform::makeLiveSource(plain)->poll();
    std::vector<core::Socket> tracked;
    for (const auto& connection : after->connections) {
        if (connection.open) {
            tracked.push_back(connection.socket);
        }
    }
    EXPECT_EQ(openSocketKeys(tracked), openSocketKeys(fresh->sockets));
    // The listener's owner survived the resync.
    bool listenerOwned = false;
    for (const auto& socket : tracked) {
        listenerOwned = listenerOwned ||
                        (socket.state == core::SocketState::Listen && socket.owner.pid == getpid());
    }
    EXPECT_TRUE(listenerOwned);
}

namespace {

// inode -> the PIDs whose /proc/PID/fd holds it, for the given processes only: what the owner
// search's /proc walk reads, done here independently of it.
using HoldersByInode = std::map<std::uint64_t, std::set<int>>;

HoldersByInode socketsUnderProc(const std::set<int>& pids) {
    HoldersByInode holders;
    for (const int pid : pids) {
        const std::string directory = "/proc/" + std::to_string(pid) + "/fd";
        for (const auto& entry : std::filesystem::directory_iterator(directory)) {
            std::error_code error;
            const std::string target = std::filesystem::read_symlink(entry.path(), error).string();
            if (!error && target.rfind("socket:[", 0) == 0) {
                holders[std::stoull(target.substr(8))].insert(pid);
            }
        }
    }
    return holders;
}

// A child that holds a socket shared with its parent (inherited through fork), sockets of its
// own, and a second thread, until killed; the sockets' inodes come back through a pipe.
struct SocketHoldingChild {
    pid_t pid = -1;
    std::uint64_t ownTcpInode = 0;
    ~SocketHoldingChild() {
        if (pid > 0) {
            kill(pid, SIGKILL);
            int status = 0;
            waitpid(pid, &status, 0);
        }
    }
};

void startSocketHoldingChild(SocketHoldingChild& child, const core::Endpoint& listener) {
    int ready[2];
    ASSERT_EQ(pipe(ready), 0);
    child.pid = fork();
    ASSERT_GE(child.pid, 0);
    if (child.pid == 0) {
        close(ready[0]);
        Fd connection = tcpConnect(listener);
        Fd udp = udpSocket("127.0.0.1");
        std::thread idle([] {
            for (int i = 0; i < 600; ++i) { // bounded: ten minutes at most
                pause();
            }
        });
        const std::uint64_t inode = socketInode(connection.get());
        if (write(ready[1], &inode, sizeof inode) != static_cast<ssize_t>(sizeof inode)) {
            _exit(1);
        }
        idle.join();
        _exit(0);
    }
    close(ready[1]);
    std::uint64_t inode = 0;
    ASSERT_EQ(read(ready[0], &inode, sizeof inode), static_cast<ssize_t>(sizeof inode));
    close(ready[0]);
    child.ownTcpInode = inode;
}

} // namespace

TEST(BpfSensorScenario, TheIteratorListsTheSameSocketOwnersAsTheProcWalk) {
    REQUIRE_BPF_SENSOR();
    ENTER_PRIVATE_NETWORK(network, false);
    const auto sensor = openSensorItself();
    ASSERT_TRUE(sensor);
    ASSERT_TRUE(sensor->listsSocketHolders()) << "the kernel has the task_file iterator (5.8+)";

    Fd listener = tcpListener("127.0.0.1");
    Fd shared = udpSocket("127.0.0.1"); // inherited by the child: two owners
    int pair[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
    Fd unixEnd(pair[0]);
    Fd unixOtherEnd(pair[1]);
    // A descriptor opened with O_PATH on a bound Unix socket's file is no socket: its link
    // under /proc names the path, and its inode is the file system's.
    const std::string socketPath =
        "/tmp/portscope-iterator-test-" + std::to_string(getpid()) + ".sock";
    ::unlink(socketPath.c_str());
    Fd bound(socket(AF_UNIX, SOCK_STREAM, 0));
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::snprintf(address.sun_path, sizeof address.sun_path, "%s", socketPath.c_str());
    ASSERT_EQ(bind(bound.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    Fd pathOnly(open(socketPath.c_str(), O_PATH | O_CLOEXEC));
    ::unlink(socketPath.c_str());
    ASSERT_GE(pathOnly.get(), 0) << std::strerror(errno);
    SocketHoldingChild child;
    startSocketHoldingChild(child, localEndpoint(listener.get()));
    ASSERT_GT(child.ownTcpInode, 0U);
    Fd accepted = acceptOne(listener.get());
    const std::set<int> ours{getpid(), child.pid};

    std::vector<platform::linuxsys::SocketHolder> holders;
    ASSERT_TRUE(sensor->listSocketHolders(holders)) << std::strerror(errno);
    const HoldersByInode underProc = socketsUnderProc(ours);

    HoldersByInode listed;
    std::set<std::pair<int, std::uint32_t>> rows;
    for (const auto& holder : holders) {
        if (ours.count(holder.pid) != 0) {
            listed[holder.inode].insert(holder.pid);
            EXPECT_TRUE(rows.emplace(holder.pid, holder.fd).second)
                << "PID " << holder.pid << " fd " << holder.fd << " listed twice (threads?)";
        }
    }
    EXPECT_EQ(listed, underProc);
    const std::uint64_t sharedInode = socketInode(shared.get());
    EXPECT_EQ(listed[sharedInode], ours) << "the inherited socket names both processes";
    EXPECT_EQ(listed[child.ownTcpInode], std::set<int>{child.pid});
    EXPECT_EQ(listed[socketInode(unixEnd.get())], ours) << "Unix sockets are sockets too";
    EXPECT_GE(underProc.size(), 6U);

    // The owner search's cache, filled once from the iterator and once from /proc, credits
    // every socket of ours to the same process (the lowest PID of a shared one), with the
    // same start time.
    platform::linuxsys::OwnerResolver fromIterator;
    fromIterator.setSocketHolderSource(
        [&sensor](auto& found) { return sensor->listSocketHolders(found); });
    platform::linuxsys::OwnerResolver fromProc;
    fromIterator.prewalk();
    fromProc.prewalk();
    EXPECT_EQ(fromIterator.stats().holderListings, 1U);
    EXPECT_EQ(fromIterator.stats().processesScanned, 0U) << "no /proc walk with the iterator";
    EXPECT_EQ(fromProc.stats().holderListings, 0U);
    for (const auto& [inode, pids] : underProc) {
        const auto expected = fromProc.cachedOwnerOf(inode);
        ASSERT_TRUE(expected) << "inode " << inode;
        EXPECT_EQ(expected->pid, *pids.begin());
        EXPECT_EQ(fromIterator.cachedOwnerOf(inode), expected) << "inode " << inode;
    }
}

TEST(BpfSensorScenario, AFailedIteratorListingFallsBackToTheProcWalk) {
    Fd listener = tcpListener("127.0.0.1");
    const std::uint64_t inode = socketInode(listener.get());
    const auto self = platform::currentProcessKey(getpid());
    ASSERT_TRUE(self);

    platform::linuxsys::OwnerResolver resolver;
    int asked = 0;
    resolver.setSocketHolderSource([&asked](auto&) {
        ++asked;
        errno = EPERM;
        return false;
    });
    resolver.prewalk();
    EXPECT_EQ(asked, 1);
    EXPECT_EQ(resolver.stats().holderListings, 0U);
    EXPECT_GT(resolver.stats().processesScanned, 0U);
    EXPECT_EQ(resolver.cachedOwnerOf(inode), self);
}

TEST(BpfSensorScenario, WithAndWithoutTheIteratorTheFirstSnapshotHasTheSameOwners) {
    REQUIRE_BPF_SENSOR();
    ENTER_PRIVATE_NETWORK(network, false);
    Fd listener = tcpListener("127.0.0.1");
    Fd shared = udpSocket("127.0.0.1");
    SocketHoldingChild child;
    startSocketHoldingChild(child, localEndpoint(listener.get()));
    Fd accepted = acceptOne(listener.get());

    auto ownersOfOurSockets = [&](bool sensorListsOwners) {
        platform::LiveSourceOptions options;
        options.includeOtherNamespaces = false;
        options.sensor = platform::SensorChoice::Bpf;
        options.sensorListsOwners = sensorListsOwners;
        auto source = platform::makeLiveSource(options);
        const auto snapshot = source->poll();
        std::map<std::uint64_t, core::ProcessKey> owners;
        for (const auto& socket : snapshot->sockets) {
            if (socket.owner.pid == getpid() || socket.owner.pid == child.pid) {
                owners[socket.inode] = socket.owner;
            }
        }
        return owners;
    };
    const auto withIterator = ownersOfOurSockets(true);
    const auto withProcWalk = ownersOfOurSockets(false);
    EXPECT_EQ(withIterator, withProcWalk);
    EXPECT_EQ(withIterator.size(), 5U)
        << "the listener, the accepted connection, the UDP socket both hold, and the child's "
           "connection and UDP socket";
    EXPECT_EQ(withIterator.at(socketInode(shared.get())).pid, std::min(getpid(), child.pid));
}

namespace {

// Every field the live source keeps of a TCP socket, for comparing two listings.
std::string describeTcpSocket(const core::Socket& socket) {
    std::ostringstream text;
    text << socket.local.toString() << " " << socket.remote.toString() << " "
         << core::toString(socket.state) << " inode " << socket.inode << " cookie " << socket.cookie
         << " uid " << socket.uid << " if " << socket.interfaceIndex << " q " << socket.receiveQueue
         << "/" << socket.sendQueue << " counters " << socket.counters.present
         << socket.counters.hasBytesSent << " " << socket.counters.bytesAcked << " "
         << socket.counters.bytesReceived << " " << socket.counters.bytesSent << " "
         << socket.counters.segsIn << " " << socket.counters.segsOut;
    return text.str();
}

std::vector<std::string> describeTcpSockets(const std::vector<core::Socket>& sockets) {
    return sortedDescriptions(sockets, [](const core::Socket& socket) {
        return socket.protocol == core::Protocol::Tcp
                   ? std::optional<std::string>(describeTcpSocket(socket))
                   : std::nullopt;
    });
}

} // namespace

// The tcp iterator reads the very fields sock_diag reports: listeners with their backlog,
// connections with queued data and counters, IPv6, and TIME_WAIT, socket for socket.
TEST(BpfSensorScenario, TheTcpIteratorListsWhatTheNetlinkDumpLists) {
    REQUIRE_BPF_SENSOR();
    ENTER_PRIVATE_NETWORK(network, false);
    const auto sensor = openSensorItself();
    ASSERT_TRUE(sensor);
    ASSERT_TRUE(sensor->listsTcpSockets()) << "the kernel has the tcp iterator (5.9+)";

    Fd listener = tcpListener("127.0.0.1");
    Fd listener6 = tcpListener("::1");
    Fd client = tcpConnect(localEndpoint(listener.get()));
    Fd server = acceptOne(listener.get());
    Fd client6 = tcpConnect(localEndpoint(listener6.get()));
    Fd server6 = acceptOne(listener6.get());
    Fd waiting = tcpConnect(localEndpoint(listener.get())); // in the accept queue: backlog 1
    // Data the server has not read, acked by the kernel: a receive queue and byte counters.
    const std::string payload(3000, 'q');
    ASSERT_EQ(::send(client.get(), payload.data(), payload.size(), 0),
              static_cast<ssize_t>(payload.size()));
    // A connection closed first by this side ends in TIME_WAIT.
    {
        Fd closing = tcpConnect(localEndpoint(listener6.get()));
        Fd closed = acceptOne(listener6.get());
        closing = Fd();
        char byte = 0;
        ASSERT_EQ(::recv(closed.get(), &byte, 1, 0), 0);
    }
    std::this_thread::sleep_for(100ms); // the last ACKs settle; nothing moves after this

    std::vector<core::Socket> dumped;
    std::string error;
    auto diag = platform::linuxsys::SockDiagSocket::open(&error);
    ASSERT_TRUE(diag) << error;
    ASSERT_TRUE(diag->dumpTcpBothFamilies(dumped, &error)) << error;
    std::vector<core::Socket> iterated;
    ASSERT_TRUE(sensor->listTcpSockets(iterated)) << std::strerror(errno);

    const auto fromDump = describeTcpSockets(dumped);
    const auto fromIterator = describeTcpSockets(iterated);
    EXPECT_EQ(fromIterator, fromDump);
    EXPECT_EQ(fromDump.size(), 9U) << "2 listeners, 3 connections with both ends, TIME_WAIT";
    EXPECT_TRUE(std::any_of(iterated.begin(), iterated.end(), [](const core::Socket& socket) {
        return socket.state == core::SocketState::TimeWait;
    }));
    EXPECT_TRUE(std::any_of(iterated.begin(), iterated.end(), [&](const core::Socket& socket) {
        return socket.receiveQueue == payload.size() && socket.counters.bytesReceived > 0;
    }));

    // A poll of the live source with the eBPF sensor lists TCP through the iterator: the same
    // snapshot as with the dump.
    std::vector<std::string> polled[2];
    for (const bool throughIterator : {true, false}) {
        platform::LiveSourceOptions options;
        options.includeOtherNamespaces = false;
        options.sensor = platform::SensorChoice::Bpf;
        options.sensorListsTcp = throughIterator;
        polled[throughIterator ? 0 : 1] =
            describeTcpSockets(platform::makeLiveSource(options)->poll()->sockets);
    }
    EXPECT_EQ(polled[0], polled[1]);
    EXPECT_EQ(polled[0], fromDump);
}
