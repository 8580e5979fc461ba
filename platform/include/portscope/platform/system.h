#pragma once
// What the rest of PortScope asks of the operating system. Each OS folder implements this
// header; CMake picks the folder. docs/architecture.md ("How to add a platform") says what
// platform/common provides for an implementation.
//
// The porting contract, which every implementation keeps:
//
// | call                   | called from                        | may block for          |
// |------------------------|------------------------------------|------------------------|
// | makeLiveSource, poll() | the engine thread (one per source) | one poll: tens of ms,  |
// |                        |                                    | a second at 100k socks |
// | killProcess            | a worker thread, never a UI thread | waitForExit + ~100 ms  |
// | closeConnection        | a worker thread, never a UI thread | about 2 s at most      |
// | currentProcessKey,     | any thread, the engine thread too  | a few file reads (ms); |
// | processDetails         | (through the details cache)        | never waits on a peer  |
// | host counters          | inside poll(), on the engine thread| a few file reads (ms)  |
//
// Every function here is safe to call from several threads at once, and while a live source
// polls on another thread; a SnapshotSource itself is used by one thread at a time.
//
// Permission denied is never an exception and never a crash:
// - killProcess and closeConnection return ActionStatus::PermissionDenied with a message
//   that says how to get the right (the administrator helper, "Run as administrator").
// - processDetails returns what could be read, with the parts that were refused named in
//   Process::detailsError ("exe: permission denied"); nullopt only when no such process
//   runs or it is not the one the key names.
// - currentProcessKey returns the key even when the process is closed to us; where its start
//   time cannot be read (Windows, protected processes) the start time is 0, and killProcess
//   then refuses to act on it.
// - Host counters that cannot be read leave HostCounters::present false, and the snapshot
//   carries a warning that says why.

#include "portscope/core/model.h"
#include "portscope/core/snapshot_source.h"
#include "portscope/core/unique_file.h"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace portscope::platform {

// Which sensor a live source should use (docs/sensor.md). Auto loads the eBPF sensor where
// the kernel and the privileges allow and otherwise polls, saying why in a warning; Bpf makes
// makeLiveSource throw core::SourceError with the reason when the sensor cannot load; Poll
// never loads it.
enum class SensorChoice : std::uint8_t { Poll, Auto, Bpf };
std::string_view toString(SensorChoice choice); // "poll", "auto", "bpf"
std::optional<SensorChoice> parseSensorChoice(std::string_view text);

struct LiveSourceOptions {
    SensorChoice sensor = SensorChoice::Poll;
    // The eBPF sensor's ring buffer for state changes, in bytes: a power of two of at least
    // one page; 0 means 8 MiB, some 150,000 state changes between two polls. The buffer for
    // probes of closed ports gets half of it. A source polled once needs little: creating
    // the buffers zeroes them.
    std::uint32_t sensorEventBufferBytes = 0;
    bool resolveOwners = true;
    // With the eBPF sensor loaded, full owner walks list every process's sockets through its
    // task_file iterator; false keeps them to /proc/PID/fd (for comparisons and benchmarks).
    bool sensorListsOwners = true;
    // With the eBPF sensor loaded, polls list TCP sockets through its tcp iterator instead of
    // the netlink dump (the same fields, a fraction of the cost); false keeps the dump.
    bool sensorListsTcp = true;
    bool includeOtherNamespaces = true;
    bool listenForCloseEvents = true;
    bool forceProcFallback = false; // read /proc/net text even when netlink works
    std::chrono::seconds fullOwnerRescanEvery{10};
    // Only the sockets these processes hold, found through their own descriptors instead of a
    // search through every process: what a capture of given PIDs needs, at a fraction of the
    // cost on a busy system. Empty: every socket. Only where socketsOfProcess() can answer
    // (Linux); elsewhere every socket is read.
    std::vector<std::int32_t> onlyProcesses;
};

std::unique_ptr<core::SnapshotSource> makeLiveSource(const LiveSourceOptions& options = {});

// Lets core advise the OS about the large buffers it fills on a busy system
// (core/large_buffers.h; Linux: transparent huge pages, elsewhere nothing). Process-wide, so
// a program calls it once at start, before its first poll. Without it everything works, only
// the first polls of a large system are slower.
void installLargeBufferAdvice();

enum class ActionStatus {
    Done,
    NoSuchProcess,  // gone already
    ProcessChanged, // the PID now belongs to another process (start time differs)
    PermissionDenied,
    NotSupported, // the kernel or OS lacks the feature
    NotFound,     // no such connection
    InvalidArgument,
    TimedOut, // signal sent, but the process had not exited in time
    Failed,
};

struct ActionResult {
    ActionResult() = default;
    ActionResult(ActionStatus status, std::string message, core::SystemText text = {})
        : status(status), message(std::move(message)), text(std::move(text)) {}

    ActionStatus status = ActionStatus::Failed;
    std::string message; // a sentence for users, naming the target and the reason, in English
    // The same sentence in parts, for a front end to word in its user's language (empty when
    // only `message` is known); wordedMessage() picks.
    core::SystemText text;
    bool ok() const { return status == ActionStatus::Done; }
};

// `result`'s sentence in parts: its text, or its English message as it is when it has none.
core::SystemText messageParts(const ActionResult& result);
// `result`'s sentence in the wording's language.
std::string wordedMessage(const ActionResult& result, const core::FindingWording& wording);

// The identity of a running process now, for a kill confirmed by the user.
std::optional<core::ProcessKey> currentProcessKey(std::int32_t pid);
std::optional<core::Process> processDetails(const core::ProcessKey& key);
// The sockets a process holds now, as sorted identities (Linux: inode numbers) that change
// when it opens or closes one: a cheap look at one process instead of a poll of the whole
// system. Nullopt when the process cannot be read or the system cannot tell.
std::optional<std::vector<std::uint64_t>> socketsOfProcess(std::int32_t pid);

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
