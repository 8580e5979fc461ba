#include "cli.h"
#include "commands.h"
#include "output.h"
#include "portscope/core/engine.h"
#include "portscope/core/text.h"
#include "portscope/core/units.h"
#include "portscope/platform/packet_capture.h"
#include "session.h"

#include <condition_variable>
#include <mutex>
#include <ostream>

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

std::unique_ptr<platform::PacketCapture>
openCapture(const Options& options, const std::shared_ptr<platform::HelperConnection>& helper) {
    platform::CaptureOptions captureOptions;
    if (!(options.interfaces.size() == 1 && options.interfaces[0] == "any")) {
        captureOptions.interfaces = options.interfaces;
    }
    if (helper) {
        return helper->openCapture(captureOptions);
    }
    return platform::openPacketCapture(captureOptions);
}

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
    std::shared_ptr<platform::HelperConnection> helper;
    std::unique_ptr<platform::PacketCapture> capture;
    std::unique_ptr<core::SnapshotSource> source;
    std::unique_ptr<platform::CaptureOutput> output;
    try {
        helper = connectHelper(options);
        capture = openCapture(options, helper);
        source = helper ? platform::makeHelperSource(helper) : liveSource(options);
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
        const ConnectionFilter filter = options.filter;
        sessionOptions.selector = [filter](const core::Connection& connection,
                                           const core::ProcessRow* owner) {
            return filter.matches(connection, owner);
        };
        sessionOptions.selectionText = selectionText(options.filter);
        for (const auto& expression : options.filter.expressions) {
            sessionOptions.selectionText +=
                (sessionOptions.selectionText.empty() ? "" : ", ") + expression;
        }
    }
    sessionOptions.userFilter = options.captureFilter;
    sessionOptions.duration = options.duration;
    sessionOptions.maxPackets = options.count;
    sessionOptions.maxBytes = options.maxSizeBytes;
    sessionOptions.application = "PortScope " + std::string(kVersion);
    platform::CaptureSession session(std::move(capture), std::move(output), sessionOptions);

    // The engine follows the system's connections; the capture learns each Update.
    std::mutex mutex;
    std::condition_variable firstUpdate;
    bool updated = false;
    std::string sourceFailure;
    core::EngineOptions engineOptions;
    engineOptions.interval = options.interval;
    engineOptions.findings = options.findings;
    core::EngineEvents events;
    events.onUpdate = [&](const core::UpdatePtr& update) {
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
    if (*options.writePath != "-") {
        err << "Capturing to " << core::terminalText(*options.writePath)
            << (options.duration || options.count || options.maxSizeBytes ? "...\n"
                                                                          : " until Ctrl+C...\n");
    }
    const auto result = session.run(
        [] { return stopRequested(); },
        [&](const platform::CaptureProgress& progress) { printProgress(err, progress); });
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
