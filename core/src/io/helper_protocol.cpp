#include "portscope/core/helper_protocol.h"

#include "byte_codec.h"
#include "portscope/core/replay.h"
#include "system_text_codec.h"

#include <cstring>
#include <stdexcept>
#include <type_traits>

namespace portscope::core::helper {

namespace {

using bytes::kEndpointBytes;
constexpr std::size_t kHelloPrefixBytes = 8 + 4; // magic and version: stable across versions
constexpr std::size_t kKillBytes = 4 + 8 + 4;
constexpr std::size_t kCloseBytes = 1 + 1 + 2 * kEndpointBytes + 4 + 8 + 8;
constexpr std::size_t kWelcomeBytes = 4 + 4 + 4;

class Writer : public bytes::ByteWriter {
public:
    using ByteWriter::ByteWriter;

    void text(std::string_view message) { ByteWriter::text(message, kMaxTextBytes); }
    void systemText(const SystemText& message) {
        bytes::writeSystemText(*this, message, [&](std::string_view value) { text(value); });
    }
};

class Reader : public bytes::ByteReader {
public:
    explicit Reader(std::string_view bytes) : ByteReader(bytes, "payload") {}

    std::string text(const char* what) {
        return ByteReader::text(what, kMaxTextBytes, std::to_string(kMaxTextBytes) + " bytes");
    }

    SystemText systemText(const char* what) {
        return bytes::readSystemText(
            *this, [&] { return text(what); }, [](std::size_t) {});
    }

    void expectEnd() {
        if (!failed() && remaining() != 0) {
            fail(std::to_string(remaining()) + " unexpected bytes after the message");
        }
    }
};

template <typename... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};
template <typename... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

bool isKnownType(std::uint16_t raw) {
    switch (static_cast<MessageType>(raw)) {
    case MessageType::Hello:
    case MessageType::Poll:
    case MessageType::Kill:
    case MessageType::Close:
    case MessageType::Goodbye:
    case MessageType::Welcome:
    case MessageType::SnapshotData:
    case MessageType::ActionReply:
    case MessageType::Error:
    case MessageType::StartCapture:
    case MessageType::SetCaptureFilter:
    case MessageType::ReadPackets:
    case MessageType::StopCapture:
    case MessageType::SelectSockets:
    case MessageType::CaptureStarted:
    case MessageType::PacketBatch:
    case MessageType::SensorSelect:
    case MessageType::SensorStatus:
    case MessageType::ChangesPending:
        return true;
    }
    return false;
}

std::string hex16(std::uint16_t value) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string text = "0x";
    for (int shift = 12; shift >= 0; shift -= 4) {
        text.push_back(kDigits[(value >> shift) & 0xF]);
    }
    return text;
}

std::optional<Message> decodeHello(Reader& in, std::size_t payloadSize) {
    if (payloadSize < kHelloPrefixBytes) {
        in.failAt(0, "Hello of " + std::to_string(payloadSize) + " bytes is shorter than its " +
                         std::to_string(kHelloPrefixBytes) + "-byte magic and version");
        return std::nullopt;
    }
    if (in.raw(kMagic.size()) != kMagic) {
        in.failAt(0, "Hello without the PSHELPER magic: the peer is not a PortScope client");
        return std::nullopt;
    }
    Hello hello;
    hello.version = in.u32();
    if (hello.version != kVersion) {
        return hello; // the rest is laid out as that version says; the helper refuses it
    }
    hello.options = in.u32();
    if (!in.failed() && (hello.options & ~kKnownHelloOptions) != 0) {
        in.failAt(12, "Hello with unknown option bits " + std::to_string(hello.options));
    }
    return hello;
}

