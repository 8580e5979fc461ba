#include "helper_session.h"

#include "portscope/core/replay.h"
#include "portscope/platform/helper_client.h"

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <csignal>
#include <cstring>
#include <iostream>
#include <variant>

namespace portscope::helper {

namespace asio = boost::asio;
namespace protocol = core::helper;

namespace {

// The interface of the reply that a capture's interface counts as (Session::capture_).
std::uint8_t wireInterface(std::size_t interface) {
    return static_cast<std::uint8_t>(
        std::min<std::size_t>(interface, protocol::kMaxCapturedInterfaces - 1));
}

std::string describeSelection(const core::SocketSelection& selection) {
    if (selection.everySocket) {
        return "every socket";
    }
    return std::to_string(selection.sockets.size()) + " sockets, " +
           std::to_string(selection.processes.size()) + " processes, " +
           std::to_string(selection.listeningPorts.size()) + " listening ports";
}

} // namespace

void logLine(const std::string& message) {
    std::cerr << "portscope-helper: " << message << std::endl;
}

Session::Session(asio::io_context& io, int requestFd, int replyFd, SourceFactory makeSource)
    : io_(io), requests_(io), replies_(io), signals_(io, SIGTERM, SIGINT, SIGHUP),
      makeSource_(std::move(makeSource)) {
    // assign() registers the descriptors with epoll, which refuses regular files.
    try {
        requests_.assign(requestFd);
    } catch (const boost::system::system_error& error) {
        throw std::runtime_error("cannot read requests from descriptor " +
                                 std::to_string(requestFd) + " (" + error.code().message() +
                                 "); standard input must be a pipe or socket from PortScope");
    }
    try {
        replies_.assign(replyFd);
    } catch (const boost::system::system_error& error) {
        throw std::runtime_error("cannot write replies to descriptor " + std::to_string(replyFd) +
                                 " (" + error.code().message() +
                                 "); standard output must be a pipe or socket to PortScope");
    }
}

void Session::start() {
    signals_.async_wait([this](const boost::system::error_code& error, int signal) {
        if (error) {
            return; // cancelled: the session ended first
        }
        finish(kExitSessionEnded,
               std::string("ending the session on ") + ::strsignal(signal) +
                   (signal == SIGTERM ? " (the parent process may have ended)" : ""));
    });
    readHeader();
}

void Session::readHeader() {
    if (finished_) {
        return;
    }
    asio::async_read(requests_, asio::buffer(header_),
                     [this](const boost::system::error_code& error, std::size_t bytes) {
                         onHeader(error, bytes);
                     });
}

void Session::onHeader(const boost::system::error_code& error, std::size_t bytes) {
    if (finished_) {
        return;
    }
    if (error == asio::error::eof && bytes == 0) {
        finish(kExitSessionEnded, {}); // the client closed the connection: a normal end
        return;
    }
    if (error == asio::error::eof) {
        fail(0, protocol::ErrorCode::Malformed,
             "the connection closed in the middle of a frame header (" + std::to_string(bytes) +
                 " of " + std::to_string(protocol::kHeaderSize) + " bytes)",
             kExitProtocolViolation);
        return;
    }
    if (error) {
        finish(kExitFailure, "reading requests failed: " + error.message());
        return;
    }
    protocol::DecodeError decodeError;
    const auto header = protocol::decodeHeader(std::string_view(header_.data(), header_.size()),
                                               protocol::Direction::ToHelper, &decodeError);
    if (!header) {
        // A rejected header has no request to answer; the Error carries request id 0.
        fail(0, decodeError.code, decodeError.message, kExitProtocolViolation);
        return;
    }
    payload_.assign(header->length, '\0');
    if (header->length == 0) {
        onPayload(*header);
        return;
    }
    asio::async_read(
        requests_, asio::buffer(payload_),
        [this, frame = *header](const boost::system::error_code& readError, std::size_t) {
            if (finished_) {
                return;
            }
            if (readError == asio::error::eof) {
                fail(frame.requestId, protocol::ErrorCode::Malformed,
                     "the connection closed in the middle of a " +
                         std::string(protocol::toString(frame.type)) + " payload",
                     kExitProtocolViolation);
                return;
            }
            if (readError) {
                finish(kExitFailure, "reading requests failed: " + readError.message());
                return;
            }
            onPayload(frame);
        });
}

void Session::onPayload(const protocol::FrameHeader& header) {
    protocol::DecodeError decodeError;
    auto message = protocol::decodePayload(header, payload_, &decodeError);
    if (!message) {
        fail(header.requestId, decodeError.code, decodeError.message, kExitProtocolViolation);
        return;
    }
    handle(header.requestId, *message);
}

void Session::handle(std::uint32_t requestId, protocol::Message& message) {
    if (const auto* hello = std::get_if<protocol::Hello>(&message)) {
        handleHello(requestId, *hello);
        return;
    }
    if (!greeted_) {
        fail(requestId, protocol::ErrorCode::UnexpectedMessage,
             std::string(protocol::toString(protocol::typeOf(message))) +
                 " before Hello: a session starts with Hello",
             kExitProtocolViolation);
        return;
    }
    if (std::holds_alternative<protocol::Poll>(message)) {
        handlePoll(requestId);
    } else if (const auto* kill = std::get_if<protocol::KillRequest>(&message)) {
        handleKill(requestId, *kill);
    } else if (const auto* close = std::get_if<protocol::CloseRequest>(&message)) {
        handleClose(requestId, *close);
    } else if (const auto* start = std::get_if<protocol::StartCapture>(&message)) {
        handleStartCapture(requestId, *start);
    } else if (const auto* filter = std::get_if<protocol::SetCaptureFilter>(&message)) {
        handleSetCaptureFilter(requestId, *filter);
    } else if (const auto* read = std::get_if<protocol::ReadPackets>(&message)) {
        handleReadPackets(requestId, *read);
    } else if (std::holds_alternative<protocol::StopCapture>(message)) {
        handleStopCapture(requestId);
    } else if (const auto* sockets = std::get_if<protocol::SelectSockets>(&message)) {
        handleSelectSockets(requestId, *sockets);
    } else if (const auto* select = std::get_if<protocol::SensorSelect>(&message)) {
        handleSensorSelect(requestId, *select);
    } else if (std::holds_alternative<protocol::Goodbye>(message)) {
        finish(kExitSessionEnded, {});
    } else {
        // decodeHeader() lets only requests through; a reply type here is a bug of ours.
        fail(requestId, protocol::ErrorCode::Internal,
             "cannot handle " + std::string(protocol::toString(protocol::typeOf(message))),
             kExitFailure);
    }
}

void Session::handleHello(std::uint32_t requestId, const protocol::Hello& hello) {
    if (greeted_) {
        fail(requestId, protocol::ErrorCode::UnexpectedMessage,
             "a second Hello: the session has already started", kExitProtocolViolation);
        return;
    }
    if (hello.version != protocol::kVersion) {
        fail(requestId, protocol::ErrorCode::UnsupportedVersion,
             "the client speaks protocol version " + std::to_string(hello.version) +
                 ", this helper speaks version " + std::to_string(protocol::kVersion) +
                 "; install matching versions of PortScope and portscope-helper",
             kExitProtocolViolation);
        return;
    }
    announceChanges_ = (hello.options & protocol::kAnnounceChanges) != 0;
    try {
        sourceOptions_ = platform::liveSourceOptionsOf(hello.options);
        useSource(makeSource_(sourceOptions_));
    } catch (const std::exception& error) {
        fail(requestId, protocol::ErrorCode::SourceFailed,
             std::string("cannot open the system source: ") + error.what(), kExitFailure);
        return;
    }
    greeted_ = true;
    protocol::Welcome welcome;
    welcome.helperPid = static_cast<std::int32_t>(::getpid());
    welcome.effectiveUid = static_cast<std::uint32_t>(::geteuid());
    reply(requestId, protocol::MessageType::Welcome, protocol::encodePayload(welcome));
}

// Opens the live source again with the sensor asked for. When the eBPF sensor cannot load,
// the polling source stays and the reply says why.
void Session::handleSensorSelect(std::uint32_t requestId, const protocol::SensorSelect& select) {
    platform::LiveSourceOptions options = sourceOptions_;
    switch (select.sensor) {
    case protocol::SensorRequest::Poll:
        options.sensor = platform::SensorChoice::Poll;
        break;
    case protocol::SensorRequest::Auto:
        options.sensor = platform::SensorChoice::Auto;
        break;
    case protocol::SensorRequest::Bpf:
        options.sensor = platform::SensorChoice::Bpf;
        break;
    }
    protocol::SensorStatus status;
    try {
        auto source = makeSource_(options);
        status.sensor = source->sensor() == core::SensorMode::Bpf ? core::SensorMode::Bpf
                                                                  : core::SensorMode::Poll;
        useSource(std::move(source));
        sourceOptions_ = options;
    } catch (const core::SourceError& error) {
        status.sensor = source_->sensor() == core::SensorMode::Bpf ? core::SensorMode::Bpf
                                                                   : core::SensorMode::Poll;
        status.message = error.what();
    } catch (const std::exception& error) {
        fail(requestId, protocol::ErrorCode::SourceFailed,
             std::string("cannot open the system source: ") + error.what(), kExitFailure);
        return;
    }
    reply(requestId, protocol::MessageType::SensorStatus, protocol::encodePayload(status));
}

void Session::useSource(std::unique_ptr<core::SnapshotSource> source) {
    source_ = std::move(source);
    if (announceChanges_) {
        // Called on the source's thread: the session's own work stays on the io_context.
        source_->announceChanges([this] { asio::post(io_, [this] { onSourceChanges(); }); });
    }
}

// At most one ChangesPending between two Polls: the client polls in answer, and a burst of
// changes is one frame.
void Session::onSourceChanges() {
    if (finished_ || changesAnnounced_) {
        return;
    }
    changesAnnounced_ = true;
    send(protocol::encodeHeader(protocol::MessageType::ChangesPending, 0, 0), {}, {});
}

void Session::handlePoll(std::uint32_t requestId) {
    changesAnnounced_ = false; // this poll sees them
    std::string payload;
    try {
        auto snapshot = source_->poll();
        if (!snapshot) {
            fail(requestId, protocol::ErrorCode::SourceFailed, "the system source ended",
                 kExitFailure);
            return;
        }
        payload = core::encodeSnapshot(*snapshot, core::SnapshotForm::Helper);
    } catch (const std::exception& error) {
        fail(requestId, protocol::ErrorCode::SourceFailed,
             std::string("reading the system failed: ") + error.what(), kExitFailure);
        return;
    }
    if (payload.size() > protocol::kMaxReplyBytes) {
        fail(requestId, protocol::ErrorCode::Internal,
             "a snapshot of " + std::to_string(payload.size()) + " bytes exceeds the limit of " +
                 std::to_string(protocol::kMaxReplyBytes) + " bytes per frame",
             kExitFailure);
        return;
    }
    reply(requestId, protocol::MessageType::SnapshotData, std::move(payload));
}

void Session::handleKill(std::uint32_t requestId, const protocol::KillRequest& request) {
    protocol::ActionReply answer;
    if (auto reason = protocol::refusalReason(request); !reason.empty()) {
        answer = {protocol::ActionCode::InvalidArgument, core::verbatimText(std::move(reason))};
    } else {
        const auto result =
            platform::killProcess(request.process, std::chrono::milliseconds(request.waitMs));
        answer = {platform::toActionCode(result.status), platform::messageParts(result)};
    }
    logLine("stop PID " + std::to_string(request.process.pid) + " (start time " +
            std::to_string(request.process.startTime) + "): " + answer.message.english());
    reply(requestId, protocol::MessageType::ActionReply, protocol::encodePayload(answer));
}

void Session::handleClose(std::uint32_t requestId, const protocol::CloseRequest& request) {
    protocol::ActionReply answer;
    if (auto reason = protocol::refusalReason(request); !reason.empty()) {
        answer = {protocol::ActionCode::InvalidArgument, core::verbatimText(std::move(reason))};
    } else {
        const auto result = platform::closeConnection(request.socket);
        answer = {platform::toActionCode(result.status), platform::messageParts(result)};
    }
    logLine("close " + request.socket.local.toString() + " -> " + request.socket.remote.toString() +
            ": " + answer.message.english());
    reply(requestId, protocol::MessageType::ActionReply, protocol::encodePayload(answer));
}

void Session::handleStartCapture(std::uint32_t requestId, const protocol::StartCapture& request) {
    protocol::CaptureStarted answer;
    if (capture_) {
        answer.message = "A capture is already running in this session.";
        answer.code = protocol::ActionCode::InvalidArgument;
    } else {
        try {
            platform::CaptureOptions options;
            options.interfaces = request.interfaces;
            options.snapLength = request.snapLength;
            options.bySocket = request.bySocket;
            auto capture = platform::openPacketCapture(options);
            capture->setFilter(request.filter);
            const auto& interfaces = capture->interfaces();
            for (std::size_t i = 0; i < interfaces.size(); ++i) {
                const auto& interface = interfaces[i];
                if (i + 1 == interfaces.size() || i + 1 < protocol::kMaxCapturedInterfaces) {
                    answer.interfaces.push_back(
                        {interface.linkType, interface.snapLength, interface.name});
                }
            }
            capture_ = std::move(capture);
            answer.code = protocol::ActionCode::Done;
        } catch (const platform::CaptureError& error) {
            answer.code = error.kind == platform::CaptureError::Kind::PermissionDenied
                              ? protocol::ActionCode::PermissionDenied
                          : error.kind == platform::CaptureError::Kind::BadFilter
                              ? protocol::ActionCode::InvalidArgument
                          : error.kind == platform::CaptureError::Kind::NotSupported
                              ? protocol::ActionCode::NotSupported
                              : protocol::ActionCode::Failed;
            answer.message = error.what();
        }
    }
    logLine(std::string(request.bySocket ? "start a capture by socket: " : "start a capture: ") +
            (answer.message.empty() ? "started" : answer.message));
    reply(requestId, protocol::MessageType::CaptureStarted, protocol::encodePayload(answer));
}

void Session::handleSetCaptureFilter(std::uint32_t requestId,
                                     const protocol::SetCaptureFilter& request) {
    protocol::ActionReply answer{protocol::ActionCode::Done, {}};
    if (!capture_) {
        answer = {protocol::ActionCode::InvalidArgument,
                  core::verbatimText("No capture is running.")};
    } else {
        try {
            capture_->setFilter(request.filter);
        } catch (const platform::CaptureError& error) {
            answer = {protocol::ActionCode::InvalidArgument, core::verbatimText(error.what())};
        }
    }
    reply(requestId, protocol::MessageType::ActionReply, protocol::encodePayload(answer));
}

void Session::handleReadPackets(std::uint32_t requestId, const protocol::ReadPackets& request) {
    if (auto reason = protocol::refusalReason(request); !reason.empty() || !capture_) {
        // A request the client should never send: it breaks the protocol's rules.
        fail(requestId, protocol::ErrorCode::UnexpectedMessage,
             reason.empty() ? "ReadPackets without a capture" : reason, kExitProtocolViolation);
        return;
    }
    protocol::PacketBatch batch;
    std::size_t bytes = 0;
    // Each packet costs its bytes and kBatchPacketFixedBytes of framing; the batch stops
    // before it could pass the limit the client asked for with one more packet of the largest
    // size and the counters.
    const std::size_t room = request.maxBytes - protocol::kMinPacketBatchBytes;
    // A read hands over whole packets: it may take only as many as fit the room left were
    // each of the largest size (a capture by socket's read empties its whole ring otherwise).
    std::size_t largest = 0;
    for (const auto& interface : capture_->interfaces()) {
        largest = std::max<std::size_t>(largest, interface.snapLength);
    }
    const std::size_t packetRoom = largest + protocol::kBatchPacketFixedBytes;
    try {
        // Bounded: each turn takes at least one packet or ends the loop.
        bool first = true;
        while (first || bytes < room) {
            const auto wait =
                first ? std::chrono::milliseconds(request.waitMs) : std::chrono::milliseconds(0);
            first = false;
            const std::size_t got = capture_->read(
                wait, (room - bytes) / packetRoom + 1, [&](const platform::CapturedPacket& p) {
                    protocol::BatchPacket packet;
                    packet.interface = wireInterface(p.interface);
                    packet.timestampNs = p.timestampNs;
                    packet.originalLength = p.originalLength;
                    packet.data = std::string(p.data);
                    packet.cookie = p.socket.cookie;
                    packet.creatorPid = std::max(p.socket.creatorPid, 0);
                    packet.direction = p.direction;
                    batch.packets.push_back(std::move(packet));
                    bytes += p.data.size() + protocol::kBatchPacketFixedBytes;
                });
            if (got == 0) {
                break;
            }
        }
        const auto statistics = capture_->statistics();
        for (std::size_t i = 0; i < statistics.size(); ++i) {
            const std::uint8_t interface = wireInterface(i);
            if (interface == batch.counters.size()) {
                batch.counters.emplace_back();
            }
            auto& counters = batch.counters.back();
            counters.received += statistics[i].received;
            counters.dropped += statistics[i].dropped;
            counters.droppedByInterface += statistics[i].droppedByInterface;
        }
    } catch (const platform::CaptureError& error) {
        fail(requestId, protocol::ErrorCode::SourceFailed, error.what(), kExitFailure);
        return;
    }
    reply(requestId, protocol::MessageType::PacketBatch, protocol::encodePayload(batch));
}

void Session::handleSelectSockets(std::uint32_t requestId, const protocol::SelectSockets& request) {
    protocol::ActionReply answer{protocol::ActionCode::Done, {}};
    if (!capture_) {
        answer = {protocol::ActionCode::InvalidArgument,
                  core::verbatimText("No capture is running.")};
    } else if (!capture_->selectsBySocket()) {
        answer = {protocol::ActionCode::InvalidArgument,
                  core::verbatimText("The capture takes packets from the network interfaces, not "
                                     "by socket: it has no sockets to select.")};
    } else {
        try {
            capture_->selectSockets(request.selection);
        } catch (const platform::CaptureError& error) {
            answer = {protocol::ActionCode::Failed, core::verbatimText(error.what())};
        }
    }
    logLine("select the sockets of the capture (" + describeSelection(request.selection) + "): " +
            (answer.code == protocol::ActionCode::Done ? std::string("selected")
                                                       : answer.message.english()));
    reply(requestId, protocol::MessageType::ActionReply, protocol::encodePayload(answer));
}

void Session::handleStopCapture(std::uint32_t requestId) {
    const bool running = capture_ != nullptr;
    capture_.reset();
    reply(
        requestId, protocol::MessageType::ActionReply,
        protocol::encodePayload(protocol::ActionReply{
            running ? protocol::ActionCode::Done : protocol::ActionCode::InvalidArgument,
            core::verbatimText(running ? "The capture was stopped." : "No capture is running.")}));
}

void Session::reply(std::uint32_t requestId, protocol::MessageType type, std::string payload) {
    std::string header =
        protocol::encodeHeader(type, requestId, static_cast<std::uint32_t>(payload.size()));
    send(std::move(header), std::move(payload), [this] { readHeader(); });
}

void Session::fail(std::uint32_t requestId, protocol::ErrorCode code, const std::string& message,
                   int status) {
    if (finished_ || failing_) {
        return;
    }
    failing_ = true;
    failStatus_ = status;
    logLine("ending the session: " + std::string(protocol::toString(code)) + ": " + message);
    std::string payload = protocol::encodePayload(protocol::ErrorReply{code, message});
    std::string header = protocol::encodeHeader(protocol::MessageType::Error, requestId,
                                                static_cast<std::uint32_t>(payload.size()));
    // Nothing more is read: whatever else the client sent is never looked at.
    boost::system::error_code ignored;
    requests_.close(ignored);
    send(std::move(header), std::move(payload), [this, status] { finish(status, {}); });
}

void Session::send(std::string header, std::string payload, std::function<void()> afterWrite) {
    if (finished_) {
        return;
    }
    outbox_.push_back({std::move(header), std::move(payload), std::move(afterWrite)});
    if (outbox_.size() == 1) {
        writeFront();
    }
}

// One frame at a time: an unasked ChangesPending may be on its way when a reply is due.
void Session::writeFront() {
    const OutgoingFrame& frame = outbox_.front();
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(frame.header),
                                                    asio::buffer(frame.payload)};
    asio::async_write(
        replies_, buffers, [this](const boost::system::error_code& error, std::size_t) {
            if (finished_) {
                return;
            }
            if (error) {
                if (failing_) {
                    finish(failStatus_, "the error could not be sent either: " + error.message());
                } else {
                    finish(error == asio::error::broken_pipe ? kExitSessionEnded : kExitFailure,
                           "writing a reply failed: " + error.message());
                }
                return;
            }
            auto afterWrite = std::move(outbox_.front().afterWrite);
            outbox_.pop_front();
            if (!outbox_.empty()) {
                writeFront();
            }
            if (afterWrite) {
                afterWrite();
            }
        });
}

void Session::finish(int status, const std::string& reason) {
    if (finished_) {
        return;
    }
    finished_ = true;
    exitStatus_ = status;
    if (!reason.empty()) {
        logLine(reason);
    }
    boost::system::error_code ignored;
    signals_.cancel(ignored);
    requests_.close(ignored);
    replies_.close(ignored);
    io_.stop();
}

} // namespace portscope::helper
