// The client end of the helper protocol: blocking request/reply exchanges with deadlines over
// a socket pair (or the pipes it was handed), and the child process of a launched helper.

#include "portscope/platform/helper_client.h"

#include "linux/change_watcher.h"
#include "portscope/platform/ssh_remote.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <mutex>
#include <optional>
#include <poll.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace portscope::platform {

namespace protocol = core::helper;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds kExitGrace{5000};
constexpr std::size_t kReadSlice = 1u << 20;
// What is kept of a child's stderr: its end, where ssh says why it stopped.
constexpr std::size_t kErrorOutputLimit = 8192;
constexpr milliseconds kErrorPollInterval{200};

std::string errnoText(int error) {
    return std::strerror(error);
}

int millisecondsLeft(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, INT_MAX));
}

bool isSocket(int fd) {
    struct stat info {};
    return ::fstat(fd, &info) == 0 && S_ISSOCK(info.st_mode);
}

// A write that returns EPIPE instead of raising SIGPIPE, which would end a GUI that does not
// ignore it.
ssize_t writeWithoutSigpipe(int fd, const char* data, std::size_t size, bool socket) {
    if (socket) {
        return ::send(fd, data, size, MSG_NOSIGNAL);
    }
    sigset_t pipeSignal;
    sigemptyset(&pipeSignal);
    sigaddset(&pipeSignal, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    const bool alreadyPending = sigismember(&pending, SIGPIPE) == 1;
    sigset_t previous;
    pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous);
    const ssize_t written = ::write(fd, data, size);
    const int error = errno;
    if (written < 0 && error == EPIPE && !alreadyPending) {
        const timespec noWait{};
        sigtimedwait(&pipeSignal, nullptr, &noWait); // consume the SIGPIPE our write raised
    }
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    errno = error;
    return written;
}

std::string describeExit(int status, bool throughPkexec) {
    if (WIFSIGNALED(status)) {
        return std::string("was ended by signal ") + ::strsignal(WTERMSIG(status));
    }
    if (!WIFEXITED(status)) {
        return "ended";
    }
    const int code = WEXITSTATUS(status);
    if (throughPkexec && code == 126) {
        return "was not authorized: the authorization was refused or the dialog was dismissed "
               "(pkexec exit status 126)";
    }
    if (throughPkexec && code == 127) {
        return "could not be authorized: no polkit authentication agent is running, or polkit "
               "refused the request (pkexec exit status 127)";
    }
    switch (code) {
    case 0:
        return "exited normally";
    case 2:
        return "exited with status 2 (usage error)";
    case 3:
        return "exited with status 3 (it judged a request malformed)";
    default:
        return "exited with status " + std::to_string(code);
    }
}

// "/usr/libexec/portscope is writable by its group", or empty.
std::string writableBySomeoneElse(const std::filesystem::path& path, const struct stat& info) {
    const bool stickyDirectory = S_ISDIR(info.st_mode) && (info.st_mode & S_ISVTX) != 0;
    if ((info.st_mode & S_IWOTH) != 0 && !stickyDirectory) {
        return path.string() + " is writable by every user";
    }
    if ((info.st_mode & S_IWGRP) != 0 && !stickyDirectory) {
        return path.string() + " is writable by its group (gid " + std::to_string(info.st_gid) +
               ")";
    }
    return {};
}

// How a helper's process is started: pkexec or ssh in front of it, or the helper itself.
struct ChildLaunch {
    std::vector<std::string> argv;
    std::vector<std::string> extraEnvironment; // "NAME=VALUE", added to ours
    // Keep the end of its stderr (bounded) for error messages, instead of passing it through.
    bool captureErrors = false;
};

// The launched process. The thread that starts it also waits for it, so the helper's
// parent-death signal (tied to the thread that forked it) fires only when this process ends,
// and the exit status is collected for error messages.
struct ChildState {
    std::mutex mutex;
    std::condition_variable changed;
    bool spawnDone = false;
    int spawnError = 0;
    pid_t pid = 0;
    bool exited = false;
    int status = 0;
    std::string errorOutput; // the end of its stderr, when captured
};

std::vector<std::string> environmentWith(const std::vector<std::string>& extra) {
    std::vector<std::string> result;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        const std::string_view text(*entry);
        const bool replaced = std::any_of(extra.begin(), extra.end(), [&](const std::string& add) {
            const auto name = add.substr(0, add.find('=') + 1);
            return text.starts_with(name);
        });
        if (!replaced) {
            result.emplace_back(text);
        }
    }
    result.insert(result.end(), extra.begin(), extra.end());
    return result;
}

std::vector<char*> pointersTo(std::vector<std::string>& strings) {
    std::vector<char*> raw;
    for (auto& text : strings) {
        raw.push_back(text.data());
    }
    raw.push_back(nullptr);
    return raw;
}

// Reads the child's stderr into the state's bounded buffer until the child has exited, and
// returns its wait status. Bounded by the child's life; a grandchild that keeps the pipe
// open cannot hold up the wait.
int collectErrorsAndWait(pid_t pid, int errorFd, ChildState& state) {
    std::array<char, 4096> buffer{};
    auto drain = [&] {
        for (;;) {
            const ssize_t got = ::read(errorFd, buffer.data(), buffer.size());
            if (got < 0 && errno == EINTR) {
                continue;
            }
            if (got <= 0) {
                return got == 0; // end of stream
            }
            std::lock_guard lock(state.mutex);
            state.errorOutput.append(buffer.data(), static_cast<std::size_t>(got));
            if (state.errorOutput.size() > kErrorOutputLimit) {
                state.errorOutput.erase(0, state.errorOutput.size() - kErrorOutputLimit);
            }
        }
    };
    int status = 0;
    for (;;) {
        if (errorFd >= 0) {
            pollfd ready{errorFd, POLLIN, 0};
            if (::poll(&ready, 1, static_cast<int>(kErrorPollInterval.count())) > 0 && drain()) {
                ::close(errorFd);
                errorFd = -1;
            }
        }
        const pid_t done = ::waitpid(pid, &status, errorFd >= 0 ? WNOHANG : 0);
        if (done == pid) {
            break;
        }
        if (done < 0 && errno != EINTR) {
            break;
        }
    }
    if (errorFd >= 0) {
        drain();
        ::close(errorFd);
    }
    return status;
}

