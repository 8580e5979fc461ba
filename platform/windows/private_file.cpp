// Files that may hold other users' data, on Windows. A new file inherits the access list of
// its folder (a user's profile folders are private to the user), so no mode is set here.

#include "portscope/platform/system.h"
#include "windows/text.h"

#include <cerrno>
#include <cstdio>
#include <stdexcept>
#include <system_error>

namespace portscope::platform {

core::UniqueFile createPrivateFile(const std::string& path) {
    std::FILE* file = ::_wfopen(winsys::wideFromUtf8(path).c_str(), L"wb");
    if (file == nullptr) {
        throw std::runtime_error("Cannot create '" + path +
                                 "': " + std::generic_category().message(errno));
    }
    return core::UniqueFile(file);
}

} // namespace portscope::platform
