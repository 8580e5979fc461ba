#pragma once
// Exporters shared by the CLI and the GUI. Everything that reaches a file passes through
// the escaping functions here: process names, command lines and host names come from
// untrusted sources.

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

} // namespace portscope::core
