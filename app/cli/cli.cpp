#include "cli.h"

#include "portscope/core/engine.h"
#include "portscope/core/export.h"
#include "portscope/core/filter_query.h"
#include "portscope/core/findings_engine.h"
#include "portscope/core/recording_source.h"
#include "portscope/core/replay.h"
#include "portscope/core/text.h"
#include "portscope/core/units.h"
#include "portscope/platform/system.h"
#if defined(__linux__)
#include "portscope/platform/helper_client.h"
#endif

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <iomanip>
#include <map>
#include <mutex>
#include <optional>
#include <ostream>
#include <set>
#include <span>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace portscope::cli {

namespace {

std::atomic<bool> stopRequested{false};

constexpr std::string_view kUsage = R"(Usage: portscope-cli COMMAND [OPTIONS]

Commands:
  snapshot                  list every socket with its owner once
      --format table|csv|json   (default table)
  watch                     stream added/removed/changed connections as NDJSON
      --interval SECONDS        0.25 to 60 (default 1)
      --count N                 stop after N updates
      --duration SECONDS        stop after this long
      --resolve                 add reverse-DNS host names when known
  record FILE               record snapshots to FILE (same options as watch)
  replay FILE               play a recorded file through the tracker
      --format ndjson|table|csv|json   ndjson streams events; the others print the
                                       final state (default ndjson)
      --paced                   wait --interval between records
  kill PID                  terminate a process, checking it is still the same process
      --start-time TICKS        refuse unless the process has this start time
  close                     close one TCP connection
      --local ADDR:PORT --remote ADDR:PORT
  stats                     netstat -s counters with per-second rates; '!' marks counters
                            behind an active finding
      --interval SECONDS        rate interval (default 1)
      --count N                 print N tables (default 1)
      --all                     include counters that are zero
      --format table|ndjson     (default table)
  help                      show this text

Findings (snapshot, watch, replay, stats): --config FILE reads rule thresholds and
address ranges (docs/findings.md); a bad value is reported and its default stays in force.

Filters (snapshot, watch, replay; docs/filter.md): every filter given must match.
  --filter EXPR             the GUI's filter language, e.g. 'proc:sshd -state:listen'
  --pid PID  --process NAME  --port PORT  --state STATE  --proto tcp|udp  --family 4|6
                            repeat one of these to allow several values

Source options: --no-owners (skip owner lookup), --proc-fallback (read /proc/net text)

Administrator rights (snapshot, watch, record, stats, kill, close; Linux):
  --elevated                start portscope-helper through pkexec: every owner is shown,
                            and kill and close run as root
  --helper-fds R,W          use a portscope-helper already connected on descriptors R and W

Exit codes: 0 ok, 1 failure, 2 usage, 3 refused (no such process/connection or PID
reused), 4 permission denied, 5 not supported, 6 replay file damaged, 130 interrupted.
)";

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The rows snapshot, watch and replay print. Each --filter expression and each filter flag
// becomes terms of one core::FilterQuery, so all must match; the values of a repeated flag
// are alternatives of its term (--port 80 --port 443 is port:80,443). --pid, --process and
// --port select findings too, by their process or by the ports of their sockets.
struct ConnectionFilter {
    std::vector<std::string> expressions; // --filter, each already checked
    std::vector<std::int32_t> pids;
    std::vector<std::string> processNames;
    std::vector<std::uint16_t> ports;
    std::vector<core::SocketState> states;
    std::vector<core::Protocol> protocols;
    std::vector<core::Family> families;
    core::FilterQuery query; // all of the above; built by buildQuery()

    bool empty() const { return query.empty(); }
    bool matches(const core::Connection& connection, const core::ProcessRow* owner) const {
        return query.matches(connection, owner);
    }
    void buildQuery();
};

template <typename Value, typename Format>
std::string termOf(std::string_view field, const std::vector<Value>& values, Format format) {
    std::string term;
    for (const auto& value : values) {
        term += term.empty() ? std::string(field) + ":" : ",";
        term += format(value);
    }
    return term;
}

void ConnectionFilter::buildQuery() {
    std::vector<std::string> terms = expressions;
    auto number = [](auto value) { return std::to_string(value); };
    terms.push_back(termOf("pid", pids, number));
    terms.push_back(termOf("proc", processNames, core::quotedFilterValue));
    terms.push_back(termOf("port", ports, number));
    terms.push_back(termOf("state", states, [](core::SocketState state) {
        return core::lowerCase(core::toString(state));
    }));
    terms.push_back(termOf("proto", protocols, [](core::Protocol protocol) {
        return core::lowerCase(core::toString(protocol));
    }));
    terms.push_back(termOf("family", families, [](core::Family family) {
        return family == core::Family::V4 ? "4" : "6";
    }));
    std::string text;
    for (const auto& term : terms) {
        if (!term.empty()) {
            text += text.empty() ? "" : " ";
            text += term;
        }
    }
    core::FilterQueryError error;
    auto parsed = core::FilterQuery::parse(text, &error);
    if (!parsed) {
        throw std::logic_error("the filter flags gave the query '" + text +
                               "', which does not parse: " + error.message);
    }
    query = std::move(*parsed);
}

