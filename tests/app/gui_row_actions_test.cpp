// What a user does with one row: the right-click menu (copy, filter, open the program's folder,
// look the remote address up, close, kill), the properties window a double-click opens, and
// the parent named beside its PID.

#include "connection_filter_proxy.h"
#include "connection_table_model.h"
#include "gui_test_support.h"
#include "gui_window_fixture.h"
#include "main_window.h"
#include "portscope/core/filter_query.h"
#include "process_details_panel.h"
#include "process_parents.h"
#include "process_properties_dialog.h"
#include "process_tree_model.h"
#include "row_context_menu.h"
#include "row_format.h"
#include "system_actions.h"

#include <QAction>
#include <QClipboard>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTreeView>
#include <QUrl>
#include <gtest/gtest.h>
#include <mutex>
#include <vector>

namespace portscope::gui {
namespace {

using namespace testing;

// The tool started after the web server, which is its parent.
const core::ProcessKey kWeb{4321, 1000};
const core::ProcessKey kTool{5555, 2000};

std::vector<core::Process> processes() {
    auto web = process(kWeb.pid, kWeb.startTime, "nginx", "/usr/sbin/nginx", "www-data", 33);
    auto tool = process(kTool.pid, kTool.startTime, "curl");
    tool.parentPid = kWeb.pid; // listed in the update
    web.parentPid = 77;        // not listed: read from the system
    return {web, tool};
}

std::vector<core::Socket> sockets() {
    return {
        tcpListener(1, 8080, kWeb),
        tcpSocket(2, "127.0.0.1", 8080, "127.0.0.1", 41000, kWeb),
        tcpSocket(3, "127.0.0.1", 41000, "127.0.0.1", 8080, kTool),
        tcpSocket(4, "192.168.1.5", 50312, "93.184.216.34", 443, kWeb),
        tcpSocket(6, "2001:db8::5", 50400, "2606:2800:220:1:248:1893:25c8:1946", 443, kTool),
        tcpSocket(7, "192.168.1.5", 50500, "192.168.1.1", 53, kTool),
        tcpSocket(8, "192.168.1.5", 50600, "93.184.216.34", 80, {}, core::SocketState::TimeWait)};
}

struct RecordedCloses {
    std::mutex mutex;
    std::vector<core::Socket> closes;

    SystemActions actions() {
        SystemActions a;
        a.killProcess = [](const core::ProcessKey&) {
            return platform::ActionResult{platform::ActionStatus::Done, "killed"};
        };
        a.closeConnection = [this](const core::Socket& socket) {
            std::lock_guard lock(mutex);
            closes.push_back(socket);
            return platform::ActionResult{platform::ActionStatus::Done, "closed"};
        };
        return a;
    }
    std::size_t count() {
        std::lock_guard lock(mutex);
        return closes.size();
    }
};

class RowActionsTest : public WindowFixture {
protected:
    void SetUp() override {
        QSettings().clear();
        window = std::make_unique<MainWindow>(recorded.actions());
        window->setIntervalMs(250);
        window->setUrlOpener([this](const QUrl& url) {
            opened.push_back(url);
            return true;
        });
        window->show();
        window->activateWindow();
        ASSERT_TRUE(QTest::qWaitForWindowActive(window.get()));
        script = std::make_shared<Script>();
        script->setSteady(snapshotAt(0, sockets(), processes()));
    }

    // Starts, then names parents the update does not list as if the system ran `bash` as 77.
    void startWithSystemParents() {
        start();
        ProcessParents::shared().setReader(
            [](std::int32_t pid) -> std::optional<ProcessParents::Running> {
                if (pid == 77) {
                    return ProcessParents::Running{QStringLiteral("bash"), 5};
                }
                return std::nullopt;
            });
    }

