// closeConnection through SOCK_DESTROY on real loopback connections.

#include "diag_test_support.h"
#include "linux/socket_diag.h"
#include "portscope/platform/system.h"

#include <fstream>
#include <gtest/gtest.h>
#include <poll.h>
#include <set>

namespace portscope::platform {
namespace {

using namespace portscope::diagtest;

constexpr int kCapNetAdmin = 12;

bool hasNetAdmin() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.starts_with("CapEff:")) {
            const auto mask = std::stoull(line.substr(7), nullptr, 16);
            return (mask >> kCapNetAdmin) & 1u;
        }
    }
    return false;
}

std::optional<core::Socket> dumpedSocket(std::uint64_t cookie, core::Family family) {
    std::string error;
    auto diag = linuxsys::SockDiagSocket::open(&error);
    EXPECT_TRUE(diag.has_value()) << error;
    if (!diag) {
        return std::nullopt;
    }
    std::vector<core::Socket> sockets;
    EXPECT_TRUE(diag->dump(core::Protocol::Tcp, family, sockets, &error)) << error;
    const auto* found = findByCookie(sockets, cookie);
    return found != nullptr ? std::optional<core::Socket>(*found) : std::nullopt;
}

// The errno the next recv on `fd` fails with, waiting up to two seconds for it.
int receiveError(int fd) {
    pollfd ready{fd, POLLIN, 0};
    if (::poll(&ready, 1, 2000) <= 0) {
        return 0;
    }
    char byte = 0;
    const auto n = ::recv(fd, &byte, 1, MSG_DONTWAIT);
    return n < 0 ? errno : 0;
}

TEST(ActionStatusNames, EveryStatusHasItsOwnName) {
    const std::vector<std::pair<ActionStatus, std::string_view>> expected = {
        {ActionStatus::Done, "done"},
        {ActionStatus::NoSuchProcess, "no such process"},
        {ActionStatus::ProcessChanged, "process changed"},
        {ActionStatus::PermissionDenied, "permission denied"},
        {ActionStatus::NotSupported, "not supported"},
        {ActionStatus::NotFound, "not found"},
        {ActionStatus::InvalidArgument, "invalid argument"},
        {ActionStatus::TimedOut, "timed out"},
        {ActionStatus::Failed, "failed"},
    };
    std::set<std::string_view> names;
    for (const auto& [status, name] : expected) {
        EXPECT_EQ(toString(status), name);
        names.insert(toString(status));
    }
    EXPECT_EQ(names.size(), expected.size());
}

TEST(CloseConnection, UdpSocketIsRefusedWithAReason) {
    core::Socket socket;
    socket.protocol = core::Protocol::Udp;
    socket.state = core::SocketState::Established;
    socket.local = {core::IpAddress::v4(127, 0, 0, 1), 5353};
    socket.remote = {core::IpAddress::v4(127, 0, 0, 1), 53};
    const auto result = closeConnection(socket);
    EXPECT_EQ(result.status, ActionStatus::InvalidArgument);
    EXPECT_FALSE(result.ok());
    EXPECT_NE(result.message.find("UDP"), std::string::npos) << result.message;
    EXPECT_NE(result.message.find("127.0.0.1:5353"), std::string::npos) << result.message;
}

TEST(CloseConnection, SocketInUnknownStateIsRefused) {
    core::Socket socket;
    socket.state = core::SocketState::Unknown;
    socket.local = {core::IpAddress::v4(127, 0, 0, 1), 1};
    socket.remote = {core::IpAddress::v4(127, 0, 0, 1), 2};
    EXPECT_EQ(closeConnection(socket).status, ActionStatus::InvalidArgument);
}

TEST(CloseConnection, MissingConnectionIsNotFound) {
    // Nothing listens on or connects from port 1 of loopback in a test run.
    core::Socket socket;
    socket.state = core::SocketState::Established;
    socket.local = {core::IpAddress::v4(127, 0, 0, 1), 1};
    socket.remote = {core::IpAddress::v4(127, 0, 0, 1), 2};
    const auto result = closeConnection(socket);
    EXPECT_EQ(result.status, ActionStatus::NotFound) << result.message;
    EXPECT_NE(result.message.find("127.0.0.1:1 -> 127.0.0.1:2"), std::string::npos)
        << result.message;
}

TEST(CloseConnection, StaleCookieLeavesTheNewConnectionAlone) {
    auto pair = tcpPair(core::Family::V4);
    auto socket = dumpedSocket(socketCookie(pair.client.get()), core::Family::V4);
    ASSERT_TRUE(socket.has_value());
    socket->cookie += 1; // as if the row shown were an older connection on the same ports
    const auto result = closeConnection(*socket);
    EXPECT_EQ(result.status, ActionStatus::NotFound) << result.message;
    // The real connection still carries data.
    sendAll(pair.client.get(), 10);
    receiveAll(pair.server.get(), 10);
}

TEST(CloseConnection, ClosesARealLoopbackConnection) {
    for (const auto family : {core::Family::V4, core::Family::V6}) {
        SCOPED_TRACE(core::toString(family));
        auto pair = tcpPair(family);
        const auto cookie = socketCookie(pair.client.get());
        const auto socket = dumpedSocket(cookie, family);
        ASSERT_TRUE(socket.has_value());
        ASSERT_EQ(socket->state, core::SocketState::Established);

        const auto result = closeConnection(*socket);
        if (result.status == ActionStatus::NotSupported) {
            EXPECT_NE(result.message.find("CONFIG_INET_DIAG_DESTROY"), std::string::npos)
                << result.message;
            GTEST_SKIP() << "kernel without CONFIG_INET_DIAG_DESTROY: " << result.message;
        }
        if (!hasNetAdmin()) {
            EXPECT_EQ(result.status, ActionStatus::PermissionDenied) << result.message;
            EXPECT_NE(result.message.find("CAP_NET_ADMIN"), std::string::npos) << result.message;
            continue;
        }
        ASSERT_EQ(result.status, ActionStatus::Done) << result.message;
        EXPECT_TRUE(result.ok());
        EXPECT_NE(result.message.find(socket->local.toString()), std::string::npos)
            << result.message;

        // The kernel aborted our end and sent the peer a reset.
        EXPECT_EQ(receiveError(pair.server.get()), ECONNRESET);
        EXPECT_EQ(receiveError(pair.client.get()), ECONNABORTED);
        EXPECT_TRUE(eventually([&] { return !dumpedSocket(cookie, family).has_value(); }));
    }
}

TEST(CloseConnection, WithoutCookieTheAddressesAreEnough) {
    if (!hasNetAdmin()) {
        GTEST_SKIP() << "closing needs CAP_NET_ADMIN; covered by ClosesARealLoopbackConnection";
    }
    auto pair = tcpPair(core::Family::V4);
    auto socket = dumpedSocket(socketCookie(pair.server.get()), core::Family::V4);
    ASSERT_TRUE(socket.has_value());
    socket->cookie = 0; // as the /proc/net fallback reports it
    const auto result = closeConnection(*socket);
    if (result.status == ActionStatus::NotSupported) {
        GTEST_SKIP() << result.message;
    }
    ASSERT_EQ(result.status, ActionStatus::Done) << result.message;
    EXPECT_EQ(receiveError(pair.client.get()), ECONNRESET);
}

} // namespace
} // namespace portscope::platform
