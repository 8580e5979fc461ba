// Findings in the GUI: the badge column on process and connection rows, the Findings tab, the
// notice for a new high-severity finding and the Statistics tab. The window tests run the
// real engine and its rules over scripted snapshots in which one process tries port 445 on
// twelve loopback hosts (fanout-scan) while the host answers closed ports with resets
// (inbound-scan).

#include "connection_filter_proxy.h"
#include "connection_table_model.h"
#include "finding_format.h"
#include "finding_history.h"
#include "findings_panel.h"
#include "gui_test_support.h"
#include "main_window.h"
#include "monitor_session.h"
#include "portscope/core/replay.h"
#include "portscope/core/update.h"
#include "process_details_panel.h"
#include "process_tree_model.h"
#include "statistics_panel.h"
#include "system_actions.h"

#include <QAction>
#include <QApplication>
#include <QBrush>
#include <QChartView>
#include <QClipboard>
#include <QDateTime>
#include <QFrame>
#include <QGuiApplication>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTreeView>
#include <QTreeWidget>
#include <algorithm>
#include <gtest/gtest.h>
#include <mutex>

namespace portscope::gui {
namespace {

using namespace testing;

const core::ProcessKey kScanner{7777, 333};
const core::ProcessKey kServer{8888, 444};
constexpr int kScanHosts = 12;
constexpr std::uint64_t kFirstProbeCookie = 100;

core::Process wormy() {
    return process(kScanner.pid, kScanner.startTime, "wormy", "/usr/local/bin/wormy");
}

std::vector<core::Process> scanProcesses(const core::Process& scanner) {
    return {scanner,
            process(kServer.pid, kServer.startTime, "nginx", "/usr/sbin/nginx", "www-data", 33)};
}

// Tick `tick` of the scenario: the server listens throughout; from tick 1 the scanner holds
// SYN_SENT sockets to 127.0.0.10 .. 127.0.0.21 port 445. Resets sent climb 100 per second.
core::Snapshot scanSnapshot(int tick, const core::Process& scanner = wormy()) {
    std::vector<core::Socket> sockets{tcpListener(1, 8080, kServer),
                                      tcpSocket(2, "127.0.0.1", 8080, "127.0.0.1", 41000, kServer)};
    if (tick >= 1) {
        for (int host = 0; host < kScanHosts; ++host) {
            const std::string remote = "127.0.0." + std::to_string(10 + host);
            sockets.push_back(tcpSocket(kFirstProbeCookie + static_cast<std::uint64_t>(host),
                                        "127.0.0.1", static_cast<std::uint16_t>(50000 + host),
                                        remote, 445, kScanner, core::SocketState::SynSent));
        }
    }
    core::Snapshot snapshot = snapshotAt(tick, std::move(sockets), scanProcesses(scanner));
    auto& counters = snapshot.counters;
    counters.present = true;
    counters.tcp.activeOpens = 500 + static_cast<std::uint64_t>(tick) * kScanHosts;
    counters.tcp.outRsts = 1000 + static_cast<std::uint64_t>(tick) * 100;
    counters.tcp.currEstab = 1;
    counters.udp.noPorts = 7;
    counters.all = {{"Tcp.ActiveOpens", static_cast<std::int64_t>(counters.tcp.activeOpens)},
                    {"Tcp.CurrEstab", 1},
                    {"Tcp.OutRsts", static_cast<std::int64_t>(counters.tcp.outRsts)},
                    {"Udp.NoPorts", 7}};
    return snapshot;
}

// ---- The badge index and cells, on hand-built updates -------------------------------------

core::Finding finding(core::FindingId id, std::string rule, core::Severity severity,
                      core::ProcessKey process, std::vector<std::uint64_t> connections) {
    core::Finding f;
    f.id = id;
    f.ruleId = std::move(rule);
    f.severity = severity;
    f.process = process;
    f.processName = "wormy";
    f.summary = "wormy did something";
    for (const std::uint64_t connection : connections) {
        core::EvidenceSocket socket;
        socket.connection = connection;
        f.sockets.push_back(socket);
    }
    f.socketsTotal = f.sockets.size();
    return f;
}

TEST(FindingIndex, AttachesTheMostSevereFindingToEachRowAndCountsTheRest) {
    core::Update update;
    update.findings = {finding(1, "new-listener", core::Severity::Low, kScanner, {5}),
                       finding(2, "fanout-scan", core::Severity::High, kScanner, {6, 7}),
                       finding(3, "syn-flood", core::Severity::Medium, {}, {7})};
    FindingIndex index;
    index.rebuild(update);

    const FindingBadge scanner = index.forProcess(kScanner);
    ASSERT_NE(scanner.finding, nullptr);
    EXPECT_EQ(scanner.finding->id, 2u);
    EXPECT_EQ(scanner.count, 2);
    EXPECT_EQ(findingCell(scanner, Qt::DisplayRole).toString(), QStringLiteral("⚠ fanout-scan +1"));

    EXPECT_EQ(index.forProcess(kServer).finding, nullptr);
    // A host-wide finding (no process) never lands on the "(no process)" group row.
    EXPECT_EQ(index.forProcess(core::ProcessKey{}).finding, nullptr);

    EXPECT_EQ(index.forConnection(5).finding->id, 1u);
    EXPECT_EQ(findingCell(index.forConnection(5), Qt::DisplayRole).toString(),
              QStringLiteral("● new-listener"));
    const FindingBadge shared = index.forConnection(7);
    EXPECT_EQ(shared.finding->id, 2u);
    EXPECT_EQ(shared.count, 2);
    EXPECT_EQ(index.forConnection(8).finding, nullptr);

    // Sorting by the column orders by severity, unflagged rows last.
    EXPECT_GT(findingCell(index.forConnection(6), roles::Sort).toInt(),
              findingCell(index.forConnection(5), roles::Sort).toInt());
    EXPECT_GT(findingCell(index.forConnection(5), roles::Sort).toInt(),
              findingCell(index.forConnection(8), roles::Sort).toInt());
    EXPECT_EQ(findingCell(index.forConnection(8), Qt::DisplayRole).toString(), QString());
}

TEST(FindingIndex, NoticesWhenABadgeChanges) {
    core::Update before;
    before.findings = {finding(2, "fanout-scan", core::Severity::Medium, kScanner, {6})};
    core::Update same = before;
    core::Update raised = before;
    raised.findings.front().severity = core::Severity::High;
    core::Update none;

    FindingIndex a;
    FindingIndex b;
    a.rebuild(before);
    b.rebuild(same);
    EXPECT_TRUE(a.sameBadgesAs(b));
    b.rebuild(raised);
    EXPECT_FALSE(a.sameBadgesAs(b));
    b.rebuild(none);
    EXPECT_FALSE(a.sameBadgesAs(b));
}

// The tree model repaints the Finding column when a finding appears on a row whose own data
// did not change.
TEST(FindingBadgeModel, TreeRowGetsItsBadgeWithoutOtherChanges) {
    core::Tracker tracker;
    std::shared_ptr<core::Update> first = tracker.apply(scanSnapshot(1));
    core::Snapshot again = scanSnapshot(2);
    again.counters = scanSnapshot(1).counters;
    std::shared_ptr<core::Update> second = tracker.apply(again);
    second->findings = {
        finding(9, "fanout-scan", core::Severity::High, kScanner, {second->connections.back().id})};

    ProcessTreeModel model;
    model.applyUpdate(first);
    const int column = model.columnOf(Field::Finding);
    ASSERT_GE(column, 0);
    const QModelIndex scannerRow = model.indexOfProcess(kScanner).siblingAtColumn(column);
    ASSERT_TRUE(scannerRow.isValid());
    EXPECT_EQ(model.data(scannerRow, Qt::DisplayRole).toString(), QString());

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.applyUpdate(second);
    bool repainted = false;
    for (const auto& arguments : changed) {
        const auto from = arguments.at(0).value<QModelIndex>();
        const auto to = arguments.at(1).value<QModelIndex>();
        repainted |= !from.parent().isValid() && from.row() <= scannerRow.row() &&
                     to.row() >= scannerRow.row() && from.column() <= column &&
                     to.column() >= column;
    }
    EXPECT_TRUE(repainted);
    EXPECT_EQ(model.data(model.indexOfProcess(kScanner).siblingAtColumn(column), Qt::DisplayRole)
                  .toString(),
              QStringLiteral("⚠ fanout-scan"));
    const QModelIndex server = model.indexOfProcess(kServer).siblingAtColumn(column);
    EXPECT_EQ(model.data(server, Qt::DisplayRole).toString(), QString());

    // The evidence socket's row under the scanner carries the badge; its siblings do not.
    const QModelIndex parent = model.indexOfProcess(kScanner);
    int flagged = 0;
    for (int row = 0; row < model.rowCount(parent); ++row) {
        const QModelIndex cell = model.index(row, column, parent);
        if (!model.data(cell, Qt::DisplayRole).toString().isEmpty()) {
            ++flagged;
            EXPECT_EQ(model.connectionAt(cell)->id, second->connections.back().id);
        }
    }
    EXPECT_EQ(flagged, 1);
}

// ---- The window over the real engine ------------------------------------------------------

// Plays the scan scenario one scripted second per poll, for as long as it is polled.
std::unique_ptr<portscope::test::FunctionSource> scanSource(core::Process scanner = wormy()) {
    return std::make_unique<portscope::test::FunctionSource>(
        [scanner = std::move(scanner)](int poll) -> std::optional<core::Snapshot> {
            return scanSnapshot(poll - 1, scanner);
        },
        "scripted scan");
}

class FindingsWindowTest : public ::testing::Test {
protected:
    void SetUp() override {
        QSettings().clear();
        window = std::make_unique<MainWindow>(SystemActions{});
        window->setIntervalMs(250);
        window->resize(1200, 800);
        window->show();
    }
    void TearDown() override { window.reset(); }

