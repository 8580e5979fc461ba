#include "findings_panel.h"

#include "finding_format.h"
#include "finding_history.h"
#include "finding_wording.h"
#include "portscope/core/units.h"
#include "portscope/core/update.h"
#include "rich_text.h"

#include <QAction>
#include <QClipboard>
#include <QDateTime>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollBar>
#include <QShortcut>
#include <QSplitter>
#include <QTextBrowser>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace portscope::gui {
namespace {

constexpr int kIdRole = Qt::UserRole + 1;

QString fromStd(const std::string& text) {
    return QString::fromStdString(text);
}

QString timeText(std::int64_t unixMs) {
    return QDateTime::fromMSecsSinceEpoch(unixMs).toString(QStringLiteral("HH:mm:ss"));
}

QString processText(const core::Finding& finding) {
    if (finding.process.valid()) {
        return QObject::tr("%1 (PID %2)")
            .arg(fromStd(finding.processName), QString::number(finding.process.pid));
    }
    if (finding.hasUid) {
        return QObject::tr("unknown process of uid %1").arg(finding.uid);
    }
    return QObject::tr("whole host");
}

} // namespace

FindingsPanel::FindingsPanel(QWidget* parent) : QWidget(parent) {
    heading_ = new QLabel(this);
    heading_->setObjectName(QStringLiteral("findingsHeading"));
    heading_->setTextFormat(Qt::PlainText);

    list_ = new QTreeWidget(this);
    list_->setObjectName(QStringLiteral("findingsList"));
    list_->setRootIsDecorated(false);
    list_->setUniformRowHeights(true);
    list_->setSelectionMode(QAbstractItemView::SingleSelection);
    list_->setHeaderLabels({tr("Severity"), tr("Rule"), tr("Process"), tr("Summary"),
                            tr("First seen"), tr("Last seen")});
    list_->header()->setStretchLastSection(false);
    list_->header()->setSectionResizeMode(SummaryColumn, QHeaderView::Stretch);
    // The summary is what a reader wants: the other columns take what their words need.
    list_->header()->setMinimumSectionSize(40);
    for (int column : {SeverityColumn, RuleColumn, FirstColumn, LastColumn}) {
        list_->header()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    }
    list_->setColumnWidth(ProcessColumn, 130);
    connect(list_, &QTreeWidget::itemSelectionChanged, this, &FindingsPanel::showSelected);
    detail_ = new QTextBrowser(this);
    detail_->setObjectName(QStringLiteral("findingDetail"));
    detail_->setOpenLinks(false);

    goToProcess_ = addFindingAction(tr("&Go to process"), "findingGoToProcess");
    goToProcess_->setToolTip(tr("Select the process of this finding in the list"));
    connect(goToProcess_, &QAction::triggered, this,
            [this] { Q_EMIT goToProcessRequested(selectedId()); });
    killProcess_ = addFindingAction(tr("&Kill process…"), "findingKillProcess");
    killProcess_->setToolTip(tr("Select the process of this finding and ask to kill it"));
    connect(killProcess_, &QAction::triggered, this,
            [this] { Q_EMIT killProcessRequested(selectedId()); });
    closeConnections_ = addFindingAction(tr("C&lose connections"), "findingCloseConnections");
    closeConnections_->setToolTip(
        tr("Reset the open TCP connections this finding cites as evidence"));
    connect(closeConnections_, &QAction::triggered, this,
            [this] { Q_EMIT closeConnectionsRequested(selectedId()); });
    copy_ = addFindingAction(tr("&Copy finding"), "findingCopy");
    copy_->setToolTip(tr("Copy the summary, evidence and what to do as text"));
    connect(copy_, &QAction::triggered, this, &FindingsPanel::copySelected);
    // Without it Ctrl+C in the list would copy only the cell under the cursor ("⚠ High"). A
    // shortcut of the list alone, so that it is not a second "Copy finding" in its menu.
    new QShortcut(QKeySequence::Copy, list_, this, &FindingsPanel::copySelected,
                  Qt::WidgetShortcut);
    list_->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(list_, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem* item) {
        if (item != nullptr) {
            Q_EMIT goToProcessRequested(item->data(0, kIdRole).toULongLong());
        }
    });

    auto* buttons = new QHBoxLayout();
    buttons->setContentsMargins(0, 0, 0, 0);
    for (QAction* action : {goToProcess_, killProcess_, closeConnections_, copy_}) {
        auto* button = new QToolButton(this);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        button->setObjectName(action->objectName() + QStringLiteral("Button"));
        buttons->addWidget(button);
    }
    buttons->addStretch(1);
    auto* detailPane = new QWidget(this);
    auto* detailLayout = new QVBoxLayout(detailPane);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    detailLayout->addWidget(detail_, 1);
    detailLayout->addLayout(buttons);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(list_);
    splitter->addWidget(detailPane);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({3000, 2000}); // in proportion: the list gets the room for summaries

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(heading_);
    layout->addWidget(splitter, 1);
    showFindings(nullptr, 0, 0);
}

