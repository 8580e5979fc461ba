// Linux elevates through portscope-helper, started by pkexec; the program itself never
// restarts as root.

#include "portscope/platform/elevation.h"

#include <unistd.h>

namespace portscope::platform {

Elevation elevationOfThisSystem() {
    return {ElevationMethod::PrivilegedHelper, false};
}

bool runningAsAdministrator() {
    return ::geteuid() == 0;
}

ActionResult restartAsAdministrator(const std::vector<std::string>&) {
    return {ActionStatus::NotSupported,
            "PortScope does not restart as root on Linux; it starts portscope-helper instead."};
}

} // namespace portscope::platform
