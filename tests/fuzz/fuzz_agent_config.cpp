// Fuzz target for agent.conf (parseAgentConfig). The file is read by a service nobody
// watches; every problem must name its line, be printable, and stay few however large the
// file, and an accepted file must set an output.

#include "fuzz_target.h"
#include "portscope/core/agent_config.h"

#include <string_view>

namespace {

using namespace portscope::core;

constexpr std::string_view kTarget = "agent_config";
using portscope::fuzz::hasControlCharacters;
using portscope::fuzz::require;

} // namespace

constexpr portscope::fuzz::HeapBudget kBudget{64 * 1024, 32};

PORTSCOPE_FUZZ_TARGET(agent_config, kBudget) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const AgentConfigLoad load = parseAgentConfig(text);
    std::size_t lines = 1;
    for (const char c : text) {
        lines += c == '\n' ? 1 : 0;
    }
    require(kTarget, load.problems.size() <= 21, "more than 20 problems listed one by one");
    for (const auto& problem : load.problems) {
        require(kTarget, !problem.message.empty(), "a problem without a message");
        require(kTarget, problem.line <= lines, "a problem on a line past the end");
        require(kTarget, !hasControlCharacters(formatAgentProblem(problem, "agent.conf")),
                "a control character in a problem's text");
    }
    if (load.problems.empty()) {
        require(kTarget, load.config.output.has_value(), "an accepted config without an output");
        require(kTarget,
                load.config.queueLimit >= 1 && load.config.queueLimit <= kMaxAgentQueueLimit,
                "a queue limit out of range");
        require(kTarget,
                load.config.interval.count() >= 250 && load.config.interval.count() <= 60'000,
                "an interval out of range");
        require(kTarget, load.config.facility >= 0 && load.config.facility <= 23,
                "a facility out of range");
    }
    return 0;
}
