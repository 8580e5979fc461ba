#include "show_switches.h"

#include <QAction>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>

namespace portscope::gui {

ShowSwitches::ShowSwitches(std::span<QAction* const> actions, QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("showSwitches"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 0, 0, 0);
    layout->setSpacing(10);
    layout->addWidget(new QLabel(tr("Show:"), this));
    for (QAction* action : actions) {
        auto* box = new QCheckBox(action->text(), this);
        QString name = action->objectName();
        name.replace(QLatin1String("toggle_"), QLatin1String("switch_"));
        box->setObjectName(name);
        box->setToolTip(action->toolTip());
        box->setChecked(action->isChecked());
        // Each side follows the other; setChecked() with the same value does not signal
        // again, so the pair settles at once.
        connect(box, &QCheckBox::toggled, action, &QAction::setChecked);
        connect(action, &QAction::toggled, box, &QCheckBox::setChecked);
        layout->addWidget(box);
    }
}

} // namespace portscope::gui
