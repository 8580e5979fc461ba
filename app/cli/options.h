#pragma once
// The one option parser of portscope-cli. Every command reads the same Options, so a flag is
// spelled, checked and explained once, and means the same in each command that takes it.

#include "connection_filter.h"
#include "portscope/core/agent_config.h"
#include "portscope/core/findings_config.h"
#include "portscope/core/log_output.h"
#include "portscope/core/net.h"
#include "portscope/platform/ssh_remote.h"
#include "portscope/platform/system.h"

#include <charconv>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace portscope::cli {

// Bad arguments: run() prints the message and the usage text, and exits with kExitUsage.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Options {
    std::string command;
    std::vector<std::string> positional;
    std::string format;
    std::chrono::milliseconds interval{1000};
    std::optional<std::uint64_t> count;
    std::optional<std::chrono::milliseconds> duration;
    bool resolve = false;
    bool paced = false;
    bool noOwners = false;
    bool procFallback = false;
    platform::SensorChoice sensor = platform::SensorChoice::Auto;
    bool allCounters = false;
    std::optional<std::string> configPath;
    core::FindingsConfig findings; // from --config
    std::optional<std::uint64_t> startTime;
    std::optional<core::Endpoint> local;
    std::optional<core::Endpoint> remote;
    ConnectionFilter filter;
    std::optional<std::pair<int, int>> helperFds; // --helper-fds READ,WRITE
    bool elevated = false;
    // --ssh [user@]host[:port] and what goes with it: the machine whose sockets are shown
    // and acted on, through portscope-helper started there by the system's ssh client.
    platform::SshCommandLine ssh;
    // The language of the human-readable output (--lang, else the environment's): "en" or a
    // language of catalogue.h. JSON, NDJSON and CSV are English whatever it is.
    std::string language = "en";
    // Agent mode (watch --format ecs, agent): where events go (stdout when unset), which
    // events, how many wait while the receiver is away, and the syslog facility.
    std::optional<core::LogTarget> output;
    std::optional<core::AgentEvents> events;
    std::size_t queueLimit = core::AgentConfig{}.queueLimit;
    int facility = core::AgentConfig{}.facility;
    std::chrono::seconds heartbeat{0}; // watch: none unless asked; agent: from agent.conf
    std::optional<std::string> agentConfigPath;
    // capture: -w FILE ("-" is standard output), --filter (a pcap-filter expression there),
    // --interfaces, --max-size; --count counts packets.
    std::optional<std::string> writePath;
    std::string captureFilter;
    std::vector<std::string> interfaces;
    std::optional<std::uint64_t> maxSizeBytes;
};

// Reads the command and its options; throws UsageError naming the first bad one.
Options parseArguments(const std::vector<std::string>& args);

// The help text: every command with its options, the filters and the exit codes.
std::string_view usageText();

template <typename Number>
Number parseNumber(std::string_view option, std::string_view text) {
    Number value{};
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) {
        throw UsageError(std::string(option) + " expects a whole number, not '" +
                         std::string(text) + "'");
    }
    return value;
}

// Throws UsageError unless `format` is one of `allowed`.
void validateFormat(const std::string& format, std::initializer_list<std::string_view> allowed);

// Reads --config; every problem is a warning naming its key, and the defaults stay in force
// for the keys concerned, so a typo never stops monitoring.
core::FindingsConfig findingsConfigOf(const Options& options, std::ostream& err);

} // namespace portscope::cli
