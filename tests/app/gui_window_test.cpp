// The main window offscreen, driven by the real engine over a scripted source: pause,
// speed, filter, kill confirmation, export, replay, banner, details and settings.

#include "connection_filter_proxy.h"
#include "connection_table_model.h"
#include "gui_test_support.h"
#include "gui_window_fixture.h"
#include "main_window.h"
#include "monitor_session.h"
#include "portscope/core/engine.h"
#include "portscope/core/filter_query.h"
#include "portscope/core/replay.h"
#include "process_details_panel.h"
#include "process_tree_model.h"
#include "system_actions.h"
#include "traffic_chart.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QSysInfo>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeView>
#include <cstdio>
#include <gtest/gtest.h>
#include <mutex>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace portscope::gui {
namespace {

using namespace testing;

const core::ProcessKey kWeb{4321, 987654};
const core::ProcessKey kTool{5555, 111};

std::vector<core::Process> processes() {
    return {process(kWeb.pid, kWeb.startTime, "nginx", "/usr/sbin/nginx", "www-data", 33),
            process(kTool.pid, kTool.startTime, "curl")};
}

std::vector<core::Socket> sockets() {
    return {tcpListener(1, 8080, kWeb), tcpSocket(2, "127.0.0.1", 8080, "127.0.0.1", 41000, kWeb),
            tcpSocket(3, "127.0.0.1", 41000, "127.0.0.1", 8080, kTool),
            tcpSocket(4, "192.168.1.5", 443, "93.184.216.34", 443, kWeb),
            udpSocket(5, "0.0.0.0", 5353, kTool)};
}

// Records what the window asked the system to do, without doing it.
struct RecordedActions {
    std::mutex mutex;
    std::vector<core::ProcessKey> kills;
    std::vector<core::Socket> closes;

    SystemActions actions() {
        SystemActions a;
        a.killProcess = [this](const core::ProcessKey& key) {
            std::lock_guard lock(mutex);
            kills.push_back(key);
            return platform::ActionResult{platform::ActionStatus::Done,
                                          "Terminated nginx (PID 4321)."};
        };
        a.closeConnection = [this](const core::Socket& socket) {
            std::lock_guard lock(mutex);
            closes.push_back(socket);
            return platform::ActionResult{platform::ActionStatus::PermissionDenied,
                                          "Closing needs CAP_NET_ADMIN."};
        };
        return a;
    }
    std::size_t killCount() {
        std::lock_guard lock(mutex);
        return kills.size();
    }
};

class WindowTest : public WindowFixture {
protected:
    void SetUp() override {
        QSettings().clear();
        window = std::make_unique<MainWindow>(recorded.actions());
        window->setIntervalMs(250);
        window->show();
        window->activateWindow();
        ASSERT_TRUE(QTest::qWaitForWindowActive(window.get())); // shortcuts need an active window
        script = std::make_shared<Script>();
        script->setSteady(snapshotAt(0, sockets(), processes()));
    }

