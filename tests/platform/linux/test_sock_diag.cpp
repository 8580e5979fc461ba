// NETLINK_SOCK_DIAG: request layout, parsing of captured and corrupted replies, and live dumps
// and destroy events on loopback sockets.

#include "diag_test_support.h"
#include "linux/socket_diag.h"

#include <algorithm>
#include <cstddef>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <limits>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <poll.h>
#include <random>
#include <sys/stat.h>

namespace portscope::platform::linuxsys {
namespace {

using namespace portscope::diagtest;
using Bytes = std::vector<std::uint8_t>;

constexpr std::uint16_t kSockDiagByFamily = 20; // SOCK_DIAG_BY_FAMILY

// ---------------------------------------------------------------------------------------------
// Test-side netlink walking and building, kept apart from the code under test.

struct MessageSpan {
    std::size_t offset = 0;
    std::uint32_t length = 0;
    std::uint16_t type = 0;
};

std::vector<MessageSpan> splitMessages(const Bytes& bytes) {
    std::vector<MessageSpan> messages;
    std::size_t offset = 0;
    while (offset + sizeof(nlmsghdr) <= bytes.size()) {
        nlmsghdr header{};
        std::memcpy(&header, bytes.data() + offset, sizeof header);
        if (header.nlmsg_len < sizeof header || offset + header.nlmsg_len > bytes.size()) {
            ADD_FAILURE() << "fixture is not a clean netlink stream at " << offset;
            break;
        }
        messages.push_back({offset, header.nlmsg_len, header.nlmsg_type});
        offset += NLMSG_ALIGN(header.nlmsg_len);
    }
    return messages;
}

inet_diag_msg diagMessageAt(const Bytes& bytes, const MessageSpan& message) {
    inet_diag_msg diag{};
    std::memcpy(&diag, bytes.data() + message.offset + NLMSG_HDRLEN, sizeof diag);
    return diag;
}

// The first SOCK_DIAG_BY_FAMILY message whose local and remote ports match.
std::optional<MessageSpan> findDiagMessage(const Bytes& bytes, std::uint16_t localPort,
                                           std::uint16_t remotePort) {
    for (const auto& message : splitMessages(bytes)) {
        if (message.type != kSockDiagByFamily) {
            continue;
        }
        const auto diag = diagMessageAt(bytes, message);
        if (ntohs(diag.id.idiag_sport) == localPort && ntohs(diag.id.idiag_dport) == remotePort) {
            return message;
        }
    }
    return std::nullopt;
}

struct AttributeSpan {
    std::size_t offset = 0; // of the rtattr header within the buffer
    std::uint16_t length = 0;
};

std::optional<AttributeSpan> findAttribute(const Bytes& bytes, const MessageSpan& message,
                                           std::uint16_t type) {
    std::size_t offset = message.offset + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(inet_diag_msg));
    const std::size_t end = message.offset + message.length;
    while (offset + sizeof(rtattr) <= end) {
        rtattr attribute{};
        std::memcpy(&attribute, bytes.data() + offset, sizeof attribute);
        if (attribute.rta_len < sizeof attribute) {
            break;
        }
        if (attribute.rta_type == type) {
            return AttributeSpan{offset, attribute.rta_len};
        }
        offset += RTA_ALIGN(attribute.rta_len);
    }
    return std::nullopt;
}

void appendMessage(Bytes& out, std::uint16_t type, std::uint16_t flags, const Bytes& payload) {
    nlmsghdr header{};
    header.nlmsg_len = static_cast<std::uint32_t>(NLMSG_HDRLEN + payload.size());
    header.nlmsg_type = type;
    header.nlmsg_flags = flags;
    const auto* raw = reinterpret_cast<const std::uint8_t*>(&header);
    out.insert(out.end(), raw, raw + sizeof header);
    out.insert(out.end(), payload.begin(), payload.end());
    out.resize(NLMSG_ALIGN(out.size()), 0);
}

void appendAttribute(Bytes& payload, std::uint16_t type, const Bytes& data) {
    rtattr attribute{};
    attribute.rta_len = static_cast<unsigned short>(RTA_LENGTH(data.size()));
    attribute.rta_type = type;
    const auto* raw = reinterpret_cast<const std::uint8_t*>(&attribute);
    payload.insert(payload.end(), raw, raw + sizeof attribute);
    payload.insert(payload.end(), data.begin(), data.end());
    payload.resize(RTA_ALIGN(payload.size()), 0);
}

template <typename T>
Bytes bytesOf(const T& value) {
    const auto* raw = reinterpret_cast<const std::uint8_t*>(&value);
    return Bytes(raw, raw + sizeof value);
}

Bytes intMessage(std::uint16_t type, int value, std::uint16_t flags = 0) {
    Bytes out;
    appendMessage(out, type, flags, bytesOf(value));
    return out;
}

inet_diag_msg sampleDiag(std::uint8_t family = AF_INET) {
    inet_diag_msg diag{};
    diag.idiag_family = family;
    diag.idiag_state = 1; // ESTABLISHED
    diag.id.idiag_sport = htons(1111);
    diag.id.idiag_dport = htons(2222);
    diag.id.idiag_src[0] = htonl(0x7f000001);
    diag.id.idiag_dst[0] = htonl(0x7f000002);
    diag.idiag_inode = 4242;
    return diag;
}

Bytes diagPayload(const inet_diag_msg& diag) {
    auto payload = bytesOf(diag);
    payload.resize(NLMSG_ALIGN(payload.size()), 0);
    return payload;
}

struct Parsed {
    DumpParseResult result;
    std::vector<core::Socket> sockets;
};

Parsed parse(const Bytes& bytes, core::Protocol protocol = core::Protocol::Tcp) {
    Parsed parsed;
    parsed.result = parseDumpMessages(bytes, protocol, parsed.sockets);
    EXPECT_EQ(parsed.result.sockets, parsed.sockets.size());
    return parsed;
}

// The captured tcp_info of the IPv4 client from diag_tcp4.bin, with its inet_diag_msg.
struct CapturedClient {
    inet_diag_msg diag{};
    Bytes tcpInfo;
};

CapturedClient capturedClient() {
    const auto scene = loadScene();
    const auto& client = sceneEntry(scene, "tcp4_client");
    const auto dump = readFixtureBytes("diag_tcp4.bin");
    CapturedClient captured;
    const auto message = findDiagMessage(dump, client.local.port, client.remote.port);
    EXPECT_TRUE(message.has_value());
    if (!message) {
        return captured;
    }
    captured.diag = diagMessageAt(dump, *message);
    const auto info = findAttribute(dump, *message, INET_DIAG_INFO);
    EXPECT_TRUE(info.has_value());
    if (info) {
        const auto begin = dump.begin() + static_cast<std::ptrdiff_t>(info->offset + RTA_LENGTH(0));
        captured.tcpInfo.assign(begin, begin + (info->length - RTA_LENGTH(0)));
    }
    return captured;
}

Bytes messageWithTcpInfo(const inet_diag_msg& diag, const Bytes& tcpInfo) {
    auto payload = diagPayload(diag);
    appendAttribute(payload, INET_DIAG_INFO, tcpInfo);
    Bytes out;
    appendMessage(out, kSockDiagByFamily, NLM_F_MULTI, payload);
    return out;
}

// ---------------------------------------------------------------------------------------------
// Requests

TEST(SockDiagRequest, DumpRequestAsksForEveryStateWithTcpInfo) {
    const auto bytes = buildDumpRequest(AF_INET6, IPPROTO_TCP, 0xFFFFFFFFu, true, 77);
    ASSERT_EQ(bytes.size(), NLMSG_LENGTH(sizeof(inet_diag_req_v2)));
    nlmsghdr header{};
    inet_diag_req_v2 request{};
    std::memcpy(&header, bytes.data(), sizeof header);
    std::memcpy(&request, bytes.data() + NLMSG_HDRLEN, sizeof request);
    EXPECT_EQ(header.nlmsg_len, bytes.size());
    EXPECT_EQ(header.nlmsg_type, kSockDiagByFamily);
    EXPECT_EQ(header.nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
    EXPECT_EQ(header.nlmsg_seq, 77u);
    EXPECT_EQ(request.sdiag_family, AF_INET6);
    EXPECT_EQ(request.sdiag_protocol, IPPROTO_TCP);
    EXPECT_EQ(request.idiag_states, 0xFFFFFFFFu);
    EXPECT_EQ(request.idiag_ext, 1u << (INET_DIAG_INFO - 1));
}

TEST(SockDiagRequest, UdpDumpRequestAsksForNoExtensions) {
    const auto bytes = buildDumpRequest(AF_INET, IPPROTO_UDP, 1u << 7, false, 3);
    inet_diag_req_v2 request{};
    std::memcpy(&request, bytes.data() + NLMSG_HDRLEN, sizeof request);
    EXPECT_EQ(request.sdiag_family, AF_INET);
    EXPECT_EQ(request.sdiag_protocol, IPPROTO_UDP);
    EXPECT_EQ(request.idiag_states, 1u << 7);
    EXPECT_EQ(request.idiag_ext, 0);
}

TEST(SockDiagRequest, DestroyRequestNamesTheExactSocket) {
    core::Socket socket;
    socket.protocol = core::Protocol::Tcp;
    socket.state = core::SocketState::Established;
    socket.local = {core::IpAddress::v4(127, 0, 0, 1), 40000};
    socket.remote = {core::IpAddress::v4(127, 0, 0, 2), 443};
    socket.interfaceIndex = 3;
    socket.cookie = 0x1122334455667788ull;

    const auto bytes = buildDestroyRequest(socket, 9);
    ASSERT_TRUE(bytes.has_value());
    ASSERT_EQ(bytes->size(), NLMSG_LENGTH(sizeof(inet_diag_req_v2)));
    nlmsghdr header{};
    inet_diag_req_v2 request{};
    std::memcpy(&header, bytes->data(), sizeof header);
    std::memcpy(&request, bytes->data() + NLMSG_HDRLEN, sizeof request);
    EXPECT_EQ(header.nlmsg_type, SOCK_DESTROY);
    EXPECT_EQ(header.nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
    EXPECT_EQ(header.nlmsg_seq, 9u);
    EXPECT_EQ(request.sdiag_family, AF_INET);
    EXPECT_EQ(request.sdiag_protocol, IPPROTO_TCP);
    EXPECT_EQ(request.idiag_states, 1u << 1);
    EXPECT_EQ(ntohs(request.id.idiag_sport), 40000);
    EXPECT_EQ(ntohs(request.id.idiag_dport), 443);
    EXPECT_EQ(ntohl(request.id.idiag_src[0]), 0x7f000001u);
    EXPECT_EQ(ntohl(request.id.idiag_dst[0]), 0x7f000002u);
    EXPECT_EQ(request.id.idiag_if, 3u);
    EXPECT_EQ(request.id.idiag_cookie[0], 0x55667788u);
    EXPECT_EQ(request.id.idiag_cookie[1], 0x11223344u);
}

TEST(SockDiagRequest, DestroyRequestWithoutCookieMatchesAnyCookie) {
    core::Socket socket;
    socket.state = core::SocketState::CloseWait;
    socket.local = {*core::IpAddress::parse("2001:db8::1"), 80};
    socket.remote = {*core::IpAddress::parse("2001:db8::2"), 50000};

    const auto bytes = buildDestroyRequest(socket, 1);
    ASSERT_TRUE(bytes.has_value());
    inet_diag_req_v2 request{};
    std::memcpy(&request, bytes->data() + NLMSG_HDRLEN, sizeof request);
    EXPECT_EQ(request.sdiag_family, AF_INET6);
    EXPECT_EQ(request.idiag_states, 1u << 8);
    EXPECT_EQ(std::memcmp(request.id.idiag_src, socket.local.address.bytes.data(), 16), 0);
    EXPECT_EQ(std::memcmp(request.id.idiag_dst, socket.remote.address.bytes.data(), 16), 0);
    EXPECT_EQ(request.id.idiag_cookie[0], INET_DIAG_NOCOOKIE);
    EXPECT_EQ(request.id.idiag_cookie[1], INET_DIAG_NOCOOKIE);
}

TEST(SockDiagRequest, DestroyRequestRefusesWhatTheKernelCannotMatch) {
    core::Socket udp;
    udp.protocol = core::Protocol::Udp;
    udp.state = core::SocketState::Established;
    EXPECT_FALSE(buildDestroyRequest(udp, 1).has_value());

    core::Socket bound;
    bound.state = core::SocketState::Bound;
    EXPECT_FALSE(buildDestroyRequest(bound, 1).has_value());

    core::Socket mixed;
    mixed.state = core::SocketState::Established;
    mixed.local = {core::IpAddress::v4(127, 0, 0, 1), 1};
    mixed.remote = {*core::IpAddress::parse("::1"), 2};
    EXPECT_FALSE(buildDestroyRequest(mixed, 1).has_value());
}

// ---------------------------------------------------------------------------------------------
// Captured dumps (see fixtures/diag_scene.txt for how they were made)

void expectMatchesScene(const std::vector<core::Socket>& sockets, const SceneSocket& expected) {
    SCOPED_TRACE(expected.label);
    const auto* socket = findSocket(sockets, expected.protocol, expected.local, expected.remote);
    ASSERT_NE(socket, nullptr) << expected.local.toString() << " -> " << expected.remote.toString()
                               << " not parsed";
    EXPECT_EQ(socket->state, expected.state);
    EXPECT_EQ(socket->inode, expected.inode);
    if (expected.cookie != 0) { // the scene does not know the TIME_WAIT socket's cookie
        EXPECT_EQ(socket->cookie, expected.cookie);
    }
    EXPECT_EQ(socket->uid, 0u); // captured as root
    EXPECT_EQ(socket->netns, 0u);
    EXPECT_EQ(socket->ownerStatus, core::OwnerStatus::NotResolved);
}

std::size_t sceneCount(const std::vector<SceneSocket>& scene, core::Protocol protocol,
                       core::Family family) {
    return static_cast<std::size_t>(std::count_if(scene.begin(), scene.end(), [&](const auto& s) {
        return s.protocol == protocol && s.local.address.family == family;
    }));
}

TEST(SockDiagCaptured, Tcp4DumpHoldsEverySocketOfTheScene) {
    const auto scene = loadScene();
    const auto parsed = parse(readFixtureBytes("diag_tcp4.bin"));
    EXPECT_TRUE(parsed.result.done);
    EXPECT_EQ(parsed.result.error, 0);
    EXPECT_FALSE(parsed.result.interrupted);
    EXPECT_EQ(parsed.result.malformed, 0u);
    EXPECT_EQ(parsed.sockets.size(), sceneCount(scene, core::Protocol::Tcp, core::Family::V4));
    for (const auto& entry : scene) {
        if (entry.protocol == core::Protocol::Tcp &&
            entry.local.address.family == core::Family::V4) {
            expectMatchesScene(parsed.sockets, entry);
        }
    }
}

TEST(SockDiagCaptured, Tcp4DumpCarriesTheByteCountersTcpInfoReported) {
    const auto scene = loadScene();
    const auto parsed = parse(readFixtureBytes("diag_tcp4.bin"));
    for (const auto* label : {"tcp4_client", "tcp4_server"}) {
        SCOPED_TRACE(label);
        const auto& expected = sceneEntry(scene, label);
        const auto* socket = findByCookie(parsed.sockets, expected.cookie);
        ASSERT_NE(socket, nullptr);
        EXPECT_TRUE(socket->counters.present);
        EXPECT_EQ(socket->counters.bytesAcked, expected.bytesAcked);
        EXPECT_EQ(socket->counters.bytesReceived, expected.bytesReceived);
        // The capture kernel (6.x) reports bytes_sent; nothing was retransmitted on loopback.
        EXPECT_TRUE(socket->counters.hasBytesSent);
        EXPECT_GE(socket->counters.bytesSent, expected.bytesAcked - 1);
        EXPECT_GT(socket->counters.segsOut, 0u);
        EXPECT_GT(socket->counters.segsIn, 0u);
    }
    // The client sent 3000 bytes and received 1000 (the SYN counts as one acked byte).
    const auto* client = findByCookie(parsed.sockets, sceneEntry(scene, "tcp4_client").cookie);
    ASSERT_NE(client, nullptr);
    EXPECT_GE(client->counters.bytesAcked, 3000u);
    EXPECT_EQ(client->counters.bytesReceived, 1000u);
}

TEST(SockDiagCaptured, TimeWaitSocketsHaveNoInodeAndNoTcpInfo) {
    const auto scene = loadScene();
    const auto& expected = sceneEntry(scene, "tcp4_time_wait");
    const auto parsed = parse(readFixtureBytes("diag_tcp4.bin"));
    const auto* socket =
        findSocket(parsed.sockets, core::Protocol::Tcp, expected.local, expected.remote);
    ASSERT_NE(socket, nullptr);
    EXPECT_EQ(socket->state, core::SocketState::TimeWait);
    EXPECT_EQ(socket->inode, 0u);
    EXPECT_FALSE(socket->counters.present);
    EXPECT_NE(socket->cookie, 0u);
}

TEST(SockDiagCaptured, Tcp6DumpHoldsListenersAndV4MappedConnection) {
    const auto scene = loadScene();
    const auto parsed = parse(readFixtureBytes("diag_tcp6.bin"));
    EXPECT_TRUE(parsed.result.done);
    EXPECT_EQ(parsed.result.malformed, 0u);
    EXPECT_EQ(parsed.sockets.size(), sceneCount(scene, core::Protocol::Tcp, core::Family::V6));
    for (const auto* label : {"tcp6_listener", "tcp6_dual_listener", "tcp6_dual_server"}) {
        expectMatchesScene(parsed.sockets, sceneEntry(scene, label));
    }
    const auto& mapped = sceneEntry(scene, "tcp6_dual_server");
    const auto* socket = findByCookie(parsed.sockets, mapped.cookie);
    ASSERT_NE(socket, nullptr);
    EXPECT_TRUE(socket->local.address.isV4Mapped());
    EXPECT_EQ(socket->local.address.unmapped(), core::IpAddress::v4(127, 0, 0, 1));
    const auto* listener = findByCookie(parsed.sockets, sceneEntry(scene, "tcp6_listener").cookie);
    ASSERT_NE(listener, nullptr);
    EXPECT_TRUE(listener->local.address.isLoopback());
    EXPECT_TRUE(listener->remote.address.isUnspecified());
}

TEST(SockDiagCaptured, UdpDumpsReportBoundAndConnectedSockets) {
    const auto scene = loadScene();
    const auto udp4 = parse(readFixtureBytes("diag_udp4.bin"), core::Protocol::Udp);
    const auto udp6 = parse(readFixtureBytes("diag_udp6.bin"), core::Protocol::Udp);
    EXPECT_TRUE(udp4.result.done);
    EXPECT_TRUE(udp6.result.done);
    EXPECT_EQ(udp4.result.malformed + udp6.result.malformed, 0u);
    EXPECT_EQ(udp4.sockets.size(), sceneCount(scene, core::Protocol::Udp, core::Family::V4));
    EXPECT_EQ(udp6.sockets.size(), sceneCount(scene, core::Protocol::Udp, core::Family::V6));
    expectMatchesScene(udp4.sockets, sceneEntry(scene, "udp4_bound"));
    expectMatchesScene(udp4.sockets, sceneEntry(scene, "udp4_connected"));
    expectMatchesScene(udp6.sockets, sceneEntry(scene, "udp6_bound"));
    for (const auto& socket : udp4.sockets) {
        EXPECT_EQ(socket.protocol, core::Protocol::Udp);
        EXPECT_FALSE(socket.counters.present);
    }
}

TEST(SockDiagCaptured, DestroyEventsNameTheirOwnProtocolAndCarryFinalCounters) {
    const auto scene = loadScene();
    // Parsed with UDP as the default: each event's INET_DIAG_PROTOCOL must win.
    const auto parsed = parse(readFixtureBytes("diag_destroy_events.bin"), core::Protocol::Udp);
    EXPECT_FALSE(parsed.result.done);
    EXPECT_EQ(parsed.result.malformed, 0u);
    const std::vector<std::string> closed = {"tcp4_client", "tcp4_server", "tcp4_dual_client",
                                             "tcp6_dual_server", "udp4_connected"};
    ASSERT_EQ(parsed.sockets.size(), closed.size());
    for (const auto& label : closed) {
        SCOPED_TRACE(label);
        const auto& expected = sceneEntry(scene, label);
        const auto* event = findByCookie(parsed.sockets, expected.cookie);
        ASSERT_NE(event, nullptr);
        EXPECT_EQ(event->protocol, expected.protocol);
        EXPECT_EQ(event->local, expected.local);
        EXPECT_EQ(event->remote, expected.remote);
        EXPECT_EQ(event->inode, 0u); // destroy events carry no inode
        EXPECT_EQ(event->counters.present, expected.protocol == core::Protocol::Tcp);
    }
    const auto& client = sceneEntry(scene, "tcp4_client");
    const auto* finalClient = findByCookie(parsed.sockets, client.cookie);
    ASSERT_NE(finalClient, nullptr);
    EXPECT_GE(finalClient->counters.bytesAcked, client.bytesAcked);
    // The 1000 bytes the server sent, plus its FIN.
    EXPECT_EQ(finalClient->counters.bytesReceived, 1001u);
}

// ---------------------------------------------------------------------------------------------
// Corrupted and synthetic input

TEST(SockDiagParse, EmptyBufferYieldsNothing) {
    const auto parsed = parse({});
    EXPECT_FALSE(parsed.result.done);
    EXPECT_EQ(parsed.result.malformed, 0u);
    EXPECT_TRUE(parsed.sockets.empty());
}

TEST(SockDiagParse, EveryTruncationIsSafeAndCounted) {
    const auto dump = readFixtureBytes("diag_tcp4.bin");
    const auto messages = splitMessages(dump);
    ASSERT_GE(messages.size(), 2u);
    for (std::size_t length = 0; length < dump.size(); ++length) {
        SCOPED_TRACE(length);
        // A copy of exactly `length` bytes, so ASan sees any read past it.
        const Bytes cut(dump.begin(), dump.begin() + static_cast<std::ptrdiff_t>(length));
        const auto parsed = parse(cut);
        std::size_t whole = 0;
        bool boundary = length == 0;
        for (const auto& message : messages) {
            const auto end = message.offset + message.length;
            if (end <= length && message.type == kSockDiagByFamily) {
                ++whole;
            }
            boundary = boundary || end == length;
        }
        EXPECT_EQ(parsed.sockets.size(), whole);
        EXPECT_EQ(parsed.result.malformed == 0, boundary);
        EXPECT_FALSE(parsed.result.done);
    }
}

TEST(SockDiagParse, LengthLargerThanBufferStopsParsing) {
    auto dump = readFixtureBytes("diag_tcp4.bin");
    const auto messages = splitMessages(dump);
    ASSERT_GE(messages.size(), 3u);
    // Claim the second message runs far past the end of the buffer.
    const std::uint32_t huge = 0x7FFFFFFF;
    std::memcpy(dump.data() + messages[1].offset, &huge, sizeof huge);
    const auto parsed = parse(dump);
    EXPECT_EQ(parsed.sockets.size(), 1u);
    EXPECT_EQ(parsed.result.malformed, 1u);
    EXPECT_FALSE(parsed.result.done);
}

TEST(SockDiagParse, LengthShorterThanHeaderStopsParsing) {
    auto dump = readFixtureBytes("diag_tcp4.bin");
    for (const std::uint32_t bad : {0u, 1u, 15u}) {
        SCOPED_TRACE(bad);
        auto copy = dump;
        std::memcpy(copy.data(), &bad, sizeof bad);
        const auto parsed = parse(copy);
        EXPECT_TRUE(parsed.sockets.empty());
        EXPECT_EQ(parsed.result.malformed, 1u);
    }
}

TEST(SockDiagParse, MessageTooShortForInetDiagMsgIsSkipped) {
    Bytes bytes;
    appendMessage(bytes, kSockDiagByFamily, NLM_F_MULTI, Bytes(sizeof(inet_diag_msg) - 4, 0));
    appendMessage(bytes, kSockDiagByFamily, NLM_F_MULTI, diagPayload(sampleDiag()));
    const auto done = intMessage(NLMSG_DONE, 0, NLM_F_MULTI);
    bytes.insert(bytes.end(), done.begin(), done.end());
    const auto parsed = parse(bytes);
    EXPECT_EQ(parsed.result.malformed, 1u);
    ASSERT_EQ(parsed.sockets.size(), 1u);
    EXPECT_EQ(parsed.sockets[0].local.port, 1111);
    EXPECT_TRUE(parsed.result.done);
}

TEST(SockDiagParse, UnknownAddressFamilyIsMalformed) {
    Bytes bytes;
    appendMessage(bytes, kSockDiagByFamily, 0, diagPayload(sampleDiag(AF_UNIX)));
    const auto parsed = parse(bytes);
    EXPECT_TRUE(parsed.sockets.empty());
    EXPECT_EQ(parsed.result.malformed, 1u);
}

TEST(SockDiagParse, SyntheticIpv4MessageFieldsLandWhereExpected) {
    auto diag = sampleDiag();
    diag.idiag_state = 10;
    diag.idiag_uid = 1000;
    diag.idiag_rqueue = 5;
    diag.idiag_wqueue = 128;
    diag.id.idiag_if = 7;
    diag.id.idiag_cookie[0] = 0xDEADBEEF;
    diag.id.idiag_cookie[1] = 0x00000012;
    Bytes bytes;
    appendMessage(bytes, kSockDiagByFamily, 0, diagPayload(diag));
    const auto parsed = parse(bytes);
    ASSERT_EQ(parsed.sockets.size(), 1u);
    const auto& socket = parsed.sockets[0];
    EXPECT_EQ(socket.state, core::SocketState::Listen);
    EXPECT_EQ(socket.local, (core::Endpoint{core::IpAddress::v4(127, 0, 0, 1), 1111}));
    EXPECT_EQ(socket.remote, (core::Endpoint{core::IpAddress::v4(127, 0, 0, 2), 2222}));
    EXPECT_EQ(socket.uid, 1000u);
    EXPECT_EQ(socket.receiveQueue, 5u);
    EXPECT_EQ(socket.sendQueue, 128u);
    EXPECT_EQ(socket.interfaceIndex, 7u);
    EXPECT_EQ(socket.inode, 4242u);
    EXPECT_EQ(socket.cookie, 0x00000012DEADBEEFull);
    EXPECT_FALSE(socket.counters.present);
}

TEST(SockDiagParse, UdpCloseStateMeansBound) {
    auto diag = sampleDiag();
    diag.idiag_state = 7; // TCP_CLOSE, what the kernel reports for unconnected UDP
    Bytes bytes;
    appendMessage(bytes, kSockDiagByFamily, 0, diagPayload(diag));
    const auto parsed = parse(bytes, core::Protocol::Udp);
    ASSERT_EQ(parsed.sockets.size(), 1u);
    EXPECT_EQ(parsed.sockets[0].state, core::SocketState::Bound);
    EXPECT_EQ(parsed.sockets[0].protocol, core::Protocol::Udp);
}

TEST(SockDiagParse, AttributeOverflowKeepsSocketWithoutCounters) {
    const auto captured = capturedClient();
    auto bytes = messageWithTcpInfo(captured.diag, captured.tcpInfo);
    const auto messages = splitMessages(bytes);
    ASSERT_EQ(messages.size(), 1u);
    const auto info = findAttribute(bytes, messages[0], INET_DIAG_INFO);
    ASSERT_TRUE(info.has_value());
    for (const std::uint16_t bad : {std::uint16_t(info->length + 8), std::uint16_t(0xFFFF),
                                    std::uint16_t(0), std::uint16_t(3)}) {
        SCOPED_TRACE(bad);
        auto copy = bytes;
        std::memcpy(copy.data() + info->offset, &bad, sizeof bad);
        const auto parsed = parse(copy);
        ASSERT_EQ(parsed.sockets.size(), 1u);
        EXPECT_FALSE(parsed.sockets[0].counters.present);
        EXPECT_EQ(parsed.result.malformed, 1u);
    }
}

TEST(SockDiagParse, ShortTcpInfoOfOldKernelHasNoBytesSent) {
    const auto captured = capturedClient();
    // Linux 4.2 to 4.18 ended tcp_info before tcpi_bytes_sent.
    const auto oldSize = offsetof(struct tcp_info, tcpi_bytes_sent);
    ASSERT_GT(captured.tcpInfo.size(), oldSize);
    const Bytes shortInfo(captured.tcpInfo.begin(),
                          captured.tcpInfo.begin() + static_cast<std::ptrdiff_t>(oldSize));
    const auto parsed = parse(messageWithTcpInfo(captured.diag, shortInfo));
    ASSERT_EQ(parsed.sockets.size(), 1u);
    const auto& counters = parsed.sockets[0].counters;
    EXPECT_TRUE(counters.present);
    EXPECT_FALSE(counters.hasBytesSent);
    EXPECT_EQ(counters.bytesSent, 0u);
    EXPECT_GE(counters.bytesAcked, 3000u);
    EXPECT_EQ(counters.bytesReceived, 1000u);
    EXPECT_EQ(parsed.result.malformed, 0u);

    // One byte short of the whole field is still too short.
    const Bytes almost(captured.tcpInfo.begin(),
                       captured.tcpInfo.begin() + static_cast<std::ptrdiff_t>(oldSize + 7));
    EXPECT_FALSE(
        parse(messageWithTcpInfo(captured.diag, almost)).sockets.at(0).counters.hasBytesSent);
    const Bytes exact(captured.tcpInfo.begin(),
                      captured.tcpInfo.begin() + static_cast<std::ptrdiff_t>(oldSize + 8));
    const auto withSent = parse(messageWithTcpInfo(captured.diag, exact));
    EXPECT_TRUE(withSent.sockets.at(0).counters.hasBytesSent);
    EXPECT_GE(withSent.sockets.at(0).counters.bytesSent, 3000u);
}

TEST(SockDiagParse, TinyTcpInfoLeavesCountersZero) {
    const auto captured = capturedClient();
    const Bytes tiny(captured.tcpInfo.begin(), captured.tcpInfo.begin() + 8);
    const auto parsed = parse(messageWithTcpInfo(captured.diag, tiny));
    ASSERT_EQ(parsed.sockets.size(), 1u);
    EXPECT_TRUE(parsed.sockets[0].counters.present);
    EXPECT_EQ(parsed.sockets[0].counters.bytesAcked, 0u);
    EXPECT_EQ(parsed.sockets[0].counters.bytesReceived, 0u);
}

TEST(SockDiagParse, LongerTcpInfoOfNewerKernelIsCutToOurStruct) {
    const auto captured = capturedClient();
    auto longer = captured.tcpInfo;
    longer.resize(sizeof(struct tcp_info) + 256, 0xAB);
    const auto parsed = parse(messageWithTcpInfo(captured.diag, longer));
    ASSERT_EQ(parsed.sockets.size(), 1u);
    EXPECT_GE(parsed.sockets[0].counters.bytesAcked, 3000u);
    EXPECT_EQ(parsed.sockets[0].counters.bytesReceived, 1000u);
}

TEST(SockDiagParse, NlmsgErrorEndsWithNegativeErrno) {
    auto bytes = intMessage(NLMSG_ERROR, -EPERM);
    const auto trailing = intMessage(NLMSG_DONE, 0);
    bytes.insert(bytes.end(), trailing.begin(), trailing.end());
    const auto parsed = parse(bytes);
    EXPECT_TRUE(parsed.result.done);
    EXPECT_EQ(parsed.result.error, -EPERM);
    EXPECT_EQ(parsed.result.malformed, 0u);
}

TEST(SockDiagParse, AckIsAnErrorMessageWithZero) {
    const auto parsed = parse(intMessage(NLMSG_ERROR, 0));
    EXPECT_TRUE(parsed.result.done);
    EXPECT_EQ(parsed.result.error, 0);
}

TEST(SockDiagParse, ErrorMessageWithoutCodeIsMalformed) {
    Bytes bytes;
    appendMessage(bytes, NLMSG_ERROR, 0, Bytes{});
    const auto parsed = parse(bytes);
    EXPECT_TRUE(parsed.result.done);
    EXPECT_EQ(parsed.result.malformed, 1u);
    EXPECT_LT(parsed.result.error, 0);
}

TEST(SockDiagParse, ErrorCodesOutsideTheErrnoRangeAreMalformed) {
    for (const int code : {5, 4096, -4096, std::numeric_limits<int>::min()}) {
        for (const int type : {NLMSG_ERROR, NLMSG_DONE}) {
            if (type == NLMSG_DONE && code > 0) {
                continue; // a positive DONE status is no error at all
            }
            const auto parsed = parse(intMessage(type, code));
            EXPECT_TRUE(parsed.result.done) << type << " " << code;
            EXPECT_EQ(parsed.result.error, -EBADMSG) << type << " " << code;
            EXPECT_EQ(parsed.result.malformed, 1u) << type << " " << code;
        }
    }
    const auto lowest = parse(intMessage(NLMSG_ERROR, -4095));
    EXPECT_EQ(lowest.result.error, -4095);
    EXPECT_EQ(lowest.result.malformed, 0u);
}

TEST(SockDiagParse, DoneStopsParsingAndReportsItsStatus) {
    Bytes bytes;
    appendMessage(bytes, kSockDiagByFamily, NLM_F_MULTI, diagPayload(sampleDiag()));
    const auto done = intMessage(NLMSG_DONE, 0, NLM_F_MULTI);
    bytes.insert(bytes.end(), done.begin(), done.end());
    appendMessage(bytes, kSockDiagByFamily, NLM_F_MULTI, diagPayload(sampleDiag()));
    const auto parsed = parse(bytes);
    EXPECT_TRUE(parsed.result.done);
    EXPECT_EQ(parsed.result.error, 0);
    EXPECT_EQ(parsed.sockets.size(), 1u);

    const auto failed = parse(intMessage(NLMSG_DONE, -EINTR, NLM_F_MULTI));
    EXPECT_TRUE(failed.result.done);
    EXPECT_EQ(failed.result.error, -EINTR);

    Bytes bare; // DONE without a status, as very old kernels send it
    appendMessage(bare, NLMSG_DONE, NLM_F_MULTI, Bytes{});
    const auto old = parse(bare);
    EXPECT_TRUE(old.result.done);
    EXPECT_EQ(old.result.error, 0);
    EXPECT_EQ(old.result.malformed, 0u);
}

TEST(SockDiagParse, DumpInterruptedFlagIsReported) {
    Bytes bytes;
    appendMessage(bytes, kSockDiagByFamily, NLM_F_MULTI, diagPayload(sampleDiag()));
    appendMessage(bytes, kSockDiagByFamily, NLM_F_MULTI | NLM_F_DUMP_INTR,
                  diagPayload(sampleDiag()));
    const auto parsed = parse(bytes);
    EXPECT_TRUE(parsed.result.interrupted);
    EXPECT_EQ(parsed.sockets.size(), 2u);

    Bytes clean;
    appendMessage(clean, kSockDiagByFamily, NLM_F_MULTI, diagPayload(sampleDiag()));
    EXPECT_FALSE(parse(clean).result.interrupted);
}

TEST(SockDiagParse, EventsOfOtherProtocolsAreIgnored) {
    auto payload = diagPayload(sampleDiag());
    appendAttribute(payload, INET_DIAG_PROTOCOL, Bytes{136}); // UDP-Lite
    Bytes bytes;
    appendMessage(bytes, kSockDiagByFamily, 0, payload);
    const auto parsed = parse(bytes);
    EXPECT_TRUE(parsed.sockets.empty());
    EXPECT_EQ(parsed.result.malformed, 0u);
}

TEST(SockDiagParse, UnknownMessageTypesAndAttributesAreSkipped) {
    Bytes bytes;
    appendMessage(bytes, NLMSG_NOOP, 0, Bytes(12, 0xEE));
    auto payload = diagPayload(sampleDiag());
    appendAttribute(payload, 200, Bytes(13, 0x55));
    appendAttribute(payload, INET_DIAG_PROTOCOL, Bytes{IPPROTO_UDP});
    appendMessage(bytes, kSockDiagByFamily, 0, payload);
    const auto parsed = parse(bytes);
    ASSERT_EQ(parsed.sockets.size(), 1u);
    EXPECT_EQ(parsed.sockets[0].protocol, core::Protocol::Udp);
    EXPECT_EQ(parsed.result.malformed, 0u);
}

TEST(SockDiagParse, RandomCorruptionNeverReadsOutOfBounds) {
    const auto dump = readFixtureBytes("diag_tcp4.bin");
    std::mt19937 random(20240607);
    std::uniform_int_distribution<std::size_t> position(0, dump.size() - 1);
    std::uniform_int_distribution<int> value(0, 255);
    for (int round = 0; round < 3000; ++round) {
        auto copy = dump;
        const int flips = 1 + round % 8;
        for (int i = 0; i < flips; ++i) {
            copy[position(random)] = static_cast<std::uint8_t>(value(random));
        }
        if (round % 3 == 0) {
            copy.resize(position(random));
        }
        std::vector<core::Socket> sockets;
        const auto result = parseDumpMessages(copy, core::Protocol::Tcp, sockets);
        // Every socket needs a whole inet_diag_msg behind it.
        ASSERT_LE(sockets.size() * sizeof(inet_diag_msg), copy.size());
        ASSERT_EQ(result.sockets, sockets.size());
    }
}

// ---------------------------------------------------------------------------------------------
// Live dumps on loopback

std::optional<SockDiagSocket> openDiag() {
    std::string error;
    auto socket = SockDiagSocket::open(&error);
    EXPECT_TRUE(socket.has_value()) << error;
    return socket;
}

std::vector<core::Socket> liveDump(SockDiagSocket& diag, core::Protocol protocol,
                                   core::Family family) {
    std::vector<core::Socket> sockets;
    std::string error;
    EXPECT_TRUE(diag.dump(protocol, family, sockets, &error)) << error;
    return sockets;
}

TEST(SockDiagLive, ListenerAppearsWithItsInodeAndCookie) {
    auto opened = openDiag();
    ASSERT_TRUE(opened.has_value());
    auto& diag = *opened;
    const auto listener = tcpListener(core::Family::V4);
    const auto local = localEndpoint(listener.get());
    const auto sockets = liveDump(diag, core::Protocol::Tcp, core::Family::V4);
    const auto* found =
        findSocket(sockets, core::Protocol::Tcp, local, {core::IpAddress::v4(0, 0, 0, 0), 0});
    ASSERT_NE(found, nullptr) << local.toString() << " missing from " << sockets.size();
    EXPECT_EQ(found->state, core::SocketState::Listen);
    EXPECT_EQ(found->inode, socketInode(listener.get()));
    struct stat status {};
    ASSERT_EQ(::fstat(listener.get(), &status), 0);
    EXPECT_EQ(found->inode, status.st_ino);
    EXPECT_EQ(found->cookie, socketCookie(listener.get()));
    EXPECT_EQ(found->uid, ::geteuid());
    EXPECT_TRUE(found->counters.present);
}

TEST(SockDiagLive, EstablishedPairCountsBytesBothWays) {
    auto opened = openDiag();
    ASSERT_TRUE(opened.has_value());
    auto& diag = *opened;
    auto pair = tcpPair(core::Family::V4);
    sendAll(pair.client.get(), 3000);
    receiveAll(pair.server.get(), 3000);
    const auto clientCookie = socketCookie(pair.client.get());
    const auto serverCookie = socketCookie(pair.server.get());

    core::Socket client;
    core::Socket server;
    // The last ACK may reach the client a moment after the server has read the data.
    ASSERT_TRUE(eventually([&] {
        const auto sockets = liveDump(diag, core::Protocol::Tcp, core::Family::V4);
        const auto* c = findByCookie(sockets, clientCookie);
        const auto* s = findByCookie(sockets, serverCookie);
        if (c == nullptr || s == nullptr) {
            return false;
        }
        client = *c;
        server = *s;
        return client.counters.bytesAcked >= 3000;
    })) << "client bytesAcked stayed at "
        << client.counters.bytesAcked;
    EXPECT_EQ(client.state, core::SocketState::Established);
    EXPECT_EQ(server.state, core::SocketState::Established);
    EXPECT_EQ(client.local, localEndpoint(pair.client.get()));
    EXPECT_EQ(client.remote, remoteEndpoint(pair.client.get()));
    EXPECT_EQ(server.local, client.remote);
    EXPECT_EQ(server.remote, client.local);
    EXPECT_EQ(client.inode, socketInode(pair.client.get()));
    EXPECT_EQ(server.inode, socketInode(pair.server.get()));
    // SYN and FIN each count as one byte, so allow a little over the payload.
    EXPECT_LE(client.counters.bytesAcked, 3002u);
    EXPECT_GE(server.counters.bytesReceived, 3000u);
    EXPECT_LE(server.counters.bytesReceived, 3002u);
    EXPECT_EQ(client.counters.bytesReceived, 0u);
}

TEST(SockDiagLive, Ipv6ListenerOnLoopback) {
    auto opened = openDiag();
    ASSERT_TRUE(opened.has_value());
    auto& diag = *opened;
    const auto listener = tcpListener(core::Family::V6);
    const auto cookie = socketCookie(listener.get());
    const auto sockets = liveDump(diag, core::Protocol::Tcp, core::Family::V6);
    const auto* found = findByCookie(sockets, cookie);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->state, core::SocketState::Listen);
    EXPECT_EQ(found->local, localEndpoint(listener.get()));
    EXPECT_EQ(found->local.address, *core::IpAddress::parse("::1"));
    EXPECT_EQ(found->family(), core::Family::V6);
    EXPECT_EQ(found->inode, socketInode(listener.get()));
}

TEST(SockDiagLive, UdpSocketsAreBoundOrEstablished) {
    auto opened = openDiag();
    ASSERT_TRUE(opened.has_value());
    auto& diag = *opened;
    const auto bound = boundSocket(core::Family::V6, SOCK_DGRAM);
    const auto connected = connectTo(localEndpoint(bound.get()), SOCK_DGRAM);
    const auto sockets = liveDump(diag, core::Protocol::Udp, core::Family::V6);

    const auto* boundSocketFound = findByCookie(sockets, socketCookie(bound.get()));
    ASSERT_NE(boundSocketFound, nullptr);
    EXPECT_EQ(boundSocketFound->protocol, core::Protocol::Udp);
    EXPECT_EQ(boundSocketFound->state, core::SocketState::Bound);
    EXPECT_EQ(boundSocketFound->local, localEndpoint(bound.get()));
    EXPECT_EQ(boundSocketFound->inode, socketInode(bound.get()));

    const auto* connectedFound = findByCookie(sockets, socketCookie(connected.get()));
    ASSERT_NE(connectedFound, nullptr);
    EXPECT_EQ(connectedFound->state, core::SocketState::Established);
    EXPECT_EQ(connectedFound->remote, localEndpoint(bound.get()));
}

TEST(SockDiagLive, DumpAllCoversBothProtocolsAndFamilies) {
    auto opened = openDiag();
    ASSERT_TRUE(opened.has_value());
    auto& diag = *opened;
    const auto tcp4 = tcpListener(core::Family::V4);
    const auto tcp6 = tcpListener(core::Family::V6);
    const auto udp4 = boundSocket(core::Family::V4, SOCK_DGRAM);
    const auto udp6 = boundSocket(core::Family::V6, SOCK_DGRAM);
    std::vector<core::Socket> sockets;
    std::string error;
    ASSERT_TRUE(diag.dumpAll(sockets, &error)) << error;
    for (const auto* fd : {&tcp4, &tcp6, &udp4, &udp6}) {
        const auto* found = findByCookie(sockets, socketCookie(fd->get()));
        ASSERT_NE(found, nullptr) << localEndpoint(fd->get()).toString();
        EXPECT_EQ(found->local, localEndpoint(fd->get()));
    }
    // A second dump reuses the socket and sees the same sockets again.
    std::vector<core::Socket> again;
    ASSERT_TRUE(diag.dumpAll(again, &error)) << error;
    EXPECT_NE(findByCookie(again, socketCookie(tcp6.get())), nullptr);
}

TEST(SockDiagLive, MovedSocketKeepsWorking) {
    auto opened = openDiag();
    ASSERT_TRUE(opened.has_value());
    auto& diag = *opened;
    auto moved = std::move(diag);
    EXPECT_EQ(diag.fd(), -1); // NOLINT(bugprone-use-after-move): checking the moved-from state
    const auto listener = tcpListener(core::Family::V4);
    const auto sockets = liveDump(moved, core::Protocol::Tcp, core::Family::V4);
    EXPECT_NE(findByCookie(sockets, socketCookie(listener.get())), nullptr);
}

// ---------------------------------------------------------------------------------------------
// Live destroy events

std::optional<CloseEventListener> openEvents() {
    std::string error;
    auto listener = CloseEventListener::open(&error);
    EXPECT_TRUE(listener.has_value()) << error;
    return listener;
}

// Polls and drains until `wanted` cookies have all been seen, or a few seconds pass. Other
// programs on the machine close sockets too, so events are picked out by cookie.
std::vector<core::Socket> waitForEvents(CloseEventListener& events,
                                        const std::vector<std::uint64_t>& wanted) {
    std::vector<core::Socket> seen;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
        const bool all = std::all_of(wanted.begin(), wanted.end(),
                                     [&](auto cookie) { return findByCookie(seen, cookie); });
        if (all) {
            break;
        }
        pollfd ready{events.fd(), POLLIN, 0};
        if (::poll(&ready, 1, 200) > 0) {
            const auto result = events.drain(seen);
            EXPECT_EQ(result.error, 0) << std::strerror(result.error);
        }
    }
    return seen;
}

TEST(CloseEvents, ListenerSocketIsNonBlocking) {
    auto opened = openEvents();
    ASSERT_TRUE(opened.has_value());
    auto& events = *opened;
    const int flags = ::fcntl(events.fd(), F_GETFL);
    ASSERT_GE(flags, 0);
    EXPECT_NE(flags & O_NONBLOCK, 0);
    int bufferBytes = 0;
    socklen_t length = sizeof bufferBytes;
    ASSERT_EQ(::getsockopt(events.fd(), SOL_SOCKET, SO_RCVBUF, &bufferBytes, &length), 0);
    // Root can force 8 MiB (the kernel reports it doubled); others get at least the default.
    if (::geteuid() == 0) {
        EXPECT_GE(bufferBytes, 8 * 1024 * 1024);
    }
}

TEST(CloseEvents, ClosedTcpConnectionsAreAnnouncedWithCookieAndCounters) {
    for (const auto family : {core::Family::V4, core::Family::V6}) {
        SCOPED_TRACE(core::toString(family));
        auto opened = openEvents();
        ASSERT_TRUE(opened.has_value());
        auto& events = *opened;
        auto pair = tcpPair(family);
        sendAll(pair.client.get(), 500);
        receiveAll(pair.server.get(), 500);
        const auto clientLocal = localEndpoint(pair.client.get());
        const auto clientRemote = remoteEndpoint(pair.client.get());
        const auto clientCookie = socketCookie(pair.client.get());
        const auto serverCookie = socketCookie(pair.server.get());
        // The ACK for the data must be in before the final counters are taken.
        ::usleep(20 * 1000);
        pair.client.reset();
        pair.server.reset();

        const auto seen = waitForEvents(events, {clientCookie, serverCookie});
        const auto* client = findByCookie(seen, clientCookie);
        const auto* server = findByCookie(seen, serverCookie);
        ASSERT_NE(client, nullptr) << seen.size() << " events, none for the client";
        ASSERT_NE(server, nullptr) << seen.size() << " events, none for the server";
        EXPECT_EQ(client->protocol, core::Protocol::Tcp);
        EXPECT_EQ(client->local, clientLocal);
        EXPECT_EQ(client->remote, clientRemote);
        EXPECT_EQ(server->local, clientRemote);
        EXPECT_EQ(server->remote, clientLocal);
        EXPECT_TRUE(client->counters.present);
        EXPECT_GE(client->counters.bytesAcked, 500u);
        EXPECT_GE(server->counters.bytesReceived, 500u);
    }
}

TEST(CloseEvents, ClosedUdpSocketIsAnnounced) {
    auto opened = openEvents();
    ASSERT_TRUE(opened.has_value());
    auto& events = *opened;
    auto udp = boundSocket(core::Family::V4, SOCK_DGRAM);
    const auto local = localEndpoint(udp.get());
    const auto cookie = socketCookie(udp.get());
    udp.reset();
    const auto seen = waitForEvents(events, {cookie});
    const auto* event = findByCookie(seen, cookie);
    ASSERT_NE(event, nullptr);
    EXPECT_EQ(event->protocol, core::Protocol::Udp);
    EXPECT_EQ(event->local, local);
    EXPECT_EQ(event->state, core::SocketState::Bound);
    EXPECT_FALSE(event->counters.present);
}

TEST(CloseEvents, OverflowIsReportedAsLost) {
    auto opened = openEvents();
    ASSERT_TRUE(opened.has_value());
    auto& events = *opened;
    // Shrink the buffer to the kernel's minimum so a handful of events overflow it.
    const int tiny = 1;
    ASSERT_EQ(::setsockopt(events.fd(), SOL_SOCKET, SO_RCVBUF, &tiny, sizeof tiny), 0);
    bool lost = false;
    std::vector<core::Socket> seen;
    for (int round = 0; round < 10 && !lost; ++round) {
        for (int i = 0; i < 64; ++i) {
            auto udp = boundSocket(core::Family::V4, SOCK_DGRAM);
        }
        ::usleep(100 * 1000); // destroy events are sent from a kernel work queue
        const auto result = events.drain(seen);
        EXPECT_EQ(result.error, 0);
        lost = result.lost;
    }
    EXPECT_TRUE(lost);
    // The subscription survives the overflow.
    auto udp = boundSocket(core::Family::V4, SOCK_DGRAM);
    const auto cookie = socketCookie(udp.get());
    udp.reset();
    const auto after = waitForEvents(events, {cookie});
    EXPECT_NE(findByCookie(after, cookie), nullptr);
}

TEST(CloseEvents, DrainStopsAfterItsReadLimit) {
    auto opened = openEvents();
    ASSERT_TRUE(opened.has_value());
    auto& events = *opened;
    std::vector<std::uint64_t> cookies;
    for (int i = 0; i < 6; ++i) {
        auto udp = boundSocket(core::Family::V4, SOCK_DGRAM);
        cookies.push_back(socketCookie(udp.get()));
    }
    pollfd ready{events.fd(), POLLIN, 0};
    ASSERT_EQ(::poll(&ready, 1, 3000), 1);
    ::usleep(100 * 1000); // let the kernel's work queue send the other five

    std::vector<core::Socket> one;
    const auto result = events.drain(one, 1);
    EXPECT_LE(result.events, 1u);
    EXPECT_LE(one.size(), 1u);
    const auto rest = waitForEvents(events, cookies);
    for (const auto cookie : cookies) {
        EXPECT_TRUE(findByCookie(rest, cookie) != nullptr || findByCookie(one, cookie) != nullptr)
            << cookie;
    }
}

} // namespace
} // namespace portscope::platform::linuxsys
