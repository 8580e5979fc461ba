// What the window's layout promises: nothing moves or changes height when the data or the
// state changes, and no column cuts the words it usually shows.

#include "connection_table_model.h"
#include "gui_test_support.h"
#include "gui_window_fixture.h"
#include "main_window.h"
#include "process_tree_model.h"
#include "system_actions.h"

#include <QAbstractButton>
#include <QAction>
#include <QComboBox>
#include <QFont>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QToolBar>
#include <QTreeView>
#include <gtest/gtest.h>

namespace portscope::gui {
namespace {

using namespace testing;

const core::ProcessKey kServer{4321, 987654};

class LayoutTest : public WindowFixture {
protected:
    void SetUp() override {
        openWindow();
        // The first row (sorted by name) is a process without an icon of its own; the scope
        // column has to show "unspecified" for the wildcard listener.
        script->setSteady(snapshotAt(
            0,
            {tcpListener(1, 8080, kServer), udpSocket(2, "0.0.0.0", 5353, kServer),
             tcpSocket(3, "127.0.0.1", 8080, "127.0.0.1", 41000, kServer)},
            {process(kServer.pid, kServer.startTime, "aaa-server", "/usr/sbin/aaa-server")}));
    }
};

TEST_F(LayoutTest, RowsKeepOneHeightWhetherOrNotTheyHaveAnIcon) {
    // A socket whose owner is hidden has no process icon. Sorted first, it used to set the
    // height of every row (uniform row heights) to a text line, shorter than an icon; with a
    // small font the difference is plain.
    QFont small = window->font();
    small.setPointSize(6);
    window->setFont(small);
    core::Socket hidden = tcpSocket(9, "10.0.0.2", 22, "10.0.0.3", 5000);
    hidden.ownerStatus = core::OwnerStatus::PermissionDenied;
    script->setSteady(snapshotAt(0, {hidden, tcpListener(1, 8080, kServer)},
                                 {process(kServer.pid, kServer.startTime, "aaa-server")}));
    start();
    window->setGrouped(false);
    QTreeView* table = window->activeView();
    const int name = window->tableModel()->columnOf(Field::Name);
    table->sortByColumn(name, Qt::AscendingOrder);
    const QModelIndex first = table->model()->index(0, name);
    const QModelIndex second = table->model()->index(1, name);
    ASSERT_TRUE(second.isValid());
    const bool firstHasIcon = !first.data(Qt::DecorationRole).isNull();
    const bool secondHasIcon = !second.data(Qt::DecorationRole).isNull();
    ASSERT_NE(firstHasIcon, secondHasIcon) << "one row with an icon and one without";
    const int rowHeight = table->visualRect(first).height();
    EXPECT_GE(rowHeight, table->iconSize().height() + 2);
    table->sortByColumn(name, Qt::DescendingOrder);
    EXPECT_EQ(table->visualRect(table->model()->index(0, name)).height(), rowHeight);

    window->setGrouped(true);
    QTreeView* tree = window->activeView();
    tree->expandAll();
    EXPECT_EQ(tree->visualRect(tree->model()->index(0, 0)).height(), rowHeight)
        << "the tree and the flat table have the same row height";
}

TEST_F(LayoutTest, TheScopeColumnShowsUnspecifiedWhole) {
    start();
    for (bool grouped : {true, false}) {
        window->setGrouped(grouped);
        QTreeView* view = window->activeView();
        const int column = grouped ? window->treeModel()->columnOf(Field::Scope)
                                   : window->tableModel()->columnOf(Field::Scope);
        ASSERT_GE(column, 0);
        const int needed = view->fontMetrics().horizontalAdvance(QStringLiteral("unspecified"));
        EXPECT_GT(view->header()->sectionSize(column), needed) << "grouped " << grouped;
    }
}

TEST_F(LayoutTest, PauseAndResumeDoNotMoveTheToolBar) {
    start();
    auto* toolBar = window->findChild<QToolBar*>(QStringLiteral("mainToolBar"));
    ASSERT_NE(toolBar, nullptr);
    auto* combo = child<QComboBox>("intervalCombo");
    const int comboAtRun = combo->mapTo(window.get(), QPoint(0, 0)).x();
    window->setPaused(true);
    QCoreApplication::processEvents();
    EXPECT_EQ(combo->mapTo(window.get(), QPoint(0, 0)).x(), comboAtRun);
    window->setPaused(false);
    QCoreApplication::processEvents();
    EXPECT_EQ(combo->mapTo(window.get(), QPoint(0, 0)).x(), comboAtRun);
}

TEST_F(LayoutTest, ACustomIntervalTakesItsPlaceInOrder) {
    auto* combo = child<QComboBox>("intervalCombo");
    const auto values = [combo] {
        std::vector<int> out;
        for (int i = 0; i < combo->count(); ++i) {
            out.push_back(combo->itemData(i).toInt());
        }
        return out;
    };
    window->setIntervalMs(3000);
    EXPECT_EQ(combo->currentText(), QStringLiteral("3 s"));
    EXPECT_EQ(values(), (std::vector<int>{500, 1000, 2000, 3000, 5000, 10000, -1}));
    // A second custom value replaces the first; the last entry stays "Custom…".
    window->setIntervalMs(20000);
    EXPECT_EQ(values(), (std::vector<int>{500, 1000, 2000, 5000, 10000, 20000, -1}));
    window->setIntervalMs(1000);
    EXPECT_EQ(combo->currentData().toInt(), 1000);
    window->setIntervalMs(250);
    EXPECT_EQ(values(), (std::vector<int>{250, 500, 1000, 2000, 5000, 10000, -1}));
}

TEST_F(LayoutTest, AWarningBannerDoesNotMoveTheList) {
    start();
    QTreeView* view = window->activeView();
    const int listTop = view->mapTo(window.get(), QPoint(0, 0)).y();
    core::Socket hidden = tcpSocket(9, "10.0.0.2", 22, "10.0.0.3", 5000);
    hidden.ownerStatus = core::OwnerStatus::PermissionDenied;
    auto snapshot = snapshotAt(0, {hidden, tcpListener(1, 8080, kServer)},
                               {process(kServer.pid, kServer.startTime, "aaa-server")});
    snapshot.warnings.push_back(portscope::core::verbatimText("Owners of 1 socket are hidden."));
    script->setSteady(snapshot);
    auto* banner = child<QWidget>("warningBanner");
    ASSERT_TRUE(waitFor([&] { return banner->isVisible(); }));
    QCoreApplication::processEvents();
    EXPECT_EQ(view->mapTo(window.get(), QPoint(0, 0)).y(), listTop);
    EXPECT_GT(banner->mapTo(window.get(), QPoint(0, 0)).y(), listTop) << "below the list";
}

TEST_F(LayoutTest, AFilterErrorFloatsBelowTheFilterWithoutMovingTheList) {
    start();
    QTreeView* view = window->activeView();
    const int listTop = view->mapTo(window.get(), QPoint(0, 0)).y();
    auto* filter = child<QLineEdit>("filterEdit");
    filter->setText(QStringLiteral("stat:listen"));
    auto* error = child<QLabel>("filterError");
    ASSERT_TRUE(waitFor([&] { return error->isVisible(); }));
    QCoreApplication::processEvents();
    EXPECT_EQ(view->mapTo(window.get(), QPoint(0, 0)).y(), listTop);
    const QPoint errorAt = error->mapTo(window.get(), QPoint(0, 0));
    const QPoint filterAt = filter->mapTo(window.get(), QPoint(0, 0));
    EXPECT_GE(errorAt.y(), filterAt.y() + filter->height()) << "below the filter box";
    EXPECT_EQ(errorAt.x(), filterAt.x());
    EXPECT_GE(error->height(), error->fontMetrics().height()) << "its text is not cut";
    filter->setText(QStringLiteral("state:listen"));
    EXPECT_TRUE(waitFor([&] { return !error->isVisible(); }));
}

} // namespace
} // namespace portscope::gui
