#include "portscope/core/engine.h"

#include "portscope/core/findings_engine.h"
#include "portscope/core/host_name_resolver.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace portscope::core {

namespace asio = boost::asio;

struct Engine::Impl {
    Impl(std::unique_ptr<SnapshotSource> snapshotSource, EngineOptions engineOptions,
         EngineEvents engineEvents, std::unique_ptr<HostNameResolver> hostNameResolver)
        : source(std::move(snapshotSource)), options(engineOptions),
          events(std::move(engineEvents)), tracker(engineOptions.tracker),
          findings(engineOptions.findings), timer(io), changeTimer(io),
          resolver(hostNameResolver ? std::move(hostNameResolver)
                                    : std::make_unique<CachingHostNameResolver>()),
          intervalMs(engineOptions.interval.count()), isPaused(engineOptions.startPaused),
          resolveEnabled(engineOptions.resolveHostNames) {}

    std::unique_ptr<SnapshotSource> source;
    EngineOptions options;
    EngineEvents events;
    Tracker tracker;
    FindingsEngine findings;
    asio::io_context io;
    asio::steady_timer timer;
    asio::steady_timer changeTimer; // the early poll a change announcement asked for
    std::thread thread;
    std::unique_ptr<HostNameResolver> resolver;

    std::atomic<std::int64_t> intervalMs;
    std::atomic<bool> isPaused;
    std::atomic<bool> resolveEnabled;
    std::atomic<bool> started{false};
    bool finished = false;     // engine thread only
    bool earlyPollDue = false; // engine thread only: changeTimer is armed
    bool announcing = false;   // the source calls onChanges(); set before the thread starts
    ProcessKey focus;          // engine thread only
    std::chrono::steady_clock::time_point lastPoll{};
    std::chrono::steady_clock::duration lastPollDuration{}; // engine thread only
    static constexpr int kEarlyPollCostFactor = 10;

    void scheduleNext() {
        if (finished) {
            return;
        }
        const bool unpacedReplay = !source->isLive() && !options.pacedReplay;
        const auto wait = unpacedReplay ? std::chrono::milliseconds(0)
                                        : std::chrono::milliseconds(intervalMs.load());
        timer.expires_at(lastPoll + wait);
        timer.async_wait([this](const boost::system::error_code& error) {
            if (error) {
                return; // cancelled: the timer was re-armed, or the engine is stopping
            }
            if (isPaused.load()) {
                lastPoll = std::chrono::steady_clock::now();
            } else {
                tick();
            }
            scheduleNext();
        });
    }

    // The source has news between polls: poll early, but not before changeGap has passed
    // since the last poll. Ignored while paused: resuming polls anyway.
    void onChanges() {
        if (finished || earlyPollDue || isPaused.load()) {
            return;
        }
        earlyPollDue = true;
        // Early polls may take at most a tenth of a core: where a poll is slow (100k sockets
        // take a quarter of a second) they wait longer, up to the timer's own poll.
        const auto gap = std::max<std::chrono::steady_clock::duration>(
            options.changeGap, lastPollDuration * kEarlyPollCostFactor);
        changeTimer.expires_at(lastPoll + gap);
        changeTimer.async_wait([this](const boost::system::error_code& error) {
            if (error || !earlyPollDue || isPaused.load()) {
                return; // cancelled, or a poll since has covered the changes
            }
            tick();
            rearm();
        });
    }

    void tick() {
        if (finished) {
            return;
        }
        if (earlyPollDue) {
            earlyPollDue = false;
            changeTimer.cancel();
        }
        lastPoll = std::chrono::steady_clock::now();
        std::optional<Snapshot> snapshot;
        try {
            snapshot = source->poll();
            lastPollDuration = std::chrono::steady_clock::now() - lastPoll;
        } catch (const std::exception& error) {
            finish(std::string("Monitoring stopped: ") + error.what(), true);
            return;
        }
        if (!snapshot) {
            finish("The source " + source->name() + " has no more data.", false);
            return;
        }
        auto update = tracker.apply(*snapshot);
        if (options.detectFindings) {
            findings.evaluate(*update);
        }
        if (focus.valid() || resolveEnabled.load()) {
            auto& mutableUpdate = *update;
            if (focus.valid()) {
                mutableUpdate.focusedProcess = focus;
                mutableUpdate.focusedProcessHistory = tracker.processHistory(focus);
            }
            if (resolveEnabled.load()) {
                for (auto& connection : mutableUpdate.connections) {
                    const auto& remote = connection.socket.remote.address;
                    if (connection.socket.state == SocketState::Listen || remote.isUnspecified()) {
                        continue;
                    }
                    if (auto name = resolver->lookup(remote)) {
                        connection.remoteHostName = *name;
                    }
                }
            }
        }
        if (events.onUpdate) {
            events.onUpdate(update);
        }
    }

