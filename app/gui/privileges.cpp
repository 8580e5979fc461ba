#include "privileges.h"

namespace portscope::gui {

PrivilegeOptions PrivilegeOptions::platformDefaults() {
    PrivilegeOptions options;
    options.runningAsAdministrator = [] { return platform::runningAsAdministrator(); };
    return options;
}

} // namespace portscope::gui
