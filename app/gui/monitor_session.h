#pragma once
// Owns one Engine and carries its updates to the GUI thread. The engine thread never
// touches a widget: it stores the newest update and queues one delivery; if the GUI falls
// behind, deliveries coalesce and the models diff against what they last showed.

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace portscope::core {
class Engine;
class SnapshotSource;
struct EngineOptions;
struct Finding;
struct Update;
} // namespace portscope::core

namespace portscope::gui {

class MonitorSession final : public QObject {
    Q_OBJECT
public:
    // Throws std::invalid_argument for an interval the engine rejects.
    MonitorSession(std::unique_ptr<core::SnapshotSource> source, const core::EngineOptions& options,
                   QObject* parent = nullptr);
    ~MonitorSession() override; // stops and joins the engine thread

    void start();
    core::Engine& engine() { return *engine_; }
    const core::Engine& engine() const { return *engine_; }
    bool finished() const { return finished_; }
    std::uint64_t deliveredUpdates() const { return delivered_; }

    // For reports: when the first update was taken (Unix ms, 0 before it), and the findings
    // that ended during the session, as they were last, oldest first (at most
    // kMaxResolvedFindings, the most recent). Seen on the engine thread, so none is lost
    // when deliveries coalesce.
    std::int64_t firstUpdateUnixMs() const;
    std::vector<core::Finding> resolvedFindings() const;
    static constexpr std::size_t kMaxResolvedFindings = 500;

Q_SIGNALS:
    void updateArrived(const std::shared_ptr<const core::Update>& update);
    void sourceFinished(const QString& message, bool failed);

private:
    void deliver();

    mutable std::mutex mutex_;
    std::shared_ptr<const core::Update> pending_; // guarded by mutex_
    std::int64_t firstUpdateUnixMs_ = 0;          // guarded by mutex_
    std::vector<core::Finding> resolved_;         // guarded by mutex_
    bool deliveryQueued_ = false;                 // guarded by mutex_
    bool finished_ = false;
    std::uint64_t delivered_ = 0;
    QElapsedTimer sinceFreedPagesReturned_;
    std::unique_ptr<core::Engine> engine_; // last: destroyed (joined) first
};

} // namespace portscope::gui
