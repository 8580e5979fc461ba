#pragma once
// The parent of a process as people read it: "1234 (bash)", not a bare number. An update
// lists only the processes that own sockets, so the parent (often a shell or a service
// manager) is usually read from the system instead, once per child, and only when the session
// is live: a recorded session's parents are long gone, and whatever runs under that PID today
// is another program.

#include <QHash>
#include <QString>
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>

namespace portscope::core {
struct Process;
struct Update;
} // namespace portscope::core

namespace portscope::gui {

class ProcessParents {
public:
    // What runs under a PID now: its name and start time (the ProcessKey's), or nullopt when
    // nothing does.
    struct Running {
        QString name;
        std::uint64_t startTime = 0;
    };
    using Reader = std::function<std::optional<Running>(std::int32_t pid)>;

    // Reads through platform::currentProcessKey() and platform::processDetails().
    static Reader systemReader();

    // The one the Process tab, the properties window and the list's tooltips share; the
    // window gives it the system's reader while the session is live.
    static ProcessParents& shared();

    // A null reader (the default) names only parents the update lists.
    void setReader(Reader reader);

    // "1234 (bash)"; "1234 (no longer running)" when the PID is free or was reused since the
    // child started; "1234" when nothing tells; "none" without a parent.
    QString describe(const core::Process& child, const core::Update* update);

private:
    Reader reader_;
    // The answer per child (PID, start time) and parent PID, read once: a child whose parent
    // ends gets a new parent PID.
    using ChildAndParent = std::pair<std::pair<std::int32_t, std::uint64_t>, std::int32_t>;
    QHash<ChildAndParent, QString> read_;
};

} // namespace portscope::gui
