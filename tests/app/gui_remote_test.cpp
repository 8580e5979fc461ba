// The window on a remote machine over SSH, for real: sshd in a network namespace of the
// test's own (ssh_server.h) and the just-built portscope-helper there. The window shows
// that machine's listener, names the host in its title, status bar and exports, marks its
// view stale when the connection drops, and comes back with Reconnect.

#include "askpass.h"
#include "gui_test_support.h"
#include "main_window.h"
#include "portscope/core/update.h"
#include "portscope/platform/helper_client.h"
#include "remote_controller.h"
#include "ssh_server.h"
#include "system_actions.h"
#include "test_process.h"

#include <QAction>
#include <QFile>
#include <QFrame>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTreeView>
#include <gtest/gtest.h>
#include <memory>
#include <unistd.h>

namespace portscope::gui {
namespace {

using namespace testing;

constexpr std::uint16_t kRemoteOnlyPort = 47312;

bool showsListener(const core::Update& update, std::uint16_t port) {
    for (const auto& connection : update.connections) {
        if (connection.socket.local.port == port &&
            connection.socket.state == core::SocketState::Listen) {
            return true;
        }
    }
    return false;
}

class RemoteWindowTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (::geteuid() != 0) {
            GTEST_SKIP() << "needs root: the test creates a network namespace and runs sshd";
        }
        server = std::make_unique<portscope::testing::SshServer>();
        listener = server->startListenerInside(kRemoteOnlyPort);
        window = std::make_unique<MainWindow>(SystemActions{});
        platform::SshLaunch defaults = window->remote()->defaults();
        defaults.configFile = server->clientConfig();
        defaults.remoteHelperPath = PORTSCOPE_HELPER_PATH;
        defaults.batchMode = true; // nobody answers a prompt here
        window->remote()->setDefaults(defaults);
    }
    void TearDown() override {
        window.reset();
        server.reset();
    }

    bool waitForListener(int timeoutMs = 20000) {
        return waitFor(
            [&] {
                return window->latestUpdate() &&
                       showsListener(*window->latestUpdate(), kRemoteOnlyPort);
            },
            timeoutMs);
    }

    std::unique_ptr<portscope::testing::SshServer> server;
    pid_t listener = -1;
    std::unique_ptr<MainWindow> window;
};

TEST_F(RemoteWindowTest, ShowsTheRemoteMachineAndNamesItEverywhere) {
    QSignalSpy finished(window.get(), &MainWindow::remoteFinished);
    ASSERT_TRUE(window->connectToRemote(QString::fromStdString(server->target())));
    ASSERT_TRUE(waitFor([&] { return finished.count() == 1; }, 30000));
    ASSERT_TRUE(finished.at(0).at(0).toBool()) << finished.at(0).at(1).toString().toStdString();
    ASSERT_TRUE(waitForListener());

    EXPECT_EQ(window->windowTitle(), QStringLiteral("127.0.0.1:2222 (remote, over SSH)"));
    auto* source = window->findChild<QLabel*>(QStringLiteral("statusSource"));
    ASSERT_NE(source, nullptr);
    EXPECT_EQ(source->text(), QStringLiteral("Remote 127.0.0.1:2222 — all processes"));

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("remote.csv"));
    QString error;
    ASSERT_TRUE(window->exportTo(path, ExportFormat::Csv, &error)) << error.toStdString();
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QString csv = QString::fromUtf8(file.readAll());
    const QString firstLine = csv.left(csv.indexOf(QLatin1Char('\n')));
    EXPECT_TRUE(firstLine.startsWith(QStringLiteral("\"# host: 127.0.0.1:2222 (remote, over SSH)")))
        << csv.left(200).toStdString();
    EXPECT_TRUE(csv.contains(QString::number(kRemoteOnlyPort)));

    // Kill goes to the remote machine, with the start time that machine reported.
    core::ProcessKey key;
    for (const auto& process : window->latestUpdate()->processes) {
        if (process.process.key.pid == listener) {
            key = process.process.key;
        }
    }
    ASSERT_TRUE(key.valid()) << "the remote listener's owner is listed";
    const auto refused = window->remote()->actions().killProcess({key.pid, key.startTime + 1});
    EXPECT_EQ(refused.status, platform::ActionStatus::ProcessChanged) << refused.message;
    const auto result = window->remote()->actions().killProcess(key);
    EXPECT_TRUE(result.ok()) << result.message;
    EXPECT_TRUE(portscope::testing::waitChildExit(listener, std::chrono::seconds(10)));
}