    // The flat table's row of the connection with `cookie`, as an index of the view.
    QModelIndex connectionRow(std::uint64_t cookie) {
        window->setGrouped(false);
        auto* model = window->tableModel();
        for (int r = 0; r < model->rowCount(); ++r) {
            if (model->connectionAt(model->index(r, 0))->socket.cookie == cookie) {
                return window->activeProxy()->mapFromSource(model->index(r, 0));
            }
        }
        return {};
    }

    QModelIndex processRow(const core::ProcessKey& key) {
        window->setGrouped(true);
        return window->activeProxy()->mapFromSource(window->treeModel()->indexOfProcess(key));
    }

    static QAction* entry(const QMenu& menu, const char* name) {
        for (QAction* action : menu.actions()) {
            if (action->objectName() == QLatin1String(name)) {
                return action;
            }
        }
        ADD_FAILURE() << "no menu entry " << name;
        return nullptr;
    }

    // The rows the active view shows, as the connections' cookies.
    std::vector<std::uint64_t> shownCookies() {
        std::vector<std::uint64_t> cookies;
        auto* proxy = window->activeProxy();
        for (int r = 0; r < proxy->rowCount(); ++r) {
            const auto* connection =
                proxy->updateModel()->connectionAt(proxy->mapToSource(proxy->index(r, 0)));
            if (connection != nullptr) {
                cookies.push_back(connection->socket.cookie);
            }
        }
        std::sort(cookies.begin(), cookies.end());
        return cookies;
    }