    void startAndWaitForScan(const core::Process& scanner = wormy()) {
        ASSERT_TRUE(window->openSource(scanSource(scanner)));
        ASSERT_TRUE(waitFor([&] { return scanFinding() != nullptr; }, 10000))
            << "no fanout-scan finding was raised";
    }

    const core::Finding* scanFinding() const {
        const auto& update = window->latestUpdate();
        if (!update) {
            return nullptr;
        }
        for (const core::Finding& f : update->findings) {
            if (f.ruleId == core::rules::kFanoutScan) {
                return &f;
            }
        }
        return nullptr;
    }

    std::uint64_t sequence() const {
        return window->latestUpdate() ? window->latestUpdate()->sequence : 0;
    }

    QString processBadge(const core::ProcessKey& key) const {
        ProcessTreeModel* model = window->treeModel();
        const QModelIndex row = model->indexOfProcess(key);
        EXPECT_TRUE(row.isValid());
        return model->data(row.siblingAtColumn(model->columnOf(Field::Finding)), Qt::DisplayRole)
            .toString();
    }

    void selectProcess(const core::ProcessKey& key) {
        window->setGrouped(true);
        const QModelIndex proxied =
            window->activeProxy()->mapFromSource(window->treeModel()->indexOfProcess(key));
        ASSERT_TRUE(proxied.isValid());
        window->activeView()->selectionModel()->setCurrentIndex(
            proxied, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }

    std::unique_ptr<MainWindow> window;
};

TEST_F(FindingsWindowTest, BadgeMarksTheScanningProcessAndItsSockets) {
    startAndWaitForScan();
    const core::Finding& scan = *scanFinding();
    EXPECT_EQ(scan.process, kScanner);
    EXPECT_EQ(scan.severity, core::Severity::High); // 445 is a worm port

    ASSERT_TRUE(waitFor([&] { return !processBadge(kScanner).isEmpty(); }));
    EXPECT_EQ(processBadge(kScanner), QStringLiteral("⚠ fanout-scan"));
    EXPECT_EQ(processBadge(kServer), QString());

    // Connection rows: every probe the finding cites, none of the server's.
    ProcessTreeModel* model = window->treeModel();
    const int column = model->columnOf(Field::Finding);
    const QModelIndex scanner = model->indexOfProcess(kScanner);
    int flagged = 0;
    for (int row = 0; row < model->rowCount(scanner); ++row) {
        const QModelIndex cell = model->index(row, column, scanner);
        if (model->data(cell, Qt::DisplayRole).toString() == QStringLiteral("⚠ fanout-scan")) {
            ++flagged;
            EXPECT_EQ(model->connectionAt(cell)->socket.remote.port, 445);
        }
    }
    EXPECT_EQ(flagged, static_cast<int>(scan.sockets.size()));
    EXPECT_GE(flagged, 10);
    const QModelIndex server = model->indexOfProcess(kServer);
    for (int row = 0; row < model->rowCount(server); ++row) {
        EXPECT_EQ(model->data(model->index(row, column, server), Qt::DisplayRole).toString(),
                  QString());
    }

    // Sorted by the Finding column, most severe first, the scanner leads.
    ConnectionFilterProxy* proxy = window->activeProxy();
    proxy->sort(column, Qt::DescendingOrder);
    EXPECT_EQ(proxy->mapToSource(proxy->index(0, 0)).row(), scanner.row());
    window->setFlaggedFirst(false); // else flagged rows lead in both orders
    proxy->sort(column, Qt::AscendingOrder);
    EXPECT_NE(proxy->mapToSource(proxy->index(0, 0)).row(), scanner.row());

    // The flat table shows the same badge on the probes.
    window->setGrouped(false);
    ConnectionTableModel* table = window->tableModel();
    const int tableColumn = table->columnOf(Field::Finding);
    int tableFlagged = 0;
    for (int row = 0; row < table->rowCount(); ++row) {
        const QModelIndex cell = table->index(row, tableColumn);
        const bool probe = table->connectionAt(cell)->socket.owner == kScanner;
        const QString badge = table->data(cell, Qt::DisplayRole).toString();
        EXPECT_EQ(badge.isEmpty(), !probe) << row;
        tableFlagged += badge.isEmpty() ? 0 : 1;
    }
    EXPECT_EQ(tableFlagged, kScanHosts);
}

// The culprit has to be visible at 1280 pixels without scrolling sideways: its severity right
// after the name, and in the flat table the process before the addresses.
TEST(FindingColumns, SeverityFollowsTheProcessAndTheFlatTableLeadsWithWho) {
    ProcessTreeModel tree;
    EXPECT_EQ(tree.columnOf(Field::Name), 0);
    EXPECT_EQ(tree.columnOf(Field::Severity), tree.columnOf(Field::Name) + 1);
    EXPECT_LE(tree.columnOf(Field::Pid), 3);

    ConnectionTableModel table;
    EXPECT_EQ(table.columnOf(Field::Severity), table.columnOf(Field::Name) + 1);
    EXPECT_LE(table.columnOf(Field::Name), 1);
    EXPECT_LE(table.columnOf(Field::Pid), 3);
    EXPECT_LT(table.columnOf(Field::Pid), table.columnOf(Field::Local));
    EXPECT_EQ(table.headerData(table.columnOf(Field::Severity), Qt::Horizontal, Qt::ToolTipRole)
                  .toString()
                  .isEmpty(),
              false);
}

// A finding's summary starts with the process name; wherever it is shown, a name that is
// markup must show as the characters it is.
TEST_F(FindingsWindowTest, HostileNamesShowLiterallyInTooltipsLabelsAndDetails) {
    core::Process scanner = process(kScanner.pid, kScanner.startTime, kHostileName,
                                    "/tmp/" + kHostileName, kHostileName);
    scanner.commandLine = kHostileName + " --scan";
    startAndWaitForScan(scanner);
    const QString hostile = QString::fromStdString(kHostileName);

    // Every tooltip of both views, the Finding column's among them. Only the shown view's
    // model follows the updates.
    auto checkToolTips = [](const UpdateModel& model) {
        std::set<int> escaped;
        QStringList raw;
        collectHostileToolTips(model, {}, escaped, raw);
        EXPECT_TRUE(raw.isEmpty()) << raw.join(QLatin1Char('\n')).toStdString();
        EXPECT_TRUE(escaped.contains(model.columnOf(Field::Finding)));
        EXPECT_TRUE(escaped.contains(model.columnOf(Field::Name)));
        EXPECT_TRUE(escaped.contains(model.columnOf(Field::Path)));
    };
    window->setGrouped(true);
    ASSERT_TRUE(waitFor([&] { return !processBadge(kScanner).isEmpty(); }));
    checkToolTips(*window->treeModel());
    window->setGrouped(false);
    ConnectionTableModel* table = window->tableModel();
    const int findingColumn = table->columnOf(Field::Finding);
    ASSERT_TRUE(waitFor([&] {
        for (int row = 0; row < table->rowCount(); ++row) {
            if (!table->data(table->index(row, findingColumn), Qt::DisplayRole)
                     .toString()
                     .isEmpty()) {
                return true;
            }
        }
        return false;
    }));
    checkToolTips(*table);

    // The Findings tab: the list's tooltip and the detail pane.
    FindingsPanel* panel = window->findingsPanel();
    window->detailTabs()->setCurrentWidget(panel);
    QTreeWidget* list = panel->list();
    ASSERT_TRUE(waitFor([&] { return list->topLevelItemCount() >= 1; }));
    bool sawSummary = false;
    for (int row = 0; row < list->topLevelItemCount(); ++row) {
        const QString tip = list->topLevelItem(row)->toolTip(FindingsPanel::SummaryColumn);
        EXPECT_FALSE(tip.contains(QStringLiteral("<img"))) << tip.toStdString();
        sawSummary = sawSummary || tip.contains(kHostileEscaped);
    }
    EXPECT_TRUE(sawSummary);
    list->setCurrentItem(list->topLevelItem(0));
    auto* detail = panel->findChild<QTextBrowser*>();
    ASSERT_NE(detail, nullptr);
    EXPECT_TRUE(detail->toPlainText().contains(hostile)) << detail->toPlainText().toStdString();

    // The Process and Traffic tabs of the selected process, and every label of the window.
    selectProcess(kScanner);
    auto* details = window->findChild<ProcessDetailsPanel*>();
    ASSERT_NE(details, nullptr);
    window->detailTabs()->setCurrentWidget(details);
    auto* name = window->findChild<QLabel*>(QStringLiteral("detailName"));
    ASSERT_NE(name, nullptr);
    EXPECT_EQ(name->text(), hostile);
    EXPECT_EQ(name->textFormat(), Qt::PlainText);
    auto* chart = window->findChild<QChartView*>(QStringLiteral("trafficChartView"));
    ASSERT_NE(chart, nullptr);
    window->detailTabs()->setCurrentWidget(chart->parentWidget());
    ASSERT_TRUE(waitFor([&] { return chart->chart()->title().contains(kHostileEscaped); }))
        << chart->chart()->title().toStdString();
    EXPECT_FALSE(chart->chart()->title().contains(QStringLiteral("<img")));
    const QStringList offenders = labelsRenderingMarkup(*window);
    EXPECT_TRUE(offenders.isEmpty()) << offenders.join(QLatin1Char('\n')).toStdString();
}

// Every cell of a flagged row is tinted by its most severe finding; other rows are not.
TEST_F(FindingsWindowTest, FlaggedRowsAreTintedBySeverityInBothViews) {
    startAndWaitForScan();
    ProcessTreeModel* tree = window->treeModel();
    ASSERT_TRUE(waitFor([&] { return !processBadge(kScanner).isEmpty(); }));
    const QColor high = severityColor(core::Severity::High);
    const QModelIndex scanner = tree->indexOfProcess(kScanner);
    const QModelIndex server = tree->indexOfProcess(kServer);
    for (const Field field : {Field::Name, Field::Severity, Field::Pid, Field::Path}) {
        const QModelIndex cell = scanner.siblingAtColumn(tree->columnOf(field));
        EXPECT_EQ(tree->data(cell, roles::FindingSeverity).toInt(),
                  static_cast<int>(core::Severity::High));
        const QColor tint = tree->data(cell, Qt::BackgroundRole).value<QBrush>().color();
        EXPECT_EQ(tint.rgb(), high.rgb()) << static_cast<int>(field);
        EXPECT_GT(tint.alpha(), 0);
        EXPECT_EQ(tree->data(server.siblingAtColumn(tree->columnOf(field)), roles::FindingSeverity)
                      .toInt(),
                  -1);
    }
    EXPECT_EQ(tree->data(scanner.siblingAtColumn(tree->columnOf(Field::Severity)), Qt::DisplayRole)
                  .toString(),
              severityGlyph(core::Severity::High));
    EXPECT_EQ(tree->data(server.siblingAtColumn(tree->columnOf(Field::Severity)), Qt::DisplayRole)
                  .toString(),
              QString());

    // Flat table: every row of the flagged process, none of the server's.
    window->setGrouped(false);
    ConnectionTableModel* table = window->tableModel();
    ASSERT_GT(table->rowCount(), 0);
    for (int row = 0; row < table->rowCount(); ++row) {
        const QModelIndex cell = table->index(row, table->columnOf(Field::Local));
        const bool probe = table->connectionAt(cell)->socket.owner == kScanner;
        EXPECT_EQ(table->data(cell, roles::FindingSeverity).toInt(),
                  probe ? static_cast<int>(core::Severity::High) : -1)
            << row;
        if (probe) {
            EXPECT_EQ(table->data(cell, Qt::BackgroundRole).value<QBrush>().color().rgb(),
                      high.rgb());
        }
    }
}

// Sorted by name, "wormy" comes after "nginx"; flagged-first (the default) lifts it to the top
// in both views and both orders, and the choice is kept in the settings.
TEST_F(FindingsWindowTest, FlaggedProcessesSortFirstByDefaultAndTheChoiceIsKept) {
    EXPECT_TRUE(window->isFlaggedFirst());
    startAndWaitForScan();
    ASSERT_TRUE(waitFor([&] { return !processBadge(kScanner).isEmpty(); }));
    auto firstRowName = [&] {
        ConnectionFilterProxy* proxy = window->activeProxy();
        const QModelIndex first = proxy->index(0, 0);
        const core::ProcessRow* owner = proxy->updateModel()->processAt(proxy->mapToSource(first));
        return owner != nullptr ? QString::fromStdString(owner->process.name) : QString();
    };
    for (const bool grouped : {true, false}) {
        window->setGrouped(grouped);
        QTreeView* view = window->activeView();
        const int nameColumn = window->activeProxy()->updateModel()->columnOf(Field::Name);
        view->sortByColumn(nameColumn, Qt::AscendingOrder);
        ASSERT_TRUE(waitFor([&] { return firstRowName() == QStringLiteral("wormy"); }))
            << "grouped " << grouped << ": " << firstRowName().toStdString();
        view->sortByColumn(nameColumn, Qt::DescendingOrder);
        EXPECT_EQ(firstRowName(), QStringLiteral("wormy"));
        view->sortByColumn(nameColumn, Qt::AscendingOrder);
        window->setFlaggedFirst(false);
        EXPECT_EQ(firstRowName(), QStringLiteral("nginx")) << "grouped " << grouped;
        window->setFlaggedFirst(true);
        EXPECT_EQ(firstRowName(), QStringLiteral("wormy"));
    }

    // The View menu's action is the switch, and the choice outlives the window.
    auto* action = window->findChild<QAction*>(QStringLiteral("flaggedFirstAction"));
    ASSERT_NE(action, nullptr);
    action->setChecked(false);
    EXPECT_FALSE(window->isFlaggedFirst());
    window->close();
    window = std::make_unique<MainWindow>(SystemActions{});
    EXPECT_FALSE(window->isFlaggedFirst());
}

TEST_F(FindingsWindowTest, FindingsTabListsItAndFollowsTheSelectedProcess) {
    startAndWaitForScan();
    FindingsPanel* panel = window->findingsPanel();
    window->detailTabs()->setCurrentWidget(panel);
    QTreeWidget* list = panel->list();
    ASSERT_TRUE(waitFor([&] { return list->topLevelItemCount() >= 1; }));

    int scanRow = -1;
    for (int row = 0; row < list->topLevelItemCount(); ++row) {
        if (list->topLevelItem(row)->text(FindingsPanel::RuleColumn) ==
            QStringLiteral("fanout-scan")) {
            scanRow = row;
        }
    }
    ASSERT_GE(scanRow, 0);
    QTreeWidgetItem* item = list->topLevelItem(scanRow);
    EXPECT_EQ(item->text(FindingsPanel::ProcessColumn), QStringLiteral("wormy (PID 7777)"));
    EXPECT_TRUE(item->text(FindingsPanel::SeverityColumn).contains(QStringLiteral("High")));
    EXPECT_EQ(item->text(FindingsPanel::SummaryColumn),
              QString::fromStdString(scanFinding()->summary));
    EXPECT_FALSE(item->text(FindingsPanel::FirstColumn).isEmpty());
    EXPECT_TRUE(window->detailTabs()
                    ->tabText(window->detailTabs()->indexOf(panel))
                    .startsWith(QStringLiteral("Findings (")));

    // Selecting it shows the evidence sockets and the suggested action.
    list->setCurrentItem(item);
    const QString detail = panel->detailText();
    EXPECT_TRUE(detail.contains(QStringLiteral(":445"))) << detail.toStdString();
    EXPECT_TRUE(detail.contains(QStringLiteral("SYN_SENT"))) << detail.toStdString();
    EXPECT_TRUE(detail.contains(QString::fromStdString(scanFinding()->action)))
        << detail.toStdString();

    // The selection survives further updates.
    const std::uint64_t seen = sequence();
    ASSERT_TRUE(waitFor([&] { return sequence() >= seen + 2; }));
    ASSERT_NE(list->currentItem(), nullptr);
    EXPECT_EQ(list->currentItem()->text(FindingsPanel::RuleColumn), QStringLiteral("fanout-scan"));

    // Selecting the server hides the scanner's findings; selecting the scanner brings them.
    const std::uint64_t scanId = scanFinding()->id;
    selectProcess(kServer);
    ASSERT_TRUE(waitFor([&] {
        return std::none_of(panel->listedIds().begin(), panel->listedIds().end(),
                            [&](std::uint64_t id) { return id == scanId; });
    }));
    for (int row = 0; row < list->topLevelItemCount(); ++row) {
        EXPECT_EQ(list->topLevelItem(row)->text(FindingsPanel::ProcessColumn),
                  QStringLiteral("nginx (PID 8888)"));
    }
    selectProcess(kScanner);
    ASSERT_TRUE(waitFor([&] { return list->topLevelItemCount() >= 1; }));
    for (int row = 0; row < list->topLevelItemCount(); ++row) {
        EXPECT_EQ(list->topLevelItem(row)->text(FindingsPanel::ProcessColumn),
                  QStringLiteral("wormy (PID 7777)"));
    }
}

TEST_F(FindingsWindowTest, CtrlCInTheListCopiesTheFindingAsReadableText) {
    window->activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(window.get())); // shortcuts need an active window
    startAndWaitForScan();
    FindingsPanel* panel = window->findingsPanel();
    window->detailTabs()->setCurrentWidget(panel);
    QTreeWidget* list = panel->list();
    ASSERT_TRUE(waitFor([&] { return list->topLevelItemCount() >= 1; }));
    for (int row = 0; row < list->topLevelItemCount(); ++row) {
        if (list->topLevelItem(row)->text(FindingsPanel::RuleColumn) ==
            QStringLiteral("fanout-scan")) {
            list->setCurrentItem(list->topLevelItem(row), FindingsPanel::SeverityColumn);
        }
    }
    list->setFocus();
    QApplication::clipboard()->clear();
    QTest::keyClick(list, Qt::Key_C, Qt::ControlModifier);
    const QString copied = QApplication::clipboard()->text();
    const core::Finding* finding = scanFinding();
    ASSERT_NE(finding, nullptr);
    EXPECT_TRUE(copied.contains(QStringLiteral("High finding fanout-scan about wormy (PID 7777)")))
        << copied.toStdString();
    EXPECT_TRUE(copied.contains(QString::fromStdString(finding->summary)));
    ASSERT_FALSE(finding->details.empty());
    EXPECT_TRUE(
        copied.contains(QStringLiteral("- ") + QString::fromStdString(finding->details.front())));
    EXPECT_TRUE(
        copied.contains(QStringLiteral("What to do: ") + QString::fromStdString(finding->action)));
}

TEST_F(FindingsWindowTest, NoticeAnnouncesAHighFindingOnce) {
    QSignalSpy announced(window.get(), &MainWindow::findingAnnounced);
    EXPECT_FALSE(window->findingNotice()->isHidden());
    EXPECT_EQ(window->findingNoticeText(), QStringLiteral("No active high or medium findings."));
    startAndWaitForScan();
    ASSERT_TRUE(waitFor([&] { return announced.count() >= 1; }));
    const std::uint64_t scanId = scanFinding()->id;

    // Several more updates with the finding still active announce nothing new.
    const std::uint64_t seen = sequence();
    ASSERT_TRUE(waitFor([&] { return sequence() >= seen + 4; }));
    int scanAnnouncements = 0;
    for (const auto& arguments : announced) {
        scanAnnouncements += arguments.at(0).value<std::uint64_t>() == scanId ? 1 : 0;
        const core::Finding* f =
            window->latestUpdate()->findFinding(arguments.at(0).value<std::uint64_t>());
        if (f != nullptr) {
            EXPECT_EQ(f->severity, core::Severity::High);
        }
    }
    EXPECT_EQ(scanAnnouncements, 1);

    // The notice area names the process and the rule; its tooltip says what it did.
    const QString text = window->findingNoticeText();
    EXPECT_TRUE(text.startsWith(QStringLiteral("1 high finding"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("wormy (PID 7777) fanout-scan")))
        << text.toStdString();
    const QString firstSummary =
        QString::fromStdString(scanFinding()->summary).section(QStringLiteral(" in "), 0, 0);
    EXPECT_TRUE(window->findingNotice()->toolTip().contains(firstSummary));

    // "Show all" opens the Findings tab on the most severe finding.
    window->findingNotice()->findChild<QPushButton*>(QStringLiteral("findingNoticeShow"))->click();
    EXPECT_EQ(window->detailTabs()->currentWidget(), window->findingsPanel());
    ASSERT_NE(window->findingsPanel()->list()->currentItem(), nullptr);
    EXPECT_EQ(window->findingsPanel()->list()->currentItem()->text(FindingsPanel::RuleColumn),
              QStringLiteral("fanout-scan"));
}

// The notice area is one line high from the start, so findings arriving never move the
// filter bar or the list: a click aimed at a row lands on that row.
TEST_F(FindingsWindowTest, NoticesNeverMoveTheList) {
    for (const QSize size : {QSize(1280, 800), QSize(1366, 768)}) {
        QSettings().clear();
        window = std::make_unique<MainWindow>(SystemActions{});
        window->setIntervalMs(250);
        window->resize(size);
        window->show();
        ASSERT_TRUE(window->openSource(scanSource()));
        ASSERT_TRUE(waitFor([&] { return window->latestUpdate() != nullptr; }));
        ASSERT_TRUE(window->latestUpdate()->findings.empty()); // tick 0: no scan yet
        QCoreApplication::processEvents();
        auto geometryOfList = [&] {
            QTreeView* view = window->activeView();
            return QRect(view->mapTo(window.get(), QPoint(0, 0)), view->size());
        };
        const QRect before = geometryOfList();
        const int noticeHeight = window->findingNotice()->height();
        ASSERT_TRUE(waitFor([&] { return scanFinding() != nullptr; }, 10000));
        ASSERT_TRUE(waitFor([&] { return window->findingNoticeText().contains("fanout-scan"); }));
        QCoreApplication::processEvents();
        EXPECT_EQ(geometryOfList(), before) << size.width();
        EXPECT_EQ(window->findingNotice()->height(), noticeHeight);
        EXPECT_LE(noticeHeight, 2 * window->fontMetrics().height() + 12);
    }
}

// Ten processes tripping one rule make one entry, not ten; the most severe comes first.
TEST(FindingNoticeText, GroupsOneRuleAboutManyProcessesAndListsBySeverity) {
    core::Update update;
    for (int i = 0; i < 10; ++i) {
        core::Finding surge = finding(static_cast<core::FindingId>(10 + i), "traffic-surge",
                                      core::Severity::Medium, core::ProcessKey{100 + i, 1}, {});
        surge.processName = "load" + std::to_string(i);
        update.findings.push_back(surge);
    }
    update.findings.push_back(
        finding(30, "fanout-scan", core::Severity::High, core::ProcessKey{7777, 333}, {}));
    update.findings.push_back(
        finding(31, "new-listener", core::Severity::Low, core::ProcessKey{7777, 333}, {}));
    const FindingHistory history;
    const FindingNotice notice = summarizeFindings(&update, history);
    EXPECT_EQ(notice.text.toStdString(),
              "1 high finding, 10 medium findings: wormy (PID 7777) fanout-scan; "
              "traffic-surge ×10 (load0, load1, load2, …)");
    EXPECT_EQ(notice.firstId, 30u);
    EXPECT_EQ(notice.highestSeverity, static_cast<int>(core::Severity::High));
    EXPECT_EQ(notice.details.count(QLatin1Char('\n')), 10); // eleven lines, low left out
}

// A cleared finding is kept as resolved, with when and why; the notice no longer lists it
// as live.
TEST(FindingNoticeText, ResolvedFindingsAreMarkedAsResolved) {
    core::Update update;
    update.unixMs = QDateTime(QDate(2026, 1, 2), QTime(17, 3, 0)).toMSecsSinceEpoch();
    update.findingsCleared.push_back(
        finding(30, "fanout-scan", core::Severity::High, core::ProcessKey{7777, 333}, {}));
    FindingHistory history;
    history.apply(update);
    ASSERT_EQ(history.resolved().size(), 1u);
    EXPECT_EQ(history.resolved().front().reason, ResolvedFinding::Reason::ProcessExited);
    EXPECT_EQ(endedText(history.resolved().front()), QStringLiteral("process gone at 17:03:00"));
    const FindingNotice notice = summarizeFindings(&update, history);
    EXPECT_EQ(notice.text.toStdString(),
              "No active high or medium findings.  ·  1 resolved (last: wormy (PID 7777) "
              "fanout-scan, process gone at 17:03:00)");
    EXPECT_EQ(notice.firstId, 0u);
    EXPECT_EQ(notice.highestSeverity, -1);
}

// From a finding to its process: a double-click selects the process in the list, so Kill
// applies to it, in both views.
TEST_F(FindingsWindowTest, DoubleClickOnAFindingSelectsItsProcessAndEnablesKill) {
    startAndWaitForScan();
    auto* kill = window->findChild<QAction*>(QStringLiteral("killAction"));
    ASSERT_NE(kill, nullptr);
    for (const bool grouped : {true, false}) {
        window->setGrouped(grouped);
        const std::uint64_t scanId = scanFinding()->id;
        window->showFinding(scanId); // clears the list's selection when it narrows the tab
        window->activeView()->clearSelection();
        window->activeView()->setCurrentIndex({});
        ASSERT_TRUE(waitFor([&] { return !kill->isEnabled(); }));
        QTreeWidget* list = window->findingsPanel()->list();
        ASSERT_TRUE(window->findingsPanel()->selectFinding(scanId));
        QTreeWidgetItem* item = list->currentItem();
        ASSERT_NE(item, nullptr);
        list->scrollToItem(item);
        const QPoint centre = list->visualItemRect(item).center();
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, centre);
        QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, centre);

        QTreeView* view = window->activeView();
        const QModelIndex current = view->selectionModel()->currentIndex();
        ASSERT_TRUE(current.isValid()) << "grouped " << grouped;
        const core::ProcessRow* row = window->activeProxy()->updateModel()->processAt(
            window->activeProxy()->mapToSource(current));
        ASSERT_NE(row, nullptr);
        EXPECT_EQ(row->process.key, kScanner);
        EXPECT_TRUE(view->selectionModel()->isSelected(current));
        EXPECT_TRUE(kill->isEnabled()) << "grouped " << grouped;
        // The finding stays selected in the (now narrowed) Findings tab.
        EXPECT_EQ(window->findingsPanel()->selectedId(), scanId);
    }

