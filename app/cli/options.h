#pragma once
// The one option parser of portscope-cli. Every command reads the same Options, so a flag is
// spelled, checked and explained once, and means the same in each command that takes it.

#include "connection_filter.h"
#include "portscope/core/findings_config.h"
#include "portscope/core/net.h"
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