class ChildProcess {
public:
    ChildProcess(ChildLaunch launch, int childFd) : state_(std::make_shared<ChildState>()) {
        auto state = state_;
        int errorPipe[2] = {-1, -1};
        if (launch.captureErrors && ::pipe2(errorPipe, O_CLOEXEC | O_NONBLOCK) != 0) {
            errorPipe[0] = errorPipe[1] = -1;
        }
        thread_ = std::thread([state, launch = std::move(launch), childFd, errorPipe]() mutable {
            posix_spawn_file_actions_t actions;
            posix_spawn_file_actions_init(&actions);
            posix_spawn_file_actions_adddup2(&actions, childFd, STDIN_FILENO);
            posix_spawn_file_actions_adddup2(&actions, childFd, STDOUT_FILENO);
            if (errorPipe[1] >= 0) {
                posix_spawn_file_actions_adddup2(&actions, errorPipe[1], STDERR_FILENO);
            }
            // Nothing else of ours reaches a process that may run as root.
            posix_spawn_file_actions_addclosefrom_np(&actions, 3);
            auto argv = pointersTo(launch.argv);
            auto environment = environmentWith(launch.extraEnvironment);
            auto envp = pointersTo(environment);
            pid_t pid = 0;
            const int error = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(),
                                          launch.extraEnvironment.empty() ? environ : envp.data());
            posix_spawn_file_actions_destroy(&actions);
            if (errorPipe[1] >= 0) {
                ::close(errorPipe[1]);
            }
            {
                std::lock_guard lock(state->mutex);
                state->spawnDone = true;
                state->spawnError = error;
                state->pid = error == 0 ? pid : 0;
            }
            state->changed.notify_all();
            if (error != 0) {
                if (errorPipe[0] >= 0) {
                    ::close(errorPipe[0]);
                }
                return;
            }
            int status = 0;
            if (errorPipe[0] >= 0) {
                status = collectErrorsAndWait(pid, errorPipe[0], *state);
            } else {
                while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
                }
            }
            {
                std::lock_guard lock(state->mutex);
                state->exited = true;
                state->status = status;
            }
            state->changed.notify_all();
        });
        std::unique_lock lock(state_->mutex);
        state_->changed.wait(lock, [&] { return state_->spawnDone; });
    }

    ~ChildProcess() {
        if (!thread_.joinable()) {
            return;
        }
        if (waitForExit(kExitGrace)) {
            thread_.join();
            return;
        }
        // Our own helper ignored the closed connection; a root helper refuses this signal,
        // and then the thread is left to collect it whenever it exits.
        ::kill(pid(), SIGTERM);
        if (waitForExit(milliseconds(2000))) {
            thread_.join();
        } else {
            thread_.detach();
        }
    }
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    int spawnError() const { return state_->spawnError; }
    pid_t pid() const { return state_->pid; }

    bool waitForExit(milliseconds timeout) {
        std::unique_lock lock(state_->mutex);
        return state_->changed.wait_for(lock, timeout, [&] { return state_->exited; });
    }

    // The wait status once it has exited within `wait`.
    std::optional<int> exitStatus(milliseconds wait) {
        if (!waitForExit(wait)) {
            return std::nullopt;
        }
        std::lock_guard lock(state_->mutex);
        return state_->status;
    }

    std::string errorOutput() const {
        std::lock_guard lock(state_->mutex);
        return state_->errorOutput;
    }

private:
    std::shared_ptr<ChildState> state_;
    std::thread thread_;
};

class HelperSource final : public core::SnapshotSource {
public:
    explicit HelperSource(std::shared_ptr<HelperConnection> helper) : helper_(std::move(helper)) {
        const auto& info = helper_->info();
        const std::string where = info.remoteHost.empty() ? "" : " on " + info.remoteHost;
        name_ = "portscope-helper" + where + " (" +
                (info.effectiveUid == 0 ? std::string("root")
                                        : "uid " + std::to_string(info.effectiveUid)) +
                ", PID " + std::to_string(info.pid) + ")";
    }

    std::optional<core::Snapshot> poll() override {
        auto snapshot = helper_->poll();
        snapshot.sourceName += " via " + name_;
        snapshot.sensor = sensor();
        return snapshot;
    }
    std::string name() const override { return name_; }
    core::SensorMode sensor() const override { return helper_->info().sensor; }
    bool announceChanges(std::function<void()> onChanges) override {
        return helper_->announceChanges(std::move(onChanges));
    }

private:
    std::shared_ptr<HelperConnection> helper_;
    std::string name_;
};

} // namespace

