#pragma once
// The words every backend's actions use, so that a kill or a close reads the same on every OS.

#include "portscope/core/model.h"
#include "portscope/platform/system.h"

#include <string>
#include <utility>

namespace portscope::platform::common {

// "the TCP connection 10.0.0.1:5000 -> 10.0.0.2:443", for messages about one connection.
std::string describeConnection(const core::Socket& socket);

inline ActionResult result(ActionStatus status, std::string message) {
    return ActionResult{status, std::move(message)};
}

} // namespace portscope::platform::common