std::optional<Message> decodeClose(Reader& in) {
    CloseRequest request;
    Socket& socket = request.socket;
    const std::uint8_t protocol = in.u8();
    if (protocol == static_cast<std::uint8_t>(Protocol::Tcp)) {
        socket.protocol = Protocol::Tcp;
    } else if (protocol == static_cast<std::uint8_t>(Protocol::Udp)) {
        socket.protocol = Protocol::Udp;
    } else if (!in.failed()) {
        in.failAt(0, "unknown protocol " + std::to_string(protocol));
    }
    const std::uint8_t state = in.u8();
    if (!in.failed() && state > static_cast<std::uint8_t>(SocketState::Bound)) {
        in.failAt(1, "unknown socket state " + std::to_string(state));
    }
    socket.state = static_cast<SocketState>(state);
    socket.local = in.endpoint("local endpoint");
    socket.remote = in.endpoint("remote endpoint");
    socket.interfaceIndex = in.u32();
    socket.cookie = in.u64();
    socket.netns = in.u64();
    return request;
}

std::string captureFilterText(Reader& in) {
    return in.ByteReader::text("filter", kMaxCaptureFilterBytes,
                               std::to_string(kMaxCaptureFilterBytes) + " bytes");
}

std::string interfaceName(Reader& in) {
    auto name = in.ByteReader::text("interface name", kMaxInterfaceNameBytes,
                                    std::to_string(kMaxInterfaceNameBytes) + " bytes");
    if (!in.failed() && (name.empty() || name.find('\0') != std::string::npos)) {
        in.fail("an interface name must be non-empty and without NUL bytes");
    }
    return name;
}

ActionCode actionCode(Reader& in) {
    const std::uint8_t code = in.u8();
    if (!in.failed() && code > static_cast<std::uint8_t>(ActionCode::Failed)) {
        in.fail("unknown action result " + std::to_string(code));
    }
    return static_cast<ActionCode>(code);
}

bool flag(Reader& in, const char* what) {
    const std::uint8_t value = in.u8();
    if (!in.failed() && value > 1) {
        in.fail(std::string(what) + " of " + std::to_string(value) + "; it must be 0 or 1");
    }
    return value == 1;
}

// A count of at most `limit` items of at least `itemBytes` each, checked against the bytes
// left before anything is reserved.
std::uint32_t itemCount(Reader& in, const char* what, std::uint32_t limit, std::size_t itemBytes) {
    const std::uint32_t count = in.u32();
    if (!in.failed() && count > limit) {
        in.fail(std::to_string(count) + " " + what + "; the limit is " + std::to_string(limit));
    } else if (!in.failed() && count > in.remaining() / itemBytes) {
        in.fail(std::to_string(count) + " " + what + " do not fit the remaining " +
                std::to_string(in.remaining()) + " bytes");
    }
    return in.failed() ? 0 : count;
}

// A counted list that must be strictly ascending: sorted, without duplicates, so that it has
// one encoding and the helper needs no sorting of its own.
template <typename Item, typename ReadItem>
std::vector<Item> ascendingList(Reader& in, const char* what, std::uint32_t limit,
                                std::size_t itemBytes, ReadItem readItem) {
    const std::uint32_t count = itemCount(in, what, limit, itemBytes);
    std::vector<Item> items;
    items.reserve(count);
    for (std::uint32_t i = 0; i < count && !in.failed(); ++i) {
        Item item = readItem();
        if (!in.failed() && !items.empty() && !(items.back() < item)) {
            in.fail(std::string("the ") + what + " are not in strictly ascending order (entry " +
                    std::to_string(i) + ")");
        }
        items.push_back(item);
    }
    return items;
}

std::optional<Message> decodeSelectSockets(Reader& in) {
    SocketSelection selection;
    selection.everySocket = flag(in, "every socket");
    selection.sockets = ascendingList<std::uint64_t>(in, "socket cookies", kMaxSelectedSockets, 8,
                                                     [&] { return in.u64(); });
    selection.processes =
        ascendingList<std::int32_t>(in, "process IDs", kMaxSelectedProcesses, 4, [&] {
            const std::int32_t pid = in.i32();
            if (!in.failed() && pid <= 0) {
                in.fail("process ID " + std::to_string(pid) + "; it must be > 0");
            }
            return pid;
        });
    selection.listeningPorts =
        ascendingList<SocketSelection::Port>(in, "listening ports", kMaxSelectedPorts, 3, [&] {
            SocketSelection::Port port;
            const std::uint8_t protocol = in.u8();
            port.port = in.u16();
            if (!in.failed() && protocol != static_cast<std::uint8_t>(Protocol::Tcp) &&
                protocol != static_cast<std::uint8_t>(Protocol::Udp)) {
                in.fail("unknown protocol " + std::to_string(protocol) + " of a listening port");
            }
            if (!in.failed() && port.port == 0) {
                in.fail("listening port 0");
            }
            port.protocol = static_cast<Protocol>(protocol);
            return port;
        });
    return SelectSockets{std::move(selection)};
}