struct HelperConnection::Impl {
    std::mutex mutex; // one exchange at a time
    int readFd = -1;
    int writeFd = -1;
    bool writeIsSocket = false;
    bool isConnected = false;
    std::string failureReason;
    std::uint32_t nextRequestId = 1;
    HelperOptions options;
    HelperInfo info;
    std::unique_ptr<ChildProcess> child; // a launched helper, or the ssh client in front of it
    bool throughPkexec = false;
    std::optional<SshLaunch> ssh; // the helper runs on another machine
    bool versionMismatch = false;
    std::string payload; // reused between replies
    // Waits for the helper's ChangesPending between requests; made by announceChanges().
    std::unique_ptr<linuxsys::ChangeWatcher> changeWatcher;

    ~Impl() {
        endSession(true);
        child.reset(); // waits for a launched helper to exit
    }

    void closeDescriptors() {
        if (readFd >= 0) {
            ::close(readFd);
        }
        if (writeFd >= 0 && writeFd != readFd) {
            ::close(writeFd);
        }
        readFd = writeFd = -1;
    }

    // Closing the connection is what ends the helper: it exits at end of input.
    void endSession(bool sayGoodbye) {
        if (changeWatcher) {
            changeWatcher->setCallback({}); // it polls readFd, which closes below
        }
        if (isConnected && sayGoodbye) {
            const std::string goodbye = protocol::encodeFrame(nextRequestId++, protocol::Goodbye{});
            // A helper that has already gone needs no goodbye; closing below ends it anyway.
            std::string unsent;
            writeAll(goodbye, Clock::now() + milliseconds(500), unsent);
        }
        isConnected = false;
        closeDescriptors();
    }

    [[noreturn]] void breakSession(std::string reason) {
        endSession(false);
        if (child) {
            reason = explainEnd(std::move(reason));
        }
        failureReason = reason;
        throw HelperError(reason);
    }

    // The reason in the words of the transport: the helper's exit status, or for ssh what
    // went wrong with the connection.
    std::string explainEnd(std::string reason) {
        const auto status = child->exitStatus(milliseconds(1000));
        if (ssh) {
            SshOutcome outcome{std::move(reason), status, child->errorOutput(), info.pid != 0,
                               versionMismatch};
            return explainSshFailure(ssh->target, outcome);
        }
        if (status) {
            reason += " (the helper " + describeExit(*status, throughPkexec) + ")";
        }
        return reason;
    }

    bool writeAll(std::string_view data, Clock::time_point deadline, std::string& error) {
        while (!data.empty()) {
            pollfd ready{writeFd, POLLOUT, 0};
            const int polled = ::poll(&ready, 1, millisecondsLeft(deadline));
            if (polled < 0 && errno == EINTR) {
                continue;
            }
            if (polled < 0) {
                error = "waiting to write failed: " + errnoText(errno);
                return false;
            }
            if (polled == 0) {
                error = "the helper did not take the request in time";
                return false;
            }
            const ssize_t written =
                writeWithoutSigpipe(writeFd, data.data(), data.size(), writeIsSocket);
            if (written < 0 && (errno == EINTR || errno == EAGAIN)) {
                continue;
            }
            if (written < 0) {
                error = errno == EPIPE || errno == ECONNRESET
                            ? std::string("the helper closed the connection")
                            : "writing to the helper failed: " + errnoText(errno);
                return false;
            }
            data.remove_prefix(static_cast<std::size_t>(written));
        }
        return true;
    }

    bool readExactly(char* out, std::size_t size, Clock::time_point deadline, std::string& error) {
        std::size_t done = 0;
        while (done < size) {
            pollfd ready{readFd, POLLIN, 0};
            const int polled = ::poll(&ready, 1, millisecondsLeft(deadline));
            if (polled < 0 && errno == EINTR) {
                continue;
            }
            if (polled < 0) {
                error = "waiting for the helper failed: " + errnoText(errno);
                return false;
            }
            if (polled == 0) {
                error = "the helper did not answer in time";
                return false;
            }
            const ssize_t got = ::read(readFd, out + done, size - done);
            if (got < 0 && (errno == EINTR || errno == EAGAIN)) {
                continue;
            }
            if (got < 0 && errno != ECONNRESET) {
                error = "reading from the helper failed: " + errnoText(errno);
                return false;
            }
            if (got <= 0) { // end of stream, or a reset: it went away without reading all
                error = done == 0 ? "the helper closed the connection"
                                  : "the helper closed the connection in the middle of a frame";
                return false;
            }
            done += static_cast<std::size_t>(got);
        }
        return true;
    }

    void send(std::uint32_t requestId, const protocol::Message& message) {
        if (!isConnected) {
            throw HelperError(failureReason.empty() ? "the helper session has ended"
                                                    : failureReason);
        }
        std::string error;
        if (!writeAll(protocol::encodeFrame(requestId, message),
                      Clock::now() + options.replyTimeout, error)) {
            breakSession("Cannot send a request to the helper: " + error);
        }
    }

