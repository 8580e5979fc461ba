#pragma once
// A live source that can be recorded while it runs. Recording in core (RecordingSource) is
// fixed when the source is made; the window starts and stops a recording at any time, so it
// wraps every live source in this one and attaches a ReplayWriter when asked.
//
// Threads: poll() runs on the engine thread and writes there, so the GUI thread never waits
// for the disk on a tick; attach() and detach() may be called from any thread and wait at
// most for the record being written.

#include "portscope/core/replay.h"
#include "portscope/core/snapshot_source.h"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace portscope::gui {

class RecordableSource final : public core::SnapshotSource {
public:
    // Called on the engine thread when a write fails; the recording has then been stopped and
    // its file closed. The message names the file and the reason (e.g. "No space left on
    // device").
    using WriteFailed = std::function<void(const std::string& message)>;

    RecordableSource(std::unique_ptr<core::SnapshotSource> inner, WriteFailed onWriteFailed);

    std::optional<core::Snapshot> poll() override;
    std::string name() const override { return inner_->name(); }
    bool isLive() const override { return inner_->isLive(); }
    std::size_t expectedSocketCount() const override { return inner_->expectedSocketCount(); }

    // Every snapshot polled from now on goes to `writer` as well, until detach() or a write
    // error. Replaces (and closes) a writer already attached.
    void attach(std::unique_ptr<core::ReplayWriter> writer);
    // Stops recording and hands the writer back (null when none was attached); the file
    // stays open until the writer is destroyed.
    std::unique_ptr<core::ReplayWriter> detach();
    bool recording() const;
    // Records written by the current writer, readable from any thread.
    std::uint64_t recordsWritten() const { return records_.load(); }

private:
    std::unique_ptr<core::SnapshotSource> inner_;
    WriteFailed onWriteFailed_;
    mutable std::mutex mutex_;
    std::unique_ptr<core::ReplayWriter> writer_; // guarded by mutex_
    std::atomic<std::uint64_t> records_{0};
};

} // namespace portscope::gui
