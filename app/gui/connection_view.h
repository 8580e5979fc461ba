#pragma once
// The tree view both lists use. It differs from QTreeView in one place: a dataChanged signal
// only schedules a repaint of the viewport.
//
// The models apply a whole update at once, and every changed cell is repainted with the
// viewport after it (UpdateModel::updateApplied). QTreeView instead finds each changed row
// among its laid-out rows by a linear search and walks every row of a changed range for the
// rectangle to repaint; behind the sorting proxy a contiguous source range maps to rows
// spread over the whole list. At 10k rows with every row's traffic moving, that took more of
// a tick than the models and the proxy together. The rows have uniform heights and no
// editors, so nothing else of QTreeView's handling applies.

#include <QTreeView>

namespace portscope::gui {

class ConnectionView final : public QTreeView {
    Q_OBJECT
public:
    explicit ConnectionView(QWidget* parent = nullptr);

protected:
    void dataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight,
                     const QList<int>& roles = QList<int>()) override;
};

} // namespace portscope::gui
