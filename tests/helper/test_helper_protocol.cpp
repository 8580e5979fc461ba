// The helper protocol codec: every message survives a round trip, and every way a frame can
// be wrong is rejected with the right error code and a message that says what is wrong.

#include "portscope/core/helper_protocol.h"
#include "portscope/core/replay.h"

#include <algorithm>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace portscope::core::helper {
namespace {

using ::testing::HasSubstr;

Socket sampleConnection() {
    Socket socket;
    socket.protocol = Protocol::Tcp;
    socket.state = SocketState::Established;
    socket.local = {IpAddress::v4(127, 0, 0, 1), 40000};
    socket.remote = {IpAddress::v4(127, 0, 0, 2), 443};
    socket.interfaceIndex = 1;
    socket.cookie = 0x1122334455667788ull;
    socket.netns = 4026531840ull;
    return socket;
}

Snapshot sampleSnapshot() {
    Snapshot snapshot;
    snapshot.steadyNs = 123456789;
    snapshot.unixMs = 1700000000000;
    snapshot.pollDurationNs = 4200;
    snapshot.sourceName = "linux netlink";
    Socket socket = sampleConnection();
    socket.inode = 99;
    socket.owner = {4321, 777};
    socket.ownerStatus = OwnerStatus::Known;
    snapshot.sockets.push_back(socket);
    Process process;
    process.key = {4321, 777};
    process.name = "curl";
    process.exePath = "/usr/bin/curl";
    process.commandLine = "curl https://example.invalid";
    process.userName = "root";
    process.socketCount = 1;
    snapshot.processes.push_back(process);
    snapshot.warnings.push_back(portscope::core::verbatimText("a warning"));
    return snapshot;
}

SocketSelection sampleSelection() {
    SocketSelection selection;
    selection.sockets = {1, 42, 0xFFFFFFFFFFFFFFFFull};
    selection.processes = {1, 4242, 0x7FFFFFFF};
    selection.listeningPorts = {{Protocol::Tcp, 1}, {Protocol::Tcp, 8080}, {Protocol::Udp, 53}};
    return selection;
}

// A packet as a capture by socket delivers it.
BatchPacket socketPacket() {
    BatchPacket packet;
    packet.timestampNs = 123;
    packet.originalLength = 80;
    packet.data = std::string("abc\0def", 7);
    packet.cookie = 0x0123456789ABCDEFull;
    packet.creatorPid = 4242;
    packet.direction = pcapng::Direction::Outbound;
    return packet;
}

// The decoded frame, or a test failure naming the decoder's complaint.
Message roundTrip(const Message& message, std::uint32_t requestId = 7) {
    const std::string frame = encodeFrame(requestId, message);
    const auto direction = directionOf(static_cast<std::uint16_t>(typeOf(message)));
    EXPECT_TRUE(direction.has_value());
    DecodeError error;
    const auto header = decodeHeader(frame, *direction, &error);
    EXPECT_TRUE(header) << error.message;
    if (!header) {
        return Poll{};
    }
    EXPECT_EQ(header->type, typeOf(message));
    EXPECT_EQ(header->requestId, requestId);
    EXPECT_EQ(header->length, frame.size() - kHeaderSize);
    auto decoded = decodePayload(*header, std::string_view(frame).substr(kHeaderSize), &error);
    EXPECT_TRUE(decoded) << error.message;
    return decoded ? *decoded : Message{Poll{}};
}

std::optional<Message> decodeWhole(std::string_view frame, Direction direction,
                                   DecodeError* error) {
    const auto header = decodeHeader(frame, direction, error);
    if (!header) {
        return std::nullopt;
    }
    return decodePayload(*header, frame.substr(kHeaderSize), error);
}

// A frame with a hand-made payload and a header that announces its true length.
std::string frameOf(MessageType type, std::string_view payload, std::uint32_t requestId = 1) {
    return encodeHeader(type, requestId, static_cast<std::uint32_t>(payload.size())) +
           std::string(payload);
}

TEST(HelperProtocol, EveryRequestSurvivesARoundTrip) {
    const Hello hello{kVersion, kSkipOwners | kNoCloseEvents | kAnnounceChanges};
    EXPECT_EQ(std::get<Hello>(roundTrip(hello)), hello);
    EXPECT_TRUE(std::holds_alternative<Poll>(roundTrip(Poll{})));
    EXPECT_TRUE(std::holds_alternative<Goodbye>(roundTrip(Goodbye{})));
    const KillRequest kill{{-5, 0xFFFFFFFFFFFFull}, 1234};
    EXPECT_EQ(std::get<KillRequest>(roundTrip(kill)), kill);
    for (const auto sensor : {SensorRequest::Poll, SensorRequest::Auto, SensorRequest::Bpf}) {
        EXPECT_EQ(std::get<SensorSelect>(roundTrip(SensorSelect{sensor})).sensor, sensor);
    }

    CloseRequest close{sampleConnection()};
    const auto decoded = std::get<CloseRequest>(roundTrip(close));
    EXPECT_EQ(decoded.socket.protocol, close.socket.protocol);
    EXPECT_EQ(decoded.socket.state, close.socket.state);
    EXPECT_EQ(decoded.socket.local, close.socket.local);
    EXPECT_EQ(decoded.socket.remote, close.socket.remote);
    EXPECT_EQ(decoded.socket.interfaceIndex, close.socket.interfaceIndex);
    EXPECT_EQ(decoded.socket.cookie, close.socket.cookie);
    EXPECT_EQ(decoded.socket.netns, close.socket.netns);

    close.socket.local = {*IpAddress::parse("fe80::1"), 1};
    close.socket.remote = {*IpAddress::parse("2001:db8::ff"), 65535};
    EXPECT_EQ(std::get<CloseRequest>(roundTrip(close)).socket.remote, close.socket.remote);
}

TEST(HelperProtocol, EveryReplySurvivesARoundTrip) {
    const Welcome welcome{kVersion, 31337, 0};
    EXPECT_EQ(std::get<Welcome>(roundTrip(welcome)), welcome);
    const ActionReply action{ActionCode::ProcessChanged,
                             portscope::core::verbatimText("PID 5 now belongs to \xff\x00 bytes")};
    EXPECT_EQ(std::get<ActionReply>(roundTrip(action)), action);
    const ErrorReply failure{ErrorCode::Oversized, ""};
    EXPECT_EQ(std::get<ErrorReply>(roundTrip(failure)), failure);
    const SensorStatus bpf{SensorMode::Bpf, ""};
    EXPECT_EQ(std::get<SensorStatus>(roundTrip(bpf)), bpf);
    const SensorStatus refused{SensorMode::Poll, "the kernel is in lockdown mode"};
    EXPECT_EQ(std::get<SensorStatus>(roundTrip(refused)), refused);
    EXPECT_TRUE(std::holds_alternative<ChangesPending>(roundTrip(ChangesPending{}, 0)));
    std::string payloadFull = encodeHeader(MessageType::ChangesPending, 0, 1) + "x";
    DecodeError error;
    EXPECT_FALSE(decodeWhole(payloadFull, Direction::ToClient, &error));
    EXPECT_EQ(error.code, ErrorCode::Malformed);
    EXPECT_FALSE(
        decodeHeader(encodeHeader(MessageType::ChangesPending, 0, 0), Direction::ToHelper, &error))
        << "only the helper announces changes";

    const Snapshot snapshot = sampleSnapshot();
    const auto decoded = std::get<SnapshotData>(roundTrip(SnapshotData{snapshot})).snapshot;
    EXPECT_EQ(encodeSnapshot(decoded), encodeSnapshot(snapshot));
    ASSERT_EQ(decoded.sockets.size(), 1u);
    EXPECT_EQ(decoded.sockets[0], snapshot.sockets[0]);
    ASSERT_EQ(decoded.processes.size(), 1u);
    EXPECT_EQ(decoded.processes[0], snapshot.processes[0]);
    EXPECT_EQ(decoded.warnings, snapshot.warnings);
}

TEST(HelperProtocol, HeaderLayoutIsLittleEndianLengthTypeReservedId) {
    const std::string header = encodeHeader(MessageType::Kill, 0x01020304, 16);
    ASSERT_EQ(header.size(), kHeaderSize);
    EXPECT_EQ(header, std::string("\x10\x00\x00\x00\x03\x00\x00\x00\x04\x03\x02\x01", 12));
}

TEST(HelperProtocol, HeaderRejectsShortUnknownMisdirectedAndReserved) {
    DecodeError error;
    EXPECT_FALSE(decodeHeader(std::string(11, '\0'), Direction::ToHelper, &error));
    EXPECT_EQ(error.code, ErrorCode::Malformed);
    EXPECT_THAT(error.message, HasSubstr("needs 12"));

    std::string unknown = encodeHeader(MessageType::Poll, 1, 0);
    unknown[4] = '\x42';
    EXPECT_FALSE(decodeHeader(unknown, Direction::ToHelper, &error));
    EXPECT_EQ(error.code, ErrorCode::Malformed);
    EXPECT_THAT(error.message, HasSubstr("unknown message type 0x0042"));

    EXPECT_FALSE(
        decodeHeader(encodeHeader(MessageType::Welcome, 1, 12), Direction::ToHelper, &error));
    EXPECT_THAT(error.message, HasSubstr("only takes requests"));
    EXPECT_FALSE(decodeHeader(encodeHeader(MessageType::Kill, 1, 16), Direction::ToClient, &error));
    EXPECT_THAT(error.message, HasSubstr("only takes replies"));

    std::string reserved = encodeHeader(MessageType::Poll, 1, 0);
    reserved[7] = '\x01';
    EXPECT_FALSE(decodeHeader(reserved, Direction::ToHelper, &error));
    EXPECT_THAT(error.message, HasSubstr("reserved header bits 0x0100"));
}

TEST(HelperProtocol, LengthsOverTheDirectionsLimitAreOversized) {
    DecodeError error;
    EXPECT_TRUE(decodeHeader(encodeHeader(MessageType::Kill, 1, kMaxRequestBytes),
                             Direction::ToHelper, &error));
    EXPECT_FALSE(decodeHeader(encodeHeader(MessageType::Kill, 1, kMaxRequestBytes + 1),
                              Direction::ToHelper, &error));
    EXPECT_EQ(error.code, ErrorCode::Oversized);
    EXPECT_THAT(error.message, HasSubstr("Kill frame of 4097 bytes exceeds the limit of 4096"));

    EXPECT_TRUE(decodeHeader(encodeHeader(MessageType::SnapshotData, 1, kMaxReplyBytes),
                             Direction::ToClient, &error));
    EXPECT_FALSE(decodeHeader(encodeHeader(MessageType::SnapshotData, 1, 0xFFFFFFFFu),
                              Direction::ToClient, &error));
    EXPECT_EQ(error.code, ErrorCode::Oversized);
}

TEST(HelperProtocol, PayloadMustMatchTheAnnouncedLength) {
    DecodeError error;
    const FrameHeader header{16, MessageType::Kill, 1};
    EXPECT_FALSE(decodePayload(header, std::string(15, '\0'), &error));
    EXPECT_EQ(error.code, ErrorCode::Malformed);
    EXPECT_THAT(error.message, HasSubstr("header announced 16"));
}

TEST(HelperProtocol, EveryTruncationAndEveryExtensionOfARequestIsRejected) {
    const std::vector<Message> requests{Hello{kVersion, 0},
                                        KillRequest{{10, 20}, 30},
                                        CloseRequest{sampleConnection()},
                                        SensorSelect{SensorRequest::Bpf},
                                        StartCapture{100, {}, "udp", true},
                                        SelectSockets{sampleSelection()}};
    for (const auto& request : requests) {
        const std::string payload = encodePayload(request);
        const auto type = typeOf(request);
        for (std::size_t cut = 0; cut < payload.size(); ++cut) {
            DecodeError error;
            EXPECT_FALSE(
                decodeWhole(frameOf(type, payload.substr(0, cut)), Direction::ToHelper, &error))
                << toString(type) << " cut to " << cut << " bytes";
            EXPECT_EQ(error.code, ErrorCode::Malformed);
        }
        DecodeError error;
        EXPECT_FALSE(decodeWhole(frameOf(type, payload + "x"), Direction::ToHelper, &error))
            << toString(type) << " with a byte more";
        EXPECT_FALSE(error.message.empty());
    }
    DecodeError error;
    EXPECT_FALSE(decodeWhole(frameOf(MessageType::Poll, "x"), Direction::ToHelper, &error));
    EXPECT_THAT(error.message, HasSubstr("Poll: payload of 1 bytes; it must be 0"));
    EXPECT_FALSE(decodeWhole(frameOf(MessageType::Goodbye, "xy"), Direction::ToHelper, &error));
}

TEST(HelperProtocol, EveryTruncationOfAReplyIsRejected) {
    const std::vector<Message> replies{
        Welcome{kVersion, 1, 0},
        ActionReply{ActionCode::Done, portscope::core::verbatimText("Stopped sleep (PID 9).")},
        ErrorReply{ErrorCode::Malformed, "bad"},
        SnapshotData{sampleSnapshot()},
        SensorStatus{SensorMode::Poll, "no BTF"},
        PacketBatch{{{1, 2, 3}}, {socketPacket()}}};
    for (const auto& reply : replies) {
        const std::string payload = encodePayload(reply);
        for (std::size_t cut = 0; cut < payload.size(); ++cut) {
            DecodeError error;
            EXPECT_FALSE(decodeWhole(frameOf(typeOf(reply), payload.substr(0, cut)),
                                     Direction::ToClient, &error))
                << toString(typeOf(reply)) << " cut to " << cut << " bytes";
        }
    }
}

TEST(HelperProtocol, HelloNeedsTheMagicAndKnownOptions) {
    DecodeError error;
    std::string payload = encodePayload(Hello{});
    payload[0] = 'X';
    EXPECT_FALSE(decodeWhole(frameOf(MessageType::Hello, payload), Direction::ToHelper, &error));
    EXPECT_THAT(error.message, HasSubstr("not a PortScope client"));

    EXPECT_FALSE(decodeWhole(frameOf(MessageType::Hello, encodePayload(Hello{kVersion, 1u << 9})),
                             Direction::ToHelper, &error));
    EXPECT_THAT(error.message, HasSubstr("unknown option bits 512"));
}

TEST(HelperProtocol, HelloOfAnotherVersionDecodesSoItCanBeRefusedByName) {
    // A future client may send a longer Hello; only magic and version are read.
    std::string payload = std::string(kMagic) + std::string("\x07\x00\x00\x00", 4) + "future";
    DecodeError error;
    const auto message =
        decodeWhole(frameOf(MessageType::Hello, payload), Direction::ToHelper, &error);
    ASSERT_TRUE(message) << error.message;
    EXPECT_EQ(std::get<Hello>(*message).version, 7u);
}

TEST(HelperProtocol, SensorMessagesRejectUnknownValues) {
    DecodeError error;
    EXPECT_FALSE(
        decodeWhole(frameOf(MessageType::SensorSelect, "\x03"), Direction::ToHelper, &error));
    EXPECT_THAT(error.message, HasSubstr("unknown sensor 3"));
    EXPECT_FALSE(decodeWhole(
        frameOf(MessageType::SensorStatus, encodePayload(SensorStatus{}).replace(0, 1, "\x00")),
        Direction::ToClient, &error));
    EXPECT_THAT(error.message, HasSubstr("unknown sensor mode 0"));
    EXPECT_FALSE(
        decodeWhole(frameOf(MessageType::SensorSelect, "\x01"), Direction::ToClient, &error))
        << "SensorSelect travels to the helper only";
}

TEST(HelperProtocol, CloseRejectsUnknownProtocolStateFamilyAndPadding) {
    const std::string good = encodePayload(CloseRequest{sampleConnection()});
    struct Case {
        std::size_t offset;
        char value;
        const char* complaint;
    };
    // Offsets: protocol 0, state 1, local family 2, local address 3..18, remote family 21.
    for (const Case& bad :
         {Case{0, 9, "unknown protocol 9"}, Case{1, 14, "unknown socket state"},
          Case{2, 5, "unknown address family 5"}, Case{10, 1, "IPv4 address with non-zero padding"},
          Case{21, 0, "remote endpoint: unknown address family 0"}}) {
        std::string payload = good;
        payload[bad.offset] = bad.value;
        DecodeError error;
        EXPECT_FALSE(
            decodeWhole(frameOf(MessageType::Close, payload), Direction::ToHelper, &error));
        EXPECT_THAT(error.message, HasSubstr(bad.complaint));
    }
}

TEST(HelperProtocol, RepliesRejectUnknownCodesAndOverlongText) {
    DecodeError error;
    std::string action =
        encodePayload(ActionReply{ActionCode::Done, portscope::core::verbatimText("ok")});
    action[0] = 9;
    EXPECT_FALSE(
        decodeWhole(frameOf(MessageType::ActionReply, action), Direction::ToClient, &error));
    EXPECT_THAT(error.message, HasSubstr("unknown action result 9"));

    for (const char code : {'\x00', '\x07'}) {
        std::string failure = encodePayload(ErrorReply{ErrorCode::Malformed, "x"});
        failure[0] = code;
        EXPECT_FALSE(
            decodeWhole(frameOf(MessageType::Error, failure), Direction::ToClient, &error));
        EXPECT_THAT(error.message, HasSubstr("unknown error code"));
    }

    // A text length over the limit is refused before the bytes are looked at.
    std::string overlong("\x00\x00\x01\x40\x00\x00", 6); // Done, verbatim, length 16385
    overlong += std::string(16385, 'a');
    overlong += std::string(1, '\0');
    EXPECT_FALSE(
        decodeWhole(frameOf(MessageType::ActionReply, overlong), Direction::ToClient, &error));
    EXPECT_THAT(error.message, HasSubstr("exceeds the limit of 16384"));

    std::string pastEnd("\x00\x00\x10\x00\x00\x00"
                        "abc",
                        9);
    EXPECT_FALSE(
        decodeWhole(frameOf(MessageType::ActionReply, pastEnd), Direction::ToClient, &error));
    EXPECT_THAT(error.message, HasSubstr("runs past the end"));
}

// Why a kill or a close failed travels in parts, so that the client words it in its user's
// language: the template, and arguments that are numbers, text as it is, or templates.
TEST(HelperProtocol, AnActionReplyCarriesItsSentenceInParts) {
    using portscope::core::SystemText;
    const SystemText connection = portscope::core::systemText(
        "the %1 connection %2 -> %3",
        {portscope::core::verbatimText("TCP"), portscope::core::verbatimText("10.0.0.1:5000"),
         portscope::core::verbatimText("10.0.0.2:443")});
    const ActionReply reply{
        ActionCode::PermissionDenied,
        portscope::core::systemText("Cannot close %1: %2 of %3.",
                                    {connection, portscope::core::verbatimText("EPERM"),
                                     portscope::core::numberText(12345)})};
    const auto decoded = std::get<ActionReply>(roundTrip(reply));
    EXPECT_EQ(decoded, reply);
    EXPECT_EQ(decoded.message.english(),
              "Cannot close the TCP connection 10.0.0.1:5000 -> 10.0.0.2:443: EPERM of 12,345.");

    // A snapshot's warnings too, unlike a recording's, which holds English sentences.
    Snapshot snapshot = sampleSnapshot();
    snapshot.warnings = {portscope::core::systemText("Owners of %1 sockets are hidden.",
                                                     {portscope::core::numberText(3)})};
    const auto data = std::get<SnapshotData>(roundTrip(SnapshotData{snapshot}));
    EXPECT_EQ(data.snapshot.warnings, snapshot.warnings);
}

TEST(HelperProtocol, ATextInPartsIsBoundedAndChecked) {
    DecodeError error;
    const auto decodeReply = [&](std::string_view afterCode) {
        return decodeWhole(
            frameOf(MessageType::ActionReply, std::string(1, '\0') + std::string(afterCode)),
            Direction::ToClient, &error);
    };
    const std::string emptyText("\x00\x00\x00\x00", 4);
    EXPECT_FALSE(decodeReply(std::string("\x03", 1) + emptyText + std::string(1, '\0')));
    EXPECT_THAT(error.message, HasSubstr("unknown text kind 3"));
    // Arguments only follow a template.
    EXPECT_FALSE(decodeReply(std::string("\x00", 1) + emptyText + "\x01" + std::string("\x00", 1) +
                             emptyText + std::string(1, '\0')));
    EXPECT_THAT(error.message, HasSubstr("with 1 arguments"));
    EXPECT_FALSE(decodeReply(std::string("\x01", 1) + emptyText + "\x0a"));
    EXPECT_THAT(error.message, HasSubstr("with 10 arguments"));
    // Templates nested past the limit: each holds the next as its one argument.
    std::string nested;
    for (int depth = 0; depth < 5; ++depth) {
        nested += std::string("\x01", 1) + emptyText + "\x01";
    }
    EXPECT_FALSE(decodeReply(nested));
    EXPECT_THAT(error.message, HasSubstr("nested deeper than 4"));
    // The encoder refuses what the decoder would.
    portscope::core::SystemText deep = portscope::core::verbatimText("x");
    for (int depth = 0; depth < 5; ++depth) {
        deep = portscope::core::systemText("%1", {deep});
    }
    EXPECT_THROW(encodePayload(ActionReply{ActionCode::Failed, deep}), std::length_error);
}

TEST(HelperProtocol, EncodingCutsOverlongTextAtACharacterBoundary) {
    std::string text;
    while (text.size() <= kMaxTextBytes + 10) {
        text += "\xc3\xa9"; // é: two bytes, so the limit falls inside a character
    }
    text = "x" + text;
    const auto decoded = std::get<ActionReply>(
        roundTrip(ActionReply{ActionCode::Failed, portscope::core::verbatimText(text)}));
    EXPECT_EQ(decoded.message.text.size(), kMaxTextBytes - 1);
    EXPECT_EQ(decoded.message.text, text.substr(0, kMaxTextBytes - 1));
}

TEST(HelperProtocol, ASnapshotCarriesWhoProbedClosedPortsWithinItsLimits) {
    Snapshot snapshot = sampleSnapshot();
    snapshot.probeSources.push_back({IpAddress::v4(203, 0, 113, 9), 312, 0, 340});
    snapshot.probeSources.push_back({*IpAddress::parse("2001:db8::9"), 4, 300, 304});
    const auto decoded = std::get<SnapshotData>(roundTrip(SnapshotData{snapshot})).snapshot;
    EXPECT_EQ(decoded.probeSources, snapshot.probeSources);
    // A recording leaves them out: a replay's findings come from sockets and counters.
    const auto recorded = decodeSnapshot(encodeSnapshot(snapshot), nullptr);
    ASSERT_TRUE(recorded);
    EXPECT_TRUE(recorded->probeSources.empty());

    // The address travels as an endpoint whose port must be 0 (the last source's port is
    // the two bytes before its 16 bytes of counts).
    snapshot.probeSources.resize(1);
    std::string payload = encodeSnapshot(snapshot, SnapshotForm::Helper);
    payload[payload.size() - 18] = 7;
    DecodeError error;
    EXPECT_FALSE(
        decodeWhole(frameOf(MessageType::SnapshotData, payload), Direction::ToClient, &error));
    EXPECT_EQ(error.code, ErrorCode::Malformed);
    EXPECT_THAT(error.message, HasSubstr("probe source address: port 7 where 0 belongs"));

    snapshot.probeSources.assign(kMaxProbeSourcesPerSnapshot + 1,
                                 {IpAddress::v4(198, 51, 100, 1), 1, 1, 2});
    EXPECT_FALSE(decodeWhole(
        frameOf(MessageType::SnapshotData, encodeSnapshot(snapshot, SnapshotForm::Helper)),
        Direction::ToClient, &error));
    EXPECT_THAT(error.message,
                HasSubstr("probe source list: count 4097 exceeds the limit of 4096"));
}

TEST(HelperProtocol, AMalformedSnapshotSaysWhereItBroke) {
    std::string payload = encodeSnapshot(sampleSnapshot());
    payload[24] = '\x7f'; // the snapshot flags byte
    DecodeError error;
    EXPECT_FALSE(
        decodeWhole(frameOf(MessageType::SnapshotData, payload), Direction::ToClient, &error));
    EXPECT_EQ(error.code, ErrorCode::Malformed);
    EXPECT_THAT(error.message, HasSubstr("Snapshot: unknown snapshot flags 127"));
}

TEST(HelperProtocol, KillIsRefusedWithoutPidStartTimeOrWithAnOverlongWait) {
    EXPECT_EQ(refusalReason(KillRequest{{100, 5000}, 2000}), "");
    EXPECT_THAT(refusalReason(KillRequest{{0, 5000}, 2000}), HasSubstr("not a process"));
    EXPECT_THAT(refusalReason(KillRequest{{-1, 5000}, 2000}), HasSubstr("not a process"));
    EXPECT_THAT(refusalReason(KillRequest{{100, 0}, 2000}),
                HasSubstr("lacks the process start time"));
    EXPECT_EQ(refusalReason(KillRequest{{100, 1}, kMaxKillWaitMs}), "");
    EXPECT_THAT(refusalReason(KillRequest{{100, 1}, kMaxKillWaitMs + 1}),
                HasSubstr("the limit is 10000 ms"));
}

TEST(HelperProtocol, CloseIsRefusedUnlessItNamesOneExactConnection) {
    EXPECT_EQ(refusalReason(CloseRequest{sampleConnection()}), "");

    auto refused = [](auto change) {
        CloseRequest request{sampleConnection()};
        change(request.socket);
        return refusalReason(request);
    };
    EXPECT_THAT(refused([](Socket& s) { s.cookie = 0; }), HasSubstr("lacks the socket cookie"));
    EXPECT_THAT(refused([](Socket& s) { s.cookie = ~std::uint64_t{0}; }),
                HasSubstr("lacks the socket cookie"));
    EXPECT_THAT(refused([](Socket& s) { s.protocol = Protocol::Udp; }),
                HasSubstr("only TCP connections"));
    EXPECT_THAT(refused([](Socket& s) { s.state = SocketState::Listen; }),
                HasSubstr("LISTEN it is not a connection"));
    EXPECT_THAT(refused([](Socket& s) { s.state = SocketState::Unknown; }),
                HasSubstr("not a connection"));
    EXPECT_THAT(refused([](Socket& s) { s.remote.port = 0; }), HasSubstr("both ends"));
    EXPECT_THAT(refused([](Socket& s) { s.remote.address = IpAddress::anyOf(Family::V4); }),
                HasSubstr("both ends"));
    EXPECT_THAT(refused([](Socket& s) {
                    s.remote = {*IpAddress::parse("::1"), 80};
                }),
                HasSubstr("different families"));
}

TEST(HelperProtocol, DirectionsAndLimits) {
    EXPECT_EQ(directionOf(0x0001), Direction::ToHelper);
    EXPECT_EQ(directionOf(0x8004), Direction::ToClient);
    EXPECT_FALSE(directionOf(0x0006));
    EXPECT_FALSE(directionOf(0x8000));
    EXPECT_EQ(directionOf(0x0020), Direction::ToHelper); // SensorSelect
    EXPECT_EQ(directionOf(0x8020), Direction::ToClient); // SensorStatus
    EXPECT_FALSE(directionOf(0x0021));
    EXPECT_EQ(payloadLimit(Direction::ToHelper), 4096u);
    EXPECT_EQ(payloadLimit(Direction::ToClient), 256u << 20);
}

} // namespace
} // namespace portscope::core::helper