    void selectProcess(const core::ProcessKey& key) {
        window->setGrouped(true);
        const QModelIndex source = window->treeModel()->indexOfProcess(key);
        ASSERT_TRUE(source.isValid());
        const QModelIndex proxied = window->activeProxy()->mapFromSource(source);
        window->activeView()->selectionModel()->setCurrentIndex(
            proxied, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }

    // Answers the next modal dialog called `name` by pressing the button called `button`.
    void answerDialog(const QString& name, const QString& button, bool* seen) {
        auto* timer = new QTimer(window.get());
        timer->setInterval(20);
        QObject::connect(timer, &QTimer::timeout, timer, [=] {
            QWidget* modal = QApplication::activeModalWidget();
            if (modal == nullptr || modal->objectName() != name) {
                return;
            }
            *seen = true;
            timer->stop();
            timer->deleteLater();
            auto* box = qobject_cast<QMessageBox*>(modal);
            QAbstractButton* target = box->findChild<QPushButton*>(button);
            if (target == nullptr) {
                target = box->button(QMessageBox::Cancel);
            }
            target->click();
        });
        timer->start();
    }

    RecordedActions recorded;
};

// A first start must fit a 1366×768 laptop screen (the status bar was below its edge), and
// keeps 1280×800 where there is room.
TEST(WindowSize, AFirstStartFitsTheScreenWithItsTitleBar) {
    QScreen* screen = QGuiApplication::primaryScreen();
    ASSERT_NE(screen, nullptr);
    const QSize available = screen->availableGeometry().size();
    const QSize size = MainWindow::defaultWindowSize(screen);
    EXPECT_LE(size.width(), available.width());
    EXPECT_LE(size.height() + 40, available.height()) << "room for a title bar";
    EXPECT_EQ(MainWindow::defaultWindowSize(nullptr), QSize(1280, 800));

    QSettings().clear();
    MainWindow window{SystemActions{}};
    EXPECT_EQ(window.size(), size) << "the window starts at that size";
}

TEST_F(WindowTest, ShowsUpdatesAndPauseStopsThem) {
    start();
    ASSERT_TRUE(waitFor([&] { return sequence() >= 3; }));
    EXPECT_EQ(window->treeModel()->rowCount(), 2);

    window->setPaused(true);
    EXPECT_TRUE(child<QLabel>("statusPaused")->isVisible());
    QTest::qWait(300); // a poll already under way may still land
    const std::uint64_t pausedAt = sequence();
    const int pollsAtPause = script->polls();
    QTest::qWait(1000); // four intervals
    EXPECT_EQ(sequence(), pausedAt);
    EXPECT_EQ(script->polls(), pollsAtPause);

    // Refresh polls once even while paused.
    window->refreshNow();
    ASSERT_TRUE(waitFor([&] { return sequence() == pausedAt + 1; }));

    window->setPaused(false);
    EXPECT_FALSE(child<QLabel>("statusPaused")->isVisible());
    EXPECT_TRUE(waitFor([&] { return sequence() >= pausedAt + 3; }));
}

TEST_F(WindowTest, PauseShortcutsAreSpaceOutsideTheListAndCtrlP) {
    start();
    QWidget* tabs = window->detailTabs()->tabBar();
    tabs->setFocus();
    QTest::keyClick(tabs, Qt::Key_Space);
    EXPECT_TRUE(window->isPaused());
    window->activeView()->setFocus();
    QTest::keyClick(window->activeView(), Qt::Key_P, Qt::ControlModifier);
    EXPECT_FALSE(window->isPaused());
}

TEST_F(WindowTest, SpeedChangeTakesEffectAtOnce) {
    window->setIntervalMs(5000);
    start();
    const std::uint64_t first = sequence();
    QTest::qWait(1200);
    EXPECT_EQ(sequence(), first) << "a 5 s interval gave an update within 1.2 s";

    auto* combo = child<QComboBox>("intervalCombo");
    EXPECT_EQ(combo->currentData().toInt(), 5000);
    window->setIntervalMs(500);
    EXPECT_EQ(combo->currentData().toInt(), 500);
    EXPECT_EQ(window->session()->engine().interval(), std::chrono::milliseconds(500));
    ASSERT_TRUE(waitFor([&] { return sequence() >= first + 3; }, 2500));

    // A value off the list gets an entry of its own.
    window->setIntervalMs(750);
    EXPECT_EQ(combo->currentText(), QStringLiteral("0.75 s"));
}

TEST_F(WindowTest, FilterNarrowsRowsAndRejectsBadTermsVisibly) {
    start();
    auto* edit = child<QLineEdit>("filterEdit");
    auto* error = child<QLabel>("filterError");
    window->setGrouped(false);
    ASSERT_TRUE(waitFor([&] { return window->activeProxy()->rowCount() == 5; }));

    QTest::keyClicks(edit, "port:443");
    ASSERT_TRUE(waitFor([&] { return window->activeProxy()->rowCount() == 1; }, 2000));
    EXPECT_FALSE(error->isVisible());

    edit->clear();
    QTest::keyClicks(edit, "bogus:1");
    ASSERT_TRUE(waitFor([&] { return error->isVisible(); }, 2000));
    EXPECT_TRUE(error->text().contains(QStringLiteral("Unknown field 'bogus:'")))
        << error->text().toStdString();
    EXPECT_TRUE(error->text().contains(QStringLiteral("character 1")));
    // The last valid filter stays in force.
    EXPECT_EQ(window->activeProxy()->rowCount(), 1);

    edit->clear();
    QTest::keyClicks(edit, "proc:curl");
    ASSERT_TRUE(waitFor([&] { return !error->isVisible(); }, 2000));
    EXPECT_EQ(window->activeProxy()->rowCount(), 2);

    // A quick toggle narrows further.
    child<QAction>("toggle_udp")->setChecked(false);
    EXPECT_EQ(window->activeProxy()->rowCount(), 1);

    // The tree shows only processes with matching connections.
    window->setGrouped(true);
    ASSERT_EQ(window->activeProxy()->rowCount(), 1);
    EXPECT_EQ(window->activeProxy()->index(0, 0).data().toString(), QStringLiteral("curl"));
}

TEST_F(WindowTest, KillAsksForConfirmationThenCallsTheKillerWithPidAndStartTime) {
    start();
    selectProcess(kWeb);
    auto* kill = child<QAction>("killAction");
    ASSERT_TRUE(kill->isEnabled());

    // Cancel: nothing happens.
    bool seen = false;
    answerDialog(QStringLiteral("killConfirmation"), QString(), &seen);
    kill->trigger();
    EXPECT_TRUE(seen);
    QTest::qWait(100);
    EXPECT_EQ(recorded.killCount(), 0u);

    // Confirm: the injected killer gets the exact process identity, off the GUI thread.
    QSignalSpy completed(window.get(), &MainWindow::actionCompleted);
    seen = false;
    answerDialog(QStringLiteral("killConfirmation"), QStringLiteral("confirmKillButton"), &seen);
    kill->trigger();
    EXPECT_TRUE(seen);
    ASSERT_TRUE(waitFor([&] { return completed.count() == 1; }));
    ASSERT_EQ(recorded.killCount(), 1u);
    EXPECT_EQ(recorded.kills[0].pid, kWeb.pid);
    EXPECT_EQ(recorded.kills[0].startTime, kWeb.startTime);
    EXPECT_TRUE(completed.at(0).at(0).toBool());
    auto* message = child<QLabel>("actionMessage");
    EXPECT_TRUE(message->isVisible());
    EXPECT_EQ(message->text(), QStringLiteral("Terminated nginx (PID 4321)."));
}

TEST_F(WindowTest, KillConfirmationShowsAHostileNameLiterally) {
    auto list = processes();
    list[0].name = kHostileName;
    list[0].exePath = "/tmp/" + kHostileName;
    list[0].userName = kHostileName;
    script->setSteady(snapshotAt(0, sockets(), list));
    start();
    selectProcess(kWeb);
    QString text;
    QString informative;
    auto* timer = new QTimer(window.get());
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, timer, [&, timer] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (box == nullptr) {
            return;
        }
        text = box->text();
        informative = box->informativeText();
        timer->stop();
        box->button(QMessageBox::Cancel)->click();
    });
    timer->start();
    child<QAction>("killAction")->trigger();
    ASSERT_FALSE(text.isEmpty());
    for (const QString& shown : {text, informative}) {
        EXPECT_FALSE(shown.contains(QStringLiteral("<img"))) << shown.toStdString();
        EXPECT_TRUE(shown.contains(kHostileEscaped)) << shown.toStdString();
    }
    EXPECT_EQ(recorded.killCount(), 0u);
}

