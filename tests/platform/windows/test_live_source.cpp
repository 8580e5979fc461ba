// The Windows snapshot source, polled while this test holds known loopback sockets.
//
// Under Wine 8 (CI) the socket tables are real but every owner PID is 0, EStats is missing and
// SetTcpEntry does nothing; the tests check what each environment really provides.

#include "portscope/platform/system.h"
#include "support/win_test_support.h"
#include "windows/win32.h"

#include <algorithm>
#include <gtest/gtest.h>

namespace {

using namespace portscope;

const core::Socket* find(const core::Snapshot& snapshot, core::Protocol protocol,
                         const core::Endpoint& local, const core::Endpoint& remote) {
    const auto found =
        std::find_if(snapshot.sockets.begin(), snapshot.sockets.end(), [&](const core::Socket& s) {
            return s.protocol == protocol && s.local == local && s.remote == remote;
        });
    return found == snapshot.sockets.end() ? nullptr : &*found;
}

bool hasWarning(const core::Snapshot& snapshot, std::string_view text) {
    return std::any_of(
        snapshot.warnings.begin(), snapshot.warnings.end(),
        [&](const core::SystemText& w) { return w.english().find(text) != std::string::npos; });
}

core::IpAddress loopback(core::Family family) {
    return family == core::Family::V4 ? core::IpAddress::v4(127, 0, 0, 1)
                                      : *core::IpAddress::parse("::1");
}

void expectOwnedByThisProcess(const core::Snapshot& snapshot, const core::Socket& socket) {
    if (platform::winsys::isRunningUnderWine()) {
        EXPECT_EQ(socket.owner.pid, 0);
        EXPECT_EQ(socket.ownerStatus, core::OwnerStatus::NotFound);
        return;
    }
    const auto pid = static_cast<std::int32_t>(::GetCurrentProcessId());
    EXPECT_EQ(socket.owner.pid, pid);
    EXPECT_EQ(socket.ownerStatus, core::OwnerStatus::Known);
    EXPECT_EQ(socket.owner, platform::currentProcessKey(pid));
    const auto process =
        std::find_if(snapshot.processes.begin(), snapshot.processes.end(),
                     [&](const core::Process& p) { return p.key == socket.owner; });
    ASSERT_NE(process, snapshot.processes.end());
    EXPECT_EQ(process->name, "platform_windows_tests.exe");
    EXPECT_GE(process->socketCount, 1u);
}

class LiveSource : public ::testing::TestWithParam<core::Family> {};

TEST_P(LiveSource, ListsListenersConnectionsAndUdpSockets) {
    const core::Family family = GetParam();
    const int af = family == core::Family::V4 ? AF_INET : AF_INET6;
    if (family == core::Family::V6 && !wintest::ipv6LoopbackAvailable()) {
        GTEST_SKIP() << "no IPv6 loopback on this machine";
    }
    auto listener = wintest::listenOnLoopback(af);
    auto pair = wintest::connectOnLoopback(af);
    auto udp = wintest::udpOnLoopback(af);
    ASSERT_TRUE(listener.valid() && pair && udp.valid());

    auto source = platform::makeLiveSource();
    const auto snapshot = source->poll();
    ASSERT_TRUE(snapshot.has_value());
    EXPECT_NE(snapshot->sourceName.find("windows"), std::string::npos);
    EXPECT_GT(snapshot->unixMs, 0);
    EXPECT_GT(snapshot->pollDurationNs, 0);

    const auto any = core::Endpoint{core::IpAddress::anyOf(family), 0};
    const core::Endpoint listenerEnd{loopback(family), listener.localPort()};
    const core::Endpoint clientEnd{loopback(family), pair->client.localPort()};
    const core::Endpoint serverEnd{loopback(family), pair->listener.localPort()};

    const auto* listening = find(*snapshot, core::Protocol::Tcp, listenerEnd, any);
    ASSERT_NE(listening, nullptr) << listenerEnd.toString();
    EXPECT_EQ(listening->state, core::SocketState::Listen);
    EXPECT_FALSE(listening->counters.present);
    expectOwnedByThisProcess(*snapshot, *listening);

    const auto* client = find(*snapshot, core::Protocol::Tcp, clientEnd, serverEnd);
    const auto* server = find(*snapshot, core::Protocol::Tcp, serverEnd, clientEnd);
    ASSERT_NE(client, nullptr);
    ASSERT_NE(server, nullptr);
    EXPECT_EQ(client->state, core::SocketState::Established);
    EXPECT_EQ(server->state, core::SocketState::Established);

    const core::Endpoint udpEnd{loopback(family), udp.localPort()};
    const auto* bound = find(*snapshot, core::Protocol::Udp, udpEnd, any);
    ASSERT_NE(bound, nullptr) << udpEnd.toString();
    EXPECT_EQ(bound->state, core::SocketState::Bound);
    EXPECT_FALSE(bound->counters.present) << "Windows counts no bytes per UDP socket";
}

INSTANTIATE_TEST_SUITE_P(BothFamilies, LiveSource,
                         ::testing::Values(core::Family::V4, core::Family::V6),
                         [](const auto& info) {
                             return info.param == core::Family::V4 ? "IPv4" : "IPv6";
                         });

TEST(LiveSourceTest, AClosedSocketLeavesTheNextSnapshot) {
    auto listener = wintest::listenOnLoopback(AF_INET);
    ASSERT_TRUE(listener.valid());
    const core::Endpoint end{core::IpAddress::v4(127, 0, 0, 1), listener.localPort()};
    const core::Endpoint any{core::IpAddress::anyOf(core::Family::V4), 0};
    auto source = platform::makeLiveSource();
    auto first = source->poll();
    ASSERT_TRUE(first.has_value());
    ASSERT_NE(find(*first, core::Protocol::Tcp, end, any), nullptr);
    listener.close();
    auto second = source->poll();
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(find(*second, core::Protocol::Tcp, end, any), nullptr);
}

TEST(LiveSourceTest, SaysWhyByteCountsAreMissing) {
    auto pair = wintest::connectOnLoopback(AF_INET);
    ASSERT_TRUE(pair.has_value());
    auto source = platform::makeLiveSource();
    const auto snapshot = source->poll();
    ASSERT_TRUE(snapshot.has_value());
    const core::Endpoint clientEnd{core::IpAddress::v4(127, 0, 0, 1), pair->client.localPort()};
    const core::Endpoint serverEnd{core::IpAddress::v4(127, 0, 0, 1), pair->listener.localPort()};
    const auto* client = find(*snapshot, core::Protocol::Tcp, clientEnd, serverEnd);
    ASSERT_NE(client, nullptr);
    if (platform::winsys::isRunningUnderWine()) {
        EXPECT_TRUE(hasWarning(*snapshot, "Wine does not implement TCP extended statistics"));
        EXPECT_TRUE(hasWarning(*snapshot, "Running under Wine"));
        EXPECT_FALSE(client->counters.present) << "no counters may be shown as measured zeros";
    } else if (!platform::winsys::isElevated()) {
        EXPECT_TRUE(hasWarning(*snapshot, "Run PortScope as administrator"));
        EXPECT_FALSE(client->counters.present);
    } else {
        EXPECT_TRUE(client->counters.present);
    }
}

TEST(LiveSourceTest, ReadsHostCounters) {
    auto source = platform::makeLiveSource();
    const auto snapshot = source->poll();
    ASSERT_TRUE(snapshot.has_value());
    EXPECT_TRUE(snapshot->counters.present);
    EXPECT_FALSE(snapshot->counters.all.empty());
    EXPECT_GT(snapshot->counters.tcp.activeOpens + snapshot->counters.tcp.passiveOpens, 0u)
        << "this test program itself has opened loopback connections";
}

TEST(LiveSourceTest, OwnersCanBeSwitchedOff) {
    auto listener = wintest::listenOnLoopback(AF_INET);
    ASSERT_TRUE(listener.valid());
    platform::LiveSourceOptions options;
    options.resolveOwners = false;
    auto source = platform::makeLiveSource(options);
    const auto snapshot = source->poll();
    ASSERT_TRUE(snapshot.has_value());
    const auto* socket = find(*snapshot, core::Protocol::Tcp,
                              {core::IpAddress::v4(127, 0, 0, 1), listener.localPort()},
                              {core::IpAddress::anyOf(core::Family::V4), 0});
    ASSERT_NE(socket, nullptr);
    EXPECT_EQ(socket->ownerStatus, core::OwnerStatus::NotResolved);
    EXPECT_EQ(socket->owner.pid, 0);
    EXPECT_TRUE(snapshot->processes.empty());
}

} // namespace