    // The reply to `requestId`, which must be of type `expected`. An Error reply, anything
    // else, or a malformed frame ends the session.
    protocol::Message receive(std::uint32_t requestId, protocol::MessageType expected,
                              milliseconds timeout) {
        const auto deadline = Clock::now() + timeout;
        std::string error;
        protocol::DecodeError decodeError;
        std::optional<protocol::FrameHeader> header;
        do {
            header = readHeader(deadline, error, decodeError);
            if (!error.empty()) {
                breakSession("No answer from the helper: " + error);
            }
        } while (header && tookAnnouncement(*header, decodeError));
        if (!header || !decodeError.message.empty()) {
            breakSession("The helper broke the protocol: " + decodeError.message);
        }
        if (header->type != expected && header->type != protocol::MessageType::Error) {
            breakSession("The helper broke the protocol: it sent " +
                         std::string(protocol::toString(header->type)) + " where " +
                         std::string(protocol::toString(expected)) + " was due");
        }
        if (header->requestId != requestId && header->type != protocol::MessageType::Error) {
            breakSession("The helper broke the protocol: a reply to request " +
                         std::to_string(header->requestId) + " came while request " +
                         std::to_string(requestId) + " was waiting");
        }
        // Read in slices so that a false length on a short stream allocates little.
        payload.clear();
        while (payload.size() < header->length) {
            const std::size_t before = payload.size();
            const std::size_t want = std::min<std::size_t>(kReadSlice, header->length - before);
            payload.resize(before + want);
            if (!readExactly(payload.data() + before, want, deadline, error)) {
                breakSession("Incomplete answer from the helper: " + error);
            }
        }
        auto message = protocol::decodePayload(*header, payload, &decodeError);
        if (payload.capacity() > 4 * kReadSlice && payload.size() < kReadSlice) {
            payload.shrink_to_fit();
        }
        if (!message) {
            breakSession("The helper broke the protocol: " + decodeError.message);
        }
        if (const auto* failure = std::get_if<protocol::ErrorReply>(&*message)) {
            versionMismatch = failure->code == protocol::ErrorCode::UnsupportedVersion;
            breakSession("The helper ended the session (" +
                         std::string(protocol::toString(failure->code)) + "): " + failure->message);
        }
        return std::move(*message);
    }

    // The next frame's header; nullopt with `error` (transport) or `decodeError` set.
    std::optional<protocol::FrameHeader> readHeader(Clock::time_point deadline, std::string& error,
                                                    protocol::DecodeError& decodeError) {
        std::array<char, protocol::kHeaderSize> headerBytes{};
        if (!readExactly(headerBytes.data(), headerBytes.size(), deadline, error)) {
            return std::nullopt;
        }
        return protocol::decodeHeader(std::string_view(headerBytes.data(), headerBytes.size()),
                                      protocol::Direction::ToClient, &decodeError);
    }

    // Whether `header` was a ChangesPending, which comes unasked and is passed on to the
    // watcher; one that breaks its form (a request id, a payload) sets `decodeError`.
    bool tookAnnouncement(const protocol::FrameHeader& header, protocol::DecodeError& decodeError) {
        if (header.type != protocol::MessageType::ChangesPending) {
            return false;
        }
        if (header.requestId != 0 || header.length != 0) {
            decodeError.message = "a ChangesPending with request id " +
                                  std::to_string(header.requestId) + " and " +
                                  std::to_string(header.length) + " bytes";
            return false;
        }
        if (changeWatcher) {
            changeWatcher->notify();
        }
        return true;
    }

    // On the watcher's thread, when readFd is readable: between two requests only a
    // ChangesPending may come. False when a request is under way (its reader takes the
    // frame) or nothing is there after all.
    bool takeAnnouncementBetweenRequests() {
        std::unique_lock lock(mutex, std::try_to_lock);
        if (!lock.owns_lock() || !isConnected) {
            return false;
        }
        pollfd ready{readFd, POLLIN, 0};
        if (::poll(&ready, 1, 0) != 1) {
            return false;
        }
        std::string error;
        protocol::DecodeError decodeError;
        const auto header = readHeader(Clock::now() + options.replyTimeout, error, decodeError);
        if (header && tookAnnouncement(*header, decodeError)) {
            return true;
        }
        // The session is over; the next request says why. Descriptors are closed by
        // endSession() on another thread, which stops this watcher first.
        isConnected = false;
        failureReason = !error.empty() ? "The helper connection was lost: " + error
                        : !header || !decodeError.message.empty()
                            ? "The helper broke the protocol: " + decodeError.message
                            : "The helper broke the protocol: it sent " +
                                  std::string(protocol::toString(header->type)) +
                                  " while no request was waiting";
        return true; // the engine polls at once and reports it
    }

    void handshake(milliseconds timeout) {
        isConnected = true;
        const std::uint32_t id = nextRequestId++;
        // This client reads ChangesPending between its requests (it comes only from a helper
        // whose eBPF sensor runs), whether or not anything asks for announceChanges().
        send(id, protocol::Hello{protocol::kVersion,
                                 helloOptionsOf(options.source) | protocol::kAnnounceChanges});
        auto reply = receive(id, protocol::MessageType::Welcome, timeout);
        const auto& welcome = std::get<protocol::Welcome>(reply);
        if (welcome.version != protocol::kVersion) {
            versionMismatch = true;
            breakSession("The helper speaks protocol version " + std::to_string(welcome.version) +
                         ", this program version " + std::to_string(protocol::kVersion));
        }
        info.protocolVersion = welcome.version;
        info.pid = welcome.helperPid;
        info.effectiveUid = welcome.effectiveUid;
        if (options.source.sensor != SensorChoice::Poll) {
            selectSensor(timeout);
        }
    }

    // Asks the helper for the eBPF sensor, which it can load as root. Where it cannot, `auto`
    // keeps the polling helper (its snapshots say why) and `bpf` ends the session with the
    // reason.
    void selectSensor(milliseconds timeout) {
        const std::uint32_t id = nextRequestId++;
        const auto wanted = options.source.sensor == SensorChoice::Bpf
                                ? protocol::SensorRequest::Bpf
                                : protocol::SensorRequest::Auto;
        send(id, protocol::SensorSelect{wanted});
        auto reply = receive(id, protocol::MessageType::SensorStatus, timeout);
        const auto& status = std::get<protocol::SensorStatus>(reply);
        info.sensor = status.sensor;
        if (wanted == protocol::SensorRequest::Bpf && status.sensor != core::SensorMode::Bpf) {
            breakSession("The helper cannot run the eBPF sensor: " + status.message);
        }
    }