    // The Process tab of the selected process lists its findings too.
    ProcessDetailsPanel* details = window->findChild<ProcessDetailsPanel*>();
    ASSERT_NE(details, nullptr);
    window->detailTabs()->setCurrentWidget(details);
    ASSERT_TRUE(waitFor([&] { return details->findingsText().contains("fanout-scan"); }))
        << details->findingsText().toStdString();
    EXPECT_TRUE(details->findingsText().startsWith(QStringLiteral("⚠ High fanout-scan: ")));
}

// "Copy finding" puts readable text on the clipboard: what, evidence, what to do.
TEST_F(FindingsWindowTest, CopyFindingPutsSummaryEvidenceAndActionOnTheClipboard) {
    startAndWaitForScan();
    const core::Finding scan = *scanFinding();
    window->showFinding(scan.id);
    FindingsPanel* panel = window->findingsPanel();
    ASSERT_EQ(panel->selectedId(), scan.id);
    QGuiApplication::clipboard()->clear();
    ASSERT_TRUE(panel->copyAction()->isEnabled());
    // Through the list's context menu actions, as a user reaches them.
    ASSERT_TRUE(panel->list()->actions().contains(panel->copyAction()));
    panel->copyAction()->trigger();
    const QString text = QGuiApplication::clipboard()->text();
    EXPECT_TRUE(
        text.startsWith(QStringLiteral("⚠ High finding fanout-scan about wormy (PID 7777)")))
        << text.toStdString();
    EXPECT_TRUE(text.contains(QString::fromStdString(scan.summary))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("Evidence:")));
    EXPECT_TRUE(text.contains(QStringLiteral("127.0.0.10:445"))) << text.toStdString();
    EXPECT_TRUE(
        text.contains(QStringLiteral("What to do: ") + QString::fromStdString(scan.action)));
    EXPECT_FALSE(text.contains(QLatin1Char('<'))); // text, not markup
}

