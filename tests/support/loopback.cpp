#include "loopback.h"

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace portscope::testing {

namespace {

[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error(what + ": " + std::strerror(errno));
}

socklen_t toSockaddr(const core::Endpoint& endpoint, sockaddr_storage& storage) {
    std::memset(&storage, 0, sizeof storage);
    if (endpoint.address.family == core::Family::V4) {
        auto* in = reinterpret_cast<sockaddr_in*>(&storage);
        in->sin_family = AF_INET;
        in->sin_port = htons(endpoint.port);
        std::memcpy(&in->sin_addr, endpoint.address.bytes.data(), 4);
        return sizeof(sockaddr_in);
    }
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&storage);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(endpoint.port);
    std::memcpy(&in6->sin6_addr, endpoint.address.bytes.data(), 16);
    return sizeof(sockaddr_in6);
}

core::Endpoint fromSockaddr(const sockaddr_storage& storage) {
    if (storage.ss_family == AF_INET) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(&storage);
        std::uint32_t raw;
        std::memcpy(&raw, &in->sin_addr, 4);
        return {core::IpAddress::v4FromNetworkOrder(raw), ntohs(in->sin_port)};
    }
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&storage);
    std::array<std::uint8_t, 16> raw{};
    std::memcpy(raw.data(), &in6->sin6_addr, 16);
    return {core::IpAddress::v6(raw), ntohs(in6->sin6_port)};
}

core::Endpoint parseLoopback(const std::string& address) {
    const auto parsed = core::IpAddress::parse(address);
    if (!parsed || !parsed->isLoopback()) {
        throw std::invalid_argument("tests may only use loopback addresses, not " + address);
    }
    return {*parsed, 0};
}

Fd boundSocket(const std::string& address, int type) {
    const auto endpoint = parseLoopback(address);
    const int domain = endpoint.address.family == core::Family::V4 ? AF_INET : AF_INET6;
    Fd fd(socket(domain, type | SOCK_CLOEXEC, 0));
    if (!fd) {
        fail("socket");
    }
    sockaddr_storage storage;
    const auto length = toSockaddr(endpoint, storage);
    if (bind(fd.get(), reinterpret_cast<sockaddr*>(&storage), length) != 0) {
        fail("bind " + address);
    }
    return fd;
}

} // namespace

Fd& Fd::operator=(Fd&& other) noexcept {
    if (this != &other) {
        reset();
        fd_ = other.release();
    }
    return *this;
}

Fd::~Fd() {
    reset();
}

int Fd::release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
}

void Fd::reset() {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

Fd tcpListener(const std::string& address, int backlog) {
    Fd fd = boundSocket(address, SOCK_STREAM);
    if (listen(fd.get(), backlog) != 0) {
        fail("listen");
    }
    return fd;
}

Fd udpSocket(const std::string& address) {
    return boundSocket(address, SOCK_DGRAM);
}

namespace {
Fd connectTo(const core::Endpoint& to, bool blocking) {
    if (!to.address.isLoopback()) {
        throw std::invalid_argument("tests may only connect to loopback");
    }
    const int domain = to.address.family == core::Family::V4 ? AF_INET : AF_INET6;
    Fd fd(socket(domain, SOCK_STREAM | SOCK_CLOEXEC | (blocking ? 0 : SOCK_NONBLOCK), 0));
    if (!fd) {
        fail("socket");
    }
    sockaddr_storage storage;
    const auto length = toSockaddr(to, storage);
    if (connect(fd.get(), reinterpret_cast<sockaddr*>(&storage), length) != 0 &&
        !(errno == EINPROGRESS && !blocking)) {
        fail("connect " + to.toString());
    }
    return fd;
}
} // namespace

Fd tcpConnect(const core::Endpoint& to) {
    return connectTo(to, true);
}

Fd tcpConnectNonBlocking(const core::Endpoint& to) {
    return connectTo(to, false);
}

Fd acceptOne(int listenerFd) {
    pollfd pfd{listenerFd, POLLIN, 0};
    if (poll(&pfd, 1, 5000) != 1) {
        throw std::runtime_error("no connection to accept within 5 s");
    }
    Fd fd(accept4(listenerFd, nullptr, nullptr, SOCK_CLOEXEC));
    if (!fd) {
        fail("accept");
    }
    return fd;
}

core::Endpoint localEndpoint(int fd) {
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0) {
        fail("getsockname");
    }
    return fromSockaddr(storage);
}

core::Endpoint peerEndpoint(int fd) {
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0) {
        fail("getpeername");
    }
    return fromSockaddr(storage);
}

std::uint64_t socketInode(int fd) {
    struct stat st {};
    if (fstat(fd, &st) != 0) {
        fail("fstat");
    }
    return st.st_ino;
}

std::uint64_t socketCookie(int fd) {
    std::uint64_t cookie = 0;
    socklen_t length = sizeof cookie;
    if (::getsockopt(fd, SOL_SOCKET, SO_COOKIE, &cookie, &length) != 0) {
        fail("getsockopt(SO_COOKIE)");
    }
    return cookie;
}

void sendAll(int fd, std::size_t bytes) {
    std::vector<char> chunk(16384, 'x');
    while (bytes > 0) {
        const auto n = ::send(fd, chunk.data(), std::min(bytes, chunk.size()), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            fail("send");
        }
        bytes -= static_cast<std::size_t>(n);
    }
}

std::size_t receiveExactly(int fd, std::size_t bytes) {
    std::vector<char> buffer(65536);
    std::size_t got = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (got < bytes && std::chrono::steady_clock::now() < deadline) {
        pollfd pfd{fd, POLLIN, 0};
        if (poll(&pfd, 1, 100) != 1) {
            continue;
        }
        const auto n = ::recv(fd, buffer.data(), std::min(buffer.size(), bytes - got), 0);
        if (n <= 0) {
            break;
        }
        got += static_cast<std::size_t>(n);
    }
    return got;
}

} // namespace portscope::testing
