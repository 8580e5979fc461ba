#pragma once
// The Findings tab: the active findings (severity, rule, process, summary, first and last
// seen) and, for the selected one, its evidence and what to do about it. Selecting a process
// in the main view narrows the list to that process's findings.

#include <QWidget>
#include <cstdint>
#include <memory>
#include <vector>

QT_BEGIN_NAMESPACE
class QLabel;
class QTextBrowser;
class QTreeWidget;
QT_END_NAMESPACE

namespace portscope::core {
struct Finding;
struct Update;
} // namespace portscope::core

namespace portscope::gui {

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

    // The findings listed, in list order.
    const std::vector<std::uint64_t>& listedIds() const { return listed_; }
    QTreeWidget* list() const { return list_; }
    QString detailText() const; // plain text of the evidence pane
    // The selected finding as readable plain text (severity, rule, process, summary,
    // evidence, action, times), what Ctrl+C in the list puts on the clipboard; "" for none.
    QString selectedFindingText() const;
    void copySelected();

private:
    void showSelected();
    QString detailHtml(const core::Finding& finding) const;

    QLabel* heading_ = nullptr;
    QTreeWidget* list_ = nullptr;
    QTextBrowser* detail_ = nullptr;

    std::shared_ptr<const core::Update> update_;
    std::vector<std::uint64_t> listed_;
};

} // namespace portscope::gui