std::optional<Message> decodeStartCapture(Reader& in) {
    StartCapture request;
    request.snapLength = in.u32();
    if (!in.failed() && (request.snapLength == 0 || request.snapLength > kMaxSnapLength)) {
        in.fail("a snap length of " + std::to_string(request.snapLength) + " bytes (1 to " +
                std::to_string(kMaxSnapLength) + ")");
    }
    request.bySocket = flag(in, "by socket");
    const std::uint8_t count = in.u8();
    if (!in.failed() && count > kMaxCaptureInterfaces) {
        in.fail(std::to_string(count) + " interfaces; the limit is " +
                std::to_string(kMaxCaptureInterfaces));
    }
    if (!in.failed() && request.bySocket && count != 0) {
        in.fail("a capture by socket takes every interface; it names none");
    }
    for (std::uint8_t i = 0; i < count && !in.failed(); ++i) {
        request.interfaces.push_back(interfaceName(in));
    }
    request.filter = captureFilterText(in);
    return request;
}

std::optional<Message> decodeCaptureStarted(Reader& in) {
    CaptureStarted reply;
    reply.code = actionCode(in);
    reply.message = in.text("message");
    const std::uint8_t count = in.u8();
    static_assert(kMaxCapturedInterfaces <= 255, "the count is a u8");
    for (std::uint8_t i = 0; i < count && !in.failed(); ++i) {
        CaptureInterface interface;
        interface.linkType = in.u16();
        interface.snapLength = in.u32();
        interface.name = interfaceName(in);
        reply.interfaces.push_back(std::move(interface));
    }
    if (!in.failed() && reply.code != ActionCode::Done && !reply.interfaces.empty()) {
        in.fail("a failed start with interfaces");
    }
    return reply;
}

std::optional<Message> decodePacketBatch(Reader& in) {
    constexpr std::size_t kCountersBytes = 3 * 8;
    PacketBatch batch;
    const std::uint8_t interfaces = in.u8();
    if (!in.failed() &&
        (interfaces > kMaxCapturedInterfaces || interfaces * kCountersBytes > in.remaining())) {
        in.fail(std::to_string(interfaces) + " interface counters do not fit the batch");
    }
    for (std::uint8_t i = 0; i < interfaces && !in.failed(); ++i) {
        InterfaceCounters counters;
        counters.received = in.u64();
        counters.dropped = in.u64();
        counters.droppedByInterface = in.u64();
        batch.counters.push_back(counters);
    }
    const std::uint32_t count = in.u32();
    // Checked before anything is reserved: each packet takes its fixed bytes at least.
    if (!in.failed() && count > in.remaining() / kBatchPacketFixedBytes) {
        in.fail(std::to_string(count) + " packets do not fit the remaining " +
                std::to_string(in.remaining()) + " bytes");
    }
    if (!in.failed()) {
        batch.packets.reserve(count);
    }
    for (std::uint32_t i = 0; i < count && !in.failed(); ++i) {
        BatchPacket packet;
        packet.interface = in.u8();
        packet.timestampNs = in.u64();
        packet.originalLength = in.u32();
        packet.cookie = in.u64();
        packet.creatorPid = in.i32();
        const std::uint8_t direction = in.u8();
        const std::uint32_t length = in.u32();
        if (!in.failed() && packet.creatorPid < 0) {
            in.fail("a packet of creator PID " + std::to_string(packet.creatorPid));
        }
        if (!in.failed() && direction > static_cast<std::uint8_t>(pcapng::Direction::Outbound)) {
            in.fail("a packet of unknown direction " + std::to_string(direction));
        }
        packet.direction = static_cast<pcapng::Direction>(direction);
        if (!in.failed() && packet.interface >= interfaces) {
            in.fail("a packet of interface " + std::to_string(packet.interface) + " of " +
                    std::to_string(interfaces));
        }
        if (!in.failed() && (length > kMaxSnapLength || length > packet.originalLength ||
                             length > in.remaining())) {
            in.fail("a packet of " + std::to_string(length) + " captured bytes (original " +
                    std::to_string(packet.originalLength) + ", limit " +
                    std::to_string(kMaxSnapLength) + ")");
        }
        if (!in.failed()) {
            packet.data = std::string(in.raw(length));
        }
        batch.packets.push_back(std::move(packet));
    }
    return batch;
}

} // namespace

