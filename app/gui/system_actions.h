#pragma once
// The operating-system actions the window can take, as replaceable functions: the program
// uses the platform's, tests put in recorders so nothing real is killed or closed.

#include "portscope/platform/system.h"

#include <functional>
#include <memory>

namespace portscope::platform {
class HelperConnection;
}

namespace portscope::gui {

struct SystemActions {
    // Called off the GUI thread.
    std::function<platform::ActionResult(const core::ProcessKey&)> killProcess;
    std::function<platform::ActionResult(const core::Socket&)> closeConnection;

    static SystemActions platformActions();
    // Kill and close through a running helper, local (elevated) or remote (over SSH).
    static SystemActions helperActions(std::shared_ptr<platform::HelperConnection> helper);
};

} // namespace portscope::gui