// Checks one --filter expression; a bad one is a usage error naming the column and term.
std::string checkedFilterExpression(std::string_view text) {
    core::FilterQueryError error;
    if (core::FilterQuery::parse(text, &error)) {
        return std::string(text);
    }
    std::size_t column = 1;
    for (std::size_t i = 0; i < error.position && i < text.size(); ++i) {
        // Count characters, not bytes: continuation bytes of UTF-8 do not start a column.
        column += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 ? 1 : 0;
    }
    const auto term = text.substr(std::min(error.position, text.size()), error.length);
    // The message quotes the term too; both may come from a script's untrusted input.
    throw UsageError("--filter: column " + std::to_string(column) + " ('" +
                     core::excerptForDisplay(term, 60) +
                     "'): " + core::sanitizeForDisplay(error.message, 1024));
}

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

std::chrono::milliseconds parseSeconds(std::string_view option, std::string_view text) {
    double seconds = 0;
    try {
        std::size_t used = 0;
        seconds = std::stod(std::string(text), &used);
        if (used != text.size()) {
            throw std::invalid_argument("trailing characters");
        }
    } catch (const std::exception&) {
        throw UsageError(std::string(option) + " expects seconds, such as 0.5 or 10, not '" +
                         std::string(text) + "'");
    }
    if (!std::isfinite(seconds) || seconds <= 0 || seconds > 365 * 24 * 3600.0) {
        throw UsageError(std::string(option) + " must be a positive number of seconds");
    }
    return std::chrono::milliseconds(std::llround(seconds * 1000));
}

core::Endpoint parseEndpoint(std::string_view option, std::string_view text) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
        throw UsageError(std::string(option) + " expects ADDRESS:PORT, such as 127.0.0.1:80 or "
                                               "[::1]:80");
    }
    const auto address = core::IpAddress::parse(text.substr(0, colon));
    if (!address) {
        throw UsageError(std::string(option) + ": '" + std::string(text.substr(0, colon)) +
                         "' is not an IP address");
    }
    return {*address, parseNumber<std::uint16_t>(option, text.substr(colon + 1))};
}

Options parseArguments(const std::vector<std::string>& args) {
    Options options;
    if (args.empty()) {
        throw UsageError("no command given");
    }
    options.command = args[0];
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& arg = args[i];
        auto value = [&]() -> std::string_view {
            if (i + 1 >= args.size()) {
                throw UsageError(arg + " needs a value");
            }
            return args[++i];
        };
        if (arg == "--format") {
            options.format = value();
        } else if (arg == "--interval") {
            options.interval = parseSeconds(arg, value());
            if (options.interval < core::Engine::kMinInterval ||
                options.interval > core::Engine::kMaxInterval) {
                throw UsageError("--interval must be between 0.25 and 60 seconds");
            }
        } else if (arg == "--count") {
            options.count = parseNumber<std::uint64_t>(arg, value());
            if (*options.count == 0) {
                throw UsageError("--count must be at least 1");
            }
        } else if (arg == "--duration") {
            options.duration = parseSeconds(arg, value());
        } else if (arg == "--resolve") {
            options.resolve = true;
        } else if (arg == "--paced") {
            options.paced = true;
        } else if (arg == "--no-owners") {
            options.noOwners = true;
        } else if (arg == "--proc-fallback") {
            options.procFallback = true;
        } else if (arg == "--elevated") {
            options.elevated = true;
        } else if (arg == "--helper-fds") {
            const auto text = value();
            const auto comma = text.find(',');
            if (comma == std::string_view::npos) {
                throw UsageError("--helper-fds expects READFD,WRITEFD, such as 3,4");
            }
            options.helperFds = {parseNumber<int>(arg, text.substr(0, comma)),
                                 parseNumber<int>(arg, text.substr(comma + 1))};
            if (options.helperFds->first < 0 || options.helperFds->second < 0) {
                throw UsageError("--helper-fds expects descriptors of 0 or more");
            }
        } else if (arg == "--all") {
            options.allCounters = true;
        } else if (arg == "--config") {
            options.configPath = std::string(value());
        } else if (arg == "--start-time") {
            options.startTime = parseNumber<std::uint64_t>(arg, value());
        } else if (arg == "--local") {
            options.local = parseEndpoint(arg, value());
        } else if (arg == "--remote") {
            options.remote = parseEndpoint(arg, value());
        } else if (arg == "--filter") {
            options.filter.expressions.push_back(checkedFilterExpression(value()));
        } else if (arg == "--pid") {
            const auto pid = parseNumber<std::int32_t>(arg, value());
            if (pid <= 0) {
                throw UsageError("--pid must be positive");
            }
            options.filter.pids.push_back(pid);
        } else if (arg == "--process") {
            const auto name = value();
            if (name.empty()) {
                throw UsageError("--process expects a name or a part of one");
            }
            options.filter.processNames.emplace_back(name);
        } else if (arg == "--port") {
            options.filter.ports.push_back(parseNumber<std::uint16_t>(arg, value()));
        } else if (arg == "--state") {
            const auto text = value();
            const auto state = core::parseSocketState(text);
            if (!state) {
                throw UsageError("unknown state '" + std::string(text) +
                                 "'; use LISTEN, ESTABLISHED, SYN_SENT, SYN_RECV, TIME_WAIT, "
                                 "CLOSE_WAIT, FIN_WAIT1, FIN_WAIT2, LAST_ACK, CLOSING, BOUND");
            }
            options.filter.states.push_back(*state);
        } else if (arg == "--proto") {
            const auto text = value();
            const auto protocol = core::parseProtocol(text);
            if (!protocol) {
                throw UsageError("--proto expects tcp or udp, not '" + std::string(text) + "'");
            }
            options.filter.protocols.push_back(*protocol);
        } else if (arg == "--family") {
            const auto text = value();
            const auto family = core::parseFamily(text);
            if (!family) {
                throw UsageError("--family expects 4 or 6, not '" + std::string(text) + "'");
            }
            options.filter.families.push_back(*family);
        } else if (arg.starts_with("--")) {
            throw UsageError("unknown option " + arg);
        } else {
            options.positional.push_back(arg);
        }
    }
    options.filter.buildQuery();
    return options;
}

