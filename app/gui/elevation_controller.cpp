#include "elevation_controller.h"

#include "finding_wording.h"
#include "portscope/platform/helper_client.h"
#include "privileges.h"
#include "system_actions.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>

namespace portscope::gui {

using platform::ElevationMethod;

// Hands the result of a helper launch from its worker thread to the controller, or to nobody
// if the controller has gone in the meantime.
struct ElevationController::LaunchChannel {
    std::mutex mutex;
    ElevationController* controller = nullptr; // guarded by mutex; cleared by cancelLaunch()
};

ElevationController::ElevationController(PrivilegeOptions options, QObject* parent)
    : QObject(parent), options_(std::make_unique<PrivilegeOptions>()) {
    setOptions(std::move(options));
}

ElevationController::~ElevationController() {
    cancelLaunch();
}

void ElevationController::setOptions(PrivilegeOptions options) {
    *options_ = std::move(options);
    administrator_ = options_->runningAsAdministrator && options_->runningAsAdministrator();
    Q_EMIT stateChanged();
}

platform::ElevationMethod ElevationController::method() const {
    return options_->elevation.method;
}

SystemActions ElevationController::helperActions() const {
    return SystemActions::helperActions(helper_);
}

void ElevationController::setHelperInUse(bool inUse) {
    if (helperInUse_ != inUse) {
        helperInUse_ = inUse;
        Q_EMIT stateChanged();
    }
}

bool ElevationController::offered() const {
    return method() != ElevationMethod::None && !administrator_;
}

bool ElevationController::available() const {
    return offered() && !launching() && !helperInUse_;
}

bool ElevationController::explainsHiddenOwners(std::size_t hiddenOwners) const {
    // An administrator sees every owner it can; a hint to elevate would only confuse there.
    return hiddenOwners > 0 && !administrator_ && !helperInUse_;
}

bool ElevationController::offeredFor(std::size_t hiddenOwners, bool sourceWarnings) const {
    return offered() && (explainsHiddenOwners(hiddenOwners) ||
                         (options_->elevation.curesSourceWarnings && sourceWarnings));
}

QString ElevationController::actionText() const {
    if (method() == ElevationMethod::RestartAsAdministrator) {
        return tr("Restart as &administrator…");
    }
    return launching()    ? tr("Waiting for authorization…")
           : helperInUse_ ? tr("Showing all processes (administrator)")
                          : tr("Show all processes (&administrator)…");
}

QString ElevationController::actionIconText() const {
    if (method() == ElevationMethod::RestartAsAdministrator) {
        return {};
    }
    return launching()    ? tr("Waiting for authorization…")
           : helperInUse_ ? tr("All processes (admin)")
                          : tr("All processes (admin)…");
}

QString ElevationController::actionToolTip() const {
    if (method() == ElevationMethod::RestartAsAdministrator) {
        return tr("Start PortScope again with administrator rights (asks through the UAC prompt): "
                  "traffic counters and every process's details");
    }
    return tr("Start a small privileged helper (asks for authorization) to see the owners of "
              "every socket; the window keeps running as you");
}

QString ElevationController::hiddenOwnersHint(const QString& hidden) const {
    switch (method()) {
    case ElevationMethod::PrivilegedHelper:
        return tr("%1 because PortScope runs without privileges. <b>Show all processes "
                  "(administrator)…</b> starts a small privileged helper once you authorize "
                  "it; this window keeps running as you.")
            .arg(hidden);
    case ElevationMethod::RestartAsAdministrator:
        return tr("%1 because PortScope runs without administrator rights. <b>Restart as "
                  "administrator</b> to see them.")
            .arg(hidden);
    case ElevationMethod::None:
        break;
    }
    const QString program = QCoreApplication::applicationFilePath().toHtmlEscaped();
    return tr("%1 because PortScope runs without privileges. To see every owner, start it "
              "elevated, e.g. <code>sudo -E %2</code>.")
        .arg(hidden, program);
}

void ElevationController::request() {
    if (!available()) {
        return;
    }
    switch (method()) {
    case ElevationMethod::PrivilegedHelper:
        launchHelper();
        break;
    case ElevationMethod::RestartAsAdministrator:
        restart();
        break;
    case ElevationMethod::None:
        break;
    }
}

void ElevationController::restart() {
    // ShellExecuteEx returns once the UAC prompt has been answered and the new copy started.
    const platform::ActionResult result = options_->restartAsAdministrator();
    if (result.ok()) {
        Q_EMIT restartStarted();
        return;
    }
    Q_EMIT failed(localizedActionMessage(result));
}

void ElevationController::launchHelper() {
    auto channel = std::make_shared<LaunchChannel>();
    channel->controller = this;
    launchChannel_ = channel;
    Q_EMIT stateChanged();
    // A thread of its own, not the pool: the authorization dialog may stay open for minutes,
    // and the application must be able to quit meanwhile without waiting for it.
    auto launchAndReport = [channel, launch = options_->helperLaunch,
                            options = options_->helperOptions] {
        std::shared_ptr<platform::HelperConnection> helper;
        QString error;
        try {
            helper = platform::HelperConnection::launch(launch, options);
        } catch (const std::exception& failure) {
            error = QString::fromUtf8(failure.what());
        }
        if (!helper && error.isEmpty()) {
            error = tr("The administrator helper could not be started.");
        }
        std::lock_guard lock(channel->mutex);
        if (channel->controller == nullptr) {
            return; // the controller has gone; the helper is told goodbye on the way out
        }
        ElevationController* controller = channel->controller;
        QMetaObject::invokeMethod(
            controller,
            [controller, helper, error] { controller->onHelperLaunched(helper, error); },
            Qt::QueuedConnection);
    };
    try {
        std::thread(std::move(launchAndReport)).detach();
    } catch (const std::system_error& failure) {
        onHelperLaunched(nullptr, tr("The administrator helper could not be started: %1")
                                      .arg(QString::fromLocal8Bit(failure.what())));
    }
}

void ElevationController::onHelperLaunched(std::shared_ptr<platform::HelperConnection> helper,
                                           const QString& error) {
    launchChannel_.reset();
    if (!helper) {
        Q_EMIT stateChanged();
        Q_EMIT failed(error);
        return;
    }
    helper_ = std::move(helper);
    Q_EMIT stateChanged();
    Q_EMIT helperStarted();
}

void ElevationController::cancelLaunch() {
    if (launchChannel_) {
        std::lock_guard lock(launchChannel_->mutex);
        launchChannel_->controller = nullptr;
    }
    launchChannel_.reset();
}

void ElevationController::dropHelper() {
    helper_.reset();
    helperInUse_ = false;
    Q_EMIT stateChanged();
}

} // namespace portscope::gui
