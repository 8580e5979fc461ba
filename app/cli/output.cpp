#include "output.h"

#include "portscope/core/export.h"
#include "portscope/core/text.h"
#include "portscope/core/translatable.h"
#include "portscope/core/units.h"

#include <boost/asio/ip/host_name.hpp>
#include <cstdio>
#include <iomanip>
#include <ostream>
#include <span>
#include <stdexcept>

namespace portscope::cli {

namespace {

// The CLI's own words in the wording's language (context "CliText").
std::string cliText(const core::FindingWording& wording, const char* english) {
    return wording.translate("CliText", english);
}

} // namespace

namespace {

constexpr std::string_view kCloseEventsLost =
    "The kernel dropped close events; a full dump recovered. Connections shorter than one "
    "poll may be missing.";

// The warning with every run of digits as one '#': the same warning whatever it counts.
std::string withoutNumbers(std::string_view text) {
    std::string key;
    for (const char c : text) {
        const bool digit = c >= '0' && c <= '9';
        if (!digit) {
            key += c;
        } else if (key.empty() || key.back() != '#') {
            key += '#';
        }
    }
    return key;
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

void printFindingsTable(std::ostream& out, const std::vector<const core::Finding*>& findings,
                        const core::FindingWording& wording) {
    if (findings.empty()) {
        out << '\n' << cliText(wording, PORTSCOPE_TRANSLATABLE("CliText", "No findings.")) << '\n';
        return;
    }
    // The column heads stay as they are in every language, like those of the socket table.
    out << "\nFINDINGS\n"
        << std::left << std::setw(8) << "SEVERITY" << ' ' << std::setw(20) << "RULE" << ' '
        << std::setw(8) << "PID" << ' ' << "SUMMARY\n";
    for (const auto* finding : findings) {
        const core::FindingText text = core::renderFindingText(*finding, wording);
        out << std::setw(8) << core::toString(finding->severity) << ' ' << std::setw(20)
            << core::terminalText(finding->ruleId) << ' ' << std::setw(8)
            << (finding->process.valid() ? std::to_string(finding->process.pid) : "-") << ' '
            << core::terminalText(text.summary) << '\n'
            << std::string(38, ' ')
            << core::substitute(cliText(wording, PORTSCOPE_TRANSLATABLE("CliText", "action: %1")),
                                {core::terminalText(text.action)})
            << '\n';
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

} // namespace

void printError(std::ostream& err, std::string_view message) {
    err << "portscope-cli: " << core::terminalText(message) << '\n';
}

void printFinalState(std::ostream& out, const std::string& format, const core::Update& update,
                     const ConnectionFilter& filter, const core::FindingWording& wording) {
    const auto rows = filteredRows(update, filter);
    if (format == "csv") {
        out << core::connectionsCsv(rows);
    } else if (format == "json") {
        out << jsonWithFindings(update, rows, filteredFindings(update, filter));
    } else {
        printTable(out, update, rows);
        printFindingsTable(out, filteredFindings(update, filter), wording);
    }
}

void EventWriter::write(const core::Update& update) {
    const std::string time = core::jsonString(core::formatUnixMs(update.unixMs));
    for (const auto& warning : update.warnings) {
        std::string english = warning.english();
        if (warningsSaid_.insert(english).second) {
            out_ << "{\"event\":\"warning\",\"time\":" << time
                 << ",\"message\":" << core::jsonString(english) << "}\n";
        }
    }
    if (update.closeEventsLost) {
        out_ << "{\"event\":\"warning\",\"time\":" << time
             << ",\"message\":" << core::jsonString(kCloseEventsLost) << "}\n";
    }
    emit(update, update.added, "added", time);
    emit(update, update.changed, "changed", time);
    emit(update, update.removed, "removed", time);
    emitFindings(update, time);
    out_ << "{\"event\":\"tick\",\"time\":" << time << ",\"sequence\":" << update.sequence
         << ",\"sensor\":\"" << core::toString(update.sensor) << '"'
         << ",\"poll_ms\":" << static_cast<double>(update.pollDurationNs) / 1e6
         << ",\"track_ms\":" << static_cast<double>(update.trackDurationNs) / 1e6
         << ",\"connections\":" << update.connections.size()
         << ",\"processes\":" << update.totals.processes << ",\"added\":" << update.added.size()
         << ",\"removed\":" << update.removed.size() << ",\"changed\":" << update.changed.size()
         << ",\"findings\":" << update.findings.size() << ",\"send_rate\":"
         << (update.totals.hasRate ? std::to_string(update.totals.sendBytesPerSecond) : "null")
         << ",\"receive_rate\":"
         << (update.totals.hasRate ? std::to_string(update.totals.receiveBytesPerSecond) : "null")
         << "}\n";
    out_.flush();
}

// A finding is said when raised and when it grows materially, not on every tick.
void EventWriter::emitFindings(const core::Update& update, const std::string& time) {
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

void EventWriter::emit(const core::Update& update, const std::vector<core::ConnectionId>& ids,
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

std::vector<core::EcsEvent> EcsWriter::eventsOf(const core::Update& update) {
    std::vector<core::EcsEvent> events;
    for (const auto& warning : update.warnings) {
        const std::string english = warning.english();
        auto [said, first] = warningsSaid_.try_emplace(withoutNumbers(english), update.unixMs);
        if (first || update.unixMs - said->second >= kWarningRepeatMs) {
            said->second = update.unixMs;
            events.push_back(core::ecsWarningEvent(english, update.unixMs, host_));
        }
    }
    if (update.closeEventsLost) {
        events.push_back(core::ecsWarningEvent(kCloseEventsLost, update.unixMs, host_));
    }
    if (connections_) {
        auto connectionEvents = [&](const std::vector<core::ConnectionId>& ids,
                                    core::RowChange change) {
            for (const auto id : ids) {
                const auto* connection = update.findConnection(id);
                if (connection == nullptr) {
                    continue;
                }
                const auto* owner = update.findProcess(connection->socket.owner);
                if (filter_.matches(*connection, owner)) {
                    events.push_back(
                        core::ecsConnectionEvent(*connection, change, owner, update.unixMs, host_));
                }
            }
        };
        connectionEvents(update.added, core::RowChange::Added);
        connectionEvents(update.changed, core::RowChange::Changed);
        connectionEvents(update.removed, core::RowChange::Closed);
    }
    auto findingEvent = [&](const core::Finding& finding, core::FindingChange change) {
        if (findingMatches(filter_, finding)) {
            events.push_back(core::ecsFindingEvent(
                finding, change, update.findProcess(finding.process), update.unixMs, host_));
        }
    };
    for (const auto id : update.findingsRaised) {
        if (const auto* finding = update.findFinding(id)) {
            findingEvent(*finding, core::FindingChange::Raised);
        }
    }
    for (const auto id : update.findingsUpdated) {
        if (const auto* finding = update.findFinding(id)) {
            findingEvent(*finding, core::FindingChange::Updated);
        }
    }
    for (const auto& finding : update.findingsCleared) {
        findingEvent(finding, core::FindingChange::Cleared);
    }
    return events;
}

std::string localHostName() {
    boost::system::error_code error;
    auto name = boost::asio::ip::host_name(error);
    return error ? std::string() : name;
}

void printCounterTable(std::ostream& out, const core::Update& update, double intervalSeconds,
                       bool all, const core::FindingWording& wording) {
    char interval[32];
    std::snprintf(interval, sizeof interval, "%.1f", intervalSeconds);
    out << core::substitute(
               cliText(wording, PORTSCOPE_TRANSLATABLE("CliText", "netstat -s counters at %1, "
                                                                  "rates over %2 s ('!' = behind "
                                                                  "an active finding)")),
               {core::formatUnixMs(update.unixMs), wording.number(interval)})
        << '\n'
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
                << core::terminalText(core::renderFindingText(finding, wording).summary) << '\n';
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

} // namespace portscope::cli