    RecordedCloses recorded;
    std::vector<QUrl> opened;
};

TEST_F(RowActionsTest, ConnectionMenuHasEveryEntryAndEachActs) {
    start();
    const QModelIndex row = connectionRow(4);
    ASSERT_TRUE(row.isValid());
    const auto menu = window->rowContextMenu(row);
    ASSERT_NE(menu, nullptr);
    for (const char* name :
         {"propertiesAction", "copyRemoteAddressAction", "copyRowAction", "filterProcessAction",
          "filterProcessNameAction", "filterLocalPortAction", "filterRemotePortAction",
          "openFileLocationAction", "lookUpRemoteAddressAction", "captureAction",
          "closeConnectionAction", "killAction"}) {
        QAction* action = entry(*menu, name);
        ASSERT_NE(action, nullptr) << name;
        EXPECT_FALSE(action->text().isEmpty()) << name;
    }
    EXPECT_EQ(menu->defaultAction(), entry(*menu, "propertiesAction"));

    // Copy remote address: the address alone.
    QApplication::clipboard()->clear();
    entry(*menu, "copyRemoteAddressAction")->trigger();
    EXPECT_EQ(QApplication::clipboard()->text(), QStringLiteral("93.184.216.34"));

    // Copy row: the row with the column titles.
    entry(*menu, "copyRowAction")->trigger();
    EXPECT_TRUE(QApplication::clipboard()->text().contains(QStringLiteral("93.184.216.34:443")));
    EXPECT_TRUE(QApplication::clipboard()
                    ->text()
                    .section(QLatin1Char('\n'), 0, 0)
                    .contains(QStringLiteral("Process")))
        << "the column titles first";

    // Filter to this port: the filter bar says it, and only connections to port 443 are left.
    auto* filter = child<QLineEdit>("filterEdit");
    entry(*menu, "filterRemotePortAction")->trigger();
    EXPECT_EQ(filter->text(), QStringLiteral("rport:443"));
    EXPECT_EQ(shownCookies(), (std::vector<std::uint64_t>{4, 6}));
    entry(*menu, "filterLocalPortAction")->trigger();
    EXPECT_EQ(filter->text(), QStringLiteral("lport:50312"));
    EXPECT_EQ(shownCookies(), (std::vector<std::uint64_t>{4}));
    entry(*menu, "filterProcessAction")->trigger();
    EXPECT_EQ(filter->text(), QStringLiteral("pid:4321"));
    EXPECT_EQ(shownCookies(), (std::vector<std::uint64_t>{1, 2, 4}));

    // Look up: the default site, through the window's opener, not a browser.
    QAction* lookUp = entry(*menu, "lookUpRemoteAddressAction");
    ASSERT_TRUE(lookUp->isEnabled());
    lookUp->trigger();
    ASSERT_EQ(opened.size(), 1u);
    EXPECT_EQ(opened[0], QUrl(QStringLiteral("https://rdap.org/ip/93.184.216.34")));
}

TEST_F(RowActionsTest, LookUpEscapesTheAddressIntoTheConfiguredSite) {
    QSettings().setValue(QStringLiteral("lookup/remoteAddressUrl"),
                         QStringLiteral("https://whois.example.org/lookup?q={address}&src=ps"));
    start();
    const auto menu = window->rowContextMenu(connectionRow(6));
    ASSERT_NE(menu, nullptr);
    entry(*menu, "lookUpRemoteAddressAction")->trigger();
    ASSERT_EQ(opened.size(), 1u);
    EXPECT_EQ(opened[0].toEncoded(),
              QByteArray("https://whois.example.org/lookup?q=2606%3A2800%3A220%3A1%3A248%3A1893%"
                         "3A25c8%3A1946&src=ps"));
    EXPECT_EQ(opened[0].host(), QStringLiteral("whois.example.org"));

    // An address in the path cannot become a port or a second path segment.
    const QUrl inPath = RowContextMenu::lookupUrl(QStringLiteral("https://rdap.org/ip/{address}"),
                                                  address("2606:2800:220:1::1"));
    EXPECT_EQ(inPath.toEncoded(), QByteArray("https://rdap.org/ip/2606%3A2800%3A220%3A1%3A%3A1"));
    EXPECT_EQ(inPath.port(), -1);
    // An IPv4 peer of a dual-stack socket is looked up as IPv4.
    EXPECT_EQ(RowContextMenu::lookupUrl(QStringLiteral("https://rdap.org/ip/{address}"),
                                        address("::ffff:93.184.216.34"))
                  .toEncoded(),
              QByteArray("https://rdap.org/ip/93.184.216.34"));
    // Only http and https sites that take the address.
    for (const char* bad : {"file:///etc/{address}", "https://rdap.org/ip/", "javascript:{address}",
                            "{address}", "https:///{address}"}) {
        EXPECT_FALSE(RowContextMenu::lookupTemplateProblem(QString::fromLatin1(bad)).isEmpty())
            << bad;
        EXPECT_TRUE(
            RowContextMenu::lookupUrl(QString::fromLatin1(bad), address("93.184.216.34")).isEmpty())
            << bad;
    }
}

TEST_F(RowActionsTest, EntriesThatCannotActAreOffAndSayWhy) {
    start();
    // A loopback peer and a private one are not looked up; the tooltip says why.
    for (const auto& [cookie, reason] :
         {std::pair<std::uint64_t, const char*>{2, "loopback"}, {7, "local-network"}}) {
        const auto menu = window->rowContextMenu(connectionRow(cookie));
        ASSERT_NE(menu, nullptr);
        QAction* lookUp = entry(*menu, "lookUpRemoteAddressAction");
        EXPECT_FALSE(lookUp->isEnabled()) << cookie;
        EXPECT_TRUE(lookUp->toolTip().contains(QLatin1String(reason)))
            << lookUp->toolTip().toStdString();
        EXPECT_EQ(lookUp->statusTip(), lookUp->toolTip());
    }
    // A listener has no remote address or port.
    const auto listener = window->rowContextMenu(connectionRow(1));
    EXPECT_FALSE(entry(*listener, "copyRemoteAddressAction")->isEnabled());
    EXPECT_FALSE(entry(*listener, "filterRemotePortAction")->isEnabled());
    EXPECT_TRUE(
        entry(*listener, "filterRemotePortAction")->toolTip().contains(QStringLiteral("listens")));
    EXPECT_FALSE(entry(*listener, "closeConnectionAction")->isEnabled());
    EXPECT_FALSE(entry(*listener, "closeConnectionAction")->toolTip().isEmpty());

    // A process row has no connection of its own.
    const auto process = window->rowContextMenu(processRow(kWeb));
    ASSERT_NE(process, nullptr);
    for (const char* name :
         {"copyRemoteAddressAction", "lookUpRemoteAddressAction", "filterLocalPortAction"}) {
        QAction* action = entry(*process, name);
        EXPECT_FALSE(action->isEnabled()) << name;
        EXPECT_TRUE(action->toolTip().contains(QStringLiteral("process row"))) << name;
    }
    EXPECT_TRUE(entry(*process, "filterProcessAction")->isEnabled());
    // nginx's folder, /usr/sbin, exists here; the program's folder opens as a file URL.
    QAction* folder = entry(*process, "openFileLocationAction");
    ASSERT_TRUE(folder->isEnabled()) << folder->toolTip().toStdString();
    folder->trigger();
    ASSERT_EQ(opened.size(), 1u);
    EXPECT_EQ(opened[0], QUrl::fromLocalFile(QStringLiteral("/usr/sbin")));
}

TEST_F(RowActionsTest, AMissingFolderAndAnUnusableSiteAreExplained) {
    QSettings().setValue(QStringLiteral("lookup/remoteAddressUrl"),
                         QStringLiteral("ftp://example.org/{address}"));
    auto list = processes();
    list[0].exePath = "/nonexistent-portscope-folder/nginx";
    script->setSteady(snapshotAt(0, sockets(), list));
    start();
    const auto menu = window->rowContextMenu(connectionRow(4));
    QAction* folder = entry(*menu, "openFileLocationAction");
    EXPECT_FALSE(folder->isEnabled());
    EXPECT_TRUE(folder->toolTip().contains(QStringLiteral("does not exist")));
    QAction* lookUp = entry(*menu, "lookUpRemoteAddressAction");
    EXPECT_FALSE(lookUp->isEnabled());
    EXPECT_TRUE(lookUp->toolTip().contains(QStringLiteral("http or https")));
    EXPECT_TRUE(opened.empty());
}

TEST_F(RowActionsTest, FilterToAHostileProcessNameQuotesItAndMatchesOnlyThatProcess) {
    const std::string hostile = "a\"b\\c d,e&f -x";
    auto list = processes();
    list[1].name = hostile;
    script->setSteady(snapshotAt(0, sockets(), list));
    start();
    const auto menu = window->rowContextMenu(connectionRow(3));
    QAction* byName = entry(*menu, "filterProcessNameAction");
    ASSERT_NE(byName, nullptr);
    // '&' is shown, not taken as the mark of a shortcut letter.
    EXPECT_TRUE(byName->text().contains(QStringLiteral("e&&f")));
    byName->trigger();
    const QString text = child<QLineEdit>("filterEdit")->text();
    EXPECT_EQ(text, QStringLiteral("proc:\"a\\\"b\\\\c d,e&f -x\""));
    EXPECT_FALSE(child<QLabel>("filterError")->isVisible());
    EXPECT_EQ(shownCookies(), (std::vector<std::uint64_t>{3, 6, 7}));
}

TEST_F(RowActionsTest, CloseConnectionHasAShortcut) {
    start();
    const QModelIndex row = connectionRow(4);
    window->activeView()->selectionModel()->setCurrentIndex(
        row, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    window->activeView()->setFocus();
    auto* close = child<QAction>("closeConnectionAction");
    ASSERT_TRUE(close->isEnabled());
    EXPECT_EQ(close->shortcut(), QKeySequence(QStringLiteral("Ctrl+T")));
    QTest::keyClick(window->activeView(), Qt::Key_T, Qt::ControlModifier);
    ASSERT_TRUE(waitFor([&] { return recorded.count() == 1; }));
    EXPECT_EQ(recorded.closes[0].remote.port, 443);
}

TEST_F(RowActionsTest, DoubleClickOpensPropertiesWithTheParentNamed) {
    startWithSystemParents();
    // A double-click on a process row of the tree.
    QTreeView* tree = window->activeView();
    const QModelIndex row = processRow(kTool);
    ASSERT_TRUE(row.isValid());
    tree->scrollTo(row);
    const QPoint centre = tree->visualRect(row).center();
    const bool expandedBefore = tree->isExpanded(row);
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, centre);
    QTest::mouseDClick(tree->viewport(), Qt::LeftButton, {}, centre);
    ProcessPropertiesDialog* dialog = nullptr;
    ASSERT_TRUE(waitFor([&] {
        dialog = window->findChild<ProcessPropertiesDialog*>();
        return dialog != nullptr && dialog->isVisible();
    }));
    EXPECT_FALSE(dialog->isModal());
    EXPECT_EQ(dialog->process(), std::make_pair(kTool.pid, kTool.startTime));
    EXPECT_EQ(dialog->findChild<QLabel*>(QStringLiteral("propertiesParent"))->text(),
              QStringLiteral("4321 (nginx)"));
    EXPECT_EQ(dialog->findChild<QLabel*>(QStringLiteral("propertiesConnections"))->text(),
              QStringLiteral("3 TCP, 0 UDP: 0 listening, 3 established, 0 closed recently"));
    EXPECT_EQ(dialog->findChild<QLineEdit*>(QStringLiteral("propertiesPath"))->text(),
              QStringLiteral("/usr/bin/curl"));
    // Values are selectable; Copy puts them all on the clipboard.
    EXPECT_TRUE(
        dialog->findChild<QLabel*>(QStringLiteral("propertiesName"))->textInteractionFlags() &
        Qt::TextSelectableByMouse);
    dialog->findChild<QPushButton*>(QStringLiteral("propertiesCopyButton"))->click();
    const QString copied = QApplication::clipboard()->text();
    EXPECT_TRUE(copied.contains(QStringLiteral("Parent: 4321 (nginx)\n"))) << copied.toStdString();
    EXPECT_TRUE(copied.contains(QStringLiteral("Command line: /usr/bin/curl --serve\n")));
    EXPECT_TRUE(copied.contains(QStringLiteral("Started: ")));
    // The tree did not expand or collapse instead.
    EXPECT_EQ(tree->isExpanded(row), expandedBefore);

    // In the flat table, a connection row opens its owner; the parent there is read from the
    // system, as the update does not list it.
    const QModelIndex connection = connectionRow(4);
    QTreeView* table = window->activeView();
    table->scrollTo(connection);
    const QPoint point = table->visualRect(connection).center();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, point);
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, point);
    ProcessPropertiesDialog* owner = nullptr;
    ASSERT_TRUE(waitFor([&] {
        for (auto* open : window->findChildren<ProcessPropertiesDialog*>()) {
            if (open->process().first == kWeb.pid && open->isVisible()) {
                owner = open;
            }
        }
        return owner != nullptr;
    }));
    EXPECT_EQ(owner->findChild<QLabel*>(QStringLiteral("propertiesParent"))->text(),
              QStringLiteral("77 (bash)"));
    // The Process tab names the parent the same way.
    window->detailTabs()->setCurrentIndex(1);
    auto* panel = window->findChild<ProcessDetailsPanel*>();
    EXPECT_EQ(panel->findChild<QLabel*>(QStringLiteral("detailParent"))->text(),
              QStringLiteral("77 (bash)"));

