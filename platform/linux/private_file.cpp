// Files that may hold other users' data, created so that neither a planted link nor the umask
// exposes them.

#include "portscope/platform/system.h"

#include <cerrno>
#include <fcntl.h>
#include <stdexcept>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace portscope::platform {

namespace {

[[noreturn]] void refuse(const std::string& path, const std::string& why) {
    throw std::runtime_error("Cannot create '" + path + "': " + why);
}

std::string errnoText(int error) {
    return std::generic_category().message(error);
}

} // namespace

core::UniqueFile createPrivateFile(const std::string& path) {
    // Not truncated yet: only a regular file with no other names may be emptied. O_NONBLOCK
    // keeps a FIFO planted at the path from blocking the open; it is refused below.
    const int fd =
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC,
               S_IRUSR | S_IWUSR);
    if (fd < 0) {
        const int error = errno;
        if (error == ELOOP) {
            refuse(path, "it is a symbolic link, and PortScope does not write through links");
        }
        // ENXIO: a FIFO without a reader, or a device file without its device.
        refuse(path, error == ENXIO ? "it is not a regular file" : errnoText(error));
    }
    auto closeAndRefuse = [&](const std::string& why) {
        ::close(fd);
        refuse(path, why);
    };
    struct stat status {};
    if (::fstat(fd, &status) != 0) {
        closeAndRefuse(errnoText(errno));
    }
    if (!S_ISREG(status.st_mode)) {
        closeAndRefuse("it is not a regular file");
    }
    if (status.st_nlink > 1) {
        closeAndRefuse("it has other hard links, and PortScope does not write to a file that "
                       "has other names");
    }
    // The mode given to open() applies only to a new file; an existing one is made private too.
    // Only a file that holds something is emptied: ext4 takes a truncation to zero for a file
    // being replaced and writes all of it to disk when it is closed, in the writer's time (a
    // tenth of a second of CPU at the end of a 1 GB capture).
    if (::fchmod(fd, S_IRUSR | S_IWUSR) != 0 || (status.st_size != 0 && ::ftruncate(fd, 0) != 0)) {
        closeAndRefuse(errnoText(errno));
    }
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
        closeAndRefuse(errnoText(errno));
    }
    std::FILE* file = ::fdopen(fd, "wb");
    if (file == nullptr) {
        closeAndRefuse(errnoText(errno));
    }
    return core::UniqueFile(file);
}

} // namespace portscope::platform