namespace portscope::core::helper {
namespace {

std::optional<Message> decodeFrame(const std::string& frame, Direction direction,
                                   DecodeError* error) {
    const auto header = decodeHeader(frame, direction, error);
    if (!header) {
        return std::nullopt;
    }
    return decodePayload(*header, std::string_view(frame).substr(kHeaderSize), error);
}

TEST(HelperProtocolCapture, EveryCaptureMessageReadsBackAsWritten) {
    const std::vector<Message> requests{
        StartCapture{65535, {"lo", "eth0"}, "tcp port 80"},
        SetCaptureFilter{std::string(kMaxCaptureFilterBytes, 'x')}, // beyond kMaxRequestBytes
        ReadPackets{250, 4u << 20}, StopCapture{}};
    for (const auto& request : requests) {
        DecodeError error;
        const auto decoded = decodeFrame(encodeFrame(7, request), Direction::ToHelper, &error);
        ASSERT_TRUE(decoded) << error.message;
        EXPECT_EQ(decoded->index(), request.index());
        EXPECT_EQ(encodePayload(*decoded), encodePayload(request));
    }
    const PacketBatch batch{{{5, 1, 2}}, {{0, 123, 80, std::string("abc\0def", 7)}}};
    const CaptureStarted started{ActionCode::Done, "", {{276, 262144, "any"}}};
    for (const Message& reply : {Message{batch}, Message{started}}) {
        DecodeError error;
        const auto decoded = decodeFrame(encodeFrame(8, reply), Direction::ToClient, &error);
        ASSERT_TRUE(decoded) << error.message;
        EXPECT_EQ(encodePayload(*decoded), encodePayload(reply));
    }
    EXPECT_EQ(
        std::get<PacketBatch>(*decodeFrame(encodeFrame(8, batch), Direction::ToClient, nullptr)),
        batch);
}

TEST(HelperProtocolCapture, RefusesWhatBreaksTheLimits) {
    DecodeError error;
    // A filter request one byte over its own limit never has its payload read.
    const std::string oversized =
        encodeHeader(MessageType::SetCaptureFilter, 1, kMaxCaptureFilterRequestBytes + 1);
    EXPECT_FALSE(decodeHeader(oversized, Direction::ToHelper, &error));
    EXPECT_EQ(error.code, ErrorCode::Oversized);
    // Other requests keep theirs.
    EXPECT_FALSE(decodeHeader(encodeHeader(MessageType::StartCapture, 1, kMaxRequestBytes + 1),
                              Direction::ToHelper, &error));

    auto refused = [&](const Message& message, Direction direction) {
        std::string frame = encodeFrame(1, message);
        return !decodeFrame(frame, direction, &error);
    };
    EXPECT_TRUE(refused(StartCapture{0, {}, ""}, Direction::ToHelper));
    EXPECT_TRUE(refused(StartCapture{kMaxSnapLength + 1, {}, ""}, Direction::ToHelper));
    EXPECT_TRUE(refused(StartCapture{100, {""}, ""}, Direction::ToHelper));
    EXPECT_TRUE(
        refused(StartCapture{100, std::vector<std::string>(17, "lo"), ""}, Direction::ToHelper));
    EXPECT_TRUE(refused(PacketBatch{{}, {{0, 1, 10, "x"}}}, Direction::ToClient))
        << "a packet of an interface the batch does not have";
    EXPECT_TRUE(refused(PacketBatch{{{}}, {{0, 1, 2, "more than two"}}}, Direction::ToClient));
    EXPECT_TRUE(
        refused(CaptureStarted{ActionCode::Failed, "no", {{1, 1, "lo"}}}, Direction::ToClient));
    // A count of packets the bytes cannot hold is refused before anything is reserved.
    std::string payload = encodePayload(PacketBatch{{{}}, {}});
    payload.replace(payload.size() - 4, 4, std::string("\xff\xff\xff\x0f", 4));
    const std::string frame =
        encodeHeader(MessageType::PacketBatch, 1, static_cast<std::uint32_t>(payload.size())) +
        payload;
    EXPECT_FALSE(decodeFrame(frame, Direction::ToClient, &error));
    EXPECT_THAT(error.message, ::testing::HasSubstr("do not fit"));

    EXPECT_EQ(refusalReason(ReadPackets{1000, 4u << 20}), "");
    EXPECT_NE(refusalReason(ReadPackets{1001, 4u << 20}), "");
    EXPECT_NE(refusalReason(ReadPackets{10, kMaxPacketBatchBytes + 1}), "");
    EXPECT_NE(refusalReason(ReadPackets{10, 1000}), "");
}

} // namespace
} // namespace portscope::core::helper