// The informative text of the next kill confirmation, which is then cancelled.
QString killDialogText(MainWindow* window) {
    QString informative;
    auto* timer = new QTimer(window);
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, timer, [&informative, timer] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (box == nullptr || box->objectName() != QStringLiteral("killConfirmation")) {
            return;
        }
        informative = box->text() + QLatin1Char('\n') + box->informativeText();
        timer->stop();
        timer->deleteLater();
        box->button(QMessageBox::Cancel)->click();
    });
    timer->start();
    window->findChild<QAction*>(QStringLiteral("killAction"))->trigger();
    return informative;
}

TEST_F(WindowTest, KillConfirmationNamesTheFindingOfAMasqueradeNotTheSystemWarning) {
    const core::ProcessKey fake{6666, 42};
    const core::ProcessKey real{6667, 43};
    auto list = processes();
    list.push_back(process(fake.pid, fake.startTime, "sshd", "/var/tmp/.x/sshd", "root", 0));
    list.push_back(process(real.pid, real.startTime, "sshd", "/usr/sbin/sshd", "root", 0));
    auto socketList = sockets();
    socketList.push_back(tcpListener(20, 2222, fake));
    socketList.push_back(tcpListener(21, 22, real));
    script->setSteady(snapshotAt(0, socketList, list));
    start();
    ASSERT_TRUE(waitFor([&] {
        const auto& findings = window->latestUpdate()->findings;
        return std::any_of(findings.begin(), findings.end(), [&](const core::Finding& f) {
            return f.process == fake && f.ruleId == core::rules::kMasquerade;
        });
    }));

    selectProcess(fake);
    const QString flagged = killDialogText(window.get());
    EXPECT_TRUE(flagged.contains(QStringLiteral("flagged: masquerade (high)")))
        << flagged.toStdString();
    EXPECT_TRUE(flagged.contains(QStringLiteral("/var/tmp/.x/sshd"))) << flagged.toStdString();
    EXPECT_FALSE(flagged.contains(QStringLiteral("system process.</b>"))) << flagged.toStdString();

    // The real one, from its system directory and run by root, keeps the warning.
    selectProcess(real);
    const QString system = killDialogText(window.get());
    EXPECT_TRUE(system.contains(QStringLiteral("This looks like a system process")))
        << system.toStdString();
    EXPECT_FALSE(system.contains(QStringLiteral("flagged:"))) << system.toStdString();
    EXPECT_EQ(recorded.killCount(), 0u);
}

