#include "list_keyboard.h"

#include <QEvent>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLineEdit>
#include <QTreeView>

namespace portscope::gui {

namespace {

bool isPlain(const QKeyEvent* key, Qt::Key wanted) {
    return key->key() == wanted &&
           (key->modifiers() & ~Qt::KeypadModifier) == Qt::KeyboardModifiers();
}

} // namespace

ListKeyboard::ListKeyboard(QLineEdit* filter, std::function<QTreeView*()> activeList,
                           QObject* parent)
    : QObject(parent), filter_(filter), activeList_(std::move(activeList)) {
    filter_->installEventFilter(this);
}

void ListKeyboard::addList(QTreeView* list) {
    list->installEventFilter(this);
}

bool ListKeyboard::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::KeyPress && watched == filter_ &&
        isPlain(static_cast<QKeyEvent*>(event), Qt::Key_Down)) {
        enterList();
        return true;
    }
    if (event->type() == QEvent::ShortcutOverride && watched != filter_ &&
        isPlain(static_cast<QKeyEvent*>(event), Qt::Key_Space)) {
        // Accepting the override gives the key to the list, not to a shortcut.
        event->accept();
        return true;
    }
    return QObject::eventFilter(watched, event);
}

void ListKeyboard::enterList() {
    QTreeView* list = activeList_();
    if (list == nullptr || list->model() == nullptr) {
        return;
    }
    QItemSelectionModel* selection = list->selectionModel();
    if (!selection->hasSelection() && list->model()->rowCount() > 0) {
        const QModelIndex first = list->model()->index(0, 0);
        selection->setCurrentIndex(first,
                                   QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        list->scrollTo(first);
    }
    list->setFocus(Qt::TabFocusReason);
}

} // namespace portscope::gui