std::uint32_t payloadLimit(MessageType type) {
    if (type == MessageType::SetCaptureFilter) {
        return kMaxCaptureFilterRequestBytes;
    }
    if (type == MessageType::SelectSockets) {
        return kMaxSelectSocketsRequestBytes;
    }
    return payloadLimit((static_cast<std::uint16_t>(type) & 0x8000u) != 0 ? Direction::ToClient
                                                                          : Direction::ToHelper);
}

std::string_view toString(MessageType type) {
    switch (type) {
    case MessageType::Hello:
        return "Hello";
    case MessageType::Poll:
        return "Poll";
    case MessageType::Kill:
        return "Kill";
    case MessageType::Close:
        return "Close";
    case MessageType::Goodbye:
        return "Goodbye";
    case MessageType::Welcome:
        return "Welcome";
    case MessageType::SnapshotData:
        return "Snapshot";
    case MessageType::ActionReply:
        return "ActionReply";
    case MessageType::Error:
        return "Error";
    case MessageType::StartCapture:
        return "StartCapture";
    case MessageType::SetCaptureFilter:
        return "SetCaptureFilter";
    case MessageType::ReadPackets:
        return "ReadPackets";
    case MessageType::StopCapture:
        return "StopCapture";
    case MessageType::SelectSockets:
        return "SelectSockets";
    case MessageType::CaptureStarted:
        return "CaptureStarted";
    case MessageType::PacketBatch:
        return "PacketBatch";
    case MessageType::SensorSelect:
        return "SensorSelect";
    case MessageType::SensorStatus:
        return "SensorStatus";
    case MessageType::ChangesPending:
        return "ChangesPending";
    }
    return "unknown";
}

std::string_view toString(ErrorCode code) {
    switch (code) {
    case ErrorCode::Malformed:
        return "malformed message";
    case ErrorCode::Oversized:
        return "oversized message";
    case ErrorCode::UnsupportedVersion:
        return "unsupported protocol version";
    case ErrorCode::UnexpectedMessage:
        return "unexpected message";
    case ErrorCode::SourceFailed:
        return "system source failed";
    case ErrorCode::Internal:
        return "internal error";
    }
    return "unknown error";
}

std::optional<Direction> directionOf(std::uint16_t rawType) {
    if (!isKnownType(rawType)) {
        return std::nullopt;
    }
    return (rawType & 0x8000u) != 0 ? Direction::ToClient : Direction::ToHelper;
}

std::uint32_t payloadLimit(Direction direction) {
    return direction == Direction::ToHelper ? kMaxRequestBytes : kMaxReplyBytes;
}