    // One request and its reply of type `expected`; throws HelperError as receive() does.
    protocol::Message exchange(const protocol::Message& request, protocol::MessageType expected,
                               milliseconds timeout) {
        std::lock_guard lock(mutex);
        if (!isConnected) {
            throw HelperError(
                "the administrator helper is not running (" +
                (failureReason.empty() ? std::string("disconnected") : failureReason) + ")");
        }
        const std::uint32_t id = nextRequestId++;
        send(id, request);
        return receive(id, expected, timeout);
    }

    ActionResult act(const protocol::Message& request, milliseconds timeout,
                     const std::string& what) {
        std::lock_guard lock(mutex);
        if (!isConnected) {
            return {ActionStatus::Failed,
                    "Cannot " + what +
                        ": the administrator helper is not "
                        "running (" +
                        (failureReason.empty() ? std::string("disconnected") : failureReason) +
                        ")."};
        }
        try {
            const std::uint32_t id = nextRequestId++;
            send(id, request);
            auto reply = receive(id, protocol::MessageType::ActionReply, timeout);
            auto& answer = std::get<protocol::ActionReply>(reply);
            std::string english = answer.message.english();
            return {toActionStatus(answer.code), std::move(english), std::move(answer.message)};
        } catch (const HelperError& error) {
            return {ActionStatus::Failed, "Cannot " + what + ": " + error.what()};
        }
    }
};

namespace {

// A connection to a child started with a socket pair on its stdin and stdout.
std::unique_ptr<HelperConnection::Impl> startChild(ChildLaunch launch, const HelperOptions& options,
                                                   const std::string& what) {
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
        throw HelperError("Cannot start " + what + ": socketpair failed (" + errnoText(errno) +
                          ").");
    }
    const std::string program = launch.argv.front();
    auto impl = std::make_unique<HelperConnection::Impl>();
    impl->readFd = impl->writeFd = pair[0];
    impl->writeIsSocket = true;
    impl->options = options;
    impl->info.launchedHere = true;
    impl->child = std::make_unique<ChildProcess>(std::move(launch), pair[1]);
    ::close(pair[1]);
    if (const int error = impl->child->spawnError(); error != 0) {
        throw HelperError("Cannot start " + program + ": " + errnoText(error) + ".");
    }
    return impl;
}
// A capture in the helper: each read() is one ReadPackets exchange.
class HelperCapture final : public PacketCapture {
public:
    static constexpr std::uint32_t kBatchBytes = 4u << 20;

    HelperCapture(std::shared_ptr<HelperConnection> owner, HelperConnection::Impl& impl,
                  std::vector<CapturedInterface> interfaces, bool bySocket)
        : owner_(std::move(owner)), impl_(impl), interfaces_(std::move(interfaces)),
          statistics_(interfaces_.size()), bySocket_(bySocket) {}

    ~HelperCapture() override {
        try {
            impl_.exchange(protocol::StopCapture{}, protocol::MessageType::ActionReply,
                           impl_.options.replyTimeout);
        } catch (const HelperError&) {
            // The session has ended: so has the capture.
        }
    }
    HelperCapture(const HelperCapture&) = delete;
    HelperCapture& operator=(const HelperCapture&) = delete;

    const std::vector<CapturedInterface>& interfaces() const override { return interfaces_; }

    void setFilter(const std::string& expression) override {
        if (expression.size() > protocol::kMaxCaptureFilterBytes) {
            throw CaptureError(CaptureError::Kind::BadFilter,
                               "the capture filter is longer than the helper takes");
        }
        auto reply =
            call(protocol::SetCaptureFilter{expression}, protocol::MessageType::ActionReply);
        const auto& answer = std::get<protocol::ActionReply>(reply);
        if (answer.code != protocol::ActionCode::Done) {
            throw CaptureError(CaptureError::Kind::BadFilter, answer.message.english());
        }
    }

    std::size_t read(std::chrono::milliseconds timeout, std::size_t maxPackets,
                     const std::function<void(const CapturedPacket&)>& onPacket) override {
        const auto wait = std::clamp<milliseconds>(timeout, milliseconds(0),
                                                   milliseconds(protocol::kMaxReadPacketsWaitMs));
        auto reply =
            call(protocol::ReadPackets{static_cast<std::uint32_t>(wait.count()), kBatchBytes},
                 protocol::MessageType::PacketBatch);
        auto& batch = std::get<protocol::PacketBatch>(reply);
        for (std::size_t i = 0; i < batch.counters.size() && i < statistics_.size(); ++i) {
            statistics_[i] = {batch.counters[i].received, batch.counters[i].dropped,
                              batch.counters[i].droppedByInterface};
        }
        // The batch may hold more than maxPackets; all are delivered rather than lost.
        (void)maxPackets;
        for (const auto& packet : batch.packets) {
            if (packet.interface >= interfaces_.size()) {
                throw CaptureError(CaptureError::Kind::Failed,
                                   "the helper sent a packet of an unknown interface");
            }
            CapturedPacket captured;
            captured.interface = packet.interface;
            captured.timestampNs = packet.timestampNs;
            captured.originalLength = packet.originalLength;
            captured.data = packet.data;
            captured.socket = {packet.cookie, packet.creatorPid};
            captured.direction = packet.direction;
            onPacket(captured);
        }
        return batch.packets.size();
    }

    std::vector<CaptureStatistics> statistics() override { return statistics_; }

    bool selectsBySocket() const override { return bySocket_; }

