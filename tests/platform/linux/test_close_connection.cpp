// closeConnection through SOCK_DESTROY on real loopback connections.

#include "diag_test_support.h"
#include "linux/socket_diag.h"
#include "portscope/platform/system.h"

#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <gtest/gtest.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <set>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

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
    auto pair = tcpPair(core::Family::V4);
    auto socket = dumpedSocket(socketCookie(pair.server.get()), core::Family::V4);
    ASSERT_TRUE(socket.has_value());
    socket->cookie = 0; // as the /proc/net fallback reports it
    const auto result = closeConnection(*socket);
    if (result.status == ActionStatus::NotSupported) {
        GTEST_SKIP() << result.message;
    }
    if (!hasNetAdmin()) {
        // The kernel found the connection by its addresses, then refused.
        EXPECT_EQ(result.status, ActionStatus::PermissionDenied) << result.message;
        return;
    }
    ASSERT_EQ(result.status, ActionStatus::Done) << result.message;
    EXPECT_EQ(receiveError(pair.client.get()), ECONNRESET);
}

// A child process holding a loopback connection inside a network namespace of its own.
// Only raw system calls run in the child, so forking from the test binary is safe.
class NamespacedConnection {
public:
    struct Details {
        std::uint16_t clientPort = 0;
        std::uint16_t listenerPort = 0;
        std::uint64_t clientCookie = 0;
    };

    NamespacedConnection() {
        int toParent[2];
        int toChild[2];
        if (::pipe2(toParent, O_CLOEXEC) != 0 || ::pipe2(toChild, O_CLOEXEC) != 0) {
            return;
        }
        pid_ = ::fork();
        if (pid_ == 0) {
            ::close(toParent[0]);
            ::close(toChild[1]);
            runChild(toParent[1], toChild[0]);
        }
        ::close(toParent[1]);
        ::close(toChild[0]);
        fromChild_ = Fd(toParent[0]);
        toChild_ = Fd(toChild[1]);
    }
    NamespacedConnection(const NamespacedConnection&) = delete;
    NamespacedConnection& operator=(const NamespacedConnection&) = delete;
    ~NamespacedConnection() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }

    pid_t pid() const { return pid_; }

    // Empty when the child could not make its namespace (no CAP_SYS_ADMIN).
    std::optional<Details> details() {
        char status = 0;
        if (!readFully(&status, 1) || status != 'K') {
            return std::nullopt;
        }
        Details details;
        if (!readFully(&details, sizeof details)) {
            return std::nullopt;
        }
        return details;
    }

    // Tells the child to look at its server end; returns the errno its recv failed with.
    int peerError() {
        const char go = 'G';
        if (::write(toChild_.get(), &go, 1) != 1) {
            return -1;
        }
        int error = -1;
        return readFully(&error, sizeof error) ? error : -1;
    }