std::vector<core::ExportRow> filteredRows(const core::Update& update, const ConnectionFilter& f) {
    auto rows = core::exportRowsOf(update);
    if (!f.empty()) {
        std::erase_if(rows, [&](const core::ExportRow& row) {
            return !f.matches(*row.connection, row.process);
        });
    }
    return rows;
}

// Appends `text` left-aligned in a column of `width` bytes and one space, like
// std::left << std::setw(width) << text << ' '.
void appendColumn(std::string& line, std::string_view text, std::size_t width) {
    line += text;
    if (text.size() < width) {
        line.append(width - text.size(), ' ');
    }
    line += ' ';
}

// Built in one string and written in large pieces: at 100k rows, formatting each field
// through the stream cost about as much as the whole dump.
void printTable(std::ostream& out, const core::Update& update,
                const std::vector<core::ExportRow>& rows) {
    std::string text;
    text.reserve(64 * 1024 + 256);
    appendColumn(text, "PROTO", 5);
    appendColumn(text, "LOCAL", 46);
    appendColumn(text, "REMOTE", 46);
    appendColumn(text, "STATE", 12);
    appendColumn(text, "PID", 8);
    text += "PROCESS\n";
    for (const auto& row : rows) {
        const auto& s = row.connection->socket;
        appendColumn(text, core::toString(s.protocol), 5);
        appendColumn(text, s.local.toString(), 46);
        if (!row.connection->remoteHostName.empty()) {
            appendColumn(text,
                         core::terminalText(row.connection->remoteHostName) + ":" +
                             std::to_string(s.remote.port),
                         46);
        } else {
            appendColumn(text, s.remote.toString(), 46);
        }
        appendColumn(text, core::toString(s.state), 12);
        appendColumn(text, s.owner.pid > 0 ? std::to_string(s.owner.pid) : "-", 8);
        if (row.process) {
            text += core::terminalText(row.process->process.name);
        } else {
            text += '(';
            text += core::toString(s.ownerStatus);
            text += ')';
        }
        text += '\n';
        if (text.size() >= 64 * 1024) {
            out.write(text.data(), static_cast<std::streamsize>(text.size()));
            text.clear();
        }
    }
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out << rows.size() << " sockets (" << update.totals.counts.tcp << " TCP, "
        << update.totals.counts.udp << " UDP), " << update.totals.processes << " processes, "
        << "polled in " << std::fixed << std::setprecision(1)
        << static_cast<double>(update.pollDurationNs) / 1e6 << " ms\n";
}

// --pid, --process and --port select findings too; the other filters describe sockets only.
bool findingMatches(const ConnectionFilter& filter, const core::Finding& finding) {
    if (!filter.pids.empty() && std::find(filter.pids.begin(), filter.pids.end(),
                                          finding.process.pid) == filter.pids.end()) {
        return false;
    }
    if (!filter.processNames.empty() &&
        std::none_of(filter.processNames.begin(), filter.processNames.end(),
                     [&](const std::string& name) {
                         return core::containsIgnoringCase(finding.processName, name) ||
                                core::containsIgnoringCase(finding.exePath, name);
                     })) {
        return false;
    }
    if (!filter.ports.empty() &&
        std::none_of(finding.sockets.begin(), finding.sockets.end(),
                     [&](const core::EvidenceSocket& socket) {
                         return std::find_if(filter.ports.begin(), filter.ports.end(),
                                             [&](std::uint16_t port) {
                                                 return socket.local.port == port ||
                                                        socket.remote.port == port;
                                             }) != filter.ports.end();
                     })) {
        return false;
    }
    return true;
}

