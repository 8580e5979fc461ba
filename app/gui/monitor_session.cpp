#include "monitor_session.h"

#include "allocator_tuning.h"
#include "portscope/core/engine.h"
#include "portscope/core/findings.h"

namespace portscope::gui {

MonitorSession::MonitorSession(std::unique_ptr<core::SnapshotSource> source,
                               const core::EngineOptions& options, QObject* parent)
    : QObject(parent) {
    core::EngineEvents events;
    events.onUpdate = [this](const core::UpdatePtr& update) {
        std::lock_guard lock(mutex_);
        if (firstUpdateUnixMs_ == 0) {
            firstUpdateUnixMs_ = update->unixMs;
        }
        resolved_.insert(resolved_.end(), update->findingsCleared.begin(),
                         update->findingsCleared.end());
        if (resolved_.size() > kMaxResolvedFindings) {
            resolved_.erase(resolved_.begin(),
                            resolved_.end() - static_cast<std::ptrdiff_t>(kMaxResolvedFindings));
        }
        pending_ = update;
        if (deliveryQueued_) {
            return;
        }
        deliveryQueued_ = true;
        QMetaObject::invokeMethod(
            this, [this] { deliver(); }, Qt::QueuedConnection);
    };
    events.onFinished = [this](const std::string& message, bool failed) {
        QMetaObject::invokeMethod(
            this,
            [this, text = QString::fromStdString(message), failed] {
                finished_ = true;
                Q_EMIT sourceFinished(text, failed);
            },
            Qt::QueuedConnection);
    };
    engine_ = std::make_unique<core::Engine>(std::move(source), options, std::move(events));
    sinceFreedPagesReturned_.start();
}

MonitorSession::~MonitorSession() {
    // Joined before any member goes; deliveries still queued die with this QObject.
    engine_->stop();
}

void MonitorSession::start() {
    engine_->start();
}

std::int64_t MonitorSession::firstUpdateUnixMs() const {
    std::lock_guard lock(mutex_);
    return firstUpdateUnixMs_;
}

std::vector<core::Finding> MonitorSession::resolvedFindings() const {
    std::lock_guard lock(mutex_);
    return resolved_;
}

void MonitorSession::deliver() {
    std::shared_ptr<const core::Update> update;
    {
        std::lock_guard lock(mutex_);
        update = std::move(pending_);
        pending_.reset();
        deliveryQueued_ = false;
    }
    if (update) {
        ++delivered_;
        Q_EMIT updateArrived(update);
    }
    // After the views have applied the update and dropped what they built for it.
    if (sinceFreedPagesReturned_.hasExpired(kReturnFreedPagesIntervalMs)) {
        returnFreedHeapPages();
        sinceFreedPagesReturned_.restart();
    }
}

} // namespace portscope::gui
