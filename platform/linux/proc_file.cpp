#include "linux/proc_file.h"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <system_error>
#include <unistd.h>

namespace portscope::platform::linuxsys {

int readProcFile(const std::string& path, std::string& out, std::size_t maxBytes) {
    out.clear();
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return errno;
    }
    constexpr std::size_t kFirstRead = 4096;
    constexpr std::size_t kLargestRead = 1024 * 1024;
    std::size_t nextRead = kFirstRead;
    int error = 0;
    while (out.size() < maxBytes) {
        const std::size_t oldSize = out.size();
        const std::size_t want = std::min(nextRead, maxBytes - oldSize);
        out.resize(oldSize + want);
        const ssize_t got = ::read(fd, out.data() + oldSize, want);
        if (got < 0) {
            out.resize(oldSize);
            if (errno == EINTR) {
                continue;
            }
            error = errno;
            break;
        }
        out.resize(oldSize + static_cast<std::size_t>(got));
        if (got == 0) {
            break;
        }
        nextRead = std::min(nextRead * 2, kLargestRead);
    }
    ::close(fd);
    if (error != 0) {
        out.clear();
    }
    return error;
}

std::string procFileError(const std::string& path, int error) {
    return "cannot read " + path + ": " + std::generic_category().message(error);
}

} // namespace portscope::platform::linuxsys
