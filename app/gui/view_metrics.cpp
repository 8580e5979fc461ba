#include "view_metrics.h"

#include <QAbstractButton>
#include <QFontMetrics>
#include <QHeaderView>
#include <QStyle>
#include <QTreeView>
#include <algorithm>

namespace portscope::gui {

namespace {
// Room for the cell's margins and, in a header, the sort arrow.
constexpr int kCellPadding = 16;
constexpr int kHeaderPadding = 28;
constexpr int kRowPadding = 4;
} // namespace

int UniformRowDelegate::rowHeightFor(const QTreeView& view) {
    return std::max(view.fontMetrics().height(), view.iconSize().height()) + kRowPadding;
}

QSize UniformRowDelegate::sizeHint(const QStyleOptionViewItem& option,
                                   const QModelIndex& index) const {
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    const auto* view = qobject_cast<const QTreeView*>(parent());
    if (view != nullptr) {
        size.setHeight(std::max(size.height(), rowHeightFor(*view)));
    }
    return size;
}

void sizeColumnsToSamples(QTreeView& view, std::initializer_list<std::pair<int, QString>> samples) {
    const QFontMetrics cellMetrics = view.fontMetrics();
    QHeaderView* header = view.header();
    const QFontMetrics headerMetrics = header->fontMetrics();
    for (const auto& [column, sample] : samples) {
        if (column < 0) {
            continue;
        }
        const QString title =
            view.model() ? view.model()->headerData(column, Qt::Horizontal).toString() : QString();
        const int width = std::max(cellMetrics.horizontalAdvance(sample) + kCellPadding,
                                   headerMetrics.horizontalAdvance(title) + kHeaderPadding);
        header->resizeSection(column, width);
    }
}

void reserveWidthForTexts(QAbstractButton& button, std::initializer_list<QString> texts) {
    const QString original = button.text();
    int widest = 0;
    for (const QString& text : texts) {
        button.setText(text);
        widest = std::max(widest, button.sizeHint().width());
    }
    button.setText(original);
    button.setMinimumWidth(widest);
}

} // namespace portscope::gui