private:
    bool readFully(void* data, std::size_t size) {
        auto* bytes = static_cast<char*>(data);
        std::size_t got = 0;
        while (got < size) {
            pollfd ready{fromChild_.get(), POLLIN, 0};
            if (::poll(&ready, 1, 5000) != 1) {
                return false;
            }
            const auto n = ::read(fromChild_.get(), bytes + got, size - got);
            if (n <= 0) {
                return false;
            }
            got += static_cast<std::size_t>(n);
        }
        return true;
    }

    [[noreturn]] static void runChild(int out, int in) {
        const auto fail = [out] {
            const char status = 'E';
            (void)!::write(out, &status, 1);
            ::_exit(1);
        };
        if (::unshare(CLONE_NEWNET) != 0) {
            fail();
        }
        const int control = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        ifreq request{};
        std::memcpy(request.ifr_name, "lo", 3);
        if (control < 0 || ::ioctl(control, SIOCGIFFLAGS, &request) != 0) {
            fail();
        }
        request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP);
        if (::ioctl(control, SIOCSIFFLAGS, &request) != 0) {
            fail();
        }
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (::bind(listener, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
            ::listen(listener, 4) != 0 ||
            ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
            fail();
        }
        const int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (::connect(client, reinterpret_cast<sockaddr*>(&address), length) != 0) {
            fail();
        }
        const int server = ::accept(listener, nullptr, nullptr);
        Details details;
        details.listenerPort = ntohs(address.sin_port);
        sockaddr_in clientAddress{};
        length = sizeof clientAddress;
        socklen_t cookieLength = sizeof details.clientCookie;
        if (server < 0 ||
            ::getsockname(client, reinterpret_cast<sockaddr*>(&clientAddress), &length) != 0 ||
            ::getsockopt(client, SOL_SOCKET, SO_COOKIE, &details.clientCookie, &cookieLength) !=
                0) {
            fail();
        }
        details.clientPort = ntohs(clientAddress.sin_port);
        const char ok = 'K';
        (void)!::write(out, &ok, 1);
        (void)!::write(out, &details, sizeof details);

        char go = 0;
        pollfd wait{in, POLLIN, 0};
        if (::poll(&wait, 1, 10000) != 1 || ::read(in, &go, 1) != 1) {
            ::_exit(2);
        }
        pollfd ready{server, POLLIN, 0};
        int error = 0;
        if (::poll(&ready, 1, 2000) == 1) {
            char byte = 0;
            error = ::recv(server, &byte, 1, MSG_DONTWAIT) < 0 ? errno : 0;
        }
        (void)!::write(out, &error, sizeof error);
        ::_exit(0);
    }

    pid_t pid_ = -1;
    Fd fromChild_;
    Fd toChild_;
};

TEST(CloseConnection, ReachesIntoTheSocketsOwnNetworkNamespace) {
    if (!hasNetAdmin()) {
        GTEST_SKIP() << "needs CAP_NET_ADMIN and CAP_SYS_ADMIN to make and enter a namespace";
    }
    NamespacedConnection child;
    ASSERT_GT(child.pid(), 0);
    const auto details = child.details();
    if (!details) {
        GTEST_SKIP() << "this environment does not allow creating a network namespace";
    }
    struct stat nsStatus {};
    const auto nsPath = "/proc/" + std::to_string(child.pid()) + "/ns/net";
    ASSERT_EQ(::stat(nsPath.c_str(), &nsStatus), 0) << std::strerror(errno);

    core::Socket socket;
    socket.state = core::SocketState::Established;
    socket.local = {core::IpAddress::v4(127, 0, 0, 1), details->clientPort};
    socket.remote = {core::IpAddress::v4(127, 0, 0, 1), details->listenerPort};
    socket.cookie = details->clientCookie;

    // In our own namespace there is no such connection.
    const auto here = closeConnection(socket);
    EXPECT_TRUE(here.status == ActionStatus::NotFound || here.status == ActionStatus::NotSupported)
        << here.message;

    socket.netns = nsStatus.st_ino;
    const auto there = closeConnection(socket);
    if (there.status == ActionStatus::NotSupported) {
        GTEST_SKIP() << there.message;
    }
    ASSERT_EQ(there.status, ActionStatus::Done) << there.message;
    EXPECT_EQ(child.peerError(), ECONNRESET);
}

TEST(CloseConnection, VanishedNamespaceIsNotFound) {
    core::Socket socket;
    socket.state = core::SocketState::Established;
    socket.local = {core::IpAddress::v4(127, 0, 0, 1), 1};
    socket.remote = {core::IpAddress::v4(127, 0, 0, 1), 2};
    socket.netns = 1; // no namespace has inode 1
    const auto result = closeConnection(socket);
    EXPECT_EQ(result.status, ActionStatus::NotFound) << result.message;
    EXPECT_NE(result.message.find("namespace"), std::string::npos) << result.message;
}

} // namespace
} // namespace portscope::platform
