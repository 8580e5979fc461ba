#include "recording_controller.h"

#include "portscope/core/recording_source.h"
#include "portscope/core/replay.h"
#include "portscope/platform/system.h"

#include <QDir>
#include <QFile>
#include <QMetaObject>
#include <exception>

namespace portscope::gui {

namespace {

QString snapshotCount(std::uint64_t records) {
    return records == 1 ? RecordingController::tr("1 snapshot")
                        : RecordingController::tr("%1 snapshots").arg(records);
}

} // namespace

RecordingController::RecordingController(QObject* parent) : QObject(parent) {}

RecordingController::~RecordingController() = default;

std::uint64_t RecordingController::recordsWritten() const {
    return source_ != nullptr ? source_->recordsWritten() : 0;
}

bool RecordingController::start(const QString& path, QString* error) {
    auto fail = [error](const QString& message) {
        if (error != nullptr) {
            *error = message;
        }
        return false;
    };
    if (source_ == nullptr) {
        return fail(tr("Only live monitoring can be recorded; a recorded session is a file "
                       "already."));
    }
    std::unique_ptr<core::ReplayWriter> writer;
    try {
        const std::string nativePath = QFile::encodeName(path).toStdString();
        writer = std::make_unique<core::ReplayWriter>(platform::createPrivateFile(nativePath),
                                                      nativePath);
    } catch (const std::exception& failure) {
        return fail(QString::fromUtf8(failure.what()));
    }
    if (recording()) {
        stop();
    }
    source_->attach(std::move(writer));
    path_ = path;
    Q_EMIT stateChanged();
    return true;
}

QString RecordingController::stop() {
    if (!recording()) {
        return {};
    }
    std::unique_ptr<core::ReplayWriter> writer = source_ != nullptr ? source_->detach() : nullptr;
    const std::uint64_t records = writer ? writer->recordsWritten() : 0;
    writer.reset(); // closes the file
    return end(tr("Recording stopped."), records, false);
}

std::unique_ptr<core::SnapshotSource>
RecordingController::prepareSource(std::unique_ptr<core::SnapshotSource> source) {
    carried_ = source_ != nullptr ? source_->detach() : nullptr;
    source_ = nullptr; // its engine is about to go
    prepared_ = nullptr;
    if (!source || !source->isLive()) {
        return source;
    }
    auto wrapped = std::make_unique<core::RecordingSource>(
        std::move(source), [this](const std::string& message) {
            // The engine thread; the controller outlives the engine (the window joins it
            // first), and a call queued to a controller that has gone is dropped.
            QMetaObject::invokeMethod(
                this, [this, text = QString::fromStdString(message)] { onWriteFailed(text); },
                Qt::QueuedConnection);
        });
    prepared_ = wrapped.get();
    return wrapped;
}

QString RecordingController::sessionStarted() {
    source_ = std::exchange(prepared_, nullptr);
    QString message;
    if (recording() && carried_) {
        if (source_ != nullptr) {
            source_->attach(std::move(carried_));
        } else {
            const std::uint64_t records = carried_->recordsWritten();
            carried_.reset();
            message =
                end(tr("Recording stopped because a recorded session was opened."), records, false);
        }
    }
    Q_EMIT stateChanged();
    return message;
}

QString RecordingController::sessionFailed() {
    prepared_ = nullptr;
    const std::uint64_t records = carried_ ? carried_->recordsWritten() : 0;
    carried_.reset();
    QString message;
    if (recording()) {
        message = end(tr("Recording stopped because monitoring could not go on."), records, true);
    }
    Q_EMIT stateChanged();
    return message;
}

QString RecordingController::sourceEnded(bool failed) {
    if (!recording() || source_ == nullptr) {
        return {};
    }
    std::unique_ptr<core::ReplayWriter> writer = source_->detach();
    const std::uint64_t records = writer ? writer->recordsWritten() : 0;
    writer.reset();
    return end(tr("Recording stopped because the source ended."), records, failed);
}

void RecordingController::onWriteFailed(const QString& reason) {
    // A failure reported by an earlier writer arrives after a new one may have started.
    if (!recording() || (source_ != nullptr && source_->recording())) {
        return;
    }
    const QString message = end(tr("Recording stopped: %1.").arg(reason), recordsWritten(), true);
    Q_EMIT writeFailed(message);
}

QString RecordingController::end(const QString& why, std::uint64_t records, bool failed) {
    const QString message =
        tr("%1 %2 saved to %3.").arg(why, snapshotCount(records), QDir::toNativeSeparators(path_));
    path_.clear();
    Q_EMIT stateChanged();
    Q_EMIT stopped(message, failed);
    return message;
}

} // namespace portscope::gui
