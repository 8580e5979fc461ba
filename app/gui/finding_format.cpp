#include "finding_format.h"

#include "finding_wording.h"
#include "portscope/core/update.h"
#include "rich_text.h"
#include "row_format.h"

#include <QBrush>
#include <QFont>
#include <QObject>
#include <QStringList>
#include <algorithm>

namespace portscope::gui {
namespace {

// Higher severity first; between equals the older finding, so a badge does not flip when a
// newer finding of the same weight appears.
bool outranks(const core::Finding& candidate, const core::Finding& current) {
    if (candidate.severity != current.severity) {
        return candidate.severity > current.severity;
    }
    return candidate.id < current.id;
}

template <typename Key>
void attach(std::vector<std::pair<Key, FindingBadge>>& badges, const Key& key,
            const core::Finding& finding) {
    badges.push_back({key, FindingBadge{&finding, 1}});
}

// Sorts by key and folds duplicates into one badge with the strongest finding and a count.
template <typename Key>
void fold(std::vector<std::pair<Key, FindingBadge>>& badges) {
    std::stable_sort(badges.begin(), badges.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::size_t out = 0;
    for (std::size_t i = 0; i < badges.size(); ++i) {
        if (out > 0 && badges[out - 1].first == badges[i].first) {
            FindingBadge& kept = badges[out - 1].second;
            ++kept.count;
            if (outranks(*badges[i].second.finding, *kept.finding)) {
                kept.finding = badges[i].second.finding;
            }
            continue;
        }
        badges[out++] = badges[i];
    }
    badges.resize(out);
}

template <typename Key>
FindingBadge lookup(const std::vector<std::pair<Key, FindingBadge>>& badges, const Key& key) {
    const auto it =
        std::lower_bound(badges.begin(), badges.end(), key,
                         [](const auto& entry, const Key& wanted) { return entry.first < wanted; });
    if (it == badges.end() || !(it->first == key)) {
        return {};
    }
    return it->second;
}

template <typename Key>
bool sameBadges(const std::vector<std::pair<Key, FindingBadge>>& a,
                const std::vector<std::pair<Key, FindingBadge>>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
        return x.first == y.first && x.second.count == y.second.count &&
               x.second.finding->id == y.second.finding->id &&
               x.second.finding->severity == y.second.finding->severity &&
               x.second.finding->summary == y.second.finding->summary;
    });
}

} // namespace

QString severityGlyph(core::Severity severity) {
    switch (severity) {
    case core::Severity::High:
        return QStringLiteral("⚠");
    case core::Severity::Medium:
        return QStringLiteral("▲");
    case core::Severity::Low:
        return QStringLiteral("●");
    case core::Severity::Info:
        return QStringLiteral("ℹ");
    }
    return QStringLiteral("?");
}

QString severityText(core::Severity severity) {
    switch (severity) {
    case core::Severity::High:
        return QObject::tr("High");
    case core::Severity::Medium:
        return QObject::tr("Medium");
    case core::Severity::Low:
        return QObject::tr("Low");
    case core::Severity::Info:
        return QObject::tr("Info");
    }
    return QObject::tr("Unknown");
}

QColor severityColor(core::Severity severity) {
    switch (severity) {
    case core::Severity::High:
        return QColor(0xb0, 0x00, 0x20);
    case core::Severity::Medium:
        return QColor(0xb3, 0x5c, 0x00);
    case core::Severity::Low:
        return QColor(0x7a, 0x6a, 0x00);
    case core::Severity::Info:
        return QColor(0x1f, 0x5f, 0xa8);
    }
    return {};
}

void FindingIndex::rebuild(const core::Update& update) {
    processes_.clear();
    connections_.clear();
    for (const core::Finding& finding : update.findings) {
        if (finding.process.valid()) {
            attach(processes_, std::pair{finding.process.pid, finding.process.startTime}, finding);
        }
        for (const core::EvidenceSocket& socket : finding.sockets) {
            attach(connections_, socket.connection, finding);
        }
    }
    fold(processes_);
    fold(connections_);
}

void FindingIndex::clear() {
    processes_.clear();
    connections_.clear();
}

FindingBadge FindingIndex::forProcess(const core::ProcessKey& key) const {
    return key.valid() ? lookup(processes_, std::pair{key.pid, key.startTime}) : FindingBadge{};
}

FindingBadge FindingIndex::forConnection(std::uint64_t connectionId) const {
    return lookup(connections_, connectionId);
}

bool FindingIndex::sameBadgesAs(const FindingIndex& other) const {
    return sameBadges(processes_, other.processes_) && sameBadges(connections_, other.connections_);
}