// "Close connections" resets every open socket the finding cites, and no other.
TEST_F(FindingsWindowTest, CloseConnectionsResetsTheSocketsTheFindingCites) {
    auto closed = std::make_shared<std::vector<core::Socket>>();
    auto mutex = std::make_shared<std::mutex>();
    SystemActions actions;
    actions.closeConnection = [closed, mutex](const core::Socket& socket) {
        const std::lock_guard lock(*mutex);
        closed->push_back(socket);
        return platform::ActionResult{platform::ActionStatus::Done, {}};
    };
    window = std::make_unique<MainWindow>(std::move(actions));
    window->setIntervalMs(250);
    window->show();
    startAndWaitForScan();
    const core::Finding scan = *scanFinding();
    window->showFinding(scan.id);
    FindingsPanel* panel = window->findingsPanel();
    ASSERT_TRUE(panel->closeConnectionsAction()->isEnabled());
    QSignalSpy completed(window.get(), &MainWindow::actionCompleted);
    panel->closeConnectionsAction()->trigger();
    ASSERT_TRUE(waitFor([&] { return completed.count() == 1; }));
    EXPECT_TRUE(completed.at(0).at(0).toBool());
    const std::lock_guard lock(*mutex);
    EXPECT_EQ(closed->size(), scan.sockets.size());
    for (const core::Socket& socket : *closed) {
        EXPECT_EQ(socket.remote.port, 445);
        EXPECT_EQ(socket.owner, kScanner);
    }
}

