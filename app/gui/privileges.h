#pragma once
// How the window gets to see what only an administrator may see. On Linux it starts
// portscope-helper through pkexec and reads the system through it (docs/helper-protocol.md);
// on Windows it restarts itself elevated through the UAC prompt. Tests replace the parts that
// depend on who runs them.

#include <functional>

#if defined(__linux__)
#include "portscope/platform/helper_client.h"
#endif

namespace portscope::gui {

struct PrivilegeOptions {
    // True when this process already sees every owner; nothing is offered then.
    std::function<bool()> runningAsAdministrator;
#if defined(__linux__)
    platform::HelperLaunch helperLaunch; // through pkexec, defaultHelperPath()
    platform::HelperOptions helperOptions;
#endif

    static PrivilegeOptions platformDefaults();
};

} // namespace portscope::gui
