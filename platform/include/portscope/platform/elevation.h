#pragma once
// How a front end gets to see and do what only an administrator may. Each OS has its own
// way, and a front end asks this header which one instead of testing the OS itself:
// - Linux: the program goes on as the user and starts portscope-helper through pkexec, which
//   reads the system and acts on it as root (helper_client.h, docs/helper-protocol.md).
// - Windows: the program starts again, elevated, through the UAC prompt; the old copy quits.

#include "portscope/platform/system.h"

#include <string>
#include <vector>

namespace portscope::platform {

enum class ElevationMethod {
    None,                   // no way from inside the program: start it elevated by hand
    PrivilegedHelper,       // HelperConnection::launch(), then makeHelperSource() and its actions
    RestartAsAdministrator, // restartAsAdministrator(), then quit
};

struct Elevation {
    ElevationMethod method = ElevationMethod::None;
    // Whether elevation also cures the live source's warnings, not only hidden socket owners:
    // Windows withholds the traffic counters (EStats) and other users' process details.
    bool curesSourceWarnings = false;
};

// How this OS elevates.
Elevation elevationOfThisSystem();

// True when this process already runs with administrator rights (Linux: root; Windows: an
// elevated token); there is nothing to elevate then.
bool runningAsAdministrator();

// ElevationMethod::RestartAsAdministrator: starts this program again, elevated, with
// `arguments` (UTF-8). On Done the caller should quit; the new process is independent of it. A
// declined prompt is PermissionDenied. NotSupported where the OS elevates another way.
ActionResult restartAsAdministrator(const std::vector<std::string>& arguments);

} // namespace portscope::platform
