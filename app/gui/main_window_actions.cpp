// The window's actions: how they are made and placed in the menus, and what they do to
// processes, connections and files, recording, and getting administrator rights.

#include "about_dialog.h"
#include "action_icons.h"
#include "capture_controller.h"
#include "capture_dialog.h"
#include "connection_filter_proxy.h"
#include "elevation_controller.h"
#include "evidence_paths.h"
#include "finding_format.h"
#include "finding_wording.h"
#include "language.h"
#include "main_window.h"
#include "monitor_session.h"
#include "portscope/core/engine.h"
#include "portscope/core/export.h"
#include "portscope/core/filter_query.h"
#include "portscope/core/replay.h"
#include "portscope/core/system_processes.h"
#include "portscope/platform/elevation.h"
#include "portscope/platform/helper_client.h"
#include "portscope/platform/system.h"
#include "privileges.h"
#include "process_details_panel.h"
#include "recording_controller.h"
#include "remote_controller.h"
#include "rich_text.h"
#include "row_context_menu.h"
#include "row_format.h"
#include "sensor_setting.h"
#include "system_actions.h"
#include "traffic_chart.h"
#include "update_model.h"

#include <QAction>
#include <QApplication>
#include <QBuffer>
#include <QClipboard>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QSysInfo>
#include <QTemporaryFile>
#include <QTreeView>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <filesystem>
#include <system_error>