std::vector<const core::Finding*> filteredFindings(const core::Update& update,
                                                   const ConnectionFilter& filter) {
    std::vector<const core::Finding*> findings;
    for (const auto& finding : update.findings) {
        if (findingMatches(filter, finding)) {
            findings.push_back(&finding);
        }
    }
    return findings;
}

void printFindingsTable(std::ostream& out, const std::vector<const core::Finding*>& findings) {
    if (findings.empty()) {
        out << "\nNo findings.\n";
        return;
    }
    out << "\nFINDINGS\n"
        << std::left << std::setw(8) << "SEVERITY" << ' ' << std::setw(20) << "RULE" << ' '
        << std::setw(8) << "PID" << ' ' << "SUMMARY\n";
    for (const auto* finding : findings) {
        out << std::setw(8) << core::toString(finding->severity) << ' ' << std::setw(20)
            << core::terminalText(finding->ruleId) << ' ' << std::setw(8)
            << (finding->process.valid() ? std::to_string(finding->process.pid) : "-") << ' '
            << core::terminalText(finding->summary) << '\n'
            << std::string(38, ' ') << "action: " << core::terminalText(finding->action) << '\n';
    }
}

// The snapshot document with a "findings" array added before its closing brace.
std::string jsonWithFindings(const core::Update& update, std::span<const core::ExportRow> rows,
                             const std::vector<const core::Finding*>& findings) {
    std::string document = core::updateJson(update, rows);
    const auto close = document.find_last_of('}');
    if (close == std::string::npos) {
        throw std::logic_error("the snapshot document is not a JSON object");
    }
    std::string list = ",\"findings\":[";
    for (std::size_t i = 0; i < findings.size(); ++i) {
        list += i ? ",\n" : "\n";
        list += core::findingJson(*findings[i]);
    }
    list += "]";
    document.insert(close, list);
    return document;
}

void printFinalState(std::ostream& out, const std::string& format, const core::Update& update,
                     const ConnectionFilter& filter) {
    const auto rows = filteredRows(update, filter);
    if (format == "csv") {
        out << core::connectionsCsv(rows);
    } else if (format == "json") {
        out << jsonWithFindings(update, rows, filteredFindings(update, filter));
    } else {
        printTable(out, update, rows);
        printFindingsTable(out, filteredFindings(update, filter));
    }
}

// Reads --config; every problem is a warning naming its key, and the defaults stay in force
// for the keys concerned, so a typo never stops monitoring.
core::FindingsConfig findingsConfigOf(const Options& options, std::ostream& err) {
    if (!options.configPath) {
        return {};
    }
    auto load = core::loadFindingsConfig(*options.configPath);
    for (const auto& problem : load.problems) {
        err << "portscope-cli: warning: "
            << core::terminalText(core::formatProblem(problem, *options.configPath)) << '\n';
    }
    return std::move(load.config);
}

void validateFormat(const std::string& format, std::initializer_list<std::string_view> allowed) {
    if (std::find(allowed.begin(), allowed.end(), format) == allowed.end()) {
        std::string list;
        for (auto name : allowed) {
            list += list.empty() ? "" : ", ";
            list += name;
        }
        throw UsageError("--format must be one of " + list + ", not '" + format + "'");
    }
}

platform::LiveSourceOptions sourceOptions(const Options& options) {
    platform::LiveSourceOptions source;
    source.resolveOwners = !options.noOwners;
    source.forceProcFallback = options.procFallback;
    return source;
}

#if defined(__linux__)
// --helper-fds and --elevated: portscope-helper reads the system and acts on it as root.
// Null when neither was given, or when we are root already.
std::shared_ptr<platform::HelperConnection> connectHelper(const Options& options) {
    platform::HelperOptions helperOptions;
    helperOptions.source = sourceOptions(options);
    if (options.helperFds) {
        return platform::HelperConnection::adopt(options.helperFds->first,
                                                 options.helperFds->second, helperOptions);
    }
    if (options.elevated && !platform::runningAsAdministrator()) {
        return platform::HelperConnection::launch(platform::HelperLaunch{}, helperOptions);
    }
    return nullptr;
}
#endif

std::unique_ptr<core::SnapshotSource> liveSource(const Options& options) {
#if defined(__linux__)
    if (auto helper = connectHelper(options)) {
        return platform::makeHelperSource(std::move(helper));
    }
#else
    if (options.helperFds || options.elevated) {
        throw UsageError("--elevated and --helper-fds exist on Linux only; run portscope-cli "
                         "as administrator instead");
    }
#endif
    return platform::makeLiveSource(sourceOptions(options));
}

// Turns one update into NDJSON lines: an event per added, removed and changed connection,
// then a tick summary. Warnings are said once each.
class EventWriter {
public:
    EventWriter(std::ostream& out, const ConnectionFilter& filter) : out_(out), filter_(filter) {}

