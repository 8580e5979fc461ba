// What every backend's actions report, in the same words on every OS.

#include "common/action_result.h"

namespace portscope::platform {

namespace common {

std::string describeConnection(const core::Socket& socket) {
    return "the " + std::string(core::toString(socket.protocol)) + " connection " +
           socket.local.toString() + " -> " + socket.remote.toString();
}

} // namespace common

std::string_view toString(ActionStatus status) {
    switch (status) {
    case ActionStatus::Done:
        return "done";
    case ActionStatus::NoSuchProcess:
        return "no such process";
    case ActionStatus::ProcessChanged:
        return "process changed";
    case ActionStatus::PermissionDenied:
        return "permission denied";
    case ActionStatus::NotSupported:
        return "not supported";
    case ActionStatus::NotFound:
        return "not found";
    case ActionStatus::InvalidArgument:
        return "invalid argument";
    case ActionStatus::TimedOut:
        return "timed out";
    case ActionStatus::Failed:
        return "failed";
    }
    return "unknown";
}

} // namespace portscope::platform
