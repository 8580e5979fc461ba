#include "main_window.h"

#include "action_icons.h"
#include "anchored_note.h"
#include "capture_controller.h"
#include "capture_status.h"
#include "connection_filter_proxy.h"
#include "connection_table_model.h"
#include "connection_view.h"
#include "elevation_controller.h"
#include "filter_error_text.h"
#include "finding_format.h"
#include "finding_history.h"
#include "finding_notifier.h"
#include "finding_wording.h"
#include "findings_panel.h"
#include "list_keyboard.h"
#include "monitor_session.h"
#include "owner_name_delegate.h"
#include "portscope/core/engine.h"
#include "portscope/core/filter_query.h"
#include "privileges.h"
#include "process_details_panel.h"
#include "process_icons.h"
#include "process_parents.h"
#include "process_tree_model.h"
#include "recording_controller.h"
#include "remote_controller.h"
#include "rich_text.h"
#include "row_format.h"
#include "rows_shown_label.h"
#include "sensor_setting.h"
#include "show_switches.h"
#include "statistics_panel.h"
#include "system_actions.h"
#include "traffic_chart.h"
#include "view_metrics.h"
#include "view_state_keeper.h"

#include <QAbstractButton>
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFrame>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QSysInfo>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <stdexcept>

namespace portscope::gui {

namespace {

constexpr int kCustomInterval = -1;

// An open TCP connection of this computer that a reset can close: not a listener, not
// TIME_WAIT, not a half-open request the kernel holds.
bool resettable(const core::Connection& connection) {
    if (!connection.open || connection.socket.protocol != core::Protocol::Tcp) {
        return false;
    }
    const auto state = connection.socket.state;
    return state != core::SocketState::Listen && state != core::SocketState::TimeWait &&
           state != core::SocketState::NewSynRecv && state != core::SocketState::SynRecv;
}
// Versioned: header layouts saved before the Severity column would keep the findings and
// the process off to the right.
constexpr const char* kTreeHeaderKey = "view/treeHeader2";
constexpr const char* kTableHeaderKey = "view/tableHeader2";
constexpr std::array<int, 5> kPresetIntervalsMs{500, 1000, 2000, 5000, 10000};

struct ToggleSpec {
    const char* key;
    const char* label;
    const char* toolTip;
};
constexpr std::array<ToggleSpec, 7> kToggles{{
    {"tcp", QT_TRANSLATE_NOOP("portscope::gui::MainWindow", "TCP"),
     QT_TRANSLATE_NOOP("portscope::gui::MainWindow", "Show TCP sockets")},
    {"udp", QT_TRANSLATE_NOOP("portscope::gui::MainWindow", "UDP"),
     QT_TRANSLATE_NOOP("portscope::gui::MainWindow", "Show UDP sockets")},
    {"ipv4", QT_TRANSLATE_NOOP("portscope::gui::MainWindow", "IPv4"),
     QT_TRANSLATE_NOOP("portscope::gui::MainWindow", "Show IPv4 sockets")},
    {"ipv6", QT_TRANSLATE_NOOP("portscope::gui::MainWindow", "IPv6"),
     QT_TRANSLATE_NOOP("portscope::gui::MainWindow", "Show IPv6 sockets")},
    {"listening", QT_TRANSLATE_NOOP("portscope::gui::MainWindow", "Listening"),
     QT_TRANSLATE_NOOP("portscope::gui::MainWindow",
                       "Show listening TCP sockets and unconnected UDP sockets")},
    {"loopback", QT_TRANSLATE_NOOP("portscope::gui::MainWindow", "Loopback"),
     QT_TRANSLATE_NOOP("portscope::gui::MainWindow", "Show connections on 127.0.0.0/8 and ::1")},
    {"timewait", QT_TRANSLATE_NOOP("portscope::gui::MainWindow", "TIME_WAIT"),
     QT_TRANSLATE_NOOP("portscope::gui::MainWindow", "Show TCP connections in TIME_WAIT")},
}};

QString intervalLabel(int milliseconds) {
    return QObject::tr("%1 s").arg(milliseconds / 1000.0, 0, 'g', 4);
}

QString fromStd(const std::string& text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

} // namespace

MainWindow::MainWindow(SystemActions actions, QWidget* parent)
    : QMainWindow(parent), userActions_(std::make_unique<SystemActions>(std::move(actions))) {
    setObjectName(QStringLiteral("mainWindow"));
    elevation_ = new ElevationController(PrivilegeOptions::platformDefaults(), this);
    recording_ = new RecordingController(this);
    capture_ = new CaptureController(this);
    sensor_ = new SensorSetting(this);
    findingNotifier_ = new FindingNotifier(this);
    findingHistory_ = std::make_unique<FindingHistory>();

    treeModel_ = new ProcessTreeModel(this);
    tableModel_ = new ConnectionTableModel(this);
    treeProxy_ = new ConnectionFilterProxy(this);
    treeProxy_->setUpdateModel(treeModel_);
    tableProxy_ = new ConnectionFilterProxy(this);
    tableProxy_->setUpdateModel(tableModel_);

    buildActions();
    buildRemote();
    buildCentralArea();
    findingsPanel_->setHistory(findingHistory_.get());
    buildMenus();
    buildToolBars();
    buildStatusBar();
    loadSettings();
    updatePrivilegeActions();
    updateActionStates();

    connect(elevation_, &ElevationController::stateChanged, this,
            &MainWindow::updatePrivilegeActions);
    connect(elevation_, &ElevationController::helperStarted, this, &MainWindow::onHelperStarted);
    connect(elevation_, &ElevationController::failed, this, &MainWindow::onElevationFailed);
    connect(elevation_, &ElevationController::restartStarted, this, [this] {
        close();
        QCoreApplication::quit();
    });
    connect(recording_, &RecordingController::stateChanged, this, [this] {
        updateRecordAction();
        updateRecordingStatus();
        updateActionStates();
    });
    connect(recording_, &RecordingController::stopped, this, &MainWindow::recordingStopped);
    connect(recording_, &RecordingController::writeFailed, this,
            [this](const QString& message) { showActionMessage(message, false); });
    connect(findingNotifier_, &FindingNotifier::findingAnnounced, this,
            &MainWindow::findingAnnounced);
    connect(findingNotifier_, &FindingNotifier::showRequested, this, &MainWindow::showFinding);
    connect(findingsPanel_, &FindingsPanel::goToProcessRequested, this,
            &MainWindow::goToFindingProcess);
    connect(findingsPanel_, &FindingsPanel::killProcessRequested, this, [this](std::uint64_t id) {
        if (goToFindingProcess(id)) {
            killSelectedProcess();
        }
    });
    connect(findingsPanel_, &FindingsPanel::closeConnectionsRequested, this,
            &MainWindow::closeFindingConnections);
}

MainWindow::~MainWindow() {
    // Stop the engine before the models it feeds, and the recording it writes, go away.
    session_.reset();
}

void MainWindow::buildToggleActions() {
    for (std::size_t i = 0; i < kToggles.size(); ++i) {
        auto* action = new QAction(tr(kToggles[i].label), this);
        action->setObjectName(QStringLiteral("toggle_%1").arg(QLatin1String(kToggles[i].key)));
        action->setCheckable(true);
        action->setChecked(true);
        action->setToolTip(tr(kToggles[i].toolTip));
        connect(action, &QAction::toggled, this, &MainWindow::onTogglesChanged);
        toggleActions_[i] = action;
    }
}

void MainWindow::buildToolBars() {
    QToolBar* main = addToolBar(tr("Main"));
    main->setObjectName(QStringLiteral("mainToolBar"));
    main->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    main->addAction(pauseAction_);
    if (auto* pauseButton = qobject_cast<QAbstractButton*>(main->widgetForAction(pauseAction_))) {
        reserveWidthForTexts(*pauseButton, {tr("&Pause"), tr("&Resume")});
    }
    main->addAction(refreshAction_);
    main->addWidget(new QLabel(tr(" Update every "), main));
    intervalCombo_ = new QComboBox(main);
    intervalCombo_->setObjectName(QStringLiteral("intervalCombo"));
    for (int ms : kPresetIntervalsMs) {
        intervalCombo_->addItem(intervalLabel(ms), ms);
    }
    intervalCombo_->addItem(tr("Custom…"), kCustomInterval);
    intervalCombo_->setToolTip(tr("How often the system is polled; applies at once"));
    connect(intervalCombo_, qOverload<int>(&QComboBox::activated), this,
            &MainWindow::onIntervalChosen);
    main->addWidget(intervalCombo_);
    main->addSeparator();
    main->addAction(groupAction_);
    main->addAction(killAction_);
    main->addAction(closeConnectionAction_);
    main->addAction(exportAction_);
    main->addAction(recordAction_);
    main->addAction(administratorAction_);
}

QTreeView* MainWindow::makeView(ConnectionFilterProxy* proxy, const char* objectName) {
    auto* view = new ConnectionView(this);
    view->setObjectName(QString::fromLatin1(objectName));
    view->setModel(proxy);
    view->setUniformRowHeights(true);
    view->setSortingEnabled(true);
    view->setAlternatingRowColors(false); // the highlight colours carry meaning
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    view->setAllColumnsShowFocus(true);
    view->setIconSize(QSize(16, 16));
    view->setItemDelegate(new UniformRowDelegate(view));
    view->header()->setSectionsMovable(true);
    view->header()->setStretchLastSection(true);
    view->header()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(view->header(), &QHeaderView::customContextMenuRequested, this,
            [this, view](const QPoint& position) { showHeaderMenu(view, position); });
    connect(view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::onSelectionChanged);
    connect(view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &MainWindow::onSelectionChanged);
    view->addAction(copyAction_);
    view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(view, &QWidget::customContextMenuRequested, this,
            [this, view](const QPoint& position) { showRowContextMenu(view, position); });
    // A double-click opens the properties, as in TCPView; the arrow and +/- still expand.
    view->setExpandsOnDoubleClick(false);
    connect(view, &QAbstractItemView::doubleClicked, this,
            [this, view](const QModelIndex& index) { onRowDoubleClicked(view, index); });
    return view;
}

void MainWindow::buildCentralArea() {
    treeView_ = makeView(treeProxy_, "processTree");
    tableView_ = makeView(tableProxy_, "connectionTable");
    tableView_->setRootIsDecorated(false);
    connect(treeModel_, &UpdateModel::updateApplied, treeView_->viewport(),
            qOverload<>(&QWidget::update));
    connect(tableModel_, &UpdateModel::updateApplied, tableView_->viewport(),
            qOverload<>(&QWidget::update));
    for (QTreeView* view : {treeView_, tableView_}) {
        connect(&ProcessIcons::shared(), &ProcessIcons::iconsChanged, view->viewport(),
                qOverload<>(&QWidget::update));
    }

    // Samples of the widest text each column usually shows; the widths follow the font.
    const QString address = QStringLiteral("[fe80::1234:5678:9abc]:65535");
    const QString rate = QStringLiteral("999.9 KB/s");
    const auto tree = [this](Field field) { return treeModel_->columnOf(field); };
    sizeColumnsToSamples(*treeView_,
                         {{tree(Field::Name), QStringLiteral("xx gnome-shell-calendar")},
                          {tree(Field::Severity), QStringLiteral("!!")},
                          {tree(Field::Change), QStringLiteral("~~")},
                          {tree(Field::Pid), QStringLiteral("4194304")},
                          {tree(Field::Local), QStringLiteral("192.168.100.100:65535")},
                          {tree(Field::User), QStringLiteral("username")},
                          {tree(Field::Remote), address},
                          {tree(Field::State), QStringLiteral("ESTABLISHED (closing)")},
                          {tree(Field::Connections), QStringLiteral("9999 (9999 listening)")},
                          {tree(Field::Scope), QStringLiteral("unspecified")},
                          {tree(Field::SendRate), rate},
                          {tree(Field::ReceiveRate), rate},
                          {tree(Field::Bytes), QStringLiteral("999.9 MB")},
                          {tree(Field::Age), QStringLiteral("59 min")},
                          {tree(Field::Finding), QStringLiteral("fanout-scan, masquerade")}});
    treeView_->sortByColumn(tree(Field::Name), Qt::AscendingOrder);

    const auto table = [this](Field field) { return tableModel_->columnOf(field); };
    sizeColumnsToSamples(*tableView_,
                         {{table(Field::Change), QStringLiteral("~~")},
                          {table(Field::Severity), QStringLiteral("!!")},
                          {table(Field::Protocol), QStringLiteral("TCPv6")},
                          {table(Field::Local), address},
                          {table(Field::Remote), address},
                          {table(Field::State), QStringLiteral("ESTABLISHED (closing)")},
                          {table(Field::Scope), QStringLiteral("unspecified")},
                          {table(Field::SendRate), rate},
                          {table(Field::ReceiveRate), rate},
                          {table(Field::Bytes), QStringLiteral("999.9 MB")},
                          {table(Field::Age), QStringLiteral("59 min")},
                          {table(Field::Name), QStringLiteral("xx gnome-shell-calendar")},
                          {table(Field::Pid), QStringLiteral("4194304")},
                          {table(Field::Finding), QStringLiteral("fanout-scan, masquerade")}});
    tableView_->sortByColumn(tableModel_->columnOf(Field::Name), Qt::AscendingOrder);

    viewStack_ = new QStackedWidget(this);
    viewStack_->addWidget(treeView_);
    viewStack_->addWidget(tableView_);

    // Filter bar: query, inline error, quick toggles.
    filterEdit_ = new QLineEdit(this);
    filterEdit_->setObjectName(QStringLiteral("filterEdit"));
    filterEdit_->setClearButtonEnabled(true);
    // The red frame of a bad filter must not make the box, and the list below it, move.
    filterEdit_->setFixedHeight(filterEdit_->sizeHint().height());
    filterEdit_->setPlaceholderText(
        tr("Filter (Ctrl+F): text  proc:  pid:  port:135-139  state:listen  proto:tcp  "
           "scope:internet  user:  host:  -term excludes"));
    filterEdit_->setToolTip(tr("Type to filter; see Help › Filter syntax"));
    filterTimer_ = new QTimer(this);
    filterTimer_->setSingleShot(true);
    filterTimer_->setInterval(200);
    connect(filterEdit_, &QLineEdit::textChanged, filterTimer_, qOverload<>(&QTimer::start));
    connect(filterTimer_, &QTimer::timeout, this, [this] { applyFilterText(filterEdit_->text()); });

    rowsShown_ = new RowsShownLabel(this);
    auto* keyboard = new ListKeyboard(
        filterEdit_, [this] { return activeView(); }, this);
    for (QTreeView* view : {treeView_, tableView_}) {
        keyboard->addList(view);
        new ViewStateKeeper(view, static_cast<ConnectionFilterProxy*>(view->model()), this);
    }
    treeView_->setItemDelegateForColumn(treeModel_->columnOf(Field::Name),
                                        new OwnerNameDelegate(treeView_));

    bannerFrame_ = new QFrame(this);
    bannerFrame_->setObjectName(QStringLiteral("warningBannerFrame"));
    bannerFrame_->setStyleSheet(QStringLiteral(
        "QFrame#warningBannerFrame { background: #fff4c2; border: 1px solid #e0c35a; }"
        "QFrame#warningBannerFrame QLabel { color: #3d3000; }"));
    banner_ = new QLabel(bannerFrame_);
    banner_->setObjectName(QStringLiteral("warningBanner"));
    banner_->setTextFormat(Qt::RichText);
    banner_->setWordWrap(true);
    banner_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bannerAdministratorButton_ =
        new QPushButton(administratorAction_->icon(),
                        administratorAction_->text().remove(QLatin1Char('&')), bannerFrame_);
    bannerAdministratorButton_->setObjectName(QStringLiteral("bannerAdministratorButton"));
    bannerAdministratorButton_->setToolTip(administratorAction_->toolTip());
    connect(bannerAdministratorButton_, &QPushButton::clicked, this,
            &MainWindow::requestAdministratorRights);
    auto* bannerLayout = new QHBoxLayout(bannerFrame_);
    bannerLayout->setContentsMargins(8, 6, 6, 6);
    bannerLayout->addWidget(banner_, 1);
    bannerLayout->addWidget(bannerAdministratorButton_, 0, Qt::AlignVCenter);
    bannerAdministratorButton_->hide();
    bannerFrame_->hide();

    actionMessage_ = new QLabel(this);
    actionMessage_->setObjectName(QStringLiteral("actionMessage"));
    actionMessage_->setTextFormat(Qt::PlainText);
    actionMessage_->setWordWrap(true);
    actionMessage_->hide();

    // Non-modal: monitoring goes on while it shows; updateFindingNotice() colours it.
    findingNotice_ = new QFrame(this);
    findingNotice_->setObjectName(QStringLiteral("findingNotice"));
    findingNoticeLabel_ = new QLabel(findingNotice_);
    findingNoticeLabel_->setObjectName(QStringLiteral("findingNoticeText"));
    findingNoticeLabel_->setTextFormat(Qt::PlainText);
    // One line whatever the number of findings: a long line is cut, the tooltip has it all.
    findingNoticeLabel_->setWordWrap(false);
    findingNoticeLabel_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto* showNotice = new QPushButton(tr("Show all"), findingNotice_);
    showNotice->setObjectName(QStringLiteral("findingNoticeShow"));
    connect(showNotice, &QPushButton::clicked, this, [this] {
        const FindingNotice notice = summarizeFindings(latest_.get(), *findingHistory_);
        if (notice.firstId != 0) {
            showFinding(notice.firstId);
        } else {
            detailTabs_->setCurrentWidget(findingsPanel_);
        }
    });
    auto* noticeLayout = new QHBoxLayout(findingNotice_);
    noticeLayout->setContentsMargins(8, 2, 4, 2);
    noticeLayout->addWidget(findingNoticeLabel_, 1);
    noticeLayout->addWidget(showNotice);
    // Always there and always one line high, so that the filter bar and the list below never
    // move when findings come and go: a list that jumps turns a click into the wrong row.
    findingNotice_->setFixedHeight(findingNotice_->sizeHint().height());
    updateFindingNotice();

    auto* filterRow = new QHBoxLayout();
    filterRow->addWidget(filterEdit_, 1);
    filterRow->addWidget(rowsShown_);
    filterRow->addWidget(new ShowSwitches(toggleActions_, this));

    // Detail tabs.
    detailTabs_ = new QTabWidget(this);
    detailTabs_->setObjectName(QStringLiteral("detailTabs"));
    traffic_ = new TrafficChart(detailTabs_);
    processPanel_ = new ProcessDetailsPanel(detailTabs_);
    findingsPanel_ = new FindingsPanel(detailTabs_);
    statisticsPanel_ = new StatisticsPanel(detailTabs_);
    detailTabs_->addTab(traffic_, tr("Traffic"));
    detailTabs_->addTab(processPanel_, tr("Process"));
    detailTabs_->addTab(findingsPanel_, tr("Findings"));
    detailTabs_->addTab(statisticsPanel_, tr("Statistics"));
    connect(detailTabs_, &QTabWidget::currentChanged, this, [this] { updateDetails(); });

    splitter_ = new QSplitter(Qt::Vertical, this);
    splitter_->setObjectName(QStringLiteral("mainSplitter"));
    splitter_->addWidget(viewStack_);
    splitter_->addWidget(detailTabs_);
    splitter_->setStretchFactor(0, 3);
    splitter_->setStretchFactor(1, 2);
    splitter_->setChildrenCollapsible(false);

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addWidget(findingNotice_);
    layout->addLayout(filterRow);
    layout->addWidget(splitter_, 1);
    // Messages that come and go sit below the list, so that its rows never move under the
    // pointer: a row that jumps as a banner appears turns a click into the wrong process.
    layout->addWidget(remote_->notice());
    layout->addWidget(bannerFrame_);
    layout->addWidget(actionMessage_);
    setCentralWidget(central);
    filterError_ = new AnchoredNote(filterEdit_, central);
    filterError_->setObjectName(QStringLiteral("filterError"));
}

void MainWindow::buildStatusBar() {
    auto make = [this](const char* name) {
        auto* label = new QLabel(this);
        label->setObjectName(QString::fromLatin1(name));
        statusBar()->addPermanentWidget(label);
        return label;
    };
    statusSource_ = new QLabel(this);
    statusSource_->setObjectName(QStringLiteral("statusSource"));
    statusSource_->setTextFormat(Qt::PlainText);
    statusBar()->addWidget(statusSource_, 1);
    statusBar()->addPermanentWidget(sensor_->statusLabel());
    statusRecording_ = new QLabel(this);
    statusRecording_->setObjectName(QStringLiteral("statusRecording"));
    statusRecording_->setTextFormat(Qt::PlainText);
    statusRecording_->setStyleSheet(QStringLiteral("QLabel { color: white; background: #a01818; "
                                                   "padding: 1px 6px; }"));
    statusBar()->addPermanentWidget(statusRecording_);
    statusRecording_->hide();
    statusBar()->addPermanentWidget(new CaptureStatus(capture_, this));
    statusCounts_ = make("statusCounts");
    statusRates_ = make("statusRates");
    statusPoll_ = make("statusPoll");
    statusPaused_ = make("statusPaused");
    statusPaused_->setStyleSheet(QStringLiteral("QLabel { color: white; background: #c0392b; "
                                                "padding: 1px 6px; font-weight: bold; }"));
    statusPaused_->setText(tr("Paused"));
    statusPaused_->hide();
}

ConnectionFilterProxy* MainWindow::activeProxy() const {
    return isGrouped() ? treeProxy_ : tableProxy_;
}

QTreeView* MainWindow::activeView() const {
    return isGrouped() ? treeView_ : tableView_;
}

void MainWindow::setFlaggedFirst(bool flaggedFirst) {
    if (flaggedFirstAction_->isChecked() != flaggedFirst) {
        flaggedFirstAction_->setChecked(flaggedFirst); // re-enters through toggled
        return;
    }
    for (ConnectionFilterProxy* proxy : {treeProxy_, tableProxy_}) {
        if (proxy != nullptr) {
            proxy->setFlaggedFirst(flaggedFirst);
        }
    }
}

bool MainWindow::isFlaggedFirst() const {
    return flaggedFirstAction_->isChecked();
}

bool MainWindow::isGrouped() const {
    return groupAction_->isChecked();
}

void MainWindow::setGrouped(bool grouped) {
    if (groupAction_->isChecked() != grouped) {
        groupAction_->setChecked(grouped); // re-enters through toggled
        return;
    }
    // Only the visible model follows updates; the other is emptied and rebuilt on return.
    UpdateModel* hidden = grouped ? static_cast<UpdateModel*>(tableModel_) : treeModel_;
    UpdateModel* shown = grouped ? static_cast<UpdateModel*>(treeModel_) : tableModel_;
    hidden->clear();
    viewStack_->setCurrentWidget(grouped ? treeView_ : tableView_);
    rowsShown_->watch(activeProxy(), grouped ? RowsShownLabel::Rows::Processes
                                             : RowsShownLabel::Rows::Connections);
    if (latest_ && shown->currentUpdate() != latest_) {
        shown->clear();
        shown->applyUpdate(latest_);
    }
    onSelectionChanged();
}

bool MainWindow::openSource(std::unique_ptr<core::SnapshotSource> source) {
    return startSession(std::move(source), false);
}

bool MainWindow::startSession(std::unique_ptr<core::SnapshotSource> source, bool viaHelper) {
    if (!source) {
        return false;
    }
    const QString sourceName = fromStd(source->name());
    const bool live = source->isLive();
    sessionIsLive_ = live;
    core::EngineOptions options;
    options.interval = std::chrono::milliseconds(intervalMs_);
    options.resolveHostNames = resolveAction_->isChecked();
    options.startPaused = paused_;
    options.pacedReplay = true;
    // With the eBPF sensor a new connection shows as it happens, not at the next update.
    options.pollOnChanges = true;

    source = recording_->prepareSource(std::move(source));
    remote_->forget();      // a remote session, if this is one, is shown again once it runs
    session_.reset();       // stop the old engine before its models are cleared
    actionMessage_->hide(); // it spoke of the previous session
    elevation_->setHelperInUse(false);
    latest_.reset();
    treeModel_->clear();
    tableModel_->clear();
    try {
        session_ = std::make_unique<MonitorSession>(std::move(source), options);
    } catch (const std::exception& error) {
        if (const QString ended = recording_->sessionFailed(); !ended.isEmpty()) {
            showActionMessage(ended, false);
        }
        QMessageBox::critical(
            this, tr("Cannot start monitoring"),
            literalRichText(tr("Monitoring %1 could not start: %2")
                                .arg(sourceName, QString::fromUtf8(error.what()))));
        updatePrivilegeActions();
        updateActionStates();
        return false;
    }
    elevation_->setHelperInUse(viaHelper);
    // Parents that own no socket are read from the system, which only a live session shows.
    ProcessParents::shared().setReader(live ? ProcessParents::systemReader()
                                            : ProcessParents::Reader());
    if (const QString ended = recording_->sessionStarted(); !ended.isEmpty()) {
        showActionMessage(ended, true);
    }
    connect(session_.get(), &MonitorSession::updateArrived, this, &MainWindow::onUpdate);
    connect(session_.get(), &MonitorSession::sourceFinished, this, &MainWindow::onSourceFinished);
    focusedPid_ = 0;
    focusedStart_ = 0;
    // Finding ids restart with each engine.
    findingNotifier_->reset();
    findingHistory_->reset();
    updateFindingNotice();
    // Plain words for what the view covers; the source's technical name is in the tooltip.
    const bool allProcesses = viaHelper || elevation_->administrator();
    statusSource_->setText(!live          ? tr("Replay: %1").arg(sourceName)
                           : allProcesses ? tr("Live — all processes")
                                          : tr("Live — your processes only"));
    statusSource_->setToolTip(literalRichText(tr("Source: %1").arg(sourceName)));
    // The application display name is appended by Qt: "HOST (this computer) — PortScope", so
    // that a screenshot in a ticket says which machine it shows.
    setWindowTitle(live ? tr("%1 (this computer)").arg(QSysInfo::machineHostName())
                        : tr("%1 (recorded)").arg(sourceName));
    session_->start();
    updatePrivilegeActions();
    updateRecordingStatus();
    updateActionStates();
    return true;
}

void MainWindow::setPaused(bool paused) {
    if (pauseAction_->isChecked() != paused) {
        pauseAction_->setChecked(paused); // re-enters through toggled
        return;
    }
    paused_ = paused;
    if (session_) {
        if (paused) {
            session_->engine().pause();
        } else {
            session_->engine().resume();
        }
    }
    pauseAction_->setText(paused ? tr("&Resume") : tr("&Pause"));
    pauseAction_->setIcon(
        style()->standardIcon(paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause));
    statusPaused_->setVisible(paused);
}

bool MainWindow::isPaused() const {
    return paused_;
}

void MainWindow::refreshNow() {
    if (session_) {
        session_->engine().refreshNow();
    }
}

void MainWindow::setIntervalMs(int milliseconds) {
    const int min = static_cast<int>(core::Engine::kMinInterval.count());
    const int max = static_cast<int>(core::Engine::kMaxInterval.count());
    intervalMs_ = std::clamp(milliseconds, min, max);
    if (session_) {
        session_->engine().setInterval(std::chrono::milliseconds(intervalMs_));
    }
    int index = intervalCombo_->findData(intervalMs_);
    if (index < 0) {
        // One custom entry, kept in order among the presets.
        for (int i = intervalCombo_->count() - 1; i >= 0; --i) {
            const int value = intervalCombo_->itemData(i).toInt();
            if (value != kCustomInterval &&
                std::ranges::find(kPresetIntervalsMs, value) == kPresetIntervalsMs.end()) {
                intervalCombo_->removeItem(i);
            }
        }
        index = 0;
        while (index < intervalCombo_->count() &&
               intervalCombo_->itemData(index).toInt() != kCustomInterval &&
               intervalCombo_->itemData(index).toInt() < intervalMs_) {
            ++index;
        }
        intervalCombo_->insertItem(index, intervalLabel(intervalMs_), intervalMs_);
    }
    intervalCombo_->setCurrentIndex(index);
}

int MainWindow::intervalMs() const {
    return intervalMs_;
}

void MainWindow::onIntervalChosen(int comboIndex) {
    const int value = intervalCombo_->itemData(comboIndex).toInt();
    if (value != kCustomInterval) {
        setIntervalMs(value);
        return;
    }
    bool ok = false;
    const double seconds = QInputDialog::getDouble(this, tr("Custom update interval"),
                                                   tr("Seconds between updates (0.25 to 60):"),
                                                   intervalMs_ / 1000.0, 0.25, 60.0, 2, &ok);
    setIntervalMs(ok ? static_cast<int>(seconds * 1000.0 + 0.5) : intervalMs_);
}

void MainWindow::applyFilterText(const QString& text) {
    filterTimer_->stop();
    core::FilterQueryError error;
    const QByteArray utf8 = text.toUtf8();
    const auto query = core::FilterQuery::parse(
        std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size())), &error);
    if (!query) {
        // The last valid filter stays in force while the user fixes the text.
        filterError_->showText(filterErrorText(text, error));
        filterEdit_->setStyleSheet(QStringLiteral("QLineEdit { border: 2px solid #b00020; }"));
        return;
    }
    filterError_->clear();
    filterError_->hide();
    filterEdit_->setStyleSheet(QString());
    treeProxy_->setQuery(*query);
    tableProxy_->setQuery(*query);
    if (filterEdit_->text() != text) {
        const QSignalBlocker blocker(filterEdit_);
        filterEdit_->setText(text);
    }
}

