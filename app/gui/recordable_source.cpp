#include "recordable_source.h"

#include <exception>
#include <utility>

namespace portscope::gui {

RecordableSource::RecordableSource(std::unique_ptr<core::SnapshotSource> inner,
                                   WriteFailed onWriteFailed)
    : inner_(std::move(inner)), onWriteFailed_(std::move(onWriteFailed)) {}

std::optional<core::Snapshot> RecordableSource::poll() {
    std::optional<core::Snapshot> snapshot = inner_->poll();
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
    if (!failure.empty() && onWriteFailed_) {
        onWriteFailed_(failure);
    }
    return snapshot;
}

void RecordableSource::attach(std::unique_ptr<core::ReplayWriter> writer) {
    std::unique_ptr<core::ReplayWriter> previous;
    std::lock_guard lock(mutex_);
    previous = std::exchange(writer_, std::move(writer));
    records_.store(writer_ ? writer_->recordsWritten() : 0);
}

std::unique_ptr<core::ReplayWriter> RecordableSource::detach() {
    std::lock_guard lock(mutex_);
    return std::move(writer_);
}

bool RecordableSource::recording() const {
    std::lock_guard lock(mutex_);
    return writer_ != nullptr;
}

} // namespace portscope::gui