FindingsPanel::~FindingsPanel() = default;

void FindingsPanel::showFindings(std::shared_ptr<const core::Update> update, std::int32_t pid,
                                 std::uint64_t startTime) {
    update_ = std::move(update);
    const core::ProcessKey filter{pid, startTime};

    std::vector<const core::Finding*> shown;
    std::size_t total = 0;
    if (update_) {
        total = update_->findings.size();
        for (const core::Finding& finding : update_->findings) {
            if (!filter.valid() || finding.process == filter) {
                shown.push_back(&finding);
            }
        }
    }
    // Most severe first; the older finding first among equals, so rows do not jump around.
    std::stable_sort(shown.begin(), shown.end(),
                     [](const auto* a, const auto* b) { return a->severity > b->severity; });
    const std::size_t activeShown = shown.size();
    // Then the ended ones, the latest first.
    std::vector<const ResolvedFinding*> ended;
    if (update_ && history_ != nullptr) {
        for (auto it = history_->resolved().rbegin(); it != history_->resolved().rend(); ++it) {
            if (!filter.valid() || it->finding.process == filter) {
                shown.push_back(&it->finding);
                ended.push_back(&*it);
            }
        }
    }

    std::vector<std::uint64_t> ids;
    ids.reserve(shown.size());
    for (const core::Finding* finding : shown) {
        ids.push_back(finding->id);
    }
    const QTreeWidgetItem* current = list_->currentItem();
    const std::uint64_t selected =
        current != nullptr && current->isSelected() ? current->data(0, kIdRole).toULongLong() : 0;

    const QSignalBlocker blocker(list_);
    if (ids != listed_) {
        list_->clear();
        for (std::size_t i = 0; i < shown.size(); ++i) {
            auto* item = new QTreeWidgetItem(list_);
            item->setData(0, kIdRole, QVariant::fromValue<qulonglong>(ids[i]));
        }
        listed_ = ids;
    }
    for (std::size_t i = 0; i < shown.size(); ++i) {
        const core::Finding& finding = *shown[i];
        QTreeWidgetItem* item = list_->topLevelItem(static_cast<int>(i));
        const bool resolved = i >= activeShown;
        const QColor colour = severityColor(finding.severity);
        QString severity =
            severityGlyph(finding.severity) + QLatin1Char(' ') + severityText(finding.severity);
        if (resolved) {
            severity = tr("%1 (resolved)").arg(severity);
        }
        item->setText(SeverityColumn, severity);
        for (int column = 0; column < list_->columnCount(); ++column) {
            item->setForeground(
                column, resolved ? list_->palette().color(QPalette::Disabled, QPalette::Text)
                                 : list_->palette().color(QPalette::Text));
        }
        if (!resolved) {
            item->setForeground(SeverityColumn, colour);
        }
        item->setText(RuleColumn, fromStd(finding.ruleId));
        item->setText(ProcessColumn, processText(finding));
        const QString summary = localizedSummary(finding);
        item->setText(SummaryColumn, summary);
        item->setToolTip(SummaryColumn, literalRichText(summary));
        item->setText(FirstColumn, timeText(finding.firstSeenUnixMs));
        item->setText(LastColumn, resolved ? endedText(*ended[i - activeShown])
                                           : timeText(finding.lastSeenUnixMs));
        if (finding.id == selected) {
            list_->setCurrentItem(item);
        }
    }

    if (!update_) {
        heading_->setText(tr("No data yet."));
    } else if (filter.valid()) {
        const core::ProcessRow* row = update_->findProcess(filter);
        const QString name =
            row != nullptr
                ? tr("%1 (PID %2)").arg(fromStd(row->process.name), QString::number(filter.pid))
                : tr("PID %1").arg(filter.pid);
        heading_->setText(
            tr("%n active finding(s) for %1 (%2 on the whole host; clear the selection to see "
               "them all).",
               nullptr, static_cast<int>(shown.size()))
                .arg(name)
                .arg(total));
    } else if (total == 0 && ended.empty()) {
        heading_->setText(tr("No active findings. The rules watch for scans, SYN floods, "
                             "look-alike process names, new listeners and more."));
    } else {
        heading_->setText(tr("%n active finding(s).", nullptr, static_cast<int>(total)));
    }
    if (!ended.empty()) {
        heading_->setText(heading_->text() + QLatin1Char(' ') +
                          tr("%n ended this session, listed below as resolved.", nullptr,
                             static_cast<int>(ended.size())));
    }
    showSelected();
}