void MainWindow::onTogglesChanged() {
    core::VisibilityToggles toggles;
    toggles.tcp = toggleActions_[0]->isChecked();
    toggles.udp = toggleActions_[1]->isChecked();
    toggles.ipv4 = toggleActions_[2]->isChecked();
    toggles.ipv6 = toggleActions_[3]->isChecked();
    toggles.listening = toggleActions_[4]->isChecked();
    toggles.loopback = toggleActions_[5]->isChecked();
    toggles.timeWait = toggleActions_[6]->isChecked();
    treeProxy_->setToggles(toggles);
    tableProxy_->setToggles(toggles);
}

void MainWindow::onUpdate(const std::shared_ptr<const core::Update>& update) {
    latest_ = update;
    capture_->learn(update);
    UpdateModel* model = isGrouped() ? static_cast<UpdateModel*>(treeModel_) : tableModel_;
    model->applyUpdate(update);
    updateStatus(*update);
    sensor_->showMode(update->sensor);
    updateBanner(*update);
    findingNotifier_->notify(*update);
    findingHistory_->apply(*update);
    updateFindingNotice();
    detailTabs_->setTabText(detailTabs_->indexOf(findingsPanel_),
                            update->findings.empty()
                                ? tr("Findings")
                                : tr("Findings (%1)").arg(update->findings.size()));
    updateDetails();
    updateActionStates();
    updateRecordingStatus();
    Q_EMIT updateShown(update->sequence);
}

