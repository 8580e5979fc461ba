// portscope: the desktop program. No argument monitors this computer; a file argument plays
// a recorded session.

#include "allocator_tuning.h"
#include "main_window.h"
#include "portscope/platform/process_privileges.h"
#include "portscope/platform/system.h"
#include "system_actions.h"

#include <QApplication>
#include <QCommandLineParser>
#include <cstdio>

int main(int argc, char** argv) {
    // Before QApplication: constructing it loads plugins from wherever the caller points Qt,
    // and with capabilities that would run the caller's code with them. Qt refuses setuid
    // itself, but not file capabilities. No translation is loaded yet; translate() still
    // marks the text for translators.
    if (const auto problem = portscope::platform::inheritedPrivilegeProblem(); !problem.empty()) {
        const QString message = QCoreApplication::translate(
            "main",
            "portscope: refusing to start: %1. Any user who can run this program could use "
            "these privileges through it. Remove them from the program file (for example "
            "sudo setcap -r \"$(command -v portscope)\") and use \"Show all processes "
            "(administrator)…\" instead, which starts portscope-helper through pkexec after "
            "asking for authorization.\n");
        std::fputs(message.arg(QString::fromStdString(problem)).toLocal8Bit().constData(), stderr);
        return 1;
    }
    portscope::platform::installLargeBufferAdvice();
    portscope::gui::returnLargeBlocksToTheSystem();
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
