// Fuzz target for agent.conf (parseAgentConfig). The file is read by a service nobody
// watches; every problem must name its line, be printable, and stay few however large the
// file, and an accepted file must set an output.

#include "fuzz_target.h"
#include "portscope/core/agent_config.h"

#include <string_view>

namespace {

using namespace portscope::core;

void require(bool condition, const char* what) {
    if (!condition) {
        portscope::fuzz::fail("agent_config", what);
    }
}

bool hasControlCharacters(std::string_view text) {
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            return true;
        }
    }
    return false;
}

} // namespace

constexpr portscope::fuzz::HeapBudget kBudget{64 * 1024, 32};

PORTSCOPE_FUZZ_TARGET(agent_config, kBudget) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const AgentConfigLoad load = parseAgentConfig(text);
    std::size_t lines = 1;
    for (const char c : text) {
        lines += c == '\n' ? 1 : 0;
    }
    require(load.problems.size() <= 21, "more than 20 problems listed one by one");
    for (const auto& problem : load.problems) {
        require(!problem.message.empty(), "a problem without a message");
        require(problem.line <= lines, "a problem on a line past the end");
        require(!hasControlCharacters(formatAgentProblem(problem, "agent.conf")),
                "a control character in a problem's text");
    }
    if (load.problems.empty()) {
        require(load.config.output.has_value(), "an accepted config without an output");
        require(load.config.queueLimit >= 1 && load.config.queueLimit <= kMaxAgentQueueLimit,
                "a queue limit out of range");
        require(load.config.interval.count() >= 250 && load.config.interval.count() <= 60'000,
                "an interval out of range");
        require(load.config.facility >= 0 && load.config.facility <= 23, "a facility out of range");
    }
    return 0;
}