void MainWindow::onSourceFinished(const QString& message, bool failed) {
    if (onRemoteSourceFinished(message, failed)) {
        return;
    }
    if (usingHelper() && failed) {
        // The helper exited or broke the protocol: go on with what the user can see, rather
        // than leave a window that no longer updates. A recording continues in the same file.
        elevation_->dropHelper();
        const QString text = tr("The administrator helper stopped: %1 PortScope shows what your "
                                "user can see again.")
                                 .arg(message);
        openLiveSource();
        showActionMessage(text, false);
        return;
    }
    statusSource_->setText(message);
    QString shown = failed ? message : QString();
    if (const QString note = recording_->sourceEnded(failed); !note.isEmpty()) {
        shown = shown.isEmpty() ? note : shown + QLatin1Char(' ') + note;
    }
    if (!shown.isEmpty()) {
        showActionMessage(shown, !failed);
    }
    updateActionStates();
}

void MainWindow::updateStatus(const core::Update& update) {
    const auto& totals = update.totals;
    statusCounts_->setText(tr("Processes %1 · TCP %2 · UDP %3 · Listening %4 · Established %5")
                               .arg(totals.processes)
                               .arg(totals.counts.tcp)
                               .arg(totals.counts.udp)
                               .arg(totals.counts.listening)
                               .arg(totals.counts.established));
    statusRates_->setText(totals.hasRate ? tr("↑ %1  ↓ %2")
                                               .arg(rateText(totals.sendBytesPerSecond),
                                                    rateText(totals.receiveBytesPerSecond))
                                         : tr("↑ –  ↓ –"));
    statusRates_->setToolTip(tr("Total send and receive rate"));
    statusPoll_->setText(tr("Poll %1 ms").arg(update.pollDurationNs / 1.0e6, 0, 'f', 1));
    statusPoll_->setToolTip(tr("How long the last poll of the system took (tracking: %1 ms)")
                                .arg(update.trackDurationNs / 1.0e6, 0, 'f', 1));
}