namespace portscope::gui {

namespace {

QString fromStd(const std::string& text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

// A cell for a tab-separated line, which is mostly pasted into a spreadsheet: a formula is
// defused as in CSV, and tabs and line breaks, which would split the cell, become spaces.
QString plainCell(const QString& cell) {
    QString text = QString::fromStdString(core::defuseFormula(cell.toStdString()));
    text.replace(QLatin1Char('\t'), QLatin1Char(' '));
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    text.replace(QLatin1Char('\r'), QLatin1Char(' '));
    return text;
}

} // namespace

void MainWindow::buildActions() {
    QStyle* s = style();
    pauseAction_ = new QAction(s->standardIcon(QStyle::SP_MediaPause), tr("&Pause"), this);
    pauseAction_->setObjectName(QStringLiteral("pauseAction"));
    pauseAction_->setCheckable(true);
    pauseAction_->setShortcuts({QKeySequence(Qt::Key_Space), QKeySequence(tr("Ctrl+P"))});
    pauseAction_->setToolTip(tr("Pause or resume updates (Space, Ctrl+P)"));
    connect(pauseAction_, &QAction::toggled, this, &MainWindow::setPaused);

    refreshAction_ =
        new QAction(s->standardIcon(QStyle::SP_BrowserReload), tr("&Refresh now"), this);
    refreshAction_->setObjectName(QStringLiteral("refreshAction"));
    // Toolbar labels are shorter than the menu's, so that the toolbar fits 1280 pixels.
    refreshAction_->setIconText(tr("Refresh"));
    refreshAction_->setShortcut(QKeySequence::Refresh);
    refreshAction_->setToolTip(tr("Poll at once, even while paused (F5)"));
    connect(refreshAction_, &QAction::triggered, this, &MainWindow::refreshNow);

    groupAction_ =
        new QAction(s->standardIcon(QStyle::SP_FileDialogListView), tr("&Group by process"), this);
    groupAction_->setObjectName(QStringLiteral("groupAction"));
    groupAction_->setCheckable(true);
    groupAction_->setChecked(true);
    groupAction_->setShortcut(QKeySequence(tr("Ctrl+G")));
    groupAction_->setToolTip(
        tr("Switch between the process tree and the flat connection table (Ctrl+G)"));
    connect(groupAction_, &QAction::toggled, this, &MainWindow::setGrouped);

    flaggedFirstAction_ = new QAction(tr("&Flagged processes first"), this);
    flaggedFirstAction_->setObjectName(QStringLiteral("flaggedFirstAction"));
    flaggedFirstAction_->setCheckable(true);
    flaggedFirstAction_->setToolTip(
        tr("Keep processes and connections with findings at the top, most severe first, "
           "whatever column the list is sorted by"));
    connect(flaggedFirstAction_, &QAction::toggled, this, &MainWindow::setFlaggedFirst);

    resolveAction_ = new QAction(tr("Resolve &host names"), this);
    resolveAction_->setObjectName(QStringLiteral("resolveAction"));
    resolveAction_->setCheckable(true);
    resolveAction_->setToolTip(tr("Look up the names of remote addresses (reverse DNS, cached, "
                                  "off the polling path)"));
    connect(resolveAction_, &QAction::toggled, this, [this](bool on) {
        if (session_) {
            session_->engine().setResolveHostNames(on);
        }
    });

    killAction_ =
        new QAction(s->standardIcon(QStyle::SP_DialogDiscardButton), tr("&Kill process…"), this);
    killAction_->setObjectName(QStringLiteral("killAction"));
    killAction_->setShortcut(QKeySequence::Delete);
    killAction_->setToolTip(tr("Terminate the selected process after confirmation (Del)"));
    connect(killAction_, &QAction::triggered, this, &MainWindow::killSelectedProcess);

    closeConnectionAction_ =
        new QAction(s->standardIcon(QStyle::SP_DialogCloseButton), tr("&Close connection"), this);
    closeConnectionAction_->setObjectName(QStringLiteral("closeConnectionAction"));
    // The shortcut CurrPorts users know for closing a connection.
    closeConnectionAction_->setShortcut(QKeySequence(tr("Ctrl+T")));
    closeConnectionAction_->setToolTip(tr("Reset the selected TCP connection (Ctrl+T)"));
    connect(closeConnectionAction_, &QAction::triggered, this,
            &MainWindow::closeSelectedConnection);

    propertiesAction_ =
        new QAction(s->standardIcon(QStyle::SP_FileDialogInfoView), tr("P&roperties…"), this);
    propertiesAction_->setObjectName(QStringLiteral("propertiesAction"));
    propertiesAction_->setShortcut(QKeySequence(tr("Alt+Return")));
    connect(propertiesAction_, &QAction::triggered, this, [this] { showProcessProperties(); });

    copyAction_ = new QAction(tr("&Copy"), this);
    copyAction_->setObjectName(QStringLiteral("copyAction"));
    copyAction_->setShortcut(QKeySequence::Copy);
    copyAction_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(copyAction_, &QAction::triggered, this, &MainWindow::copySelection);

    exportAction_ = new QAction(s->standardIcon(QStyle::SP_DialogSaveButton), tr("&Export…"), this);
    exportAction_->setObjectName(QStringLiteral("exportAction"));
    exportAction_->setShortcut(QKeySequence::Save);
    exportAction_->setToolTip(
        tr("Save the rows that pass the filter as CSV, JSON or HTML (Ctrl+S)"));
    connect(exportAction_, &QAction::triggered, this, &MainWindow::chooseExportFile);

    openReplayAction_ = new QAction(s->standardIcon(QStyle::SP_DialogOpenButton),
                                    tr("&Open recorded session…"), this);
    openReplayAction_->setObjectName(QStringLiteral("openReplayAction"));
    openReplayAction_->setShortcut(QKeySequence::Open);
    connect(openReplayAction_, &QAction::triggered, this, &MainWindow::chooseReplayFile);

    openLiveAction_ =
        new QAction(s->standardIcon(QStyle::SP_ComputerIcon), tr("Monitor this &computer"), this);
    openLiveAction_->setObjectName(QStringLiteral("openLiveAction"));
    connect(openLiveAction_, &QAction::triggered, this, &MainWindow::openLiveSource);

    recordIcon_ = recordIcon();
    recordAction_ = new QAction(recordIcon_, tr("&Record session…"), this);
    recordAction_->setObjectName(QStringLiteral("recordAction"));
    recordAction_->setIconText(tr("Record…"));
    recordAction_->setShortcut(QKeySequence(tr("Ctrl+R")));
    recordAction_->setToolTip(tr("Save the live session to a file that File › Open recorded "
                                 "session can play later (Ctrl+R)"));
    connect(recordAction_, &QAction::triggered, this, &MainWindow::toggleRecording);

    captureAction_ = new QAction(tr("&Capture traffic…"), this);
    captureAction_->setObjectName(QStringLiteral("captureAction"));
    captureAction_->setToolTip(tr("Capture the packets of the selected process or connection to "
                                  "a pcapng file, each named after its process"));
    connect(captureAction_, &QAction::triggered, this, &MainWindow::captureTraffic);

    administratorAction_ = new QAction(shieldIcon(s), elevation_->actionText(), this);
    administratorAction_->setToolTip(elevation_->actionToolTip());
    administratorAction_->setObjectName(QStringLiteral("administratorAction"));
    connect(administratorAction_, &QAction::triggered, this,
            &MainWindow::requestAdministratorRights);

    findAction_ = new QAction(tr("&Filter…"), this);
    findAction_->setShortcut(QKeySequence::Find);
    connect(findAction_, &QAction::triggered, this, [this] {
        filterEdit_->setFocus(Qt::ShortcutFocusReason);
        filterEdit_->selectAll();
    });

    quitAction_ = new QAction(tr("&Quit"), this);
    quitAction_->setShortcut(QKeySequence::Quit);
    connect(quitAction_, &QAction::triggered, this, &QWidget::close);

    filterHelpAction_ = new QAction(tr("Filter &syntax"), this);
    connect(filterHelpAction_, &QAction::triggered, this, &MainWindow::showFilterHelp);
    aboutAction_ = new QAction(tr("&About PortScope"), this);
    connect(aboutAction_, &QAction::triggered, this,
            [this] { showAboutDialog(this, statusSource_->text()); });

    buildToggleActions();

    for (QAction* action :
         {pauseAction_, refreshAction_, killAction_, closeConnectionAction_, exportAction_,
          openReplayAction_, recordAction_, findAction_, groupAction_, propertiesAction_}) {
        addAction(action); // shortcuts work wherever the focus is in the window
    }
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(openLiveAction_);
    file->addAction(connectRemoteAction_);
    file->addAction(administratorAction_);
    file->addAction(openReplayAction_);
    file->addSeparator();
    file->addAction(recordAction_);
    file->addAction(exportAction_);
    file->addSeparator();
    file->addAction(quitAction_);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(copyAction_);
    edit->addAction(findAction_);
    edit->addSeparator();
    QAction* lookupSite = edit->addAction(tr("Address &look-up site…"), this,
                                          [this] { RowContextMenu::editLookupTemplate(this); });
    lookupSite->setObjectName(QStringLiteral("lookupSiteAction"));
    lookupSite->setToolTip(tr("The web page that Look up remote address opens"));

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(groupAction_);
    view->addAction(flaggedFirstAction_);
    QAction* expand =
        view->addAction(tr("&Expand all processes"), this, [this] { treeView_->expandAll(); });
    expand->setShortcut(QKeySequence(tr("Ctrl+E")));
    addAction(expand);
    QAction* collapse =
        view->addAction(tr("C&ollapse all processes"), this, [this] { treeView_->collapseAll(); });
    collapse->setShortcut(QKeySequence(tr("Ctrl+Shift+E")));
    addAction(collapse);
    view->addAction(resolveAction_);
    view->addMenu(sensor_->menu());
    connect(sensor_, &SensorSetting::changed, this, [this] {
        if (sessionIsLive_ && !elevation_->helper()) {
            openLiveSource();
        }
    });
    view->addSeparator();
    view->addAction(pauseAction_);
    view->addAction(refreshAction_);
    QMenu* show = view->addMenu(tr("&Show"));
    for (QAction* toggle : toggleActions_) {
        show->addAction(toggle);
    }
    view->addMenu(makeLanguageMenu(this));

    QMenu* process = menuBar()->addMenu(tr("&Process"));
    process->addAction(propertiesAction_);
    process->addAction(killAction_);
    process->addAction(closeConnectionAction_);
    process->addAction(captureAction_);
    process->addSeparator();
    QAction* evidence = process->addAction(tr("Export &evidence for this process…"), this,
                                           &MainWindow::chooseProcessEvidenceFile);
    evidence->setObjectName(QStringLiteral("exportProcessEvidenceAction"));
    evidence->setToolTip(tr("Write one HTML report on the selected process: its connections, "
                            "findings, traffic graph and program hash"));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(filterHelpAction_);
    help->addAction(aboutAction_);
}

void MainWindow::showFilterHelp() {
    QMessageBox::information(
        this, tr("Filter syntax"),
        tr("<p>Terms are combined with AND; text is matched without regard to case.</p>"
           "<table cellspacing=4>"
           "<tr><td><code>firefox</code></td><td>process name, path, addresses, host name or "
           "PID</td></tr>"
           "<tr><td><code>\"web content\"</code></td><td>quoted text keeps spaces</td></tr>"
           "<tr><td><code>proc:sshd</code></td><td>process name or path</td></tr>"
           "<tr><td><code>pid:1234</code></td><td>process id (ranges allowed)</td></tr>"
           "<tr><td><code>port:443</code>, <code>port:135-139</code></td><td>local or remote "
           "port</td></tr>"
           "<tr><td><code>lport:22</code>, <code>rport:80,443</code></td><td>local / remote port; "
           "commas give alternatives</td></tr>"
           "<tr><td><code>state:listen</code>, <code>state:closed</code></td><td>socket state; "
           "closed = rows that have gone</td></tr>"
           "<tr><td><code>proto:tcp</code>, <code>proto:udp6</code></td><td>protocol (and "
           "family)</td></tr>"
           "<tr><td><code>scope:internet</code></td><td>loopback, lan, link-local, multicast, "
           "internet, any</td></tr>"
           "<tr><td><code>user:root</code></td><td>user name or uid</td></tr>"
           "<tr><td><code>host:example.org</code></td><td>remote host name or address</td></tr>"
           "<tr><td><code>ip:10.0.0.0/8</code></td><td>local or remote address, network or range "
           "a-b</td></tr>"
           "<tr><td><code>-state:time_wait</code>, "
           "<code>!proc:chrome</code></td><td>exclude</td></tr>"
           "</table>"));
}

bool MainWindow::openLiveSource() {
    if (elevation_->helper() && !elevation_->helper()->connected()) {
        elevation_->dropHelper();
    }
    if (const auto& helper = elevation_->helper()) {
        return startSession(platform::makeHelperSource(helper), true);
    }
    std::unique_ptr<core::SnapshotSource> source;
    try {
        platform::LiveSourceOptions options;
        options.sensor = sensor_->choice();
        // Without administrator rights the sensor cannot load; "automatic" then polls without
        // a banner saying so every session: the status bar names the sensor, and the banner
        // about hidden owners already offers the administrator helper, which brings it.
        if (options.sensor == platform::SensorChoice::Auto && !platform::runningAsAdministrator()) {
            options.sensor = platform::SensorChoice::Poll;
        }
        source = platform::makeLiveSource(options);
    } catch (const std::exception& error) {
        QMessageBox::critical(
            this, tr("Cannot monitor this computer"),
            literalRichText(
                tr("The live source could not start: %1").arg(QString::fromUtf8(error.what()))));
        return false;
    }
    return openSource(std::move(source));
}

bool MainWindow::openReplayFile(const QString& path) {
    std::unique_ptr<core::SnapshotSource> source;
    try {
        source = std::make_unique<core::ReplayReader>(QFile::encodeName(path).toStdString());
    } catch (const std::exception& error) {
        QMessageBox::critical(this, tr("Cannot open recorded session"),
                              literalRichText(QString::fromUtf8(error.what())));
        return false;
    }
    if (!openSource(std::move(source))) {
        return false;
    }
    setWindowTitle(tr("%1 (recorded session)").arg(QFileInfo(path).fileName()));
    return true;
}

void MainWindow::chooseReplayFile() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open recorded session"), QString(),
        tr("PortScope recordings (*.psreplay *.replay);;All files (*)"));
    if (!path.isEmpty()) {
        openReplayFile(path);
    }
}