QAction* FindingsPanel::addFindingAction(const QString& text, const char* objectName) {
    auto* action = new QAction(text, this);
    action->setObjectName(QString::fromLatin1(objectName));
    action->setEnabled(false);
    list_->addAction(action);
    return action;
}

const core::Finding* FindingsPanel::findingById(std::uint64_t id, bool* resolved) const {
    *resolved = false;
    if (!update_ || id == 0) {
        return nullptr;
    }
    if (const core::Finding* active = update_->findFinding(id); active != nullptr) {
        return active;
    }
    const ResolvedFinding* ended = history_ != nullptr ? history_->findResolved(id) : nullptr;
    *resolved = ended != nullptr;
    return ended != nullptr ? &ended->finding : nullptr;
}

void FindingsPanel::updateFindingActions(const core::Finding* finding, bool resolved) {
    // An ended finding can still be read and copied; its process may be gone.
    const bool aboutProcess = finding != nullptr && !resolved && finding->process.valid();
    goToProcess_->setEnabled(aboutProcess);
    killProcess_->setEnabled(aboutProcess);
    const bool hasOpenSocket =
        finding != nullptr && !resolved &&
        std::any_of(finding->sockets.begin(), finding->sockets.end(),
                    [](const core::EvidenceSocket& socket) { return socket.open; });
    closeConnections_->setEnabled(hasOpenSocket);
    copy_->setEnabled(finding != nullptr);
}

std::uint64_t FindingsPanel::selectedId() const {
    const QTreeWidgetItem* item = list_->currentItem();
    return item != nullptr ? item->data(0, kIdRole).toULongLong() : 0;
}

void FindingsPanel::copySelected() {
    bool resolved = false;
    const core::Finding* finding = findingById(selectedId(), &resolved);
    if (finding == nullptr) {
        return;
    }
    QString text = findingPlainText(*finding);
    if (resolved) {
        text += tr("Resolved: %1").arg(endedText(*history_->findResolved(finding->id))) +
                QLatin1Char('\n');
    }
    QGuiApplication::clipboard()->setText(text);
}

bool FindingsPanel::selectFinding(std::uint64_t id) {
    for (int i = 0; i < list_->topLevelItemCount(); ++i) {
        QTreeWidgetItem* item = list_->topLevelItem(i);
        if (item->data(0, kIdRole).toULongLong() == id) {
            list_->setCurrentItem(item);
            return true;
        }
    }
    return false;
}

QString FindingsPanel::detailText() const {
    return detail_->toPlainText();
}

