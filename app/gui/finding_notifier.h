#pragma once
// Tells the user about new high-severity findings: once per finding and session, in the
// window's notice (through noticeRaised()) and, where the desktop has a system tray, as a tray
// message. Clicking the tray message asks to show the finding.

#include <QObject>
#include <QString>
#include <cstdint>
#include <unordered_set>

QT_BEGIN_NAMESPACE
class QSystemTrayIcon;
class QWidget;
QT_END_NAMESPACE

namespace portscope::core {
struct Update;
} // namespace portscope::core

namespace portscope::gui {

class FindingNotifier final : public QObject {
    Q_OBJECT
public:
    // The tray icon, when one is needed, shows `window`'s icon.
    explicit FindingNotifier(QWidget* window);

    // Announces the high-severity findings of `update` that were not announced before.
    void notify(const core::Update& update);
    // Finding ids restart with each engine: forget what was announced.
    void reset();
    // The first finding of the latest notice; 0 before any.
    std::uint64_t noticeFindingId() const { return noticeFindingId_; }

Q_SIGNALS:
    // One per finding: "⚠ fanout-scan wormy (PID 7777): tried port 445 on 12 hosts…".
    void findingAnnounced(std::uint64_t id, const QString& text);
    // The lines of the findings announced by one update, first finding `firstId`.
    void noticeRaised(const QString& text, std::uint64_t firstId);
    // The user clicked the tray message about `id`.
    void showRequested(std::uint64_t id);

private:
    void showTrayMessage(const QString& text);

    QWidget* window_;
    std::unordered_set<std::uint64_t> announced_;
    std::uint64_t noticeFindingId_ = 0;
    QSystemTrayIcon* trayIcon_ = nullptr; // created on the first announcement, if available
};

} // namespace portscope::gui