QString findingPlainText(const core::Finding& finding) {
    auto text = [](const std::string& value) {
        return QString::fromUtf8(value.data(), static_cast<qsizetype>(value.size()));
    };
    const QString subject = finding.process.valid() ? QObject::tr("%1 (PID %2)")
                                                          .arg(text(finding.processName),
                                                               QString::number(finding.process.pid))
                                                    : QObject::tr("whole host");
    QStringList lines;
    lines << QObject::tr("%1 %2 finding %3 about %4")
                 .arg(severityGlyph(finding.severity), severityText(finding.severity),
                      text(finding.ruleId), subject);
    const LocalizedFindingText words = localizedFindingText(finding);
    lines << words.summary;
    if (!finding.exePath.empty()) {
        lines << QObject::tr("Path: %1").arg(text(finding.exePath));
    }
    if (!words.details.isEmpty() || !finding.sockets.empty() || !finding.counters.empty()) {
        lines << QObject::tr("Evidence:");
    }
    for (const QString& detail : words.details) {
        lines << QStringLiteral("- ") + detail;
    }
    for (const core::EvidenceSocket& socket : finding.sockets) {
        const std::string_view state = core::toString(socket.state);
        lines << QObject::tr("- %1 %2 -> %3 %4%5")
                     .arg(QString::fromLatin1(
                              core::toString(socket.protocol).data(),
                              static_cast<qsizetype>(core::toString(socket.protocol).size())),
                          text(socket.local.toString()), text(socket.remote.toString()),
                          QString::fromLatin1(state.data(), static_cast<qsizetype>(state.size())),
                          socket.open ? QString() : QObject::tr(" (closed)"));
    }
    if (finding.socketsTotal > finding.sockets.size()) {
        lines << QObject::tr("- … %1 sockets in all").arg(finding.socketsTotal);
    }
    for (const core::EvidenceCounter& counter : finding.counters) {
        lines << QObject::tr("- %1 = %2, +%3 over the window")
                     .arg(text(counter.name))
                     .arg(counter.value)
                     .arg(counter.increase);
    }
    if (!words.action.isEmpty()) {
        lines << QObject::tr("What to do: %1").arg(words.action);
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QString badgeText(const core::Finding& finding) {
    return severityGlyph(finding.severity) + QLatin1Char(' ') +
           QString::fromStdString(finding.ruleId);
}

FindingBadge strongerBadge(const FindingBadge& first, const FindingBadge& second) {
    if (second.finding == nullptr) {
        return first;
    }
    if (first.finding == nullptr || second.finding->severity > first.finding->severity) {
        return second;
    }
    return first;
}

namespace {

// A tint strong enough to find the row at a glance and light enough to read its text; the
// more severe, the stronger.
QBrush severityTint(core::Severity severity) {
    QColor colour = severityColor(severity);
    switch (severity) {
    case core::Severity::High:
        colour.setAlpha(70);
        break;
    case core::Severity::Medium:
        colour.setAlpha(50);
        break;
    case core::Severity::Low:
        colour.setAlpha(35);
        break;
    case core::Severity::Info:
        colour.setAlpha(20);
        break;
    }
    return QBrush(colour);
}

QVariant severityCell(const FindingBadge& badge, int role) {
    if (role == roles::Sort) {
        return badge.finding == nullptr ? -1 : static_cast<int>(badge.finding->severity);
    }
    if (badge.finding == nullptr) {
        return role == Qt::DisplayRole ? QVariant(QString()) : QVariant();
    }
    switch (role) {
    case Qt::DisplayRole:
        return severityGlyph(badge.finding->severity);
    case Qt::ToolTipRole:
        return findingCell(badge, role);
    case Qt::ForegroundRole:
        return severityColor(badge.finding->severity);
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::AlignCenter);
    case Qt::FontRole: {
        QFont font;
        font.setBold(true);
        return font;
    }
    default:
        return {};
    }
}

} // namespace

QVariant findingRowCell(Field field, const FindingBadge& badge, int role) {
    if (role == roles::FindingSeverity) {
        return badge.finding == nullptr ? -1 : static_cast<int>(badge.finding->severity);
    }
    if (role == Qt::BackgroundRole && badge.finding != nullptr) {
        return severityTint(badge.finding->severity);
    }
    if (field == Field::Severity) {
        return severityCell(badge, role);
    }
    if (field == Field::Finding) {
        return findingCell(badge, role);
    }
    return {};
}

QVariant findingCell(const FindingBadge& badge, int role) {
    if (role == roles::Sort) {
        // Unflagged rows sort below every severity.
        return badge.finding == nullptr ? -1 : static_cast<int>(badge.finding->severity);
    }
    if (badge.finding == nullptr) {
        return role == Qt::DisplayRole || role == Qt::ToolTipRole ? QVariant(QString())
                                                                  : QVariant();
    }
    const core::Finding& finding = *badge.finding;
    switch (role) {
    case Qt::DisplayRole:
        return badge.count > 1 ? QObject::tr("%1 +%2").arg(badgeText(finding)).arg(badge.count - 1)
                               : badgeText(finding);
    case Qt::ToolTipRole: {
        QString text = QObject::tr("%1 severity: %2")
                           .arg(severityText(finding.severity), localizedSummary(finding));
        if (badge.count > 1) {
            text += QLatin1Char('\n') +
                    QObject::tr("%n more finding(s) on this row; see the Findings tab.", nullptr,
                                badge.count - 1);
        }
        return literalRichText(text); // the summary names the process
    }
    case Qt::ForegroundRole:
        return severityColor(finding.severity);
    default:
        return {};
    }
}

} // namespace portscope::gui
