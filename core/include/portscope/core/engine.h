#pragma once
// The polling engine: a Boost.Asio io_context on a thread of its own, driven by a steady
// timer. It polls a SnapshotSource, runs the tracker and the findings rules, fills in
// resolved host names and
// hands every Update to its subscribers as a shared immutable pointer.
//
// Threads: every public method may be called from any thread; subscribers are called on
// the engine thread and must not block (the GUI posts the pointer to its own thread).

#include "portscope/core/findings_config.h"
#include "portscope/core/host_name_resolver.h"
#include "portscope/core/snapshot_source.h"
#include "portscope/core/tracker.h"

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace portscope::core {

struct EngineOptions {
    std::chrono::milliseconds interval{1000};
    TrackerOptions tracker;
    bool resolveHostNames = false;
    bool startPaused = false;
    // For a replay source: wait `interval` between records (false: as fast as possible).
    bool pacedReplay = true;
    // The findings rules run after the tracker on every update (findings_engine.h).
    bool detectFindings = true;
    FindingsConfig findings;
    // With a source that announces changes (SnapshotSource::announceChanges), poll as soon as
    // it has some, but no sooner than `changeGap` after the previous poll, so that a view shows
    // a new connection as it happens and a burst costs at most one poll per gap. Where a poll
    // takes long (many sockets), the gap is ten times the previous poll's duration instead,
    // so that early polls never take more than a tenth of a core.
    bool pollOnChanges = false;
    std::chrono::milliseconds changeGap{250};
};

struct EngineEvents {
    std::function<void(const UpdatePtr&)> onUpdate;
    // The source ended (replay finished) or failed; the message says which and why.
    std::function<void(const std::string& message, bool failed)> onFinished;
};

class Engine {
public:
    static constexpr std::chrono::milliseconds kMinInterval{250};
    static constexpr std::chrono::milliseconds kMaxInterval{60'000};

    // `resolver` answers reverse DNS while resolveHostNames is on; without one the engine
    // makes a CachingHostNameResolver (three threads, the system's resolver). The engine
    // shuts it down when it stops.
    Engine(std::unique_ptr<SnapshotSource> source, EngineOptions options, EngineEvents events,
           std::unique_ptr<HostNameResolver> resolver = nullptr);
    ~Engine(); // stops and joins
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    void start();
    void stop();

    // Throws std::invalid_argument outside [kMinInterval, kMaxInterval]. Applies at once:
    // the pending wait is re-armed from the time of the last poll.
    void setInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds interval() const;
    void pause();
    void resume();
    bool paused() const;
    void refreshNow(); // polls at once, even while paused
    void setResolveHostNames(bool enabled);
    void setFocusedProcess(const ProcessKey& key); // pid 0 clears
    void resetTotals();
    // New thresholds and ranges for the rules, from the next update on.
    void setFindingsConfig(FindingsConfig config);

    std::string sourceName() const;
    bool sourceIsLive() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace portscope::core
