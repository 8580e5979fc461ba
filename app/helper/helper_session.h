#pragma once
// One session of portscope-helper: requests read from the client, replies written back, all
// driven by a Boost.Asio io_context on one thread. Requests are answered strictly in order,
// one at a time, so a client cannot make the helper queue work or memory. The one frame sent
// unasked, ChangesPending, goes out at most once between two polls, queued behind any reply
// being written.

#include "portscope/core/helper_protocol.h"
#include "portscope/core/snapshot_source.h"
#include "portscope/platform/packet_capture.h"
#include "portscope/platform/system.h"

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/signal_set.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <string>

namespace portscope::helper {

// Documented in docs/helper-protocol.md and portscope-helper(1).
enum ExitStatus : int {
    kExitSessionEnded = 0, // the client said Goodbye or closed the connection, or the parent ended
    kExitFailure = 1,      // I/O failed or the system could not be read
    kExitUsage = 2,
    kExitProtocolViolation = 3, // the client sent a malformed, oversized or unexpected message
};

using SourceFactory =
    std::function<std::unique_ptr<core::SnapshotSource>(const platform::LiveSourceOptions&)>;

class Session {
public:
    // Takes ownership of both descriptors (they may be the same socket, duplicated).
    Session(boost::asio::io_context& io, int requestFd, int replyFd, SourceFactory makeSource);
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // Starts reading requests and watching for SIGTERM, SIGINT and SIGHUP (the parent-death
    // signal arrives as SIGTERM). The session ends when io.run() returns.
    void start();
    int exitStatus() const { return exitStatus_; }

private:
    void readHeader();
    void onHeader(const boost::system::error_code& error, std::size_t bytes);
    void onPayload(const core::helper::FrameHeader& header);
    void handle(std::uint32_t requestId, core::helper::Message& message);
    void handleHello(std::uint32_t requestId, const core::helper::Hello& hello);
    void handlePoll(std::uint32_t requestId);
    void handleKill(std::uint32_t requestId, const core::helper::KillRequest& request);
    void handleClose(std::uint32_t requestId, const core::helper::CloseRequest& request);
    void handleStartCapture(std::uint32_t requestId, const core::helper::StartCapture& request);
    void handleSetCaptureFilter(std::uint32_t requestId,
                                const core::helper::SetCaptureFilter& request);
    void handleReadPackets(std::uint32_t requestId, const core::helper::ReadPackets& request);
    void handleStopCapture(std::uint32_t requestId);
    void handleSelectSockets(std::uint32_t requestId, const core::helper::SelectSockets& request);
    void handleSensorSelect(std::uint32_t requestId, const core::helper::SensorSelect& select);

    void useSource(std::unique_ptr<core::SnapshotSource> source);
    void onSourceChanges();
    // Writes one frame, then reads the next request.
    void reply(std::uint32_t requestId, core::helper::MessageType type, std::string payload);
    // Queues a frame; `afterWrite` (may be empty) runs once it is written.
    void send(std::string header, std::string payload, std::function<void()> afterWrite);
    void writeFront();
    // Writes an Error frame, then ends the session with `status`.
    void fail(std::uint32_t requestId, core::helper::ErrorCode code, const std::string& message,
              int status);
    void finish(int status, const std::string& reason);

    boost::asio::io_context& io_;
    boost::asio::posix::stream_descriptor requests_;
    boost::asio::posix::stream_descriptor replies_;
    boost::asio::signal_set signals_;
    SourceFactory makeSource_;
    std::unique_ptr<core::SnapshotSource> source_;
    // At most one per session. CaptureStarted names at most kMaxCapturedInterfaces of its
    // interfaces: those past the last but one count as its last (a capture by socket's "other").
    std::unique_ptr<platform::PacketCapture> capture_;
    platform::LiveSourceOptions sourceOptions_; // as the Hello asked

    std::array<char, core::helper::kHeaderSize> header_{};
    std::string payload_;
    struct OutgoingFrame {
        std::string header;
        std::string payload;
        std::function<void()> afterWrite;
    };
    std::deque<OutgoingFrame> outbox_; // the front one is being written
    bool greeted_ = false;
    bool failing_ = false;          // an Error is on its way; the session ends after it
    int failStatus_ = kExitFailure; // ... with this exit status
    bool announceChanges_ = false;  // the client's Hello asked for ChangesPending
    bool changesAnnounced_ = false; // a ChangesPending went out since the last Poll
    bool finished_ = false;
    int exitStatus_ = kExitSessionEnded;
};

// "portscope-helper: MESSAGE" on stderr, the helper's only diagnostic channel.
void logLine(const std::string& message);

} // namespace portscope::helper
