#pragma once
// The Show switches next to the filter bar as check boxes, so that on and off read at a
// glance (a flat tool button looked the same either way). Each box mirrors a checkable
// action, which the View › Show menu and the settings use too.

#include <QWidget>
#include <span>

QT_BEGIN_NAMESPACE
class QAction;
QT_END_NAMESPACE

namespace portscope::gui {

class ShowSwitches final : public QWidget {
    Q_OBJECT
public:
    // One box per action, named after it ("toggle_udp" gets "switch_udp").
    ShowSwitches(std::span<QAction* const> actions, QWidget* parent);
};

} // namespace portscope::gui