    void selectSockets(const core::SocketSelection& selection) override {
        protocol::SelectSockets request{wireSelection(selection)};
        auto reply = call(request, protocol::MessageType::ActionReply);
        const auto& answer = std::get<protocol::ActionReply>(reply);
        if (answer.code != protocol::ActionCode::Done) {
            throw CaptureError(CaptureError::Kind::Failed,
                               "the helper cannot select the sockets to capture: " +
                                   answer.message.english());
        }
    }

private:
    // The selection as the protocol takes it: each list strictly ascending, no PID or port it
    // refuses. Throws CaptureError when it is larger than the helper takes.
    static core::SocketSelection wireSelection(core::SocketSelection selection) {
        auto normalize = [](auto& items, auto isValid) {
            std::sort(items.begin(), items.end());
            items.erase(std::unique(items.begin(), items.end()), items.end());
            std::erase_if(items, [&](const auto& item) { return !isValid(item); });
        };
        normalize(selection.sockets, [](std::uint64_t) { return true; });
        normalize(selection.processes, [](std::int32_t pid) { return pid > 0; });
        normalize(selection.listeningPorts, [](const core::SocketSelection::Port& port) {
            return port.port != 0 &&
                   (port.protocol == core::Protocol::Tcp || port.protocol == core::Protocol::Udp);
        });
        if (selection.sockets.size() > protocol::kMaxSelectedSockets ||
            selection.processes.size() > protocol::kMaxSelectedProcesses ||
            selection.listeningPorts.size() > protocol::kMaxSelectedPorts) {
            throw CaptureError(CaptureError::Kind::Failed,
                               "the selection of " + std::to_string(selection.sockets.size()) +
                                   " sockets, " + std::to_string(selection.processes.size()) +
                                   " processes and " +
                                   std::to_string(selection.listeningPorts.size()) +
                                   " listening ports is larger than the helper takes (" +
                                   std::to_string(protocol::kMaxSelectedSockets) + ", " +
                                   std::to_string(protocol::kMaxSelectedProcesses) + " and " +
                                   std::to_string(protocol::kMaxSelectedPorts) + ")");
        }
        return selection;
    }

    protocol::Message call(const protocol::Message& request, protocol::MessageType expected) {
        try {
            return impl_.exchange(request, expected,
                                  impl_.options.replyTimeout + milliseconds(1000));
        } catch (const HelperError& error) {
            throw CaptureError(CaptureError::Kind::Failed,
                               std::string("the capture through the helper ended: ") +
                                   error.what());
        }
    }

    std::shared_ptr<HelperConnection> owner_; // keeps the session open
    HelperConnection::Impl& impl_;
    std::vector<CapturedInterface> interfaces_;
    std::vector<CaptureStatistics> statistics_;
    bool bySocket_ = false;
};

} // namespace

HelperConnection::HelperConnection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

std::unique_ptr<PacketCapture> HelperConnection::openCapture(const CaptureOptions& options) {
    protocol::StartCapture request;
    request.snapLength = std::min(options.snapLength, protocol::kMaxSnapLength);
    request.interfaces = options.interfaces;
    request.bySocket = options.bySocket;
    if (request.bySocket && !request.interfaces.empty()) {
        throw CaptureError(CaptureError::Kind::NotSupported,
                           "A capture by socket takes the packets of every interface; it cannot "
                           "be limited to some.");
    }
    if (request.interfaces.size() > protocol::kMaxCaptureInterfaces) {
        throw CaptureError(CaptureError::Kind::Failed,
                           "the helper captures on at most " +
                               std::to_string(protocol::kMaxCaptureInterfaces) + " interfaces");
    }
    protocol::Message reply;
    try {
        // The first filter passes nothing: the caller sets the real one. A capture by socket
        // keeps nothing until its sockets are selected, and its filter is the user's alone.
        request.filter = request.bySocket ? "" : core::PacketAttributor::kNothing;
        reply = impl_->exchange(request, protocol::MessageType::CaptureStarted,
                                impl_->options.replyTimeout);
    } catch (const HelperError& error) {
        throw CaptureError(CaptureError::Kind::Failed,
                           std::string("cannot capture through the helper: ") + error.what());
    }
    const auto& started = std::get<protocol::CaptureStarted>(reply);
    if (started.code != protocol::ActionCode::Done) {
        throw CaptureError(started.code == protocol::ActionCode::PermissionDenied
                               ? CaptureError::Kind::PermissionDenied
                           : started.code == protocol::ActionCode::NotSupported
                               ? CaptureError::Kind::NotSupported
                               : CaptureError::Kind::Failed,
                           "the helper cannot capture: " + started.message);
    }
    std::vector<CapturedInterface> interfaces;
    for (const auto& interface : started.interfaces) {
        interfaces.push_back({interface.name, interface.linkType, interface.snapLength});
    }
    return std::make_unique<HelperCapture>(shared_from_this(), *impl_, std::move(interfaces),
                                           request.bySocket);
}

HelperConnection::~HelperConnection() = default;