MessageType typeOf(const Message& message) {
    return std::visit(Overloaded{
                          [](const Hello&) { return MessageType::Hello; },
                          [](const Poll&) { return MessageType::Poll; },
                          [](const KillRequest&) { return MessageType::Kill; },
                          [](const CloseRequest&) { return MessageType::Close; },
                          [](const Goodbye&) { return MessageType::Goodbye; },
                          [](const Welcome&) { return MessageType::Welcome; },
                          [](const SnapshotData&) { return MessageType::SnapshotData; },
                          [](const ActionReply&) { return MessageType::ActionReply; },
                          [](const ErrorReply&) { return MessageType::Error; },
                          [](const StartCapture&) { return MessageType::StartCapture; },
                          [](const SetCaptureFilter&) { return MessageType::SetCaptureFilter; },
                          [](const ReadPackets&) { return MessageType::ReadPackets; },
                          [](const StopCapture&) { return MessageType::StopCapture; },
                          [](const SelectSockets&) { return MessageType::SelectSockets; },
                          [](const CaptureStarted&) { return MessageType::CaptureStarted; },
                          [](const PacketBatch&) { return MessageType::PacketBatch; },
                          [](const SensorSelect&) { return MessageType::SensorSelect; },
                          [](const SensorStatus&) { return MessageType::SensorStatus; },
                          [](const ChangesPending&) { return MessageType::ChangesPending; },
                      },
                      message);
}

std::optional<FrameHeader> decodeHeader(std::string_view bytes, Direction direction,
                                        DecodeError* error) {
    auto fail = [&](ErrorCode code, std::string message) -> std::optional<FrameHeader> {
        if (error != nullptr) {
            *error = DecodeError{code, std::move(message)};
        }
        return std::nullopt;
    };
    if (bytes.size() < kHeaderSize) {
        return fail(ErrorCode::Malformed, "frame header of " + std::to_string(bytes.size()) +
                                              " bytes; it needs " + std::to_string(kHeaderSize));
    }
    Reader in(bytes.substr(0, kHeaderSize));
    const std::uint32_t length = in.u32();
    const std::uint16_t rawType = in.u16();
    const std::uint16_t reserved = in.u16();
    const std::uint32_t requestId = in.u32();
    const auto travels = directionOf(rawType);
    if (!travels) {
        return fail(ErrorCode::Malformed, "unknown message type " + hex16(rawType));
    }
    const auto type = static_cast<MessageType>(rawType);
    if (*travels != direction) {
        return fail(ErrorCode::Malformed,
                    std::string(toString(type)) + (direction == Direction::ToHelper
                                                       ? " is a reply; the helper only takes "
                                                         "requests"
                                                       : " is a request; a client only takes "
                                                         "replies"));
    }
    if (reserved != 0) {
        return fail(ErrorCode::Malformed,
                    "reserved header bits " + hex16(reserved) + " are set; they must be zero");
    }
    const std::uint32_t limit = payloadLimit(type);
    if (length > limit) {
        return fail(ErrorCode::Oversized,
                    std::string(toString(type)) + " frame of " + std::to_string(length) +
                        " bytes exceeds the limit of " + std::to_string(limit) + " bytes");
    }
    return FrameHeader{length, type, requestId};
}

