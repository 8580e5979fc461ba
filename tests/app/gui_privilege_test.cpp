// "Show all processes (administrator)…": offered only without administrator rights, started
// off the GUI thread, and once the helper runs the window reads the system and kills through
// it. The tests start the real portscope-helper without pkexec (no one can answer a polkit
// dialog here); who runs the tests does not matter, because whether the window counts as
// administrator is injected.

#include "connection_filter_proxy.h"
#include "gui_test_support.h"
#include "gui_window_fixture.h"
#include "main_window.h"
#include "monitor_session.h"
#include "portscope/core/engine.h"
#include "portscope/core/replay.h"
#include "privileges.h"
#include "process_tree_model.h"
#include "system_actions.h"

#include <QAction>
#include <QFile>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeView>
#include <arpa/inet.h>
#include <csignal>
#include <gtest/gtest.h>
#include <mutex>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace portscope::gui {
namespace {

using namespace testing;

const core::ProcessKey kWeb{4321, 987654};

// The user-level actions; the tests check that none of them is used once the helper runs.
struct UserActions {
    std::mutex mutex;
    int calls = 0;

    SystemActions actions() {
        SystemActions a;
        a.killProcess = [this](const core::ProcessKey&) {
            std::lock_guard lock(mutex);
            ++calls;
            return platform::ActionResult{platform::ActionStatus::PermissionDenied, "user kill"};
        };
        a.closeConnection = [this](const core::Socket&) {
            std::lock_guard lock(mutex);
            ++calls;
            return platform::ActionResult{platform::ActionStatus::PermissionDenied, "user close"};
        };
        return a;
    }
    int count() {
        std::lock_guard lock(mutex);
        return calls;
    }
};

// A scripted snapshot with one socket whose owner the user may not see.
core::Snapshot withHiddenOwner() {
    std::vector<core::Socket> sockets{tcpListener(1, 8080, kWeb),
                                      tcpSocket(9, "10.0.0.2", 22, "10.0.0.3", 5000)};
    sockets.back().ownerStatus = core::OwnerStatus::PermissionDenied;
    return snapshotAt(0, sockets, {process(kWeb.pid, kWeb.startTime, "nginx")});
}

PrivilegeOptions privileges(bool administrator) {
    PrivilegeOptions options;
    options.runningAsAdministrator = [administrator] { return administrator; };
#ifdef PORTSCOPE_HELPER_PATH
    options.helperLaunch.helperPath = PORTSCOPE_HELPER_PATH;
#endif
    options.helperLaunch.elevate = false;
    options.helperLaunch.handshakeTimeout = std::chrono::seconds(20);
    return options;
}

// A child process of the test that listens on a loopback port and waits to be killed.
class ListeningChild {
public:
    ListeningChild() {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
            ::listen(fd, 1) != 0 ||
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
            return;
        }
        port_ = ntohs(address.sin_port);
        pid_ = ::fork();
        if (pid_ == 0) {
            // Only async-signal-safe calls between fork and exit: the test has threads.
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            for (;;) {
                ::pause();
            }
        }
        ::close(fd); // from now on the child alone owns the listener
    }
    ~ListeningChild() {
        if (pid_ > 0 && !reaped_) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    pid_t pid() const { return pid_; }
    std::uint16_t port() const { return port_; }
    // The signal that ended the child, once it has ended within the timeout; 0 otherwise.
    int waitForSignal(int timeoutMs) {
        for (int waited = 0; waited < timeoutMs; waited += 20) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                reaped_ = true;
                return WIFSIGNALED(status) ? WTERMSIG(status) : -1;
            }
            QTest::qWait(20);
        }
        return 0;
    }

private:
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
    bool reaped_ = false;
};

class PrivilegeTest : public WindowFixture {
protected:
    void SetUp() override {
        QSettings().clear();
        window = std::make_unique<MainWindow>(user.actions());
        window->setIntervalMs(250);
        window->show();
        script = std::make_shared<Script>();
        script->setSteady(withHiddenOwner());
    }

    // Waits for an update whose snapshot came from a source named like `name`.
    bool waitForSource(const std::string& name, int timeoutMs = 15000) {
        return waitFor(
            [&] {
                return window->latestUpdate() &&
                       window->latestUpdate()->sourceName.find(name) != std::string::npos;
            },
            timeoutMs);
    }

    UserActions user;
};

