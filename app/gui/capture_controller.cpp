#include "capture_controller.h"

#include "portscope/core/text.h"
#include "portscope/platform/elevation.h"
#include "portscope/platform/helper_client.h"
#include "portscope/platform/packet_capture.h"

#include <QMetaObject>
#include <algorithm>

namespace portscope::gui {

CaptureTarget CaptureTarget::ofProcess(const core::Process& process) {
    CaptureTarget target;
    target.description =
        QObject::tr("%1 (PID %2)")
            .arg(QString::fromStdString(core::sanitizeForDisplay(process.name, 256)))
            .arg(process.key.pid);
    target.selectionText = "PID " + std::to_string(process.key.pid);
    const core::ProcessKey key = process.key;
    target.selector = [key](const core::Connection& connection, const core::ProcessRow*) {
        return connection.socket.owner == key;
    };
    target.wholeProcesses = {key};
    return target;
}

CaptureTarget CaptureTarget::ofConnection(const core::Connection& connection,
                                          const core::ProcessRow* owner) {
    CaptureTarget target;
    const core::Socket socket = connection.socket;
    const std::string flow = std::string(core::toString(socket.protocol)) + " " +
                             socket.local.toString() + " - " + socket.remote.toString();
    target.description = QString::fromStdString(flow);
    if (owner != nullptr) {
        target.description =
            QObject::tr("%1 of %2 (PID %3)")
                .arg(QString::fromStdString(flow),
                     QString::fromStdString(core::sanitizeForDisplay(owner->process.name, 256)))
                .arg(owner->process.key.pid);
    }
    target.selectionText = "the connection " + flow;
    target.selector = [socket](const core::Connection& candidate, const core::ProcessRow*) {
        return candidate.socket.protocol == socket.protocol &&
               candidate.socket.local == socket.local && candidate.socket.remote == socket.remote;
    };
    return target;
}

CaptureController::CaptureController(QObject* parent) : QObject(parent) {}

CaptureController::~CaptureController() {
    stopRequested_ = true;
    if (thread_.joinable()) {
        thread_.join();
    }
}

bool CaptureController::start(const CaptureTarget& target, const CaptureSettings& settings,
                              std::shared_ptr<platform::HelperConnection> helper, QString* error) {
    if (running()) {
        *error = tr("A capture is already running; stop it first.");
        return false;
    }
    bool bySocket = false;
    QString whyNotBySocket;
    try {
        // Where the kernel or the build cannot take packets by socket, the interfaces serve.
        platform::CaptureOptions captureOptions;
        captureOptions.bySocket = target.preferBySocket;
        auto opened = platform::openCaptureFallingBack(
            captureOptions, helper && !platform::runningAsAdministrator() ? helper.get() : nullptr,
            true);
        auto capture = std::move(opened.capture);
        whyNotBySocket = QString::fromStdString(opened.whyNotBySocket);
        bySocket = capture->selectsBySocket();
        auto output = platform::CaptureOutput::createFile(settings.path.toStdString());
        platform::CaptureSessionOptions options;
        options.selector = target.selector;
        options.wholeProcesses = target.wholeProcesses;
        if (!target.wholeProcesses.empty()) {
            const std::vector<core::ProcessKey> keys = target.wholeProcesses;
            options.processSelector = [keys](const core::ProcessRow& row) {
                return std::find(keys.begin(), keys.end(), row.process.key) != keys.end();
            };
        }
        if (target.local) {
            options.describeProcess = platform::localProcess;
        }
        options.selectionText = target.selectionText;
        if (settings.durationSeconds > 0) {
            options.duration = std::chrono::seconds(settings.durationSeconds);
        }
        if (settings.maxMegabytes > 0) {
            options.maxBytes = static_cast<std::uint64_t>(settings.maxMegabytes) * 1'000'000;
        }
        options.application = "PortScope " PORTSCOPE_VERSION;
        session_ = std::make_unique<platform::CaptureSession>(std::move(capture), std::move(output),
                                                              options);
    } catch (const platform::CaptureError& failure) {
        *error = failure.kind == platform::CaptureError::Kind::PermissionDenied
                     ? tr("Capturing packets needs administrator rights. Choose File › Show all "
                          "processes (administrator) first, then capture again.")
                     : QString::fromStdString(failure.what());
        return false;
    } catch (const std::exception& failure) {
        *error = QString::fromStdString(failure.what());
        return false;
    }
    if (latest_) {
        session_->learn(latest_);
    }
    path_ = settings.path;
    stopRequested_ = false;
    thread_ = std::thread([this] {
        platform::CaptureResult result;
        try {
            result =
                session_->run([this] { return stopRequested_.load(); },
                              [this](const platform::CaptureProgress& progress) {
                                  QMetaObject::invokeMethod(
                                      this,
                                      [this, progress] {
                                          Q_EMIT this->progress(progress.packets, progress.bytes,
                                                                progress.dropped);
                                      },
                                      Qt::QueuedConnection);
                              });
        } catch (const std::exception& failure) {
            // Nothing may escape a thread; the window reports it like any failed capture.
            result.end = platform::CaptureEnd::CaptureFailed;
            result.message = failure.what();
        }
        QMetaObject::invokeMethod(
            this, [this, result] { onFinished(result); }, Qt::QueuedConnection);
    });
    Q_EMIT started(path_, bySocket, whyNotBySocket);
    return true;
}

void CaptureController::learn(const std::shared_ptr<const core::Update>& update) {
    latest_ = update;
    if (session_) {
        session_->learn(update);
    }
}

void CaptureController::stop() {
    stopRequested_ = true;
}

void CaptureController::onFinished(const platform::CaptureResult& result) {
    if (thread_.joinable()) {
        thread_.join();
    }
    session_.reset(); // closes the file and, through the helper, the capture
    const bool failed = result.end == platform::CaptureEnd::WriteFailed ||
                        result.end == platform::CaptureEnd::CaptureFailed;
    Q_EMIT finished(QString::fromStdString(result.message), path_, failed);
}

} // namespace portscope::gui