std::optional<Message> decodePayload(const FrameHeader& header, std::string_view payload,
                                     DecodeError* error) {
    auto fail = [&](ErrorCode code, std::string message) -> std::optional<Message> {
        if (error != nullptr) {
            *error = DecodeError{code, std::string(toString(header.type)) + ": " + message};
        }
        return std::nullopt;
    };
    if (payload.size() != header.length) {
        return fail(ErrorCode::Malformed, "payload of " + std::to_string(payload.size()) +
                                              " bytes, but the header announced " +
                                              std::to_string(header.length));
    }
    const auto expectSize = [&](std::size_t size) {
        if (payload.size() == size) {
            return true;
        }
        fail(ErrorCode::Malformed, "payload of " + std::to_string(payload.size()) +
                                       " bytes; it must be " + std::to_string(size));
        return false;
    };

    Reader in(payload);
    std::optional<Message> message;
    switch (header.type) {
    case MessageType::Hello:
        message = decodeHello(in, payload.size());
        if (message && std::get<Hello>(*message).version != kVersion) {
            return message; // the rest follows that version's layout
        }
        break;
    case MessageType::Poll:
        if (!expectSize(0)) {
            return std::nullopt;
        }
        return Poll{};
    case MessageType::Goodbye:
        if (!expectSize(0)) {
            return std::nullopt;
        }
        return Goodbye{};
    case MessageType::ChangesPending:
        if (!expectSize(0)) {
            return std::nullopt;
        }
        return ChangesPending{};
    case MessageType::Kill: {
        if (!expectSize(kKillBytes)) {
            return std::nullopt;
        }
        KillRequest request;
        request.process.pid = in.i32();
        request.process.startTime = in.u64();
        request.waitMs = in.u32();
        message = request;
        break;
    }
    case MessageType::Close:
        if (!expectSize(kCloseBytes)) {
            return std::nullopt;
        }
        message = decodeClose(in);
        break;
    case MessageType::SensorSelect: {
        if (!expectSize(1)) {
            return std::nullopt;
        }
        const std::uint8_t sensor = in.u8();
        if (sensor > static_cast<std::uint8_t>(SensorRequest::Bpf)) {
            return fail(ErrorCode::Malformed, "unknown sensor " + std::to_string(sensor));
        }
        return SensorSelect{static_cast<SensorRequest>(sensor)};
    }
    case MessageType::SensorStatus: {
        SensorStatus status;
        const std::uint8_t sensor = in.u8();
        if (!in.failed() && sensor != static_cast<std::uint8_t>(SensorMode::Poll) &&
            sensor != static_cast<std::uint8_t>(SensorMode::Bpf)) {
            in.failAt(0, "unknown sensor mode " + std::to_string(sensor));
        }
        status.sensor = static_cast<SensorMode>(sensor);
        status.message = in.text("message");
        message = std::move(status);
        break;
    }
    case MessageType::Welcome: {
        if (!expectSize(kWelcomeBytes)) {
            return std::nullopt;
        }
        Welcome welcome;
        welcome.version = in.u32();
        welcome.helperPid = in.i32();
        welcome.effectiveUid = in.u32();
        message = welcome;
        break;
    }
    case MessageType::SnapshotData: {
        std::string snapshotError;
        auto snapshot = decodeSnapshot(payload, &snapshotError, SnapshotForm::Helper);
        if (!snapshot) {
            return fail(ErrorCode::Malformed, snapshotError);
        }
        return SnapshotData{std::move(*snapshot)};
    }
    case MessageType::ActionReply: {
        ActionReply reply;
        const std::uint8_t code = in.u8();
        if (!in.failed() && code > static_cast<std::uint8_t>(ActionCode::Failed)) {
            in.failAt(0, "unknown action result " + std::to_string(code));
        }
        reply.code = static_cast<ActionCode>(code);
        reply.message = in.systemText("message");
        message = std::move(reply);
        break;
    }
    case MessageType::Error: {
        ErrorReply reply;
        const std::uint8_t code = in.u8();
        if (!in.failed() && (code < static_cast<std::uint8_t>(ErrorCode::Malformed) ||
                             code > static_cast<std::uint8_t>(ErrorCode::Internal))) {
            in.failAt(0, "unknown error code " + std::to_string(code));
        }
        reply.code = static_cast<ErrorCode>(code);
        reply.message = in.text("message");
        message = std::move(reply);
        break;
    }
    case MessageType::StartCapture:
        message = decodeStartCapture(in);
        break;
    case MessageType::SetCaptureFilter:
        message = SetCaptureFilter{captureFilterText(in)};
        break;
    case MessageType::ReadPackets: {
        if (!expectSize(8)) {
            return std::nullopt;
        }
        ReadPackets request;
        request.waitMs = in.u32();
        request.maxBytes = in.u32();
        message = request;
        break;
    }
    case MessageType::StopCapture:
        if (!expectSize(0)) {
            return std::nullopt;
        }
        return StopCapture{};
    case MessageType::SelectSockets:
        message = decodeSelectSockets(in);
        break;
    case MessageType::CaptureStarted:
        message = decodeCaptureStarted(in);
        break;
    case MessageType::PacketBatch:
        message = decodePacketBatch(in);
        break;
    }
    in.expectEnd();
    if (in.failed()) {
        return fail(ErrorCode::Malformed, in.error());
    }
    if (!message) {
        return fail(ErrorCode::Malformed, "undecodable payload");
    }
    return message;
}

