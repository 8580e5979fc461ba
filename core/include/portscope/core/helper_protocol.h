#pragma once
// The protocol between PortScope, running as the user, and portscope-helper, running as root:
// length-prefixed, versioned frames over the helper's stdin and stdout. docs/helper-protocol.md
// describes it byte by byte. This code is pure and OS-free so that both ends and the fuzzer
// share one decoder.
//
// Every decoder here treats its input as hostile: lengths are checked against limits before
// anything is allocated, every enum value and flag is checked, and trailing bytes are errors.

#include "portscope/core/model.h"
#include "portscope/core/packet_attribution.h"
#include "portscope/core/pcapng.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace portscope::core::helper {

inline constexpr std::string_view kMagic{"PSHELPER", 8};
inline constexpr std::uint32_t kVersion = 4;
inline constexpr std::size_t kHeaderSize = 12;
// Requests are small; anything bigger is an attack or a bug and ends the session.
inline constexpr std::uint32_t kMaxRequestBytes = 4096;
// A snapshot of 100k sockets takes about 15 MB; the limit matches a replay record's.
inline constexpr std::uint32_t kMaxReplyBytes = 256u << 20;
inline constexpr std::uint32_t kMaxTextBytes = 16384; // a sentence in a reply
inline constexpr std::uint32_t kMaxKillWaitMs = 10000;
// Packet capture (StartCapture ... PacketBatch). A process filter names every connection of
// the captured processes, so SetCaptureFilter alone may exceed kMaxRequestBytes.
inline constexpr std::uint32_t kMaxCaptureFilterBytes = 60000;
inline constexpr std::uint32_t kMaxCaptureFilterRequestBytes = 4 + kMaxCaptureFilterBytes;
inline constexpr std::uint32_t kMaxCaptureInterfaces = 16; // named in a StartCapture
// A capture by socket lists every interface of the helper's network namespace; the helper
// counts those past the limit as the capture's last one (CaptureStarted, PacketBatch).
inline constexpr std::uint32_t kMaxCapturedInterfaces = 255;
inline constexpr std::uint32_t kMaxInterfaceNameBytes = 64;
inline constexpr std::uint32_t kMaxSnapLength = 262144;
inline constexpr std::uint32_t kMaxReadPacketsWaitMs = 1000;
inline constexpr std::uint32_t kMaxPacketBatchBytes = 16u << 20;
// A BatchPacket's bytes besides its data, and a PacketBatch's besides its packets at most.
inline constexpr std::uint32_t kBatchPacketFixedBytes = 1 + 8 + 4 + 8 + 4 + 1 + 4;
inline constexpr std::uint32_t kMaxBatchCountersBytes = 1 + kMaxCapturedInterfaces * 3 * 8 + 4;
// The least max_bytes of a ReadPackets: the counters and one packet of the largest size.
inline constexpr std::uint32_t kMinPacketBatchBytes =
    kMaxSnapLength + kBatchPacketFixedBytes + kMaxBatchCountersBytes;
// SelectSockets (a capture by socket): what the kernel keeps. The lists travel whole, so the
// request has a limit of its own.
inline constexpr std::uint32_t kMaxSelectedSockets = 16384;
inline constexpr std::uint32_t kMaxSelectedProcesses = 4096;
inline constexpr std::uint32_t kMaxSelectedPorts = 4096;
inline constexpr std::uint32_t kMaxSelectSocketsRequestBytes =
    1 + 4 + kMaxSelectedSockets * 8 + 4 + kMaxSelectedProcesses * 4 + 4 + kMaxSelectedPorts * 3;

enum class MessageType : std::uint16_t {
    // Client to helper.
    Hello = 0x0001,
    Poll = 0x0002,
    Kill = 0x0003,
    Close = 0x0004,
    Goodbye = 0x0005,
    StartCapture = 0x0010,
    SetCaptureFilter = 0x0011,
    ReadPackets = 0x0012,
    StopCapture = 0x0013,
    SelectSockets = 0x0014,
    SensorSelect = 0x0020, // after Welcome: which sensor the helper's live source uses
    // Helper to client.
    Welcome = 0x8001,
    SnapshotData = 0x8002,
    ActionReply = 0x8003,
    Error = 0x8004,
    CaptureStarted = 0x8010,
    PacketBatch = 0x8011,
    SensorStatus = 0x8020,   // the reply to SensorSelect
    ChangesPending = 0x8021, // unasked, with request id 0: poll now to see new connections
};
std::string_view toString(MessageType type);

enum class Direction : std::uint8_t { ToHelper, ToClient };
std::optional<Direction> directionOf(std::uint16_t rawType); // nullopt for an unknown type
std::uint32_t payloadLimit(Direction direction);
// The limit of one type: its direction's, but kMaxCaptureFilterRequestBytes for
// SetCaptureFilter and kMaxSelectSocketsRequestBytes for SelectSockets.
std::uint32_t payloadLimit(MessageType type);

