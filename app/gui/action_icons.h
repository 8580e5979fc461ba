#pragma once
// Icons for actions that neither Qt's styles nor icon themes reliably provide.

#include <QIcon>

QT_BEGIN_NAMESPACE
class QStyle;
QT_END_NAMESPACE

namespace portscope::gui {

// The red dot that media programs use for "record".
QIcon recordIcon();
// The shield that marks actions needing administrator rights: the style's or the theme's
// where they have one, else drawn.
QIcon shieldIcon(const QStyle* style);

} // namespace portscope::gui