namespace {

// What PortScope knows about a process that bears on killing it, as rich-text paragraphs:
// its findings first, then the system-process warning, which only a real system process
// gets: one flagged as imitating a system process is exactly the one to consider ending.
QString killAssessment(const core::Process& p, const core::Update* update) {
    QString html;
    bool masquerade = false;
    static const std::vector<core::Finding> kNone;
    for (const core::Finding& finding : update ? update->findings : kNone) {
        if (finding.process != p.key) {
            continue;
        }
        masquerade |= finding.ruleId == core::rules::kMasquerade;
        html += MainWindow::tr("<p style='color:#b00020'>%1; <b>flagged: %2 (%3)</b></p>")
                    .arg(escapedForRichText(localizedSummary(finding)),
                         escapedForRichText(fromStd(finding.ruleId)),
                         severityText(finding.severity).toLower());
    }
    if (masquerade) {
        html += MainWindow::tr("<p>Consider exporting the evidence (File › Export…) before "
                               "ending it.</p>");
    } else if (core::looksLikeSystemProcess(p)) {
        html += MainWindow::tr("<p style='color:#b00020'><b>This looks like a system "
                               "process.</b> Ending it can log users out, cut network access "
                               "or make the system unstable.</p>");
    }
    return html;
}

QString processDetailsTable(const core::Process& p) {
    return MainWindow::tr("<table cellspacing=3>"
                          "<tr><td>Name:</td><td><b>%1</b></td></tr>"
                          "<tr><td>PID:</td><td>%2</td></tr>"
                          "<tr><td>User:</td><td>%3</td></tr>"
                          "<tr><td>Path:</td><td>%4</td></tr>"
                          "<tr><td>Started:</td><td>%5</td></tr>"
                          "</table>")
        // One arg() call: a chained one would expand "%2" inside a process name.
        .arg(escapedForRichText(fromStd(p.name)), QString::number(p.key.pid),
             escapedForRichText(p.userName.empty() ? QString::number(p.uid) : fromStd(p.userName)),
             escapedForRichText(p.exePath.empty() ? MainWindow::tr("unknown") : fromStd(p.exePath)),
             p.startedAtUnixMs != 0 ? dateTimeText(p.startedAtUnixMs) : MainWindow::tr("unknown"));
}

} // namespace