std::shared_ptr<HelperConnection> HelperConnection::launch(const HelperLaunch& launch,
                                                           const HelperOptions& options) {
    std::string helperPath = launch.helperPath.empty() ? defaultHelperPath() : launch.helperPath;
    if (::access(helperPath.c_str(), X_OK) != 0) {
        throw HelperError("Cannot start the administrator helper: " + helperPath + " " +
                          (errno == ENOENT ? std::string("does not exist")
                                           : "is not executable (" + errnoText(errno) + ")") +
                          ". Is PortScope fully installed?");
    }
    std::error_code ignored;
    const auto canonical = std::filesystem::canonical(helperPath, ignored);
    if (!canonical.empty()) {
        helperPath = canonical.string(); // the polkit policy names the real path
    }
    std::vector<std::string> argv;
    if (launch.elevate) {
        const std::string& pkexec = launch.pkexecPath;
        if (pkexec.empty() || pkexec.front() != '/') {
            throw HelperError("Cannot ask for administrator rights: pkexec must be named by an "
                              "absolute path, not \"" +
                              pkexec + "\".");
        }
        if (::access(pkexec.c_str(), X_OK) != 0) {
            throw HelperError("Cannot ask for administrator rights: " + pkexec +
                              " was not found. Install the 'pkexec' package (polkit).");
        }
        if (auto problem = elevationProblem(helperPath); !problem.empty()) {
            throw HelperError("Cannot start the administrator helper: " + problem +
                              ". pkexec would run it as root, so it must belong to root and be "
                              "writable by no one else; use the installed "
                              "/usr/libexec/portscope/portscope-helper.");
        }
        argv = {pkexec, helperPath};
    } else {
        argv = {helperPath};
    }

    auto impl = startChild(ChildLaunch{argv, {}, false}, options, "the administrator helper");
    impl->throughPkexec = launch.elevate;
    try {
        impl->handshake(launch.handshakeTimeout);
    } catch (const HelperError& error) {
        throw HelperError(std::string("The administrator helper did not start: ") + error.what());
    }
    return std::shared_ptr<HelperConnection>(new HelperConnection(std::move(impl)));
}

std::shared_ptr<HelperConnection> HelperConnection::connectOverSsh(const SshLaunch& launch,
                                                                   const HelperOptions& options) {
    if (auto problem = sshLaunchProblem(launch); !problem.empty()) {
        throw HelperError("Cannot connect to " + launch.target.display() + ": " + problem + ".");
    }
    if (::access(launch.sshPath.c_str(), X_OK) != 0) {
        throw HelperError("Cannot connect to " + launch.target.display() + ": " + launch.sshPath +
                          " was not found. Install the 'openssh-client' package.");
    }
    auto impl =
        startChild(ChildLaunch{sshArguments(launch), sshEnvironment(launch), true}, options, "ssh");
    impl->ssh = launch;
    impl->info.remoteHost = launch.target.display();
    impl->handshake(launch.handshakeTimeout);
    return std::shared_ptr<HelperConnection>(new HelperConnection(std::move(impl)));
}

std::shared_ptr<HelperConnection> HelperConnection::adopt(int readFd, int writeFd,
                                                          const HelperOptions& options) {
    auto impl = std::make_unique<Impl>();
    impl->readFd = readFd;
    impl->writeFd = writeFd;
    impl->options = options;
    for (const int fd : {readFd, writeFd}) {
        if (fd < 0 || ::fcntl(fd, F_GETFD) < 0) {
            throw HelperError("Cannot use descriptor " + std::to_string(fd) +
                              " for the helper: it is not open.");
        }
        ::fcntl(fd, F_SETFD, FD_CLOEXEC); // not for programs we start later
    }
    impl->writeIsSocket = isSocket(writeFd);
    try {
        impl->handshake(options.replyTimeout);
    } catch (const HelperError& error) {
        throw HelperError(std::string("The helper on descriptors ") + std::to_string(readFd) + "," +
                          std::to_string(writeFd) + " did not answer: " + error.what());
    }
    return std::shared_ptr<HelperConnection>(new HelperConnection(std::move(impl)));
}

const HelperInfo& HelperConnection::info() const {
    return impl_->info;
}

bool HelperConnection::connected() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->isConnected;
}

std::string HelperConnection::failure() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->failureReason;
}

core::Snapshot HelperConnection::poll() {
    std::lock_guard lock(impl_->mutex);
    const std::uint32_t id = impl_->nextRequestId++;
    impl_->send(id, protocol::Poll{});
    auto reply =
        impl_->receive(id, protocol::MessageType::SnapshotData, impl_->options.replyTimeout);
    if (impl_->changeWatcher) {
        impl_->changeWatcher->rearm(); // the helper announces what it learns from now on
    }
    return std::move(std::get<protocol::SnapshotData>(reply).snapshot);
}

bool HelperConnection::announceChanges(std::function<void()> onChanges) {
    if (!onChanges) {
        // Stops the calls whatever became of the session: the caller may be going away.
        if (impl_->changeWatcher) {
            impl_->changeWatcher->setCallback({});
        }
        return true;
    }
    {
        std::lock_guard lock(impl_->mutex);
        if (!impl_->isConnected || impl_->info.sensor != core::SensorMode::Bpf) {
            return false; // only the eBPF sensor learns of changes between polls
        }
        if (!impl_->changeWatcher) {
            impl_->changeWatcher =
                std::make_unique<linuxsys::ChangeWatcher>(impl_->readFd, [impl = impl_.get()] {
                    return impl->takeAnnouncementBetweenRequests();
                });
        }
    }
    // Outside the lock: stopping waits for the watcher, which may be trying to take it.
    impl_->changeWatcher->setCallback(std::move(onChanges));
    return true;
}

ActionResult HelperConnection::killProcess(const core::ProcessKey& key,
                                           std::chrono::milliseconds waitForExit) {
    const auto wait = std::clamp<milliseconds>(waitForExit, milliseconds(0),
                                               milliseconds(protocol::kMaxKillWaitMs));
    protocol::KillRequest request{key, static_cast<std::uint32_t>(wait.count())};
    return impl_->act(request, wait + impl_->options.replyTimeout,
                      "stop PID " + std::to_string(key.pid));
}