struct FrameHeader {
    std::uint32_t length = 0; // payload bytes after the header
    MessageType type = MessageType::Hello;
    std::uint32_t requestId = 0; // a reply carries the id of its request
};

// Bits of Hello::options: how the helper's live source reads the system.
inline constexpr std::uint32_t kSkipOwners = 1u << 0;
inline constexpr std::uint32_t kProcFallback = 1u << 1;
inline constexpr std::uint32_t kOwnNamespaceOnly = 1u << 2;
inline constexpr std::uint32_t kNoCloseEvents = 1u << 3;
// The client reads ChangesPending between its requests (docs/helper-protocol.md).
inline constexpr std::uint32_t kAnnounceChanges = 1u << 4;
// The bits that say how the live source reads (platform::liveSourceOptionsOf).
inline constexpr std::uint32_t kLiveSourceHelloOptions =
    kSkipOwners | kProcFallback | kOwnNamespaceOnly | kNoCloseEvents;
inline constexpr std::uint32_t kKnownHelloOptions = kLiveSourceHelloOptions | kAnnounceChanges;

// The first request of a session. A Hello of another version decodes with only `version`
// set, so the helper can answer it with UnsupportedVersion instead of "malformed".
struct Hello {
    std::uint32_t version = kVersion;
    std::uint32_t options = 0;
    bool operator==(const Hello&) const = default;
};
struct Poll {
    bool operator==(const Poll&) const = default;
};
// A kill names the process by PID and start time, so a recycled PID is never hit.
struct KillRequest {
    ProcessKey process;
    std::uint32_t waitMs = 2000;
    bool operator==(const KillRequest&) const = default;
};
// Only protocol, state, local, remote, interfaceIndex, cookie and netns travel; the cookie
// makes the kernel refuse any socket but the one the user chose.
struct CloseRequest {
    Socket socket;
    bool operator==(const CloseRequest&) const = default;
};
struct Goodbye {
    bool operator==(const Goodbye&) const = default;
};

// Opens a capture on the named interfaces (none: every interface, the "any" device) with a
// first pcap-filter expression. Answered by CaptureStarted; a session has one capture at most.
// By socket (platform::CaptureOptions::bySocket) it names no interface, its filter is the
// user's expression alone, and it keeps nothing until the first SelectSockets.
struct StartCapture {
    std::uint32_t snapLength = kMaxSnapLength;
    std::vector<std::string> interfaces;
    std::string filter;
    bool bySocket = false;
    bool operator==(const StartCapture&) const = default;
};
// Replaces the filter; answered by ActionReply (InvalidArgument: it did not compile).
struct SetCaptureFilter {
    std::string filter;
    bool operator==(const SetCaptureFilter&) const = default;
};
// Waits up to waitMs for packets and answers with a PacketBatch of at most maxBytes payload.
struct ReadPackets {
    std::uint32_t waitMs = 100;
    std::uint32_t maxBytes = 4u << 20;
    bool operator==(const ReadPackets&) const = default;
};
// Closes the capture; answered by ActionReply.
struct StopCapture {
    bool operator==(const StopCapture&) const = default;
};
// Replaces what a capture by socket keeps; answered by ActionReply (InvalidArgument: no
// capture by socket runs). Each list is strictly ascending and within its kMaxSelected* limit;
// PIDs are > 0, ports 1 to 65535.
struct SelectSockets {
    SocketSelection selection;
    bool operator==(const SelectSockets&) const = default;
};
// Which sensor the helper's live source should use (docs/sensor.md); wire values are fixed.
enum class SensorRequest : std::uint8_t { Poll = 0, Auto = 1, Bpf = 2 };
struct SensorSelect {
    SensorRequest sensor = SensorRequest::Poll;
    bool operator==(const SensorSelect&) const = default;
};

