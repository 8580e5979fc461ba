// portscope: the desktop program. No argument monitors this computer; a file argument plays
// a recorded session.

#include "main_window.h"
#include "system_actions.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("PortScope"));
    QCoreApplication::setApplicationName(QStringLiteral("portscope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PORTSCOPE_VERSION));
    QApplication::setApplicationDisplayName(QStringLiteral("PortScope"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Processes, their connections and their traffic."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("recording"),
        QCoreApplication::translate("main", "A recorded session to play instead of monitoring "
                                            "this computer."),
        QStringLiteral("[recording]"));
    parser.process(app);
    const QStringList arguments = parser.positionalArguments();
    if (arguments.size() > 1) {
        parser.showHelp(2);
    }

    portscope::gui::MainWindow window(portscope::gui::SystemActions::platformActions());
    window.show();
    const bool started =
        arguments.isEmpty() ? window.openLiveSource() : window.openReplayFile(arguments.front());
    if (!started && !arguments.isEmpty()) {
        return 2; // the reason was shown in a message box
    }
    return QApplication::exec();
}
