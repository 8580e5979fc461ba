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

void showAboutDialog(QWidget* parent, const QString& sourceDescription) {
    const QString settingsFile = QSettings().fileName();
    const QString text =
        QCoreApplication::translate("AboutDialog", "<h3>PortScope %1</h3>")
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
            .arg(literalRichText(sourceDescription), literalRichText(QSysInfo::machineHostName()),
                 literalRichText(QSysInfo::prettyProductName()), QString::fromLatin1(qVersion()),
                 QStringLiteral(QT_VERSION_STR), literalRichText(settingsFile)) +
        QCoreApplication::translate(
            "AboutDialog",
            "<p>Help › Filter syntax lists the filter language. The guide that comes with "
            "PortScope walks through a helpdesk case step by step; the command-line "
            "program <tt>portscope-cli</tt> does the same from a terminal and a script.</p>");
    QMessageBox::about(parent, QCoreApplication::translate("AboutDialog", "About PortScope"), text);
}

} // namespace portscope::gui
