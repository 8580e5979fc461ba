// The window's side of a remote machine over SSH: File › Connect to remote machine…, the
// session through the remote helper, the host in the title, status bar and exports, and the
// stale view with Reconnect when the connection drops. RemoteController holds the
// connection; this file only wires it into the window.

#include "main_window.h"
#include "monitor_session.h"
#include "portscope/core/export.h"
#include "portscope/platform/helper_client.h"
#include "remote_connect_dialog.h"
#include "remote_controller.h"

#include <QAction>
#include <QLabel>
#include <QStatusBar>
#include <QSysInfo>

namespace portscope::gui {

void MainWindow::buildRemote() {
    remote_ = new RemoteController(this);
    connectRemoteAction_ = new QAction(tr("Connect to &remote machine…"), this);
    connectRemoteAction_->setObjectName(QStringLiteral("connectRemoteAction"));
    connectRemoteAction_->setToolTip(
        tr("Show another machine's processes and connections, over SSH"));
    connect(connectRemoteAction_, &QAction::triggered, this, &MainWindow::chooseRemoteMachine);
    connect(remote_, &RemoteController::connected, this, &MainWindow::onRemoteConnected);
    connect(remote_, &RemoteController::failed, this, [this](const QString& message) {
        showActionMessage(message, false);
        Q_EMIT remoteFinished(false, message);
    });
    connect(remote_, &RemoteController::stateChanged, this, [this] {
        connectRemoteAction_->setEnabled(!remote_->connecting());
        if (remote_->connecting()) {
            statusBar()->showMessage(tr("Connecting over SSH…"));
        }
    });
}

RemoteController* MainWindow::remote() const {
    return remote_;
}

bool MainWindow::connectToRemote(const QString& target, QString* error) {
    std::string problem;
    const auto parsed = platform::SshTarget::parse(target.trimmed().toStdString(), &problem);
    if (!parsed) {
        if (error != nullptr) {
            *error = QString::fromStdString(problem);
        }
        return false;
    }
    remote_->connectTo(*parsed);
    return true;
}

void MainWindow::chooseRemoteMachine() {
    RemoteConnectDialog dialog(this);
    dialog.setTarget(remote_->host());
    dialog.setThroughSudo(remote_->defaults().throughSudo);
    if (dialog.exec() != QDialog::Accepted || !dialog.target()) {
        return;
    }
    platform::SshLaunch defaults = remote_->defaults();
    defaults.throughSudo = dialog.throughSudo();
    remote_->setDefaults(std::move(defaults));
    remote_->connectTo(*dialog.target());
}

void MainWindow::onRemoteConnected(std::shared_ptr<platform::HelperConnection> helper) {
    const QString host = QString::fromStdString(helper->info().remoteHost);
    if (!startSession(platform::makeHelperSource(helper), false)) {
        Q_EMIT remoteFinished(false, tr("Monitoring %1 could not start.").arg(host));
        return;
    }
    remote_->setShown(helper);
    showRemoteIdentity();
    const QString message = tr("Showing %1 over SSH: portscope-helper (PID %2) reads that machine.")
                                .arg(host)
                                .arg(helper->info().pid);
    showActionMessage(message, true);
    Q_EMIT remoteFinished(true, message);
}

void MainWindow::showRemoteIdentity() {
    const QString host = remote_->host();
    // "HOST (remote, over SSH) — PortScope": a screenshot says which machine it shows.
    setWindowTitle(remote_->stale() ? tr("%1 (remote, connection lost)").arg(host)
                                    : tr("%1 (remote, over SSH)").arg(host));
    const bool root = remote_->helper() && remote_->helper()->info().effectiveUid == 0;
    statusSource_->setText(remote_->stale() ? tr("Stale — connection to %1 lost").arg(host)
                           : root           ? tr("Remote %1 — all processes").arg(host)
                                            : tr("Remote %1 — that user's processes").arg(host));
}

bool MainWindow::onRemoteSourceFinished(const QString& message, bool failed) {
    if (!remote_->shown() || !failed) {
        return false;
    }
    // The last update stays on screen; the notice says it is stale and offers Reconnect.
    remote_->markLost(message);
    showRemoteIdentity();
    actionMessage_->hide();
    updateActionStates();
    return true;
}

QString MainWindow::shownHostName() const {
    return remote_->shown() ? remote_->host() : QSysInfo::machineHostName();
}

void MainWindow::describeRemoteIn(core::ExportContext& context) const {
    if (!remote_->shown()) {
        return;
    }
    const auto& info = remote_->helper()->info();
    context.host = info.remoteHost + " (remote, over SSH)";
    context.os = "unknown (a remote machine, read over SSH)";
    context.ownersHidden = info.effectiveUid == 0
                               ? std::string()
                               : "portscope-helper on " + info.remoteHost + " runs as uid " +
                                     std::to_string(info.effectiveUid) +
                                     ": other users' connections there may show no process";
}

} // namespace portscope::gui
