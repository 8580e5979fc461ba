// The socket capture against real loopback sockets: which packets the kernel hands over, with
// which cookie, for the sockets, processes and listeners selected.

#include "loopback.h"
#include "portscope/core/packet_attribution.h"
#include "portscope/platform/packet_capture.h"
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

struct TakenPacket {
    core::PacketSocket socket;
    core::pcapng::Direction direction = core::pcapng::Direction::Unknown;
    std::string data;
    std::uint32_t originalLength = 0;
    std::string interface;
};

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

// Reads for up to `limit`, until `enough` says so; returns all that was taken.
std::vector<TakenPacket>
readUntil(platform::PacketCapture& capture,
          const std::function<bool(const std::vector<TakenPacket>&)>& enough,
          std::chrono::milliseconds limit = 3s) {
    std::vector<TakenPacket> taken;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline && !enough(taken)) {
        capture.read(100ms, 1000, [&](const platform::CapturedPacket& packet) {
            taken.push_back({packet.socket, packet.direction, std::string(packet.data),
                             packet.originalLength,
                             capture.interfaces().at(packet.interface).name});
        });
    }
    return taken;
}

bool anyCarries(const std::vector<TakenPacket>& packets, const std::string& payload) {
    return std::any_of(packets.begin(), packets.end(), [&](const TakenPacket& packet) {
        return packet.data.find(payload) != std::string::npos;
    });
}

TEST(SocketCapture, TakesOnlyTheSelectedSocketsPacketsEachWithItsCookie) {
    OPEN_SOCKET_CAPTURE_OR_SKIP(capture);
    EXPECT_TRUE(capture->selectsBySocket());
    Fd listener = tcpListener("127.0.0.1");
    Fd client = tcpConnect(localEndpoint(listener.get()));
    Fd server = acceptOne(listener.get());
    Fd noiseClient = tcpConnect(localEndpoint(listener.get()));
    Fd noiseServer = acceptOne(listener.get());
    const std::uint64_t cookie = socketCookie(client.get());

    core::SocketSelection selection;
    selection.sockets = {cookie};
    capture->selectSockets(selection);
    ASSERT_EQ(::send(noiseClient.get(), "NOISE-ONE", 9, 0), 9);
    ASSERT_EQ(::send(client.get(), "HELLO-FROM-CLIENT", 17, 0), 17);
    ASSERT_EQ(receiveExactly(server.get(), 17), 17u);
    ASSERT_EQ(::send(server.get(), "REPLY-TO-CLIENT", 15, 0), 15);
    ASSERT_EQ(receiveExactly(client.get(), 15), 15u);
    ASSERT_EQ(::send(noiseServer.get(), "NOISE-TWO", 9, 0), 9);

    const auto packets = readUntil(*capture, [](const auto& taken) {
        return anyCarries(taken, "HELLO-FROM-CLIENT") && anyCarries(taken, "REPLY-TO-CLIENT");
    });
    ASSERT_TRUE(anyCarries(packets, "HELLO-FROM-CLIENT"));
    ASSERT_TRUE(anyCarries(packets, "REPLY-TO-CLIENT"));
    EXPECT_FALSE(anyCarries(packets, "NOISE"));
    for (const auto& packet : packets) {
        EXPECT_EQ(packet.socket.cookie, cookie);
        EXPECT_EQ(packet.socket.creatorPid, 0); // selected by this side, not by the kernel
        EXPECT_EQ(packet.interface, "lo");
        EXPECT_EQ(packet.data.size(), packet.originalLength);
        ASSERT_FALSE(packet.data.empty());
        EXPECT_EQ(static_cast<unsigned char>(packet.data[0]) >> 4, 4) << "an IPv4 header first";
        const bool hello = packet.data.find("HELLO-FROM-CLIENT") != std::string::npos;
        const bool reply = packet.data.find("REPLY-TO-CLIENT") != std::string::npos;
        if (hello) {
            EXPECT_EQ(packet.direction, core::pcapng::Direction::Outbound);
        }
        if (reply) {
            EXPECT_EQ(packet.direction, core::pcapng::Direction::Inbound);
        }
    }

    // Deselected, the socket's packets stop.
    capture->selectSockets({});
    ASSERT_EQ(::send(client.get(), "AFTER-DESELECTING", 17, 0), 17);
    ASSERT_EQ(receiveExactly(server.get(), 17), 17u);
    const auto after = readUntil(
        *capture, [](const auto&) { return false; }, 500ms);
    EXPECT_FALSE(anyCarries(after, "AFTER-DESELECTING"));
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