TEST_F(WindowTest, KillActsOnEverySelectedProcessAndListsThem) {
    start();
    selectProcess(kWeb);
    const QModelIndex tool =
        window->activeProxy()->mapFromSource(window->treeModel()->indexOfProcess(kTool));
    window->activeView()->selectionModel()->select(tool, QItemSelectionModel::Select |
                                                             QItemSelectionModel::Rows);
    const QString listed = killDialogText(window.get());
    EXPECT_TRUE(listed.contains(QStringLiteral("Kill these 2 processes?"))) << listed.toStdString();
    EXPECT_TRUE(listed.contains(QStringLiteral("<b>nginx</b> (PID 4321"))) << listed.toStdString();
    EXPECT_TRUE(listed.contains(QStringLiteral("<b>curl</b> (PID 5555"))) << listed.toStdString();

    bool seen = false;
    answerDialog(QStringLiteral("killConfirmation"), QStringLiteral("confirmKillButton"), &seen);
    child<QAction>("killAction")->trigger();
    ASSERT_TRUE(waitFor([&] { return recorded.killCount() == 2; }));
    std::lock_guard lock(recorded.mutex);
    EXPECT_NE(std::find(recorded.kills.begin(), recorded.kills.end(), kWeb), recorded.kills.end());
    EXPECT_NE(std::find(recorded.kills.begin(), recorded.kills.end(), kTool), recorded.kills.end());
}

TEST_F(WindowTest, ProcessEvidenceIsOneSelfContainedPageAboutThatProcess) {
    auto list = processes();
    list[0].name = "<b>nginx</b>";
    script->setSteady(snapshotAt(0, sockets(), list));
    start();
    selectProcess(kWeb);
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("evidence.html"));
    QString error;
    ASSERT_TRUE(window->exportProcessEvidenceTo(path, &error)) << error.toStdString();
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QString html = QString::fromUtf8(file.readAll());
    EXPECT_TRUE(html.contains(QStringLiteral("src=\"data:image/png;base64,iVBORw0KGgo")))
        << "the traffic graph is embedded";
    EXPECT_TRUE(html.contains(QStringLiteral("<th>filter</th><td>pid:4321</td>")));
    EXPECT_TRUE(html.contains(QStringLiteral("&lt;b&gt;nginx&lt;/b&gt; (PID 4321)")));
    EXPECT_FALSE(html.contains(QStringLiteral("<b>nginx")));
    EXPECT_TRUE(html.contains(QStringLiteral("<h2>Connections (3)</h2>"))) << html.toStdString();
    EXPECT_FALSE(html.contains(QStringLiteral("<td>curl</td>"))) << "only the selected process";
    EXPECT_EQ(QFileInfo(path).permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
              QFileDevice::Permissions{});
}