// When the scanner exits, its finding ends: the notice stops listing it as live, and the
// Findings tab keeps it for the session as resolved, saying when and why.
TEST_F(FindingsWindowTest, AnEndedFindingStaysListedAsResolvedWithWhenAndWhy) {
    constexpr int kExitTick = 6;
    ASSERT_TRUE(window->openSource(std::make_unique<portscope::test::FunctionSource>(
        [](int poll) -> std::optional<core::Snapshot> {
            const int tick = poll - 1;
            if (tick < kExitTick) {
                return scanSnapshot(tick);
            }
            // The scanner is gone; ten scripted seconds a poll reach the clearing delay soon.
            core::Snapshot snapshot = scanSnapshot(kExitTick + (tick - kExitTick) * 10);
            std::erase_if(snapshot.sockets,
                          [](const core::Socket& socket) { return socket.owner == kScanner; });
            std::erase_if(snapshot.processes,
                          [](const core::Process& p) { return p.key == kScanner; });
            return snapshot;
        },
        "scripted scan, then exit")));
    ASSERT_TRUE(waitFor([&] { return scanFinding() != nullptr; }, 10000));
    const core::Finding scan = *scanFinding();
    ASSERT_TRUE(waitFor([&] { return window->findingNoticeText().contains("resolved"); }, 15000))
        << window->findingNoticeText().toStdString();
    EXPECT_EQ(scanFinding(), nullptr);
    EXPECT_FALSE(window->findingNoticeText().contains(QStringLiteral("high finding")))
        << window->findingNoticeText().toStdString();
    EXPECT_TRUE(window->findingNoticeText().contains(QStringLiteral("process gone at")))
        << window->findingNoticeText().toStdString();

    window->detailTabs()->setCurrentWidget(window->findingsPanel());
    FindingsPanel* panel = window->findingsPanel();
    ASSERT_TRUE(waitFor([&] { return panel->selectFinding(scan.id); }));
    QTreeWidgetItem* item = panel->list()->currentItem();
    EXPECT_TRUE(item->text(FindingsPanel::SeverityColumn).endsWith(QStringLiteral("(resolved)")));
    EXPECT_TRUE(
        item->text(FindingsPanel::LastColumn).startsWith(QStringLiteral("process gone at ")))
        << item->text(FindingsPanel::LastColumn).toStdString();
    EXPECT_TRUE(panel->detailText().startsWith(QStringLiteral("Resolved: process gone at")))
        << panel->detailText().toStdString();
    // It can be read and copied, not acted on.
    EXPECT_TRUE(panel->copyAction()->isEnabled());
    EXPECT_FALSE(panel->killProcessAction()->isEnabled());
    EXPECT_FALSE(panel->closeConnectionsAction()->isEnabled());
}

