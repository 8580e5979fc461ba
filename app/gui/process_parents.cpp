#include "process_parents.h"

#include "portscope/core/update.h"
#include "portscope/platform/system.h"

#include <QObject>

namespace portscope::gui {

namespace {

QString fromStd(const std::string& text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

// Enough for every process a user looks at in a long session.
constexpr qsizetype kMaxRemembered = 4096;

// A parent starts before its child. A process under the parent's PID that started later took
// the PID over after the parent ended. Start times of 0 are unknown and prove nothing.
bool couldBeParent(std::uint64_t parentStart, std::uint64_t childStart) {
    return parentStart == 0 || childStart == 0 || parentStart <= childStart;
}

} // namespace

ProcessParents::Reader ProcessParents::systemReader() {
    return [](std::int32_t pid) -> std::optional<Running> {
        const auto key = platform::currentProcessKey(pid);
        if (!key) {
            return std::nullopt;
        }
        const auto details = platform::processDetails(*key);
        if (!details) {
            return std::nullopt;
        }
        return Running{fromStd(details->name), key->startTime};
    };
}

ProcessParents& ProcessParents::shared() {
    static ProcessParents instance;
    return instance;
}

void ProcessParents::setReader(Reader reader) {
    reader_ = std::move(reader);
    read_.clear();
}

QString ProcessParents::describe(const core::Process& child, const core::Update* update) {
    const std::int32_t parentPid = child.parentPid;
    if (parentPid <= 0) {
        return QObject::tr("none");
    }
    const QString number = QString::number(parentPid);
    if (update != nullptr) {
        for (const core::ProcessRow& candidate : update->processes) {
            if (candidate.process.key.pid == parentPid &&
                couldBeParent(candidate.process.key.startTime, child.key.startTime)) {
                return QObject::tr("%1 (%2)").arg(number, fromStd(candidate.process.name));
            }
        }
    }
    if (!reader_) {
        return number;
    }
    const ChildAndParent id{{child.key.pid, child.key.startTime}, parentPid};
    if (const auto it = read_.constFind(id); it != read_.constEnd()) {
        return *it;
    }
    const std::optional<Running> running = reader_(parentPid);
    QString text;
    if (!running || !couldBeParent(running->startTime, child.key.startTime)) {
        text = QObject::tr("%1 (no longer running)").arg(number);
    } else if (running->name.isEmpty()) {
        text = number;
    } else {
        text = QObject::tr("%1 (%2)").arg(number, running->name);
    }
    if (read_.size() >= kMaxRemembered) {
        read_.clear();
    }
    read_.insert(id, text);
    return text;
}

} // namespace portscope::gui
