#pragma once
// How core rows become cells: the columns both models offer, the text, sort keys, tooltips
// and highlight colours of each cell.

#include <QString>
#include <QVariant>
#include <cstdint>

namespace portscope::core {
struct Connection;
struct ProcessRow;
struct Update;
enum class RowChange : std::uint8_t;
} // namespace portscope::core

namespace portscope::gui {

enum class Field : std::uint8_t {
    Name,     // process name (tree connection rows: the protocol)
    Severity, // the glyph of the row's most severe finding, right next to the name
    Change,   // the +, ~, x marker, so colour is not the only cue
    Pid,
    Protocol,
    Local,
    Remote,
    State,
    Scope,
    SendRate,
    ReceiveRate,
    Bytes,
    Age,
    User,
    Connections,
    Finding,
    Path,
};

QString fieldTitle(Field field);
QString fieldToolTip(Field field);

namespace roles {
// Numbers sort as numbers and addresses as addresses through this role.
inline constexpr int Sort = Qt::UserRole + 1;
// What the highlight is, as an int of RowHighlight::Kind (for tests and delegates).
inline constexpr int HighlightKind = Qt::UserRole + 2;
// The severity of the row's most severe finding as an int of core::Severity, -1 when the row
// has none. Row-wide: every column answers it. The flagged-first sort reads it.
inline constexpr int FindingSeverity = Qt::UserRole + 3;
} // namespace roles

// The colour cue of a row: new rows green, changed rows yellow, each fading over a few
// updates; closed rows (tombstones) red for as long as the tracker keeps them.
struct RowHighlight {
    enum class Kind : std::uint8_t { None, Added, Changed, Closed };
    static constexpr std::uint8_t kTicks = 3;

    Kind kind = Kind::None;
    std::uint8_t ticksLeft = 0;

    // One update has passed. `firstSeen` is true when the row is new to the model (it may
    // have been added in an update the view skipped).
    void advance(core::RowChange change, bool open, bool firstSeen);
    bool operator==(const RowHighlight&) const = default;
};

// `update` (may be null), the update the row is from, names the parent in the tooltip.
QVariant connectionCell(Field field, const core::Connection& connection,
                        const core::ProcessRow* owner, const RowHighlight& highlight, int role,
                        std::int64_t nowUnixMs, const core::Update* update = nullptr);
// A process row; a row whose key has PID 0 is the group of connections no process owns.
QVariant processCell(Field field, const core::ProcessRow& process, const RowHighlight& highlight,
                     int role, const core::Update* update = nullptr);

// The label of the group that holds connections no process owns (TIME_WAIT, hidden owners).
QString unownedGroupName();

// "12.5 KB/s" and "3.4 MB", as the exporters write them.
QString rateText(double bytesPerSecond);
QString bytesText(std::uint64_t bytes);
// "42 s", "3 min 05 s", "2 h 10 min", "4 d 3 h"
QString durationText(std::int64_t milliseconds);
// A moment with its date in the locale's short form and the time to the second
// ("2026/12/03 14:05:06" in Japanese); ISO 8601 in the C locale.
QString dateTimeText(std::int64_t unixMs);

} // namespace portscope::gui