    void write(const core::Update& update) {
        const std::string time = core::jsonString(core::formatUnixMs(update.unixMs));
        for (const auto& warning : update.warnings) {
            if (warningsSaid_.insert(warning).second) {
                out_ << "{\"event\":\"warning\",\"time\":" << time
                     << ",\"message\":" << core::jsonString(warning) << "}\n";
            }
        }
        if (update.closeEventsLost) {
            out_ << "{\"event\":\"warning\",\"time\":" << time
                 << ",\"message\":\"The kernel dropped close events; a full dump recovered. "
                    "Connections shorter than one poll may be missing.\"}\n";
        }
        emit(update, update.added, "added", time);
        emit(update, update.changed, "changed", time);
        emit(update, update.removed, "removed", time);
        emitFindings(update, time);
        out_ << "{\"event\":\"tick\",\"time\":" << time << ",\"sequence\":" << update.sequence
             << ",\"poll_ms\":" << static_cast<double>(update.pollDurationNs) / 1e6
             << ",\"track_ms\":" << static_cast<double>(update.trackDurationNs) / 1e6
             << ",\"connections\":" << update.connections.size()
             << ",\"processes\":" << update.totals.processes << ",\"added\":" << update.added.size()
             << ",\"removed\":" << update.removed.size() << ",\"changed\":" << update.changed.size()
             << ",\"findings\":" << update.findings.size() << ",\"send_rate\":"
             << (update.totals.hasRate ? std::to_string(update.totals.sendBytesPerSecond) : "null")
             << ",\"receive_rate\":"
             << (update.totals.hasRate ? std::to_string(update.totals.receiveBytesPerSecond)
                                       : "null")
             << "}\n";
        out_.flush();
    }

private:
    // A finding is said when raised and when it grows materially, not on every tick.
    void emitFindings(const core::Update& update, const std::string& time) {
        auto said = [&](const std::vector<core::FindingId>& ids, std::string_view change) {
            for (const auto id : ids) {
                const auto* finding = update.findFinding(id);
                if (finding == nullptr || !findingMatches(filter_, *finding)) {
                    continue;
                }
                out_ << "{\"event\":\"finding\",\"time\":" << time << ",\"change\":\"" << change
                     << "\",\"finding\":" << core::findingJson(*finding) << "}\n";
            }
        };
        said(update.findingsRaised, "raised");
        said(update.findingsUpdated, "updated");
        for (const auto& finding : update.findingsCleared) {
            if (findingMatches(filter_, finding)) {
                out_ << "{\"event\":\"finding_cleared\",\"time\":" << time
                     << ",\"finding\":" << core::findingJson(finding) << "}\n";
            }
        }
    }

    void emit(const core::Update& update, const std::vector<core::ConnectionId>& ids,
              std::string_view event, const std::string& time) {
        for (const auto id : ids) {
            const auto* connection = update.findConnection(id);
            if (!connection) {
                continue;
            }
            const auto* owner = update.findProcess(connection->socket.owner);
            if (!filter_.matches(*connection, owner)) {
                continue;
            }
            out_ << "{\"event\":\"" << event << "\",\"time\":" << time
                 << ",\"connection\":" << core::connectionJson({connection, owner});
            if (owner) {
                out_ << ",\"process\":" << core::processJson(*owner);
            }
            out_ << "}\n";
        }
    }

    std::ostream& out_;
    const ConnectionFilter& filter_;
    std::set<std::string> warningsSaid_;
};

// Runs an engine until it has produced `count` updates, `duration` has passed, the source
// ended, or the user pressed Ctrl+C. Returns the last update and how the run ended.
struct RunResult {
    core::UpdatePtr last;
    std::uint64_t updates = 0;
    bool interrupted = false;
    bool sourceFailed = false;
    std::string finishMessage;
};

// `afterStop` runs once the engine thread has stopped, while the source still exists.
RunResult runEngine(std::unique_ptr<core::SnapshotSource> source, const Options& options,
                    const std::function<void(const core::Update&)>& onUpdate,
                    const std::function<void()>& afterStop = {}) {
    std::mutex mutex;
    std::condition_variable wake;
    RunResult result;
    bool finished = false;

    core::EngineOptions engineOptions;
    engineOptions.interval = options.interval;
    engineOptions.resolveHostNames = options.resolve;
    engineOptions.pacedReplay = options.paced;
    engineOptions.findings = options.findings;
    core::EngineEvents events;
    events.onUpdate = [&](const core::UpdatePtr& update) {
        std::lock_guard lock(mutex);
        if (finished) {
            return;
        }
        onUpdate(*update);
        result.last = update;
        ++result.updates;
        if (options.count && result.updates >= *options.count) {
            finished = true;
        }
        wake.notify_all();
    };
    events.onFinished = [&](const std::string& message, bool failed) {
        std::lock_guard lock(mutex);
        result.finishMessage = message;
        result.sourceFailed = failed;
        finished = true;
        wake.notify_all();
    };
    core::Engine engine(std::move(source), engineOptions, std::move(events));
    engine.start();
    const auto deadline = options.duration ? std::chrono::steady_clock::now() + *options.duration
                                           : std::chrono::steady_clock::time_point::max();
    {
        std::unique_lock lock(mutex);
        while (!finished) {
            if (stopRequested.load()) {
                result.interrupted = true;
                break;
            }
            if (std::chrono::steady_clock::now() >= deadline) {
                break;
            }
            // Short waits so Ctrl+C is noticed promptly.
            wake.wait_for(lock, std::chrono::milliseconds(100));
        }
        finished = true;
    }
    engine.stop();
    if (afterStop) {
        afterStop();
    }
    return result;
}