    // Asking again raises the same window rather than opening another.
    EXPECT_EQ(window->showProcessProperties(), owner);
}

TEST_F(RowActionsTest, DoubleClickFoldsTheGroupWithoutAProcess) {
    start();
    window->setGrouped(true);
    QTreeView* tree = window->activeView();
    auto* proxy = window->activeProxy();
    QModelIndex group;
    for (int r = 0; r < proxy->rowCount(); ++r) {
        const QModelIndex candidate =
            proxy->index(r, window->treeModel()->columnOf(Field::Name)).siblingAtColumn(0);
        if (proxy->index(r, window->treeModel()->columnOf(Field::Name)).data().toString() ==
            unownedGroupName()) {
            group = candidate;
        }
    }
    ASSERT_TRUE(group.isValid());
    const bool expandedBefore = tree->isExpanded(group);
    tree->scrollTo(group);
    const QPoint centre = tree->visualRect(group).center();
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, centre);
    QTest::mouseDClick(tree->viewport(), Qt::LeftButton, {}, centre);
    EXPECT_NE(tree->isExpanded(group), expandedBefore);
    EXPECT_EQ(window->findChild<ProcessPropertiesDialog*>(), nullptr);
    EXPECT_FALSE(child<QLabel>("actionMessage")->isVisible());
}

