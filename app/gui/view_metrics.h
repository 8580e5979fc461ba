#pragma once
// Sizes that follow the font instead of fixed pixels, so that a larger font, a high-DPI
// screen or a translation neither cuts a column's text nor makes rows change height.

#include <QString>
#include <QStyledItemDelegate>
#include <initializer_list>
#include <utility>

class QAbstractButton;
class QTreeView;

namespace portscope::gui {

// Every row is as tall as the taller of a text line and an icon, whether or not the row
// has an icon: uniform row heights take the first row's height for all of them, so a first
// row without an icon would otherwise squeeze the rows that have one.
class UniformRowDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    static int rowHeightFor(const QTreeView& view);
};

// Sets each column wide enough for its sample text (the widest value it usually shows) and
// its header, with the view's own font.
void sizeColumnsToSamples(QTreeView& view, std::initializer_list<std::pair<int, QString>> samples);

// Gives a button whose text changes ("Pause"/"Resume") the width of the widest of its texts,
// so that the widgets after it on a tool bar do not move when it changes.
void reserveWidthForTexts(QAbstractButton& button, std::initializer_list<QString> texts);

} // namespace portscope::gui
