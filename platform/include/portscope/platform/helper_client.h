#pragma once
// The unprivileged side of privilege separation: starting portscope-helper (through pkexec)
// or adopting one that is already connected, reading its snapshots as a SnapshotSource, and
// asking it to kill processes and close connections. docs/helper-protocol.md describes the
// protocol and, in "For the GUI", how a front end uses this header.
//
// Threads: every method of HelperConnection may be called from any thread. Requests are
// serialised: a kill that waits for its process to exit delays the next poll until then.

#include "portscope/core/helper_protocol.h"
#include "portscope/core/snapshot_source.h"
#include "portscope/platform/elevation.h" // runningAsAdministrator(): no helper is needed
#include "portscope/platform/packet_capture.h"
#include "portscope/platform/ssh_remote.h"
#include "portscope/platform/system.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace portscope::platform {

// Why a helper could not be started, or why its session ended. A SourceError, so that an
// Engine polling a helper source reports it through onFinished like any source failure.
class HelperError : public core::SourceError {
public:
    using core::SourceError::SourceError;
};

struct HelperOptions {
    LiveSourceOptions source; // how the helper's live source reads the system
    // Longest wait for any reply but the handshake of a launch (see HelperLaunch).
    std::chrono::milliseconds replyTimeout{30'000};
};

struct HelperLaunch {
    std::string helperPath; // empty: defaultHelperPath()
    bool elevate = true;    // through pkexec, which asks the user for authorization
    // An absolute path, never looked up in $PATH: a program of the user's own on the PATH
    // could fake the authorization dialog.
    std::string pkexecPath = "/usr/bin/pkexec";
    // The handshake waits this long: with pkexec it includes the time the user takes to
    // answer the authorization dialog.
    std::chrono::milliseconds handshakeTimeout{std::chrono::minutes(5)};
};

// Where portscope-helper is: $PORTSCOPE_HELPER when set and `honourEnvironment`; else the
// installed location beside the running program (BINDIR/../libexec/portscope/
// portscope-helper); else the build tree's (app/helper/portscope-helper beside app/cli and
// app/gui); else the configured install path.
std::string defaultHelperPath(bool honourEnvironment);
// The same, honouring $PORTSCOPE_HELPER only in builds configured with
// PORTSCOPE_ALLOW_HELPER_OVERRIDE (the dev and asan presets); never in a package.
std::string defaultHelperPath();
bool helperOverrideAllowed();
// Why pkexec must not run `helperPath` as root; empty when it may. The file must be a
// regular file owned by root and writable by no one else, and so must every directory up
// to / (a directory with the sticky bit, like /tmp, may be writable by all), so that no
// other user can replace it between the check and the exec.
std::string elevationProblem(const std::string& helperPath);

struct HelperInfo {
    std::uint32_t protocolVersion = 0;
    std::int32_t pid = 0;
    std::uint32_t effectiveUid = 0; // 0: the helper runs as root
    bool launchedHere = false;      // started by launch() or connectOverSsh(), not adopted
    std::string remoteHost;         // "user@host:port" over ssh; empty on this machine
    // The sensor of the helper's live source; Poll unless HelperOptions asked for another.
    core::SensorMode sensor = core::SensorMode::Poll;
};

class HelperConnection : public std::enable_shared_from_this<HelperConnection> {
public:
    // Starts the helper with a socket pair on its stdin and stdout and completes the
    // handshake. Throws HelperError naming the reason: pkexec missing, authorization refused
    // or dismissed, the helper missing, a protocol version mismatch, a timeout.
    // The helper is started from a thread of the connection's own that lives as long as the
    // helper, so its parent-death signal fires only when this process ends.
    static std::shared_ptr<HelperConnection> launch(const HelperLaunch& launch,
                                                    const HelperOptions& options = {});
    // Starts the system's ssh client (ssh_remote.h: sshArguments()), which runs
    // portscope-helper on the target machine, and completes the handshake over that channel.
    // Throws HelperError with a plain sentence (explainSshFailure()): host unreachable,
    // authentication failed, host key unknown or changed, the helper not installed there,
    // another protocol version. A session that ends later fails the same way, saying that the
    // connection was lost.
    static std::shared_ptr<HelperConnection> connectOverSsh(const SshLaunch& launch,
                                                            const HelperOptions& options = {});
    // Uses descriptors already connected to a helper (they may be equal) and completes the
    // handshake; takes ownership of them. Throws HelperError.
    static std::shared_ptr<HelperConnection> adopt(int readFd, int writeFd,
                                                   const HelperOptions& options = {});

    // Says Goodbye, closes the connection and, for a launched helper, waits for it to exit.
    ~HelperConnection();
    HelperConnection(const HelperConnection&) = delete;
    HelperConnection& operator=(const HelperConnection&) = delete;

    const HelperInfo& info() const;
    bool connected() const;
    // Why the session ended; empty while connected.
    std::string failure() const;

    // One snapshot read by the helper. Throws HelperError when the session has ended or ends
    // now (the helper exited, answered with an Error, broke the protocol or timed out).
    core::Snapshot poll();
    // The helper's own checks and platform::killProcess / closeConnection, run as root.
    // Transport failures come back as ActionStatus::Failed with the reason.
    ActionResult killProcess(const core::ProcessKey& key,
                             std::chrono::milliseconds waitForExit = std::chrono::seconds(2));
    ActionResult closeConnection(const core::Socket& socket);
    // A packet capture run by the helper (which has CAP_NET_RAW), its packets streamed in
    // batches of at most 4 MB. It keeps the connection alive; one per connection at a time.
    // Throws CaptureError like openPacketCapture(), or when the session has ended.
    std::unique_ptr<PacketCapture> openCapture(const CaptureOptions& options);

    // Calls `onChanges` (from a thread of the connection's own, at most once between two
    // polls) when the helper's eBPF sensor has learnt of new or closed connections; an empty
    // function stops the calls. False, and no calls, unless the helper runs the eBPF sensor
    // (core::SnapshotSource::announceChanges).
    bool announceChanges(std::function<void()> onChanges);
    // Ends the session now (idempotent); later calls fail with HelperError.
    void disconnect();

    struct Impl;

private:
    explicit HelperConnection(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// A SnapshotSource that polls the helper; it keeps the connection alive. Its name says that
// the data comes from the helper.
std::unique_ptr<core::SnapshotSource> makeHelperSource(std::shared_ptr<HelperConnection> helper);

// The mappings both ends of the protocol share.
core::helper::ActionCode toActionCode(ActionStatus status);
ActionStatus toActionStatus(core::helper::ActionCode code);
std::uint32_t helloOptionsOf(const LiveSourceOptions& options);
LiveSourceOptions liveSourceOptionsOf(std::uint32_t helloOptions);

} // namespace portscope::platform
