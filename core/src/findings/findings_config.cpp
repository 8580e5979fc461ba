#include "portscope/core/findings_config.h"

#include "findings_rules.h"
#include "portscope/core/export.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>

namespace portscope::core {

namespace {

// Printable form of untrusted text for an error message, which may well reach a terminal:
// at most 80 bytes, cut before a UTF-8 continuation byte, with control characters escaped.
std::string printable(std::string_view text) {
    std::size_t cut = std::min<std::size_t>(text.size(), 80);
    while (cut < text.size() && cut > 76 &&
           (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
        --cut;
    }
    std::string out = terminalText(text.substr(0, cut));
    if (cut < text.size()) {
        out += "...";
    }
    return out;
}

std::string quoted(std::string_view text) {
    return "'" + printable(text) + "'";
}

// The items of a comma-separated list; std::nullopt when there are more than
// kMaxConfigListItems, before any more are collected.
std::optional<std::vector<std::string_view>> splitList(std::string_view text) {
    std::vector<std::string_view> items;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == ',') {
            const auto item = trim(text.substr(start, i - start));
            if (!item.empty()) {
                if (items.size() == kMaxConfigListItems) {
                    return std::nullopt;
                }
                items.push_back(item);
            }
            start = i + 1;
        }
    }
    return items;
}

std::string tooManyItems() {
    return "a list holds at most " + std::to_string(kMaxConfigListItems) +
           " items, and this one has more";
}

std::string formatDouble(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", value);
    return buffer;
}

std::string formatMilliseconds(Milliseconds value) {
    const auto ms = value.count();
    if (ms != 0 && ms % 3'600'000 == 0) {
        return std::to_string(ms / 3'600'000) + "h";
    }
    if (ms != 0 && ms % 60'000 == 0) {
        return std::to_string(ms / 60'000) + "m";
    }
    if (ms % 1000 == 0) {
        return std::to_string(ms / 1000) + "s";
    }
    return std::to_string(ms) + "ms";
}

using Error = std::optional<std::string>;

std::optional<std::uint64_t> parseWhole(std::string_view text) {
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

std::optional<double> parseReal(std::string_view text) {
    if (text.empty() || text.size() > 40) {
        return std::nullopt;
    }
    const std::string copy(text);
    char* end = nullptr;
    errno = 0;
    const double value = std::strtod(copy.c_str(), &end);
    if (end != copy.c_str() + copy.size() || errno != 0 || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

std::optional<Milliseconds> parseDuration(std::string_view text) {
    std::size_t digits = 0;
    while (digits < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.')) {
        ++digits;
    }
    const auto number = parseReal(text.substr(0, digits));
    if (!number || *number < 0) {
        return std::nullopt;
    }
    const std::string unit = lowerCase(trim(text.substr(digits)));
    double factor = 0;
    if (unit.empty() || unit == "s" || unit == "sec" || unit == "second" || unit == "seconds") {
        factor = 1000;
    } else if (unit == "ms") {
        factor = 1;
    } else if (unit == "m" || unit == "min" || unit == "minute" || unit == "minutes") {
        factor = 60'000;
    } else if (unit == "h" || unit == "hour" || unit == "hours") {
        factor = 3'600'000;
    } else {
        return std::nullopt;
    }
    const double ms = *number * factor;
    if (ms > 1e12) {
        return std::nullopt;
    }
    return Milliseconds(std::llround(ms));
}

// `apply` changes the config only when the whole value is good, so a bad line leaves it as
// it was.
struct KeySpec {
    std::string_view section;
    std::string_view key;
    std::string_view help;
    std::function<Error(FindingsConfig&, std::string_view)> apply;
    std::function<std::string(const FindingsConfig&)> show;
};

template <typename Get>
KeySpec boolKey(std::string_view section, std::string_view key, std::string_view help, Get get) {
    return {section, key, help,
            [get](FindingsConfig& config, std::string_view text) -> Error {
                const std::string value = lowerCase(text);
                if (value == "true" || value == "yes" || value == "on" || value == "1") {
                    get(config) = true;
                } else if (value == "false" || value == "no" || value == "off" || value == "0") {
                    get(config) = false;
                } else {
                    return "expected true or false, not " + quoted(text);
                }
                return std::nullopt;
            },
            [get](const FindingsConfig& config) {
                return std::string(get(config) ? "true" : "false");
            }};
}

template <typename Get>
KeySpec wholeKey(std::string_view section, std::string_view key, std::string_view help, Get get,
                 std::uint64_t min, std::uint64_t max) {
    return {section, key, help,
            [get, min, max](FindingsConfig& config, std::string_view text) -> Error {
                const auto value = parseWhole(text);
                if (!value || *value < min || *value > max) {
                    return "expected a whole number from " + std::to_string(min) + " to " +
                           std::to_string(max) + ", not " + quoted(text);
                }
                get(config) = static_cast<std::remove_reference_t<decltype(get(config))>>(*value);
                return std::nullopt;
            },
            [get](const FindingsConfig& config) { return std::to_string(get(config)); }};
}

template <typename Get>
KeySpec realKey(std::string_view section, std::string_view key, std::string_view help, Get get,
                double min, double max) {
    return {section, key, help,
            [get, min, max](FindingsConfig& config, std::string_view text) -> Error {
                const auto value = parseReal(text);
                if (!value || *value < min || *value > max) {
                    return "expected a number from " + formatDouble(min) + " to " +
                           formatDouble(max) + ", not " + quoted(text);
                }
                get(config) = *value;
                return std::nullopt;
            },
            [get](const FindingsConfig& config) { return formatDouble(get(config)); }};
}

template <typename Get>
KeySpec durationKey(std::string_view section, std::string_view key, std::string_view help, Get get,
                    Milliseconds min, Milliseconds max) {
    return {section, key, help,
            [get, min, max](FindingsConfig& config, std::string_view text) -> Error {
                const auto value = parseDuration(text);
                if (!value || *value < min || *value > max) {
                    return "expected a duration from " + formatMilliseconds(min) + " to " +
                           formatMilliseconds(max) +
                           " (a number with ms, s, m or h; plain numbers are seconds), not " +
                           quoted(text);
                }
                get(config) = *value;
                return std::nullopt;
            },
            [get](const FindingsConfig& config) { return formatMilliseconds(get(config)); }};
}

template <typename Get>
KeySpec portsKey(std::string_view section, std::string_view key, std::string_view help, Get get) {
    return {section, key, help,
            [get](FindingsConfig& config, std::string_view text) -> Error {
                const auto items = splitList(text);
                if (!items) {
                    return tooManyItems();
                }
                PortSet ports;
                for (const auto item : *items) {
                    const auto dash = item.find('-');
                    const auto first = parseWhole(trim(item.substr(0, dash)));
                    const auto last = dash == std::string_view::npos
                                          ? first
                                          : parseWhole(trim(item.substr(dash + 1)));
                    if (!first || !last || *first < 1 || *last > 65535 || *first > *last) {
                        return "expected ports from 1 to 65535 (a list such as 4444, 6666-6669), "
                               "but " +
                               quoted(item) + " is not one";
                    }
                    ports.insertRange(static_cast<std::uint16_t>(*first),
                                      static_cast<std::uint16_t>(*last));
                }
                get(config) = ports;
                return std::nullopt;
            },
            [get](const FindingsConfig& config) { return get(config).toString(); }};
}

template <typename Get>
KeySpec rangesKey(std::string_view section, std::string_view key, std::string_view help, Get get) {
    return {section, key, help,
            [get](FindingsConfig& config, std::string_view text) -> Error {
                const auto items = splitList(text);
                if (!items) {
                    return tooManyItems();
                }
                std::vector<AddressRange> ranges;
                for (const auto item : *items) {
                    std::string why;
                    const auto range = AddressRange::parse(item, &why);
                    if (!range) {
                        return "expected address ranges such as 10.20.0.0/16 or fd00::/8, but " +
                               why;
                    }
                    ranges.push_back(*range);
                }
                get(config) = std::move(ranges);
                return std::nullopt;
            },
            [get](const FindingsConfig& config) {
                std::string out;
                for (const auto& range : get(config)) {
                    out += out.empty() ? "" : ", ";
                    out += range.toString();
                }
                return out;
            }};
}

template <typename Get>
KeySpec wordsKey(std::string_view section, std::string_view key, std::string_view help, Get get) {
    return {section, key, help,
            [get](FindingsConfig& config, std::string_view text) -> Error {
                const auto items = splitList(text);
                if (!items) {
                    return tooManyItems();
                }
                std::vector<std::string> words;
                for (const auto item : *items) {
                    if (item.size() > 255) {
                        return "entries must be shorter than 256 characters; " + quoted(item) +
                               " is not";
                    }
                    words.emplace_back(item);
                }
                get(config) = std::move(words);
                return std::nullopt;
            },
            [get](const FindingsConfig& config) {
                std::string out;
                for (const auto& word : get(config)) {
                    out += out.empty() ? "" : ", ";
                    out += word;
                }
                return out;
            }};
}

using C = FindingsConfig;
constexpr Milliseconds kSecond{1000};
constexpr Milliseconds kDay{24 * 3'600'000};

const std::vector<KeySpec>& keySpecs() {
    static const std::vector<KeySpec> specs = [] {
        std::vector<KeySpec> s;
        // general
        s.push_back(durationKey(
            "findings", "clear_after",
            "How long a finding stays listed after its rule last saw the condition.",
            [](auto& c) -> auto& { return c.general.clearAfter; }, Milliseconds(0), kDay));
        s.push_back(realKey(
            "findings", "update_growth",
            "A finding is announced again when it grows by this factor.",
            [](auto& c) -> auto& { return c.general.updateGrowth; }, 1.01, 1000));
        // scope
        s.push_back(rangesKey(
            "scope", "internal", "Your organisation's own ranges; they count as LAN, not Internet.",
            [](auto& c) -> auto& { return c.scope.internal; }));
        s.push_back(rangesKey(
            "scope", "external", "Ranges to treat as the Internet even though they are reserved.",
            [](auto& c) -> auto& { return c.scope.external; }));
        // fanout-scan
        s.push_back(boolKey(
            "fanout-scan", "enabled", "Run this rule.",
            [](auto& c) -> auto& { return c.fanoutScan.enabled; }));
        s.push_back(wholeKey(
            "fanout-scan", "hosts", "Distinct remote hosts one process tries within the window.",
            [](auto& c) -> auto& { return c.fanoutScan.hosts; }, 2, 1'000'000));
        s.push_back(durationKey(
            "fanout-scan", "window", "The time window.",
            [](auto& c) -> auto& { return c.fanoutScan.window; }, kSecond,
            Milliseconds(3'600'000)));
        s.push_back(portsKey(
            "fanout-scan", "worm_ports",
            "Ports worms spread through; a scan of one of them is rated high.",
            [](auto& c) -> auto& { return c.fanoutScan.wormPorts; }));
        // syn-flood
        s.push_back(boolKey(
            "syn-flood", "enabled", "Run this rule.",
            [](auto& c) -> auto& { return c.synFlood.enabled; }));
        s.push_back(wholeKey(
            "syn-flood", "syn_recv", "Half-open connections (SYN_RECV) on one listener.",
            [](auto& c) -> auto& { return c.synFlood.synRecv; }, 1, 10'000'000));
        s.push_back(realKey(
            "syn-flood", "counter_rate", "Rise per second of the kernel's SYN-queue counters.",
            [](auto& c) -> auto& { return c.synFlood.counterRate; }, 0.01, 1e9));
        s.push_back(durationKey(
            "syn-flood", "window", "Window for the counter rate.",
            [](auto& c) -> auto& { return c.synFlood.window; }, kSecond, Milliseconds(3'600'000)));
        // long-lived-external
        s.push_back(boolKey(
            "long-lived-external", "enabled", "Run this rule.",
            [](auto& c) -> auto& { return c.longLivedExternal.enabled; }));
        s.push_back(durationKey(
            "long-lived-external", "min_age",
            "How long a connection to an Internet address must stay open.",
            [](auto& c) -> auto& { return c.longLivedExternal.minAge; }, kSecond, 30 * kDay));
        s.push_back(realKey(
            "long-lived-external", "low_rate",
            "Bytes per second below which its traffic counts as low.",
            [](auto& c) -> auto& { return c.longLivedExternal.lowRate; }, 0, 1e12));
        // new-listener
        s.push_back(boolKey(
            "new-listener", "enabled", "Run this rule.",
            [](auto& c) -> auto& { return c.newListener.enabled; }));
        s.push_back(boolKey(
            "new-listener", "udp", "Also report UDP sockets bound without a peer.",
            [](auto& c) -> auto& { return c.newListener.udp; }));
        s.push_back(wholeKey(
            "new-listener", "udp_port_below",
            "UDP ports at or above this are client ports, not services.",
            [](auto& c) -> auto& { return c.newListener.udpPortBelow; }, 1, 65536));
        // suspicious-port
        s.push_back(boolKey(
            "suspicious-port", "enabled", "Run this rule.",
            [](auto& c) -> auto& { return c.suspiciousPort.enabled; }));
        s.push_back(portsKey(
            "suspicious-port", "ports", "Ports favoured by backdoors and IRC bots.",
            [](auto& c) -> auto& { return c.suspiciousPort.ports; }));
        // connection-surge
        s.push_back(boolKey(
            "connection-surge", "enabled", "Run this rule.",
            [](auto& c) -> auto& { return c.connectionSurge.enabled; }));
        s.push_back(wholeKey(
            "connection-surge", "open_increase",
            "Growth in one process's open sockets within the window.",
            [](auto& c) -> auto& { return c.connectionSurge.openIncrease; }, 1, 100'000'000));
        s.push_back(realKey(
            "connection-surge", "new_per_second",
            "New connections per second of one process, over the window.",
            [](auto& c) -> auto& { return c.connectionSurge.newPerSecond; }, 0.01, 1e9));
        s.push_back(durationKey(
            "connection-surge", "window", "The time window.",
            [](auto& c) -> auto& { return c.connectionSurge.window; }, kSecond,
            Milliseconds(3'600'000)));
        // masquerade
        s.push_back(boolKey(
            "masquerade", "enabled", "Run this rule.",
            [](auto& c) -> auto& { return c.masquerade.enabled; }));
        s.push_back(wordsKey(
            "masquerade", "names", "More process names to protect (add .exe for Windows names).",
            [](auto& c) -> auto& { return c.masquerade.names; }));
        s.push_back(wholeKey(
            "masquerade", "max_distance",
            "Edit distance that counts as imitating a name of 8+ characters.",
            [](auto& c) -> auto& { return c.masquerade.maxDistance; }, 1, 4));
        s.push_back(wordsKey(
            "masquerade", "writable_dirs",
            "World-writable directories; '*' at the start matches anywhere.",
            [](auto& c) -> auto& { return c.masquerade.writableDirs; }));
        // inbound-scan
        s.push_back(boolKey(
            "inbound-scan", "enabled", "Run this rule.",
            [](auto& c) -> auto& { return c.inboundScan.enabled; }));
        s.push_back(realKey(
            "inbound-scan", "out_rsts", "Tcp.OutRsts per second.",
            [](auto& c) -> auto& { return c.inboundScan.outRsts; }, 0.01, 1e9));
        s.push_back(realKey(
            "inbound-scan", "udp_no_ports", "Udp.NoPorts per second.",
            [](auto& c) -> auto& { return c.inboundScan.udpNoPorts; }, 0.01, 1e9));
        s.push_back(realKey(
            "inbound-scan", "icmp_unreachables", "Icmp.OutDestUnreachs per second.",
            [](auto& c) -> auto& { return c.inboundScan.icmpUnreachables; }, 0.01, 1e9));
        s.push_back(durationKey(
            "inbound-scan", "window", "Window for the rates.",
            [](auto& c) -> auto& { return c.inboundScan.window; }, kSecond,
            Milliseconds(3'600'000)));
        return s;
    }();
    return specs;
}

bool knownSection(std::string_view section) {
    const auto& specs = keySpecs();
    return std::any_of(specs.begin(), specs.end(),
                       [&](const KeySpec& spec) { return spec.section == section; });
}

std::string sectionList() {
    std::string out;
    std::string_view last;
    for (const KeySpec& spec : keySpecs()) {
        if (spec.section != last) {
            out += out.empty() ? "" : ", ";
            out += spec.section;
            last = spec.section;
        }
    }
    return out;
}

std::string closestKey(std::string_view section, std::string_view key) {
    std::string best;
    std::size_t bestDistance = 3;
    for (const KeySpec& spec : keySpecs()) {
        if (spec.section != section) {
            continue;
        }
        const std::size_t distance = editDistance(key, spec.key);
        if (distance < bestDistance) {
            bestDistance = distance;
            best = std::string(spec.key);
        }
    }
    return best;
}

std::string keysOf(std::string_view section) {
    std::string out;
    for (const KeySpec& spec : keySpecs()) {
        if (spec.section == section) {
            out += out.empty() ? "" : ", ";
            out += spec.key;
        }
    }
    return out;
}

} // namespace

FindingsConfigLoad parseFindingsConfig(std::string_view text) {
    FindingsConfigLoad result;
    const FindingsConfig defaults;
    std::string section;
    bool sectionKnown = false;
    std::size_t lineNumber = 0;
    std::size_t position = 0;
    // Problems past the first kMaxConfigProblems are counted, not kept: a megabyte of bad
    // lines must not turn into a hundred megabytes of messages.
    std::size_t unlisted = 0;
    auto report = [&](ConfigProblem problem) {
        if (result.problems.size() < kMaxConfigProblems) {
            result.problems.push_back(std::move(problem));
        } else {
            ++unlisted;
        }
    };
    if (text.size() > kMaxConfigBytes) {
        result.problems.push_back(
            {"", 0, "the file is larger than 1 MB; it was not read and the defaults are in force"});
        return result;
    }
    while (position <= text.size()) {
        const auto end = text.find('\n', position);
        std::string_view line = text.substr(
            position, end == std::string_view::npos ? std::string_view::npos : end - position);
        position = end == std::string_view::npos ? text.size() + 1 : end + 1;
        ++lineNumber;
        line = trim(line);
        if (line.empty() || line.front() == '#' || line.front() == ';') {
            continue;
        }
        if (line.front() == '[') {
            if (line.back() != ']') {
                report({"", lineNumber,
                        "a section header must look like [fanout-scan], not " + quoted(line)});
                section.clear();
                sectionKnown = false;
                continue;
            }
            section = lowerCase(trim(line.substr(1, line.size() - 2)));
            sectionKnown = knownSection(section);
            if (!sectionKnown) {
                report(
                    {"[" + printable(section) + "]", lineNumber,
                     "unknown section, ignored with its keys; the sections are " + sectionList()});
            }
            continue;
        }
        const auto equals = line.find('=');
        if (equals == std::string_view::npos) {
            report({"", lineNumber, "expected 'key = value', not " + quoted(line)});
            continue;
        }
        const std::string key = printable(lowerCase(trim(line.substr(0, equals))));
        std::string_view value = trim(line.substr(equals + 1));
        // A comment after the value needs a space before its '#'.
        if (const auto comment = value.find(" #"); comment != std::string_view::npos) {
            value = trim(value.substr(0, comment));
        }
        if (section.empty()) {
            report({key, lineNumber,
                    "the key is outside any section (such as [fanout-scan]); ignored"});
            continue;
        }
        if (!sectionKnown) {
            continue; // its section was reported already
        }
        const std::string fullKey = section + "." + key;
        const auto& specs = keySpecs();
        const auto spec = std::find_if(specs.begin(), specs.end(), [&](const KeySpec& s) {
            return s.section == section && s.key == key;
        });
        if (spec == specs.end()) {
            const std::string suggestion = closestKey(section, key);
            report(
                {fullKey, lineNumber,
                 "unknown key, ignored" +
                     (suggestion.empty() ? "; the keys of [" + section + "] are " + keysOf(section)
                                         : "; did you mean " + suggestion + "?")});
            continue;
        }
        if (const Error error = spec->apply(result.config, value)) {
            const std::string shown = spec->show(defaults);
            report({fullKey, lineNumber,
                    *error + "; the default (" + (shown.empty() ? "none" : shown) +
                        ") stays in force"});
            // A later good line for the same key still applies; an earlier one is undone so
            // that exactly the default holds, as the message says.
            spec->apply(result.config, spec->show(defaults));
        }
    }
    if (unlisted > 0) {
        result.problems.push_back(
            {"", 0, std::to_string(unlisted) + " more problems like these were not listed"});
    }
    return result;
}

FindingsConfigLoad loadFindingsConfig(const std::string& path) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
        FindingsConfigLoad result;
        result.problems.push_back(
            {"", 0, "this is a directory, not a config file; the defaults are in force"});
        return result;
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        FindingsConfigLoad result;
        result.problems.push_back({"", 0,
                                   "cannot read the file (" + std::string(std::strerror(errno)) +
                                       "); the defaults are in force"});
        return result;
    }
    std::string text;
    char buffer[65536];
    while (file.read(buffer, sizeof buffer) || file.gcount() > 0) {
        text.append(buffer, static_cast<std::size_t>(file.gcount()));
        if (text.size() > kMaxConfigBytes) {
            break;
        }
    }
    if (file.bad()) {
        FindingsConfigLoad result;
        result.problems.push_back({"", 0, "reading the file failed; the defaults are in force"});
        return result;
    }
    return parseFindingsConfig(text);
}

std::string formatProblem(const ConfigProblem& problem, std::string_view source) {
    std::string out(source);
    if (problem.line > 0) {
        out += " line " + std::to_string(problem.line);
    }
    out += ": ";
    if (!problem.key.empty()) {
        out += problem.key + ": ";
    }
    out += problem.message;
    return out;
}

std::string defaultFindingsConfigText() {
    const FindingsConfig defaults;
    std::string out = "# PortScope findings configuration (docs/findings.md explains each rule).\n"
                      "# Durations take ms, s, m or h; a plain number is seconds.\n"
                      "# A bad value is reported with its key and that key keeps its default.\n";
    std::string_view section;
    for (const KeySpec& spec : keySpecs()) {
        if (spec.section != section) {
            section = spec.section;
            out += "\n[";
            out += section;
            out += "]\n";
        }
        out += "# ";
        out += spec.help;
        out += "\n";
        out += spec.key;
        const std::string value = spec.show(defaults);
        out += value.empty() ? " =\n" : " = " + value + "\n";
    }
    return out;
}

} // namespace portscope::core
