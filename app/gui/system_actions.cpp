#include "system_actions.h"

namespace portscope::gui {

SystemActions SystemActions::platformActions() {
    SystemActions actions;
    actions.killProcess = [](const core::ProcessKey& key) { return platform::killProcess(key); };
    actions.closeConnection = [](const core::Socket& socket) {
        return platform::closeConnection(socket);
    };
    return actions;
}

} // namespace portscope::gui
