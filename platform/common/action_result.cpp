// What every backend's actions report, in the same words on every OS.

#include "common/action_result.h"

namespace portscope::platform {

namespace common {

core::SystemText connectionText(const core::Socket& socket) {
    return core::systemText(PORTSCOPE_TRANSLATABLE("SystemText", "the %1 connection %2 -> %3"),
                            {core::verbatimText(std::string(core::toString(socket.protocol))),
                             core::verbatimText(socket.local.toString()),
                             core::verbatimText(socket.remote.toString())});
}

std::string describeConnection(const core::Socket& socket) {
    return connectionText(socket).english();
}

ActionResult result(ActionStatus status, const char* english,
                    std::vector<core::SystemText> arguments) {
    core::SystemText text = core::systemText(english, std::move(arguments));
    std::string message = text.english();
    return ActionResult{status, std::move(message), std::move(text)};
}

} // namespace common

core::SystemText messageParts(const ActionResult& result) {
    return result.text.empty() ? core::verbatimText(result.message) : result.text;
}

std::string wordedMessage(const ActionResult& result, const core::FindingWording& wording) {
    return core::wordSystemText(messageParts(result), wording);
}

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
