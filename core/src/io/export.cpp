#include "portscope/core/export.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace portscope::core {

namespace {

// Rates (bytes per second) and poll times (ms) keep one decimal: 1500.5.
constexpr auto kExportPrecision = NumberPrecision::decimals(1);

// `"name":` for the next field of the object `out` holds, after a comma unless it is the
// first (`out` is then just "{").
void appendJsonKey(std::string& out, std::string_view name) {
    if (out.size() > 1) {
        out += ',';
    }
    out += '"';
    out += name;
    out += "\":";
}

// A rate as a JSON number, or null where none was measured yet.
void appendRateOrNull(std::string& out, bool measured, double bytesPerSecond) {
    if (measured) {
        appendJsonNumber(out, bytesPerSecond, kExportPrecision);
    } else {
        out += "null";
    }
}

std::string rateText(const Connection& c, bool send) {
    if (!c.hasRate) {
        return "";
    }
    return formatNumber(send ? c.sendBytesPerSecond : c.receiveBytesPerSecond, kExportPrecision);
}

} // namespace

std::string defuseFormula(std::string_view text) {
    // ＝ ＋ － ＠ (U+FF1D, U+FF0B, U+FF0D, U+FF20) in UTF-8.
    static constexpr std::string_view kFullwidth[] = {"\xEF\xBC\x9D", "\xEF\xBC\x8B",
                                                      "\xEF\xBC\x8D", "\xEF\xBC\xA0"};
    const bool formula = (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) !=
                                               std::string_view::npos) ||
                         std::any_of(std::begin(kFullwidth), std::end(kFullwidth),
                                     [&](std::string_view sign) { return text.starts_with(sign); });
    return formula ? "'" + std::string(text) : std::string(text);
}

std::string csvField(std::string_view raw) {
    const std::string text = defuseFormula(validUtf8(raw));
    const bool needsQuotes = text.find_first_of(",;\"\n\r\t") != std::string::npos ||
                             (!text.empty() && (text.front() == ' ' || text.back() == ' '));
    if (!needsQuotes) {
        return text;
    }
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') {
            out += '"';
        }
        out += c;
    }
    out += '"';
    return out;
}

std::string jsonString(std::string_view raw) {
    std::string out;
    out.reserve(raw.size() + 2);
    out += '"';
    for (std::size_t i = 0; i < raw.size();) {
        const auto length = utf8SequenceLength(raw, i);
        if (length == 0) {
            out += "\\ufffd";
            ++i;
            continue;
        }
        if (length > 1) {
            // NDJSON is often read on a terminal: C1 controls and line-reordering characters
            // are escaped like the ASCII ones, which JSON allows.
            const std::uint32_t codePoint = utf8CodePoint(raw, i, length);
            if (isTerminalControl(codePoint)) {
                char buffer[8];
                std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(codePoint));
                out += buffer;
            } else {
                out.append(raw.substr(i, length));
            }
            i += length;
            continue;
        }
        const char c = raw[i++];
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
                char buffer[8];
                std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned char>(c));
                out += buffer;
            } else {
                out += c;
            }
        }
    }
    out += '"';
    return out;
}

std::string htmlEscape(std::string_view raw) {
    const std::string text = validUtf8(raw);
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
                out += "&#xfffd;";
            } else {
                out += c;
            }
        }
    }
    return out;
}

std::string formatUnixMs(std::int64_t unixMs) {
    if (unixMs <= 0) {
        return "";
    }
    const std::time_t seconds = static_cast<std::time_t>(unixMs / 1000);
    std::tm utc{};
#if defined(_WIN32)
    gmtime_s(&utc, &seconds);
#else
    gmtime_r(&seconds, &utc);
#endif
    char buffer[96];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>(unixMs % 1000));
    return buffer;
}

std::vector<ExportRow> exportRowsOf(const Update& update) {
    std::vector<ExportRow> rows;
    rows.reserve(update.connections.size());
    for (const auto& connection : update.connections) {
        rows.push_back({&connection, update.findProcess(connection.socket.owner)});
    }
    return rows;
}

