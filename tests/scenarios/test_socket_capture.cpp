// The socket capture against real loopback sockets: which packets the kernel hands over, with
// which cookie, for the sockets, processes and listeners selected.

#include "loopback.h"
#include "portscope/core/packet_attribution.h"
#include "portscope/platform/packet_capture.h"
#include "socket_capture_support.h"
#include "test_process.h"

#include <chrono>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace portscope;
using namespace portscope::testing;
using namespace std::chrono_literals;

namespace {

// Null, with the reason, where this machine cannot capture by socket: no root, or a kernel or
// build without what it needs. Any other failure fails the test.
std::unique_ptr<platform::PacketCapture> openOrSkipReason(std::string* whyNot) {
    if (::geteuid() != 0) {
        *whyNot = "needs root to load eBPF programs";
        return nullptr;
    }
    try {
        platform::CaptureOptions options;
        options.bySocket = true;
        return platform::openPacketCapture(options);
    } catch (const platform::CaptureError& error) {
        if (error.kind == platform::CaptureError::Kind::NotSupported) {
            *whyNot = error.what();
            return nullptr;
        }
        throw;
    }
}

#define OPEN_SOCKET_CAPTURE_OR_SKIP(capture)                                                       \
    std::string whyNot;                                                                            \
    auto capture = openOrSkipReason(&whyNot);                                                      \
    if (!capture) {                                                                                \
        GTEST_SKIP() << "the socket capture " << whyNot;                                           \
    }

TEST(SocketCapture, TakesOnlyTheSelectedSocketsPacketsEachWithItsCookie) {
    OPEN_SOCKET_CAPTURE_OR_SKIP(capture);
    expectOnlyTheSelectedSocketsPackets(*capture);
}

// A selected process's new socket is selected by the kernel as the process creates it: its
// first datagram is taken, and names the process, before any poll could have listed it.
TEST(SocketCapture, ASelectedProcesssNewSocketIsTakenFromItsFirstPacket) {
    OPEN_SOCKET_CAPTURE_OR_SKIP(capture);
    Fd receiver = udpSocket("127.0.0.1");
    const auto to = localEndpoint(receiver.get());
    int go[2];
    ASSERT_EQ(::pipe(go), 0);
    const pid_t child = ::fork();
    if (child == 0) {
        char start = 0;
        if (::read(go[0], &start, 1) != 1) {
            ::_exit(1);
        }
        const int sender = ::socket(AF_INET, SOCK_DGRAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(to.port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        const bool sent = ::sendto(sender, "FIRST-DATAGRAM", 14, 0,
                                   reinterpret_cast<sockaddr*>(&address), sizeof address) == 14;
        ::_exit(sent ? 0 : 1);
    }
    ASSERT_GT(child, 0);
    core::SocketSelection selection;
    selection.processes = {child};
    capture->selectSockets(selection);
    ASSERT_EQ(::write(go[1], "g", 1), 1);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ::close(go[0]);
    ::close(go[1]);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    const auto packets =
        readUntil(*capture, [](const auto& taken) { return anyCarries(taken, "FIRST-DATAGRAM"); });
    ASSERT_TRUE(anyCarries(packets, "FIRST-DATAGRAM"));
    for (const auto& packet : packets) {
        EXPECT_EQ(packet.socket.creatorPid, child);
        EXPECT_NE(packet.socket.cookie, 0u);
        EXPECT_EQ(packet.direction, core::pcapng::Direction::Outbound);
    }
    // The receiver's socket was not selected: its copy of the datagram is not taken.
    EXPECT_EQ(packets.size(), 1u);
}

// A connection a selected listener accepts is taken from its first packet, under the
// accepted socket's own cookie, though nothing named that socket to the kernel.
TEST(SocketCapture, ASelectedListenersAcceptedConnectionIsTakenBeforeAnyPoll) {
    OPEN_SOCKET_CAPTURE_OR_SKIP(capture);
    Fd listener = tcpListener("127.0.0.1");
    const auto port = localEndpoint(listener.get()).port;
    core::SocketSelection selection;
    selection.sockets = {socketCookie(listener.get())};
    selection.listeningPorts = {{core::Protocol::Tcp, port}};
    capture->selectSockets(selection);

    Fd client = tcpConnect(localEndpoint(listener.get()));
    Fd accepted = acceptOne(listener.get());
    ASSERT_EQ(::send(client.get(), "TO-THE-LISTENER", 15, 0), 15);
    ASSERT_EQ(receiveExactly(accepted.get(), 15), 15u);
    const std::uint64_t clientCookie = socketCookie(client.get());
    const std::uint64_t acceptedCookie = socketCookie(accepted.get());

    const auto packets =
        readUntil(*capture, [](const auto& taken) { return anyCarries(taken, "TO-THE-LISTENER"); });
    bool payloadOnAcceptedSocket = false;
    bool handshakeOnListener = false;
    for (const auto& packet : packets) {
        EXPECT_NE(packet.socket.cookie, clientCookie) << "the client was not selected";
        if (packet.data.find("TO-THE-LISTENER") != std::string::npos) {
            payloadOnAcceptedSocket = packet.socket.cookie == acceptedCookie &&
                                      packet.direction == core::pcapng::Direction::Inbound;
        }
        handshakeOnListener |= packet.socket.cookie == socketCookie(listener.get());
    }
    EXPECT_TRUE(payloadOnAcceptedSocket);
    EXPECT_TRUE(handshakeOnListener) << "the SYN reaches the listener's socket";
}

// A selected process that starts listening after the selection was made: the connections it
// accepts are taken from their first packet, though no poll has named the listener.
TEST(SocketCapture, ASelectedProcesssNewListenersConnectionsAreTakenBeforeAnyPoll) {
    OPEN_SOCKET_CAPTURE_OR_SKIP(capture);
    int go[2];
    int portPipe[2];
    ASSERT_EQ(::pipe(go), 0);
    ASSERT_EQ(::pipe(portPipe), 0);
    const pid_t child = ::fork();
    if (child == 0) {
        char start = 0;
        if (::read(go[0], &start, 1) != 1) {
            ::_exit(1);
        }
        try {
            Fd listener = tcpListener("127.0.0.1");
            const auto port = localEndpoint(listener.get()).port;
            (void)!::write(portPipe[1], &port, sizeof port);
            Fd accepted = acceptOne(listener.get());
            ::_exit(receiveExactly(accepted.get(), 13) == 13 ? 0 : 1);
        } catch (...) {
            ::_exit(1);
        }
    }
    ASSERT_GT(child, 0);
    core::SocketSelection selection;
    selection.processes = {child};
    capture->selectSockets(selection);
    ASSERT_EQ(::write(go[1], "g", 1), 1);
    std::uint16_t port = 0;
    ASSERT_EQ(::read(portPipe[0], &port, sizeof port), static_cast<ssize_t>(sizeof port));
    {
        Fd client = tcpConnect({core::IpAddress::v4(127, 0, 0, 1), port});
        ASSERT_EQ(::send(client.get(), "LATE-LISTENER", 13, 0), 13);
        int status = 0;
        ASSERT_EQ(::waitpid(child, &status, 0), child);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    for (int fd : {go[0], go[1], portPipe[0], portPipe[1]}) {
        ::close(fd);
    }
    const auto packets =
        readUntil(*capture, [](const auto& taken) { return anyCarries(taken, "LATE-LISTENER"); });
    bool received = false;
    for (const auto& packet : packets) {
        if (packet.data.find("LATE-LISTENER") != std::string::npos) {
            received = packet.direction == core::pcapng::Direction::Inbound;
        }
    }
    EXPECT_TRUE(received) << "the accepted connection's first data is missing";
}

TEST(SocketCapture, TheUsersFilterAppliesToTheSelectedSocketsPackets) {
    OPEN_SOCKET_CAPTURE_OR_SKIP(capture);
    EXPECT_THROW(capture->setFilter("tcp port"), platform::CaptureError);
    capture->setFilter("udp");
    Fd listener = tcpListener("127.0.0.1");
    Fd client = tcpConnect(localEndpoint(listener.get()));
    Fd server = acceptOne(listener.get());
    Fd receiver = udpSocket("127.0.0.1");
    Fd sender = udpSocket("127.0.0.1");
    core::SocketSelection selection;
    selection.sockets = {socketCookie(client.get()), socketCookie(sender.get())};
    capture->selectSockets(selection);
    ASSERT_EQ(::send(client.get(), "OVER-TCP", 8, 0), 8);
    const auto to = localEndpoint(receiver.get());
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(to.port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::sendto(sender.get(), "OVER-UDP", 8, 0, reinterpret_cast<sockaddr*>(&address),
                       sizeof address),
              8);
    const auto packets =
        readUntil(*capture, [](const auto& taken) { return anyCarries(taken, "OVER-UDP"); });
    EXPECT_TRUE(anyCarries(packets, "OVER-UDP"));
    EXPECT_FALSE(anyCarries(packets, "OVER-TCP"));
    const auto statistics = capture->statistics();
    ASSERT_EQ(statistics.size(), capture->interfaces().size());
    EXPECT_EQ(statistics[0].dropped, 0u);
}

} // namespace
