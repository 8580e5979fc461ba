// The filter bar and the keys around it, in the real window over a scripted source: how many
// rows the filter lets through, a process's count under a filter, the Show switches, error
// wording, Down into the list, Space, and what a filter change keeps.

#include "connection_filter_proxy.h"
#include "connection_table_model.h"
#include "gui_test_support.h"
#include "gui_window_fixture.h"
#include "main_window.h"
#include "owner_name_delegate.h"
#include "portscope/core/filter_query.h"
#include "process_tree_model.h"
#include "system_actions.h"

#include <QAction>
#include <QCheckBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSettings>
#include <QTabWidget>
#include <QTreeView>
#include <gtest/gtest.h>

namespace portscope::gui {
namespace {

using namespace testing;

const core::ProcessKey kServer{4321, 987654};
const core::ProcessKey kClient{5555, 111};

// The server owns three TCP sockets, the client a TCP and a UDP one.
core::Snapshot fiveSockets() {
    return snapshotAt(0,
                      {tcpListener(1, 8080, kServer),
                       tcpSocket(2, "127.0.0.1", 8080, "127.0.0.1", 41000, kServer),
                       tcpSocket(3, "127.0.0.1", 41000, "127.0.0.1", 8080, kClient),
                       tcpSocket(4, "192.168.1.5", 443, "93.184.216.34", 443, kServer),
                       udpSocket(5, "0.0.0.0", 5353, kClient)},
                      {process(kServer.pid, kServer.startTime, "nginx"),
                       process(kClient.pid, kClient.startTime, "curl")});
}

class FilterBarTest : public WindowFixture {
protected:
    void SetUp() override {
        openWindow();
        window->activateWindow();
        ASSERT_TRUE(QTest::qWaitForWindowActive(window.get())); // shortcuts need an active window
        script->setSteady(fiveSockets());
        start();
        ASSERT_TRUE(waitFor([&] { return window->treeModel()->rowCount() == 2; }));
    }

    // Applies `text` now and lets the views settle.
    void filter(const char* text) {
        child<QLineEdit>("filterEdit")->setText(QString::fromUtf8(text));
        window->applyFilterText(QString::fromUtf8(text));
        QCoreApplication::processEvents();
    }

    // The row of process `key` in the tree as shown, or an invalid index.
    QModelIndex shownProcess(const core::ProcessKey& key) const {
        return window->activeProxy()->mapFromSource(window->treeModel()->indexOfProcess(key));
    }

    // The flat table's row of the connection with socket cookie `cookie`, as shown.
    QModelIndex shownConnection(std::uint64_t cookie) const {
        ConnectionTableModel* model = window->tableModel();
        for (int row = 0; row < model->rowCount(); ++row) {
            const QModelIndex index = model->index(row, 0);
            if (model->connectionAt(index)->socket.cookie == cookie) {
                return window->activeProxy()->mapFromSource(index);
            }
        }
        return {};
    }