const std::vector<std::string_view>& connectionFieldNames() {
    static const std::vector<std::string_view> names = {
        "protocol",       "family",       "state",         "local_address", "local_port",
        "remote_address", "remote_port",  "remote_host",   "pid",           "process",
        "process_start",  "owner_status", "user",          "exe",           "uid",
        "inode",          "cookie",       "receive_queue", "send_queue",    "bytes_sent",
        "bytes_received", "send_rate",    "receive_rate",  "first_seen",    "closed_at",
        "short_lived",    "netns",
    };
    return names;
}

std::vector<std::string> connectionFieldValues(const ExportRow& row) {
    const Connection& c = *row.connection;
    const Socket& s = c.socket;
    const Process* p = row.process ? &row.process->process : nullptr;
    return {
        std::string(toString(s.protocol)),
        std::string(toString(s.family())),
        std::string(toString(s.state)),
        s.local.address.toString(),
        std::to_string(s.local.port),
        s.remote.address.toString(),
        std::to_string(s.remote.port),
        c.remoteHostName,
        s.owner.pid > 0 ? std::to_string(s.owner.pid) : "",
        p ? p->name : "",
        s.owner.pid > 0 ? std::to_string(s.owner.startTime) : "",
        std::string(toString(s.ownerStatus)),
        p ? p->userName : "",
        p ? p->exePath : "",
        std::to_string(s.uid),
        std::to_string(s.inode),
        std::to_string(s.cookie),
        std::to_string(s.receiveQueue),
        std::to_string(s.sendQueue),
        std::to_string(c.bytesSent),
        std::to_string(c.bytesReceived),
        rateText(c, true),
        rateText(c, false),
        formatUnixMs(c.firstSeenUnixMs),
        formatUnixMs(c.closedUnixMs),
        c.shortLived ? "true" : "false",
        std::to_string(s.netns),
    };
}

namespace {

std::vector<const ProcessRow*> ownersOf(std::span<const ExportRow> rows) {
    std::vector<const ProcessRow*> owners;
    for (const auto& row : rows) {
        if (row.process) {
            owners.push_back(row.process);
        }
    }
    std::sort(owners.begin(), owners.end(), [](const ProcessRow* a, const ProcessRow* b) {
        return a->process.key < b->process.key;
    });
    owners.erase(std::unique(owners.begin(), owners.end()), owners.end());
    return owners;
}

// The findings a report lists: the active ones, then those resolved in the session.
struct ReportFinding {
    const Finding* finding = nullptr;
    bool resolved = false;
};

std::vector<ReportFinding> findingsOf(const Update& update, const ExportContext& context) {
    std::vector<ReportFinding> findings;
    for (const auto& finding : update.findings) {
        findings.push_back({&finding, false});
    }
    for (const auto& finding : context.resolvedFindings) {
        findings.push_back({&finding, true});
    }
    return findings;
}

std::string joined(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        out += i ? std::string(separator) : "";
        out += parts[i];
    }
    return out;
}

const std::vector<std::string_view>& findingFieldNames() {
    static const std::vector<std::string_view> names = {
        "status",  "severity", "rule",   "pid",        "process",  "exe",
        "summary", "evidence", "action", "first_seen", "last_seen"};
    return names;
}

std::vector<std::string> findingFieldValues(const ReportFinding& item) {
    const Finding& f = *item.finding;
    return {
        item.resolved ? "resolved" : "active",
        std::string(toString(f.severity)),
        f.ruleId,
        f.process.valid() ? std::to_string(f.process.pid) : "",
        f.processName,
        f.exePath,
        f.summary,
        joined(f.details, "\n"), // one sentence a line: HTML keeps the breaks, CSV quotes them
        f.action,
        formatUnixMs(f.firstSeenUnixMs),
        formatUnixMs(f.lastSeenUnixMs),
    };
}

const std::vector<std::string_view>& processFieldNames() {
    static const std::vector<std::string_view> names = {
        "pid", "process", "command_line", "parent_pid", "parent", "user",
        "uid", "started", "exe",          "sha256",     "sockets"};
    return names;
}