std::string encodeHeader(MessageType type, std::uint32_t requestId, std::uint32_t payloadLength) {
    std::string out;
    out.reserve(kHeaderSize);
    Writer w(out);
    w.u32(payloadLength);
    w.u16(static_cast<std::uint16_t>(type));
    w.u16(0);
    w.u32(requestId);
    return out;
}

std::string encodePayload(const Message& message) {
    std::string out;
    Writer w(out);
    std::visit(
        Overloaded{
            [&](const Hello& hello) {
                w.raw(kMagic);
                w.u32(hello.version);
                w.u32(hello.options);
            },
            [](const Poll&) {},
            [](const Goodbye&) {},
            [](const ChangesPending&) {},
            [&](const KillRequest& request) {
                w.i32(request.process.pid);
                w.u64(request.process.startTime);
                w.u32(request.waitMs);
            },
            [&](const CloseRequest& request) {
                const Socket& socket = request.socket;
                w.u8(static_cast<std::uint8_t>(socket.protocol));
                w.u8(static_cast<std::uint8_t>(socket.state));
                w.endpoint(socket.local);
                w.endpoint(socket.remote);
                w.u32(socket.interfaceIndex);
                w.u64(socket.cookie);
                w.u64(socket.netns);
            },
            [&](const Welcome& welcome) {
                w.u32(welcome.version);
                w.i32(welcome.helperPid);
                w.u32(welcome.effectiveUid);
            },
            [&](const SnapshotData& data) {
                out = encodeSnapshot(data.snapshot, SnapshotForm::Helper);
            },
            [&](const ActionReply& reply) {
                w.u8(static_cast<std::uint8_t>(reply.code));
                w.systemText(reply.message);
            },
            [&](const ErrorReply& reply) {
                w.u8(static_cast<std::uint8_t>(reply.code));
                w.text(reply.message);
            },
            [&](const SensorSelect& select) { w.u8(static_cast<std::uint8_t>(select.sensor)); },
            [&](const SensorStatus& status) {
                w.u8(static_cast<std::uint8_t>(status.sensor));
                w.text(status.message);
            },
            [&](const StartCapture& request) {
                w.u32(request.snapLength);
                w.u8(request.bySocket ? 1 : 0);
                w.u8(static_cast<std::uint8_t>(request.interfaces.size()));
                for (const auto& name : request.interfaces) {
                    w.ByteWriter::text(name, kMaxInterfaceNameBytes);
                }
                w.ByteWriter::text(request.filter, kMaxCaptureFilterBytes);
            },
            [&](const SetCaptureFilter& request) {
                w.ByteWriter::text(request.filter, kMaxCaptureFilterBytes);
            },
            [&](const ReadPackets& request) {
                w.u32(request.waitMs);
                w.u32(request.maxBytes);
            },
            [](const StopCapture&) {},
            [&](const SelectSockets& request) {
                const SocketSelection& selection = request.selection;
                w.u8(selection.everySocket ? 1 : 0);
                w.u32(static_cast<std::uint32_t>(selection.sockets.size()));
                for (const std::uint64_t cookie : selection.sockets) {
                    w.u64(cookie);
                }
                w.u32(static_cast<std::uint32_t>(selection.processes.size()));
                for (const std::int32_t pid : selection.processes) {
                    w.i32(pid);
                }
                w.u32(static_cast<std::uint32_t>(selection.listeningPorts.size()));
                for (const auto& port : selection.listeningPorts) {
                    w.u8(static_cast<std::uint8_t>(port.protocol));
                    w.u16(port.port);
                }
            },
            [&](const CaptureStarted& reply) {
                w.u8(static_cast<std::uint8_t>(reply.code));
                w.text(reply.message);
                w.u8(static_cast<std::uint8_t>(reply.interfaces.size()));
                for (const auto& interface : reply.interfaces) {
                    w.u16(interface.linkType);
                    w.u32(interface.snapLength);
                    w.ByteWriter::text(interface.name, kMaxInterfaceNameBytes);
                }
            },
            [&](const PacketBatch& batch) {
                w.u8(static_cast<std::uint8_t>(batch.counters.size()));
                for (const auto& counters : batch.counters) {
                    w.u64(counters.received);
                    w.u64(counters.dropped);
                    w.u64(counters.droppedByInterface);
                }
                w.u32(static_cast<std::uint32_t>(batch.packets.size()));
                for (const auto& packet : batch.packets) {
                    w.u8(packet.interface);
                    w.u64(packet.timestampNs);
                    w.u32(packet.originalLength);
                    w.u64(packet.cookie);
                    w.i32(packet.creatorPid);
                    w.u8(static_cast<std::uint8_t>(packet.direction));
                    w.u32(static_cast<std::uint32_t>(packet.data.size()));
                    w.raw(packet.data);
                }
            },
        },
        message);
    return out;
}