std::vector<core::ProcessRow> MainWindow::selectedProcesses() const {
    std::vector<core::ProcessRow> targets;
    const core::ProcessRow* current = selectedProcess();
    if (current != nullptr && current->process.key.valid()) {
        targets.push_back(*current);
    }
    for (const QModelIndex& index : activeView()->selectionModel()->selectedRows()) {
        const core::ProcessRow* row =
            activeProxy()->updateModel()->processAt(activeProxy()->mapToSource(index));
        if (row != nullptr && row->process.key.valid() &&
            std::none_of(targets.begin(), targets.end(), [&](const core::ProcessRow& t) {
                return t.process.key == row->process.key;
            })) {
            targets.push_back(*row);
        }
    }
    return targets;
}

void MainWindow::captureTraffic() {
    const core::Connection* connection = selectedConnection();
    const core::ProcessRow* process = selectedProcess();
    if (connection == nullptr && process == nullptr) {
        return;
    }
    CaptureTarget target =
        connection != nullptr
            ? CaptureTarget::ofConnection(
                  *connection, latest_ ? latest_->findProcess(connection->socket.owner) : nullptr)
            : CaptureTarget::ofProcess(process->process);
    target.preferBySocket = sensor_->choice() != platform::SensorChoice::Poll;
    target.local = !remote_->shown();
    CaptureDialog dialog(target, shownHostName(), this);
    if (dialog.exec() != QDialog::Accepted) {
        return;
    }
    QString error;
    if (!capture_->start(target, dialog.settings(), elevation_->helper(), &error)) {
        QMessageBox::warning(this, tr("Capture traffic"), error);
    }
}

