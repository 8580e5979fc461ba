// portscope: the desktop program. No argument monitors this computer; a file argument plays
// a recorded session; --ssh HOST shows another machine. Started by ssh as its SSH_ASKPASS
// program, it asks the one question ssh passes and prints the answer.

#include "allocator_tuning.h"
#include "askpass.h"
#include "language.h"
#include "main_window.h"
#include "portscope/platform/process_privileges.h"
#include "portscope/platform/ssh_remote.h"
#include "portscope/platform/system.h"
#include "remote_controller.h"
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
    portscope::gui::InstalledTranslations translations;
    translations.install(portscope::gui::localeForSetting(portscope::gui::languageSetting()));
    if (portscope::gui::startedAsAskpass()) {
        return portscope::gui::runAskpass(argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString());
    }

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
    const QCommandLineOption sshOption(
        QStringLiteral("ssh"),
        QCoreApplication::translate("main", "Show another machine, reached over SSH."),
        QStringLiteral("[user@]host[:port]"));
    const QCommandLineOption sshConfigOption(
        QStringLiteral("ssh-config"), QCoreApplication::translate("main", "Pass -F FILE to ssh."),
        QStringLiteral("file"));
    const QCommandLineOption sshOptionOption(
        QStringLiteral("ssh-option"),
        QCoreApplication::translate("main", "Pass -o KEY=VALUE to ssh (repeatable)."),
        QStringLiteral("key=value"));
    const QCommandLineOption sshHelperOption(
        QStringLiteral("ssh-helper"),
        QCoreApplication::translate("main", "The path of portscope-helper on the remote machine."),
        QStringLiteral("path"));
    const QCommandLineOption sshSudoOption(
        QStringLiteral("ssh-sudo"),
        QCoreApplication::translate("main", "Start the remote helper through sudo -n."));
    parser.addOptions(
        {sshOption, sshConfigOption, sshOptionOption, sshHelperOption, sshSudoOption});
    parser.process(app);
    const QStringList arguments = parser.positionalArguments();
    if (arguments.size() > 1) {
        parser.showHelp(2);
    }

    portscope::gui::MainWindow window(portscope::gui::SystemActions::platformActions());
    // The target is left to connectToRemote(): the dialog's defaults hold none.
    portscope::platform::SshCommandLine sshGiven;
    if (parser.isSet(sshConfigOption)) {
        sshGiven.configFile = parser.value(sshConfigOption).toStdString();
    }
    for (const QString& option : parser.values(sshOptionOption)) {
        sshGiven.options.push_back(option.toStdString());
    }
    if (parser.isSet(sshHelperOption)) {
        sshGiven.helperPath = parser.value(sshHelperOption).toStdString();
    }
    sshGiven.sudo = parser.isSet(sshSudoOption);
    portscope::platform::SshLaunch sshDefaults = window.remote()->defaults();
    if (const auto problem = portscope::platform::applySshCommandLine(sshGiven, sshDefaults);
        !problem.empty()) {
        std::fprintf(stderr, "portscope: %s\n", problem.c_str());
        return 2;
    }
    window.remote()->setDefaults(std::move(sshDefaults));
    window.show();
    if (parser.isSet(sshOption)) {
        QString error;
        if (!arguments.isEmpty() || !window.connectToRemote(parser.value(sshOption), &error)) {
            std::fprintf(
                stderr, "portscope: --ssh: %s\n",
                (error.isEmpty() ? QStringLiteral("give either --ssh or a recording") : error)
                    .toLocal8Bit()
                    .constData());
            return 2;
        }
        return QApplication::exec();
    }
    const bool started =
        arguments.isEmpty() ? window.openLiveSource() : window.openReplayFile(arguments.front());
    if (!started && !arguments.isEmpty()) {
        return 2; // the reason was shown in a message box
    }
    return QApplication::exec();
}