TEST_F(RowActionsTest, TheListsTooltipNamesTheParent) {
    startWithSystemParents();
    const QModelIndex tool = processRow(kTool);
    const int nameColumn = window->treeModel()->columnOf(Field::Name);
    EXPECT_TRUE(tool.siblingAtColumn(nameColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("Parent: 4321 (nginx)")));
    const QModelIndex web = connectionRow(4);
    const QString tip = web.siblingAtColumn(window->tableModel()->columnOf(Field::Name))
                            .data(Qt::ToolTipRole)
                            .toString();
    EXPECT_TRUE(tip.contains(QStringLiteral("Parent: 77 (bash)"))) << tip.toStdString();
}

TEST_F(RowActionsTest, PropertiesShowAHostileNameLiterally) {
    auto list = processes();
    list[0].name = kHostileName;
    script->setSteady(snapshotAt(0, sockets(), list));
    startWithSystemParents();
    window->rowContextMenu(processRow(kWeb)); // selects it
    ProcessPropertiesDialog* dialog = window->showProcessProperties();
    ASSERT_NE(dialog, nullptr);
    EXPECT_TRUE(labelsRenderingMarkup(*dialog).isEmpty());
    EXPECT_EQ(dialog->findChild<QLabel*>(QStringLiteral("propertiesName"))->text(),
              QString::fromStdString(kHostileName));
    EXPECT_TRUE(dialog->windowTitle().contains(QString::fromStdString(kHostileName)));
}

