// The GUI tests' main(): a QApplication around GoogleTest, offscreen when there is no
// display, with settings and runtime files in fresh temporary directories.

#include <QApplication>
#include <QDir>
#include <QTemporaryDir>
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

    defaultHandler = qInstallMessageHandler(quieterMessages);
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("PortScopeTests"));
    QCoreApplication::setApplicationName(QStringLiteral("portscope-gui-tests"));
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
