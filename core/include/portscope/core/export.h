#pragma once
// Exporters shared by the CLI and the GUI. Everything that reaches a file passes through
// the escaping functions here: process names, command lines and host names come from
// untrusted sources.

#include "portscope/core/findings.h"
#include "portscope/core/text.h" // validUtf8, terminalText
#include "portscope/core/update.h"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace portscope::core {

// Text a spreadsheet will not evaluate: one that starts like a formula (= + - @, their
// fullwidth forms ＝ ＋ － ＠ which some spreadsheets also take for formulas, tab or
// carriage return) gets a leading '. Everything that goes to a spreadsheet passes through
// this: CSV fields and the GUI's tab-separated copy.
std::string defuseFormula(std::string_view text);
// One CSV field per RFC 4180, comma-separated, with invalid UTF-8 replaced and formula
// injection defused.
std::string csvField(std::string_view text);
// A quoted JSON string. Invalid UTF-8 becomes U+FFFD so the output always parses.
std::string jsonString(std::string_view text);
// Text safe inside HTML element content and quoted attribute values.
std::string htmlEscape(std::string_view text);

// RFC 3339 UTC time with milliseconds, "2026-11-23T10:15:02.125Z"; "" for 0.
std::string formatUnixMs(std::int64_t unixMs);

// The rows an export covers: connections in display order, each with its owner (or null).
struct ExportRow {
    const Connection* connection = nullptr;
    const ProcessRow* process = nullptr;
};
std::vector<ExportRow> exportRowsOf(const Update& update);

// Stable field names: docs/cli.md lists them. Changing one is a breaking change.
const std::vector<std::string_view>& connectionFieldNames();
std::vector<std::string> connectionFieldValues(const ExportRow& row);

// Always comma-separated: csvField quotes for exactly that separator.
std::string connectionsCsv(std::span<const ExportRow> rows);
std::string connectionJson(const ExportRow& row);
std::string processJson(const ProcessRow& process);
// {"generated_at":..., "source":..., "connections":[...], "processes":[...]}
std::string updateJson(const Update& update, std::span<const ExportRow> rows);
// A self-contained page: inline style, no scripts, no external resources.
std::string htmlReport(const Update& update, std::span<const ExportRow> rows,
                       std::string_view title);

// What a report says about itself, so that it stands on its own in a ticket: where and by
// whom it was taken, over which time, and how much of the picture it shows. The GUI and the
// CLI fill it; every field is untrusted text (a host name is whatever the machine says).
struct ExportContext {
    std::string host;
    std::string os;   // "Ubuntu 24.04 LTS (Linux 6.8.0)"
    std::string user; // who ran PortScope
    std::string version;
    std::int64_t monitoredSinceUnixMs = 0; // start of the time span; its end is the update's time
    std::string filter;                    // the filter in force, "" for none
    // Why owners may be missing, when they may be ("not running as administrator: other
    // users' sockets show no process"); "" when every owner PortScope can read was read.
    std::string ownersHidden;
    // SHA-256 of programs, where the user had them computed.
    std::vector<std::pair<ProcessKey, std::string>> programHashes;
    // Findings that ended earlier in the session, as they were last; the active ones come
    // from the update.
    std::vector<Finding> resolvedFindings;
};

// The report header as (key, value) lines, in the order every format lists them. Keys are
// stable; docs/guide.md lists them.
std::vector<std::pair<std::string, std::string>>
reportHeader(const Update& update, std::span<const ExportRow> rows, const ExportContext& context);

// A complete report in each format: the header, the connections, the findings (active and
// resolved) and the processes that own the connections.
//
// CSV: "# key: value" lines first (each one CSV field, so a spreadsheet puts it in one cell
// and evaluates nothing), then sections, each a "# section: NAME" line, a header row and its
// rows, separated by an empty line: connections, findings, processes.
std::string reportCsv(const Update& update, std::span<const ExportRow> rows,
                      const ExportContext& context);
// {"format":"portscope-report","version":1,"report":{...},"connections":[...],
//  "processes":[...],"findings":[...],"resolved_findings":[...]}
std::string reportJson(const Update& update, std::span<const ExportRow> rows,
                       const ExportContext& context);
// The HTML page with a header table, findings, processes and connections, readable columns
// first. `chartPng`, when given, is a PNG image (such as the traffic graph) embedded after
// the header as a data: URI, so the page still fetches nothing.
std::string htmlReport(const Update& update, std::span<const ExportRow> rows,
                       std::string_view title, const ExportContext& context,
                       std::string_view chartPng = {});

// Base64 (RFC 4648, with padding) of `bytes`.
std::string base64(std::string_view bytes);

} // namespace portscope::core
