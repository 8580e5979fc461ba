#pragma once
// Helpers shared by the process, owner, kill and namespace tests: child processes started
// and stopped by PID, temporary directories, and /proc read independently of the code under
// test.

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <grp.h>
#include <gtest/gtest.h>
#include <iterator>
#include <optional>
#include <spawn.h>
#include <sstream>
#include <string>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace proctest {

inline std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline std::string fixture(const std::string& name) {
    return readFile(std::string(PORTSCOPE_FIXTURES_DIR) + "/" + name);
}

// Field 22 of /proc/PID/stat, parsed here without the parser under test.
inline std::optional<std::uint64_t> startTimeOf(int pid) {
    const std::string text = readFile("/proc/" + std::to_string(pid) + "/stat");
    const auto close = text.rfind(')');
    if (close == std::string::npos) {
        return std::nullopt;
    }
    std::istringstream fields(text.substr(close + 1));
    std::string field;
    for (int index = 3; index <= 22 && (fields >> field); ++index) {
        if (index == 22) {
            return std::stoull(field);
        }
    }
    return std::nullopt;
}

inline std::string commOf(int pid) {
    std::string comm = readFile("/proc/" + std::to_string(pid) + "/comm");
    if (!comm.empty() && comm.back() == '\n') {
        comm.pop_back();
    }
    return comm;
}

template <typename Predicate>
bool waitUntil(Predicate&& predicate,
               std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (predicate()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return predicate();
}

// A program started with posix_spawn; killed by its PID and reaped when the test ends.
class ChildProcess {
public:
    explicit ChildProcess(const std::vector<std::string>& argv) {
        std::vector<char*> args;
        for (const std::string& arg : argv) {
            args.push_back(const_cast<char*>(arg.c_str()));
        }
        args.push_back(nullptr);
        pid_t pid = 0;
        const int error = ::posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ);
        if (error == 0) {
            pid_ = pid;
        } else {
            spawnError_ = std::strerror(error);
        }
    }
    ~ChildProcess() { stop(); }
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    bool started() const { return pid_ > 0; }
    const std::string& spawnError() const { return spawnError_; }

    // The wait status once it exited (reaping it), or nullopt if still running.
    std::optional<int>
    exitStatus(std::chrono::milliseconds timeout = std::chrono::milliseconds(0)) {
        if (status_) {
            return status_;
        }
        if (pid_ <= 0) {
            return std::nullopt;
        }
        waitUntil(
            [&] {
                int status = 0;
                if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                    status_ = status;
                }
                return status_.has_value();
            },
            timeout);
        return status_;
    }

    void stop() {
        if (pid_ > 0 && !status_) {
            ::kill(pid_, SIGKILL);
            int status = 0;
            if (::waitpid(pid_, &status, 0) == pid_) {
                status_ = status;
            }
        }
    }

private:
    pid_t pid_ = -1;
    std::string spawnError_;
    std::optional<int> status_;
};

// Runs a program to completion; its exit code, or -1.
inline int runCommand(const std::vector<std::string>& argv) {
    ChildProcess child(argv);
    if (!child.started()) {
        return -1;
    }
    const auto status = child.exitStatus(std::chrono::milliseconds(20000));
    return status && WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
}

class TempDir {
public:
    TempDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "portscope-test-XXXXXX").string();
        if (::mkdtemp(pattern.data()) != nullptr) {
            path_ = pattern;
        }
    }
    ~TempDir() {
        if (!path_.empty()) {
            std::error_code ignored; // best effort: a leftover temp dir harms nobody
            std::filesystem::remove_all(path_, ignored);
        }
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

inline void writeFile(const std::string& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
}

inline std::uint64_t inodeOf(int fd) {
    struct stat info {};
    return ::fstat(fd, &info) == 0 ? static_cast<std::uint64_t>(info.st_ino) : 0;
}

constexpr std::uint32_t kNobody = 65534;

// In a forked child: become the unprivileged user `nobody` while keeping /proc/self readable.
inline bool becomeNobody() {
    return ::setgroups(0, nullptr) == 0 && ::setgid(kNobody) == 0 && ::setuid(kNobody) == 0 &&
           ::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) == 0;
}

// Runs `body` in a forked child that became `nobody`; returns what the child wrote, or
// nullopt when it could not drop privileges (the caller skips). `body` must not use gtest.
template <typename Body>
std::optional<std::string> runAsNobody(Body&& body) {
    int pipeFds[2];
    if (::pipe(pipeFds) != 0) {
        return std::nullopt;
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(pipeFds[0]);
        std::string report = becomeNobody() ? "ok\n" + body() : std::string("setuid failed");
        const char* data = report.data();
        std::size_t left = report.size();
        while (left > 0) {
            const ssize_t written = ::write(pipeFds[1], data, left);
            if (written <= 0) {
                break;
            }
            data += written;
            left -= static_cast<std::size_t>(written);
        }
        ::_exit(0);
    }
    ::close(pipeFds[1]);
    if (pid < 0) {
        ::close(pipeFds[0]);
        return std::nullopt;
    }
    std::string report;
    char buffer[4096];
    for (;;) {
        const ssize_t got = ::read(pipeFds[0], buffer, sizeof(buffer));
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            break;
        }
        report.append(buffer, static_cast<std::size_t>(got));
    }
    ::close(pipeFds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (report.rfind("ok\n", 0) != 0) {
        return std::nullopt;
    }
    return report.substr(3);
}

} // namespace proctest