void MainWindow::killSelectedProcess() {
    // Copies: the rows may be replaced by an update while the dialog is open.
    const std::vector<core::ProcessRow> targets = selectedProcesses();
    if (targets.empty()) {
        showActionMessage(tr("Select a process (or one of its connections) to kill."), false);
        return;
    }
    if (!session_ || !session_->engine().sourceIsLive()) {
        showActionMessage(
            tr("A recorded session shows processes of the past; they cannot be killed from here."),
            false);
        return;
    }
    QString question;
    QString details;
    if (targets.size() == 1) {
        const core::Process& p = targets.front().process;
        question = tr("Kill process <b>%1</b> (PID %2)?")
                       .arg(escapedForRichText(fromStd(p.name)), QString::number(p.key.pid));
        details = processDetailsTable(p) + killAssessment(p, latest_.get());
        const auto open = targets.front().counts.tcp + targets.front().counts.udp;
        details += open == 1 ? tr("<p>Its open connection will be closed.</p>")
                             : tr("<p>Its %1 open connections will be closed.</p>").arg(open);
    } else {
        question = tr("Kill these %n processes?", nullptr, static_cast<int>(targets.size()));
        for (const core::ProcessRow& target : targets) {
            const core::Process& p = target.process;
            details += tr("<p><b>%1</b> (PID %2, %3)</p>")
                           .arg(escapedForRichText(fromStd(p.name)), QString::number(p.key.pid),
                                escapedForRichText(p.exePath.empty() ? tr("path unknown")
                                                                     : fromStd(p.exePath))) +
                       killAssessment(p, latest_.get());
        }
    }

    QMessageBox box(QMessageBox::Warning,
                    targets.size() == 1 ? tr("Kill process") : tr("Kill processes"), question,
                    QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("killConfirmation"));
    box.setTextFormat(Qt::RichText);
    box.setInformativeText(details);
    QPushButton* kill = box.addButton(
        targets.size() == 1 ? tr("Kill process")
                            : tr("Kill %n processes", nullptr, static_cast<int>(targets.size())),
        QMessageBox::DestructiveRole);
    kill->setObjectName(QStringLiteral("confirmKillButton"));
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() != kill) {
        return;
    }
    for (const core::ProcessRow& target : targets) {
        runProcessKill(target);
    }
}

SystemActions MainWindow::systemActions() const {
    if (remote_->shown()) {
        return remote_->actions();
    }
    return elevation_->helper() ? elevation_->helperActions() : *userActions_;
}

void MainWindow::runProcessKill(const core::ProcessRow& row) {
    const SystemActions actions = systemActions();
    if (!actions.killProcess) {
        showActionMessage(tr("Killing processes is not available in this build."), false);
        return;
    }
    const core::ProcessKey key = row.process.key;
    const QString name = fromStd(row.process.name);
    auto* watcher = new QFutureWatcher<platform::ActionResult>(this);
    connect(
        watcher, &QFutureWatcher<platform::ActionResult>::finished, this,
        [this, watcher, name, key] {
            const platform::ActionResult result = watcher->result();
            watcher->deleteLater();
            QString message = localizedActionMessage(result);
            if (message.isEmpty()) {
                message =
                    result.ok()
                        ? tr("%1 (PID %2) was terminated.").arg(name, QString::number(key.pid))
                        : tr("%1 (PID %2) could not be terminated: %3")
                              .arg(name, QString::number(key.pid),
                                   QString::fromLatin1(platform::toString(result.status).data()));
            }
            showActionMessage(message, result.ok());
            Q_EMIT actionCompleted(result.ok(), message);
            refreshNow();
        });
    showActionMessage(tr("Terminating %1 (PID %2)…").arg(name, QString::number(key.pid)), true);
    watcher->setFuture(QtConcurrent::run([kill = actions.killProcess, key] { return kill(key); }));
}

void MainWindow::closeSelectedConnection() {
    const core::Connection* connection = selectedConnection();
    if (connection == nullptr || !closeConnectionAction_->isEnabled()) {
        showActionMessage(tr("Select an open TCP connection to close (not a listener and not "
                             "TIME_WAIT)."),
                          false);
        return;
    }
    const SystemActions actions = systemActions();
    if (!actions.closeConnection) {
        showActionMessage(tr("Closing connections is not available in this build."), false);
        return;
    }
    const core::Socket socket = connection->socket;
    const QString description =
        tr("%1 → %2").arg(fromStd(socket.local.toString()), fromStd(socket.remote.toString()));
    auto* watcher = new QFutureWatcher<platform::ActionResult>(this);
    connect(watcher, &QFutureWatcher<platform::ActionResult>::finished, this,
            [this, watcher, description] {
                const platform::ActionResult result = watcher->result();
                watcher->deleteLater();
                QString message = localizedActionMessage(result);
                if (message.isEmpty()) {
                    message = result.ok() ? tr("Closed the connection %1.").arg(description)
                                          : tr("The connection %1 could not be closed: %2")
                                                .arg(description,
                                                     QString::fromLatin1(
                                                         platform::toString(result.status).data()));
                }
                showActionMessage(message, result.ok());
                Q_EMIT actionCompleted(result.ok(), message);
                refreshNow();
            });
    watcher->setFuture(
        QtConcurrent::run([close = actions.closeConnection, socket] { return close(socket); }));
}

