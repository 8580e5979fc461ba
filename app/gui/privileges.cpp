#include "privileges.h"

namespace portscope::gui {

PrivilegeOptions PrivilegeOptions::platformDefaults() {
    PrivilegeOptions options;
    options.runningAsAdministrator = [] { return platform::runningAsAdministrator(); };
    // The helper runs as root, so it can load the eBPF sensor where the kernel allows it.
    options.helperOptions.source.sensor = platform::SensorChoice::Auto;
    return options;
}

} // namespace portscope::gui
