#include "helper_test_support.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <grp.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pwd.h>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace portscope::testing {

namespace protocol = core::helper;
using Clock = std::chrono::steady_clock;

namespace {

[[noreturn]] void throwErrno(const std::string& what) {
    throw std::runtime_error(what + ": " + std::strerror(errno));
}

int millisecondsLeft(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left < 0 ? 0 : static_cast<int>(left);
}

// Reads exactly `size` bytes; false at end of stream or at the deadline.
bool readExactly(int fd, char* out, std::size_t size, Clock::time_point deadline) {
    std::size_t done = 0;
    while (done < size) {
        pollfd ready{fd, POLLIN, 0};
        const int polled = ::poll(&ready, 1, millisecondsLeft(deadline));
        if (polled < 0 && errno == EINTR) {
            continue;
        }
        if (polled <= 0) {
            return false;
        }
        const ssize_t got = ::read(fd, out + done, size - done);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            return false;
        }
        done += static_cast<std::size_t>(got);
    }
    return true;
}

} // namespace

HelperProcess::HelperProcess(const std::string& path) {
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
        throwErrno("socketpair");
    }
    char errorTemplate[] = "/tmp/portscope-helper-stderr-XXXXXX";
    const int errorFd = ::mkostemp(errorTemplate, O_CLOEXEC);
    if (errorFd < 0) {
        throwErrno("mkostemp");
    }
    errorPath_ = errorTemplate;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pair[1], 0);
    posix_spawn_file_actions_adddup2(&actions, pair[1], 1);
    posix_spawn_file_actions_adddup2(&actions, errorFd, 2);
    std::vector<char*> argv{const_cast<char*>(path.c_str()), nullptr};
    const int spawned = ::posix_spawn(&pid_, path.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pair[1]);
    ::close(errorFd);
    if (spawned != 0) {
        ::close(pair[0]);
        throw std::runtime_error("cannot start " + path + ": " + std::strerror(spawned));
    }
    clientFd_ = pair[0];
}