struct Welcome {
    std::uint32_t version = kVersion;
    std::int32_t helperPid = 0;
    std::uint32_t effectiveUid = 0;
    bool operator==(const Welcome&) const = default;
};
struct SnapshotData {
    Snapshot snapshot;
};
// Numbered as platform::ActionStatus is ordered; the wire values are fixed.
enum class ActionCode : std::uint8_t {
    Done = 0,
    NoSuchProcess = 1,
    ProcessChanged = 2,
    PermissionDenied = 3,
    NotSupported = 4,
    NotFound = 5,
    InvalidArgument = 6,
    TimedOut = 7,
    Failed = 8,
};
// The sentence travels in parts (core/system_text.h), so that the client words it.
struct ActionReply {
    ActionCode code = ActionCode::Failed;
    SystemText message;
    bool operator==(const ActionReply&) const = default;
};
// The sensor the helper's live source now uses (Poll or Bpf, never Unknown), and when it is
// not the eBPF sensor that was asked for, the sentence saying why.
struct SensorStatus {
    SensorMode sensor = SensorMode::Poll;
    std::string message;
    bool operator==(const SensorStatus&) const = default;
};
// Sent by the helper, unasked and with request id 0, when its source has learnt of new or
// closed connections since the last Poll (its eBPF sensor), to a client whose Hello asked for
// it: at most one between two Polls. Empty.
struct ChangesPending {
    bool operator==(const ChangesPending&) const = default;
};
// The helper's last word before it ends the session.
enum class ErrorCode : std::uint8_t {
    Malformed = 1,          // a frame or payload that breaks the format
    Oversized = 2,          // a length over the limit of its direction
    UnsupportedVersion = 3, // Hello of a version this helper does not speak
    UnexpectedMessage = 4,  // a request out of order (anything before Hello, a second Hello)
    SourceFailed = 5,       // the system cannot be read any more
    Internal = 6,
};
std::string_view toString(ErrorCode code);
struct ErrorReply {
    ErrorCode code = ErrorCode::Internal;
    std::string message;
    bool operator==(const ErrorReply&) const = default;
};

struct CaptureInterface {
    std::uint16_t linkType = 0; // a pcapng LINKTYPE_ value
    std::uint32_t snapLength = 0;
    std::string name;
    bool operator==(const CaptureInterface&) const = default;
};
// The answer to StartCapture: Done with the interfaces, or why not (no interfaces then).
struct CaptureStarted {
    ActionCode code = ActionCode::Failed;
    std::string message;
    std::vector<CaptureInterface> interfaces;
    bool operator==(const CaptureStarted&) const = default;
};
struct InterfaceCounters {
    std::uint64_t received = 0;
    std::uint64_t dropped = 0;
    std::uint64_t droppedByInterface = 0;
    bool operator==(const InterfaceCounters&) const = default;
};
struct BatchPacket {
    std::uint8_t interface = 0; // index into CaptureStarted::interfaces
    std::uint64_t timestampNs = 0;
    std::uint32_t originalLength = 0;
    std::string data; // at most kMaxSnapLength bytes, and no more than originalLength
    // A capture by socket's packet names its socket (core::PacketSocket) and whether it was
    // sent or received; zero and Unknown for any other capture.
    std::uint64_t cookie = 0;
    std::int32_t creatorPid = 0; // >= 0
    pcapng::Direction direction = pcapng::Direction::Unknown;
    bool operator==(const BatchPacket&) const = default;
};
// The answer to ReadPackets: the capture's counters per interface, then the packets.
struct PacketBatch {
    std::vector<InterfaceCounters> counters;
    std::vector<BatchPacket> packets;
    bool operator==(const PacketBatch&) const = default;
};

using Message = std::variant<Hello, Poll, KillRequest, CloseRequest, Goodbye, StartCapture,
                             SetCaptureFilter, ReadPackets, StopCapture, SelectSockets,
                             SensorSelect, Welcome, SnapshotData, ActionReply, ErrorReply,
                             CaptureStarted, PacketBatch, SensorStatus, ChangesPending>;
MessageType typeOf(const Message& message);

struct DecodeError {
    ErrorCode code = ErrorCode::Malformed;
    std::string message;
};

// Decodes the first kHeaderSize bytes of `bytes`. Fails (Malformed) on too few bytes, an
// unknown type, a type that does not travel in `direction`, non-zero reserved bits, and
// (Oversized) on a length over payloadLimit(direction).
std::optional<FrameHeader> decodeHeader(std::string_view bytes, Direction direction,
                                        DecodeError* error);
// Decodes the payload of a frame whose header decodeHeader() accepted. The payload must be
// exactly header.length bytes.
std::optional<Message> decodePayload(const FrameHeader& header, std::string_view payload,
                                     DecodeError* error);

std::string encodeHeader(MessageType type, std::uint32_t requestId, std::uint32_t payloadLength);
// A reply's text over kMaxTextBytes is cut at a UTF-8 character boundary.
std::string encodePayload(const Message& message);
// Header plus payload. Throws std::length_error when the payload exceeds the limit of the
// message's direction.
std::string encodeFrame(std::uint32_t requestId, const Message& message);

// Checks a well-formed request against what the helper is willing to do. Empty when it may
// act; otherwise a sentence for users saying why it refuses.
std::string refusalReason(const KillRequest& request);
std::string refusalReason(const CloseRequest& request);
std::string refusalReason(const ReadPackets& request);

} // namespace portscope::core::helper
