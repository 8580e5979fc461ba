// Help › About: the box's rich text keeps the facts on one line each and shows hostile text
// (a host or source name) literally.

#include "about_dialog.h"

#include <QSysInfo>
#include <QTextDocument>
#include <gtest/gtest.h>

namespace portscope::gui {
namespace {

// The text as the user reads it.
QString shownText(const QString& richText) {
    QTextDocument document;
    document.setHtml(richText);
    return document.toPlainText();
}

TEST(AboutBox, EachFactSitsOnOneLineAfterItsLabel) {
    const QString shown = shownText(aboutText(QStringLiteral("Live — all processes")));
    EXPECT_TRUE(shown.contains(QStringLiteral("Shown now: Live — all processes\n")))
        << shown.toStdString();
    EXPECT_TRUE(shown.contains(QStringLiteral("\nComputer: ") + QSysInfo::machineHostName() +
                               QStringLiteral(" (") + QSysInfo::prettyProductName() +
                               QStringLiteral(")\n")))
        << shown.toStdString();
    EXPECT_TRUE(shown.contains(QStringLiteral("\nSettings: /"))) << shown.toStdString();
}

TEST(AboutBox, ASourceNameIsShownLiterally) {
    const QString hostile = QStringLiteral("<b>evil</b> & <img src=x>");
    const QString shown = shownText(aboutText(hostile));
    EXPECT_TRUE(shown.contains(QStringLiteral("Shown now: ") + hostile + QLatin1Char('\n')))
        << shown.toStdString();
}

} // namespace
} // namespace portscope::gui