void MainWindow::updateBanner(const core::Update& update) {
    std::size_t hiddenOwners = 0;
    for (const auto& connection : update.connections) {
        hiddenOwners +=
            connection.socket.ownerStatus == core::OwnerStatus::PermissionDenied ? 1 : 0;
    }
    // A recorded session's hidden owners were hidden when it was recorded: rights asked for
    // now would not reveal them.
    const bool live = session_ && session_->engine().sourceIsLive();
    const bool explainHiddenOwners = live && elevation_->explainsHiddenOwners(hiddenOwners);
    if (update.warnings.empty() && !explainHiddenOwners && !update.closeEventsLost) {
        setBannerVisible(false);
        return;
    }
    QStringList lines;
    for (const auto& warning : update.warnings) {
        lines << escapedForRichText(localizedSystemText(warning));
    }
    if (update.closeEventsLost) {
        lines << tr("The system dropped some close events; a full rescan recovered the list, "
                    "but very short connections may have been missed.");
    }
    if (explainHiddenOwners) {
        lines << elevation_->hiddenOwnersHint(
            hiddenOwners == 1 ? tr("<b>The owner of one socket is hidden</b>")
                              : tr("<b>The owners of %1 sockets are hidden</b>").arg(hiddenOwners));
    }
    bannerAdministratorButton_->setVisible(
        live && elevation_->offeredFor(hiddenOwners, !update.warnings.empty()));
    bannerAdministratorButton_->setEnabled(!elevation_->launching());
    banner_->setText(lines.join(QStringLiteral("<br>")));
    setBannerVisible(true);
}

