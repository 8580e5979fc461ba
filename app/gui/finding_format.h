#pragma once
// How findings appear in the views: the badge on process and connection rows (severity glyph
// plus rule ID), their colours, and which finding belongs to which row.

#include <QColor>
#include <QString>
#include <QVariant>
#include <cstdint>
#include <utility>
#include <vector>

// Forward declarations only: the header reaches moc through update_model.h, and moc cannot
// parse the C++20 standard headers the core headers pull in.
namespace portscope::core {
struct Finding;
struct ProcessKey;
struct Update;
enum class Severity : std::uint8_t;
} // namespace portscope::core

namespace portscope::gui {

enum class Field : std::uint8_t;

QString severityGlyph(core::Severity severity); // "⚠" for high, "▲" medium, "●" low, "ℹ" info
QString severityText(core::Severity severity); // "High", "Medium", ...
QColor severityColor(core::Severity severity);

// The most severe finding attached to a row, and how many findings are attached in all.
struct FindingBadge {
    const core::Finding* finding = nullptr; // points into the Update the index was built from
    int count = 0;
};

// The findings of one Update keyed by process and by evidence socket, so that each row can
// show its badge without scanning the findings.
class FindingIndex {
public:
    void rebuild(const core::Update& update);
    void clear();
    FindingBadge forProcess(const core::ProcessKey& key) const;
    FindingBadge forConnection(std::uint64_t connectionId) const;
    // True when every row would show the same badge under both indexes.
    bool sameBadgesAs(const FindingIndex& other) const;

private:
    // (pid, start time) rather than core::ProcessKey, which would need its header here.
    std::vector<std::pair<std::pair<std::int32_t, std::uint64_t>, FindingBadge>> processes_;
    std::vector<std::pair<std::uint64_t, FindingBadge>> connections_; // sorted by id
};

// The cell of the Finding column for display, sort (by severity), tooltip and text colour;
// an invalid QVariant for other roles so that the row's highlight still applies.
QVariant findingCell(const FindingBadge& badge, int role);

// The badge of the two with the more severe finding (the first on a tie).
FindingBadge strongerBadge(const FindingBadge& first, const FindingBadge& second);

// What a row's findings add to its cells: the Finding and Severity columns, and on every
// column the severity tint (Qt::BackgroundRole) and roles::FindingSeverity. An invalid
// QVariant where the row's own cell applies.
QVariant findingRowCell(Field field, const FindingBadge& badge, int role);

// A finding as readable plain text, for the clipboard: severity, rule and process, the
// summary, the evidence (facts, sockets, counters) and what to do.
QString findingPlainText(const core::Finding& finding);

// "⚠ fanout-scan"
QString badgeText(const core::Finding& finding);

} // namespace portscope::gui
