#pragma once

class QString;
class QWidget;

namespace portscope::gui {

// Help › About: what PortScope is, which version and Qt it runs with, where it reads the
// system from, where its settings live and where to read more.
void showAboutDialog(QWidget* parent, const QString& sourceDescription);
// The box's rich text.
QString aboutText(const QString& sourceDescription);

} // namespace portscope::gui
