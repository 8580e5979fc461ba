#pragma once
// Capturing the traffic of one process or one connection to a pcapng file
// (platform::CaptureSession), on a thread of its own. The window hands it every Update, so
// that the capture follows the process's connections; progress and the end come back as
// signals on the GUI thread.

#include <QObject>
#include <QString>
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

// Declared only: moc cannot parse the core headers.
namespace portscope::core {
struct Connection;
struct ProcessKey;
struct Process;
struct ProcessRow;
struct Update;
} // namespace portscope::core
namespace portscope::platform {
class HelperConnection;
class CaptureSession;
struct CaptureResult;
} // namespace portscope::platform

namespace portscope::gui {

// What to capture: a process, or one connection.
struct CaptureTarget {
    QString description;       // for the dialog: "firefox (PID 1234)"
    std::string selectionText; // for the file's comment
    // As core::PacketAttributor::Selector.
    std::function<bool(const core::Connection&, const core::ProcessRow*)> selector;
    // A process captured whole (ofProcess): its new sockets are selected as it creates them.
    std::vector<core::ProcessKey> wholeProcesses;
    // Take packets by socket where the machine allows (the sensor setting is not "poll"),
    // else from the interfaces.
    bool preferBySocket = false;
    // The processes are this computer's: a packet may name one no poll listed yet.
    bool local = true;

    static CaptureTarget ofProcess(const core::Process& process);
    static CaptureTarget ofConnection(const core::Connection& connection,
                                      const core::ProcessRow* owner);
};

struct CaptureSettings {
    QString path;
    int durationSeconds = 0; // 0: until stopped
    int maxMegabytes = 0;    // 0: no limit
};

class CaptureController final : public QObject {
    Q_OBJECT
public:
    explicit CaptureController(QObject* parent = nullptr);
    ~CaptureController() override;

    bool running() const { return thread_.joinable(); }
    QString path() const { return path_; }

    // Starts capturing; through `helper` when it is set (the user is not an administrator),
    // else with this program's own rights. False with the reason when it cannot start.
    bool start(const CaptureTarget& target, const CaptureSettings& settings,
               std::shared_ptr<platform::HelperConnection> helper, QString* error);
    // The capture learns each Update the window shows (GUI thread).
    void learn(const std::shared_ptr<const core::Update>& update);
    // Ends the capture; finished() follows.
    void stop();

Q_SIGNALS:
    // `bySocket`: packets are taken as the sockets send and receive them (eBPF), not from the
    // network interfaces; `whyNotBySocket` says why not where that was wanted.
    void started(const QString& path, bool bySocket, const QString& whyNotBySocket);
    void progress(quint64 packets, quint64 bytes, quint64 dropped);
    // The file is complete: `message` says why it ended; `failed` when by an error.
    void finished(const QString& message, const QString& path, bool failed);

private:
    void onFinished(const platform::CaptureResult& result);

    std::unique_ptr<platform::CaptureSession> session_;
    std::thread thread_;
    std::atomic<bool> stopRequested_{false};
    std::shared_ptr<const core::Update> latest_;
    QString path_;
};

} // namespace portscope::gui
