#pragma once
// Passes every snapshot of another source through unchanged and writes it to a replay
// file, so a live session can be opened again later.

#include "portscope/core/replay.h"
#include "portscope/core/snapshot_source.h"

#include <memory>

namespace portscope::core {

class RecordingSource : public SnapshotSource {
public:
    // Writes to `file` (see ReplayWriter). Throws std::runtime_error when the header cannot be
    // written.
    RecordingSource(std::unique_ptr<SnapshotSource> inner, UniqueFile file, std::string path);

    std::optional<Snapshot> poll() override;
    std::string name() const override;
    bool isLive() const override { return inner_->isLive(); }
    std::uint64_t recordsWritten() const { return writer_.recordsWritten(); }

private:
    std::unique_ptr<SnapshotSource> inner_;
    ReplayWriter writer_;
};

} // namespace portscope::core
