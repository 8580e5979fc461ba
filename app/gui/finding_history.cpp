#include "finding_history.h"

#include "finding_format.h"
#include "finding_wording.h"
#include "portscope/core/update.h"

#include <QDateTime>
#include <QObject>
#include <QStringList>
#include <algorithm>
#include <vector>

namespace portscope::gui {
namespace {

constexpr int kNamesPerGroup = 3;

QString fromStd(const std::string& text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

QString clockText(std::int64_t unixMs) {
    return QDateTime::fromMSecsSinceEpoch(unixMs).toString(QStringLiteral("HH:mm:ss"));
}

QString subjectText(const core::Finding& finding) {
    return finding.process.valid()
               ? QObject::tr("%1 (PID %2)")
                     .arg(fromStd(finding.processName), QString::number(finding.process.pid))
               : QObject::tr("host");
}

bool listedInNotice(const core::Finding& finding) {
    return finding.severity >= core::Severity::Medium;
}

// The findings of one rule and severity, in the order the notice lists them.
struct RuleGroup {
    core::Severity severity;
    std::string ruleId;
    std::vector<const core::Finding*> findings;
};

QString groupText(const RuleGroup& group) {
    const QString rule = fromStd(group.ruleId);
    if (group.findings.size() == 1) {
        return QObject::tr("%1 %2").arg(subjectText(*group.findings.front()), rule);
    }
    QStringList names;
    for (const core::Finding* finding : group.findings) {
        if (names.size() == kNamesPerGroup) {
            names << QStringLiteral("…");
            break;
        }
        names << (finding->process.valid() ? fromStd(finding->processName) : QObject::tr("host"));
    }
    return QObject::tr("%1 ×%2 (%3)")
        .arg(rule)
        .arg(group.findings.size())
        .arg(names.join(QObject::tr(", ", "between the items of a list")));
}

} // namespace

QString endedText(const ResolvedFinding& resolved) {
    switch (resolved.reason) {
    case ResolvedFinding::Reason::ProcessExited:
        return QObject::tr("process gone at %1").arg(clockText(resolved.endedUnixMs));
    case ResolvedFinding::Reason::NoLongerSeen:
        break;
    }
    return QObject::tr("last seen at %1").arg(clockText(resolved.endedUnixMs));
}

void FindingHistory::apply(const core::Update& update) {
    for (const core::Finding& finding : update.findingsCleared) {
        // Gone: no longer listed, or listed only for its closed sockets. Whether it exited or
        // just closed them all, the sockets cannot tell; either way the finding ended with it.
        const core::ProcessRow* row =
            finding.process.valid() ? update.findProcess(finding.process) : nullptr;
        const bool exited =
            finding.process.valid() && (row == nullptr || row->counts.tcp + row->counts.udp == 0);
        // The rule last saw it then; it clears only after a quiet spell.
        const std::int64_t ended =
            finding.lastSeenUnixMs != 0 ? finding.lastSeenUnixMs : update.unixMs;
        resolved_.push_back(ResolvedFinding{finding, ended,
                                            exited ? ResolvedFinding::Reason::ProcessExited
                                                   : ResolvedFinding::Reason::NoLongerSeen});
        if (resolved_.size() > kMaxResolved) {
            resolved_.pop_front();
        }
    }
}

const ResolvedFinding* FindingHistory::findResolved(std::uint64_t id) const {
    const auto it = std::find_if(resolved_.rbegin(), resolved_.rend(),
                                 [id](const ResolvedFinding& r) { return r.finding.id == id; });
    return it == resolved_.rend() ? nullptr : &*it;
}

FindingNotice summarizeFindings(const core::Update* update, const FindingHistory& history) {
    std::vector<const core::Finding*> active;
    if (update != nullptr) {
        for (const core::Finding& finding : update->findings) {
            if (listedInNotice(finding)) {
                active.push_back(&finding);
            }
        }
    }
    // Most severe first; the older first among equals, so the line does not reshuffle.
    std::stable_sort(active.begin(), active.end(),
                     [](const auto* a, const auto* b) { return a->severity > b->severity; });

    std::vector<RuleGroup> groups;
    int high = 0;
    int medium = 0;
    FindingNotice notice;
    QStringList details;
    for (const core::Finding* finding : active) {
        (finding->severity == core::Severity::High ? high : medium) += 1;
        details << QObject::tr("%1 %2: %3")
                       .arg(badgeText(*finding), subjectText(*finding), localizedSummary(*finding));
        const auto group = std::find_if(groups.begin(), groups.end(), [&](const RuleGroup& g) {
            return g.severity == finding->severity && g.ruleId == finding->ruleId;
        });
        if (group != groups.end()) {
            group->findings.push_back(finding);
        } else {
            groups.push_back(RuleGroup{finding->severity, finding->ruleId, {finding}});
        }
    }
    if (!active.empty()) {
        notice.firstId = active.front()->id;
        notice.highestSeverity = static_cast<int>(active.front()->severity);
    }

    int resolvedCount = 0;
    const ResolvedFinding* lastResolved = nullptr;
    for (const ResolvedFinding& resolved : history.resolved()) {
        if (listedInNotice(resolved.finding)) {
            ++resolvedCount;
            lastResolved = &resolved;
        }
    }

    QStringList counts;
    // Spelled out rather than "%n finding(s)": the English line has no translation file
    // to pick the plural form from.
    if (high > 0) {
        counts << (high == 1 ? QObject::tr("1 high finding")
                             : QObject::tr("%1 high findings").arg(high));
    }
    if (medium > 0) {
        counts << (medium == 1 ? QObject::tr("1 medium finding")
                               : QObject::tr("%1 medium findings").arg(medium));
    }
    if (active.empty()) {
        notice.text = QObject::tr("No active high or medium findings.");
    } else {
        QStringList parts;
        for (const RuleGroup& group : groups) {
            parts << groupText(group);
        }
        notice.text =
            QObject::tr("%1: %2").arg(counts.join(QObject::tr(", ", "between the items of a list")),
                                      parts.join(QObject::tr("; ", "between groups of a list")));
    }
    if (lastResolved != nullptr) {
        notice.text += QStringLiteral("  ·  ") +
                       QObject::tr("%n resolved (last: %1 %2, %3)", nullptr, resolvedCount)
                           .arg(subjectText(lastResolved->finding),
                                fromStd(lastResolved->finding.ruleId), endedText(*lastResolved));
        details << QObject::tr("Resolved: %1 %2, %3")
                       .arg(subjectText(lastResolved->finding),
                            fromStd(lastResolved->finding.ruleId), endedText(*lastResolved));
    }
    notice.details = details.join(QLatin1Char('\n'));
    return notice;
}

} // namespace portscope::gui
