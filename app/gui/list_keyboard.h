#pragma once
// The keys between the filter box and the list: Down in the filter box moves into the list
// (selecting its first row when none is), and Space in the list selects rows as in any list
// instead of triggering the window's Pause shortcut, which keeps Space everywhere else.

#include <QObject>
#include <functional>

QT_BEGIN_NAMESPACE
class QLineEdit;
class QTreeView;
QT_END_NAMESPACE

namespace portscope::gui {

class ListKeyboard final : public QObject {
    Q_OBJECT
public:
    // `activeList` names the list shown now (the tree or the flat table).
    ListKeyboard(QLineEdit* filter, std::function<QTreeView*()> activeList, QObject* parent);

    // Space in `list` stays with the list.
    void addList(QTreeView* list);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void enterList();

    QLineEdit* filter_;
    std::function<QTreeView*()> activeList_;
};

} // namespace portscope::gui
