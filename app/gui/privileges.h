#pragma once
// How the window gets to see what only an administrator may see, as the platform's elevation
// interface says (portscope/platform/elevation.h): on Linux it starts portscope-helper through
// pkexec and reads the system through it (docs/helper-protocol.md); on Windows it restarts
// itself elevated through the UAC prompt. Tests replace the parts that depend on who runs
// them and on the OS.

#include "portscope/platform/elevation.h"
#include "portscope/platform/helper_client.h"

#include <functional>

namespace portscope::gui {

struct PrivilegeOptions {
    // True when this process already sees every owner; nothing is offered then.
    std::function<bool()> runningAsAdministrator;
    platform::Elevation elevation = platform::elevationOfThisSystem();
    // ElevationMethod::PrivilegedHelper: through pkexec, defaultHelperPath().
    platform::HelperLaunch helperLaunch;
    platform::HelperOptions helperOptions;
    // ElevationMethod::RestartAsAdministrator: starts the elevated copy; on Done the program
    // quits.
    std::function<platform::ActionResult()> restartAsAdministrator = [] {
        return platform::restartAsAdministrator({});
    };

    static PrivilegeOptions platformDefaults();
};

} // namespace portscope::gui