// The status bar says in plain words what the view covers, and the title names the machine.
TEST_F(PrivilegeTest, TheStatusBarSaysWhoseProcessesAreShownAndTheTitleNamesTheHost) {
    window->setPrivilegeOptions(privileges(false));
    start();
    auto* source = child<QLabel>("statusSource");
    EXPECT_EQ(source->text(), QStringLiteral("Live — your processes only"));
    EXPECT_TRUE(source->toolTip().contains(QStringLiteral("scripted"))) << "the technical name";
    EXPECT_EQ(window->windowTitle(),
              QStringLiteral("%1 (this computer)").arg(QSysInfo::machineHostName()));

    window->setPrivilegeOptions(privileges(true));
    start();
    EXPECT_EQ(source->text(), QStringLiteral("Live — all processes"));
}

TEST_F(PrivilegeTest, NothingIsOfferedToAnAdministrator) {
    window->setPrivilegeOptions(privileges(true));
    start();
    // start() waited for the first update, which decided about the banner.
    auto* banner = child<QLabel>("warningBanner");
    EXPECT_FALSE(child<QAction>("administratorAction")->isVisible());
    EXPECT_FALSE(child<QPushButton>("bannerAdministratorButton")->isVisible());
    EXPECT_FALSE(banner->isVisible()); // one hidden owner, and no warning to show
}

TEST_F(PrivilegeTest, WithoutPrivilegesTheBannerOffersTheHelper) {
    window->setPrivilegeOptions(privileges(false));
    start();
    auto* banner = child<QLabel>("warningBanner");
    ASSERT_TRUE(waitFor([&] { return banner->isVisible(); }));
    EXPECT_TRUE(banner->text().contains(QStringLiteral("The owner of one socket is hidden")));
    EXPECT_TRUE(banner->text().contains(QStringLiteral("Show all processes (administrator)…")));
    // File capabilities would hand the privileges to every user; the helper is the only way.
    EXPECT_FALSE(banner->text().contains(QStringLiteral("setcap"))) << banner->text().toStdString();
    auto* button = child<QPushButton>("bannerAdministratorButton");
    EXPECT_TRUE(button->isVisible());
    EXPECT_TRUE(button->isEnabled());
    EXPECT_EQ(button->text(), QStringLiteral("Show all processes (administrator)…"));
    EXPECT_TRUE(child<QAction>("administratorAction")->isVisible());
}

TEST_F(PrivilegeTest, AFailedLaunchSaysWhyAndKeepsMonitoring) {
    PrivilegeOptions options = privileges(false);
    options.helperLaunch.elevate = true;
    options.helperLaunch.pkexecPath = "/nonexistent/pkexec";
    window->setPrivilegeOptions(options);
    start();
    QSignalSpy finished(window.get(), &MainWindow::elevationFinished);
    child<QAction>("administratorAction")->trigger();
    ASSERT_TRUE(waitFor([&] { return finished.count() == 1; }));
    EXPECT_FALSE(finished.at(0).at(0).toBool());
    const QString reason = finished.at(0).at(1).toString();
    EXPECT_TRUE(reason.contains(QStringLiteral("/nonexistent/pkexec was not found")))
        << reason.toStdString();
    EXPECT_TRUE(reason.contains(QStringLiteral("'pkexec' package"))) << reason.toStdString();
    EXPECT_EQ(child<QLabel>("actionMessage")->text(), reason);
    // Said once, in full, where it stays: not again, cut short, in the status bar.
    EXPECT_TRUE(window->statusBar()->currentMessage().isEmpty())
        << window->statusBar()->currentMessage().toStdString();
    EXPECT_FALSE(window->usingHelper());
    EXPECT_EQ(window->session()->engine().sourceName(), "scripted");
    EXPECT_TRUE(child<QAction>("administratorAction")->isEnabled()); // may be tried again
    const std::uint64_t before = window->latestUpdate()->sequence;
    EXPECT_TRUE(waitFor([&] { return window->latestUpdate()->sequence > before; }));
}

#ifdef PORTSCOPE_HELPER_PATH

