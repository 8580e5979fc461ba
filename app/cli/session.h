#pragma once
// What several commands share beyond options and output: the system source (live, through
// portscope-helper, or a replay file), the engine loop that ends on --count, --duration or
// Ctrl+C, and the exit code of an action on a process or connection.

#include "options.h"
#include "portscope/core/snapshot_source.h"
#include "portscope/core/update.h"
#include "portscope/platform/helper_client.h"
#include "portscope/platform/system.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace portscope::cli {

// Whether requestStop() was called since the last clearStopRequest().
bool stopRequested();
void clearStopRequest();

// --ssh: portscope-helper on that machine; --helper-fds and --elevated: portscope-helper
// reads this system and acts on it as root. Null when none was given, or when we are root
// already (and not --ssh). A UsageError where the system
// elevates another way (Windows: run as administrator).
std::shared_ptr<platform::HelperConnection> connectHelper(const Options& options);

// The ssh launch that --ssh and its options describe; only with options.ssh.
platform::SshLaunch sshLaunchOf(const Options& options);

// How this process reads the system's sockets, as the options ask.
platform::LiveSourceOptions sourceOptions(const Options& options);

// How a command polls its source: once (snapshot), or again and again.
enum class SourceUse { OnePoll, Polls };

// The system's sockets as the options ask: through the helper, or read by this process.
std::unique_ptr<core::SnapshotSource> liveSource(const Options& options,
                                                 SourceUse use = SourceUse::Polls);

// Runs an engine until it has produced `count` updates, `duration` has passed, the source
// ended, or the user pressed Ctrl+C. Returns the last update and how the run ended.
struct RunResult {
    core::UpdatePtr last;
    std::uint64_t updates = 0;
    bool interrupted = false;
    bool sourceFailed = false;
    std::string finishMessage;
};

// `afterStop` runs once the engine thread has stopped, while the source still exists.
RunResult runEngine(std::unique_ptr<core::SnapshotSource> source, const Options& options,
                    const std::function<void(const core::Update&)>& onUpdate,
                    const std::function<void()>& afterStop = {});

// The documented exit code of a kill or close that ended with `status`.
int exitCodeFor(platform::ActionStatus status);

} // namespace portscope::cli