// Joins a thread when the scope ends, also when it ends with an exception.
struct JoinOnExit {
    std::thread& thread;
    ~JoinOnExit() {
        if (thread.joinable()) {
            thread.join();
        }
    }
};

int commandSnapshot(const Options& options, std::ostream& out, std::ostream& err) {
    const std::string format = options.format.empty() ? "table" : options.format;
    validateFormat(format, {"table", "csv", "json"});
    auto source = liveSource(options);
    core::Tracker tracker;
    // The first poll keeps two threads in the kernel (the dump and the walk of /proc), and
    // the dump ends first: meanwhile its core gets the tracker's memory ready.
    std::thread prepare;
    try {
        prepare = std::thread(
            [&tracker, expected = source->expectedSocketCount()] { tracker.prepare(expected); });
    } catch (const std::system_error&) {
        // No thread: the first apply() sizes the tables itself.
    }
    std::optional<core::Snapshot> snapshot;
    {
        const JoinOnExit joinPrepare(prepare);
        snapshot = source->poll();
    }
    if (!snapshot) {
        err << "portscope-cli: the system source returned no snapshot\n";
        return kExitFailure;
    }
    const auto update = tracker.apply(*snapshot);
    // One poll shows what needs no history: half-open floods, suspicious ports, masquerades.
    core::FindingsEngine(options.findings).evaluate(*update);
    if (format == "table") {
        for (const auto& warning : update->warnings) {
            err << "note: " << core::terminalText(warning) << '\n';
        }
    }
    printFinalState(out, format, *update, options.filter);
    return kExitOk;
}

int commandWatch(const Options& options, std::ostream& out, std::ostream& err) {
    if (!options.format.empty() && options.format != "ndjson") {
        throw UsageError("watch writes NDJSON only; drop --format or use --format ndjson");
    }
    EventWriter writer(out, options.filter);
    auto result = runEngine(liveSource(options), options, [&](const core::Update& update) {
        writer.write(update);
        if (!out) {
            requestStop(); // the reader went away (closed pipe)
        }
    });
    if (result.sourceFailed) {
        err << "portscope-cli: " << core::terminalText(result.finishMessage) << '\n';
        return kExitFailure;
    }
    return result.interrupted ? kExitInterrupted : kExitOk;
}

int commandRecord(const Options& options, std::ostream& out, std::ostream& err) {
    if (options.positional.size() != 1) {
        throw UsageError("record needs exactly one FILE");
    }
    const std::string& path = options.positional[0];
    std::unique_ptr<core::RecordingSource> recorder;
    try {
        auto source = liveSource(options); // before the file, which may hold an old recording
        recorder = std::make_unique<core::RecordingSource>(std::move(source),
                                                           platform::createPrivateFile(path), path);
    } catch (const std::exception& error) {
        err << "portscope-cli: " << core::terminalText(error.what()) << '\n';
        return kExitFailure;
    }
    if (!options.count && !options.duration) {
        err << "Recording to " << core::terminalText(path) << " until Ctrl+C...\n";
    }
    auto result = runEngine(std::move(recorder), options, [&](const core::Update& update) {
        err << "\rrecorded " << update.sequence << " snapshots, " << update.connections.size()
            << " connections" << std::flush;
    });
    err << '\n';
    out << "Recorded " << result.updates << " snapshots to " << core::terminalText(path) << '\n';
    if (result.sourceFailed) {
        err << "portscope-cli: " << core::terminalText(result.finishMessage) << '\n';
        return kExitFailure;
    }
    return kExitOk;
}

