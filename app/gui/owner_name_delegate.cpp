#include "owner_name_delegate.h"

#include <QApplication>
#include <QPainter>
#include <QStyle>

namespace portscope::gui {

QString OwnerNameDelegate::ownerText(const QModelIndex& index) {
    const QModelIndex parent = index.parent();
    return parent.isValid() ? parent.siblingAtColumn(index.column()).data().toString() : QString();
}

void OwnerNameDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                              const QModelIndex& index) const {
    QStyledItemDelegate::paint(painter, option, index);
    const QString owner = ownerText(index);
    if (owner.isEmpty()) {
        return;
    }
    QStyleOptionViewItem item = option;
    initStyleOption(&item, index);
    const QWidget* widget = item.widget;
    const QStyle* style = widget != nullptr ? widget->style() : QApplication::style();
    // Where the style drew the cell's own text, and how far that text reaches.
    const QRect textRect = style->subElementRect(QStyle::SE_ItemViewItemText, &item, widget);
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    const int gap = item.fontMetrics.horizontalAdvance(QStringLiteral("  "));
    QRect ownerRect = textRect.adjusted(margin, 0, -margin, 0);
    ownerRect.setLeft(ownerRect.left() + item.fontMetrics.horizontalAdvance(item.text) + gap);
    if (ownerRect.width() < item.fontMetrics.averageCharWidth() * 3) {
        return; // no room for more than an ellipsis
    }
    const bool selected = item.state.testFlag(QStyle::State_Selected);
    QColor colour = selected ? item.palette.color(QPalette::HighlightedText)
                             : item.palette.color(QPalette::PlaceholderText);
    if (selected) {
        colour.setAlphaF(0.7F);
    }
    painter->save();
    painter->setPen(colour);
    painter->setFont(item.font);
    painter->drawText(ownerRect, Qt::AlignLeft | Qt::AlignVCenter,
                      item.fontMetrics.elidedText(owner, Qt::ElideRight, ownerRect.width()));
    painter->restore();
}

} // namespace portscope::gui
