#include "cli.h"
#include "commands.h"
#include "output.h"
#include "portscope/core/engine.h"
#include "portscope/core/text.h"
#include "portscope/core/units.h"
#include "portscope/platform/packet_capture.h"
#include "portscope/platform/system.h"
#include "session.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <ostream>
#include <thread>

namespace portscope::cli {

namespace {

// How the user chose the connections, for the file's comment: the filter flags as given.
std::string selectionText(const ConnectionFilter& filter) {
    std::string text;
    auto add = [&](const std::string& part) { text += (text.empty() ? "" : ", ") + part; };
    for (const auto pid : filter.pids) {
        add("PID " + std::to_string(pid));
    }
    for (const auto& name : filter.processNames) {
        add("process " + core::sanitizeForDisplay(name, 256));
    }
    for (const auto port : filter.ports) {
        add("port " + std::to_string(port));
    }
    for (const auto state : filter.states) {
        add("state " + std::string(core::toString(state)));
    }
    for (const auto protocol : filter.protocols) {
        add(std::string(core::toString(protocol)));
    }
    for (const auto family : filter.families) {
        add("IPv" + std::string(core::toString(family)));
    }
    return text;
}

// The capture takes packets by socket with the eBPF sensor allowed, connections chosen and
// every interface captured: then the kernel keeps only the chosen sockets' packets and each
// packet names its socket (docs/capture.md). With --sensor auto, a capture by socket that
// cannot open gives way to one from the interfaces; with --sensor bpf, it is an error.
platform::OpenedCapture openCapture(const Options& options,
                                    const std::shared_ptr<platform::HelperConnection>& helper) {
    platform::CaptureOptions captureOptions;
    if (!(options.interfaces.size() == 1 && options.interfaces[0] == "any")) {
        captureOptions.interfaces = options.interfaces;
    }
    captureOptions.bySocket = options.sensor != platform::SensorChoice::Poll &&
                              !options.filter.empty() && captureOptions.interfaces.empty();
    return platform::openCaptureFallingBack(captureOptions, helper.get(),
                                            options.sensor != platform::SensorChoice::Bpf);
}

// A capture of the processes of --pid or --process alone takes the sockets they create from
// the first packet (a capture by socket); other filters choose connections only.
core::PacketAttributor::ProcessSelector processSelectorOf(const ConnectionFilter& filter) {
    const bool byProcessOnly = (!filter.pids.empty() || !filter.processNames.empty()) &&
                               filter.ports.empty() && filter.states.empty() &&
                               filter.protocols.empty() && filter.families.empty() &&
                               filter.expressions.empty();
    if (!byProcessOnly) {
        return {};
    }
    return [filter](const core::ProcessRow& row) {
        // The query holds process terms only: any connection of the process matches it.
        core::Connection connection;
        connection.socket.owner = row.process.key;
        return filter.matches(connection, &row);
    };
}

// A capture of given processes follows their sockets, not the system's: it lists their
// descriptors every kSocketWatchInterval and asks the engine for a poll as soon as a socket
// came or went (at most once per --interval). The engine's own polls come kWatchedPollFactor
// times less often and keep only those processes' sockets (LiveSourceOptions::onlyProcesses).
// At 100,000 sockets a poll of all of them cost a quarter of a second of CPU, more than
// capturing a 1 Gbit/s connection (docs/performance.md).
constexpr std::chrono::milliseconds kSocketWatchInterval{200};
constexpr int kWatchedPollFactor = 10;

class ProcessSocketWatch {
public:
    // The steady-clock time of the engine's last poll, which its Updates set.
    using PollTime = std::atomic<std::chrono::steady_clock::rep>;

    // Watches while it exists; `engine` and `lastPoll` must outlive it.
    ProcessSocketWatch(std::vector<std::int32_t> pids, std::chrono::milliseconds minimumGap,
                       core::Engine& engine, const PollTime& lastPoll)
        : pids_(std::move(pids)), minimumGap_(minimumGap), engine_(engine), lastPoll_(lastPoll),
          seen_(currentSockets()), thread_([this] { run(); }) {}
    ~ProcessSocketWatch() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        thread_.join();
    }
    ProcessSocketWatch(const ProcessSocketWatch&) = delete;
    ProcessSocketWatch& operator=(const ProcessSocketWatch&) = delete;

