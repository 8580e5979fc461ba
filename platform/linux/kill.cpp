// Stopping a process without ever hitting a recycled PID: the pidfd pins the process, and its
// start time proves that it is the one the user chose.

#include "common/action_result.h"
#include "linux/proc_process.h"
#include "portscope/core/text.h"
#include "portscope/core/translatable.h"
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
using core::numberText;
using core::verbatimText;

} // namespace

ActionResult killProcess(const core::ProcessKey& key, std::chrono::milliseconds waitForExit) {
    // A PID is an identifier, not an amount: no thousands separators.
    const core::SystemText pid = verbatimText(std::to_string(key.pid));
    if (key.pid <= 0) {
        return result(ActionStatus::InvalidArgument,
                      PORTSCOPE_TRANSLATABLE("SystemText", "PID %1 is not a process."), {pid});
    }
    if (key.pid == 1) {
        return result(ActionStatus::InvalidArgument,
                      PORTSCOPE_TRANSLATABLE("SystemText",
                                             "PortScope will not stop PID 1, the init process: "
                                             "the system depends on it."),
                      {});
    }
    if (key.pid == ::getpid()) {
        return result(
            ActionStatus::InvalidArgument,
            PORTSCOPE_TRANSLATABLE("SystemText", "PortScope will not stop itself (PID %1)."),
            {pid});
    }
    const auto exited = [&] {
        return result(ActionStatus::NoSuchProcess,
                      PORTSCOPE_TRANSLATABLE("SystemText", "Process %1 has already exited."),
                      {pid});
    };

    const FileDescriptor pidfd(openPidfd(key.pid));
    if (pidfd.get() < 0) {
        const int error = errno;
        if (error == ESRCH) {
            return exited();
        }
        if (error == ENOSYS) {
            return result(ActionStatus::NotSupported,
                          PORTSCOPE_TRANSLATABLE("SystemText",
                                                 "Stopping process %1 safely needs Linux 5.3 or "
                                                 "newer (pidfd_open is missing)."),
                          {pid});
        }
        return result(ActionStatus::Failed,
                      PORTSCOPE_TRANSLATABLE("SystemText", "Cannot open process %1: %2."),
                      {pid, verbatimText(errorText(error))});
    }

    // The pidfd now pins whatever process has this PID; its start time says whether it is
    // still the one the user chose.
    std::string readError;
    const auto stat = linuxsys::readProcStat(key.pid, &readError);
    if (!stat) {
        if (waitForExitOf(pidfd.get(), milliseconds(0))) {
            return exited();
        }
        return result(ActionStatus::Failed,
                      PORTSCOPE_TRANSLATABLE("SystemText",
                                             "Cannot check that PID %1 is still the chosen "
                                             "process: %2."),
                      {pid, verbatimText(readError)});
    }
    const core::SystemText name = verbatimText(core::sanitizeForDisplay(stat->comm, 256));
    const core::SystemText target =
        core::systemText(PORTSCOPE_TRANSLATABLE("SystemText", "%1 (PID %2)"), {name, pid});
    if (stat->startTime != key.startTime) {
        return result(ActionStatus::ProcessChanged,
                      PORTSCOPE_TRANSLATABLE("SystemText",
                                             "PID %1 now belongs to another process (%2); "
                                             "nothing was stopped."),
                      {pid, name});
    }
    if (stat->state == 'Z' || stat->state == 'X') {
        return result(ActionStatus::NoSuchProcess,
                      PORTSCOPE_TRANSLATABLE("SystemText", "%1 has already exited."), {target});
    }

    if (sendSignal(pidfd.get(), SIGTERM) != 0) {
        const int error = errno;
        if (error == ESRCH) {
            return result(ActionStatus::NoSuchProcess,
                          PORTSCOPE_TRANSLATABLE("SystemText", "%1 has already exited."), {target});
        }
        if (error == EPERM) {
            return result(ActionStatus::PermissionDenied,
                          PORTSCOPE_TRANSLATABLE("SystemText",
                                                 "Not allowed to stop %1: it runs as another user. "
                                                 "Run PortScope as that user or as root."),
                          {target});
        }
        return result(ActionStatus::Failed,
                      PORTSCOPE_TRANSLATABLE("SystemText", "Cannot send SIGTERM to %1: %2."),
                      {target, verbatimText(errorText(error))});
    }

    const auto termSentAt = Clock::now();
    const auto stopped = [&] {
        return result(ActionStatus::Done, PORTSCOPE_TRANSLATABLE("SystemText", "Stopped %1."),
                      {target});
    };
    if (waitForExit <= milliseconds(0)) {
        // No time to wait means no escalation either: SIGKILL only after a grace period.
        if (waitForExitOf(pidfd.get(), milliseconds(0))) {
            return stopped();
        }
        return result(ActionStatus::TimedOut,
                      PORTSCOPE_TRANSLATABLE("SystemText",
                                             "Asked %1 to exit (SIGTERM); did not wait for it."),
                      {target});
    }
    if (waitForExitOf(pidfd.get(), waitForExit / 2)) {
        return stopped();
    }

    if (sendSignal(pidfd.get(), SIGKILL) != 0 && errno != ESRCH) {
        const int error = errno;
        return result(
            ActionStatus::Failed,
            PORTSCOPE_TRANSLATABLE("SystemText", "%1 ignored SIGTERM, and SIGKILL failed: %2."),
            {target, verbatimText(errorText(error))});
    }
    const auto waited = std::chrono::duration_cast<milliseconds>(Clock::now() - termSentAt);
    if (waitForExitOf(pidfd.get(), std::max(milliseconds(0), waitForExit - waited))) {
        return result(ActionStatus::Done,
                      PORTSCOPE_TRANSLATABLE(
                          "SystemText", "Stopped %1 with SIGKILL: it did not exit within %2 ms "
                                        "of SIGTERM."),
                      {target, numberText(static_cast<std::uint64_t>((waitForExit / 2).count()))});
    }
    return result(
        ActionStatus::TimedOut,
        PORTSCOPE_TRANSLATABLE("SystemText", "%1 had not exited %2 ms after SIGTERM and SIGKILL."),
        {target, numberText(static_cast<std::uint64_t>(waitForExit.count()))});
}

} // namespace portscope::platform
