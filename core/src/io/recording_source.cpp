#include "portscope/core/recording_source.h"

#include <exception>
#include <utility>

namespace portscope::core {

RecordingSource::RecordingSource(std::unique_ptr<SnapshotSource> inner, WriteFailed onWriteFailed)
    : inner_(std::move(inner)), onWriteFailed_(std::move(onWriteFailed)) {}

RecordingSource::RecordingSource(std::unique_ptr<SnapshotSource> inner, UniqueFile file,
                                 std::string path)
    : RecordingSource(std::move(inner)) {
    attach(std::make_unique<ReplayWriter>(std::move(file), std::move(path)));
}

std::optional<Snapshot> RecordingSource::poll() {
    std::optional<Snapshot> snapshot = inner_->poll();
    if (!snapshot) {
        return snapshot;
    }
    std::string failure;
    {
        std::lock_guard lock(mutex_);
        if (!writer_) {
            return snapshot;
        }
        try {
            writer_->write(*snapshot);
            records_.store(writer_->recordsWritten());
        } catch (const std::exception& error) {
            failure = error.what();
            // A file that failed once (disk full) is not written to again: what it holds up
            // to the last complete record stays readable.
            writer_.reset();
        }
    }
    if (!failure.empty()) {
        if (!onWriteFailed_) {
            throw SourceError(failure);
        }
        onWriteFailed_(failure);
    }
    return snapshot;
}

SensorMode RecordingSource::sensor() const {
    return inner_->sensor();
}

std::string RecordingSource::name() const {
    return recording() ? inner_->name() + " (recording)" : inner_->name();
}

void RecordingSource::attach(std::unique_ptr<ReplayWriter> writer) {
    std::unique_ptr<ReplayWriter> previous;
    std::lock_guard lock(mutex_);
    previous = std::exchange(writer_, std::move(writer));
    records_.store(writer_ ? writer_->recordsWritten() : 0);
}

std::unique_ptr<ReplayWriter> RecordingSource::detach() {
    std::lock_guard lock(mutex_);
    return std::move(writer_);
}

bool RecordingSource::recording() const {
    std::lock_guard lock(mutex_);
    return writer_ != nullptr;
}

} // namespace portscope::core