TEST_F(PrivilegeTest, SwitchesToTheHelperAndKillsThroughIt) {
    window->setPrivilegeOptions(privileges(false));
    start();
    ListeningChild target;
    ASSERT_GT(target.pid(), 0);

    // A recording that runs across the switch keeps going in the same file.
    QTemporaryDir dir;
    const QString recording = dir.filePath(QStringLiteral("switch.psreplay"));
    QString error;
    ASSERT_TRUE(window->startRecording(recording, &error)) << error.toStdString();

    QSignalSpy finished(window.get(), &MainWindow::elevationFinished);
    auto* button = child<QPushButton>("bannerAdministratorButton");
    ASSERT_TRUE(waitFor([&] { return button->isVisible(); }));
    button->click();
    // The launch runs on a thread of its own: the window goes on updating meanwhile.
    EXPECT_FALSE(child<QAction>("administratorAction")->isEnabled());
    ASSERT_TRUE(waitFor([&] { return finished.count() == 1; }, 20000));
    ASSERT_TRUE(finished.at(0).at(0).toBool()) << finished.at(0).at(1).toString().toStdString();
    EXPECT_TRUE(window->usingHelper());
    ASSERT_TRUE(waitForSource("portscope-helper"));
    EXPECT_EQ(child<QLabel>("statusSource")->text(), QStringLiteral("Live — all processes"));
    EXPECT_FALSE(child<QAction>("administratorAction")->isEnabled());
    EXPECT_TRUE(window->isRecording());

    // The helper's snapshots name the owner of the child's listener.
    core::ProcessKey owner;
    ASSERT_TRUE(waitFor([&] {
        for (const auto& connection : window->latestUpdate()->connections) {
            if (connection.socket.local.port == target.port() &&
                connection.socket.state == core::SocketState::Listen) {
                owner = connection.socket.owner;
            }
        }
        return owner.valid();
    }));
    EXPECT_EQ(owner.pid, target.pid());

    // Kill it from the window: the helper does it, not the user-level actions.
    window->setGrouped(true);
    const QModelIndex index =
        window->activeProxy()->mapFromSource(window->treeModel()->indexOfProcess(owner));
    ASSERT_TRUE(index.isValid());
    window->activeView()->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    auto* answer = new QTimer(window.get());
    answer->setInterval(20);
    QObject::connect(answer, &QTimer::timeout, answer, [answer] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (box != nullptr && box->objectName() == QLatin1String("killConfirmation")) {
            answer->stop();
            box->findChild<QPushButton*>(QStringLiteral("confirmKillButton"))->click();
        }
    });
    answer->start();
    QSignalSpy completed(window.get(), &MainWindow::actionCompleted);
    window->killSelectedProcess();
    ASSERT_TRUE(waitFor([&] { return completed.count() == 1; }, 15000));
    EXPECT_TRUE(completed.at(0).at(0).toBool()) << completed.at(0).at(1).toString().toStdString();
    EXPECT_EQ(target.waitForSignal(5000), SIGTERM);
    EXPECT_EQ(user.count(), 0);

    window->stopRecording();
    core::ReplayReader reader(recording.toStdString());
    bool sawScripted = false;
    bool sawHelper = false;
    while (auto snapshot = reader.poll()) {
        sawScripted |= snapshot->sourceName == "scripted";
        sawHelper |= snapshot->sourceName.find("portscope-helper") != std::string::npos;
    }
    EXPECT_EQ(reader.error(), "");
    EXPECT_TRUE(sawScripted);
    EXPECT_TRUE(sawHelper);
}

TEST_F(PrivilegeTest, FallsBackToTheUserViewWhenTheHelperDies) {
    window->setPrivilegeOptions(privileges(false));
    start();
    QSignalSpy finished(window.get(), &MainWindow::elevationFinished);
    window->requestAdministratorRights();
    ASSERT_TRUE(waitFor([&] { return finished.count() == 1; }, 20000));
    ASSERT_TRUE(finished.at(0).at(0).toBool()) << finished.at(0).at(1).toString().toStdString();
    ASSERT_TRUE(waitForSource("portscope-helper"));

    // The helper is a child of this process (launched without pkexec): end it. Its PID is in
    // the source's name, "portscope-helper (root, PID 123)".
    const std::string name = window->session()->engine().sourceName();
    const auto at = name.find("PID ");
    ASSERT_NE(at, std::string::npos) << name;
    const pid_t helper = static_cast<pid_t>(std::stol(name.substr(at + 4)));
    QFile status(QStringLiteral("/proc/%1/status").arg(helper));
    ASSERT_TRUE(status.open(QIODevice::ReadOnly));
    EXPECT_TRUE(
        status.readAll().contains(QByteArray("\nPPid:\t") + QByteArray::number(::getpid()) + '\n'));
    ASSERT_GT(helper, 0);
    ASSERT_EQ(::kill(helper, SIGKILL), 0);

    auto* message = child<QLabel>("actionMessage");
    ASSERT_TRUE(waitFor([&] { return !window->usingHelper(); }, 15000));
    EXPECT_TRUE(message->text().contains(QStringLiteral("The administrator helper stopped")))
        << message->text().toStdString();
    // Monitoring goes on with the user-level live source, and the action is offered again.
    ASSERT_TRUE(window->session() != nullptr);
    EXPECT_TRUE(window->session()->engine().sourceIsLive());
    EXPECT_EQ(window->session()->engine().sourceName().find("portscope-helper"), std::string::npos);
    EXPECT_TRUE(child<QAction>("administratorAction")->isEnabled());
}

#endif

} // namespace
} // namespace portscope::gui