void MainWindow::setBannerVisible(bool visible) {
    bannerFrame_->setVisible(visible);
}

QString MainWindow::findingNoticeText() const {
    return findingNoticeLabel_->text();
}

void MainWindow::updateFindingNotice() {
    const FindingNotice notice = summarizeFindings(latest_.get(), *findingHistory_);
    findingNoticeLabel_->setText(notice.text);
    findingNotice_->setToolTip(notice.details);
    QString style;
    if (notice.highestSeverity == static_cast<int>(core::Severity::High)) {
        style = QStringLiteral("QFrame#findingNotice { background: #fde2e1; border: 1px solid "
                               "#d9534f; } QFrame#findingNotice QLabel { color: #5c0b07; }");
    } else if (notice.highestSeverity == static_cast<int>(core::Severity::Medium)) {
        style = QStringLiteral("QFrame#findingNotice { background: #fff1dc; border: 1px solid "
                               "#e0a050; } QFrame#findingNotice QLabel { color: #4a2a00; }");
    } else {
        style = QStringLiteral("QFrame#findingNotice { border: 1px solid palette(mid); }");
    }
    if (findingNotice_->styleSheet() != style) {
        findingNotice_->setStyleSheet(style);
    }
}

void MainWindow::showFinding(std::uint64_t id) {
    detailTabs_->setCurrentWidget(findingsPanel_);
    updateDetails();
    if (!findingsPanel_->selectFinding(id)) {
        // The selected process hides it: show every finding instead.
        activeView()->clearSelection();
        activeView()->setCurrentIndex({});
        onSelectionChanged();
        findingsPanel_->selectFinding(id);
    }
}

