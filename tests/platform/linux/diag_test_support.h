#pragma once
// Shared by the socket-listing tests: fixture loading, the scene the fixtures were captured
// from, and real loopback sockets.

#include "portscope/core/model.h"

#include <arpa/inet.h>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <netinet/in.h>
#include <optional>
#include <sstream>
#include <string>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace portscope::diagtest {

inline std::string fixturePath(const std::string& name) {
    return std::string(PORTSCOPE_FIXTURES_DIR) + "/" + name;
}

inline std::string readFixtureText(const std::string& name) {
    std::ifstream in(fixturePath(name), std::ios::binary);
    EXPECT_TRUE(in.good()) << "missing fixture " << name;
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline std::vector<std::uint8_t> readFixtureBytes(const std::string& name) {
    const auto text = readFixtureText(name);
    return std::vector<std::uint8_t>(text.begin(), text.end());
}

// One line of fixtures/diag_scene.txt: a socket as its owner saw it at capture time.
struct SceneSocket {
    std::string label;
    core::Protocol protocol = core::Protocol::Tcp;
    core::Endpoint local;
    core::Endpoint remote;
    core::SocketState state = core::SocketState::Unknown;
    std::uint64_t inode = 0;
    std::uint64_t cookie = 0;
    std::uint64_t bytesAcked = 0;
    std::uint64_t bytesReceived = 0;
};

inline std::vector<SceneSocket> loadScene() {
    std::vector<SceneSocket> scene;
    std::istringstream lines(readFixtureText("diag_scene.txt"));
    std::string line;
    while (std::getline(lines, line)) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        std::istringstream fields(line);
        SceneSocket entry;
        std::string protocol, localAddress, remoteAddress, state;
        unsigned localPort = 0, remotePort = 0;
        fields >> entry.label >> protocol >> localAddress >> localPort >> remoteAddress >>
            remotePort >> state >> entry.inode >> entry.cookie >> entry.bytesAcked >>
            entry.bytesReceived;
        EXPECT_FALSE(fields.fail()) << "bad scene line: " << line;
        entry.protocol = protocol == "udp" ? core::Protocol::Udp : core::Protocol::Tcp;
        const auto local = core::IpAddress::parse(localAddress);
        const auto remote = core::IpAddress::parse(remoteAddress);
        EXPECT_TRUE(local && remote) << "bad address in scene line: " << line;
        if (local && remote) {
            entry.local = {*local, static_cast<std::uint16_t>(localPort)};
            entry.remote = {*remote, static_cast<std::uint16_t>(remotePort)};
        }
        const auto parsedState = core::parseSocketState(state);
        EXPECT_TRUE(parsedState.has_value()) << "bad state in scene line: " << line;
        entry.state = parsedState.value_or(core::SocketState::Unknown);
        scene.push_back(entry);
    }
    return scene;
}

// A copy, so that calling it on a temporary scene is safe.
inline SceneSocket sceneEntry(const std::vector<SceneSocket>& scene, const std::string& label) {
    for (const auto& entry : scene) {
        if (entry.label == label) {
            return entry;
        }
    }
    ADD_FAILURE() << "no scene entry " << label;
    return {};
}

inline const core::Socket* findSocket(const std::vector<core::Socket>& sockets,
                                      core::Protocol protocol, const core::Endpoint& local,
                                      const core::Endpoint& remote) {
    for (const auto& socket : sockets) {
        if (socket.protocol == protocol && socket.local == local && socket.remote == remote) {
            return &socket;
        }
    }
    return nullptr;
}

inline const core::Socket* findByCookie(const std::vector<core::Socket>& sockets,
                                        std::uint64_t cookie) {
    for (const auto& socket : sockets) {
        if (socket.cookie == cookie) {
            return &socket;
        }
    }
    return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Real loopback sockets

class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    Fd& operator=(Fd&& other) noexcept {
        reset();
        fd_ = std::exchange(other.fd_, -1);
        return *this;
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }
    int get() const { return fd_; }
    bool valid() const { return fd_ >= 0; }
    void reset() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = -1;
    }

private:
    int fd_ = -1;
};

inline sockaddr_storage toSockaddr(const core::Endpoint& endpoint, socklen_t& length) {
    sockaddr_storage storage{};
    if (endpoint.address.family == core::Family::V4) {
        auto* address = reinterpret_cast<sockaddr_in*>(&storage);
        address->sin_family = AF_INET;
        address->sin_port = htons(endpoint.port);
        std::memcpy(&address->sin_addr, endpoint.address.bytes.data(), 4);
        length = sizeof(sockaddr_in);
    } else {
        auto* address = reinterpret_cast<sockaddr_in6*>(&storage);
        address->sin6_family = AF_INET6;
        address->sin6_port = htons(endpoint.port);
        std::memcpy(&address->sin6_addr, endpoint.address.bytes.data(), 16);
        length = sizeof(sockaddr_in6);
    }
    return storage;
}

