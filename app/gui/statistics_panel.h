#pragma once
// The Statistics tab: the host's netstat -s counters with their value and per-second rate;
// counters that an active finding cites are highlighted.

#include <QWidget>
#include <string>
#include <vector>

QT_BEGIN_NAMESPACE
class QLabel;
class QTreeWidget;
QT_END_NAMESPACE

namespace portscope::core {
struct Update;
}

namespace portscope::gui {

class StatisticsPanel final : public QWidget {
    Q_OBJECT
public:
    enum Column { NameColumn, ValueColumn, RateColumn, FindingsColumn };

    explicit StatisticsPanel(QWidget* parent = nullptr);
    ~StatisticsPanel() override;

    // `update` null clears the table. Rows are updated in place while the counter names
    // stay the same, so the scroll position and selection survive.
    void showCounters(const core::Update* update);
    QTreeWidget* table() const { return table_; }

private:
    QLabel* heading_ = nullptr;
    QTreeWidget* table_ = nullptr;
    std::vector<std::string> names_;
};

} // namespace portscope::gui