TEST_F(FindingsWindowTest, StatisticsTabShowsCountersRatesAndFlagsCitedOnes) {
    startAndWaitForScan();
    StatisticsPanel* panel = window->statisticsPanel();
    window->detailTabs()->setCurrentWidget(panel);
    QTreeWidget* table = panel->table();
    auto rowOf = [&](const QString& name) -> QTreeWidgetItem* {
        for (int row = 0; row < table->topLevelItemCount(); ++row) {
            if (table->topLevelItem(row)->text(StatisticsPanel::NameColumn) == name) {
                return table->topLevelItem(row);
            }
        }
        return nullptr;
    };
    // Wait until the resets have a rate and the inbound-scan rule cites them.
    ASSERT_TRUE(waitFor(
        [&] {
            QTreeWidgetItem* resets = rowOf(QStringLiteral("Tcp.OutRsts"));
            return resets != nullptr && !resets->text(StatisticsPanel::FindingsColumn).isEmpty();
        },
        10000));
    EXPECT_EQ(table->topLevelItemCount(),
              static_cast<int>(window->latestUpdate()->counterRates.size()));
    EXPECT_EQ(table->topLevelItemCount(), 4);

    QTreeWidgetItem* resets = rowOf(QStringLiteral("Tcp.OutRsts"));
    EXPECT_TRUE(
        resets->text(StatisticsPanel::FindingsColumn).contains(QStringLiteral("inbound-scan")));
    EXPECT_TRUE(resets->font(StatisticsPanel::NameColumn).bold());
    EXPECT_NE(resets->background(StatisticsPanel::NameColumn).style(), Qt::NoBrush);
    // 100 resets per scripted second.
    EXPECT_DOUBLE_EQ(QLocale().toDouble(resets->text(StatisticsPanel::RateColumn)), 100.0);

    // Connection attempts: 12 per scripted second, cited by no finding.
    QTreeWidgetItem* opens = rowOf(QStringLiteral("Tcp.ActiveOpens"));
    ASSERT_NE(opens, nullptr);
    EXPECT_GE(QLocale().toLongLong(opens->text(StatisticsPanel::ValueColumn)), 500 + kScanHosts);
    EXPECT_DOUBLE_EQ(QLocale().toDouble(opens->text(StatisticsPanel::RateColumn)), 12.0);
    EXPECT_TRUE(opens->text(StatisticsPanel::FindingsColumn).isEmpty());
    EXPECT_FALSE(opens->font(StatisticsPanel::NameColumn).bold());
    EXPECT_EQ(opens->background(StatisticsPanel::NameColumn).style(), Qt::NoBrush);

    // Every row is highlighted exactly when the update says an active finding cites it.
    const auto& rates = window->latestUpdate()->counterRates;
    for (int row = 0; row < table->topLevelItemCount(); ++row) {
        const QTreeWidgetItem* item = table->topLevelItem(row);
        EXPECT_EQ(item->font(StatisticsPanel::NameColumn).bold(),
                  rates[static_cast<std::size_t>(row)].flagged())
            << item->text(StatisticsPanel::NameColumn).toStdString();
    }
}

