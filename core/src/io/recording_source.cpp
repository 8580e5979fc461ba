#include "portscope/core/recording_source.h"

namespace portscope::core {

RecordingSource::RecordingSource(std::unique_ptr<SnapshotSource> inner, UniqueFile file,
                                 std::string path)
    : inner_(std::move(inner)), writer_(std::move(file), std::move(path)) {}

std::optional<Snapshot> RecordingSource::poll() {
    auto snapshot = inner_->poll();
    if (snapshot) {
        writer_.write(*snapshot);
    }
    return snapshot;
}

std::string RecordingSource::name() const {
    return inner_->name() + " (recording)";
}

} // namespace portscope::core
