#include "remote_controller.h"

#include "portscope/platform/helper_client.h"
#include "system_actions.h"

#include <QCoreApplication>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QMetaObject>
#include <QPushButton>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>

namespace portscope::gui {

// Hands the result of a connection from its thread to the controller, or to nobody when the
// controller has gone meanwhile.
struct RemoteController::Pending {
    std::mutex mutex;
    RemoteController* controller = nullptr;
};

RemoteController::RemoteController(QWidget* noticeParent) : QObject(noticeParent) {
    defaults_.batchMode = false;
    defaults_.confirmNewHostKey = true; // through the askpass dialog, which shows the key
    defaults_.askpassProgram = QCoreApplication::applicationFilePath().toStdString();

    notice_ = new QFrame(noticeParent);
    notice_->setObjectName(QStringLiteral("remoteNotice"));
    notice_->setStyleSheet(
        QStringLiteral("#remoteNotice { background: #fdecea; border: 1px solid #e0a0a0; }"));
    noticeLabel_ = new QLabel(notice_);
    noticeLabel_->setObjectName(QStringLiteral("remoteNoticeText"));
    noticeLabel_->setTextFormat(Qt::PlainText); // host names and ssh's words are untrusted
    noticeLabel_->setWordWrap(true);
    reconnectButton_ = new QPushButton(tr("Reconnect"), notice_);
    reconnectButton_->setObjectName(QStringLiteral("reconnectButton"));
    connect(reconnectButton_, &QPushButton::clicked, this, &RemoteController::reconnect);
    auto* layout = new QHBoxLayout(notice_);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->addWidget(noticeLabel_, 1);
    layout->addWidget(reconnectButton_);
    notice_->hide();
}

RemoteController::~RemoteController() {
    if (pending_) {
        std::lock_guard lock(pending_->mutex);
        pending_->controller = nullptr;
    }
}

QString RemoteController::host() const {
    return helper_ ? QString::fromStdString(helper_->info().remoteHost) : QString();
}

SystemActions RemoteController::actions() const {
    return SystemActions::helperActions(helper_);
}

void RemoteController::connectTo(const platform::SshTarget& target) {
    if (pending_) {
        return;
    }
    lastTarget_ = target;
    platform::SshLaunch launch = defaults_;
    launch.target = target;
    auto pending = std::make_shared<Pending>();
    pending->controller = this;
    pending_ = pending;
    reconnectButton_->setEnabled(false);
    Q_EMIT stateChanged();
    // A thread of its own: ssh may wait minutes for the network or a password, and the
    // application must be able to quit meanwhile.
    auto connectAndReport = [pending, launch] {
        std::shared_ptr<platform::HelperConnection> helper;
        QString error;
        try {
            helper = platform::HelperConnection::connectOverSsh(launch);
        } catch (const std::exception& failure) {
            error = QString::fromUtf8(failure.what());
        }
        std::lock_guard lock(pending->mutex);
        if (pending->controller == nullptr) {
            return; // the helper, if any, is told goodbye on the way out
        }
        RemoteController* controller = pending->controller;
        QMetaObject::invokeMethod(
            controller, [controller, helper, error] { controller->onFinished(helper, error); },
            Qt::QueuedConnection);
    };
    try {
        std::thread(std::move(connectAndReport)).detach();
    } catch (const std::system_error& failure) {
        onFinished(nullptr, QString::fromLocal8Bit(failure.what()));
    }
}

void RemoteController::reconnect() {
    if (!lastTarget_.host.empty()) {
        connectTo(lastTarget_);
    }
}

void RemoteController::onFinished(std::shared_ptr<platform::HelperConnection> helper,
                                  const QString& error) {
    pending_.reset();
    reconnectButton_->setEnabled(true);
    Q_EMIT stateChanged();
    if (!helper) {
        Q_EMIT failed(error.isEmpty() ? tr("The connection could not be made.") : error);
        return;
    }
    Q_EMIT connected(std::move(helper));
}

void RemoteController::setShown(std::shared_ptr<platform::HelperConnection> helper) {
    helper_ = std::move(helper);
    stale_ = false;
    notice_->hide();
    Q_EMIT stateChanged();
}

void RemoteController::forget() {
    if (!helper_ && !stale_) {
        return;
    }
    helper_.reset();
    stale_ = false;
    notice_->hide();
    Q_EMIT stateChanged();
}

void RemoteController::markLost(const QString& reason) {
    stale_ = true;
    noticeLabel_->setText(
        tr("Stale: the connection to %1 was lost. The window shows the last data it received. %2")
            .arg(host(), reason));
    notice_->show();
    Q_EMIT stateChanged();
}

} // namespace portscope::gui
