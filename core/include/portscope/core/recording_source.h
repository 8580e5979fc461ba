#pragma once
// Passes every snapshot of another source through unchanged and, while a ReplayWriter is
// attached, writes it to a replay file, so a live session can be opened again later. A
// recording may start and stop at any time (the GUI's Record button) or last the whole
// session (portscope-cli record).
//
// Threads: poll() runs on the engine thread and writes there, so the thread that asked for
// the recording never waits for the disk on a tick; attach() and detach() may be called from
// any thread and wait at most for the record being written.

#include "portscope/core/replay.h"
#include "portscope/core/snapshot_source.h"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace portscope::core {

class RecordingSource final : public SnapshotSource {
public:
    // Called on the engine thread when a write fails; the recording has then been stopped and
    // its file closed, and what it holds up to the last complete record stays readable. The
    // message names the file and the reason (e.g. "No space left on device").
    using WriteFailed = std::function<void(const std::string& message)>;

    // Records nothing until attach(). Without `onWriteFailed`, a failed write throws
    // SourceError from poll(), which ends the session.
    explicit RecordingSource(std::unique_ptr<SnapshotSource> inner, WriteFailed onWriteFailed = {});
    // Records from the first poll to `file` (see ReplayWriter). Throws std::runtime_error when
    // the header cannot be written.
    RecordingSource(std::unique_ptr<SnapshotSource> inner, UniqueFile file, std::string path);

    std::optional<Snapshot> poll() override;
    // The inner source's name, with " (recording)" while a writer is attached.
    std::string name() const override;
    SensorMode sensor() const override;
    bool isLive() const override { return inner_->isLive(); }
    std::size_t expectedSocketCount() const override { return inner_->expectedSocketCount(); }
    bool announceChanges(std::function<void()> onChanges) override {
        return inner_->announceChanges(std::move(onChanges));
    }

    // Every snapshot polled from now on goes to `writer` as well, until detach() or a write
    // error. Replaces (and closes) a writer already attached.
    void attach(std::unique_ptr<ReplayWriter> writer);
    // Stops recording and hands the writer back (null when none was attached); the file
    // stays open until the writer is destroyed.
    std::unique_ptr<ReplayWriter> detach();
    bool recording() const;
    // Records written by the current writer, readable from any thread.
    std::uint64_t recordsWritten() const { return records_.load(); }

private:
    std::unique_ptr<SnapshotSource> inner_;
    WriteFailed onWriteFailed_;
    mutable std::mutex mutex_;
    std::unique_ptr<ReplayWriter> writer_; // guarded by mutex_
    std::atomic<std::uint64_t> records_{0};
};

} // namespace portscope::core