int commandReplay(const Options& options, std::ostream& out, std::ostream& err) {
    if (options.positional.size() != 1) {
        throw UsageError("replay needs exactly one FILE");
    }
    const std::string format = options.format.empty() ? "ndjson" : options.format;
    validateFormat(format, {"ndjson", "table", "csv", "json"});
    std::unique_ptr<core::ReplayReader> reader;
    try {
        reader = std::make_unique<core::ReplayReader>(options.positional[0]);
    } catch (const std::exception& error) {
        err << "portscope-cli: " << core::terminalText(error.what()) << '\n';
        return kExitFailure;
    }
    const core::ReplayReader* replay = reader.get();
    std::string damage;
    std::uint64_t recordsRead = 0;
    EventWriter writer(out, options.filter);
    Options replayOptions = options;
    if (!options.paced) {
        replayOptions.interval = core::Engine::kMinInterval; // unused: unpaced replays at once
    }
    auto result = runEngine(
        std::move(reader), replayOptions,
        [&](const core::Update& update) {
            if (format == "ndjson") {
                writer.write(update);
            }
        },
        [&] {
            damage = replay->error();
            recordsRead = replay->recordsRead();
        });
    if (format != "ndjson" && result.last) {
        printFinalState(out, format, *result.last, options.filter);
    }
    if (result.interrupted) {
        return kExitInterrupted;
    }
    if (!damage.empty()) {
        err << "portscope-cli: " << core::terminalText(options.positional[0]) << ": "
            << core::terminalText(damage) << " (kept " << recordsRead
            << " records read before it)\n";
        return kExitPartialReplay;
    }
    return kExitOk;
}

void printCounterTable(std::ostream& out, const core::Update& update, double intervalSeconds,
                       bool all) {
    out << "netstat -s counters at " << core::formatUnixMs(update.unixMs) << ", rates over "
        << std::fixed << std::setprecision(1) << intervalSeconds
        << " s ('!' = behind an active finding)\n"
        << std::left << "  " << std::setw(36) << "COUNTER" << ' ' << std::right << std::setw(16)
        << "VALUE" << ' ' << std::setw(12) << "PER SECOND"
        << "  FINDINGS\n";
    for (const auto& counter : update.counterRates) {
        if (!all && counter.value == 0 && !counter.flagged()) {
            continue;
        }
        std::string rules;
        for (const auto& rule : counter.findings) {
            rules += rules.empty() ? "" : ",";
            rules += rule;
        }
        out << (counter.flagged() ? "! " : "  ") << std::left << std::setw(36)
            << core::terminalText(counter.name) << ' ' << std::right << std::setw(16)
            << counter.value << ' ' << std::setw(12)
            << (counter.hasRate ? core::formatPerSecondColumn(counter.perSecond) : "-") << "  "
            << core::terminalText(rules) << '\n';
    }
    for (const auto& finding : update.findings) {
        if (!finding.counters.empty()) {
            out << "! " << core::terminalText(finding.ruleId) << ": "
                << core::terminalText(finding.summary) << '\n';
        }
    }
    out << std::left;
}

void printCounterEvent(std::ostream& out, const core::Update& update, double intervalSeconds,
                       bool all) {
    out << "{\"event\":\"stats\",\"time\":" << core::jsonString(core::formatUnixMs(update.unixMs))
        << ",\"interval_s\":" << intervalSeconds << ",\"counters\":[";
    bool first = true;
    for (const auto& counter : update.counterRates) {
        if (!all && counter.value == 0 && !counter.flagged()) {
            continue;
        }
        out << (first ? "" : ",") << "{\"name\":" << core::jsonString(counter.name)
            << ",\"value\":" << counter.value
            << ",\"rate\":" << (counter.hasRate ? std::to_string(counter.perSecond) : "null")
            << ",\"findings\":[";
        for (std::size_t i = 0; i < counter.findings.size(); ++i) {
            out << (i ? "," : "") << core::jsonString(counter.findings[i]);
        }
        out << "]}";
        first = false;
    }
    out << "]}\n";
}

int commandStats(const Options& options, std::ostream& out, std::ostream& err) {
    const std::string format = options.format.empty() ? "table" : options.format;
    validateFormat(format, {"table", "ndjson"});
    Options run = options;
    // The first poll only sets the baseline of the rates; --count counts printed tables.
    const std::uint64_t tables = options.count.value_or(options.duration ? 0 : 1);
    run.count = tables == 0 ? std::nullopt : std::optional<std::uint64_t>(tables + 1);
    std::int64_t previousNs = 0;
    bool countersSeen = false;
    auto result = runEngine(liveSource(options), run, [&](const core::Update& update) {
        const double seconds = static_cast<double>(update.steadyNs - previousNs) / 1e9;
        previousNs = update.steadyNs;
        countersSeen = countersSeen || update.counters.present;
        if (update.sequence < 2) {
            return;
        }
        if (format == "ndjson") {
            printCounterEvent(out, update, seconds, options.allCounters);
        } else {
            printCounterTable(out, update, seconds, options.allCounters);
        }
        out.flush();
        if (!out) {
            requestStop();
        }
    });
    if (result.sourceFailed) {
        err << "portscope-cli: " << core::terminalText(result.finishMessage) << '\n';
        return kExitFailure;
    }
    if (!countersSeen) {
        err << "portscope-cli: this system reports no host counters\n";
        return kExitNotSupported;
    }
    return result.interrupted ? kExitInterrupted : kExitOk;
}

