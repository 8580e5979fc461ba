#pragma once
// Builders for scripted snapshots and a SnapshotSource the tests feed, for the GUI tests.

#include "fake_sources.h"
#include "portscope/core/snapshot_source.h"
#include "portscope/core/tracker.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QLabel>
#include <QTest>
#include <QWidget>
#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace portscope::gui::testing {

inline constexpr std::int64_t kBaseUnixMs = 1'700'000'000'000;

inline core::IpAddress address(std::string_view text) {
    return core::IpAddress::parse(text).value();
}

inline core::Socket tcpSocket(std::uint64_t cookie, std::string_view local, std::uint16_t localPort,
                              std::string_view remote, std::uint16_t remotePort,
                              core::ProcessKey owner = {},
                              core::SocketState state = core::SocketState::Established) {
    core::Socket socket;
    socket.protocol = core::Protocol::Tcp;
    socket.state = state;
    socket.local = core::Endpoint{address(local), localPort};
    socket.remote = core::Endpoint{address(remote), remotePort};
    socket.cookie = cookie;
    socket.inode = cookie + 50'000;
    socket.counters.present = true;
    socket.counters.hasBytesSent = true;
    socket.owner = owner;
    socket.ownerStatus = owner.valid() ? core::OwnerStatus::Known : core::OwnerStatus::NoInode;
    return socket;
}

inline core::Socket tcpListener(std::uint64_t cookie, std::uint16_t port, core::ProcessKey owner) {
    return tcpSocket(cookie, "0.0.0.0", port, "0.0.0.0", 0, owner, core::SocketState::Listen);
}

inline core::Socket udpSocket(std::uint64_t cookie, std::string_view local, std::uint16_t port,
                              core::ProcessKey owner) {
    core::Socket socket = tcpSocket(cookie, local, port,
                                    local.find(':') == std::string_view::npos ? "0.0.0.0" : "::", 0,
                                    owner, core::SocketState::Bound);
    socket.protocol = core::Protocol::Udp;
    socket.counters = {};
    return socket;
}

inline core::Process process(std::int32_t pid, std::uint64_t startTime, std::string name,
                             std::string exe = {}, std::string user = "alice",
                             std::uint32_t uid = 1000) {
    core::Process p;
    p.key = core::ProcessKey{pid, startTime};
    p.name = std::move(name);
    p.exePath = exe.empty() ? "/usr/bin/" + p.name : std::move(exe);
    p.commandLine = p.exePath + " --serve";
    p.userName = std::move(user);
    p.uid = uid;
    p.parentPid = 1;
    p.startedAtUnixMs = kBaseUnixMs - 60'000;
    return p;
}

// Snapshot number `tick` (0-based), one second apart.
inline core::Snapshot snapshotAt(int tick, std::vector<core::Socket> sockets,
                                 std::vector<core::Process> processes) {
    core::Snapshot snapshot;
    snapshot.steadyNs = (static_cast<std::int64_t>(tick) + 1) * 1'000'000'000;
    snapshot.unixMs = kBaseUnixMs + static_cast<std::int64_t>(tick) * 1000;
    snapshot.pollDurationNs = 2'000'000;
    snapshot.sockets = std::move(sockets);
    snapshot.processes = std::move(processes);
    snapshot.sourceName = "scripted";
    return snapshot;
}

// A source whose snapshots the test supplies. Once the script runs out, the last snapshot
// repeats with its clocks advanced, as a quiet live system would look. Thread-safe: the
// test edits the script on its thread while the engine polls on its own.
class Script {
public:
    void push(core::Snapshot snapshot) {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(snapshot));
    }
    // Replaces what repeats from now on (and drops anything queued).
    void setSteady(core::Snapshot snapshot) {
        std::lock_guard lock(mutex_);
        queue_.clear();
        last_ = std::move(snapshot);
        haveLast_ = true;
    }
    int polls() const { return polls_.load(); }
    void endAfterQueue() { ends_.store(true); }

    std::optional<core::Snapshot> next() {
        std::lock_guard lock(mutex_);
        ++polls_;
        if (!queue_.empty()) {
            last_ = std::move(queue_.front());
            queue_.pop_front();
            haveLast_ = true;
        } else if (ends_.load()) {
            return std::nullopt;
        }
        if (!haveLast_) {
            last_ = snapshotAt(0, {}, {});
            haveLast_ = true;
        }
        ++tick_;
        last_.steadyNs = tick_ * 1'000'000'000;
        last_.unixMs = kBaseUnixMs + tick_ * 1000;
        return last_;
    }

private:
    std::mutex mutex_;
    std::deque<core::Snapshot> queue_;
    core::Snapshot last_;
    bool haveLast_ = false;
    std::int64_t tick_ = 0;
    std::atomic<int> polls_{0};
    std::atomic<bool> ends_{false};
};

// Plays `script` for as long as it is polled.
inline std::unique_ptr<portscope::test::FunctionSource>
scriptedSource(std::shared_ptr<Script> script, bool live) {
    return std::make_unique<portscope::test::FunctionSource>(
        [script = std::move(script)](int) { return script->next(); }, "scripted", live);
}

// A name that is markup to anything that guesses rich text; it must show as these characters.
inline const std::string kHostileName = "<b>x</b><img src=/nonexistent>";
inline const QString kHostileEscaped =
    QStringLiteral("&lt;b&gt;x&lt;/b&gt;&lt;img src=/nonexistent&gt;");

// Walks every cell of `model` under `parent`: no tooltip may hold the hostile name as markup.
// Adds to `escaped` the columns whose tooltips show it escaped; `rawTips` gets the offenders.
inline void collectHostileToolTips(const QAbstractItemModel& model, const QModelIndex& parent,
                                   std::set<int>& escaped, QStringList& rawTips) {
    for (int row = 0; row < model.rowCount(parent); ++row) {
        for (int column = 0; column < model.columnCount(parent); ++column) {
            const QString tip =
                model.data(model.index(row, column, parent), Qt::ToolTipRole).toString();
            if (tip.contains(QStringLiteral("<img"))) {
                rawTips << tip;
            }
            if (tip.contains(kHostileEscaped)) {
                escaped.insert(column);
            }
        }
        collectHostileToolTips(model, model.index(row, 0, parent), escaped, rawTips);
    }
}

// The labels under `root` that would render the hostile name as markup: neither plain text
// nor escaped.
inline QStringList labelsRenderingMarkup(const QWidget& root) {
    QStringList offenders;
    for (const QLabel* label : root.findChildren<QLabel*>()) {
        if (label->textFormat() != Qt::PlainText &&
            label->text().contains(QStringLiteral("<img"))) {
            offenders << label->objectName() + QStringLiteral(": ") + label->text();
        }
    }
    return offenders;
}

// Pumps the event loop until `done` or the timeout; returns done().
inline bool waitFor(const std::function<bool()>& done, int timeoutMs = 5000) {
    return QTest::qWaitFor(done, timeoutMs);
}

} // namespace portscope::gui::testing