bool MainWindow::goToFindingProcess(std::uint64_t id) {
    const core::Finding* finding = latest_ ? latest_->findFinding(id) : nullptr;
    if (finding == nullptr) {
        showActionMessage(tr("That finding has ended; its process may be gone."), false);
        return false;
    }
    if (!finding->process.valid()) {
        showActionMessage(tr("That finding is about the whole host, not one process."), false);
        return false;
    }
    return revealProcess(finding->process);
}

bool MainWindow::revealProcess(const core::ProcessKey& key) {
    ConnectionFilterProxy* proxy = activeProxy();
    QModelIndex source;
    if (isGrouped()) {
        source = treeModel_->indexOfProcess(key);
    } else {
        for (int row = 0; row < tableModel_->rowCount() && !source.isValid(); ++row) {
            const QModelIndex candidate = tableModel_->index(row, 0);
            const core::ProcessRow* owner = tableModel_->processAt(candidate);
            if (owner != nullptr && owner->process.key == key) {
                source = candidate;
            }
        }
    }
    const QModelIndex proxied = source.isValid() ? proxy->mapFromSource(source) : QModelIndex();
    if (!proxied.isValid()) {
        showActionMessage(source.isValid()
                              ? tr("The filter hides that process; clear the filter to see it.")
                              : tr("That process is no longer listed."),
                          false);
        return false;
    }
    QTreeView* view = activeView();
    view->selectionModel()->setCurrentIndex(proxied, QItemSelectionModel::ClearAndSelect |
                                                         QItemSelectionModel::Rows);
    view->scrollTo(proxied);
    view->setFocus(Qt::OtherFocusReason);
    onSelectionChanged();
    return true;
}

