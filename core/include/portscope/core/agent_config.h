#pragma once
// The agent's configuration file (/etc/portscope/agent.conf): where events go, which events,
// and the findings config to use. Unlike the findings config, where a typo keeps the default,
// every problem here is fatal: an agent that starts with a wrong output would send nothing
// where it is expected, and nobody watches its terminal.

#include "portscope/core/log_output.h"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portscope::core {

// Which events an agent sends. Findings, warnings and drop notices are always sent.
enum class AgentEvents : std::uint8_t { Findings, All };
std::optional<AgentEvents> parseAgentEvents(std::string_view text); // "findings", "all"

struct AgentConfig {
    std::optional<LogTarget> output; // required
    AgentEvents events = AgentEvents::Findings;
    std::string findingsConfig; // path; empty for the built-in thresholds
    std::chrono::milliseconds interval{1000};
    std::size_t queueLimit = 10'000; // events held while the receiver is away
    int facility = 3;                // syslog facility number (daemon)
    // How often an agent-heartbeat event is sent; 0 for never.
    std::chrono::seconds heartbeat{3600};
};

inline constexpr std::size_t kMaxAgentQueueLimit = 1'000'000;

struct AgentConfigProblem {
    std::size_t line = 0; // 1-based; 0 for the file as a whole
    std::string message;  // printable: the file's text is quoted sanitised
};

struct AgentConfigLoad {
    AgentConfig config;
    std::vector<AgentConfigProblem> problems; // empty when the file can be used
};

// KEY = VALUE lines; '#' starts a comment line. Keys: output, events, findings_config,
// interval (seconds, 0.25 to 60), queue (1 to kMaxAgentQueueLimit), facility (a name such as
// daemon or local0, or 0-23), heartbeat (whole seconds, 0 or 60 to 86400). Unknown keys,
// repeated keys and bad values are problems.
AgentConfigLoad parseAgentConfig(std::string_view text);

// "agent.conf:3: ..." for a problem on line 3.
std::string formatAgentProblem(const AgentConfigProblem& problem, std::string_view path);

// Whole seconds between heartbeats: 0 (none) or 60 to 86400.
std::optional<std::chrono::seconds> parseHeartbeat(std::string_view text);

// The facility number of a syslog facility name ("daemon" 3, "local0" 16...) or number.
std::optional<int> parseSyslogFacility(std::string_view text);

} // namespace portscope::core
