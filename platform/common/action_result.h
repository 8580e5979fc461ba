#pragma once
// The words every backend's actions use, so that a kill or a close reads the same on every OS.

#include "portscope/core/model.h"
#include "portscope/core/translatable.h"
#include "portscope/platform/system.h"

#include <string>
#include <utility>
#include <vector>

namespace portscope::platform::common {

// "the TCP connection 10.0.0.1:5000 -> 10.0.0.2:443", for messages about one connection.
core::SystemText connectionText(const core::Socket& socket);
std::string describeConnection(const core::Socket& socket);

// A result in English only; prefer the one in parts, which front ends translate.
inline ActionResult result(ActionStatus status, std::string message) {
    return ActionResult{status, std::move(message)};
}

// A result whose sentence is `english`, a PORTSCOPE_TRANSLATABLE("SystemText", ...) template,
// with its arguments.
ActionResult result(ActionStatus status, const char* english,
                    std::vector<core::SystemText> arguments);

} // namespace portscope::platform::common