    // Whether this system can list the sockets of one of `pids` (Linux, with the rights to
    // read the process), so that a watch sees their changes.
    static bool possible(const std::vector<std::int32_t>& pids) {
        return std::any_of(pids.begin(), pids.end(), [](std::int32_t pid) {
            return platform::socketsOfProcess(pid).has_value();
        });
    }

private:
    // Every watched process's sockets, a process that cannot be read as an empty marker.
    std::vector<std::vector<std::uint64_t>> currentSockets() const {
        std::vector<std::vector<std::uint64_t>> sockets;
        for (const auto pid : pids_) {
            sockets.push_back(
                platform::socketsOfProcess(pid).value_or(std::vector<std::uint64_t>{0}));
        }
        return sockets;
    }

    void run() {
        std::unique_lock lock(mutex_);
        // Until the capture ends; each turn waits kSocketWatchInterval.
        while (!wake_.wait_for(lock, kSocketWatchInterval, [this] { return stopping_; })) {
            auto sockets = currentSockets();
            if (sockets == seen_) {
                continue;
            }
            const auto sincePoll = std::chrono::steady_clock::now().time_since_epoch() -
                                   std::chrono::steady_clock::duration(lastPoll_.load());
            if (sincePoll < minimumGap_) {
                continue; // looked at again on the next turn
            }
            seen_ = std::move(sockets);
            engine_.refreshNow();
        }
    }

    const std::vector<std::int32_t> pids_;
    const std::chrono::milliseconds minimumGap_;
    core::Engine& engine_;
    const PollTime& lastPoll_;
    std::vector<std::vector<std::uint64_t>> seen_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_; // last: starts once the members above exist
};

// Each progress line overwrites the last on a terminal.
void printProgress(std::ostream& err, const platform::CaptureProgress& progress) {
    err << "\rcaptured " << progress.packets << " packets, "
        << core::formatBytes(static_cast<double>(progress.bytes)) << ", " << progress.dropped
        << " dropped" << std::flush;
}

} // namespace

