// The path of an update from the models through the sorting proxy to a shown view: the proxy
// puts off sorting while a model applies an update and sorts once after, the view repaints
// changed rows without walking them, and through churn every level stays sorted, rows arrive
// and leave as the tracker says, and selections stay on their rows.

#include "connection_filter_proxy.h"
#include "connection_table_model.h"
#include "connection_view.h"
#include "gui_test_support.h"
#include "process_tree_model.h"
#include "row_format.h"

#include <QAbstractItemModelTester>
#include <QIdentityProxyModel>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <gtest/gtest.h>
#include <set>

namespace portscope::gui {
namespace {

using namespace testing;
using core::ProcessKey;

const ProcessKey kWeb{200, 7001};
const ProcessKey kDb{300, 7002};
const ProcessKey kCache{400, 7003};

std::vector<core::Process> threeProcesses() {
    return {process(kWeb.pid, kWeb.startTime, "nginx"), process(kDb.pid, kDb.startTime, "postgres"),
            process(kCache.pid, kCache.startTime, "Redis")};
}

// A small system with churn: `count` connections over three processes. Each tick every
// connection's traffic moves and, with churn, a seventh of the even slots get a new
// connection; the odd slots keep theirs.
class ChurningSystem {
public:
    explicit ChurningSystem(std::size_t count) {
        for (std::size_t i = 0; i < count; ++i) {
            sockets_.push_back(make());
        }
    }
    core::UpdatePtr next() {
        for (std::size_t i = (tick_ % 7) * 2; i < sockets_.size(); i += 14) {
            sockets_[i] = make();
        }
        return trafficOnly();
    }
    core::UpdatePtr trafficOnly() {
        for (auto& socket : sockets_) {
            socket.counters.bytesReceived += 100 * (socket.cookie % 13);
        }
        return tracker_.apply(snapshotAt(tick_++, sockets_, threeProcesses()));
    }
    // A connection that never closes.
    std::uint64_t stableCookie() const { return sockets_.at(1).cookie; }

private:
    core::Socket make() {
        const std::uint64_t serial = serial_++;
        const ProcessKey owners[] = {kWeb, kDb, kCache};
        const ProcessKey owner = owners[serial % 3];
        if (serial % 5 == 0) {
            return udpSocket(1000 + serial, "10.0.0.1", static_cast<std::uint16_t>(5000 + serial),
                             owner);
        }
        core::Socket socket = tcpSocket(1000 + serial, "10.0.0.1",
                                        static_cast<std::uint16_t>(20000 + (serial * 7919) % 30000),
                                        "10.0.0.9", 443, owner);
        socket.counters.bytesReceived = (serial * 104729) % 100000;
        return socket;
    }

