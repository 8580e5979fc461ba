#include "portscope/core/agent_config.h"

#include "portscope/core/text.h"

#include <array>
#include <charconv>
#include <cmath>
#include <set>
#include <utility>

namespace portscope::core {

namespace {

// Every problem after this many is counted in one line: a binary file fed as the config
// must not produce a message per byte.
constexpr std::size_t kMaxProblems = 20;

constexpr std::array<std::pair<std::string_view, int>, 20> kFacilities{{
    {"kern", 0},      {"user", 1},    {"mail", 2},    {"daemon", 3},  {"auth", 4},
    {"syslog", 5},    {"lpr", 6},     {"news", 7},    {"uucp", 8},    {"cron", 9},
    {"authpriv", 10}, {"ftp", 11},    {"local0", 16}, {"local1", 17}, {"local2", 18},
    {"local3", 19},   {"local4", 20}, {"local5", 21}, {"local6", 22}, {"local7", 23},
}};

std::string quoted(std::string_view text) {
    return "'" + excerptForDisplay(text, 60) + "'";
}

std::optional<std::chrono::milliseconds> parseInterval(std::string_view text) {
    // Seconds with an optional fraction, such as 0.5 or 2; no sign, no exponent.
    double seconds = 0;
    const auto [end, error] =
        std::from_chars(text.data(), text.data() + text.size(), seconds, std::chars_format::fixed);
    if (error != std::errc{} || end != text.data() + text.size() || !std::isfinite(seconds) ||
        text.front() == '-' || text.front() == '+') {
        return std::nullopt;
    }
    const auto milliseconds = std::llround(seconds * 1000);
    if (milliseconds < 250 || milliseconds > 60'000) {
        return std::nullopt;
    }
    return std::chrono::milliseconds(milliseconds);
}

} // namespace

std::optional<AgentEvents> parseAgentEvents(std::string_view text) {
    if (text == "findings") {
        return AgentEvents::Findings;
    }
    if (text == "all") {
        return AgentEvents::All;
    }
    return std::nullopt;
}

std::optional<std::chrono::seconds> parseHeartbeat(std::string_view text) {
    unsigned seconds = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size() ||
        (seconds != 0 && (seconds < 60 || seconds > 86'400))) {
        return std::nullopt;
    }
    return std::chrono::seconds(seconds);
}

std::optional<int> parseSyslogFacility(std::string_view text) {
    for (const auto& [name, number] : kFacilities) {
        if (name == text) {
            return number;
        }
    }
    int number = -1;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error == std::errc{} && end == text.data() + text.size() && number >= 0 && number <= 23 &&
        !text.empty() && text.front() != '-' && text.front() != '+') {
        return number;
    }
    return std::nullopt;
}

AgentConfigLoad parseAgentConfig(std::string_view text) {
    AgentConfigLoad load;
    std::size_t problemsLeftOut = 0;
    auto problem = [&](std::size_t line, std::string message) {
        if (load.problems.size() < kMaxProblems) {
            load.problems.push_back({line, std::move(message)});
        } else {
            ++problemsLeftOut;
        }
    };
    std::set<std::string, std::less<>> seen;
    std::size_t lineNumber = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto newline = text.find('\n', start);
        std::string_view line =
            text.substr(start, newline == std::string_view::npos ? text.npos : newline - start);
        start = newline == std::string_view::npos ? text.size() + 1 : newline + 1;
        ++lineNumber;
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        line = trim(line);
        if (line.empty() || line.front() == '#') {
            continue;
        }
        const auto equals = line.find('=');
        if (equals == std::string_view::npos) {
            problem(lineNumber, "expected KEY = VALUE, not " + quoted(line));
            continue;
        }
        const auto key = trim(line.substr(0, equals));
        const auto value = trim(line.substr(equals + 1));
        if (key.empty()) {
            problem(lineNumber, "a value without a key");
            continue;
        }
        if (!seen.insert(std::string(key)).second) {
            problem(lineNumber, quoted(key) + " is set twice; keep one line");
            continue;
        }
        if (value.empty()) {
            problem(lineNumber, quoted(key) + " has no value");
            continue;
        }
        if (key == "output") {
            std::string error;
            load.config.output = parseLogTarget(value, &error);
            if (!load.config.output) {
                problem(lineNumber, "output: " + error);
            }
        } else if (key == "events") {
            const auto events = parseAgentEvents(value);
            if (!events) {
                problem(lineNumber, "events must be findings or all, not " + quoted(value));
            } else {
                load.config.events = *events;
            }
        } else if (key == "findings_config") {
            if (value.front() != '/') {
                problem(lineNumber,
                        "findings_config must be an absolute path, not " + quoted(value));
            } else if (sanitizeForDisplay(value, value.size()) != value) {
                problem(lineNumber, "findings_config holds a control character or invalid "
                                    "UTF-8: " +
                                        quoted(value));
            } else {
                load.config.findingsConfig = std::string(value);
            }
        } else if (key == "interval") {
            const auto interval = parseInterval(value);
            if (!interval) {
                problem(lineNumber,
                        "interval must be seconds from 0.25 to 60, not " + quoted(value));
            } else {
                load.config.interval = *interval;
            }
        } else if (key == "queue") {
            std::size_t limit = 0;
            const auto [end, error] =
                std::from_chars(value.data(), value.data() + value.size(), limit);
            if (error != std::errc{} || end != value.data() + value.size() || limit == 0 ||
                limit > kMaxAgentQueueLimit) {
                problem(lineNumber, "queue must be a number of events from 1 to " +
                                        std::to_string(kMaxAgentQueueLimit) + ", not " +
                                        quoted(value));
            } else {
                load.config.queueLimit = limit;
            }
        } else if (key == "facility") {
            const auto facility = parseSyslogFacility(value);
            if (!facility) {
                problem(lineNumber, "facility must be a syslog facility such as daemon, "
                                    "authpriv or local0 (or 0-23), not " +
                                        quoted(value));
            } else {
                load.config.facility = *facility;
            }
        } else if (key == "heartbeat") {
            const auto heartbeat = parseHeartbeat(value);
            if (!heartbeat) {
                problem(lineNumber, "heartbeat must be whole seconds from 60 to 86400, or 0 for "
                                    "none, not " +
                                        quoted(value));
            } else {
                load.config.heartbeat = *heartbeat;
            }
        } else {
            problem(lineNumber, "unknown key " + quoted(key) +
                                    "; the keys are output, events, findings_config, "
                                    "interval, queue, facility and heartbeat");
        }
    }
    if (!load.config.output && !seen.contains("output")) {
        problem(0, "no output is set; add a line such as output = syslog+tcp://127.0.0.1:514");
    }
    if (problemsLeftOut > 0) {
        load.problems.push_back({0, std::to_string(problemsLeftOut) + " more problems"});
    }
    return load;
}

std::string formatAgentProblem(const AgentConfigProblem& problem, std::string_view path) {
    std::string text = sanitizeForDisplay(path, 512);
    if (problem.line > 0) {
        text += ":" + std::to_string(problem.line);
    }
    return text + ": " + problem.message;
}

} // namespace portscope::core
