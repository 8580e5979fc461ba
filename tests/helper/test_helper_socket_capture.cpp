// A capture by socket through the real portscope-helper: the selection crosses the protocol
// to the kernel, and each packet comes back with its socket's cookie and its direction, as the
// desktop program and portscope-cli --elevated get it.

#include "helper_test_support.h"
#include "loopback.h"
#include "portscope/platform/helper_client.h"
#include "portscope/platform/packet_capture.h"
#include "socket_capture_support.h"

#include <algorithm>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace portscope::testing {
namespace {

namespace protocol = core::helper;
using platform::CaptureError;
using ::testing::HasSubstr;

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
    expectOnlyTheSelectedSocketsPackets(*capture);
}

// A read of a capture by socket empties its ring: the helper still stops a batch before it
// could pass the client's max_bytes, whatever the size of the packets waiting.
TEST(HelperSocketCapture, ABatchOfLargePacketsStaysWithinTheClientsLimit) {
    if (::geteuid() != 0) {
        GTEST_SKIP() << "needs root: the helper loads the capture's eBPF programs";
    }
    HelperProcess helper;
    helper.greet();
    auto started = helper.exchange(1, protocol::StartCapture{65536, {}, "", true});
    ASSERT_TRUE(started);
    const auto& answer = std::get<protocol::CaptureStarted>(*started);
    if (answer.code == protocol::ActionCode::NotSupported) {
        GTEST_SKIP() << "the socket capture " << answer.message;
    }
    ASSERT_EQ(answer.code, protocol::ActionCode::Done) << answer.message;

    const Fd listener = tcpListener("127.0.0.1");
    const Fd client = tcpConnect(localEndpoint(listener.get()));
    const Fd server = acceptOne(listener.get());
    core::SocketSelection selection;
    selection.sockets = {socketCookie(client.get())};
    ASSERT_TRUE(helper.exchange(2, protocol::SelectSockets{selection}));
    // 4 MB in 64 KB writes wait in the ring as large loopback segments.
    std::thread reader([&] { receiveExactly(server.get(), 4u << 20); });
    sendAll(client.get(), 4u << 20);
    reader.join();

    const std::uint32_t limit = protocol::kMinPacketBatchBytes + (1u << 20);
    auto reply = helper.exchange(3, protocol::ReadPackets{100, limit});
    ASSERT_TRUE(reply);
    const auto& batch = std::get<protocol::PacketBatch>(*reply);
    EXPECT_GT(batch.packets.size(), 1u);
    EXPECT_LE(protocol::encodePayload(*reply).size(), limit);
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