// The name of `process`'s parent where the update lists it, else "".
std::string parentNameOf(const Update& update, const Process& process) {
    if (process.parentPid <= 0) {
        return {};
    }
    for (const auto& candidate : update.processes) {
        if (candidate.process.key.pid == process.parentPid) {
            return candidate.process.name;
        }
    }
    return {};
}

// The SHA-256 the front end computed for the program of `key`, else "".
std::string programHashOf(const ExportContext& context, const ProcessKey& key) {
    for (const auto& [hashed, sha256] : context.programHashes) {
        if (hashed == key) {
            return sha256;
        }
    }
    return {};
}

std::vector<std::string> processFieldValues(const Update& update, const ProcessRow& row,
                                            const ExportContext& context) {
    const Process& p = row.process;
    const std::string parentName = parentNameOf(update, p);
    const std::string hash = programHashOf(context, p.key);
    return {
        std::to_string(p.key.pid),
        p.name,
        p.commandLine,
        p.parentPid > 0 ? std::to_string(p.parentPid) : "",
        parentName,
        p.userName,
        std::to_string(p.uid),
        formatUnixMs(p.startedAtUnixMs),
        p.exeDeleted ? p.exePath + " (deleted)" : p.exePath,
        hash,
        std::to_string(p.socketCount),
    };
}

void appendCsvTable(std::string& out, const std::vector<std::string_view>& names,
                    const std::vector<std::vector<std::string>>& rows) {
    for (std::size_t i = 0; i < names.size(); ++i) {
        out += i ? "," : "";
        out += names[i];
    }
    out += "\r\n";
    for (const auto& values : rows) {
        for (std::size_t i = 0; i < values.size(); ++i) {
            out += i ? "," : "";
            out += csvField(values[i]);
        }
        out += "\r\n";
    }
}

void appendHtmlTable(std::string& out, const std::vector<std::string_view>& names,
                     const std::vector<std::vector<std::string>>& rows) {
    out += "<table>\n<tr>";
    for (auto name : names) {
        out += "<th>" + htmlEscape(name) + "</th>";
    }
    out += "</tr>\n";
    for (const auto& values : rows) {
        out += "<tr>";
        for (const auto& value : values) {
            out += "<td>" + htmlEscape(value) + "</td>";
        }
        out += "</tr>\n";
    }
    out += "</table>\n";
}

// The connection columns in the order a reader wants them: what and who first, kernel
// identifiers (inode, cookie, namespace) last.
const std::vector<std::size_t>& readableConnectionOrder() {
    static const std::vector<std::size_t> order = [] {
        static constexpr std::string_view kFirst[] = {
            "process",        "pid",          "protocol",
            "local_address",  "local_port",   "remote_address",
            "remote_port",    "remote_host",  "state",
            "send_rate",      "receive_rate", "bytes_sent",
            "bytes_received", "user",         "first_seen",
            "closed_at",      "short_lived",  "exe",
            "owner_status"};
        const auto& names = connectionFieldNames();
        std::vector<std::size_t> indexes;
        for (auto name : kFirst) {
            indexes.push_back(static_cast<std::size_t>(std::find(names.begin(), names.end(), name) -
                                                       names.begin()));
        }
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (std::find(indexes.begin(), indexes.end(), i) == indexes.end()) {
                indexes.push_back(i);
            }
        }
        return indexes;
    }();
    return order;
}

} // namespace

std::string connectionsCsv(std::span<const ExportRow> rows) {
    std::vector<std::vector<std::string>> table;
    table.reserve(rows.size());
    for (const auto& row : rows) {
        table.push_back(connectionFieldValues(row));
    }
    std::string out;
    appendCsvTable(out, connectionFieldNames(), table);
    return out;
}