int exitCodeFor(platform::ActionStatus status) {
    switch (status) {
    case platform::ActionStatus::Done:
        return kExitOk;
    case platform::ActionStatus::NoSuchProcess:
    case platform::ActionStatus::ProcessChanged:
    case platform::ActionStatus::NotFound:
        return kExitRefused;
    case platform::ActionStatus::PermissionDenied:
        return kExitPermission;
    case platform::ActionStatus::NotSupported:
        return kExitNotSupported;
    case platform::ActionStatus::InvalidArgument:
        return kExitUsage;
    case platform::ActionStatus::TimedOut:
    case platform::ActionStatus::Failed:
        return kExitFailure;
    }
    return kExitFailure;
}

int commandKill(const Options& options, std::ostream& out, std::ostream& err) {
    if (options.positional.size() != 1) {
        throw UsageError("kill needs exactly one PID");
    }
    const auto pid = parseNumber<std::int32_t>("PID", options.positional[0]);
    if (pid <= 0) {
        throw UsageError("PID must be positive");
    }
    auto key = platform::currentProcessKey(pid);
    if (!key) {
        err << "portscope-cli: no process with PID " << pid << '\n';
        return kExitRefused;
    }
    if (options.startTime && *options.startTime != key->startTime) {
        err << "portscope-cli: PID " << pid << " now belongs to another process (start time "
            << key->startTime << ", expected " << *options.startTime << "); nothing was killed\n";
        return kExitRefused;
    }
    if (const auto details = platform::processDetails(*key)) {
        out << "Terminating " << core::terminalText(details->name) << " (PID " << pid << ", user "
            << core::terminalText(details->userName) << ", " << core::terminalText(details->exePath)
            << ")\n";
    }
#if defined(__linux__)
    const auto helper = connectHelper(options);
    const auto result = helper ? helper->killProcess(*key) : platform::killProcess(*key);
#else
    const auto result = platform::killProcess(*key);
#endif
    (result.ok() ? out : err) << core::terminalText(result.message) << '\n';
    return exitCodeFor(result.status);
}

int commandClose(const Options& options, std::ostream& out, std::ostream& err) {
    if (!options.local || !options.remote) {
        throw UsageError("close needs --local ADDR:PORT and --remote ADDR:PORT");
    }
#if defined(__linux__)
    const auto helper = connectHelper(options);
    auto source = helper ? platform::makeHelperSource(helper) : liveSource(options);
#else
    auto source = liveSource(options);
#endif
    const auto snapshot = source->poll();
    if (!snapshot) {
        err << "portscope-cli: the system source returned no snapshot\n";
        return kExitFailure;
    }
    auto sameEndpoint = [](const core::Endpoint& a, const core::Endpoint& b) {
        return a.port == b.port && a.address.unmapped() == b.address.unmapped();
    };
    for (const auto& socket : snapshot->sockets) {
        if (socket.protocol == core::Protocol::Tcp && sameEndpoint(socket.local, *options.local) &&
            sameEndpoint(socket.remote, *options.remote) &&
            socket.state != core::SocketState::Listen) {
#if defined(__linux__)
            const auto result =
                helper ? helper->closeConnection(socket) : platform::closeConnection(socket);
#else
            const auto result = platform::closeConnection(socket);
#endif
            (result.ok() ? out : err) << core::terminalText(result.message) << '\n';
            return exitCodeFor(result.status);
        }
    }
    err << "portscope-cli: no TCP connection from " << options.local->toString() << " to "
        << options.remote->toString() << '\n';
    return kExitRefused;
}

} // namespace

void requestStop() {
    stopRequested.store(true);
}

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    stopRequested.store(false);
    try {
        Options options = parseArguments(args);
        if (options.command == "help" || options.command == "--help" || options.command == "-h") {
            out << kUsage;
            return kExitOk;
        }
        if (options.command == "--version") {
            out << "portscope-cli 0.1.0\n";
            return kExitOk;
        }
        const bool takesFile =
            options.command == "record" || options.command == "replay" || options.command == "kill";
        if (!takesFile && !options.positional.empty()) {
            throw UsageError("unexpected argument '" + options.positional[0] + "'");
        }
        options.findings = findingsConfigOf(options, err);
        if (options.command == "snapshot") {
            return commandSnapshot(options, out, err);
        }
        if (options.command == "watch") {
            return commandWatch(options, out, err);
        }
        if (options.command == "record") {
            return commandRecord(options, out, err);
        }
        if (options.command == "replay") {
            return commandReplay(options, out, err);
        }
        if (options.command == "kill") {
            return commandKill(options, out, err);
        }
        if (options.command == "close") {
            return commandClose(options, out, err);
        }
        if (options.command == "stats") {
            return commandStats(options, out, err);
        }
        throw UsageError("unknown command '" + options.command + "'");
    } catch (const UsageError& error) {
        err << "portscope-cli: " << core::terminalText(error.what()) << "\n\n" << kUsage;
        return kExitUsage;
    } catch (const std::exception& error) {
        err << "portscope-cli: " << core::terminalText(error.what()) << '\n';
        return kExitFailure;
    }
}

} // namespace portscope::cli
