// A capture by socket through the real portscope-helper: the selection crosses the protocol
// to the kernel, and each packet comes back with its socket's cookie and its direction, as the
// desktop program and portscope-cli --elevated get it.

#include "helper_test_support.h"
#include "loopback.h"
#include "portscope/platform/helper_client.h"
#include "portscope/platform/packet_capture.h"

#include <algorithm>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

namespace portscope::testing {
namespace {

namespace protocol = core::helper;
using platform::CaptureError;
using ::testing::HasSubstr;

struct TakenPacket {
    core::PacketSocket socket;
    core::pcapng::Direction direction = core::pcapng::Direction::Unknown;
    std::string data;
};

bool anyCarries(const std::vector<TakenPacket>& packets, const std::string& payload) {
    return std::any_of(packets.begin(), packets.end(), [&](const TakenPacket& packet) {
        return packet.data.find(payload) != std::string::npos;
    });
}

// Reads for up to `limit`, until `enough` says so.
std::vector<TakenPacket>
readUntil(platform::PacketCapture& capture,
          const std::function<bool(const std::vector<TakenPacket>&)>& enough,
          std::chrono::milliseconds limit = 5s) {
    std::vector<TakenPacket> taken;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline && !enough(taken)) {
        capture.read(200ms, 1000, [&](const platform::CapturedPacket& packet) {
            taken.push_back({packet.socket, packet.direction, std::string(packet.data)});
        });
    }
    return taken;
}

TEST(HelperSocketCapture, OnlyTheSelectedSocketsPacketsArriveWithTheirCookieAndDirection) {
    if (::geteuid() != 0) {
        GTEST_SKIP() << "needs root: the helper loads the capture's eBPF programs";
    }
    auto helper = platform::HelperConnection::launch(unelevated());
    platform::CaptureOptions options;
    options.bySocket = true;
    std::unique_ptr<platform::PacketCapture> capture;
    try {
        capture = helper->openCapture(options);
    } catch (const CaptureError& error) {
        if (error.kind == CaptureError::Kind::NotSupported) {
            GTEST_SKIP() << "the socket capture " << error.what();
        }
        throw;
    }
    ASSERT_TRUE(capture->selectsBySocket());

    const Fd listener = tcpListener("127.0.0.1");
    const Fd client = tcpConnect(localEndpoint(listener.get()));
    const Fd server = acceptOne(listener.get());
    const Fd noiseClient = tcpConnect(localEndpoint(listener.get()));
    const Fd noiseServer = acceptOne(listener.get());
    const std::uint64_t cookie = socketCookie(client.get());
    core::SocketSelection selection;
    selection.sockets = {cookie};
    capture->selectSockets(selection);

    ASSERT_EQ(::send(noiseClient.get(), "NOISE-ONE", 9, 0), 9);
    ASSERT_EQ(::send(client.get(), "SELECTED-REQUEST", 16, 0), 16);
    ASSERT_EQ(receiveExactly(server.get(), 16), 16u);
    ASSERT_EQ(::send(server.get(), "SELECTED-ANSWER", 15, 0), 15);
    ASSERT_EQ(receiveExactly(client.get(), 15), 15u);
    ASSERT_EQ(::send(noiseServer.get(), "NOISE-TWO", 9, 0), 9);
    ASSERT_EQ(receiveExactly(noiseServer.get(), 9), 9u);
    ASSERT_EQ(receiveExactly(noiseClient.get(), 9), 9u);

    const auto packets = readUntil(*capture, [](const auto& taken) {
        return anyCarries(taken, "SELECTED-REQUEST") && anyCarries(taken, "SELECTED-ANSWER");
    });
    ASSERT_FALSE(packets.empty()) << "nothing came through the helper";
    EXPECT_FALSE(anyCarries(packets, "NOISE")) << "an unselected socket's packet came through";
    for (const auto& packet : packets) {
        EXPECT_EQ(packet.socket.cookie, cookie);
        EXPECT_GE(packet.socket.creatorPid, 0);
        const bool sent = packet.data.find("SELECTED-REQUEST") != std::string::npos;
        const bool received = packet.data.find("SELECTED-ANSWER") != std::string::npos;
        if (sent) {
            EXPECT_EQ(packet.direction, core::pcapng::Direction::Outbound);
        } else if (received) {
            EXPECT_EQ(packet.direction, core::pcapng::Direction::Inbound);
        } else {
            EXPECT_NE(packet.direction, core::pcapng::Direction::Unknown);
        }
    }
    EXPECT_TRUE(anyCarries(packets, "SELECTED-REQUEST"));
    EXPECT_TRUE(anyCarries(packets, "SELECTED-ANSWER"));

    // An empty selection keeps nothing any more.
    capture->selectSockets({});
    ASSERT_EQ(::send(client.get(), "AFTER-DESELECT", 14, 0), 14);
    ASSERT_EQ(receiveExactly(server.get(), 14), 14u);
    const auto after = readUntil(
        *capture, [](const auto&) { return false; }, 1s);
    EXPECT_FALSE(anyCarries(after, "AFTER-DESELECT"));
}

// The helper refuses, with a sentence, to select sockets where it has none to select; the
// session goes on.
TEST(HelperSocketCapture, SelectSocketsIsRefusedWithoutACaptureBySocket) {
    HelperProcess helper;
    helper.greet();
    core::SocketSelection selection;
    selection.sockets = {42};
    auto reply = helper.exchange(2, protocol::SelectSockets{selection});
    ASSERT_TRUE(reply);
    const auto* refused = std::get_if<protocol::ActionReply>(&*reply);
    ASSERT_NE(refused, nullptr);
    EXPECT_EQ(refused->code, protocol::ActionCode::InvalidArgument);
    EXPECT_EQ(refused->message.english(), "No capture is running.");

    if (::geteuid() != 0) {
        GTEST_SKIP() << "a libpcap capture needs root (CAP_NET_RAW)";
    }
    reply = helper.exchange(3, protocol::StartCapture{256, {"lo"}, "", false});
    ASSERT_TRUE(reply);
    ASSERT_EQ(std::get<protocol::CaptureStarted>(*reply).code, protocol::ActionCode::Done)
        << std::get<protocol::CaptureStarted>(*reply).message;
    reply = helper.exchange(4, protocol::SelectSockets{selection});
    ASSERT_TRUE(reply);
    refused = std::get_if<protocol::ActionReply>(&*reply);
    ASSERT_NE(refused, nullptr);
    EXPECT_EQ(refused->code, protocol::ActionCode::InvalidArgument);
    EXPECT_THAT(refused->message.english(), HasSubstr("not by socket"));
    reply = helper.exchange(5, protocol::ReadPackets{0, 4u << 20});
    ASSERT_TRUE(reply) << "the session ended: " << helper.errorOutput();
    for (const auto& packet : std::get<protocol::PacketBatch>(*reply).packets) {
        EXPECT_EQ(packet.cookie, 0u) << "a libpcap capture knows no socket";
        EXPECT_EQ(packet.direction, core::pcapng::Direction::Unknown);
    }
    EXPECT_THAT(helper.errorOutput(), HasSubstr("select the sockets of the capture"));

    // Through the client API, the refusal is a CaptureError with the helper's sentence.
    auto connection = platform::HelperConnection::launch(unelevated());
    platform::CaptureOptions options;
    options.interfaces = {"lo"};
    options.snapLength = 256;
    auto capture = connection->openCapture(options);
    EXPECT_FALSE(capture->selectsBySocket());
    try {
        capture->selectSockets(selection);
        FAIL() << "a libpcap capture took a selection of sockets";
    } catch (const CaptureError& error) {
        EXPECT_THAT(error.what(), HasSubstr("not by socket"));
    }
}

} // namespace
} // namespace portscope::testing
