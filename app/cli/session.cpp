#include "session.h"

#include "cli.h"
#include "portscope/core/engine.h"
#include "portscope/platform/elevation.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace portscope::cli {

namespace {

std::atomic<bool> stopFlag{false};

} // namespace

platform::LiveSourceOptions sourceOptions(const Options& options) {
    platform::LiveSourceOptions source;
    source.resolveOwners = !options.noOwners;
    source.forceProcFallback = options.procFallback;
    source.sensor = options.sensor;
    return source;
}

void requestStop() {
    stopFlag.store(true);
}

bool stopRequested() {
    return stopFlag.load();
}

void clearStopRequest() {
    stopFlag.store(false);
}

platform::SshLaunch sshLaunchOf(const Options& options) {
    platform::SshLaunch launch;
    if (auto invalid = platform::applySshCommandLine(options.ssh, launch); !invalid.empty()) {
        throw UsageError("--ssh: " + invalid);
    }
    return launch;
}

std::shared_ptr<platform::HelperConnection> connectHelper(const Options& options) {
    if (options.ssh.target) {
        platform::HelperOptions helperOptions;
        helperOptions.source = sourceOptions(options);
        return platform::HelperConnection::connectOverSsh(sshLaunchOf(options), helperOptions);
    }
    if (!options.helperFds && !options.elevated) {
        return nullptr;
    }
    if (platform::elevationOfThisSystem().method != platform::ElevationMethod::PrivilegedHelper) {
        throw UsageError("--elevated and --helper-fds need portscope-helper, which this system "
                         "does not use; run portscope-cli as administrator instead");
    }
    platform::HelperOptions helperOptions;
    helperOptions.source = sourceOptions(options);
    if (options.helperFds) {
        return platform::HelperConnection::adopt(options.helperFds->first,
                                                 options.helperFds->second, helperOptions);
    }
    if (!platform::runningAsAdministrator()) {
        return platform::HelperConnection::launch(platform::HelperLaunch{}, helperOptions);
    }
    return nullptr;
}

std::unique_ptr<core::SnapshotSource> liveSource(const Options& options, SourceUse use) {
    if (auto helper = connectHelper(options)) {
        return platform::makeHelperSource(std::move(helper));
    }
    platform::LiveSourceOptions source = sourceOptions(options);
    if (use == SourceUse::OnePoll) {
        // The one poll comes right after the sensor loads: its event buffers stay nearly
        // empty, and the kernel zeroes the usual 12 MiB of them when it creates them (about
        // a tenth of a cold snapshot's samples in `perf record` at 100k sockets).
        source.sensorEventBufferBytes = 64 * 1024;
    }
    return platform::makeLiveSource(source);
}

RunResult runEngine(std::unique_ptr<core::SnapshotSource> source, const Options& options,
                    const std::function<void(const core::Update&)>& onUpdate,
                    const std::function<void()>& afterStop) {
    std::mutex mutex;
    std::condition_variable wake;
    RunResult result;
    bool finished = false;

    core::EngineOptions engineOptions;
    engineOptions.interval = options.interval;
    engineOptions.resolveHostNames = options.resolve;
    engineOptions.pacedReplay = options.paced;
    engineOptions.findings = options.findings;
    core::EngineEvents events;
    events.onUpdate = [&](const core::UpdatePtr& update) {
        std::lock_guard lock(mutex);
        if (finished) {
            return;
        }
        onUpdate(*update);
        result.last = update;
        ++result.updates;
        if (options.count && result.updates >= *options.count) {
            finished = true;
        }
        wake.notify_all();
    };
    events.onFinished = [&](const std::string& message, bool failed) {
        std::lock_guard lock(mutex);
        result.finishMessage = message;
        result.sourceFailed = failed;
        finished = true;
        wake.notify_all();
    };
    core::Engine engine(std::move(source), engineOptions, std::move(events));
    engine.start();
    const auto deadline = options.duration ? std::chrono::steady_clock::now() + *options.duration
                                           : std::chrono::steady_clock::time_point::max();
    {
        std::unique_lock lock(mutex);
        while (!finished) {
            if (stopRequested()) {
                result.interrupted = true;
                break;
            }
            if (std::chrono::steady_clock::now() >= deadline) {
                break;
            }
            // Short waits so Ctrl+C is noticed promptly.
            wake.wait_for(lock, std::chrono::milliseconds(100));
        }
        finished = true;
    }
    engine.stop();
    if (afterStop) {
        afterStop();
    }
    return result;
}

int exitCodeFor(platform::ActionStatus status) {
    switch (status) {
    case platform::ActionStatus::Done:
        return kExitOk;
    case platform::ActionStatus::NoSuchProcess:
    case platform::ActionStatus::ProcessChanged:
    case platform::ActionStatus::NotFound:
        return kExitRefused;
    case platform::ActionStatus::PermissionDenied:
        return kExitPermission;
    case platform::ActionStatus::NotSupported:
        return kExitNotSupported;
    case platform::ActionStatus::InvalidArgument:
        return kExitUsage;
    case platform::ActionStatus::TimedOut:
    case platform::ActionStatus::Failed:
        return kExitFailure;
    }
    return kExitFailure;
}

} // namespace portscope::cli
