// Reading the program a process runs through /proc/PID/exe. The link is opened, not
// resolved: the descriptor reaches the image the process was started from even after its file
// was deleted or replaced, and keeps it while it is read.

#include "common/action_result.h"
#include "linux/proc_process.h"
#include "portscope/platform/system.h"

#include <array>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace portscope::platform {

namespace {

using common::result;

// Far above any real program; bounds the read loop.
constexpr std::uint64_t kMaxImageBytes = std::uint64_t{16} << 30;

// Done when PID key.pid is still the process the caller means.
ActionResult checkIdentity(const core::ProcessKey& key, const char* when) {
    const std::string pidText = std::to_string(key.pid);
    const auto stat = linuxsys::readProcStat(key.pid, nullptr);
    if (!stat) {
        return result(ActionStatus::NoSuchProcess,
                      "Process " + pidText + " exited " + when + " its program was opened.");
    }
    if (stat->startTime != key.startTime) {
        return result(ActionStatus::ProcessChanged,
                      "PID " + pidText + " belongs to another process now (its start time " +
                          std::to_string(stat->startTime) + " is not " +
                          std::to_string(key.startTime) + ").");
    }
    return result(ActionStatus::Done, {});
}

class Descriptor {
public:
    explicit Descriptor(int fd) : fd_(fd) {}
    ~Descriptor() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

} // namespace

ActionResult readExecutableImage(const core::ProcessKey& key, const ImageChunkSink& consume,
                                 bool* deletedFromDisk) {
    const std::string pidText = std::to_string(key.pid);
    if (!key.valid()) {
        return result(ActionStatus::InvalidArgument, "PID " + pidText + " is not a process.");
    }
    if (ActionResult before = checkIdentity(key, "before"); !before.ok()) {
        return before;
    }
    const std::string link = "/proc/" + pidText + "/exe";
    const Descriptor image(::open(link.c_str(), O_RDONLY | O_CLOEXEC));
    if (image.get() < 0) {
        const int error = errno;
        if (ActionResult now = checkIdentity(key, "before"); !now.ok()) {
            return now;
        }
        if (error == EACCES || error == EPERM) {
            return result(ActionStatus::PermissionDenied,
                          "Reading the program of process " + pidText +
                              " needs its user's or administrator rights.");
        }
        if (error == ENOENT) {
            return result(ActionStatus::NotFound,
                          "Process " + pidText + " has no program file (a kernel thread).");
        }
        return result(ActionStatus::Failed, "Cannot open the program of process " + pidText + ": " +
                                                std::generic_category().message(error) + ".");
    }
    // The PID may have been reused between the first check and the open: then the start time
    // differs now, and the descriptor holds another program.
    if (ActionResult after = checkIdentity(key, "while"); !after.ok()) {
        return after;
    }

    struct stat status {};
    if (::fstat(image.get(), &status) != 0) {
        return result(ActionStatus::Failed, "Cannot read the program of process " + pidText + ": " +
                                                std::generic_category().message(errno) + ".");
    }
    std::array<char, 64 * 1024> buffer{};
    std::uint64_t total = 0;
    for (;;) {
        const ssize_t got = ::read(image.get(), buffer.data(), buffer.size());
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            return result(ActionStatus::Failed,
                          "Reading the program of process " + pidText +
                              " failed: " + std::generic_category().message(errno) + ".");
        }
        if (got == 0) {
            break;
        }
        total += static_cast<std::uint64_t>(got);
        if (total > kMaxImageBytes) {
            return result(ActionStatus::Failed,
                          "The program of process " + pidText + " is larger than 16 GiB.");
        }
        consume(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
    }
    if (deletedFromDisk != nullptr) {
        // No name left: the file was deleted, or another file was renamed over it.
        *deletedFromDisk = status.st_nlink == 0;
    }
    return result(ActionStatus::Done, {});
}

} // namespace portscope::platform