void MainWindow::copySelection() {
    QTreeView* view = activeView();
    QModelIndexList rows = view->selectionModel()->selectedRows();
    if (rows.isEmpty()) {
        return;
    }
    // In the order the user sees them: by position on screen, depth-first.
    auto path = [](QModelIndex index) {
        std::vector<int> parts;
        for (; index.isValid(); index = index.parent()) {
            parts.insert(parts.begin(), index.row());
        }
        return parts;
    };
    std::sort(rows.begin(), rows.end(),
              [&](const QModelIndex& a, const QModelIndex& b) { return path(a) < path(b); });

    const QHeaderView* header = view->header();
    std::vector<int> columns;
    for (int visual = 0; visual < header->count(); ++visual) {
        const int logical = header->logicalIndex(visual);
        if (!header->isSectionHidden(logical)) {
            columns.push_back(logical);
        }
    }
    QStringList lines;
    QStringList cells;
    for (int column : columns) {
        cells << plainCell(
            view->model()->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString());
    }
    lines << cells.join(QLatin1Char('\t'));
    for (const QModelIndex& row : rows) {
        cells.clear();
        for (int column : columns) {
            cells << plainCell(row.siblingAtColumn(column).data(Qt::DisplayRole).toString());
        }
        lines << cells.join(QLatin1Char('\t'));
    }
    QApplication::clipboard()->setText(lines.join(QLatin1Char('\n')) + QLatin1Char('\n'));
    statusBar()->showMessage(
        rows.size() == 1 ? tr("Copied one row.") : tr("Copied %1 rows.").arg(rows.size()), 5000);
}

namespace {

bool writePrivateFileAtomically(const QString& path, const std::string& text, QString* error) {
    auto fail = [error](const QString& message) {
        if (error != nullptr) {
            *error = message;
        }
        return false;
    };
    const QFileInfo target(path);
    if (target.isSymLink()) {
        return fail(
            MainWindow::tr("Cannot write %1: it is a symbolic link, and PortScope does not write "
                           "through links.")
                .arg(path));
    }
    // The text may hold other users' command lines. A temporary file beside the target is
    // created owner-only and then renamed over it: a reader never sees half a file, and a link
    // planted at the path meanwhile is replaced, not followed (QSaveFile would follow it).
    QTemporaryFile file(target.absolutePath() + QStringLiteral("/.portscope-XXXXXX"));
    if (!file.open() || !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        return fail(MainWindow::tr("Cannot write %1: %2").arg(path, file.errorString()));
    }
    if (file.write(text.data(), static_cast<qint64>(text.size())) !=
            static_cast<qint64>(text.size()) ||
        !file.flush()) {
        return fail(MainWindow::tr("Writing %1 failed: %2").arg(path, file.errorString()));
    }
    std::error_code renameError;
    std::filesystem::rename(file.filesystemFileName(), target.filesystemAbsoluteFilePath(),
                            renameError);
    if (renameError) {
        return fail(MainWindow::tr("Writing %1 failed: %2")
                        .arg(path, QString::fromLocal8Bit(renameError.message())));
    }
    file.setAutoRemove(false); // it has the target's name now
    return true;
}

} // namespace

core::ExportContext MainWindow::exportContext() const {
    core::ExportContext context;
    context.host = QSysInfo::machineHostName().toStdString();
    context.os = (QSysInfo::prettyProductName() + QStringLiteral(" (") + QSysInfo::kernelType() +
                  QLatin1Char(' ') + QSysInfo::kernelVersion() + QLatin1Char(')'))
                     .toStdString();
    for (const char* variable : {"USER", "LOGNAME", "USERNAME"}) {
        if (const QString user = qEnvironmentVariable(variable); !user.isEmpty()) {
            context.user = user.toStdString();
            break;
        }
    }
    if (context.user.empty()) {
        context.user = QDir::home().dirName().toStdString();
    }
    context.version = PORTSCOPE_VERSION;
    context.filter = filterEdit_->text().trimmed().toStdString();
    if (session_) {
        context.monitoredSinceUnixMs = session_->firstUpdateUnixMs();
        context.resolvedFindings = session_->resolvedFindings();
        if (session_->engine().sourceIsLive() && !elevation_->administrator() &&
            !elevation_->helperInUse()) {
            context.ownersHidden = "not running as administrator: other users' connections "
                                   "may show no process";
        }
    }
    describeRemoteIn(context);
    for (const auto& [process, digest] : processPanel_->computedHashes()) {
        context.programHashes.push_back({{process.first, process.second}, digest.toStdString()});
    }
    return context;
}