std::string encodeFrame(std::uint32_t requestId, const Message& message) {
    const MessageType type = typeOf(message);
    std::string payload = encodePayload(message);
    const auto direction = directionOf(static_cast<std::uint16_t>(type));
    const std::uint32_t limit = direction ? payloadLimit(type) : payloadLimit(Direction::ToClient);
    if (payload.size() > limit) {
        throw std::length_error(std::string(toString(type)) + " of " +
                                std::to_string(payload.size()) + " bytes exceeds the limit of " +
                                std::to_string(limit) + " bytes per frame");
    }
    std::string frame = encodeHeader(type, requestId, static_cast<std::uint32_t>(payload.size()));
    frame += payload;
    return frame;
}

std::string refusalReason(const KillRequest& request) {
    if (request.process.pid <= 0) {
        return "Refusing to stop PID " + std::to_string(request.process.pid) +
               ": it is not a process.";
    }
    if (request.process.startTime == 0) {
        return "Refusing to stop PID " + std::to_string(request.process.pid) +
               ": the request lacks the process start time, which proves the PID still belongs "
               "to the process that was chosen.";
    }
    if (request.waitMs > kMaxKillWaitMs) {
        return "Refusing to wait " + std::to_string(request.waitMs) +
               " ms for a process to exit; the limit is " + std::to_string(kMaxKillWaitMs) + " ms.";
    }
    return {};
}

std::string refusalReason(const ReadPackets& request) {
    if (request.waitMs > kMaxReadPacketsWaitMs) {
        return "Refusing to wait " + std::to_string(request.waitMs) +
               " ms for packets; the limit is " + std::to_string(kMaxReadPacketsWaitMs) + " ms.";
    }
    if (request.maxBytes < kMinPacketBatchBytes || request.maxBytes > kMaxPacketBatchBytes) {
        return "Refusing a batch of " + std::to_string(request.maxBytes) +
               " bytes; it must hold one whole packet and at most " +
               std::to_string(kMaxPacketBatchBytes) + " bytes.";
    }
    return {};
}

std::string refusalReason(const CloseRequest& request) {
    const Socket& socket = request.socket;
    const std::string target = socket.local.toString() + " -> " + socket.remote.toString();
    if (socket.protocol != Protocol::Tcp) {
        return "Refusing to close " + target + ": only TCP connections can be closed.";
    }
    if (socket.local.address.family != socket.remote.address.family) {
        return "Refusing to close " + target +
               ": its local and remote addresses are of different families.";
    }
    switch (socket.state) {
    case SocketState::Unknown:
    case SocketState::Bound:
    case SocketState::Listen:
    case SocketState::Close:
        return "Refusing to close " + target + ": in state " + std::string(toString(socket.state)) +
               " it is not a connection.";
    default:
        break;
    }
    if (socket.local.port == 0 || socket.remote.port == 0 ||
        socket.remote.address.isUnspecified()) {
        return "Refusing to close " + target + ": a connection needs both ends with a port.";
    }
    // All ones splits into two INET_DIAG_NOCOOKIE halves, with which SOCK_DESTROY skips its
    // cookie check and closes whatever connection has the 4-tuple now.
    if (socket.cookie == 0 || socket.cookie == ~std::uint64_t{0}) {
        return "Refusing to close " + target +
               ": the request lacks the socket cookie, which names the exact socket to close.";
    }
    return {};
}

} // namespace portscope::core::helper
