#include "about_dialog.h"

#include "rich_text.h"

#include <QCoreApplication>
#include <QMessageBox>
#include <QSettings>
#include <QString>
#include <QSysInfo>
#include <QWidget>
#include <QtGlobal>

namespace portscope::gui {

QString aboutText(const QString& sourceDescription) {
    const QString settingsFile = QSettings().fileName();
    return QCoreApplication::translate("AboutDialog", "<h3>PortScope %1</h3>")
               .arg(QStringLiteral(PORTSCOPE_VERSION)) +
           QCoreApplication::translate(
               "AboutDialog",
               "<p>Every process with its TCP and UDP connections, live: endpoints, state, owner, "
               "traffic and a graph. PortScope names what looks wrong in plain words — a worm "
               "fanning out, a SYN flood, a program posing as a system one — lets you end the "
               "process safely, and exports the evidence for a ticket.</p>") +
           QCoreApplication::translate("AboutDialog",
                                       "<p>Shown now: %1<br>Computer: %2 (%3)<br>Qt %4 (built with "
                                       "%5)<br>Settings: %6</p>")
               // Inside the paragraph: escaped only, as a <qt> of their own would start new lines.
               .arg(escapedForRichText(sourceDescription),
                    escapedForRichText(QSysInfo::machineHostName()),
                    escapedForRichText(QSysInfo::prettyProductName()),
                    QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR),
                    escapedForRichText(settingsFile)) +
           QCoreApplication::translate(
               "AboutDialog",
               "<p>Help › Filter syntax lists the filter language. The guide that comes with "
               "PortScope walks through a helpdesk case step by step; the command-line "
               "program <tt>portscope-cli</tt> does the same from a terminal and a script.</p>");
}

void showAboutDialog(QWidget* parent, const QString& sourceDescription) {
    QMessageBox::about(parent, QCoreApplication::translate("AboutDialog", "About PortScope"),
                       aboutText(sourceDescription));
}

} // namespace portscope::gui