// Writes the scenario as a recorded session and plays it: the finding comes back from the
// replay too. With PORTSCOPE_FINDINGS_REPLAY set, the recording is also kept at that path
// (for screenshots of the Findings and Statistics tabs).
TEST_F(FindingsWindowTest, RecordedScanRaisesTheFindingOnReplay) {
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QByteArray keep = qgetenv("PORTSCOPE_FINDINGS_REPLAY");
    const std::string path = keep.isEmpty()
                                 ? dir.filePath(QStringLiteral("scan.psreplay")).toStdString()
                                 : keep.toStdString();
    {
        core::ReplayWriter writer(platform::createPrivateFile(path), path);
        for (int tick = 0; tick < 8; ++tick) {
            writer.write(scanSnapshot(tick));
        }
    }
    QSignalSpy announced(window.get(), &MainWindow::findingAnnounced);
    ASSERT_TRUE(window->openReplayFile(QString::fromStdString(path)));
    ASSERT_TRUE(waitFor([&] { return window->session() && window->session()->finished(); }, 15000));
    ASSERT_NE(scanFinding(), nullptr);
    EXPECT_EQ(processBadge(kScanner), QStringLiteral("⚠ fanout-scan"));
    EXPECT_GE(announced.count(), 1);
}

} // namespace
} // namespace portscope::gui