    void finish(const std::string& message, bool failed) {
        finished = true;
        timer.cancel();
        changeTimer.cancel();
        if (events.onFinished) {
            events.onFinished(message, failed);
        }
    }

    void rearm() {
        timer.cancel();
        scheduleNext();
    }
};

Engine::Engine(std::unique_ptr<SnapshotSource> source, EngineOptions options, EngineEvents events,
               std::unique_ptr<HostNameResolver> resolver) {
    if (!source) {
        throw std::invalid_argument("Engine needs a snapshot source");
    }
    if (options.interval < kMinInterval || options.interval > kMaxInterval) {
        throw std::invalid_argument("update interval must be between 0.25 s and 60 s");
    }
    impl_ =
        std::make_unique<Impl>(std::move(source), options, std::move(events), std::move(resolver));
}

Engine::~Engine() {
    stop();
}

void Engine::start() {
    if (impl_->started.exchange(true)) {
        return;
    }
    if (impl_->options.pollOnChanges) {
        impl_->announcing = impl_->source->announceChanges(
            [impl = impl_.get()] { asio::post(impl->io, [impl] { impl->onChanges(); }); });
    }
    asio::post(impl_->io, [impl = impl_.get()] {
        // The first poll happens at once, so a view has data without waiting a full interval.
        if (!impl->isPaused.load()) {
            impl->tick();
        } else {
            impl->lastPoll = std::chrono::steady_clock::now();
        }
        impl->scheduleNext();
    });
    impl_->thread = std::thread([impl = impl_.get()] {
        auto guard = asio::make_work_guard(impl->io);
        impl->io.run();
    });
}

void Engine::stop() {
    if (!impl_) {
        return;
    }
    if (impl_->announcing) {
        // Returns once the source's thread has stopped calling, so nothing is posted to an
        // io_context that is gone.
        impl_->source->announceChanges({});
        impl_->announcing = false;
    }
    impl_->io.stop();
    if (impl_->thread.joinable()) {
        impl_->thread.join();
    }
    impl_->resolver->shutdown();
}

void Engine::setInterval(std::chrono::milliseconds interval) {
    if (interval < kMinInterval || interval > kMaxInterval) {
        throw std::invalid_argument("update interval must be between 0.25 s and 60 s");
    }
    impl_->intervalMs.store(interval.count());
    asio::post(impl_->io, [impl = impl_.get()] { impl->rearm(); });
}

std::chrono::milliseconds Engine::interval() const {
    return std::chrono::milliseconds(impl_->intervalMs.load());
}

void Engine::pause() {
    impl_->isPaused.store(true);
}

void Engine::resume() {
    if (impl_->isPaused.exchange(false)) {
        asio::post(impl_->io, [impl = impl_.get()] {
            impl->tick();
            impl->rearm();
        });
    }
}

bool Engine::paused() const {
    return impl_->isPaused.load();
}

void Engine::refreshNow() {
    asio::post(impl_->io, [impl = impl_.get()] {
        impl->tick();
        impl->rearm();
    });
}

void Engine::setResolveHostNames(bool enabled) {
    impl_->resolveEnabled.store(enabled);
}

void Engine::setFocusedProcess(const ProcessKey& key) {
    asio::post(impl_->io, [impl = impl_.get(), key] { impl->focus = key; });
}

void Engine::setFindingsConfig(FindingsConfig config) {
    asio::post(impl_->io, [impl = impl_.get(), config = std::move(config)]() mutable {
        impl->findings.setConfig(std::move(config));
    });
}

void Engine::resetTotals() {
    asio::post(impl_->io, [impl = impl_.get()] { impl->tracker.resetTotals(); });
}

std::string Engine::sourceName() const {
    return impl_->source->name();
}

bool Engine::sourceIsLive() const {
    return impl_->source->isLive();
}

} // namespace portscope::core