int commandCapture(const Options& options, std::ostream&, std::ostream& err) {
    // Standard output may be the capture itself: every message goes to `err`.
    if (!options.writePath) {
        throw UsageError("capture needs -w FILE, or -w - for standard output");
    }
    if (const auto problem = platform::captureFilterProblem(options.captureFilter);
        !problem.empty()) {
        throw UsageError("--filter: " + problem);
    }
    // Only the processes of --pid can be watched here: --ssh captures another computer.
    const bool watchSockets = !options.filter.pids.empty() && !options.ssh.target &&
                              ProcessSocketWatch::possible(options.filter.pids);
    std::shared_ptr<platform::HelperConnection> helper;
    platform::OpenedCapture opened;
    std::unique_ptr<core::SnapshotSource> source;
    std::unique_ptr<platform::CaptureOutput> output;
    try {
        helper = connectHelper(options);
        opened = openCapture(options, helper);
        if (helper) {
            source = platform::makeHelperSource(helper);
        } else {
            auto ownSource = sourceOptions(options);
            if (watchSockets) {
                ownSource.onlyProcesses = options.filter.pids;
            }
            source = platform::makeLiveSource(ownSource);
        }
        // Last, so that a capture that cannot start leaves no empty file behind.
        output = *options.writePath == "-"
                     ? platform::CaptureOutput::standardOutput()
                     : platform::CaptureOutput::createFile(*options.writePath);
    } catch (const platform::CaptureError& error) {
        printError(err, error.what());
        return error.kind == platform::CaptureError::Kind::PermissionDenied ? kExitPermission
               : error.kind == platform::CaptureError::Kind::NotSupported   ? kExitNotSupported
                                                                            : kExitFailure;
    } catch (const UsageError&) {
        throw;
    } catch (const std::exception& error) {
        printError(err, error.what());
        return kExitFailure;
    }

    platform::CaptureSessionOptions sessionOptions;
    if (!options.filter.empty()) {
        // The processes of --pid as they are now, by start time where it can be read: a PID
        // the process leaves behind and another takes during the capture is not captured.
        std::vector<core::ProcessKey> chosen;
        for (const auto pid : options.filter.pids) {
            const auto key = options.ssh.target ? std::nullopt : platform::currentProcessKey(pid);
            chosen.push_back(key.value_or(core::ProcessKey{pid, 0}));
        }
        const auto samePidAnotherProcess = [chosen](const core::ProcessRow* owner) {
            return owner != nullptr &&
                   std::any_of(chosen.begin(), chosen.end(), [&](const core::ProcessKey& key) {
                       return key.pid == owner->process.key.pid && key.startTime != 0 &&
                              owner->process.key.startTime != key.startTime;
                   });
        };
        const ConnectionFilter filter = options.filter;
        sessionOptions.selector = [filter,
                                   samePidAnotherProcess](const core::Connection& connection,
                                                          const core::ProcessRow* owner) {
            return filter.matches(connection, owner) && !samePidAnotherProcess(owner);
        };
        if (auto byProcess = processSelectorOf(options.filter)) {
            sessionOptions.processSelector = [byProcess,
                                              samePidAnotherProcess](const core::ProcessRow& row) {
                return byProcess(row) && !samePidAnotherProcess(&row);
            };
            sessionOptions.wholeProcesses = chosen;
        }
        sessionOptions.selectionText = selectionText(options.filter);
        for (const auto& expression : options.filter.expressions) {
            sessionOptions.selectionText +=
                (sessionOptions.selectionText.empty() ? "" : ", ") + expression;
        }
    }
    if (!options.ssh.target) {
        sessionOptions.describeProcess = platform::localProcess;
    }
    sessionOptions.userFilter = options.captureFilter;
    sessionOptions.duration = options.duration;
    sessionOptions.maxPackets = options.count;
    sessionOptions.maxBytes = options.maxSizeBytes;
    sessionOptions.application = "PortScope " + std::string(kVersion);
    const bool bySocket = opened.capture->selectsBySocket();
    platform::CaptureSession session(std::move(opened.capture), std::move(output), sessionOptions);

    // The engine follows the system's connections; the capture learns each Update.
    std::mutex mutex;
    std::condition_variable firstUpdate;
    bool updated = false;
    std::string sourceFailure;
    ProcessSocketWatch::PollTime lastPoll{0};
    core::EngineOptions engineOptions;
    engineOptions.interval = watchSockets
                                 ? std::min(options.interval * kWatchedPollFactor,
                                            std::chrono::milliseconds(core::Engine::kMaxInterval))
                                 : options.interval;
    engineOptions.detectFindings = false; // a capture shows no findings
    engineOptions.findings = options.findings;
    // With the eBPF sensor a new connection brings a poll at once, and so its place in the
    // kernel filter. A capture by --pid needs none: by socket, the kernel selects the
    // processes' new sockets itself; from the interfaces, it follows their descriptors. Each
    // early poll reads every socket of the system (a quarter of a second of CPU at 100,000).
    const bool kernelFollowsProcesses =
        bySocket && !sessionOptions.wholeProcesses.empty() && options.filter.processNames.empty();
    engineOptions.pollOnChanges = !kernelFollowsProcesses && !(watchSockets && !bySocket);
    core::EngineEvents events;
    events.onUpdate = [&](const core::UpdatePtr& update) {
        lastPoll = std::chrono::steady_clock::now().time_since_epoch().count();
        session.learn(update);
        std::lock_guard lock(mutex);
        updated = true;
        firstUpdate.notify_all();
    };
    events.onFinished = [&](const std::string& message, bool failed) {
        std::lock_guard lock(mutex);
        if (failed) {
            sourceFailure = message;
        }
        updated = true;
        firstUpdate.notify_all();
    };
    core::Engine engine(std::move(source), engineOptions, std::move(events));
    engine.start();
    {
        // The process filter needs the connections: wait for the first poll.
        std::unique_lock lock(mutex);
        firstUpdate.wait_for(lock, std::chrono::seconds(30), [&] { return updated; });
    }
    if (!sourceFailure.empty()) {
        printError(err, sourceFailure);
    }
    std::optional<ProcessSocketWatch> socketWatch;
    if (watchSockets && !bySocket) {
        socketWatch.emplace(options.filter.pids, options.interval, engine, lastPoll);
    }
    if (!opened.whyNotBySocket.empty()) {
        err << "Capturing from the network interfaces: "
            << core::terminalText(opened.whyNotBySocket) << '\n';
    }
    if (*options.writePath != "-") {
        err << "Capturing " << (bySocket ? "the chosen sockets' packets " : "") << "to "
            << core::terminalText(*options.writePath)
            << (options.duration || options.count || options.maxSizeBytes ? "...\n"
                                                                          : " until Ctrl+C...\n");
    }
    const auto result = session.run(
        [] { return stopRequested(); },
        [&](const platform::CaptureProgress& progress) { printProgress(err, progress); });
    socketWatch.reset();
    engine.stop();
    err << '\n' << core::terminalText(result.message) << '\n';
    switch (result.end) {
    case platform::CaptureEnd::WriteFailed:
    case platform::CaptureEnd::CaptureFailed:
        return kExitFailure;
    default:
        return kExitOk;
    }
}

} // namespace portscope::cli
