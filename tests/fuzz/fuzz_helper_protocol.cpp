// libFuzzer target for the helper protocol decoder. Both ends of a helper session read frames
// from a peer they do not trust: the helper (root) reads requests from a user's process, and
// the client reads replies. The first input byte picks the direction; the rest is read as a
// stream of frames, exactly as the two ends read them.
//
// docs/fuzzing.md says how to build and run it.

#include "fuzz_target.h"
#include "portscope/core/helper_protocol.h"
#include "portscope/core/system_text.h"

#include <algorithm>
#include <string_view>
#include <variant>

namespace {

namespace protocol = portscope::core::helper;

constexpr std::string_view kTarget = "helper_protocol";

void require(bool condition, std::string_view what) {
    portscope::fuzz::require(kTarget, condition, what);
}

// Strictly ascending: the helper hands the lists to the kernel's maps as they are.
template <typename Item>
bool strictlyAscending(const std::vector<Item>& items) {
    return std::adjacent_find(items.begin(), items.end(),
                              [](const Item& a, const Item& b) { return !(a < b); }) == items.end();
}

void checkSelection(const portscope::core::SocketSelection& selection) {
    using portscope::core::Protocol;
    require(selection.sockets.size() <= protocol::kMaxSelectedSockets &&
                selection.processes.size() <= protocol::kMaxSelectedProcesses &&
                selection.listeningPorts.size() <= protocol::kMaxSelectedPorts,
            "a selection over its limits");
    require(strictlyAscending(selection.sockets) && strictlyAscending(selection.processes) &&
                strictlyAscending(selection.listeningPorts),
            "a selection out of order");
    require(std::all_of(selection.processes.begin(), selection.processes.end(),
                        [](std::int32_t pid) { return pid > 0; }),
            "a selected PID <= 0");
    require(std::all_of(selection.listeningPorts.begin(), selection.listeningPorts.end(),
                        [](const auto& port) {
                            return port.port != 0 && (port.protocol == Protocol::Tcp ||
                                                      port.protocol == Protocol::Udp);
                        }),
            "a selected port of no protocol or port 0");
}

void checkDecoded(const protocol::Message& message, std::string_view payload) {
    // The encoding is canonical: what decodes re-encodes to the very same bytes. A Hello of
    // another version is the exception: its tail is not interpreted.
    const auto* hello = std::get_if<protocol::Hello>(&message);
    if (hello == nullptr || hello->version == protocol::kVersion) {
        require(protocol::encodePayload(message) == payload, "re-encoding changed the bytes");
    }
    if (const auto* kill = std::get_if<protocol::KillRequest>(&message)) {
        const auto reason = protocol::refusalReason(*kill);
        require(reason.empty() == (kill->process.pid > 0 && kill->process.startTime != 0 &&
                                   kill->waitMs <= protocol::kMaxKillWaitMs),
                "kill refusal disagrees with the rules");
    }
    if (const auto* read = std::get_if<protocol::ReadPackets>(&message)) {
        const auto reason = protocol::refusalReason(*read);
        require(reason.empty() == (read->waitMs <= protocol::kMaxReadPacketsWaitMs &&
                                   read->maxBytes <= protocol::kMaxPacketBatchBytes &&
                                   read->maxBytes >= protocol::kMinPacketBatchBytes),
                "read-packets refusal disagrees with the rules");
    }
    if (const auto* batch = std::get_if<protocol::PacketBatch>(&message)) {
        for (const auto& packet : batch->packets) {
            require(packet.interface < batch->counters.size() &&
                        packet.data.size() <= packet.originalLength &&
                        packet.data.size() <= protocol::kMaxSnapLength && packet.creatorPid >= 0 &&
                        packet.direction <= portscope::core::pcapng::Direction::Outbound,
                    "a batch packet breaks its limits");
        }
    }
    if (const auto* start = std::get_if<protocol::StartCapture>(&message)) {
        require(start->interfaces.size() <= protocol::kMaxCaptureInterfaces &&
                    start->snapLength > 0 && start->snapLength <= protocol::kMaxSnapLength &&
                    (!start->bySocket || start->interfaces.empty()),
                "a capture start breaks its limits");
    }
    if (const auto* select = std::get_if<protocol::SelectSockets>(&message)) {
        checkSelection(select->selection);
    }
    if (const auto* status = std::get_if<protocol::SensorStatus>(&message)) {
        require(status->sensor == portscope::core::SensorMode::Poll ||
                    status->sensor == portscope::core::SensorMode::Bpf,
                "a sensor status of neither mode");
    }
    if (const auto* select = std::get_if<protocol::SensorSelect>(&message)) {
        require(select->sensor <= protocol::SensorRequest::Bpf, "an unknown sensor request");
    }
    // A sentence in parts is worded by the client: however its templates repeat their
    // placeholders, the words stay bounded.
    const auto checkWording = [](const portscope::core::SystemText& text) {
        require(text.english().size() <= portscope::core::kMaxWordedBytes,
                "a worded text passes its bound");
    };
    if (const auto* reply = std::get_if<protocol::ActionReply>(&message)) {
        checkWording(reply->message);
    }
    if (const auto* data = std::get_if<protocol::SnapshotData>(&message)) {
        for (const auto& warning : data->snapshot.warnings) {
            checkWording(warning);
        }
        require(data->snapshot.probeSources.size() <= portscope::core::kMaxProbeSourcesPerSnapshot,
                "more probe sources than a snapshot holds");
    }
    if (const auto* close = std::get_if<protocol::CloseRequest>(&message)) {
        const auto reason = protocol::refusalReason(*close);
        const bool hasCookie = close->socket.cookie != 0 && close->socket.cookie != ~0ull;
        require(!reason.empty() || hasCookie, "close accepted without a cookie");
    }
}

} // namespace

constexpr portscope::fuzz::HeapBudget kBudget{256 * 1024, 24};

PORTSCOPE_FUZZ_TARGET(helper_protocol, kBudget) {
    if (size == 0) {
        return 0;
    }
    const auto direction =
        (data[0] & 1u) != 0 ? protocol::Direction::ToClient : protocol::Direction::ToHelper;
    std::string_view stream(reinterpret_cast<const char*>(data + 1), size - 1);
    while (stream.size() >= protocol::kHeaderSize) {
        protocol::DecodeError error;
        const auto header = protocol::decodeHeader(stream, direction, &error);
        if (!header) {
            require(!error.message.empty(), "a rejected header without a reason");
            return 0; // a real reader ends the session here
        }
        require(header->length <= protocol::payloadLimit(header->type), "a header over the limit");
        require(protocol::directionOf(static_cast<std::uint16_t>(header->type)) == direction,
                "a header of the wrong direction");
        stream.remove_prefix(protocol::kHeaderSize);
        if (stream.size() < header->length) {
            return 0;
        }
        const auto payload = stream.substr(0, header->length);
        stream.remove_prefix(header->length);
        const auto message = protocol::decodePayload(*header, payload, &error);
        if (!message) {
            require(!error.message.empty(), "a rejected payload without a reason");
            return 0;
        }
        require(protocol::typeOf(*message) == header->type, "decoded into another type");
        checkDecoded(*message, payload);
    }
    return 0;
}