std::string connectionJson(const ExportRow& row) {
    const Connection& c = *row.connection;
    const Socket& s = c.socket;
    std::string out = "{";
    auto field = [&out](std::string_view name) { appendJsonKey(out, name); };
    field("id");
    out += std::to_string(c.id);
    field("protocol");
    out += jsonString(toString(s.protocol));
    field("family");
    out += jsonString(toString(s.family()));
    field("state");
    out += jsonString(toString(s.state));
    field("local_address");
    out += jsonString(s.local.address.toString());
    field("local_port");
    out += std::to_string(s.local.port);
    field("remote_address");
    out += jsonString(s.remote.address.toString());
    field("remote_port");
    out += std::to_string(s.remote.port);
    field("remote_host");
    out += c.remoteHostName.empty() ? "null" : jsonString(c.remoteHostName);
    field("pid");
    out += s.owner.pid > 0 ? std::to_string(s.owner.pid) : "null";
    field("process_start");
    out += s.owner.pid > 0 ? std::to_string(s.owner.startTime) : "null";
    field("process");
    out += row.process ? jsonString(row.process->process.name) : "null";
    field("owner_status");
    out += jsonString(toString(s.ownerStatus));
    field("uid");
    out += std::to_string(s.uid);
    field("inode");
    out += std::to_string(s.inode);
    field("cookie");
    out += std::to_string(s.cookie);
    field("receive_queue");
    out += std::to_string(s.receiveQueue);
    field("send_queue");
    out += std::to_string(s.sendQueue);
    field("bytes_sent");
    out += s.counters.present ? std::to_string(c.bytesSent) : "null";
    field("bytes_received");
    out += s.counters.present ? std::to_string(c.bytesReceived) : "null";
    field("send_rate");
    appendRateOrNull(out, c.hasRate, c.sendBytesPerSecond);
    field("receive_rate");
    appendRateOrNull(out, c.hasRate, c.receiveBytesPerSecond);
    field("first_seen");
    out += jsonString(formatUnixMs(c.firstSeenUnixMs));
    field("open");
    out += c.open ? "true" : "false";
    field("closed_at");
    out += c.open ? "null" : jsonString(formatUnixMs(c.closedUnixMs));
    field("short_lived");
    out += c.shortLived ? "true" : "false";
    field("netns");
    out += std::to_string(s.netns);
    out += '}';
    return out;
}

std::string processJson(const ProcessRow& row) {
    const Process& p = row.process;
    std::string out = "{";
    auto field = [&out](std::string_view name) { appendJsonKey(out, name); };
    field("pid");
    out += std::to_string(p.key.pid);
    field("start_time");
    out += std::to_string(p.key.startTime);
    field("name");
    out += jsonString(p.name);
    field("exe");
    out += jsonString(p.exePath);
    field("exe_deleted");
    out += p.exeDeleted ? "true" : "false";
    field("command_line");
    out += jsonString(p.commandLine);
    field("user");
    out += jsonString(p.userName);
    field("uid");
    out += std::to_string(p.uid);
    field("parent_pid");
    out += std::to_string(p.parentPid);
    field("started_at");
    out += p.startedAtUnixMs > 0 ? jsonString(formatUnixMs(p.startedAtUnixMs)) : "null";
    field("sockets");
    out += std::to_string(p.socketCount);
    field("tcp");
    out += std::to_string(row.counts.tcp);
    field("udp");
    out += std::to_string(row.counts.udp);
    field("listening");
    out += std::to_string(row.counts.listening);
    field("established");
    out += std::to_string(row.counts.established);
    field("send_rate");
    appendRateOrNull(out, row.hasRate, row.sendBytesPerSecond);
    field("receive_rate");
    appendRateOrNull(out, row.hasRate, row.receiveBytesPerSecond);
    field("bytes_sent_total");
    out += std::to_string(row.bytesSentTotal);
    field("bytes_received_total");
    out += std::to_string(row.bytesReceivedTotal);
    field("netns");
    out += std::to_string(p.netns);
    field("details_error");
    out += p.detailsError.empty() ? "null" : jsonString(p.detailsError);
    out += '}';
    return out;
}

namespace {

// `,"warnings":[…],"connections":[…]`, as the snapshot and the report both hold them.
void appendWarningsAndConnections(std::string& out, const Update& update,
                                  std::span<const ExportRow> rows) {
    out += ",\"warnings\":[";
    for (std::size_t i = 0; i < update.warnings.size(); ++i) {
        out += i ? "," : "";
        out += jsonString(update.warnings[i].english());
    }
    out += "],\"connections\":[";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        out += i ? ",\n" : "\n";
        out += connectionJson(rows[i]);
    }
    out += ']';
}

} // namespace