    QString connectionsCell(const core::ProcessKey& key) const {
        return shownProcess(key)
            .siblingAtColumn(window->treeModel()->columnOf(Field::Connections))
            .data()
            .toString();
    }
};

TEST_F(FilterBarTest, SaysHowManyRowsAreShownOnlyWhileSomeAreHidden) {
    auto* shown = child<QLabel>("rowsShown");
    ASSERT_NE(shown, nullptr);
    EXPECT_EQ(shown->text(), QString()) << "nothing is hidden";
    const int width = shown->width();
    const QPoint listAt = window->activeView()->mapTo(window.get(), QPoint(0, 0));

    filter("port:443");
    EXPECT_EQ(shown->text(), QStringLiteral("1 of 2 processes shown"));
    window->setGrouped(false);
    EXPECT_EQ(shown->text(), QStringLiteral("1 of 5 connections shown"));

    // A filter that hides nothing says nothing.
    filter("proto:tcp,udp");
    EXPECT_EQ(shown->text(), QString());
    // A Show switch counts as much as the filter.
    child<QAction>("toggle_udp")->setChecked(false);
    EXPECT_EQ(shown->text(), QStringLiteral("4 of 5 connections shown"));
    child<QAction>("toggle_udp")->setChecked(true);
    EXPECT_EQ(shown->text(), QString());

    // The count keeps up with updates: a new connection the filter hides raises the total.
    filter("port:443");
    core::Snapshot more = fiveSockets();
    more.sockets.push_back(tcpSocket(6, "127.0.0.1", 41001, "127.0.0.1", 8080, kClient));
    script->setSteady(more);
    ASSERT_TRUE(waitFor([&] {
        return shown->text() == QStringLiteral("1 of 6 connections shown");
    })) << shown->text().toStdString();

    // The bar and the list below it never move for it.
    EXPECT_EQ(shown->width(), width);
    EXPECT_EQ(window->activeView()->mapTo(window.get(), QPoint(0, 0)), listAt);
}

TEST_F(FilterBarTest, AProcessCountsTheConnectionsTheFilterShows) {
    const int column = window->treeModel()->columnOf(Field::Connections);
    EXPECT_EQ(connectionsCell(kServer), QStringLiteral("3 TCP"));

    filter("port:443");
    EXPECT_EQ(connectionsCell(kServer), QStringLiteral("1 of 3"));
    const QString tip =
        shownProcess(kServer).siblingAtColumn(column).data(Qt::ToolTipRole).toString();
    EXPECT_TRUE(tip.contains(QStringLiteral("1 of this process's 3 connections")))
        << tip.toStdString();
    EXPECT_TRUE(tip.contains(QStringLiteral("TCP 3"))) << "the totals stay in the tooltip";
    // It is the number of rows under the process.
    EXPECT_EQ(window->activeProxy()->rowCount(shownProcess(kServer)), 1);

    // A process whose connections all pass keeps its usual cell.
    filter("-rport:443 -state:listen");
    EXPECT_EQ(connectionsCell(kServer), QStringLiteral("1 of 3"));
    EXPECT_EQ(connectionsCell(kClient), QStringLiteral("1 TCP, 1 UDP"));

    // Sorting by the column sorts by what is shown: 1 before 2, although 3 > 2 in all.
    window->activeView()->sortByColumn(column, Qt::AscendingOrder);
    EXPECT_EQ(window->activeProxy()->index(0, 0).data().toString(), QStringLiteral("nginx"));
    filter("");
    EXPECT_EQ(connectionsCell(kServer), QStringLiteral("3 TCP"));
    window->activeView()->sortByColumn(column, Qt::AscendingOrder);
    EXPECT_EQ(window->activeProxy()->index(0, 0).data().toString(), QStringLiteral("curl"));
}

TEST_F(FilterBarTest, ShowSwitchesAreCheckBoxesThatFollowTheirActions) {
    auto* udp = child<QCheckBox>("switch_udp");
    auto* action = child<QAction>("toggle_udp");
    ASSERT_NE(udp, nullptr);
    EXPECT_TRUE(udp->isVisible());
    EXPECT_TRUE(udp->isChecked());
    udp->click();
    EXPECT_FALSE(action->isChecked());
    EXPECT_FALSE(window->activeProxy()->toggles().udp);
    action->setChecked(true); // View › Show, or the settings
    EXPECT_TRUE(udp->isChecked());
    EXPECT_EQ(
        window->findChildren<QCheckBox*>(QRegularExpression(QStringLiteral("^switch_"))).size(), 7);
}

TEST_F(FilterBarTest, ErrorsCountCharactersAndSuggestTheNearestField) {
    auto* error = child<QLabel>("filterError");
    ASSERT_NE(error, nullptr);
    filter("stat:listen");
    ASSERT_TRUE(error->isVisible());
    EXPECT_TRUE(error->text().startsWith(QStringLiteral("Filter not applied, character 1: ")))
        << error->text().toStdString();
    EXPECT_TRUE(
        error->text().contains(QStringLiteral("Unknown field 'stat:'. Did you mean state:?")))
        << error->text().toStdString();

    filter("\u00e9t\u00e9 port:70000");
    EXPECT_TRUE(error->text().contains(QStringLiteral("character 10: '70000' is out of range")))
        << error->text().toStdString();
}

TEST_F(FilterBarTest, DownInTheFilterBoxMovesIntoTheListAndSelectsItsFirstRow) {
    auto* edit = child<QLineEdit>("filterEdit");
    edit->setFocus();
    ASSERT_TRUE(waitFor([&] { return edit->hasFocus(); }));
    EXPECT_FALSE(window->activeView()->selectionModel()->hasSelection());
    QTest::keyClick(edit, Qt::Key_Down);
    EXPECT_TRUE(window->activeView()->hasFocus());
    const QModelIndexList rows = window->activeView()->selectionModel()->selectedRows();
    ASSERT_EQ(rows.size(), 1);
    EXPECT_EQ(rows.front(), window->activeProxy()->index(0, 0));

    // A selection that is there stays.
    window->activeView()->selectionModel()->setCurrentIndex(window->activeProxy()->index(1, 0),
                                                            QItemSelectionModel::ClearAndSelect |
                                                                QItemSelectionModel::Rows);
    edit->setFocus();
    QTest::keyClick(edit, Qt::Key_Down);
    EXPECT_TRUE(window->activeView()->hasFocus());
    EXPECT_EQ(window->activeView()->selectionModel()->selectedRows().front(),
              window->activeProxy()->index(1, 0));
}

TEST_F(FilterBarTest, SpacePausesOnlyOutsideTheListAndTheFilterBox) {
    QTreeView* list = window->activeView();
    list->setFocus();
    list->setCurrentIndex(window->activeProxy()->index(0, 0));
    QTest::keyClick(list, Qt::Key_Space);
    EXPECT_FALSE(window->isPaused()) << "Space in the list selects, as in any list";

    auto* edit = child<QLineEdit>("filterEdit");
    edit->setFocus();
    QTest::keyClick(edit, Qt::Key_Space);
    EXPECT_FALSE(window->isPaused());
    EXPECT_EQ(edit->text(), QStringLiteral(" "));

    QWidget* tabs = window->detailTabs()->tabBar();
    tabs->setFocus();
    ASSERT_TRUE(waitFor([&] { return tabs->hasFocus(); }));
    QTest::keyClick(tabs, Qt::Key_Space);
    EXPECT_TRUE(window->isPaused());
    QTest::keyClick(tabs, Qt::Key_Space);
    EXPECT_FALSE(window->isPaused());
}

TEST_F(FilterBarTest, AFilterChangeKeepsTheTreesSelectionAndExpandedProcesses) {
    QTreeView* tree = window->activeView();
    tree->expand(shownProcess(kServer));
    tree->expand(shownProcess(kClient));
    tree->selectionModel()->setCurrentIndex(
        shownProcess(kClient), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);

    // Letter by letter a filter hides the client for a moment, then shows it again.
    filter("port:443");
    ASSERT_FALSE(shownProcess(kClient).isValid());
    EXPECT_TRUE(tree->isExpanded(shownProcess(kServer)));
    filter("port:443,5353");
    ASSERT_TRUE(shownProcess(kClient).isValid());
    EXPECT_TRUE(tree->isExpanded(shownProcess(kClient)));
    EXPECT_TRUE(tree->isExpanded(shownProcess(kServer)));
    EXPECT_TRUE(tree->selectionModel()->isRowSelected(shownProcess(kClient).row(), {}));
    EXPECT_EQ(tree->currentIndex().siblingAtColumn(0), shownProcess(kClient));

    // A connection row, too; and a collapsed process stays collapsed.
    tree->collapse(shownProcess(kServer));
    const QModelIndex udpRow = window->activeProxy()->index(0, 0, shownProcess(kClient));
    ASSERT_TRUE(udpRow.isValid());
    tree->selectionModel()->setCurrentIndex(udpRow, QItemSelectionModel::ClearAndSelect |
                                                        QItemSelectionModel::Rows);
    const QString udpText =
        udpRow.siblingAtColumn(window->treeModel()->columnOf(Field::Local)).data().toString();
    filter("proc:nginx");
    filter("");
    EXPECT_FALSE(tree->isExpanded(shownProcess(kServer)));
    const QModelIndexList selected =
        tree->selectionModel()->selectedRows(window->treeModel()->columnOf(Field::Local));
    ASSERT_EQ(selected.size(), 1);
    EXPECT_EQ(selected.front().data().toString(), udpText);
}

TEST_F(FilterBarTest, AFilterChangeKeepsTheTablesSelection) {
    window->setGrouped(false);
    QTreeView* table = window->activeView();
    table->selectionModel()->setCurrentIndex(
        shownConnection(4), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    filter("proc:curl");
    ASSERT_FALSE(shownConnection(4).isValid());
    filter("");
    ASSERT_TRUE(shownConnection(4).isValid());
    EXPECT_TRUE(table->selectionModel()->isRowSelected(shownConnection(4).row(), {}));
    EXPECT_EQ(table->selectionModel()->selectedRows().size(), 1);
    EXPECT_EQ(table->currentIndex().row(), shownConnection(4).row());

    // Selecting something else replaces what is remembered.
    table->selectionModel()->setCurrentIndex(
        shownConnection(5), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    filter("proc:nginx");
    filter("");
    EXPECT_TRUE(table->selectionModel()->isRowSelected(shownConnection(5).row(), {}));
    EXPECT_FALSE(table->selectionModel()->isRowSelected(shownConnection(4).row(), {}));
}

TEST_F(FilterBarTest, ConnectionRowsNameTheirProcessInGrey) {
    QTreeView* tree = window->activeView();
    const int nameColumn = window->treeModel()->columnOf(Field::Name);
    auto* delegate = qobject_cast<OwnerNameDelegate*>(tree->itemDelegateForColumn(nameColumn));
    ASSERT_NE(delegate, nullptr);
    const QModelIndex server = shownProcess(kServer);
    const QModelIndex child = window->activeProxy()->index(0, nameColumn, server);
    ASSERT_TRUE(child.isValid());
    EXPECT_EQ(OwnerNameDelegate::ownerText(child), QStringLiteral("nginx"));
    EXPECT_EQ(OwnerNameDelegate::ownerText(server), QString()) << "the process row has its name";
}

} // namespace
} // namespace portscope::gui
