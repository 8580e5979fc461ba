#include "finding_notifier.h"

#include "finding_format.h"
#include "finding_wording.h"
#include "portscope/core/update.h"

#include <QStringList>
#include <QSystemTrayIcon>
#include <QWidget>

namespace portscope::gui {

namespace {

QString fromStd(const std::string& text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

} // namespace

FindingNotifier::FindingNotifier(QWidget* window) : QObject(window), window_(window) {}

void FindingNotifier::notify(const core::Update& update) {
    // Every active finding is checked, not only `findingsRaised`: when the GUI falls behind,
    // updates coalesce and the one that raised a finding may never be shown.
    QStringList lines;
    std::uint64_t firstId = 0;
    for (const core::Finding& finding : update.findings) {
        if (finding.severity != core::Severity::High || !announced_.insert(finding.id).second) {
            continue;
        }
        const QString line =
            tr("%1 %2: %3")
                .arg(badgeText(finding),
                     finding.process.valid() ? tr("%1 (PID %2)")
                                                   .arg(fromStd(finding.processName),
                                                        QString::number(finding.process.pid))
                                             : tr("host"),
                     localizedSummary(finding));
        lines << line;
        if (firstId == 0) {
            firstId = finding.id;
        }
        Q_EMIT findingAnnounced(finding.id, line);
    }
    if (lines.isEmpty()) {
        return;
    }
    noticeFindingId_ = firstId;
    const QString text = lines.join(QLatin1Char('\n'));
    Q_EMIT noticeRaised(text, firstId);
    showTrayMessage(text);
}

void FindingNotifier::reset() {
    announced_.clear();
}

void FindingNotifier::showTrayMessage(const QString& text) {
    if (!QSystemTrayIcon::isSystemTrayAvailable()) {
        return;
    }
    if (trayIcon_ == nullptr) {
        trayIcon_ = new QSystemTrayIcon(window_->windowIcon(), this);
        trayIcon_->setToolTip(QStringLiteral("PortScope"));
        connect(trayIcon_, &QSystemTrayIcon::messageClicked, this,
                [this] { Q_EMIT showRequested(noticeFindingId_); });
        trayIcon_->show();
    }
    trayIcon_->showMessage(tr("High-severity finding"), text, QSystemTrayIcon::Warning, 15000);
}

} // namespace portscope::gui
