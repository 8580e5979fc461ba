// Fuzz target for the --output URL parser, and the syslog header built around untrusted host
// names. The URL comes from the command line or agent.conf; a refusal must say why without
// passing on control characters, and an accepted target must read back the same.

#include "fuzz_target.h"
#include "portscope/core/log_output.h"

#include <string>
#include <string_view>

namespace {

using namespace portscope::core;

constexpr std::string_view kTarget = "log_target";
using portscope::fuzz::hasControlCharacters;
using portscope::fuzz::require;

} // namespace

constexpr portscope::fuzz::HeapBudget kBudget{64 * 1024, 16};

PORTSCOPE_FUZZ_TARGET(log_target, kBudget) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::string error;
    const auto target = parseLogTarget(text, &error);
    if (!target) {
        require(kTarget, !error.empty(), "a refusal without a reason");
        require(kTarget, !hasControlCharacters(error), "a control character in a refusal");
    } else {
        require(kTarget, error.empty(), "an accepted target with an error");
        if (target->kind != LogTarget::Kind::Journal) {
            require(kTarget, !target->host.empty(), "a syslog target without a host");
            require(kTarget, target->port != 0, "a syslog target on port 0");
        }
        const auto again = parseLogTarget(toString(*target), &error);
        require(kTarget, again && *again == *target, "a target that does not read back the same");
    }

    // The same bytes as the host name of a syslog header: the header's fields stay printable
    // ASCII without spaces, so the message still splits into the same fields.
    SyslogHeader header;
    header.hostName = std::string(text);
    EcsEvent event;
    event.json = "{}";
    const std::string message = syslogMessage(header, event);
    std::size_t spaces = 0;
    for (const char c : message.substr(0, message.size() - event.json.size())) {
        require(kTarget, c >= 0x20 && c < 0x7f, "a control or non-ASCII byte in a syslog header");
        spaces += c == ' ' ? 1 : 0;
    }
    require(kTarget, spaces == 7, "a syslog header whose fields moved");
    return 0;
}
