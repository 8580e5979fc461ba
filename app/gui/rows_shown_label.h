#pragma once
// "12 of 180 processes shown" in the filter bar while the filter or a Show switch hides rows,
// empty when every row shows. Its width is fixed, so that the bar and the list below never
// move as the numbers change.

#include <QLabel>
#include <QList>
#include <QMetaObject>

namespace portscope::gui {

class ConnectionFilterProxy;

class RowsShownLabel final : public QLabel {
    Q_OBJECT
public:
    enum class Rows { Processes, Connections };

    explicit RowsShownLabel(QWidget* parent = nullptr);

    // Counts the top-level rows of `proxy` against its model's from now on; each is a
    // process in the tree, a connection in the flat table.
    void watch(ConnectionFilterProxy* proxy, Rows rows);

private:
    void refresh();
    QString textFor(int shown, int total) const;

    ConnectionFilterProxy* proxy_ = nullptr;
    Rows rows_ = Rows::Connections;
    QList<QMetaObject::Connection> connections_;
};

} // namespace portscope::gui