std::string updateJson(const Update& update, std::span<const ExportRow> rows) {
    std::string out = "{\"format\":\"portscope-snapshot\",\"version\":1,\"generated_at\":";
    out += jsonString(formatUnixMs(update.unixMs));
    out += ",\"source\":";
    out += jsonString(update.sourceName);
    out += ",\"poll_ms\":";
    appendJsonNumber(out, static_cast<double>(update.pollDurationNs) / 1e6, kExportPrecision);
    appendWarningsAndConnections(out, update, rows);
    const auto owners = ownersOf(rows);
    out += ",\"processes\":[";
    for (std::size_t i = 0; i < owners.size(); ++i) {
        out += i ? ",\n" : "\n";
        out += processJson(*owners[i]);
    }
    out += "]}\n";
    return out;
}

std::vector<std::pair<std::string, std::string>>
reportHeader(const Update& update, std::span<const ExportRow> rows, const ExportContext& context) {
    std::size_t ownerless = 0;
    for (const auto& row : rows) {
        const OwnerStatus status = row.connection->socket.ownerStatus;
        ownerless += status == OwnerStatus::PermissionDenied || status == OwnerStatus::NotFound ||
                     status == OwnerStatus::NotResolved;
    }
    std::string owners = ownerless == 0
                             ? "all known"
                             : std::to_string(ownerless) + " of " + std::to_string(rows.size()) +
                                   " connections without a known process";
    if (!context.ownersHidden.empty()) {
        owners += "; " + context.ownersHidden;
    }
    return {
        {"host", context.host},
        {"os", context.os},
        {"user", context.user},
        {"portscope_version", context.version},
        {"generated_at", formatUnixMs(update.unixMs)},
        {"from", formatUnixMs(context.monitoredSinceUnixMs)},
        {"to", formatUnixMs(update.unixMs)},
        {"source", update.sourceName},
        {"filter", context.filter.empty() ? "none" : context.filter},
        {"connections", std::to_string(rows.size()) + " of " +
                            std::to_string(update.connections.size()) + " shown"},
        {"complete",
         rows.size() == update.connections.size() && ownerless == 0 && context.ownersHidden.empty()
             ? "yes"
             : "no"},
        {"owners", owners},
    };
}

std::string reportCsv(const Update& update, std::span<const ExportRow> rows,
                      const ExportContext& context) {
    std::string out;
    for (const auto& [key, value] : reportHeader(update, rows, context)) {
        out += csvField(value.empty() ? "# " + key + ":" : "# " + key + ": " + value) + "\r\n";
    }
    out += "\r\n# section: connections\r\n";
    out += connectionsCsv(rows);
    out += "\r\n# section: findings\r\n";
    std::vector<std::vector<std::string>> table;
    for (const auto& item : findingsOf(update, context)) {
        table.push_back(findingFieldValues(item));
    }
    appendCsvTable(out, findingFieldNames(), table);
    out += "\r\n# section: processes\r\n";
    table.clear();
    for (const ProcessRow* owner : ownersOf(rows)) {
        table.push_back(processFieldValues(update, *owner, context));
    }
    appendCsvTable(out, processFieldNames(), table);
    return out;
}