void FindingsPanel::showSelected() {
    bool resolved = false;
    const core::Finding* finding = findingById(selectedId(), &resolved);
    updateFindingActions(finding, resolved);
    if (finding == nullptr) {
        detail_->setHtml(listed_.empty() ? QString()
                                         : tr("<i>Select a finding to see its evidence and "
                                              "what to do about it.</i>"));
        return;
    }
    const int scroll =
        detail_->verticalScrollBar() != nullptr ? detail_->verticalScrollBar()->value() : 0;
    QString html = detailHtml(*finding);
    if (resolved) {
        html.prepend(tr("<p><b>Resolved:</b> %1. What follows is the finding as it was last.</p>")
                         .arg(escapedForRichText(endedText(*history_->findResolved(finding->id)))));
    }
    detail_->setHtml(html);
    detail_->verticalScrollBar()->setValue(scroll);
}

QString FindingsPanel::detailHtml(const core::Finding& finding) const {
    auto esc = [](const std::string& text) { return escapedForRichText(fromStd(text)); };
    QString html;
    html += QStringLiteral("<p><b style=\"color:%1\">%2 %3</b> &nbsp;<code>%4</code></p>")
                .arg(severityColor(finding.severity).name(), severityGlyph(finding.severity),
                     severityText(finding.severity), esc(finding.ruleId));
    const LocalizedFindingText text = localizedFindingText(finding);
    html += QStringLiteral("<p>%1</p>").arg(escapedForRichText(text.summary));
    html += tr("<p><b>Process:</b> %1").arg(escapedForRichText(processText(finding)));
    if (!finding.exePath.empty()) {
        html += QStringLiteral(" — %1").arg(esc(finding.exePath));
    }
    html += tr("<br><b>Seen:</b> %1 to %2 (for %3)</p>")
                .arg(timeText(finding.firstSeenUnixMs), timeText(finding.lastSeenUnixMs),
                     localizedDuration(finding.lastSeenUnixMs - finding.firstSeenUnixMs));
    if (!text.details.empty()) {
        html += QStringLiteral("<ul>");
        for (const QString& detail : text.details) {
            html += QStringLiteral("<li>%1</li>").arg(escapedForRichText(detail));
        }
        html += QStringLiteral("</ul>");
    }
    if (!finding.sockets.empty()) {
        html += tr("<p><b>Evidence: %n socket(s)</b>", nullptr,
                   static_cast<int>(std::max(finding.socketsTotal, finding.sockets.size())));
        if (finding.socketsTotal > finding.sockets.size()) {
            html += tr(" (the %1 most recent shown)").arg(finding.sockets.size());
        }
        html += QStringLiteral("</p><table cellspacing=\"0\" cellpadding=\"2\">");
        html += tr("<tr><th align=\"left\">Protocol</th><th align=\"left\">Local</th>"
                   "<th align=\"left\">Remote</th><th align=\"left\">State</th></tr>");
        for (const core::EvidenceSocket& socket : finding.sockets) {
            QString state =
                QString::fromUtf8(core::toString(socket.state).data(),
                                  static_cast<int>(core::toString(socket.state).size()));
            if (!socket.open) {
                state = tr("closed (was %1)").arg(state);
            }
            if (socket.shortLived) {
                state += tr(", short-lived");
            }
            html += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td></tr>")
                        .arg(QString::fromUtf8(
                                 core::toString(socket.protocol).data(),
                                 static_cast<int>(core::toString(socket.protocol).size())),
                             esc(socket.local.toString()), esc(socket.remote.toString()),
                             escapedForRichText(state));
        }
        html += QStringLiteral("</table>");
    }
    if (!finding.counters.empty()) {
        html += tr("<p><b>Evidence: host counters</b></p><ul>");
        for (const core::EvidenceCounter& counter : finding.counters) {
            html += tr("<li><code>%1</code> = %2, +%3 over the window (%4/s)</li>")
                        .arg(esc(counter.name))
                        .arg(counter.value)
                        .arg(counter.increase)
                        .arg(counter.perSecond, 0, 'f', 1);
        }
        html += QStringLiteral("</ul>");
    }
    if (!text.action.isEmpty()) {
        html += tr("<p><b>What to do:</b> %1</p>").arg(escapedForRichText(text.action));
    }
    return html;
}

} // namespace portscope::gui