ActionResult HelperConnection::closeConnection(const core::Socket& socket) {
    return impl_->act(protocol::CloseRequest{socket}, impl_->options.replyTimeout,
                      "close " + socket.local.toString() + " -> " + socket.remote.toString());
}

void HelperConnection::disconnect() {
    std::lock_guard lock(impl_->mutex);
    if (impl_->isConnected) {
        impl_->endSession(true);
        impl_->failureReason = "the helper session was ended";
    }
}

std::unique_ptr<core::SnapshotSource> makeHelperSource(std::shared_ptr<HelperConnection> helper) {
    return std::make_unique<HelperSource>(std::move(helper));
}

bool helperOverrideAllowed() {
#if defined(PORTSCOPE_ALLOW_HELPER_OVERRIDE)
    return true;
#else
    return false;
#endif
}

std::string defaultHelperPath() {
    return defaultHelperPath(helperOverrideAllowed());
}

std::string defaultHelperPath(bool honourEnvironment) {
    if (const char* configured = std::getenv("PORTSCOPE_HELPER");
        honourEnvironment && configured != nullptr && *configured != '\0') {
        return configured;
    }
    std::vector<std::filesystem::path> candidates;
    std::error_code error;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
    if (!error) {
        const auto dir = exe.parent_path();
        candidates.push_back(dir / "../libexec/portscope/portscope-helper");
        candidates.push_back(dir / "../helper/portscope-helper");
    }
    candidates.emplace_back("/usr/libexec/portscope/portscope-helper");
    candidates.emplace_back("/usr/local/libexec/portscope/portscope-helper");
    for (const auto& candidate : candidates) {
        if (::access(candidate.c_str(), X_OK) == 0) {
            return candidate.lexically_normal().string();
        }
    }
    return "/usr/libexec/portscope/portscope-helper";
}

std::string elevationProblem(const std::string& helperPath) {
    std::error_code error;
    std::filesystem::path path = std::filesystem::canonical(helperPath, error);
    if (error) {
        return helperPath + " cannot be resolved (" + error.message() + ")";
    }
    // A canonical path has no symbolic links, "." or ".."; each step up is a real parent.
    for (bool file = true;; file = false) {
        struct stat info {};
        if (::lstat(path.c_str(), &info) != 0) {
            return path.string() + " cannot be examined (" + errnoText(errno) + ")";
        }
        if (file && !S_ISREG(info.st_mode)) {
            return path.string() + " is not a regular file";
        }
        if (info.st_uid != 0) {
            return path.string() + " is owned by uid " + std::to_string(info.st_uid) +
                   ", not by root";
        }
        if (auto writable = writableBySomeoneElse(path, info); !writable.empty()) {
            return writable;
        }
        if (path == path.root_path()) {
            return {};
        }
        path = path.parent_path();
    }
}

protocol::ActionCode toActionCode(ActionStatus status) {
    switch (status) {
    case ActionStatus::Done:
        return protocol::ActionCode::Done;
    case ActionStatus::NoSuchProcess:
        return protocol::ActionCode::NoSuchProcess;
    case ActionStatus::ProcessChanged:
        return protocol::ActionCode::ProcessChanged;
    case ActionStatus::PermissionDenied:
        return protocol::ActionCode::PermissionDenied;
    case ActionStatus::NotSupported:
        return protocol::ActionCode::NotSupported;
    case ActionStatus::NotFound:
        return protocol::ActionCode::NotFound;
    case ActionStatus::InvalidArgument:
        return protocol::ActionCode::InvalidArgument;
    case ActionStatus::TimedOut:
        return protocol::ActionCode::TimedOut;
    case ActionStatus::Failed:
        return protocol::ActionCode::Failed;
    }
    return protocol::ActionCode::Failed;
}

ActionStatus toActionStatus(protocol::ActionCode code) {
    switch (code) {
    case protocol::ActionCode::Done:
        return ActionStatus::Done;
    case protocol::ActionCode::NoSuchProcess:
        return ActionStatus::NoSuchProcess;
    case protocol::ActionCode::ProcessChanged:
        return ActionStatus::ProcessChanged;
    case protocol::ActionCode::PermissionDenied:
        return ActionStatus::PermissionDenied;
    case protocol::ActionCode::NotSupported:
        return ActionStatus::NotSupported;
    case protocol::ActionCode::NotFound:
        return ActionStatus::NotFound;
    case protocol::ActionCode::InvalidArgument:
        return ActionStatus::InvalidArgument;
    case protocol::ActionCode::TimedOut:
        return ActionStatus::TimedOut;
    case protocol::ActionCode::Failed:
        return ActionStatus::Failed;
    }
    return ActionStatus::Failed;
}

std::uint32_t helloOptionsOf(const LiveSourceOptions& options) {
    std::uint32_t bits = 0;
    bits |= options.resolveOwners ? 0 : protocol::kSkipOwners;
    bits |= options.forceProcFallback ? protocol::kProcFallback : 0;
    bits |= options.includeOtherNamespaces ? 0 : protocol::kOwnNamespaceOnly;
    bits |= options.listenForCloseEvents ? 0 : protocol::kNoCloseEvents;
    return bits;
}

LiveSourceOptions liveSourceOptionsOf(std::uint32_t helloOptions) {
    LiveSourceOptions options;
    options.resolveOwners = (helloOptions & protocol::kSkipOwners) == 0;
    options.forceProcFallback = (helloOptions & protocol::kProcFallback) != 0;
    options.includeOtherNamespaces = (helloOptions & protocol::kOwnNamespaceOnly) == 0;
    options.listenForCloseEvents = (helloOptions & protocol::kNoCloseEvents) == 0;
    return options;
}

} // namespace portscope::platform
