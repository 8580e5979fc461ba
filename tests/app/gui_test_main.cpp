// The GUI tests' main(): a QApplication around GoogleTest, offscreen when there is no
// display, with settings and runtime files in fresh temporary directories. Built with
// PORTSCOPE_TESTS_LOCALE ("ja_JP.UTF-8"), it sets LC_ALL and LANGUAGE to that locale before
// Qt reads them and installs the translations for the system locale as portscope's main()
// does (the Japanese suite); otherwise the GUI speaks English.

#include "language.h"

#include <QApplication>
#include <QDir>
#include <QTemporaryDir>
#include <cstdio>
#include <cstdlib>
#include <gtest/gtest.h>

namespace {

QtMessageHandler defaultHandler = nullptr;

// The offscreen platform reports every window it cannot resize the native way; that says
// nothing about the code under test and buries real warnings.
void quieterMessages(QtMsgType type, const QMessageLogContext& context, const QString& message) {
    if (message.contains(QLatin1String("does not support propagateSizeHints"))) {
        return;
    }
    defaultHandler(type, context, message);
}

} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY") &&
        qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    // QSettings and Qt's runtime files must not touch the user's own.
    QTemporaryDir scratch(QDir::tempPath() + QStringLiteral("/portscope-gui-tests-XXXXXX"));
    if (!scratch.isValid()) {
        return 1;
    }
    const QString runtime = scratch.filePath(QStringLiteral("runtime"));
    QDir().mkpath(runtime);
    QFile::setPermissions(runtime,
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(runtime));
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(scratch.filePath(QStringLiteral("config"))));

#ifdef PORTSCOPE_TESTS_LOCALE
    qputenv("LC_ALL", PORTSCOPE_TESTS_LOCALE);
    qputenv("LANGUAGE", QByteArray(PORTSCOPE_TESTS_LOCALE).left(2));
#endif
    defaultHandler = qInstallMessageHandler(quieterMessages);
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("PortScopeTests"));
    QCoreApplication::setApplicationName(QStringLiteral("portscope-gui-tests"));
#ifdef PORTSCOPE_TESTS_LOCALE
    portscope::gui::InstalledTranslations translations;
    if (!translations.install(
            portscope::gui::localeForSetting(portscope::gui::languageSetting()))) {
        std::fprintf(stderr, "no translation for the system locale %s\n",
                     qPrintable(QLocale::system().name()));
        return 1;
    }
#endif
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
