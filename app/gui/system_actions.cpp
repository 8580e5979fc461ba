#include "system_actions.h"

#include "portscope/platform/helper_client.h"

namespace portscope::gui {

SystemActions SystemActions::platformActions() {
    SystemActions actions;
    actions.killProcess = [](const core::ProcessKey& key) { return platform::killProcess(key); };
    actions.closeConnection = [](const core::Socket& socket) {
        return platform::closeConnection(socket);
    };
    return actions;
}

SystemActions SystemActions::helperActions(std::shared_ptr<platform::HelperConnection> helper) {
    SystemActions actions;
    actions.killProcess = [helper](const core::ProcessKey& key) {
        return helper->killProcess(key);
    };
    actions.closeConnection = [helper](const core::Socket& socket) {
        return helper->closeConnection(socket);
    };
    return actions;
}

} // namespace portscope::gui
