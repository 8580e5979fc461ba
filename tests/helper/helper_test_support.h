#pragma once
// Processes for the privilege-separation tests: the real portscope-helper on a socket pair,
// spoken to frame by frame, and programs run as another user with descriptors handed over.

#include "portscope/core/helper_protocol.h"
#include "portscope/platform/helper_client.h"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace portscope::testing {

using namespace std::chrono_literals;

struct RawFrame {
    core::helper::FrameHeader header;
    std::string payload;
};

// portscope-helper started by this test (as the test's own user) with a socket pair on its
// stdin and stdout and its stderr in a file.
class HelperProcess {
public:
    explicit HelperProcess(const std::string& path = PORTSCOPE_HELPER_PATH);
    ~HelperProcess(); // SIGKILLs the helper if it still runs, and reaps it
    HelperProcess(const HelperProcess&) = delete;
    HelperProcess& operator=(const HelperProcess&) = delete;

    pid_t pid() const { return pid_; }
    int clientFd() const { return clientFd_; }
    // Hands our end of the connection over (for a client in another process); we close ours.
    int releaseClientFd();

    void sendBytes(std::string_view bytes);
    void send(std::uint32_t requestId, const core::helper::Message& message);
    // The next frame, decoded as a reply; nullopt at end of stream or after `timeout`.
    std::optional<RawFrame> readFrame(std::chrono::milliseconds timeout = 10s);
    // readFrame() plus decodePayload(); fails the test on a malformed reply.
    std::optional<core::helper::Message> readMessage(std::chrono::milliseconds timeout = 10s,
                                                     std::uint32_t* requestId = nullptr);
    // Sends a request and returns the decoded reply to it.
    std::optional<core::helper::Message> exchange(std::uint32_t requestId,
                                                  const core::helper::Message& request);
    // Hello, then the Welcome; fails the test if the handshake does not complete.
    core::helper::Welcome greet(std::uint32_t options = core::helper::kOwnNamespaceOnly);
    // Shuts down our sending side: the helper sees end of input.
    void closeInput();
    // The exit status once the helper has exited within `timeout`; -1 when killed by a
    // signal; nullopt when it still runs.
    std::optional<int> waitExit(std::chrono::milliseconds timeout);
    std::string errorOutput() const;

private:
    pid_t pid_ = -1;
    int clientFd_ = -1;
    std::string errorPath_;
    bool reaped_ = false;
};

// A launch of the helper built with the tests, as the test's own user, without pkexec.
platform::HelperLaunch unelevated();

struct RunResult {
    int exitCode = -1; // -1 when it did not exit normally
    std::string out;
    std::string err;
};

struct RunAs {
    std::optional<uid_t> uid; // switch to this user (and `gid`) before exec; needs root
    gid_t gid = 0;
    // (descriptor here, number in the child): handed to the program, everything else closed.
    std::vector<std::pair<int, int>> descriptors;
    std::chrono::milliseconds timeout = 60s;
};

// Runs a program to completion with stdout and stderr captured; kills it (by PID) after the
// timeout. Throws std::runtime_error when it cannot be started.
RunResult runProgramAs(const std::vector<std::string>& argv, const RunAs& how);

// The uid and gid of `nobody`, when that user exists.
std::optional<std::pair<uid_t, gid_t>> nobodyUser();

} // namespace portscope::testing
