#pragma once
// The first column of the process tree: on a connection row, after its protocol, the name of
// the process it belongs to in grey, so that a row deep in a long group still says whose it
// is once the process row has scrolled away.

#include <QStyledItemDelegate>

namespace portscope::gui {

class OwnerNameDelegate final : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    // The grey text on `index`'s row: its parent's name in the same column, or empty for a
    // top-level row.
    static QString ownerText(const QModelIndex& index);

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
};

} // namespace portscope::gui