TEST(ProcessParentsTest, NamesTheParentAndNoticesAReusedPid) {
    core::Process child;
    child.key = {200, 5000};
    child.parentPid = 100;
    ProcessParents parents;
    EXPECT_EQ(parents.describe(child, nullptr), QStringLiteral("100")) << "nothing tells";

    int reads = 0;
    std::uint64_t parentStart = 4000;
    parents.setReader([&](std::int32_t pid) -> std::optional<ProcessParents::Running> {
        ++reads;
        return pid == 100
                   ? std::optional(ProcessParents::Running{QStringLiteral("sshd"), parentStart})
                   : std::nullopt;
    });
    EXPECT_EQ(parents.describe(child, nullptr), QStringLiteral("100 (sshd)"));
    EXPECT_EQ(parents.describe(child, nullptr), QStringLiteral("100 (sshd)"));
    EXPECT_EQ(reads, 1) << "read once per child";

    // What runs under PID 100 now started after the child: it is not the parent.
    core::Process other = child;
    other.key = {201, 5001};
    parentStart = 6000;
    EXPECT_EQ(parents.describe(other, nullptr), QStringLiteral("100 (no longer running)"));
    core::Process orphan = child;
    orphan.key = {202, 5002};
    orphan.parentPid = 101;
    EXPECT_EQ(parents.describe(orphan, nullptr), QStringLiteral("101 (no longer running)"));
    orphan.parentPid = 0;
    EXPECT_EQ(parents.describe(orphan, nullptr), QStringLiteral("none"));
}

} // namespace
} // namespace portscope::gui
