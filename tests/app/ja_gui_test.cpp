// The GUI in Japanese. This suite runs in its own process, whose main() (gui_test_main.cpp)
// sets LC_ALL=ja_JP.UTF-8 and LANGUAGE=ja and installs the translations for the system locale
// as portscope's main() does. Qt reads the language from the environment, so no locale needs
// to be generated on the machine.

#include "connection_filter_proxy.h"
#include "connection_table_model.h"
#include "finding_wording.h"
#include "gui_test_support.h"
#include "gui_window_fixture.h"
#include "language.h"
#include "main_window.h"
#include "portscope/core/findings.h"
#include "portscope/core/findings_text.h"
#include "portscope/core/system_text.h"
#include "portscope/core/translatable.h"
#include "portscope/core/update.h"
#include "portscope/platform/system.h"
#include "process_properties_dialog.h"
#include "sensor_setting.h"
#include "system_actions.h"

#include <QAction>
#include <QCoreApplication>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTreeView>
#include <gtest/gtest.h>

namespace portscope::gui {
namespace {

using namespace testing;

core::Finding portScanFinding() {
    core::Finding finding;
    finding.id = 1;
    finding.ruleId = std::string(core::rules::kFanoutScan);
    finding.severity = core::Severity::High;
    finding.process = core::ProcessKey{812, 99};
    finding.processName = "wormy";
    finding.headline.key = "fanout-scan.one-port";
    finding.headline.count("hosts", 1234).port("port", 445).duration("elapsed", 10'000);
    core::FindingMessage hosts;
    hosts.key = "fanout-scan.hosts-tried";
    hosts.addresses("hosts", {"10.0.0.1", "10.0.0.2", "10.0.0.3"}, 2);
    finding.evidence.push_back(hosts);
    return finding;
}

TEST(JapaneseGui, TheSystemLocaleIsJapaneseAndItsTranslationsAreLoaded) {
    EXPECT_EQ(QLocale::system().language(), QLocale::Japanese);
    EXPECT_EQ(QLocale().language(), QLocale::Japanese);
    // Qt's own strings, for its standard dialogs and buttons (qt6-translations-l10n).
    EXPECT_EQ(QCoreApplication::translate("QPlatformTheme", "Cancel"),
              QStringLiteral("キャンセル"));
}

TEST(JapaneseGui, MenusTabsAndTheFilterFieldSpeakJapanese) {
    QSettings().clear();
    MainWindow window(SystemActions{});
    QStringList menus;
    for (QAction* action : window.menuBar()->actions()) {
        menus << action->text();
    }
    EXPECT_EQ(menus.value(0), QStringLiteral("ファイル(&F)")) << menus.join(' ').toStdString();
    EXPECT_TRUE(menus.contains(QStringLiteral("表示(&V)"))) << menus.join(' ').toStdString();
    EXPECT_TRUE(menus.contains(QStringLiteral("ヘルプ(&H)"))) << menus.join(' ').toStdString();

    QStringList tabs;
    for (int i = 0; i < window.detailTabs()->count(); ++i) {
        tabs << window.detailTabs()->tabText(i);
    }
    EXPECT_TRUE(tabs.contains(QStringLiteral("通信量"))) << tabs.join(' ').toStdString();
    EXPECT_TRUE(tabs.contains(QStringLiteral("統計"))) << tabs.join(' ').toStdString();

    const auto* filter = window.findChild<QLineEdit*>(QStringLiteral("filterEdit"));
    ASSERT_NE(filter, nullptr);
    EXPECT_TRUE(filter->placeholderText().startsWith(QStringLiteral("フィルター")))
        << filter->placeholderText().toStdString();
    EXPECT_EQ(window.findingNoticeText(),
              QStringLiteral("重大度「高」「中」の有効な検出結果はありません。"));
}

TEST(JapaneseGui, AFindingIsWordedInJapaneseWithTheLocalesNumbers) {
    const core::Finding finding = portScanFinding();
    const LocalizedFindingText text = localizedFindingText(finding);
    EXPECT_EQ(text.summary.toStdString(),
              std::string("wormy (PID 812) が 10 秒の間に 1,234 台のホストのポート 445 "
                          "(SMB) へ接続を試みました。ネットワーク スキャンの典型的な"
                          "動きです"));
    ASSERT_EQ(text.details.size(), 1);
    EXPECT_EQ(text.details.front(),
              QStringLiteral("接続を試みたホスト: 10.0.0.1、10.0.0.2 ほか 1 件。"));
    EXPECT_TRUE(text.action.contains(QStringLiteral("マルウェア"))) << text.action.toStdString();
    // Core still stores English for JSON, CSV and HTML.
    EXPECT_EQ(core::renderFindingText(finding).summary,
              "wormy (PID 812) tried to connect to 1,234 different hosts on port 445 "
              "(SMB) in 10 s — typical of a network scan");
}

TEST(JapaneseGui, ThePropertiesWindowWordsTheProcessFindingsInJapanese) {
    core::Finding finding = portScanFinding();
    // Core stores the English sentences for the exports; the window shows the Japanese ones.
    const core::FindingText english = core::renderFindingText(finding);
    finding.summary = english.summary;
    finding.action = english.action;
    core::Update update;
    update.unixMs = 1'700'000'000'000;
    update.findings = {finding};
    core::ProcessRow row;
    row.process.key = finding.process;
    row.process.name = "wormy";
    ProcessPropertiesDialog dialog(row, &update, QStringLiteral("1 (systemd)"), QString());
    const auto* field = dialog.findChild<QPlainTextEdit*>(QStringLiteral("propertiesFindings"));
    ASSERT_NE(field, nullptr);
    const QString shown = field->toPlainText();
    const LocalizedFindingText japanese = localizedFindingText(finding);
    EXPECT_TRUE(shown.contains(QStringLiteral("高 fanout-scan: ") + japanese.summary))
        << shown.toStdString();
    EXPECT_TRUE(shown.contains(QStringLiteral("対処: ") + japanese.action)) << shown.toStdString();
    EXPECT_FALSE(shown.contains(QString::fromStdString(english.summary))) << shown.toStdString();
}

// The sensor's menu and its note in the status bar (texts lupdate once filed under the
// wrong name, which left them English).
TEST(JapaneseGui, TheSensorSettingSpeaksJapanese) {
    QWidget parent;
    SensorSetting sensor(&parent);
    EXPECT_EQ(sensor.menu()->title(), QStringLiteral("センサー(&S)"));
    sensor.showMode(core::SensorMode::Bpf);
    EXPECT_EQ(sensor.statusLabel()->text(), QStringLiteral("eBPF イベント"));
    sensor.showMode(core::SensorMode::Poll);
    EXPECT_EQ(sensor.statusLabel()->text(), QStringLiteral("定期読み取り"));
}

TEST(JapaneseGui, TheLanguageMenuListsJapaneseInItsOwnNameAndKeepsTheChoice) {
    QSettings().clear();
    MainWindow window(SystemActions{});
    auto* menu = window.findChild<QMenu*>(QStringLiteral("languageMenu"));
    ASSERT_NE(menu, nullptr);
    EXPECT_EQ(menu->title(), QStringLiteral("言語 (再起動後に反映)(&L)"));
    QAction* japanese = nullptr;
    QAction* system = nullptr;
    for (QAction* action : menu->actions()) {
        if (action->text() == QStringLiteral("日本語")) {
            japanese = action;
        }
        if (action->text() == QStringLiteral("システムの設定")) {
            system = action;
        }
    }
    ASSERT_NE(japanese, nullptr);
    ASSERT_NE(system, nullptr);
    EXPECT_TRUE(system->isChecked());
    japanese->trigger();
    EXPECT_EQ(languageSetting(), QStringLiteral("ja"));
    EXPECT_EQ(QSettings().value(QStringLiteral("ui/language")).toString(), QStringLiteral("ja"));
    system->trigger();
    EXPECT_EQ(languageSetting(), QString());
}

// What the platform layer says (a snapshot's warning, why a close failed) reaches the user in
// Japanese too: its sentences travel in parts, and the window words them.
class JapaneseGuiWindow : public testing::WindowFixture {
protected:
    void SetUp() override {
        QSettings().clear();
        SystemActions actions;
        // The real close: this connection does not exist here, so the kernel refuses, with
        // "no such connection" as root and "needs CAP_NET_ADMIN" otherwise.
        actions.closeConnection = [](const core::Socket& socket) {
            return platform::closeConnection(socket);
        };
        window = std::make_unique<MainWindow>(actions);
        window->setIntervalMs(250);
        window->show();
        script = std::make_shared<Script>();
    }
};

const core::ProcessKey kServer{4321, 987654};

TEST_F(JapaneseGuiWindow, TheBannerSaysInJapaneseThatOwnersAreHidden) {
    auto hidden = tcpSocket(9, "10.0.0.2", 22, "10.0.0.3", 5000);
    hidden.ownerStatus = core::OwnerStatus::PermissionDenied;
    auto snapshot = snapshotAt(0, {hidden}, {});
    // As the Linux backend words it (platform/linux/owners.cpp).
    snapshot.warnings.push_back(core::systemText(
        PORTSCOPE_TRANSLATABLE("SystemText",
                               "Owners of %1 sockets are hidden: reading other users' "
                               "/proc/PID/fd needs root (CAP_DAC_READ_SEARCH and "
                               "CAP_SYS_PTRACE)."),
        {core::numberText(1234)}));
    script->setSteady(snapshot);
    start();
    auto* banner = child<QLabel>("warningBanner");
    ASSERT_TRUE(waitFor([&] { return banner->isVisible(); }));
    EXPECT_TRUE(banner->text().contains(
        QStringLiteral("1,234 個のソケットの所有者が表示されていません: 他のユーザーの "
                       "/proc/PID/fd を読み取るには root 権限")))
        << banner->text().toStdString();
    EXPECT_FALSE(banner->text().contains(QStringLiteral("hidden"))) << banner->text().toStdString();
    // Programs still get English.
    EXPECT_EQ(window->latestUpdate()->warnings.at(0).english().rfind("Owners of 1,234 sockets", 0),
              0u);
}

TEST_F(JapaneseGuiWindow, AFailedCloseSaysWhyInJapanese) {
    script->setSteady(snapshotAt(0,
                                 {tcpSocket(4, "192.168.1.5", 443, "93.184.216.34", 443, kServer)},
                                 {process(kServer.pid, kServer.startTime, "nginx")}));
    start();
    window->setGrouped(false);
    auto* model = window->tableModel();
    ASSERT_EQ(model->rowCount(), 1);
    window->activeView()->selectionModel()->setCurrentIndex(
        window->activeProxy()->mapFromSource(model->index(0, 0)),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    auto* close = child<QAction>("closeConnectionAction");
    ASSERT_TRUE(close->isEnabled());
    QSignalSpy completed(window.get(), &MainWindow::actionCompleted);
    close->trigger();
    ASSERT_TRUE(waitFor([&] { return completed.count() == 1; }));
    EXPECT_FALSE(completed.at(0).at(0).toBool());
    const QString message = child<QLabel>("actionMessage")->text();
    EXPECT_TRUE(message.startsWith(
        QStringLiteral("TCP 接続 192.168.1.5:443 → 93.184.216.34:443 を切断できません: ")))
        << message.toStdString();
    EXPECT_FALSE(message.contains(QStringLiteral("Cannot close"))) << message.toStdString();
}

} // namespace
} // namespace portscope::gui