TEST_F(RemoteWindowTest, ADroppedConnectionKeepsTheLastDataMarkedStaleAndReconnects) {
    QSignalSpy finished(window.get(), &MainWindow::remoteFinished);
    ASSERT_TRUE(window->connectToRemote(QString::fromStdString(server->target())));
    ASSERT_TRUE(waitFor([&] { return finished.count() == 1; }, 30000));
    ASSERT_TRUE(waitForListener());

    ASSERT_GT(server->dropConnections(), 0);
    ASSERT_TRUE(waitFor([&] { return window->remote()->stale(); }, 20000));
    EXPECT_TRUE(window->latestUpdate() && showsListener(*window->latestUpdate(), kRemoteOnlyPort))
        << "the last data stays on screen";
    EXPECT_EQ(window->windowTitle(), QStringLiteral("127.0.0.1:2222 (remote, connection lost)"));
    auto* source = window->findChild<QLabel*>(QStringLiteral("statusSource"));
    EXPECT_EQ(source->text(), QStringLiteral("Stale — connection to 127.0.0.1:2222 lost"));
    QFrame* notice = window->remote()->notice();
    EXPECT_FALSE(notice->isHidden());
    auto* text = notice->findChild<QLabel*>(QStringLiteral("remoteNoticeText"));
    ASSERT_NE(text, nullptr);
    EXPECT_TRUE(text->text().contains(QStringLiteral("was lost"))) << text->text().toStdString();
    // Nothing acts on a view whose machine is out of reach: the actions say to reconnect.
    QTreeView* view = window->activeView();
    view->setCurrentIndex(view->model()->index(0, 0));
    QCoreApplication::processEvents();
    for (const char* name : {"killAction", "closeConnectionAction", "captureAction"}) {
        auto* action = window->findChild<QAction*>(QString::fromLatin1(name));
        ASSERT_NE(action, nullptr) << name;
        EXPECT_FALSE(action->isEnabled()) << name;
    }
    EXPECT_TRUE(window->findChild<QAction*>(QStringLiteral("killAction"))
                    ->toolTip()
                    .contains(QStringLiteral("reconnect")));

    QPushButton* reconnect = window->remote()->reconnectButton();
    ASSERT_TRUE(reconnect->isEnabled());
    reconnect->click();
    ASSERT_TRUE(waitFor([&] { return finished.count() == 2; }, 30000));
    EXPECT_TRUE(finished.at(1).at(0).toBool()) << finished.at(1).at(1).toString().toStdString();
    EXPECT_FALSE(window->remote()->stale());
    EXPECT_TRUE(notice->isHidden());
    EXPECT_TRUE(waitForListener());
    EXPECT_EQ(window->windowTitle(), QStringLiteral("127.0.0.1:2222 (remote, over SSH)"));
}

TEST_F(RemoteWindowTest, AnUnknownHostKeySaysSoAndConnectsNothing) {
    platform::SshLaunch defaults = window->remote()->defaults();
    defaults.configFile = server->clientConfigWithUnknownHostKey();
    window->remote()->setDefaults(defaults);
    QSignalSpy finished(window.get(), &MainWindow::remoteFinished);
    ASSERT_TRUE(window->connectToRemote(QString::fromStdString(server->target())));
    ASSERT_TRUE(waitFor([&] { return finished.count() == 1; }, 30000));
    EXPECT_FALSE(finished.at(0).at(0).toBool());
    EXPECT_TRUE(finished.at(0).at(1).toString().contains(
        QStringLiteral("The host key of 127.0.0.1:2222 is not known")));
    EXPECT_FALSE(window->remote()->shown());

    QString error;
    EXPECT_FALSE(window->connectToRemote(QStringLiteral("-oProxyCommand=x"), &error));
    EXPECT_FALSE(error.isEmpty());
}

TEST(Askpass, AHostKeyQuestionIsAConfirmationAndEverythingElseASecret) {
    EXPECT_EQ(askpassQuestionOf(QStringLiteral(
                  "The authenticity of host 'db1 (10.0.0.5)' can't be established.\nED25519 key "
                  "fingerprint is SHA256:abc.\nAre you sure you want to continue connecting "
                  "(yes/no/[fingerprint])? ")),
              AskpassQuestion::Confirmation);
    EXPECT_EQ(askpassQuestionOf(QStringLiteral("alice@db1's password: ")), AskpassQuestion::Secret);
    EXPECT_EQ(askpassQuestionOf(QStringLiteral("Enter passphrase for key '/home/a/.ssh/id': ")),
              AskpassQuestion::Secret);
}

} // namespace
} // namespace portscope::gui