    core::Tracker tracker_{core::TrackerOptions{2, 600, 256}};
    std::vector<core::Socket> sockets_;
    std::uint64_t serial_ = 0;
    int tick_ = 0;
};

// The proxy row (column 0) of the connection with `cookie`, at any level.
QModelIndex findByCookie(const ConnectionFilterProxy& proxy, const UpdateModel& model,
                         const QModelIndex& parent, std::uint64_t cookie) {
    for (int row = 0; row < proxy.rowCount(parent); ++row) {
        const QModelIndex index = proxy.index(row, 0, parent);
        const core::Connection* connection = model.connectionAt(proxy.mapToSource(index));
        if (connection != nullptr && connection->socket.cookie == cookie) {
            return index;
        }
        if (const QModelIndex below = findByCookie(proxy, model, index, cookie); below.isValid()) {
            return below;
        }
    }
    return {};
}

// Every row under `parent` in the proxy is in the proxy's sort order, ties by source row; and
// so are the rows under each of them.
void expectSorted(const ConnectionFilterProxy& proxy, const QModelIndex& parent, const char* when) {
    const int column = proxy.sortColumn();
    const bool ascending = proxy.sortOrder() == Qt::AscendingOrder;
    const int rows = proxy.rowCount(parent);
    for (int row = 1; row < rows; ++row) {
        const QModelIndex before = proxy.mapToSource(proxy.index(row - 1, column, parent));
        const QModelIndex after = proxy.mapToSource(proxy.index(row, column, parent));
        const QVariant a = before.data(roles::Sort);
        const QVariant b = after.data(roles::Sort);
        const int order = QVariant::compare(a, b) == QPartialOrdering::Less      ? -1
                          : QVariant::compare(a, b) == QPartialOrdering::Greater ? 1
                                                                                 : 0;
        const int wanted = ascending ? order : -order;
        if (a.typeId() == QMetaType::QString) {
            const int text = QString::compare(a.toString(), b.toString(), Qt::CaseInsensitive);
            ASSERT_LE(ascending ? text : -text, 0) << when << ": row " << row;
            if (text != 0) {
                continue;
            }
        } else {
            ASSERT_LE(wanted, 0) << when << ": row " << row;
            if (order != 0) {
                continue;
            }
        }
        // Ties go by source row, and a descending sort reverses that too.
        ASSERT_EQ(before.row() < after.row(), ascending)
            << when << ": equal rows in the source order";
    }
    for (int row = 0; row < rows; ++row) {
        const QModelIndex child = proxy.index(row, 0, parent);
        if (proxy.hasChildren(child)) {
            expectSorted(proxy, child, when);
        }
    }
}

// The connection ids under `parent` in the source, and in the proxy: the same set.
std::multiset<std::uint64_t> shownIds(const QAbstractItemModel& model, const UpdateModel& source,
                                      const QModelIndex& parent,
                                      const ConnectionFilterProxy* proxy) {
    std::multiset<std::uint64_t> ids;
    for (int row = 0; row < model.rowCount(parent); ++row) {
        const QModelIndex index = model.index(row, 0, parent);
        const QModelIndex inSource = proxy != nullptr ? proxy->mapToSource(index) : index;
        if (const core::Connection* connection = source.connectionAt(inSource)) {
            ids.insert(connection->id);
        }
        const auto below = shownIds(model, source, index, proxy);
        ids.insert(below.begin(), below.end());
    }
    return ids;
}

std::multiset<std::uint64_t> idsOf(const core::Update& update) {
    std::multiset<std::uint64_t> ids;
    for (const auto& connection : update.connections) {
        ids.insert(connection.id);
    }
    return ids;
}

// Sorted by `column` before the first update and through twelve updates with churn: after
// each, every level is sorted, the proxy shows exactly the update's connections, and the
// selected connection stays selected while it lives.
template <typename Model>
void followChurnSorted(Field field, Qt::SortOrder order) {
    Model model;
    ConnectionFilterProxy proxy;
    proxy.setUpdateModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const int column = model.columnOf(field);
    ASSERT_GE(column, 0);
    proxy.sort(column, order);
    QItemSelectionModel selection(&proxy);

    ChurningSystem system(90);
    core::UpdatePtr update = system.next();
    model.applyUpdate(update);
    expectSorted(proxy, {}, "after the first update");

    QPersistentModelIndex selected;
    for (int tick = 1; tick <= 12; ++tick) {
        update = system.next();
        model.applyUpdate(update);
        const std::string when = "after update " + std::to_string(tick);
        expectSorted(proxy, {}, when.c_str());
        EXPECT_EQ(shownIds(proxy, model, {}, &proxy), idsOf(*update)) << when;
        if (tick == 3) {
            selected = findByCookie(proxy, model, {}, system.stableCookie());
            ASSERT_TRUE(selected.isValid());
            selection.select(selected,
                             QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        } else if (tick > 3) {
            ASSERT_TRUE(selected.isValid()) << when;
            const core::Connection* connection = model.connectionAt(proxy.mapToSource(selected));
            ASSERT_NE(connection, nullptr) << when;
            EXPECT_EQ(connection->socket.cookie, system.stableCookie())
                << when << ": the selection stays on its row";
            EXPECT_TRUE(selection.isSelected(selected)) << when;
        }
    }
}

TEST(UpdatePath, TableStaysSortedThroughChurnFromTheFirstUpdate) {
    followChurnSorted<ConnectionTableModel>(Field::Bytes, Qt::DescendingOrder);
    followChurnSorted<ConnectionTableModel>(Field::Protocol, Qt::AscendingOrder);
}

TEST(UpdatePath, TreeStaysSortedAtEveryLevelThroughChurnFromTheFirstUpdate) {
    followChurnSorted<ProcessTreeModel>(Field::Name, Qt::AscendingOrder);
    followChurnSorted<ProcessTreeModel>(Field::Local, Qt::DescendingOrder);
}

// Texts sort by their case-folded form, as ranks among the siblings' texts: case does not
// matter, non-ASCII letters fold too, and equal names keep the source order.
TEST(UpdatePath, TextsSortCaseFoldedThroughRanks) {
    const ProcessKey keys[] = {{501, 1}, {502, 1}, {503, 1}, {504, 1}, {505, 1}};
    std::vector<core::Process> processes = {process(501, 1, "zed"), process(502, 1, "\u00c9MILE"),
                                            process(503, 1, "Alpha"), process(504, 1, "emma"),
                                            process(505, 1, "ALPHA")};
    std::vector<core::Socket> sockets;
    for (std::uint64_t i = 0; i < 10; ++i) {
        sockets.push_back(tcpSocket(10 + i, "10.0.0.1", static_cast<std::uint16_t>(3000 + i),
                                    "10.0.0.9", 443, keys[i % 5]));
    }
    ConnectionTableModel model;
    ConnectionFilterProxy proxy;
    proxy.setUpdateModel(&model);
    const int column = model.columnOf(Field::Name);
    proxy.sort(column, Qt::AscendingOrder);
    core::Tracker tracker;
    model.applyUpdate(tracker.apply(snapshotAt(0, sockets, processes)));
    model.applyUpdate(tracker.apply(snapshotAt(1, sockets, processes))); // sorted at a settle
    QStringList names;
    std::vector<int> sourceRows;
    for (int row = 0; row < proxy.rowCount(); ++row) {
        names << proxy.index(row, column).data().toString();
        sourceRows.push_back(proxy.mapToSource(proxy.index(row, column)).row());
    }
    // "alpha" twice per spelling; é folds to é, which follows every ASCII letter.
    EXPECT_EQ(names, (QStringList{"Alpha", "ALPHA", "Alpha", "ALPHA", "emma", "emma", "zed", "zed",
                                  "\u00c9MILE", "\u00c9MILE"}));
    EXPECT_LT(sourceRows[0], sourceRows[1]);
    EXPECT_LT(sourceRows[1], sourceRows[2]);
    EXPECT_LT(sourceRows[2], sourceRows[3]);

    // A connection row never has children, and says so; a process row does not.
    EXPECT_TRUE(model.flags(model.index(0, 0)).testFlag(Qt::ItemNeverHasChildren));
    ProcessTreeModel tree;
    tree.applyUpdate(tracker.apply(snapshotAt(2, sockets, processes)));
    const QModelIndex processRow = tree.index(0, 0);
    EXPECT_FALSE(tree.flags(processRow).testFlag(Qt::ItemNeverHasChildren));
    EXPECT_TRUE(tree.flags(tree.index(0, 0, processRow)).testFlag(Qt::ItemNeverHasChildren));
}

// The models say when they are in the middle of an update: the proxy relies on it to put off
// sorting, and must see it over before the update is announced.
TEST(UpdatePath, ModelsApplyTheirRowsBeforeAnnouncingTheUpdate) {
    ConnectionTableModel table;
    ProcessTreeModel tree;
    for (UpdateModel* model :
         {static_cast<UpdateModel*>(&table), static_cast<UpdateModel*>(&tree)}) {
        int signalsDuringUpdate = 0;
        int signalsOutsideUpdate = 0;
        auto count = [&] {
            ++(model->applyingUpdate() ? signalsDuringUpdate : signalsOutsideUpdate);
        };
        QObject::connect(model, &QAbstractItemModel::modelReset, count);
        QObject::connect(model, &QAbstractItemModel::rowsInserted, count);
        QObject::connect(model, &QAbstractItemModel::rowsRemoved, count);
        QObject::connect(model, &QAbstractItemModel::dataChanged, count);
        bool appliedDuringUpdate = false;
        QObject::connect(model, &UpdateModel::updateApplied,
                         [&] { appliedDuringUpdate |= model->applyingUpdate(); });
        ChurningSystem system(30);
        for (int tick = 0; tick < 5; ++tick) {
            model->applyUpdate(system.next());
        }
        EXPECT_GT(signalsDuringUpdate, 5);
        EXPECT_EQ(signalsOutsideUpdate, 0);
        EXPECT_FALSE(appliedDuringUpdate);
        EXPECT_FALSE(model->applyingUpdate());
    }
}

// Counts how often the view asks for an index: a view that walks the changed rows asks for
// each of them.
class CountingProxy final : public QIdentityProxyModel {
public:
    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override {
        ++indexCalls;
        return QIdentityProxyModel::index(row, column, parent);
    }
    mutable int indexCalls = 0;
};

class PaintCounter final : public QObject {
public:
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == QEvent::Paint) {
            ++paints;
        }
        return QObject::eventFilter(watched, event);
    }
    int paints = 0;
};

TEST(ConnectionView, RepaintsChangedRowsWithoutWalkingThem) {
    ConnectionTableModel model;
    CountingProxy counting;
    counting.setSourceModel(&model);
    ConnectionView view;
    view.setModel(&counting);
    view.resize(900, 300);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));

    ChurningSystem system(3000);
    model.applyUpdate(system.next());
    QCoreApplication::processEvents(); // lays the rows out and paints them
    PaintCounter paints;
    view.viewport()->installEventFilter(&paints);

    // Every row's traffic moves: the model sends dataChanged over all of them.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    counting.indexCalls = 0;
    model.applyUpdate(system.trafficOnly());
    ASSERT_GT(changed.count(), 0);
    EXPECT_LT(counting.indexCalls, 100) << "the view looked through the changed rows";

    // The repaint comes with the next pass of the event loop, and reads the shown rows.
    counting.indexCalls = 0;
    QCoreApplication::processEvents();
    EXPECT_GE(paints.paints, 1);
    EXPECT_GT(counting.indexCalls, 0);
}

} // namespace
} // namespace portscope::gui