bool MainWindow::exportTo(const QString& path, ExportFormat format, QString* error) {
    if (!latest_) {
        if (error != nullptr) {
            *error = tr("Nothing to export yet: no update has arrived.");
        }
        return false;
    }
    const core::Update& update = *latest_;
    // The rows the filter shows, whichever view is active.
    const core::FilterQuery& query = activeProxy()->query();
    const core::VisibilityToggles& toggles = activeProxy()->toggles();
    std::vector<core::ExportRow> rows;
    rows.reserve(update.connections.size());
    for (const core::ExportRow& row : core::exportRowsOf(update)) {
        if (toggles.accepts(*row.connection) && query.matches(*row.connection, row.process)) {
            rows.push_back(row);
        }
    }
    const core::ExportContext context = exportContext();
    std::string text;
    switch (format) {
    case ExportFormat::Csv:
        text = core::reportCsv(update, rows, context);
        break;
    case ExportFormat::Json:
        text = core::reportJson(update, rows, context);
        break;
    case ExportFormat::Html:
        text = core::htmlReport(update, rows, "PortScope report", context);
        break;
    }
    return writePrivateFileAtomically(path, text, error);
}

bool MainWindow::exportProcessEvidenceTo(const QString& path, QString* error) {
    const core::ProcessRow* selected = selectedProcess();
    if (!latest_ || selected == nullptr || !selected->process.key.valid()) {
        if (error != nullptr) {
            *error = tr("Select a process (or one of its connections) to export its evidence.");
        }
        return false;
    }
    const core::ProcessKey key = selected->process.key;
    const auto elsewhere = [&key](const core::Finding& finding) { return finding.process != key; };
    // A copy that keeps only this process's findings; the rows point into it.
    core::Update update = *latest_;
    std::erase_if(update.findings, elsewhere);
    std::vector<core::ExportRow> rows;
    for (const core::ExportRow& row : core::exportRowsOf(update)) {
        if (row.process != nullptr && row.process->process.key == key) {
            rows.push_back(row);
        }
    }
    core::ExportContext context = exportContext();
    std::erase_if(context.resolvedFindings, elsewhere);
    context.filter = "pid:" + std::to_string(key.pid);
    // The graph on screen is the selected process's traffic.
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    traffic_->grab().save(&buffer, "PNG");
    const std::string title =
        "PortScope evidence: " + selected->process.name + " (PID " + std::to_string(key.pid) + ")";
    const std::string text =
        core::htmlReport(update, rows, title, context,
                         std::string_view(png.constData(), static_cast<std::size_t>(png.size())));
    return writePrivateFileAtomically(path, text, error);
}

void MainWindow::chooseProcessEvidenceFile() {
    const core::ProcessRow* selected = selectedProcess();
    if (selected == nullptr || !selected->process.key.valid()) {
        showActionMessage(tr("Select a process (or one of its connections) to export its "
                             "evidence."),
                          false);
        return;
    }
    const QString subject = fromStd(selected->process.name) + QLatin1Char('-') +
                            QString::number(selected->process.key.pid);
    QString path =
        QFileDialog::getSaveFileName(this, tr("Export evidence for this process"),
                                     suggestedExportPath(subject), tr("HTML report (*.html)"));
    if (path.isEmpty()) {
        return;
    }
    if (QFileInfo(path).suffix().isEmpty()) {
        path += QStringLiteral(".html");
    }
    QString error;
    if (exportProcessEvidenceTo(path, &error)) {
        rememberEvidenceFolder(path);
        showActionMessage(tr("Exported the evidence to %1.").arg(path), true);
    } else {
        QMessageBox::warning(this, tr("Export failed"), literalRichText(error));
    }
}

QString MainWindow::suggestedExportPath(const QString& subject) const {
    return suggestedEvidencePath(shownHostName(), subject, QStringLiteral("html"));
}

void MainWindow::chooseExportFile() {
    const QString csv = tr("CSV (*.csv)");
    const QString json = tr("JSON (*.json)");
    const QString html = tr("HTML report (*.html)");
    QString selected = html;
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export report"), suggestedExportPath(),
        QStringList{html, csv, json}.join(QStringLiteral(";;")), &selected);
    if (path.isEmpty()) {
        return;
    }
    const QString suffix = QFileInfo(path).suffix().toLower();
    ExportFormat format = ExportFormat::Csv;
    if (suffix == QLatin1String("json") || (suffix.isEmpty() && selected == json)) {
        format = ExportFormat::Json;
    } else if (suffix == QLatin1String("html") || suffix == QLatin1String("htm") ||
               (suffix.isEmpty() && selected == html)) {
        format = ExportFormat::Html;
    }
    if (suffix.isEmpty()) {
        path += format == ExportFormat::Json   ? QStringLiteral(".json")
                : format == ExportFormat::Html ? QStringLiteral(".html")
                                               : QStringLiteral(".csv");
    }
    QString error;
    if (exportTo(path, format, &error)) {
        rememberEvidenceFolder(path);
        showActionMessage(tr("Exported to %1.").arg(path), true);
    } else {
        QMessageBox::warning(this, tr("Export failed"), literalRichText(error));
    }
}

} // namespace portscope::gui