HelperProcess::~HelperProcess() {
    if (clientFd_ >= 0) {
        ::close(clientFd_);
    }
    if (!reaped_ && pid_ > 0) {
        // End of input ends the helper; a helper that ignores it is a failure of its own.
        if (!waitExit(3s)) {
            ADD_FAILURE() << "portscope-helper (PID " << pid_ << ") did not exit at end of input";
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    if (!errorPath_.empty()) {
        ::unlink(errorPath_.c_str());
    }
}

int HelperProcess::releaseClientFd() {
    const int fd = clientFd_;
    clientFd_ = -1;
    return fd;
}

void HelperProcess::sendBytes(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t sent = ::send(clientFd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR) {
            continue;
        }
        if (sent < 0) {
            // The helper may already have ended the session; the test checks what it said.
            return;
        }
        bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
}

void HelperProcess::send(std::uint32_t requestId, const protocol::Message& message) {
    sendBytes(protocol::encodeFrame(requestId, message));
}

std::optional<RawFrame> HelperProcess::readFrame(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    char header[protocol::kHeaderSize];
    if (!readExactly(clientFd_, header, sizeof header, deadline)) {
        return std::nullopt;
    }
    protocol::DecodeError error;
    const auto decoded = protocol::decodeHeader(std::string_view(header, sizeof header),
                                                protocol::Direction::ToClient, &error);
    if (!decoded) {
        ADD_FAILURE() << "the helper sent a bad frame header: " << error.message;
        return std::nullopt;
    }
    RawFrame frame{*decoded, std::string(decoded->length, '\0')};
    if (!readExactly(clientFd_, frame.payload.data(), frame.payload.size(), deadline)) {
        ADD_FAILURE() << "the helper's " << protocol::toString(decoded->type)
                      << " payload was cut short";
        return std::nullopt;
    }
    return frame;
}

std::optional<protocol::Message> HelperProcess::readMessage(std::chrono::milliseconds timeout,
                                                            std::uint32_t* requestId) {
    auto frame = readFrame(timeout);
    if (!frame) {
        return std::nullopt;
    }
    if (requestId != nullptr) {
        *requestId = frame->header.requestId;
    }
    protocol::DecodeError error;
    auto message = protocol::decodePayload(frame->header, frame->payload, &error);
    if (!message) {
        ADD_FAILURE() << "the helper sent a malformed reply: " << error.message;
    }
    return message;
}

std::optional<protocol::Message> HelperProcess::exchange(std::uint32_t requestId,
                                                         const protocol::Message& request) {
    send(requestId, request);
    std::uint32_t answered = 0;
    auto reply = readMessage(20s, &answered);
    if (reply) {
        EXPECT_EQ(answered, requestId) << "the reply carries another request's id";
    }
    return reply;
}

protocol::Welcome HelperProcess::greet(std::uint32_t options) {
    const auto reply = exchange(1, protocol::Hello{protocol::kVersion, options});
    if (!reply || !std::holds_alternative<protocol::Welcome>(*reply)) {
        ADD_FAILURE() << "no Welcome from the helper; its stderr: " << errorOutput();
        return {};
    }
    return std::get<protocol::Welcome>(*reply);
}

void HelperProcess::closeInput() {
    ::shutdown(clientFd_, SHUT_WR);
}

std::optional<int> HelperProcess::waitExit(std::chrono::milliseconds timeout) {
    if (reaped_) {
        return std::nullopt;
    }
    const auto deadline = Clock::now() + timeout;
    while (true) {
        int status = 0;
        const pid_t done = ::waitpid(pid_, &status, WNOHANG);
        if (done == pid_) {
            reaped_ = true;
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        if (done < 0 && errno != EINTR) {
            return std::nullopt;
        }
        if (Clock::now() >= deadline) {
            return std::nullopt;
        }
        std::this_thread::sleep_for(10ms);
    }
}

std::string HelperProcess::errorOutput() const {
    std::ifstream file(errorPath_);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

platform::HelperLaunch unelevated() {
    platform::HelperLaunch launch;
    launch.helperPath = PORTSCOPE_HELPER_PATH;
    launch.elevate = false;
    launch.handshakeTimeout = 10s;
    return launch;
}

RunResult runProgramAs(const std::vector<std::string>& argv, const RunAs& how) {
    int outPipe[2];
    int errPipe[2];
    if (::pipe2(outPipe, O_CLOEXEC) != 0 || ::pipe2(errPipe, O_CLOEXEC) != 0) {
        throwErrno("pipe2");
    }
    std::vector<char*> raw;
    for (const auto& arg : argv) {
        raw.push_back(const_cast<char*>(arg.c_str()));
    }
    raw.push_back(nullptr);
    int highestTarget = 2;
    for (const auto& [from, to] : how.descriptors) {
        highestTarget = std::max(highestTarget, to);
    }

    const pid_t pid = ::fork();
    if (pid < 0) {
        throwErrno("fork");
    }
    if (pid == 0) {
        // Only async-signal-safe calls from here to exec.
        auto die = [](const char* what) {
            // errno as digits: strerror may lock or allocate, which a forked child must not.
            char text[64];
            std::size_t length = 0;
            for (const char* c = what; *c != '\0' && length < 40; ++c) {
                text[length++] = *c;
            }
            text[length++] = ':';
            text[length++] = ' ';
            char digits[12];
            int count = 0;
            for (int error = errno; count == 0 || error > 0; error /= 10) {
                digits[count++] = static_cast<char>('0' + error % 10);
            }
            while (count > 0) {
                text[length++] = digits[--count];
            }
            text[length++] = '\n';
            [[maybe_unused]] const ssize_t ignored = ::write(2, text, length);
            ::_exit(127);
        };
        if (::dup2(outPipe[1], 1) < 0 || ::dup2(errPipe[1], 2) < 0) {
            die("dup2");
        }
        const int devNull = ::open("/dev/null", O_RDONLY);
        if (devNull < 0 || ::dup2(devNull, 0) < 0) {
            die("stdin");
        }
        // Park the handed-over descriptors out of the way first, so that one's source number
        // may be another's target.
        std::size_t index = 0;
        int parked[16];
        for (const auto& [from, to] : how.descriptors) {
            if (index == 16 || (parked[index++] = ::fcntl(from, F_DUPFD, 512)) < 0) {
                die("handing over a descriptor");
            }
        }
        index = 0;
        for (const auto& [from, to] : how.descriptors) {
            if (::dup2(parked[index++], to) < 0) {
                die("handing over a descriptor");
            }
        }
        for (int fd = 3; fd <= highestTarget; ++fd) {
            bool wanted = false;
            for (const auto& [from, to] : how.descriptors) {
                wanted = wanted || to == fd;
            }
            if (!wanted) {
                ::close(fd);
            }
        }
        ::close_range(static_cast<unsigned>(highestTarget) + 1, ~0u, 0);
        if (how.uid) {
            if (::setgroups(0, nullptr) != 0) {
                die("setgroups");
            }
            if (::setgid(how.gid) != 0) {
                die("setgid");
            }
            if (::setuid(*how.uid) != 0) {
                die("setuid");
            }
        }
        if (::chdir("/") != 0) {
            die("chdir");
        }
        ::execv(raw[0], raw.data());
        die(raw[0]);
    }
    ::close(outPipe[1]);
    ::close(errPipe[1]);

    RunResult result;
    const auto deadline = Clock::now() + how.timeout;
    pollfd fds[2] = {{outPipe[0], POLLIN, 0}, {errPipe[0], POLLIN, 0}};
    int open = 2;
    char buffer[65536];
    while (open > 0) {
        const int left = millisecondsLeft(deadline);
        if (left == 0) {
            ADD_FAILURE() << argv[0] << " ran longer than " << how.timeout.count() << " ms; killed";
            ::kill(pid, SIGKILL);
            break;
        }
        if (::poll(fds, 2, left) < 0 && errno != EINTR) {
            break;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP)) != 0) {
                const ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
                if (got > 0) {
                    (i == 0 ? result.out : result.err).append(buffer, static_cast<size_t>(got));
                } else {
                    ::close(fds[i].fd);
                    fds[i].fd = -1;
                    --open;
                }
            }
        }
    }
    for (auto& fd : fds) {
        if (fd.fd >= 0) {
            ::close(fd.fd);
        }
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

std::optional<std::pair<uid_t, gid_t>> nobodyUser() {
    const passwd* entry = ::getpwnam("nobody");
    if (entry == nullptr) {
        return std::nullopt;
    }
    return std::make_pair(entry->pw_uid, entry->pw_gid);
}

} // namespace portscope::testing