inline core::Endpoint fromSockaddr(const sockaddr_storage& storage) {
    core::Endpoint endpoint;
    if (storage.ss_family == AF_INET) {
        const auto* address = reinterpret_cast<const sockaddr_in*>(&storage);
        std::uint32_t networkOrder = 0;
        std::memcpy(&networkOrder, &address->sin_addr, 4);
        endpoint.address = core::IpAddress::v4FromNetworkOrder(networkOrder);
        endpoint.port = ntohs(address->sin_port);
    } else {
        const auto* address = reinterpret_cast<const sockaddr_in6*>(&storage);
        std::array<std::uint8_t, 16> raw{};
        std::memcpy(raw.data(), &address->sin6_addr, 16);
        endpoint.address = core::IpAddress::v6(raw);
        endpoint.port = ntohs(address->sin6_port);
    }
    return endpoint;
}

inline core::Endpoint localEndpoint(int fd) {
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length), 0);
    return fromSockaddr(storage);
}

inline core::Endpoint remoteEndpoint(int fd) {
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    EXPECT_EQ(::getpeername(fd, reinterpret_cast<sockaddr*>(&storage), &length), 0);
    return fromSockaddr(storage);
}

inline core::IpAddress loopback(core::Family family) {
    return family == core::Family::V4 ? core::IpAddress::v4(127, 0, 0, 1)
                                      : *core::IpAddress::parse("::1");
}

inline Fd boundSocket(core::Family family, int type) {
    Fd fd(::socket(family == core::Family::V4 ? AF_INET : AF_INET6, type | SOCK_CLOEXEC, 0));
    EXPECT_TRUE(fd.valid()) << std::strerror(errno);
    socklen_t length = 0;
    const auto address = toSockaddr({loopback(family), 0}, length);
    EXPECT_EQ(::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), length), 0)
        << std::strerror(errno);
    return fd;
}

inline Fd tcpListener(core::Family family) {
    auto fd = boundSocket(family, SOCK_STREAM);
    EXPECT_EQ(::listen(fd.get(), 16), 0) << std::strerror(errno);
    return fd;
}

inline Fd connectTo(const core::Endpoint& target, int type = SOCK_STREAM) {
    Fd fd(::socket(target.address.family == core::Family::V4 ? AF_INET : AF_INET6,
                   type | SOCK_CLOEXEC, 0));
    socklen_t length = 0;
    const auto address = toSockaddr(target, length);
    EXPECT_EQ(::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), length), 0)
        << std::strerror(errno);
    return fd;
}

struct TcpPair {
    Fd listener;
    Fd client;
    Fd server;
};

inline TcpPair tcpPair(core::Family family) {
    TcpPair pair;
    pair.listener = tcpListener(family);
    pair.client = connectTo(localEndpoint(pair.listener.get()));
    pair.server = Fd(::accept4(pair.listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    EXPECT_TRUE(pair.server.valid()) << std::strerror(errno);
    return pair;
}

inline void sendAll(int fd, std::size_t bytes) {
    const std::vector<char> data(bytes, 'p');
    std::size_t sent = 0;
    while (sent < bytes) {
        const auto n = ::send(fd, data.data() + sent, bytes - sent, MSG_NOSIGNAL);
        ASSERT_GT(n, 0) << std::strerror(errno);
        sent += static_cast<std::size_t>(n);
    }
}

inline void receiveAll(int fd, std::size_t bytes) {
    std::vector<char> data(bytes);
    std::size_t received = 0;
    while (received < bytes) {
        const auto n = ::recv(fd, data.data() + received, bytes - received, 0);
        ASSERT_GT(n, 0) << std::strerror(errno);
        received += static_cast<std::size_t>(n);
    }
}

// The inode as /proc/self/fd names it: "socket:[12345]".
inline std::uint64_t socketInode(int fd) {
    char target[64] = {};
    const auto path = "/proc/self/fd/" + std::to_string(fd);
    const auto length = ::readlink(path.c_str(), target, sizeof target - 1);
    EXPECT_GT(length, 0) << std::strerror(errno);
    const std::string link(target, length > 0 ? static_cast<std::size_t>(length) : 0);
    EXPECT_TRUE(link.starts_with("socket:[") && link.ends_with("]")) << link;
    if (!link.starts_with("socket:[")) {
        return 0;
    }
    return std::stoull(link.substr(8, link.size() - 9));
}

inline std::uint64_t socketCookie(int fd) {
    std::uint64_t cookie = 0;
    socklen_t length = sizeof cookie;
    EXPECT_EQ(::getsockopt(fd, SOL_SOCKET, SO_COOKIE, &cookie, &length), 0) << std::strerror(errno);
    return cookie;
}

// Retries `attempt` until it returns true or `limit` passes; the kernel updates some state
// (ACKs on loopback, destroy events from a work queue) a moment after the syscall returns.
template <typename Attempt>
bool eventually(Attempt attempt, std::chrono::milliseconds limit = std::chrono::seconds(3)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (true) {
        if (attempt()) {
            return true;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        ::usleep(10 * 1000);
    }
}

} // namespace portscope::diagtest
