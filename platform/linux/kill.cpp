// Stopping a process without ever hitting a recycled PID: the pidfd pins the process, and its
// start time proves that it is the one the user chose.

#include "common/action_result.h"
#include "linux/proc_process.h"
#include "portscope/core/text.h"
#include "portscope/platform/system.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <poll.h>
#include <sys/syscall.h>
#include <system_error>
#include <unistd.h>

// <sys/pidfd.h> of glibc 2.36 lacks extern "C", so the system calls are made directly.
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

namespace portscope::platform {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

int openPidfd(std::int32_t pid) {
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

int sendSignal(int pidfd, int signal) {
    return static_cast<int>(::syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0));
}

// True when the process exited within `timeout` (a pidfd becomes readable on exit).
bool waitForExitOf(int pidfd, milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        const auto left = std::max(
            milliseconds(0), std::chrono::duration_cast<milliseconds>(deadline - Clock::now()));
        pollfd request{pidfd, POLLIN, 0};
        const int ready = ::poll(&request, 1, static_cast<int>(left.count()));
        if (ready > 0) {
            return true;
        }
        if (ready == 0 || errno != EINTR) {
            return false;
        }
    }
}

std::string errorText(int error) {
    return std::generic_category().message(error);
}

using common::result;

} // namespace

ActionResult killProcess(const core::ProcessKey& key, std::chrono::milliseconds waitForExit) {
    const std::string pidText = std::to_string(key.pid);
    if (key.pid <= 0) {
        return result(ActionStatus::InvalidArgument, "PID " + pidText + " is not a process.");
    }
    if (key.pid == 1) {
        return result(ActionStatus::InvalidArgument,
                      "PortScope will not stop PID 1, the init process: the system depends on it.");
    }
    if (key.pid == ::getpid()) {
        return result(ActionStatus::InvalidArgument,
                      "PortScope will not stop itself (PID " + pidText + ").");
    }

    const FileDescriptor pidfd(openPidfd(key.pid));
    if (pidfd.get() < 0) {
        const int error = errno;
        if (error == ESRCH) {
            return result(ActionStatus::NoSuchProcess,
                          "Process " + pidText + " has already exited.");
        }
        if (error == ENOSYS) {
            return result(ActionStatus::NotSupported,
                          "Stopping process " + pidText +
                              " safely needs Linux 5.3 or newer (pidfd_open is missing).");
        }
        return result(ActionStatus::Failed,
                      "Cannot open process " + pidText + ": " + errorText(error) + ".");
    }

    // The pidfd now pins whatever process has this PID; its start time says whether it is
    // still the one the user chose.
    std::string readError;
    const auto stat = linuxsys::readProcStat(key.pid, &readError);
    if (!stat) {
        if (waitForExitOf(pidfd.get(), milliseconds(0))) {
            return result(ActionStatus::NoSuchProcess,
                          "Process " + pidText + " has already exited.");
        }
        return result(ActionStatus::Failed, "Cannot check that PID " + pidText +
                                                " is still the chosen process: " + readError + ".");
    }
    const std::string name = core::sanitizeForDisplay(stat->comm, 256);
    const std::string target = name + " (PID " + pidText + ")";
    if (stat->startTime != key.startTime) {
        return result(ActionStatus::ProcessChanged, "PID " + pidText +
                                                        " now belongs to another process (" + name +
                                                        "); nothing was stopped.");
    }
    if (stat->state == 'Z' || stat->state == 'X') {
        return result(ActionStatus::NoSuchProcess, target + " has already exited.");
    }

    if (sendSignal(pidfd.get(), SIGTERM) != 0) {
        const int error = errno;
        if (error == ESRCH) {
            return result(ActionStatus::NoSuchProcess, target + " has already exited.");
        }
        if (error == EPERM) {
            return result(ActionStatus::PermissionDenied,
                          "Not allowed to stop " + target +
                              ": it runs as another user. Run PortScope as that user or as root.");
        }
        return result(ActionStatus::Failed,
                      "Cannot send SIGTERM to " + target + ": " + errorText(error) + ".");
    }

    const auto termSentAt = Clock::now();
    if (waitForExit <= milliseconds(0)) {
        // No time to wait means no escalation either: SIGKILL only after a grace period.
        if (waitForExitOf(pidfd.get(), milliseconds(0))) {
            return result(ActionStatus::Done, "Stopped " + target + ".");
        }
        return result(ActionStatus::TimedOut,
                      "Asked " + target + " to exit (SIGTERM); did not wait for it.");
    }
    if (waitForExitOf(pidfd.get(), waitForExit / 2)) {
        return result(ActionStatus::Done, "Stopped " + target + ".");
    }

    if (sendSignal(pidfd.get(), SIGKILL) != 0 && errno != ESRCH) {
        const int error = errno;
        return result(ActionStatus::Failed,
                      target + " ignored SIGTERM, and SIGKILL failed: " + errorText(error) + ".");
    }
    const auto waited = std::chrono::duration_cast<milliseconds>(Clock::now() - termSentAt);
    if (waitForExitOf(pidfd.get(), std::max(milliseconds(0), waitForExit - waited))) {
        return result(ActionStatus::Done,
                      "Stopped " + target + " with SIGKILL: it did not exit within " +
                          std::to_string((waitForExit / 2).count()) + " ms of SIGTERM.");
    }
    return result(ActionStatus::TimedOut, target + " had not exited " +
                                              std::to_string(waitForExit.count()) +
                                              " ms after SIGTERM and SIGKILL.");
}

} // namespace portscope::platform
