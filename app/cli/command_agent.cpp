#include "cli.h"
#include "commands.h"
#include "ecs_stream.h"
#include "output.h"

#include <fstream>
#include <iterator>
#include <ostream>

namespace portscope::cli {

namespace {

constexpr const char* kDefaultAgentConfig = "/etc/portscope/agent.conf";
constexpr std::streamsize kMaxAgentConfigBytes = 64 * 1024;

} // namespace

// Reads agent.conf strictly: any problem stops the agent before it sends anything, since an
// agent with a wrong output would fail where nobody looks.
int commandAgent(const Options& commandLine, std::ostream& out, std::ostream& err) {
    const std::string path = commandLine.agentConfigPath.value_or(kDefaultAgentConfig);
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        printError(err, "cannot read the agent config " + path);
        return kExitFailure;
    }
    std::string text(static_cast<std::size_t>(kMaxAgentConfigBytes) + 1, '\0');
    file.read(text.data(), kMaxAgentConfigBytes + 1);
    text.resize(static_cast<std::size_t>(file.gcount()));
    if (text.size() > static_cast<std::size_t>(kMaxAgentConfigBytes)) {
        printError(err, path + " is larger than 64 KiB; it is not an agent config");
        return kExitUsage;
    }
    const auto load = core::parseAgentConfig(text);
    for (const auto& problem : load.problems) {
        printError(err, core::formatAgentProblem(problem, path));
    }
    if (!load.problems.empty()) {
        return kExitUsage;
    }
    Options options = commandLine;
    options.output = load.config.output;
    options.events = load.config.events;
    options.interval = load.config.interval;
    options.queueLimit = load.config.queueLimit;
    options.facility = load.config.facility;
    options.heartbeat = load.config.heartbeat;
    if (!load.config.findingsConfig.empty()) {
        options.configPath = load.config.findingsConfig;
        options.findings = findingsConfigOf(options, err);
    }
    return streamEcs(options, load.config.events == core::AgentEvents::All, out, err);
}

} // namespace portscope::cli