void MainWindow::closeFindingConnections(std::uint64_t id) {
    const core::Finding* finding = latest_ ? latest_->findFinding(id) : nullptr;
    if (finding == nullptr) {
        showActionMessage(tr("That finding has ended; its connections are gone."), false);
        return;
    }
    if (!session_ || !session_->engine().sourceIsLive()) {
        showActionMessage(tr("A recorded session shows connections of the past; they cannot be "
                             "closed from here."),
                          false);
        return;
    }
    const SystemActions actions = systemActions();
    if (!actions.closeConnection) {
        showActionMessage(tr("Closing connections is not available in this build."), false);
        return;
    }
    std::vector<core::Socket> sockets;
    for (const core::EvidenceSocket& evidence : finding->sockets) {
        const core::Connection* connection = latest_->findConnection(evidence.connection);
        if (connection != nullptr && resettable(*connection)) {
            sockets.push_back(connection->socket);
        }
    }
    if (sockets.empty()) {
        showActionMessage(tr("None of the connections this finding cites is open and can be "
                             "reset."),
                          false);
        return;
    }
    auto* watcher = new QFutureWatcher<int>(this);
    const int total = static_cast<int>(sockets.size());
    connect(watcher, &QFutureWatcher<int>::finished, this, [this, watcher, total] {
        const int closed = watcher->result();
        watcher->deleteLater();
        const bool ok = closed == total;
        const QString message =
            ok ? tr("Closed %1 of the finding's connections.").arg(closed)
               : tr("Closed %1 of %2 of the finding's connections; the others could not be "
                    "reset.")
                     .arg(closed)
                     .arg(total);
        showActionMessage(message, ok);
        Q_EMIT actionCompleted(ok, message);
        refreshNow();
    });
    watcher->setFuture(
        QtConcurrent::run([close = actions.closeConnection, sockets = std::move(sockets)] {
            int closed = 0;
            for (const core::Socket& socket : sockets) {
                closed += close(socket).ok() ? 1 : 0;
            }
            return closed;
        }));
}

void MainWindow::showActionMessage(const QString& message, bool ok) {
    actionMessage_->setText(message);
    actionMessage_->setStyleSheet(
        ok ? QStringLiteral("QLabel { background: #dff5e1; color: #14401b; border: 1px solid "
                            "#7cc488; padding: 6px; }")
           : QStringLiteral("QLabel { background: #fde2e1; color: #5c0b07; border: 1px solid "
                            "#e08a84; padding: 6px; }"));
    actionMessage_->show();
}

const core::ProcessRow* MainWindow::selectedProcess() const {
    QTreeView* view = activeView();
    const QModelIndex current = view->selectionModel()->currentIndex();
    if (!current.isValid() || !view->selectionModel()->isSelected(current.siblingAtColumn(0))) {
        const auto rows = view->selectionModel()->selectedRows();
        if (rows.isEmpty()) {
            return nullptr;
        }
        return activeProxy()->updateModel()->processAt(activeProxy()->mapToSource(rows.front()));
    }
    return activeProxy()->updateModel()->processAt(activeProxy()->mapToSource(current));
}

const core::Connection* MainWindow::selectedConnection() const {
    QTreeView* view = activeView();
    QModelIndex current = view->selectionModel()->currentIndex();
    if (!current.isValid() || !view->selectionModel()->isSelected(current.siblingAtColumn(0))) {
        const auto rows = view->selectionModel()->selectedRows();
        if (rows.isEmpty()) {
            return nullptr;
        }
        current = rows.front();
    }
    return activeProxy()->updateModel()->connectionAt(activeProxy()->mapToSource(current));
}

void MainWindow::onSelectionChanged() {
    const core::ProcessRow* row = selectedProcess();
    const core::ProcessKey key = row != nullptr ? row->process.key : core::ProcessKey{};
    if (key.pid != focusedPid_ || key.startTime != focusedStart_) {
        focusedPid_ = key.pid;
        focusedStart_ = key.startTime;
        if (session_) {
            session_->engine().setFocusedProcess(key);
        }
    }
    updateDetails();
    updateActionStates();
}

void MainWindow::updateDetails() {
    const core::Update* update = latest_.get();
    const core::ProcessKey key{focusedPid_, focusedStart_};
    const core::ProcessRow* row =
        update != nullptr && key.valid() ? update->findProcess(key) : nullptr;
    QWidget* tab = detailTabs_->currentWidget();
    if (tab == traffic_) {
        const std::int64_t now =
            update != nullptr ? update->unixMs : QDateTime::currentMSecsSinceEpoch();
        if (row != nullptr) {
            const QString subject =
                tr("%1 (PID %2)").arg(fromStd(row->process.name), QString::number(key.pid));
            if (update->focusedProcess == key) {
                traffic_->showSamples(update->focusedProcessHistory, subject, now);
            } else {
                // The engine learns of the selection now; its history comes with the next update.
                traffic_->showPending(subject, now);
            }
        } else if (update != nullptr && update->hostHistory) {
            traffic_->showSamples(update->hostHistory->toVector(), tr("the whole machine"), now);
        } else {
            traffic_->showSamples({}, tr("the whole machine"), now);
        }
    } else if (tab == findingsPanel_) {
        findingsPanel_->showFindings(latest_, key.pid, key.startTime);
    } else if (tab == statisticsPanel_) {
        statisticsPanel_->showCounters(update);
    } else if (tab == processPanel_) {
        processPanel_->showProcess(row, update);
    }
}

