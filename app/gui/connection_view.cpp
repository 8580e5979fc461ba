#include "connection_view.h"

#include <QAccessible>

namespace portscope::gui {

ConnectionView::ConnectionView(QWidget* parent) : QTreeView(parent) {
    // Every row has the height of the first; the fast path below relies on it (a changed cell
    // cannot change a row's height).
    setUniformRowHeights(true);
}

void ConnectionView::dataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight,
                                 const QList<int>& roles) {
    if (QAccessible::isActive()) {
        // A screen reader is told about each changed range, which only QTreeView does.
        QTreeView::dataChanged(topLeft, bottomRight, roles);
        return;
    }
    viewport()->update();
}

} // namespace portscope::gui
