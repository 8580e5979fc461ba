#pragma once
// The Findings tab: the active findings (severity, rule, process, summary, first and last
// seen), then those that ended this session, and, for the selected one, its evidence and what
// to do about it. Selecting a process
// in the main view narrows the list to that process's findings.

#include <QWidget>
#include <cstdint>
#include <memory>
#include <vector>

QT_BEGIN_NAMESPACE
class QAction;
class QLabel;
class QTextBrowser;
class QTreeWidget;
QT_END_NAMESPACE

namespace portscope::core {
struct Finding;
struct Update;
} // namespace portscope::core

namespace portscope::gui {

class FindingHistory;

class FindingsPanel final : public QWidget {
    Q_OBJECT
public:
    enum Column {
        SeverityColumn,
        RuleColumn,
        ProcessColumn,
        SummaryColumn,
        FirstColumn,
        LastColumn
    };

    explicit FindingsPanel(QWidget* parent = nullptr);
    ~FindingsPanel() override;

    // Shows the findings of `update` (null clears the list); a valid `process` keeps only
    // the findings about that process. The selected finding stays selected while listed.
    void showFindings(std::shared_ptr<const core::Update> update, std::int32_t pid,
                      std::uint64_t startTime);
    bool selectFinding(std::uint64_t id);
    // The findings that ended this session, listed after the active ones as resolved, with
    // when and why they ended. Not owned; may be null.
    void setHistory(const FindingHistory* history) { history_ = history; }

    // The findings listed, in list order.
    const std::vector<std::uint64_t>& listedIds() const { return listed_; }
    QTreeWidget* list() const { return list_; }
    QString detailText() const; // plain text of the evidence pane
    // The selected finding, or 0.
    std::uint64_t selectedId() const;
    // Puts the selected finding on the clipboard as readable text (see findingPlainText).
    void copySelected();

    // What the selected finding lets the user do; the window carries them out.
    QAction* goToProcessAction() const { return goToProcess_; }
    QAction* killProcessAction() const { return killProcess_; }
    QAction* closeConnectionsAction() const { return closeConnections_; }
    QAction* copyAction() const { return copy_; }

Q_SIGNALS:
    // Double-click or "Go to process": select the finding's process in the list.
    void goToProcessRequested(std::uint64_t findingId);
    void killProcessRequested(std::uint64_t findingId);
    void closeConnectionsRequested(std::uint64_t findingId);

private:
    void showSelected();
    void updateFindingActions(const core::Finding* finding, bool resolved);
    // The active or ended finding `id`; `resolved` says which. Null when neither.
    const core::Finding* findingById(std::uint64_t id, bool* resolved) const;
    QAction* addFindingAction(const QString& text, const char* objectName);
    QString detailHtml(const core::Finding& finding) const;

    QLabel* heading_ = nullptr;
    QTreeWidget* list_ = nullptr;
    QTextBrowser* detail_ = nullptr;
    QAction* goToProcess_ = nullptr;
    QAction* killProcess_ = nullptr;
    QAction* closeConnections_ = nullptr;
    QAction* copy_ = nullptr;

    std::shared_ptr<const core::Update> update_;
    const FindingHistory* history_ = nullptr;
    std::vector<std::uint64_t> listed_;
};

} // namespace portscope::gui
