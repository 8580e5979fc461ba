#include "options.h"

#include "catalogue.h"
#include "portscope/core/engine.h"
#include "portscope/core/text.h"
#include "portscope/platform/ssh_remote.h"

#include <algorithm>
#include <cmath>
#include <ostream>

namespace portscope::cli {

namespace {

constexpr std::string_view kUsage = R"(Usage: portscope-cli COMMAND [OPTIONS]

Commands:
  snapshot                  list every socket with its owner once
      --format table|csv|json   (default table)
  watch                     stream added/removed/changed connections as NDJSON
      --interval SECONDS        0.25 to 60 (default 1)
      --count N                 stop after N updates
      --duration SECONDS        stop after this long
      --resolve                 add reverse-DNS host names when known
      --format ndjson|ecs       ecs: Elastic Common Schema JSON lines (docs/fleet.md)
      --output URL              send ECS events to syslog://HOST:PORT (UDP),
                                syslog+tcp://HOST:PORT or journal instead of stdout
      --events findings|all     ecs: findings only, or connection events too (default all)
      --queue N                 events held while the receiver is away (default 10000)
      --facility NAME           syslog facility (default daemon)
      --heartbeat SECONDS       an agent-heartbeat event this often (60 to 86400)
  agent                     watch as a service: send ECS events as agent.conf says
      --agent-config FILE       (default /etc/portscope/agent.conf)
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
  capture -w FILE           capture packets to a pcapng file, each labelled with its
                            process; -w - writes to standard output (docs/capture.md)
      --pid PID | --process NAME | other filters   only these processes' connections
      --filter EXPR             a pcap-filter expression (tcpdump's), such as 'port 443'
      --interfaces any|NAME,... (default any)
      --duration SECONDS  --count PACKETS  --max-size MB   stop at the first limit
      --sensor auto|bpf|poll    bpf takes packets by socket (eBPF: the kernel keeps only the
                                chosen sockets' packets), poll from the interfaces (libpcap);
                                auto: by socket when connections are chosen and it loads
  help                      show this text

Findings (snapshot, watch, replay, stats): --config FILE reads rule thresholds and
address ranges (docs/findings.md); a bad value is reported and its default stays in force.

Filters (snapshot, watch, replay; docs/filter.md): every filter given must match.
  --filter EXPR             the GUI's filter language, e.g. 'proc:sshd -state:listen'
  --pid PID  --process NAME  --port PORT  --state STATE  --proto tcp|udp  --family 4|6
                            repeat one of these to allow several values

Language (the table of snapshot and replay, and stats): --lang en|ja; by default the
  language of LC_ALL, LC_MESSAGES or LANG. JSON, NDJSON and CSV stay in English.

Source options: --no-owners (skip owner lookup), --proc-fallback (read /proc/net text)
  --sensor auto|bpf|poll    the eBPF sensor names the process behind every connect and
                            counts UDP bytes (root); auto (default) uses it where it loads,
                            bpf fails when it cannot, poll never loads it (docs/sensor.md)

Administrator rights (snapshot, watch, record, stats, kill, close, capture; Linux):
  --elevated                start portscope-helper through pkexec: every owner is shown,
                            and kill and close run as root
  --helper-fds R,W          use a portscope-helper already connected on descriptors R and W

Another machine (snapshot, watch, record, stats, kill, close; docs/remote.md):
  --ssh [USER@]HOST[:PORT]  show and act on HOST: runs `ssh HOST portscope-helper` and reads
                            through it; HOST needs only PortScope installed
      --ssh-option KEY=VALUE    pass `-o KEY=VALUE` to ssh (repeatable)
      --ssh-config FILE         pass `-F FILE` to ssh
      --ssh-helper PATH         the helper's path on HOST
                                (default /usr/libexec/portscope/portscope-helper)
      --ssh-sudo                start it there through `sudo -n`
      --ssh-interactive         let ssh ask for passwords on the terminal (default: BatchMode)
  Unknown host keys are refused: record the key first with a plain `ssh HOST`.

Exit codes: 0 ok, 1 failure, 2 usage, 3 refused (no such process/connection or PID
reused), 4 permission denied, 5 not supported, 6 replay file damaged, 130 interrupted.
)";

// Checks one --filter expression; a bad one is a usage error naming the character and term.
std::string checkedFilterExpression(std::string_view text) {
    core::FilterQueryError error;
    if (core::FilterQuery::parse(text, &error)) {
        return std::string(text);
    }
    const auto term = text.substr(std::min(error.position, text.size()), error.length);
    // The message quotes the term too; both may come from a script's untrusted input.
    throw UsageError("--filter: character " +
                     std::to_string(core::characterNumber(text, error.position)) + " ('" +
                     core::excerptForDisplay(term, 60) +
                     "'): " + core::sanitizeForDisplay(error.message, 1024));
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

} // namespace

Options parseArguments(const std::vector<std::string>& args) {
    Options options;
    if (args.empty()) {
        throw UsageError("no command given");
    }
    options.command = args[0];
    options.language = languageFromEnvironment();
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
        } else if (arg == "--lang") {
            const std::string language(value());
            const std::vector<std::string> languages = availableLanguages();
            if (std::find(languages.begin(), languages.end(), language) == languages.end()) {
                std::string list;
                for (const std::string& known : languages) {
                    list += (list.empty() ? "" : ", ") + known;
                }
                throw UsageError("--lang must be one of " + list + ", not '" +
                                 core::terminalText(language) + "'");
            }
            options.language = language;
        } else if (arg == "--resolve") {
            options.resolve = true;
        } else if (arg == "--paced") {
            options.paced = true;
        } else if (arg == "--no-owners") {
            options.noOwners = true;
        } else if (arg == "--proc-fallback") {
            options.procFallback = true;
        } else if (arg == "--sensor") {
            const auto text = value();
            const auto choice = platform::parseSensorChoice(text);
            if (!choice) {
                throw UsageError("--sensor expects auto, bpf or poll, not '" + std::string(text) +
                                 "'");
            }
            options.sensor = *choice;
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
        } else if (arg == "--ssh") {
            const std::string text(value());
            std::string problem;
            if (!platform::SshTarget::parse(text, &problem)) {
                throw UsageError("--ssh: " + problem);
            }
            options.ssh.target = text;
        } else if (arg == "--ssh-config") {
            options.ssh.configFile = std::string(value());
        } else if (arg == "--ssh-option") {
            options.ssh.options.emplace_back(value());
        } else if (arg == "--ssh-helper") {
            options.ssh.helperPath = std::string(value());
        } else if (arg == "--ssh-sudo") {
            options.ssh.sudo = true;
        } else if (arg == "--ssh-interactive") {
            options.ssh.interactive = true;
        } else if (arg == "--output") {
            std::string error;
            options.output = core::parseLogTarget(value(), &error);
            if (!options.output) {
                throw UsageError("--output: " + error);
            }
        } else if (arg == "--events") {
            const auto text = value();
            options.events = core::parseAgentEvents(text);
            if (!options.events) {
                throw UsageError("--events expects findings or all, not '" +
                                 core::excerptForDisplay(text, 60) + "'");
            }
        } else if (arg == "--queue") {
            options.queueLimit = parseNumber<std::size_t>(arg, value());
            if (options.queueLimit == 0 || options.queueLimit > core::kMaxAgentQueueLimit) {
                throw UsageError("--queue must be from 1 to " +
                                 std::to_string(core::kMaxAgentQueueLimit));
            }
        } else if (arg == "--facility") {
            const auto text = value();
            const auto facility = core::parseSyslogFacility(text);
            if (!facility) {
                throw UsageError("--facility expects a syslog facility such as daemon or local0, "
                                 "not '" +
                                 core::excerptForDisplay(text, 60) + "'");
            }
            options.facility = *facility;
        } else if (arg == "--heartbeat") {
            const auto text = value();
            const auto heartbeat = core::parseHeartbeat(text);
            if (!heartbeat) {
                throw UsageError("--heartbeat expects whole seconds from 60 to 86400, or 0, not '" +
                                 core::excerptForDisplay(text, 60) + "'");
            }
            options.heartbeat = *heartbeat;
        } else if (arg == "--agent-config") {
            options.agentConfigPath = std::string(value());
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
        } else if (arg == "--filter" && options.command == "capture") {
            options.captureFilter = std::string(value()); // compiled by libpcap in the command
        } else if (arg == "-w" || arg == "--write") {
            options.writePath = std::string(value());
            if (options.writePath->empty()) {
                throw UsageError("-w expects a FILE, or - for standard output");
            }
        } else if (arg == "--interfaces") {
            options.interfaces.clear();
            const auto text = value();
            std::size_t start = 0;
            // Bounded by the text: each turn moves past one comma.
            while (start <= text.size()) {
                const auto comma = std::min(text.find(',', start), text.size());
                const auto name = text.substr(start, comma - start);
                if (name.empty()) {
                    throw UsageError("--interfaces expects any, or names such as lo,eth0");
                }
                options.interfaces.emplace_back(name);
                start = comma + 1;
            }
            if (options.interfaces.size() > 1 &&
                std::find(options.interfaces.begin(), options.interfaces.end(), "any") !=
                    options.interfaces.end()) {
                throw UsageError("--interfaces: any already holds every interface");
            }
        } else if (arg == "--max-size") {
            const auto megabytes = parseNumber<std::uint64_t>(arg, value());
            if (megabytes == 0 || megabytes > (1u << 20)) {
                throw UsageError("--max-size expects megabytes from 1 to 1048576");
            }
            options.maxSizeBytes = megabytes * 1'000'000;
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
    const bool sshDetails = options.ssh.configFile || !options.ssh.options.empty() ||
                            options.ssh.helperPath || options.ssh.sudo || options.ssh.interactive;
    if (sshDetails && !options.ssh.target) {
        throw UsageError("--ssh-config, --ssh-option, --ssh-helper, --ssh-sudo and "
                         "--ssh-interactive go with --ssh HOST");
    }
    if (options.ssh.target && (options.elevated || options.helperFds)) {
        throw UsageError("--ssh cannot be combined with --elevated or --helper-fds; use "
                         "--ssh-sudo for root's view of the remote machine");
    }
    options.filter.buildQuery();
    return options;
}

std::string_view usageText() {
    return kUsage;
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

} // namespace portscope::cli