namespace portscope::core::helper {
namespace {

using ::testing::HasSubstr;

std::optional<Message> decodeRequest(const std::string& frame, DecodeError* error) {
    const auto header = decodeHeader(frame, Direction::ToHelper, error);
    if (!header) {
        return std::nullopt;
    }
    return decodePayload(*header, std::string_view(frame).substr(kHeaderSize), error);
}

// The payload's decoder error, or "" when it was accepted.
std::string whyRefused(MessageType type, const std::string& payload, Direction direction) {
    const std::string frame =
        encodeHeader(type, 1, static_cast<std::uint32_t>(payload.size())) + payload;
    DecodeError error;
    const auto header = decodeHeader(frame, direction, &error);
    if (header && decodePayload(*header, std::string_view(frame).substr(kHeaderSize), &error)) {
        return "";
    }
    EXPECT_EQ(error.code, ErrorCode::Malformed);
    return error.message.empty() ? "refused without a reason" : error.message;
}

std::string whyRefused(const SelectSockets& request) {
    return whyRefused(MessageType::SelectSockets, encodePayload(request), Direction::ToHelper);
}

TEST(HelperProtocolSocketCapture, ASelectionAndTheSocketsOfPacketsReadBackAsWritten) {
    for (const SocketSelection& selection :
         {sampleSelection(), SocketSelection{true, {}, {}, {}}}) {
        const SelectSockets request{selection};
        DecodeError error;
        const auto decoded = decodeRequest(encodeFrame(3, request), &error);
        ASSERT_TRUE(decoded) << error.message;
        EXPECT_EQ(std::get<SelectSockets>(*decoded), request);
    }
    const StartCapture start{65535, {}, "tcp port 80", true};
    EXPECT_EQ(std::get<StartCapture>(*decodeRequest(encodeFrame(2, start), nullptr)), start);
    const StartCapture libpcap{65535, {"lo"}, "", false};
    EXPECT_EQ(std::get<StartCapture>(*decodeRequest(encodeFrame(2, libpcap), nullptr)), libpcap);

    const PacketBatch batch{{{5, 1, 2}}, {socketPacket(), BatchPacket{0, 9, 3, "xyz"}}};
    const std::string frame = encodeFrame(8, batch);
    DecodeError error;
    const auto header = decodeHeader(frame, Direction::ToClient, &error);
    ASSERT_TRUE(header) << error.message;
    const auto decoded =
        decodePayload(*header, std::string_view(frame).substr(kHeaderSize), &error);
    ASSERT_TRUE(decoded) << error.message;
    const auto& packets = std::get<PacketBatch>(*decoded).packets;
    ASSERT_EQ(packets.size(), 2u);
    EXPECT_EQ(packets[0].cookie, 0x0123456789ABCDEFull);
    EXPECT_EQ(packets[0].creatorPid, 4242);
    EXPECT_EQ(packets[0].direction, pcapng::Direction::Outbound);
    EXPECT_EQ(packets[1].cookie, 0u) << "a libpcap capture's packets name no socket";
    EXPECT_EQ(packets[1].direction, pcapng::Direction::Unknown);
    EXPECT_EQ(std::get<PacketBatch>(*decoded), batch);
}

TEST(HelperProtocolSocketCapture, TheLargestSelectionFitsItsOwnLimitAndNoMore) {
    SocketSelection selection;
    for (std::uint32_t i = 0; i < kMaxSelectedSockets; ++i) {
        selection.sockets.push_back(1000 + 3ull * i);
    }
    for (std::uint32_t i = 0; i < kMaxSelectedProcesses; ++i) {
        selection.processes.push_back(static_cast<std::int32_t>(i + 1));
    }
    for (std::uint32_t i = 0; i < kMaxSelectedPorts; ++i) {
        selection.listeningPorts.push_back(
            {i % 2 == 0 ? Protocol::Tcp : Protocol::Udp, static_cast<std::uint16_t>(1 + i / 2)});
    }
    std::sort(selection.listeningPorts.begin(), selection.listeningPorts.end());
    const SelectSockets largest{selection};
    EXPECT_EQ(encodePayload(largest).size(), kMaxSelectSocketsRequestBytes);
    EXPECT_GT(kMaxSelectSocketsRequestBytes, kMaxRequestBytes);
    EXPECT_EQ(payloadLimit(MessageType::SelectSockets), kMaxSelectSocketsRequestBytes);
    DecodeError error;
    const auto decoded = decodeRequest(encodeFrame(1, largest), &error);
    ASSERT_TRUE(decoded) << error.message;
    EXPECT_EQ(std::get<SelectSockets>(*decoded), largest);

    // One byte more is refused from its header, before the payload is read.
    EXPECT_FALSE(
        decodeHeader(encodeHeader(MessageType::SelectSockets, 1, kMaxSelectSocketsRequestBytes + 1),
                     Direction::ToHelper, &error));
    EXPECT_EQ(error.code, ErrorCode::Oversized);

    // One entry over a list's limit is refused though the bytes are within the frame's.
    for (const auto& [what, tooMany] : std::vector<std::pair<std::string, SocketSelection>>{
             {"socket cookies",
              [&] {
                  SocketSelection more;
                  more.sockets = selection.sockets;
                  more.sockets.push_back(more.sockets.back() + 1);
                  return more;
              }()},
             {"process IDs",
              [&] {
                  SocketSelection more;
                  more.processes = selection.processes;
                  more.processes.push_back(more.processes.back() + 1);
                  return more;
              }()},
             {"listening ports", [&] {
                  SocketSelection more;
                  more.listeningPorts = selection.listeningPorts;
                  more.listeningPorts.push_back({Protocol::Udp, 60000});
                  return more;
              }()}}) {
        EXPECT_THAT(whyRefused(SelectSockets{tooMany}), HasSubstr(what + "; the limit is"));
    }
    // A count the remaining bytes cannot hold is refused before anything is reserved.
    std::string payload = encodePayload(SelectSockets{});
    payload.replace(1, 4, std::string("\x00\x10\x00\x00", 4)); // 4096 cookies, none there
    EXPECT_THAT(whyRefused(MessageType::SelectSockets, payload, Direction::ToHelper),
                HasSubstr("do not fit"));
}

TEST(HelperProtocolSocketCapture, ASelectionMustBeStrictlyAscendingAndValid) {
    EXPECT_EQ(whyRefused(SelectSockets{sampleSelection()}), "");
    auto with = [](auto change) {
        SocketSelection selection = sampleSelection();
        change(selection);
        return SelectSockets{selection};
    };
    EXPECT_THAT(whyRefused(with([](SocketSelection& s) {
                    s.sockets = {5, 4};
                })),
                HasSubstr("socket cookies are not in strictly ascending order (entry 1)"));
    EXPECT_THAT(whyRefused(with([](SocketSelection& s) {
                    s.sockets = {5, 5};
                })),
                HasSubstr("not in strictly ascending order"))
        << "a duplicate";
    EXPECT_THAT(whyRefused(with([](SocketSelection& s) {
                    s.processes = {30, 20, 40};
                })),
                HasSubstr("process IDs are not in strictly ascending order"));
    EXPECT_THAT(whyRefused(with([](SocketSelection& s) {
                    s.listeningPorts = {{Protocol::Udp, 53}, {Protocol::Tcp, 80}};
                })),
                HasSubstr("listening ports are not in strictly ascending order"));
    EXPECT_THAT(whyRefused(with([](SocketSelection& s) {
                    s.processes = {0, 5};
                })),
                HasSubstr("process ID 0; it must be > 0"));
    EXPECT_THAT(whyRefused(with([](SocketSelection& s) { s.processes = {-7}; })),
                HasSubstr("process ID -7"));
    EXPECT_THAT(whyRefused(with([](SocketSelection& s) {
                    s.listeningPorts = {{static_cast<Protocol>(1), 80}};
                })),
                HasSubstr("unknown protocol 1 of a listening port"));
    EXPECT_THAT(whyRefused(with([](SocketSelection& s) {
                    s.listeningPorts = {{Protocol::Tcp, 0}};
                })),
                HasSubstr("listening port 0"));
    std::string every = encodePayload(SelectSockets{});
    every[0] = '\x02';
    EXPECT_THAT(whyRefused(MessageType::SelectSockets, every, Direction::ToHelper),
                HasSubstr("every socket of 2; it must be 0 or 1"));
    EXPECT_NE(
        whyRefused(MessageType::SelectSockets, encodePayload(SelectSockets{}), Direction::ToClient),
        "")
        << "SelectSockets travels to the helper only";
}

TEST(HelperProtocolSocketCapture, StartBySocketAndBatchPacketsRejectBadValues) {
    std::string start = encodePayload(StartCapture{100, {}, "", true});
    EXPECT_EQ(whyRefused(MessageType::StartCapture, start, Direction::ToHelper), "");
    start[4] = '\x02'; // by_socket follows the snap length
    EXPECT_THAT(whyRefused(MessageType::StartCapture, start, Direction::ToHelper),
                HasSubstr("by socket of 2; it must be 0 or 1"));
    EXPECT_THAT(whyRefused(MessageType::StartCapture,
                           encodePayload(StartCapture{100, {"lo"}, "", true}), Direction::ToHelper),
                HasSubstr("a capture by socket takes every interface; it names none"));

    // The packet's fields follow the counters (1 + 24), the count (4), and interface,
    // time stamp and original length (13): cookie, creator PID, direction.
    const std::size_t creatorAt = 1 + 24 + 4 + 13 + 8;
    const std::size_t directionAt = creatorAt + 4;
    const std::string batch = encodePayload(PacketBatch{{{}}, {socketPacket()}});
    ASSERT_EQ(static_cast<std::uint8_t>(batch[directionAt]), 2u);
    EXPECT_EQ(whyRefused(MessageType::PacketBatch, batch, Direction::ToClient), "");
    std::string badDirection = batch;
    badDirection[directionAt] = '\x03';
    EXPECT_THAT(whyRefused(MessageType::PacketBatch, badDirection, Direction::ToClient),
                HasSubstr("a packet of unknown direction 3"));
    std::string badCreator = batch;
    badCreator.replace(creatorAt, 4, std::string("\xff\xff\xff\xff", 4));
    EXPECT_THAT(whyRefused(MessageType::PacketBatch, badCreator, Direction::ToClient),
                HasSubstr("a packet of creator PID -1"));
}

TEST(HelperProtocolSocketCapture, ABatchCountsUpToEveryInterfaceOfACaptureBySocket) {
    PacketBatch batch;
    batch.counters.resize(kMaxCapturedInterfaces);
    BatchPacket last = socketPacket();
    last.interface = static_cast<std::uint8_t>(kMaxCapturedInterfaces - 1);
    batch.packets.push_back(last);
    EXPECT_EQ(whyRefused(MessageType::PacketBatch, encodePayload(batch), Direction::ToClient), "");
    CaptureStarted started{ActionCode::Done, "", {}};
    started.interfaces.assign(kMaxCapturedInterfaces, {101, 65536, "veth"});
    EXPECT_EQ(whyRefused(MessageType::CaptureStarted, encodePayload(started), Direction::ToClient),
              "");
    // The smallest batch a client may ask for holds those counters and one largest packet.
    EXPECT_EQ(refusalReason(ReadPackets{10, kMinPacketBatchBytes}), "");
    EXPECT_NE(refusalReason(ReadPackets{10, kMinPacketBatchBytes - 1}), "");
    EXPECT_EQ(kBatchPacketFixedBytes, encodePayload(PacketBatch{{{}}, {BatchPacket{}}}).size() -
                                          encodePayload(PacketBatch{{{}}, {}}).size());
}

} // namespace
} // namespace portscope::core::helper