std::string reportJson(const Update& update, std::span<const ExportRow> rows,
                       const ExportContext& context) {
    std::string out = "{\"format\":\"portscope-report\",\"version\":1,\"report\":{";
    bool first = true;
    for (const auto& [key, value] : reportHeader(update, rows, context)) {
        out += first ? "" : ",";
        first = false;
        out += jsonString(key) + ":" + jsonString(value);
    }
    out += '}';
    appendWarningsAndConnections(out, update, rows);
    out += ",\"processes\":[";
    const auto owners = ownersOf(rows);
    for (std::size_t i = 0; i < owners.size(); ++i) {
        const Process& process = owners[i]->process;
        const std::string hash = programHashOf(context, process.key);
        std::string object = processJson(*owners[i]);
        // The parent's name and the program's hash, which the process alone does not carry.
        object.pop_back();
        object += ",\"parent\":" + jsonString(parentNameOf(update, process));
        object += ",\"sha256\":" + (hash.empty() ? std::string("null") : jsonString(hash));
        object += '}';
        out += i ? ",\n" : "\n";
        out += object;
    }
    std::string active;
    std::string resolved;
    for (const auto& item : findingsOf(update, context)) {
        std::string& list = item.resolved ? resolved : active;
        list += list.empty() ? "\n" : ",\n";
        list += findingJson(*item.finding);
    }
    out += "],\"findings\":[" + active + "],\"resolved_findings\":[" + resolved + "]}\n";
    return out;
}

std::string base64(std::string_view bytes) {
    static constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::size_t count = std::min<std::size_t>(3, bytes.size() - i);
        std::uint32_t group = 0;
        for (std::size_t j = 0; j < 3; ++j) {
            group = (group << 8) | (j < count ? static_cast<unsigned char>(bytes[i + j]) : 0U);
        }
        for (std::size_t j = 0; j < 4; ++j) {
            out += j <= count ? kAlphabet[(group >> (18 - 6 * j)) & 0x3f] : '=';
        }
    }
    return out;
}

std::string htmlReport(const Update& update, std::span<const ExportRow> rows,
                       std::string_view title, const ExportContext& context,
                       std::string_view chartPng) {
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                      "style-src 'unsafe-inline'; img-src data:\"><title>";
    out += htmlEscape(title);
    out += "</title><style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse;"
           "font-size:12px;margin-bottom:1em}th,td{border:1px solid #bbb;padding:2px 6px;"
           "text-align:left;vertical-align:top;white-space:pre-line}th{background:#eee}"
           "tr.closed td{color:#888;text-decoration:line-through}"
           "table.header th{width:12em}</style></head><body>\n<h1>";
    out += htmlEscape(title);
    out += "</h1>\n<table class=\"header\">\n";
    for (const auto& [key, value] : reportHeader(update, rows, context)) {
        out += "<tr><th>" + htmlEscape(key) + "</th><td>" + htmlEscape(value) + "</td></tr>\n";
    }
    out += "</table>\n";
    if (!chartPng.empty()) {
        out += "<p><img alt=\"Traffic graph\" src=\"data:image/png;base64,";
        out += base64(chartPng);
        out += "\"></p>\n";
    }
    for (const auto& warning : update.warnings) {
        out += "<p><strong>Note:</strong> " + htmlEscape(warning.english()) + "</p>\n";
    }

    const auto findings = findingsOf(update, context);
    out += "<h2>Findings (" + std::to_string(findings.size()) + ")</h2>\n";
    std::vector<std::vector<std::string>> table;
    for (const auto& item : findings) {
        table.push_back(findingFieldValues(item));
    }
    appendHtmlTable(out, findingFieldNames(), table);

    const auto owners = ownersOf(rows);
    out += "<h2>Processes (" + std::to_string(owners.size()) + ")</h2>\n";
    table.clear();
    for (const ProcessRow* owner : owners) {
        table.push_back(processFieldValues(update, *owner, context));
    }
    appendHtmlTable(out, processFieldNames(), table);

    out += "<h2>Connections (" + std::to_string(rows.size()) + ")</h2>\n<table>\n<tr>";
    const auto& names = connectionFieldNames();
    const auto& order = readableConnectionOrder();
    for (std::size_t index : order) {
        out += "<th>" + htmlEscape(names[index]) + "</th>";
    }
    out += "</tr>\n";
    for (const auto& row : rows) {
        out += row.connection->open ? "<tr>" : "<tr class=\"closed\">";
        const auto values = connectionFieldValues(row);
        for (std::size_t index : order) {
            out += "<td>" + htmlEscape(values[index]) + "</td>";
        }
        out += "</tr>\n";
    }
    out += "</table>\n</body></html>\n";
    return out;
}

} // namespace portscope::core
