#pragma once
// What the rest of PortScope asks of the operating system. Each OS folder implements this
// header; CMake picks the folder.

#include "portscope/core/model.h"
#include "portscope/core/snapshot_source.h"
#include "portscope/core/unique_file.h"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace portscope::platform {

struct LiveSourceOptions {
    bool resolveOwners = true;
    bool includeOtherNamespaces = true;
    bool listenForCloseEvents = true;
    bool forceProcFallback = false; // read /proc/net text even when netlink works
    std::chrono::seconds fullOwnerRescanEvery{10};
};

std::unique_ptr<core::SnapshotSource> makeLiveSource(const LiveSourceOptions& options = {});

enum class ActionStatus {
    Done,
    NoSuchProcess,   // gone already
    ProcessChanged,  // the PID now belongs to another process (start time differs)
    PermissionDenied,
    NotSupported,    // the kernel or OS lacks the feature
    NotFound,        // no such connection
    InvalidArgument,
    TimedOut,        // signal sent, but the process had not exited in time
    Failed,
};

struct ActionResult {
    ActionStatus status = ActionStatus::Failed;
    std::string message; // a sentence for users, naming the target and the reason
    bool ok() const { return status == ActionStatus::Done; }
};

// The identity of a running process now, for a kill confirmed by the user.
std::optional<core::ProcessKey> currentProcessKey(std::int32_t pid);
std::optional<core::Process> processDetails(const core::ProcessKey& key);

// Terminates the process only if its start time still matches `key`, so a recycled PID is
// never hit. Waits up to `waitForExit` for it to exit.
ActionResult killProcess(const core::ProcessKey& key,
                         std::chrono::milliseconds waitForExit = std::chrono::milliseconds(2000));

// Closes one TCP connection (Linux: SOCK_DESTROY; Windows: SetTcpEntry).
ActionResult closeConnection(const core::Socket& socket);

// Reads the program a process runs from the image it was started from, not from the path it
// had, so a file replaced or deleted since changes nothing. The process must still be `key`:
// its start time is checked before and after the image is opened (Linux: /proc/PID/exe, whose
// open descriptor pins the image). `consume` gets the bytes in order. *deletedFromDisk (may be
// null) tells whether the file is gone from its path, deleted or replaced.
using ImageChunkSink = std::function<void(std::string_view chunk)>;
ActionResult readExecutableImage(const core::ProcessKey& key, const ImageChunkSink& consume,
                                 bool* deletedFromDisk = nullptr);

// Creates `path` for data that may hold other users' details (recordings): open for writing,
// empty, readable and writable by its owner only whatever the umask. On Linux a symbolic link
// at `path`, anything but a regular file, and a file with other hard links are refused, so a
// planted link cannot turn the write against another file. Throws std::runtime_error naming
// the path and the reason.
core::UniqueFile createPrivateFile(const std::string& path);

std::string_view toString(ActionStatus status);

} // namespace portscope::platform