namespace portscope::gui {

// --- Recording -------------------------------------------------------------------------------

void MainWindow::toggleRecording() {
    if (isRecording()) {
        stopRecording();
        return;
    }
    const QString suggested =
        suggestedEvidencePath(shownHostName(), QString(), QStringLiteral("psreplay"));
    QString path = QFileDialog::getSaveFileName(this, tr("Record session"), suggested,
                                                tr("PortScope recordings (*.psreplay)"));
    if (path.isEmpty()) {
        return;
    }
    if (QFileInfo(path).suffix().isEmpty()) {
        path += QStringLiteral(".psreplay");
    }
    QString error;
    if (!startRecording(path, &error)) {
        QMessageBox::warning(this, tr("Cannot record"), literalRichText(error));
        return;
    }
    rememberEvidenceFolder(path);
}

bool MainWindow::isRecording() const {
    return recording_->recording();
}

QString MainWindow::recordingPath() const {
    return recording_->path();
}

bool MainWindow::startRecording(const QString& path, QString* error) {
    if (session_ == nullptr || session_->finished()) {
        if (error != nullptr) {
            *error = tr("Only live monitoring can be recorded; a recorded session is a file "
                        "already.");
        }
        return false;
    }
    if (!recording_->start(path, error)) {
        return false;
    }
    // The file starts with the present state rather than one interval later; a paused view
    // stays as the user left it and records from the next poll.
    if (!paused_) {
        refreshNow();
    }
    return true;
}

void MainWindow::stopRecording() {
    const QString message = recording_->stop();
    if (!message.isEmpty()) {
        showActionMessage(
            message + QLatin1Char(' ') + tr("Open it with File › Open recorded session."), true);
    }
}

void MainWindow::updateRecordAction() {
    if (isRecording()) {
        recordAction_->setText(tr("Stop &recording"));
        recordAction_->setIconText(tr("Stop recording"));
        recordAction_->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
        recordAction_->setToolTip(tr("Stop recording and close the file (Ctrl+R)"));
    } else {
        recordAction_->setText(tr("&Record session…"));
        recordAction_->setIconText(tr("Record…"));
        recordAction_->setIcon(recordIcon_);
        recordAction_->setToolTip(tr("Save the live session to a file that File › Open recorded "
                                     "session can play later (Ctrl+R)"));
    }
}

void MainWindow::updateRecordingStatus() {
    if (!isRecording()) {
        statusRecording_->hide();
        return;
    }
    const QString path = recording_->path();
    statusRecording_->setText(tr("● Recording to %1 (%2)")
                                  .arg(QFileInfo(path).fileName(),
                                       recording_->recordsWritten() == 1
                                           ? tr("1 snapshot")
                                           : tr("%1 snapshots").arg(recording_->recordsWritten())));
    statusRecording_->setToolTip(
        literalRichText(tr("Recording to %1; File › Stop recording ends it")
                            .arg(QDir::toNativeSeparators(QFileInfo(path).absoluteFilePath()))));
    statusRecording_->show();
}

// --- Administrator rights --------------------------------------------------------------------

void MainWindow::setPrivilegeOptions(PrivilegeOptions options) {
    elevation_->setOptions(std::move(options));
    if (latest_) {
        updateBanner(*latest_);
    }
}

bool MainWindow::usingHelper() const {
    return elevation_->helperInUse();
}

void MainWindow::updatePrivilegeActions() {
    administratorAction_->setVisible(elevation_->offered());
    administratorAction_->setEnabled(!elevation_->launching() && !elevation_->helperInUse());
    administratorAction_->setText(elevation_->actionText());
    administratorAction_->setIconText(elevation_->actionIconText());
    bannerAdministratorButton_->setEnabled(!elevation_->launching());
    if (elevation_->helperInUse() || elevation_->administrator()) {
        bannerAdministratorButton_->hide();
    }
}

void MainWindow::requestAdministratorRights() {
    elevation_->request();
    if (elevation_->launching()) {
        showActionMessage(tr("Waiting for authorization to start the administrator helper… "
                             "Until it is ready PortScope goes on showing what your user can "
                             "see."),
                          true);
    }
}

void MainWindow::onElevationFailed(const QString& message) {
    showActionMessage(message, false);
    Q_EMIT elevationFinished(false, message);
}

void MainWindow::onHelperStarted() {
    const auto helper = elevation_->helper();
    QString message;
    if (session_ && !session_->engine().sourceIsLive()) {
        message = tr("The administrator helper is ready; it is used when you monitor this "
                     "computer again (File › Monitor this computer).");
    } else if (startSession(platform::makeHelperSource(helper), true)) {
        message = tr("Showing all processes: the administrator helper (PID %1) reads the system "
                     "now.")
                      .arg(helper->info().pid);
    } else {
        elevation_->dropHelper();
        onElevationFailed(
            tr("The administrator helper started, but monitoring through it failed."));
        return;
    }
    showActionMessage(message, true);
    Q_EMIT elevationFinished(true, message);
}

} // namespace portscope::gui
