// The models against a real Tracker fed with scripted snapshots: structure checked by
// QAbstractItemModelTester, diffs applied without resets, highlights, sorting, filtering.

#include "connection_filter_proxy.h"
#include "connection_table_model.h"
#include "gui_test_support.h"
#include "portscope/core/filter_query.h"
#include "process_tree_model.h"
#include "row_format.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <algorithm>
#include <gtest/gtest.h>

namespace portscope::gui {
namespace {

using namespace testing;
using core::ProcessKey;
using Kind = RowHighlight::Kind;

const ProcessKey kWeb{200, 7001};
const ProcessKey kDb{300, 7002};
const ProcessKey kEarly{150, 7003}; // sorts before kWeb

class ModelScript {
public:
    explicit ModelScript(std::uint32_t tombstoneTicks = 2)
        : tracker_(core::TrackerOptions{tombstoneTicks, 600, 256}) {}

    core::UpdatePtr apply(std::vector<core::Socket> sockets, std::vector<core::Process> processes) {
        return tracker_.apply(snapshotAt(tick_++, std::move(sockets), std::move(processes)));
    }

private:
    core::Tracker tracker_;
    int tick_ = 0;
};

std::vector<core::Process> bothProcesses() {
    return {process(kWeb.pid, kWeb.startTime, "nginx"),
            process(kDb.pid, kDb.startTime, "postgres")};
}

// The ids the flat model shows, in its row order.
std::vector<std::uint64_t> idsOf(const ConnectionTableModel& model) {
    std::vector<std::uint64_t> ids;
    for (int row = 0; row < model.rowCount(); ++row) {
        ids.push_back(model.connectionAt(model.index(row, 0))->id);
    }
    return ids;
}

std::vector<std::uint64_t> idsOf(const core::Update& update) {
    std::vector<std::uint64_t> ids;
    for (const auto& connection : update.connections) {
        ids.push_back(connection.id);
    }
    return ids;
}

int highlightOf(const QAbstractItemModel& model, const QModelIndex& index) {
    return model.data(index, roles::HighlightKind).toInt();
}

TEST(ConnectionTableModel, FollowsUpdatesWithoutResets) {
    ConnectionTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    ModelScript script;

    const auto listener = tcpListener(1, 80, kWeb);
    const auto a = tcpSocket(2, "10.0.0.1", 80, "10.0.0.9", 50001, kWeb);
    const auto b = tcpSocket(3, "10.0.0.1", 80, "10.0.0.9", 50002, kWeb);
    const auto c = tcpSocket(4, "10.0.0.1", 5432, "10.0.0.7", 40000, kDb);

    auto update = script.apply({listener, a, b}, bothProcesses());
    model.applyUpdate(update);
    EXPECT_EQ(resets.count(), 1);
    EXPECT_EQ(idsOf(model), idsOf(*update));
    // The first update is the starting picture: nothing is announced as new.
    EXPECT_EQ(highlightOf(model, model.index(0, 0)), static_cast<int>(Kind::None));

    // Add c, close a.
    update = script.apply({listener, b, c}, bothProcesses());
    model.applyUpdate(update);
    EXPECT_EQ(idsOf(model), idsOf(*update));
    ASSERT_EQ(model.rowCount(), 4); // a stays as a tombstone
    EXPECT_EQ(inserted.count(), 1);
    EXPECT_EQ(removed.count(), 0);
    const int changeColumn = model.columnOf(Field::Change);
    EXPECT_EQ(model.data(model.index(1, changeColumn), Qt::DisplayRole).toString(),
              QStringLiteral("x"));
    EXPECT_EQ(highlightOf(model, model.index(1, 0)), static_cast<int>(Kind::Closed));
    EXPECT_EQ(model.data(model.index(3, changeColumn), Qt::DisplayRole).toString(),
              QStringLiteral("+"));
    EXPECT_EQ(highlightOf(model, model.index(3, 0)), static_cast<int>(Kind::Added));

    // The tombstone lasts two ticks, then expires: one remove, still no reset.
    update = script.apply({listener, b, c}, bothProcesses());
    model.applyUpdate(update);
    EXPECT_EQ(model.rowCount(), 4);
    update = script.apply({listener, b, c}, bothProcesses());
    model.applyUpdate(update);
    EXPECT_EQ(idsOf(model), idsOf(*update));
    EXPECT_EQ(model.rowCount(), 3);
    EXPECT_EQ(removed.count(), 1);

    // Everything goes at once, then new sockets come.
    update = script.apply({}, {});
    model.applyUpdate(update);
    for (int i = 0; i < 3; ++i) {
        update = script.apply({tcpSocket(10 + i, "10.0.0.1", 81, "10.0.0.9", 60000, kDb)},
                              bothProcesses());
        model.applyUpdate(update);
        EXPECT_EQ(idsOf(model), idsOf(*update));
    }
    EXPECT_EQ(resets.count(), 1);
}

TEST(ConnectionTableModel, HighlightsFadeAfterThreeUpdates) {
    ConnectionTableModel model;
    ModelScript script;
    const auto listener = tcpListener(1, 80, kWeb);
    auto a = tcpSocket(2, "10.0.0.1", 80, "10.0.0.9", 50001, kWeb);
    model.applyUpdate(script.apply({listener}, bothProcesses()));
    model.applyUpdate(script.apply({listener, a}, bothProcesses()));
    const QModelIndex row = model.index(1, 0);
    EXPECT_EQ(highlightOf(model, row), static_cast<int>(Kind::Added));
    const auto green = model.data(row, Qt::BackgroundRole).value<QBrush>().color();
    model.applyUpdate(script.apply({listener, a}, bothProcesses()));
    model.applyUpdate(script.apply({listener, a}, bothProcesses()));
    EXPECT_EQ(highlightOf(model, row), static_cast<int>(Kind::Added));
    const auto faded = model.data(row, Qt::BackgroundRole).value<QBrush>().color();
    EXPECT_LT(faded.alpha(), green.alpha());
    model.applyUpdate(script.apply({listener, a}, bothProcesses()));
    EXPECT_EQ(highlightOf(model, row), static_cast<int>(Kind::None));
    EXPECT_FALSE(model.data(row, Qt::BackgroundRole).isValid());

    // A state change is yellow with a ~ marker; a queue movement alone is not.
    a.sendQueue = 100;
    model.applyUpdate(script.apply({listener, a}, bothProcesses()));
    EXPECT_EQ(highlightOf(model, row), static_cast<int>(Kind::None));
    a.state = core::SocketState::CloseWait;
    model.applyUpdate(script.apply({listener, a}, bothProcesses()));
    EXPECT_EQ(highlightOf(model, row), static_cast<int>(Kind::Changed));
    EXPECT_EQ(model.data(model.index(1, model.columnOf(Field::Change)), Qt::DisplayRole).toString(),
              QStringLiteral("~"));
}

TEST(ConnectionTableModel, DataChangedComesInContiguousRanges) {
    ConnectionTableModel model;
    ModelScript script;
    std::vector<core::Socket> sockets;
    for (std::uint64_t i = 0; i < 6; ++i) {
        sockets.push_back(tcpSocket(100 + i, "10.0.0.1", static_cast<std::uint16_t>(1000 + i),
                                    "10.0.0.9", 443, kWeb));
    }
    for (int tick = 0; tick < 6; ++tick) { // past every highlight and first-rate change
        model.applyUpdate(script.apply(sockets, bothProcesses()));
    }
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.applyUpdate(script.apply(sockets, bothProcesses()));
    EXPECT_EQ(changed.count(), 0) << "nothing moved, nothing to repaint";

    for (std::size_t i : {1u, 2u, 3u, 5u}) {
        sockets[i].counters.bytesReceived += 4096;
    }
    model.applyUpdate(script.apply(sockets, bothProcesses()));
    ASSERT_EQ(changed.count(), 2);
    EXPECT_EQ(changed.at(0).at(0).value<QModelIndex>().row(), 1);
    EXPECT_EQ(changed.at(0).at(1).value<QModelIndex>().row(), 3);
    EXPECT_EQ(changed.at(0).at(1).value<QModelIndex>().column(), model.columnCount() - 1);
    EXPECT_EQ(changed.at(1).at(0).value<QModelIndex>().row(), 5);
    EXPECT_EQ(changed.at(1).at(1).value<QModelIndex>().row(), 5);
}

TEST(ProcessTreeModel, GroupsConnectionsUnderProcessesThroughChanges) {
    ProcessTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    ModelScript script;

    const auto listener = tcpListener(1, 80, kWeb);
    const auto a = tcpSocket(2, "10.0.0.1", 80, "10.0.0.9", 50001, kWeb);
    const auto db = tcpSocket(3, "10.0.0.1", 5432, "10.0.0.7", 40000, kDb);
    const auto kernel =
        tcpSocket(4, "10.0.0.1", 80, "10.0.0.9", 49999, {}, core::SocketState::TimeWait);

    model.applyUpdate(script.apply({listener, a, db, kernel}, bothProcesses()));
    // (no process), nginx, postgres: the unowned group sorts first.
    ASSERT_EQ(model.rowCount(), 3);
    EXPECT_EQ(model.data(model.index(0, 0), Qt::DisplayRole).toString(), unownedGroupName());
    EXPECT_EQ(model.rowCount(model.index(0, 0)), 1);
    const QModelIndex nginx = model.indexOfProcess(kWeb);
    ASSERT_TRUE(nginx.isValid());
    EXPECT_EQ(model.data(nginx, Qt::DisplayRole).toString(), QStringLiteral("nginx"));
    EXPECT_EQ(model.rowCount(nginx), 2);
    EXPECT_EQ(model.data(model.index(0, 0, nginx), Qt::DisplayRole).toString(),
              QStringLiteral("TCP"));
    EXPECT_EQ(model.processAt(model.index(1, 0, nginx))->process.key, kWeb);
    EXPECT_EQ(model.connectionAt(nginx), nullptr);

    // A process that sorts earlier arrives: rows shift, persistent indexes follow.
    QPersistentModelIndex persistentDb(model.indexOfProcess(kDb));
    QPersistentModelIndex persistentChild(model.index(1, 0, nginx));
    std::vector<core::Process> three = bothProcesses();
    three.push_back(process(kEarly.pid, kEarly.startTime, "sshd"));
    const auto ssh = tcpListener(5, 22, kEarly);
    auto update = script.apply({listener, a, db, kernel, ssh}, three);
    model.applyUpdate(update);
    ASSERT_EQ(model.rowCount(), 4);
    EXPECT_EQ(persistentDb.row(), 3);
    EXPECT_EQ(model.processAt(persistentDb)->process.name, "postgres");
    EXPECT_EQ(model.connectionAt(persistentChild)->socket.remote.port, 50001);
    EXPECT_EQ(highlightOf(model, model.indexOfProcess(kEarly)), static_cast<int>(Kind::Added));

    // postgres loses its only connection: it turns red while the tombstone lasts, then goes.
    update = script.apply({listener, a, kernel, ssh}, three);
    model.applyUpdate(update);
    EXPECT_EQ(highlightOf(model, model.indexOfProcess(kDb)), static_cast<int>(Kind::Closed));
    EXPECT_EQ(highlightOf(model, model.index(0, 0, model.indexOfProcess(kDb))),
              static_cast<int>(Kind::Closed));
    for (int i = 0; i < 2; ++i) {
        model.applyUpdate(script.apply({listener, a, kernel, ssh}, three));
    }
    EXPECT_FALSE(model.indexOfProcess(kDb).isValid());
    EXPECT_FALSE(persistentDb.isValid());

    // The kernel's socket goes too: the unowned group disappears; the child keeps its row.
    for (int i = 0; i < 3; ++i) {
        model.applyUpdate(script.apply({listener, a, ssh}, three));
    }
    ASSERT_EQ(model.rowCount(), 2);
    EXPECT_EQ(model.data(model.index(0, 0), Qt::DisplayRole).toString(), QStringLiteral("sshd"));
    EXPECT_TRUE(persistentChild.isValid());
    EXPECT_EQ(model.connectionAt(persistentChild)->socket.remote.port, 50001);

    // New children appear under a kept process with one insert each run.
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    const auto b = tcpSocket(6, "10.0.0.1", 80, "10.0.0.9", 50010, kWeb);
    const auto c = tcpSocket(7, "10.0.0.1", 80, "10.0.0.9", 50011, kWeb);
    model.applyUpdate(script.apply({listener, a, ssh, b, c}, three));
    ASSERT_EQ(inserted.count(), 1);
    EXPECT_EQ(inserted.at(0).at(0).value<QModelIndex>(), model.indexOfProcess(kWeb));
    EXPECT_EQ(inserted.at(0).at(1).toInt(), 2);
    EXPECT_EQ(inserted.at(0).at(2).toInt(), 3);
    EXPECT_EQ(resets.count(), 1);
}

// The group of connections no process owns counts listeners as the tracker counts them for a
// process: TCP listeners and unconnected UDP sockets (it used to count TCP only).
TEST(ProcessTreeModel, UnownedGroupCountsListenersLikeTheTracker) {
    ProcessTreeModel model;
    ModelScript script;
    const auto tcp = tcpListener(1, 8080, {});
    const auto udp = udpSocket(2, "127.0.0.1", 5353, {});
    model.applyUpdate(script.apply({tcp, udp}, {}));
    ASSERT_EQ(model.rowCount(), 1);
    const QString tip =
        model.data(model.index(0, model.columnOf(Field::Connections)), Qt::ToolTipRole).toString();
    EXPECT_TRUE(tip.contains(QStringLiteral("listening 2"))) << tip.toStdString();
}

TEST(ProcessTreeModel, ShowsHostileProcessNamesLiterally) {
    ProcessTreeModel model;
    ModelScript script;
    // "%2" must not be expanded by a later QString::arg, "<b>" must not become markup.
    auto odd = process(kWeb.pid, kWeb.startTime, "%2<b>%1");
    model.applyUpdate(script.apply({tcpListener(1, 80, kWeb)}, {odd}));
    const QModelIndex row = model.indexOfProcess(kWeb);
    EXPECT_EQ(model.data(row, Qt::DisplayRole).toString(), QStringLiteral("%2<b>%1"));
    const QString tip = model.data(row, Qt::ToolTipRole).toString();
    EXPECT_TRUE(tip.startsWith(QStringLiteral("<qt><b>%2&lt;b&gt;%1</b> (PID 200)")))
        << tip.toStdString();
}

// Tooltips are rich text whenever Qt guesses so; every one that carries a name, path, command
// line, user or host name must show it as the characters it is.
TEST(ToolTips, ShowHostileNamesPathsAndHostNamesLiterally) {
    core::Process hostile =
        process(kWeb.pid, kWeb.startTime, kHostileName, "/tmp/" + kHostileName, kHostileName);
    hostile.commandLine = kHostileName + " --serve";
    const std::vector<core::Socket> sockets{tcpListener(1, 80, kWeb),
                                            tcpSocket(2, "10.0.0.1", 80, "10.0.0.9", 50001, kWeb)};
    ModelScript script;
    auto update = std::make_shared<core::Update>(*script.apply(sockets, {hostile}));
    for (auto& connection : update->connections) {
        connection.remoteHostName = kHostileName; // what reverse DNS may answer
    }

    ProcessTreeModel tree;
    tree.applyUpdate(update);
    ConnectionTableModel table;
    table.applyUpdate(update);
    for (const UpdateModel* model : std::initializer_list<const UpdateModel*>{&tree, &table}) {
        std::set<int> escaped;
        QStringList raw;
        collectHostileToolTips(*model, {}, escaped, raw);
        EXPECT_TRUE(raw.isEmpty()) << raw.join(QLatin1Char('\n')).toStdString();
        EXPECT_TRUE(escaped.contains(model->columnOf(Field::Name)));
        EXPECT_TRUE(escaped.contains(model->columnOf(Field::Path)));
        EXPECT_TRUE(escaped.contains(model->columnOf(Field::Remote)));
    }
    // What the cells show is the name itself.
    EXPECT_EQ(tree.data(tree.indexOfProcess(kWeb), Qt::DisplayRole).toString(),
              QString::fromStdString(kHostileName));
}

TEST(ConnectionFilterProxy, SortsNumbersAndAddressesByValue) {
    ConnectionTableModel model;
    ConnectionFilterProxy proxy;
    proxy.setUpdateModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    ModelScript script;
    auto big = tcpSocket(1, "10.0.0.2", 443, "9.0.0.1", 5000, kWeb);
    auto small = tcpSocket(2, "9.0.0.1", 80, "10.0.0.2", 5000, kWeb);
    auto middle = tcpSocket(3, "9.0.0.1", 443, "2001:db8::1", 5000, kWeb);
    middle.local.address = address("::ffff:9.0.0.1"); // a dual-stack socket sorts with IPv4
    model.applyUpdate(script.apply({big, small, middle}, bothProcesses()));
    big.counters.bytesReceived = 10'000;
    small.counters.bytesReceived = 900;
    middle.counters.bytesReceived = 5'000;
    model.applyUpdate(script.apply({big, small, middle}, bothProcesses()));

    auto column = [&](int row, Field field) {
        return proxy.index(row, model.columnOf(field)).data(Qt::DisplayRole).toString();
    };
    proxy.sort(model.columnOf(Field::Bytes), Qt::AscendingOrder);
    EXPECT_EQ(column(0, Field::Local), QStringLiteral("9.0.0.1:80"));
    EXPECT_EQ(column(2, Field::Local), QStringLiteral("10.0.0.2:443"));

    proxy.sort(model.columnOf(Field::Local), Qt::AscendingOrder);
    EXPECT_EQ(column(0, Field::Local), QStringLiteral("9.0.0.1:80"));
    EXPECT_TRUE(column(1, Field::Local).contains(QStringLiteral("9.0.0.1]:443")))
        << column(1, Field::Local).toStdString();
    EXPECT_EQ(column(2, Field::Local), QStringLiteral("10.0.0.2:443"));

    proxy.sort(model.columnOf(Field::Remote), Qt::DescendingOrder);
    EXPECT_TRUE(column(0, Field::Remote).startsWith(QStringLiteral("[2001:db8::1]")));
    EXPECT_TRUE(column(2, Field::Remote).startsWith(QStringLiteral("9.0.0.1")));

    // A new row lands in its sorted place.
    auto extra = tcpSocket(4, "9.0.0.1", 81, "10.0.0.1", 5000, kWeb);
    model.applyUpdate(script.apply({big, small, middle, extra}, bothProcesses()));
    proxy.sort(model.columnOf(Field::Local), Qt::AscendingOrder);
    EXPECT_EQ(column(1, Field::Local), QStringLiteral("9.0.0.1:81"));
}

TEST(ConnectionFilterProxy, FiltersRowsAndKeepsProcessesWithMatches) {
    ProcessTreeModel model;
    ConnectionFilterProxy proxy;
    proxy.setUpdateModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    ModelScript script;
    const auto listener = tcpListener(1, 80, kWeb);
    const auto a = tcpSocket(2, "10.0.0.1", 80, "10.0.0.9", 50001, kWeb);
    const auto db = tcpSocket(3, "127.0.0.1", 5432, "127.0.0.1", 40000, kDb);
    model.applyUpdate(script.apply({listener, a, db}, bothProcesses()));
    EXPECT_EQ(proxy.rowCount(), 2);

    proxy.setQuery(*core::FilterQuery::parse("port:5432"));
    ASSERT_EQ(proxy.rowCount(), 1);
    EXPECT_EQ(proxy.index(0, 0).data().toString(), QStringLiteral("postgres"));
    EXPECT_EQ(proxy.rowCount(proxy.index(0, 0)), 1);

    proxy.setQuery(*core::FilterQuery::parse("nginx -state:listen"));
    ASSERT_EQ(proxy.rowCount(), 1);
    EXPECT_EQ(proxy.rowCount(proxy.index(0, 0)), 1);

    proxy.setQuery(core::FilterQuery{});
    core::VisibilityToggles toggles;
    toggles.loopback = false;
    proxy.setToggles(toggles);
    ASSERT_EQ(proxy.rowCount(), 1);
    EXPECT_EQ(proxy.index(0, 0).data().toString(), QStringLiteral("nginx"));

    // A connection that starts to match later brings its process back.
    const auto db2 = tcpSocket(4, "10.0.0.1", 5432, "10.0.0.8", 40001, kDb);
    model.applyUpdate(script.apply({listener, a, db, db2}, bothProcesses()));
    EXPECT_EQ(proxy.rowCount(), 2);
}

// The proxy sorts after each whole update rather than at every signal: new rows, changed
// values and many scattered closures must still leave it in order, with persistent indexes
// (a view's selection) on the same connections.
TEST(ConnectionFilterProxy, StaysSortedAndKeepsSelectionThroughBusyUpdates) {
    ConnectionTableModel model;
    ConnectionFilterProxy proxy;
    proxy.setUpdateModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    ModelScript script(1);
    std::vector<core::Socket> sockets;
    for (std::uint64_t i = 0; i < 60; ++i) {
        sockets.push_back(tcpSocket(100 + i, "10.0.0.1", static_cast<std::uint16_t>(2000 + i),
                                    "10.0.0.9", 443, kWeb));
        sockets.back().counters.bytesReceived = 1000 * (i + 1);
    }
    model.applyUpdate(script.apply(sockets, bothProcesses()));
    const int bytesColumn = model.columnOf(Field::Bytes);
    const int localColumn = model.columnOf(Field::Local);
    proxy.sort(bytesColumn, Qt::DescendingOrder);

    auto bytesAt = [&](int row) {
        return proxy.index(row, bytesColumn).data(roles::Sort).toULongLong();
    };
    auto expectDescending = [&](const char* when) {
        for (int row = 1; row < proxy.rowCount(); ++row) {
            ASSERT_GE(bytesAt(row - 1), bytesAt(row)) << when << ", row " << row;
        }
    };
    expectDescending("after the first sort");
    ASSERT_EQ(proxy.index(0, localColumn).data().toString(), QStringLiteral("10.0.0.1:2059"));

    // The view's selection: the connection on port 2030.
    QPersistentModelIndex selected;
    for (int row = 0; row < proxy.rowCount(); ++row) {
        if (proxy.index(row, localColumn).data().toString() == QStringLiteral("10.0.0.1:2030")) {
            selected = proxy.index(row, localColumn);
        }
    }
    ASSERT_TRUE(selected.isValid());

    // Values change so that the order reverses, and a new busiest connection arrives.
    for (std::size_t i = 0; i < sockets.size(); ++i) {
        sockets[i].counters.bytesReceived = 1'000'000 - 1000 * i;
    }
    auto busiest = tcpSocket(500, "10.0.0.1", 3000, "10.0.0.9", 443, kWeb);
    busiest.counters.bytesReceived = 5'000'000;
    sockets.push_back(busiest);
    model.applyUpdate(script.apply(sockets, bothProcesses()));
    expectDescending("after the values changed");
    EXPECT_EQ(proxy.index(0, localColumn).data().toString(), QStringLiteral("10.0.0.1:3000"));
    EXPECT_EQ(proxy.index(1, localColumn).data().toString(), QStringLiteral("10.0.0.1:2000"));
    ASSERT_TRUE(selected.isValid());
    EXPECT_EQ(selected.data().toString(), QStringLiteral("10.0.0.1:2030"));

    // Every other connection closes: their tombstones expire together, leaving 30 gaps.
    std::vector<core::Socket> survivors;
    for (std::size_t i = 0; i < sockets.size(); ++i) {
        if (i % 2 == 0) {
            survivors.push_back(sockets[i]);
        }
    }
    QSignalSpy layouts(&model, &QAbstractItemModel::layoutChanged);
    QSignalSpy removals(&model, &QAbstractItemModel::rowsRemoved);
    for (int tick = 0; tick < 3 && proxy.rowCount() != static_cast<int>(survivors.size()); ++tick) {
        model.applyUpdate(script.apply(survivors, bothProcesses()));
    }
    ASSERT_EQ(proxy.rowCount(), static_cast<int>(survivors.size()));
    EXPECT_EQ(layouts.count(), 1) << "the scattered rows go in one layout change";
    EXPECT_EQ(removals.count(), 1) << "and one removal";
    expectDescending("after the closures expired");
    ASSERT_TRUE(selected.isValid()) << "port 2030 is an even index, so it survives";
    EXPECT_EQ(selected.data().toString(), QStringLiteral("10.0.0.1:2030"));
}

// Without dynamic sorting, a changed state must still re-run the filter after the update.
TEST(ConnectionFilterProxy, RefiltersRowsWhoseStateChanged) {
    ConnectionTableModel model;
    ConnectionFilterProxy proxy;
    proxy.setUpdateModel(&model);
    ModelScript script;
    auto a = tcpSocket(2, "10.0.0.1", 80, "10.0.0.9", 50001, kWeb);
    const auto b = tcpSocket(3, "10.0.0.1", 80, "10.0.0.9", 50002, kWeb);
    model.applyUpdate(script.apply({a, b}, bothProcesses()));
    proxy.setQuery(*core::FilterQuery::parse("state:established"));
    ASSERT_EQ(proxy.rowCount(), 2);
    a.state = core::SocketState::CloseWait;
    model.applyUpdate(script.apply({a, b}, bothProcesses()));
    ASSERT_EQ(proxy.rowCount(), 1);
    EXPECT_EQ(proxy.index(0, model.columnOf(Field::Remote)).data().toString(),
              QStringLiteral("10.0.0.9:50002"));
}

// The tree's version of the same: many scattered closures under processes go in one layout
// change, children keep their persistent indexes, and a filter still hides the right rows.
TEST(ProcessTreeModel, ScatteredClosuresGoInOneLayoutChange) {
    ProcessTreeModel model;
    ConnectionFilterProxy proxy;
    proxy.setUpdateModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    ModelScript script(1);
    std::vector<core::Socket> sockets;
    for (std::uint64_t i = 0; i < 40; ++i) {
        sockets.push_back(tcpSocket(100 + i, "10.0.0.1", static_cast<std::uint16_t>(2000 + i),
                                    "10.0.0.9", 443, i % 2 == 0 ? kWeb : kDb));
    }
    model.applyUpdate(script.apply(sockets, bothProcesses()));
    proxy.setQuery(*core::FilterQuery::parse("proc:nginx"));
    const QModelIndex nginx = proxy.mapFromSource(model.indexOfProcess(kWeb));
    ASSERT_TRUE(nginx.isValid());
    ASSERT_EQ(proxy.rowCount(), 1) << "postgres is filtered out";
    ASSERT_EQ(proxy.rowCount(nginx), 20);
    const int localColumn = model.columnOf(Field::Local);
    QPersistentModelIndex kept; // port 2036, which stays open
    for (int row = 0; row < proxy.rowCount(nginx); ++row) {
        const QModelIndex child = proxy.index(row, localColumn, nginx);
        if (child.data().toString() == QStringLiteral("10.0.0.1:2036")) {
            kept = child;
        }
    }
    ASSERT_TRUE(kept.isValid());

    // Of every process, every other connection closes: 20 gaps in all.
    std::vector<core::Socket> survivors;
    for (std::size_t i = 0; i < sockets.size(); ++i) {
        if (i % 4 < 2) {
            survivors.push_back(sockets[i]);
        }
    }
    QSignalSpy layouts(&model, &QAbstractItemModel::layoutChanged);
    for (int tick = 0; tick < 3; ++tick) {
        model.applyUpdate(script.apply(survivors, bothProcesses()));
    }
    EXPECT_EQ(layouts.count(), 1);
    const QModelIndex nginxAfter = proxy.mapFromSource(model.indexOfProcess(kWeb));
    ASSERT_TRUE(nginxAfter.isValid());
    EXPECT_EQ(proxy.rowCount(), 1);
    EXPECT_EQ(proxy.rowCount(nginxAfter), 10);
    EXPECT_EQ(model.rowCount(model.indexOfProcess(kDb)), 10);
    ASSERT_TRUE(kept.isValid());
    EXPECT_EQ(kept.data().toString(), QStringLiteral("10.0.0.1:2036"));
}

} // namespace
} // namespace portscope::gui
