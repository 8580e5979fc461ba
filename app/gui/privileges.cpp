#include "privileges.h"

#if defined(_WIN32)
#include "windows/elevation.h"
#elif !defined(__linux__)
#include <unistd.h>
#endif

namespace portscope::gui {

PrivilegeOptions PrivilegeOptions::platformDefaults() {
    PrivilegeOptions options;
#if defined(__linux__)
    options.runningAsAdministrator = [] { return platform::runningAsAdministrator(); };
#elif defined(_WIN32)
    options.runningAsAdministrator = [] { return platform::winsys::isElevated(); };
#else
    options.runningAsAdministrator = [] { return ::geteuid() == 0; };
#endif
    return options;
}

} // namespace portscope::gui
