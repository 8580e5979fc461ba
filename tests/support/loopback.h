#pragma once
// Real loopback sockets for scenario tests. Every address is 127.0.0.0/8 or ::1.

#include "portscope/core/net.h"

#include <cstdint>
#include <string>
#include <sys/stat.h>

namespace portscope::testing {

class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    Fd(Fd&& other) noexcept : fd_(other.release()) {}
    Fd& operator=(Fd&& other) noexcept;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd();
    int get() const { return fd_; }
    int release();
    void reset();
    explicit operator bool() const { return fd_ >= 0; }

private:
    int fd_ = -1;
};

// Throw std::runtime_error with the errno text on failure.
Fd tcpListener(const std::string& address, int backlog = 16); // port chosen by the kernel
Fd udpSocket(const std::string& address);
Fd tcpConnect(const core::Endpoint& to);            // blocking
Fd tcpConnectNonBlocking(const core::Endpoint& to); // returns at once (EINPROGRESS)
Fd acceptOne(int listenerFd);
core::Endpoint localEndpoint(int fd);
core::Endpoint peerEndpoint(int fd);
std::uint64_t socketInode(int fd);
std::uint64_t socketCookie(int fd); // SO_COOKIE: what sock_diag and eBPF name the socket by
void sendAll(int fd, std::size_t bytes);
// Reads until `bytes` arrived or 5 s passed; returns what arrived.
std::size_t receiveExactly(int fd, std::size_t bytes);

} // namespace portscope::testing