void MainWindow::updateActionStates() {
    const bool live = session_ && session_->engine().sourceIsLive();
    const core::ProcessRow* process = selectedProcess();
    const core::Connection* connection = selectedConnection();
    const bool haveProcess = process != nullptr && process->process.key.valid();
    propertiesAction_->setEnabled(haveProcess);
    propertiesAction_->setToolTip(haveProcess
                                      ? tr("Show the selected process's details in a window of "
                                           "their own (double-click, Alt+Enter)")
                                      : tr("Select a process, or a connection that has one"));
    // A remote view whose connection dropped shows the last data; nothing can act on it.
    const bool stale = remote_ != nullptr && remote_->stale();
    const QString staleReason = tr("The connection to the remote machine is lost; reconnect "
                                   "first");
    killAction_->setEnabled(live && !stale && haveProcess);
    killAction_->setToolTip(stale                 ? staleReason
                            : live && haveProcess ? tr("Terminate the selected process after "
                                                       "confirmation (Del)")
                            : live ? tr("Select a process, or a connection that has one")
                                   : tr("A recorded session's processes cannot be killed"));
    const bool closable = live && !stale && connection != nullptr && resettable(*connection);
    closeConnectionAction_->setEnabled(closable);
    closeConnectionAction_->setToolTip(closable ? tr("Reset the selected TCP connection (Ctrl+T)")
                                       : stale  ? staleReason
                                       : !live  ? tr("A recorded session's connections cannot be "
                                                      "closed")
                                                : tr("Select an open TCP connection of this "
                                                      "computer (not listening, not TIME_WAIT)"));
    exportAction_->setEnabled(latest_ != nullptr);
    captureAction_->setEnabled(
        live && !stale &&
        (connection != nullptr || (process != nullptr && process->process.key.valid())));
    recordAction_->setEnabled(isRecording() ||
                              (live && recording_->canRecord() && !session_->finished()));
    refreshAction_->setEnabled(session_ != nullptr && !session_->finished());
    pauseAction_->setEnabled(session_ != nullptr && !session_->finished());
}

void MainWindow::showHeaderMenu(QTreeView* view, const QPoint& position) {
    QHeaderView* header = view->header();
    auto* model = static_cast<ConnectionFilterProxy*>(view->model())->updateModel();
    QMenu menu(this);
    for (int column = 0; column < header->count(); ++column) {
        QAction* action = menu.addAction(fieldTitle(model->fieldAt(column)));
        if (model->fieldAt(column) == Field::Change) {
            action->setText(tr("Change marker (+ ~ x)"));
        }
        action->setCheckable(true);
        action->setChecked(!header->isSectionHidden(column));
        connect(action, &QAction::toggled, this, [header, column](bool shown) {
            const int visible = header->count() - header->hiddenSectionCount();
            if (!shown && visible <= 1) {
                return; // keep at least one column
            }
            header->setSectionHidden(column, !shown);
        });
    }
    menu.exec(header->mapToGlobal(position));
}

QSize MainWindow::defaultWindowSize(const QScreen* screen) {
    // 1280×800 where it fits. A 1366×768 laptop screen is lower than that: there the window
    // takes the available height less room for a title bar, so the status bar stays on screen.
    constexpr int kTitleBarAllowance = 40;
    QSize size(1280, 800);
    if (screen != nullptr) {
        const QSize available = screen->availableGeometry().size();
        if (available.height() < size.height() + kTitleBarAllowance) {
            size.setHeight(available.height() - kTitleBarAllowance);
        }
        size.setWidth(std::min(size.width(), available.width()));
    }
    return size;
}

void MainWindow::loadSettings() {
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        resize(defaultWindowSize(screen()));
    }
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    splitter_->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
    for (auto [view, key] :
         {std::pair{treeView_, kTreeHeaderKey}, std::pair{tableView_, kTableHeaderKey}}) {
        QHeaderView* header = view->header();
        if (header->restoreState(settings.value(QLatin1String(key)).toByteArray())) {
            view->sortByColumn(header->sortIndicatorSection(), header->sortIndicatorOrder());
        }
    }
    setGrouped(settings.value(QStringLiteral("view/grouped"), true).toBool());
    setFlaggedFirst(settings.value(QStringLiteral("view/flaggedFirst"), true).toBool());
    resolveAction_->setChecked(
        settings.value(QStringLiteral("monitor/resolveHostNames"), false).toBool());
    setIntervalMs(settings.value(QStringLiteral("monitor/intervalMs"), 1000).toInt());
    for (std::size_t i = 0; i < kToggles.size(); ++i) {
        const QString key = QStringLiteral("filter/show_%1").arg(QLatin1String(kToggles[i].key));
        toggleActions_[i]->setChecked(settings.value(key, true).toBool());
    }
    onTogglesChanged();
    const QString filter = settings.value(QStringLiteral("filter/text")).toString();
    filterEdit_->setText(filter);
    applyFilterText(filter);
}

void MainWindow::saveSettings() const {
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/splitter"), splitter_->saveState());
    settings.setValue(QLatin1String(kTreeHeaderKey), treeView_->header()->saveState());
    settings.setValue(QLatin1String(kTableHeaderKey), tableView_->header()->saveState());
    settings.setValue(QStringLiteral("view/grouped"), isGrouped());
    settings.setValue(QStringLiteral("view/flaggedFirst"), isFlaggedFirst());
    settings.setValue(QStringLiteral("monitor/resolveHostNames"), resolveAction_->isChecked());
    settings.setValue(QStringLiteral("monitor/intervalMs"), intervalMs_);
    for (std::size_t i = 0; i < kToggles.size(); ++i) {
        const QString key = QStringLiteral("filter/show_%1").arg(QLatin1String(kToggles[i].key));
        settings.setValue(key, toggleActions_[i]->isChecked());
    }
    settings.setValue(QStringLiteral("filter/text"), filterEdit_->text());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    saveSettings();
    session_.reset();
    event->accept();
}

} // namespace portscope::gui