TEST_F(WindowTest, KillOfAConnectionRowTargetsItsOwner) {
    start();
    window->setGrouped(false);
    auto* model = window->tableModel();
    int row = -1;
    for (int r = 0; r < model->rowCount(); ++r) {
        if (model->connectionAt(model->index(r, 0))->socket.owner == kTool) {
            row = r;
        }
    }
    ASSERT_GE(row, 0);
    window->activeView()->selectionModel()->setCurrentIndex(
        window->activeProxy()->mapFromSource(model->index(row, 0)),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    bool seen = false;
    answerDialog(QStringLiteral("killConfirmation"), QStringLiteral("confirmKillButton"), &seen);
    QTest::keyClick(window->activeView(), Qt::Key_Delete);
    ASSERT_TRUE(waitFor([&] { return recorded.killCount() == 1; }));
    EXPECT_EQ(recorded.kills[0], kTool);
}

TEST_F(WindowTest, ActionsOnProcessesAreOffForRecordedSessions) {
    start(false);
    selectProcess(kWeb);
    EXPECT_FALSE(child<QAction>("killAction")->isEnabled());
    window->killSelectedProcess(); // refused without a dialog
    EXPECT_TRUE(child<QLabel>("actionMessage")->isVisible());
    EXPECT_EQ(recorded.killCount(), 0u);
}

TEST_F(WindowTest, CloseConnectionReportsTheResult) {
    start();
    window->setGrouped(false);
    auto* model = window->tableModel();
    int row = -1;
    for (int r = 0; r < model->rowCount(); ++r) {
        if (model->connectionAt(model->index(r, 0))->socket.cookie == 4) {
            row = r;
        }
    }
    ASSERT_GE(row, 0);
    window->activeView()->selectionModel()->setCurrentIndex(
        window->activeProxy()->mapFromSource(model->index(row, 0)),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    auto* close = child<QAction>("closeConnectionAction");
    ASSERT_TRUE(close->isEnabled());
    QSignalSpy completed(window.get(), &MainWindow::actionCompleted);
    close->trigger();
    ASSERT_TRUE(waitFor([&] { return completed.count() == 1; }));
    EXPECT_FALSE(completed.at(0).at(0).toBool());
    ASSERT_EQ(recorded.closes.size(), 1u);
    EXPECT_EQ(recorded.closes[0].remote.port, 443);
    EXPECT_EQ(child<QLabel>("actionMessage")->text(),
              QStringLiteral("Closing needs CAP_NET_ADMIN."));

    // A listener cannot be closed.
    for (int r = 0; r < model->rowCount(); ++r) {
        if (model->connectionAt(model->index(r, 0))->socket.state == core::SocketState::Listen) {
            row = r;
        }
    }
    window->activeView()->selectionModel()->setCurrentIndex(
        window->activeProxy()->mapFromSource(model->index(row, 0)),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    EXPECT_FALSE(close->isEnabled());
}

TEST_F(WindowTest, ExportWritesCompleteEscapedData) {
    auto hostile = processes();
    hostile[1].name = "evil,\"name\"\n<script>alert(1)</script>";
    hostile[1].commandLine = "=cmd|' /C calc'!A0";
    script->setSteady(snapshotAt(0, sockets(), hostile));
    start();
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const auto connections = window->latestUpdate()->connections.size();
    ASSERT_EQ(connections, 5u);

    QString error;
    const QString json = dir.filePath(QStringLiteral("out.json"));
    ASSERT_TRUE(window->exportTo(json, ExportFormat::Json, &error)) << error.toStdString();
    QFile jsonFile(json);
    ASSERT_TRUE(jsonFile.open(QIODevice::ReadOnly));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(jsonFile.readAll(), &parseError);
    ASSERT_EQ(parseError.error, QJsonParseError::NoError) << parseError.errorString().toStdString();
    const QJsonArray rows = document.object().value(QStringLiteral("connections")).toArray();
    ASSERT_EQ(rows.size(), static_cast<qsizetype>(connections));
    int hostileRows = 0;
    for (const auto& row : rows) {
        hostileRows += row.toObject().value(QStringLiteral("process")).toString() ==
                               QString::fromStdString(hostile[1].name)
                           ? 1
                           : 0;
    }
    EXPECT_EQ(hostileRows, 2);

    const QString csv = dir.filePath(QStringLiteral("out.csv"));
    ASSERT_TRUE(window->exportTo(csv, ExportFormat::Csv, &error)) << error.toStdString();
    QFile csvFile(csv);
    ASSERT_TRUE(csvFile.open(QIODevice::ReadOnly));
    const QString csvText = QString::fromUtf8(csvFile.readAll());
    EXPECT_TRUE(csvText.startsWith(QStringLiteral("# host: "))) << "the report header first";
    EXPECT_TRUE(csvText.contains(QStringLiteral("\r\n# section: connections\r\nprotocol,")));
    EXPECT_TRUE(csvText.contains(QStringLiteral("\r\n# section: findings\r\nstatus,")));
    EXPECT_TRUE(csvText.contains(QStringLiteral("\r\n# section: processes\r\npid,")));
    EXPECT_TRUE(csvText.contains(QStringLiteral("# portscope_version: " PORTSCOPE_VERSION)));
    EXPECT_TRUE(
        csvText.contains(QStringLiteral("\"evil,\"\"name\"\"\n<script>alert(1)</script>\"")));
    EXPECT_EQ(csvText.count(QStringLiteral("192.168.1.5")), 1);

    const QString html = dir.filePath(QStringLiteral("out.html"));
    ASSERT_TRUE(window->exportTo(html, ExportFormat::Html, &error)) << error.toStdString();
    QFile htmlFile(html);
    ASSERT_TRUE(htmlFile.open(QIODevice::ReadOnly));
    const QString htmlText = QString::fromUtf8(htmlFile.readAll());
    EXPECT_FALSE(htmlText.contains(QStringLiteral("<script>")));
    EXPECT_TRUE(htmlText.contains(QStringLiteral("&lt;script&gt;")));
    EXPECT_TRUE(htmlText.contains(QStringLiteral("93.184.216.34")));

    EXPECT_TRUE(htmlText.contains(QStringLiteral("<th>host</th><td>") +
                                  QSysInfo::machineHostName().toHtmlEscaped()));

    // The export covers what the filter shows, and says which filter that was.
    window->applyFilterText(QStringLiteral("proc:nginx"));
    ASSERT_TRUE(window->exportTo(json, ExportFormat::Json, &error));
    jsonFile.close();
    ASSERT_TRUE(jsonFile.open(QIODevice::ReadOnly));
    const QJsonObject report = QJsonDocument::fromJson(jsonFile.readAll())
                                   .object()
                                   .value(QStringLiteral("report"))
                                   .toObject();
    EXPECT_EQ(report.value(QStringLiteral("filter")).toString(), QStringLiteral("proc:nginx"));
    EXPECT_EQ(report.value(QStringLiteral("complete")).toString(), QStringLiteral("no"));
    EXPECT_FALSE(report.value(QStringLiteral("from")).toString().isEmpty());
    jsonFile.close();
    ASSERT_TRUE(jsonFile.open(QIODevice::ReadOnly));
    EXPECT_EQ(QJsonDocument::fromJson(jsonFile.readAll())
                  .object()
                  .value(QStringLiteral("connections"))
                  .toArray()
                  .size(),
              3);

    // An unwritable target fails with a reason and leaves nothing behind.
    EXPECT_FALSE(window->exportTo(dir.filePath(QStringLiteral("missing/out.csv")),
                                  ExportFormat::Csv, &error));
    EXPECT_TRUE(error.contains(QStringLiteral("missing/out.csv")));
}

TEST_F(WindowTest, ExportsArePrivateAndNeverWrittenThroughALink) {
    start();
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QFileDevice::Permissions ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                               QFileDevice::ReadUser | QFileDevice::WriteUser;
    QString error;
    const mode_t savedMask = ::umask(022);
    for (const auto format : {ExportFormat::Csv, ExportFormat::Json, ExportFormat::Html}) {
        const QString path = dir.filePath(QStringLiteral("out-%1").arg(static_cast<int>(format)));
        EXPECT_TRUE(window->exportTo(path, format, &error)) << error.toStdString();
        EXPECT_EQ(QFileInfo(path).permissions(), ownerOnly) << path.toStdString();
    }
    // Replacing an existing, readable file leaves it private too.
    const QString existing = dir.filePath(QStringLiteral("existing.csv"));
    {
        QFile file(existing);
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        ASSERT_TRUE(file.setPermissions(file.permissions() | QFileDevice::ReadOther));
    }
    EXPECT_TRUE(window->exportTo(existing, ExportFormat::Csv, &error)) << error.toStdString();
    ::umask(savedMask);
    EXPECT_EQ(QFileInfo(existing).permissions(), ownerOnly);

    const QString victim = dir.filePath(QStringLiteral("victim"));
    {
        QFile file(victim);
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        file.write("precious");
    }
    const QString link = dir.filePath(QStringLiteral("link.csv"));
    ASSERT_TRUE(QFile::link(victim, link));
    EXPECT_FALSE(window->exportTo(link, ExportFormat::Csv, &error));
    EXPECT_TRUE(error.contains(QStringLiteral("symbolic link"))) << error.toStdString();
    QFile victimFile(victim);
    ASSERT_TRUE(victimFile.open(QIODevice::ReadOnly));
    EXPECT_EQ(victimFile.readAll(), QByteArray("precious"));
    EXPECT_EQ(QDir(dir.path()).entryList(QDir::Hidden | QDir::Files).size(), 6)
        << "no temporary file is left behind";
}

TEST_F(WindowTest, CopyPutsHeaderAndSelectedRowsOnTheClipboard) {
    start();
    selectProcess(kWeb);
    window->copySelection();
    const QStringList lines =
        QApplication::clipboard()->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    ASSERT_EQ(lines.size(), 2);
    EXPECT_TRUE(lines[0].startsWith(QStringLiteral("Process\t")));
    EXPECT_TRUE(lines[1].startsWith(QStringLiteral("nginx\t")));
    EXPECT_TRUE(lines[1].contains(QStringLiteral("\t4321\t")));
}

TEST_F(WindowTest, CopyDefusesFormulasAsCsvDoes) {
    const std::vector<std::pair<std::string, QString>> names = {
        {"=HYPERLINK(\"http://x\",\"y\")", QStringLiteral("'=HYPERLINK(\"http://x\",\"y\")")},
        {"+1+cmd", QStringLiteral("'+1+cmd")},
        {"-2-cmd", QStringLiteral("'-2-cmd")},
        {"@SUM(A1)", QStringLiteral("'@SUM(A1)")},
        {"\t=1+1", QStringLiteral("' =1+1")},
        {"\r=1+1", QStringLiteral("' =1+1")},
        {"\xEF\xBC\x9D"
         "1+1",
         QStringLiteral("'\uFF1D1+1")},
        {"safe=name", QStringLiteral("safe=name")},
    };
    std::vector<core::Process> hostile;
    std::vector<core::Socket> listeners;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const core::ProcessKey key{static_cast<std::int32_t>(7000 + i), 1};
        hostile.push_back(process(key.pid, key.startTime, names[i].first));
        listeners.push_back(tcpListener(100 + i, static_cast<std::uint16_t>(9000 + i), key));
    }
    script->setSteady(snapshotAt(0, listeners, hostile));
    start();
    window->setGrouped(true);
    window->activeView()->selectAll();
    window->copySelection();
    const QStringList lines =
        QApplication::clipboard()->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (std::size_t i = 0; i < names.size(); ++i) {
        const QString pid = QString::number(7000 + i);
        const auto row = std::find_if(lines.begin(), lines.end(), [&](const QString& line) {
            return line.split(QLatin1Char('\t')).contains(pid);
        });
        ASSERT_NE(row, lines.end()) << "no row for PID " << pid.toStdString();
        EXPECT_EQ(row->split(QLatin1Char('\t')).front().toStdString(),
                  names[i].second.toStdString());
    }
}

TEST_F(WindowTest, OpensARecordedSession) {
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("session.psreplay"));
    {
        core::ReplayWriter writer(platform::createPrivateFile(path.toStdString()),
                                  path.toStdString());
        auto first = sockets();
        writer.write(snapshotAt(0, first, processes()));
        first.pop_back();
        writer.write(snapshotAt(1, first, processes()));
        writer.write(snapshotAt(2, first, processes()));
    }
    QSignalSpy finished(window.get(), &MainWindow::updateShown);
    ASSERT_TRUE(window->openReplayFile(path));
    ASSERT_TRUE(waitFor([&] { return window->session() && window->session()->finished(); }));
    EXPECT_EQ(sequence(), 3u);
    EXPECT_EQ(window->latestUpdate()->connections.size(), 5u); // one tombstone
    EXPECT_TRUE(window->windowTitle().contains(QStringLiteral("session.psreplay")));

    bool seen = false;
    answerDialog(QStringLiteral(""), QString(), &seen); // the error box has no name
    EXPECT_FALSE(window->openReplayFile(dir.filePath(QStringLiteral("absent.psreplay"))));
    EXPECT_TRUE(seen);
}

TEST_F(WindowTest, BannerExplainsHiddenOwners) {
    auto hidden = sockets();
    hidden.push_back(tcpSocket(9, "10.0.0.2", 22, "10.0.0.3", 5000));
    hidden.back().ownerStatus = core::OwnerStatus::PermissionDenied;
    auto snapshot = snapshotAt(0, hidden, processes());
    snapshot.warnings.push_back(
        portscope::core::verbatimText("Owners of 1 socket are hidden <needs root>."));
    script->setSteady(snapshot);
    start();
    auto* banner = child<QLabel>("warningBanner");
    ASSERT_TRUE(waitFor([&] { return banner->isVisible(); }));
    EXPECT_TRUE(banner->text().contains(QStringLiteral("&lt;needs root&gt;")));
    // Without root the banner says how to run elevated; as root there is nothing to suggest.
    EXPECT_EQ(banner->text().contains(QStringLiteral("sudo")), ::geteuid() != 0);

    script->setSteady(snapshotAt(0, sockets(), processes()));
    EXPECT_TRUE(waitFor([&] { return !banner->isVisible(); }));
}

TEST_F(WindowTest, TrafficChartFollowsTheSelectedProcess) {
    start();
    auto* tabs = child<QTabWidget>("detailTabs");
    auto* chart = window->findChild<TrafficChart*>();
    ASSERT_NE(chart, nullptr);
    tabs->setCurrentWidget(chart);
    selectProcess(kWeb);
    // nginx receives 50 KiB per second on one connection.
    for (int tick = 1; tick <= 8; ++tick) {
        auto moving = sockets();
        moving[3].counters.bytesReceived = static_cast<std::uint64_t>(tick) * 50 * 1024;
        script->push(snapshotAt(tick, moving, processes()));
    }
    ASSERT_TRUE(waitFor([&] { return chart->pointCount() >= 3; }, 6000));
    EXPECT_EQ(chart->unitLabel(), QStringLiteral("KB/s"));
    EXPECT_EQ(window->latestUpdate()->focusedProcess, kWeb);
}

// A real child runs a copy of sleep; the copy is then replaced on disk. The hash must be
// that of the program the child runs, not of the file now at its path.
class RunningCopy {
public:
    RunningCopy() {
        path_ = dir_.filePath(QStringLiteral("portscope-img"));
        if (!QFile::copy(QStringLiteral("/bin/sleep"), path_)) {
            return;
        }
        QFile original(path_);
        if (original.open(QIODevice::ReadOnly)) {
            digest_ = QString::fromLatin1(
                QCryptographicHash::hash(original.readAll(), QCryptographicHash::Sha256).toHex());
        }
        child_.start(path_, {QStringLiteral("30")});
        if (!child_.waitForStarted()) {
            return;
        }
        const QString exeLink = QStringLiteral("/proc/%1/exe").arg(child_.processId());
        // Until exec has happened, the child runs this test binary.
        if (waitFor([&] { return QFileInfo(exeLink).symLinkTarget() == path_; })) {
            key_ = platform::currentProcessKey(static_cast<std::int32_t>(child_.processId()))
                       .value_or(core::ProcessKey{});
        }
    }
    ~RunningCopy() {
        child_.kill();
        child_.waitForFinished();
    }
    RunningCopy(const RunningCopy&) = delete;
    RunningCopy& operator=(const RunningCopy&) = delete;

    core::ProcessKey key() const { return key_; }
    QString path() const { return path_; }
    QString originalDigest() const { return digest_; }
    bool replaceFile() {
        const QString other = dir_.filePath(QStringLiteral("other"));
        QFile file(other);
        if (!file.open(QIODevice::WriteOnly) || file.write("#!/bin/sh\necho other\n") < 0) {
            return false;
        }
        file.close();
        return ::rename(QFile::encodeName(other).constData(),
                        QFile::encodeName(path_).constData()) == 0;
    }

private:
    QTemporaryDir dir_;
    QString path_;
    QString digest_;
    QProcess child_;
    core::ProcessKey key_;
};

TEST_F(WindowTest, ProcessTabHashesTheRunningImageOffTheGuiThread) {
    RunningCopy program;
    ASSERT_TRUE(program.key().valid());
    ASSERT_FALSE(program.originalDigest().isEmpty());
    ASSERT_TRUE(program.replaceFile());

    auto list = processes();
    list.push_back(process(program.key().pid, program.key().startTime, "portscope-img",
                           program.path().toStdString()));
    auto all = sockets();
    all.push_back(tcpListener(20, 9090, program.key()));
    script->setSteady(snapshotAt(0, all, list));
    start();
    auto* tabs = child<QTabWidget>("detailTabs");
    auto* panel = window->findChild<ProcessDetailsPanel*>();
    ASSERT_NE(panel, nullptr);
    tabs->setCurrentWidget(panel);
    selectProcess(program.key());
    EXPECT_EQ(child<QLabel>("detailPath")->text(), program.path());
    QSignalSpy ready(panel, &ProcessDetailsPanel::hashReady);
    auto* button = child<QPushButton>("computeHashButton");
    ASSERT_TRUE(button->isEnabled());
    button->click();
    ASSERT_TRUE(waitFor([&] { return ready.count() == 1; }));
    const QString expected =
        program.originalDigest() + QStringLiteral(" (deleted: hashed from the running image)");
    EXPECT_EQ(panel->hashText().toStdString(), expected.toStdString());
    EXPECT_FALSE(button->isEnabled()) << "the digest of a running process does not change";

    // The cache belongs to the process: another one with the same path is not taken for it.
    selectProcess(kWeb);
    EXPECT_EQ(panel->hashText(), QString());
    selectProcess(program.key());
    EXPECT_TRUE(panel->hashText().startsWith(program.originalDigest()));
}

TEST_F(WindowTest, ProcessTabRefusesToHashAProcessWhosePidWasReused) {
    RunningCopy program;
    ASSERT_TRUE(program.key().valid());
    const core::ProcessKey stale{program.key().pid, program.key().startTime + 1};
    auto list = processes();
    list.push_back(
        process(stale.pid, stale.startTime, "portscope-img", program.path().toStdString()));
    auto all = sockets();
    all.push_back(tcpListener(20, 9090, stale));
    script->setSteady(snapshotAt(0, all, list));
    start();
    auto* panel = window->findChild<ProcessDetailsPanel*>();
    ASSERT_NE(panel, nullptr);
    child<QTabWidget>("detailTabs")->setCurrentWidget(panel);
    selectProcess(stale);
    QSignalSpy ready(panel, &ProcessDetailsPanel::hashReady);
    child<QPushButton>("computeHashButton")->click();
    ASSERT_TRUE(waitFor([&] { return ready.count() == 1; }));
    EXPECT_TRUE(panel->hashText().contains(QStringLiteral("belongs to another process")))
        << panel->hashText().toStdString();
    EXPECT_FALSE(panel->hashText().contains(program.originalDigest()));
}

TEST_F(WindowTest, SettingsPersistAcrossRuns) {
    window->setIntervalMs(2000);
    window->setGrouped(false);
    child<QAction>("toggle_timewait")->setChecked(false);
    auto* edit = child<QLineEdit>("filterEdit");
    edit->setText(QStringLiteral("state:established"));
    window->activeView()->header()->setSectionHidden(window->tableModel()->columnOf(Field::Scope),
                                                     true);
    window->activeView()->sortByColumn(window->tableModel()->columnOf(Field::Bytes),
                                       Qt::DescendingOrder);
    window->close(); // saves
    window.reset();

    window = std::make_unique<MainWindow>(recorded.actions());
    EXPECT_EQ(window->intervalMs(), 2000);
    EXPECT_FALSE(window->isGrouped());
    EXPECT_FALSE(child<QAction>("toggle_timewait")->isChecked());
    EXPECT_FALSE(window->activeProxy()->toggles().timeWait);
    EXPECT_EQ(child<QLineEdit>("filterEdit")->text(), QStringLiteral("state:established"));
    EXPECT_FALSE(window->activeProxy()->query().empty());
    QHeaderView* header = window->activeView()->header();
    EXPECT_TRUE(header->isSectionHidden(window->tableModel()->columnOf(Field::Scope)));
    EXPECT_EQ(header->sortIndicatorSection(), window->tableModel()->columnOf(Field::Bytes));
    EXPECT_EQ(header->sortIndicatorOrder(), Qt::DescendingOrder);
}

} // namespace
} // namespace portscope::gui
