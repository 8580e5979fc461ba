#include "fake_sources.h"
#include "portscope/core/engine.h"

#include <atomic>
#include <condition_variable>
#include <gtest/gtest.h>
#include <mutex>
#include <thread>

using namespace portscope::core;
using namespace std::chrono_literals;

namespace {

// Each poll returns one more listener, so updates are told apart; the source can be told to
// end, or to fail, after a number of polls.
std::unique_ptr<portscope::test::FunctionSource>
scriptedSource(int endAfter = -1, bool failAtEnd = false, bool live = true) {
    return std::make_unique<portscope::test::FunctionSource>(
        [=](int poll) -> std::optional<Snapshot> {
            if (endAfter >= 0 && poll > endAfter) {
                if (failAtEnd) {
                    throw SourceError("netlink socket went away");
                }
                return std::nullopt;
            }
            Snapshot snapshot;
            snapshot.steadyNs = poll * 1'000'000'000LL;
            snapshot.unixMs = 1'700'000'000'000LL + poll * 1000;
            snapshot.sourceName = "scripted";
            for (int i = 0; i < poll; ++i) {
                Socket socket;
                socket.state = SocketState::Listen;
                socket.local = {IpAddress::v4(127, 0, 0, 1), static_cast<std::uint16_t>(1000 + i)};
                socket.inode = 100 + i;
                socket.cookie = 500 + i;
                snapshot.sockets.push_back(socket);
            }
            return snapshot;
        },
        "scripted", live);
}

struct Collector {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<UpdatePtr> updates;
    std::string finishMessage;
    bool finished = false;
    bool failed = false;

    EngineEvents events() {
        EngineEvents e;
        e.onUpdate = [this](const UpdatePtr& update) {
            std::lock_guard lock(mutex);
            updates.push_back(update);
            changed.notify_all();
        };
        e.onFinished = [this](const std::string& message, bool didFail) {
            std::lock_guard lock(mutex);
            finishMessage = message;
            finished = true;
            failed = didFail;
            changed.notify_all();
        };
        return e;
    }

    bool waitFor(std::size_t count, std::chrono::milliseconds timeout = 10s) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, timeout, [&] { return updates.size() >= count; });
    }
    bool waitFinished(std::chrono::milliseconds timeout = 10s) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, timeout, [&] { return finished; });
    }
    std::size_t count() {
        std::lock_guard lock(mutex);
        return updates.size();
    }
};

EngineOptions withInterval(std::chrono::milliseconds interval) {
    EngineOptions options;
    options.interval = interval;
    return options;
}

} // namespace

TEST(Engine, PollsAtOnceThenOnEveryInterval) {
    Collector collector;
    Engine engine(scriptedSource(), withInterval(250ms), collector.events());
    const auto started = std::chrono::steady_clock::now();
    engine.start();
    ASSERT_TRUE(collector.waitFor(1, 2s)) << "the first poll should not wait an interval";
    ASSERT_TRUE(collector.waitFor(4));
    const auto elapsed = std::chrono::steady_clock::now() - started;
    EXPECT_GE(elapsed, 700ms) << "three intervals of 250 ms separate four polls";
    engine.stop();
    std::lock_guard lock(collector.mutex);
    for (std::size_t i = 0; i < collector.updates.size(); ++i) {
        EXPECT_EQ(collector.updates[i]->sequence, i + 1);
        EXPECT_EQ(collector.updates[i]->connections.size(), i + 1);
    }
}

TEST(Engine, PauseStopsUpdatesAndResumeRestartsThem) {
    Collector collector;
    Engine engine(scriptedSource(), withInterval(250ms), collector.events());
    engine.start();
    ASSERT_TRUE(collector.waitFor(2));
    engine.pause();
    EXPECT_TRUE(engine.paused());
    std::this_thread::sleep_for(300ms); // let a poll already under way finish
    const auto whilePaused = collector.count();
    std::this_thread::sleep_for(1s);
    EXPECT_EQ(collector.count(), whilePaused) << "no update may arrive while paused";
    engine.resume();
    EXPECT_TRUE(collector.waitFor(whilePaused + 2));
}

TEST(Engine, RefreshNowPollsWhilePaused) {
    Collector collector;
    EngineOptions options = withInterval(60s);
    options.startPaused = true;
    Engine engine(scriptedSource(), options, collector.events());
    engine.start();
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(collector.count(), 0u);
    engine.refreshNow();
    EXPECT_TRUE(collector.waitFor(1, 5s));
}

TEST(Engine, IntervalChangeAppliesAtOnce) {
    Collector collector;
    Engine engine(scriptedSource(), withInterval(60s), collector.events());
    engine.start();
    ASSERT_TRUE(collector.waitFor(1));
    // With a 60 s interval a second update would take a minute; 250 ms must re-arm the wait.
    engine.setInterval(250ms);
    EXPECT_EQ(engine.interval(), 250ms);
    EXPECT_TRUE(collector.waitFor(3, 5s));
}

TEST(Engine, RejectsIntervalsOutOfRange) {
    Collector collector;
    Engine engine(scriptedSource(), withInterval(1s), collector.events());
    EXPECT_THROW(engine.setInterval(100ms), std::invalid_argument);
    EXPECT_THROW(engine.setInterval(61s), std::invalid_argument);
    EXPECT_EQ(engine.interval(), 1s);
    EXPECT_THROW(Engine(scriptedSource(), withInterval(10ms), collector.events()),
                 std::invalid_argument);
    EXPECT_THROW(Engine(nullptr, withInterval(1s), collector.events()), std::invalid_argument);
}

TEST(Engine, ReportsTheEndOfAReplay) {
    Collector collector;
    EngineOptions options = withInterval(1s);
    options.pacedReplay = false;
    Engine engine(scriptedSource(3, false, false), options, collector.events());
    engine.start();
    ASSERT_TRUE(collector.waitFinished());
    EXPECT_FALSE(collector.failed);
    EXPECT_EQ(collector.count(), 3u) << "an unpaced replay runs without waiting an interval";
}

TEST(Engine, ReportsASourceFailureWithItsReason) {
    Collector collector;
    Engine engine(scriptedSource(1, true), withInterval(250ms), collector.events());
    engine.start();
    ASSERT_TRUE(collector.waitFinished());
    EXPECT_TRUE(collector.failed);
    EXPECT_NE(collector.finishMessage.find("netlink socket went away"), std::string::npos);
    EXPECT_EQ(collector.count(), 1u);
}

TEST(Engine, StopsPromptlyFromALongWait) {
    Collector collector;
    auto engine = std::make_unique<Engine>(scriptedSource(), withInterval(60s), collector.events());
    engine->start();
    ASSERT_TRUE(collector.waitFor(1));
    const auto before = std::chrono::steady_clock::now();
    engine.reset();
    EXPECT_LT(std::chrono::steady_clock::now() - before, 2s);
}

TEST(Engine, FocusedProcessHistoryArrivesWithUpdates) {
    Collector collector;
    Engine engine(scriptedSource(), withInterval(250ms), collector.events());
    engine.setFocusedProcess({42, 7});
    engine.start();
    ASSERT_TRUE(collector.waitFor(2));
    std::lock_guard lock(collector.mutex);
    EXPECT_EQ(collector.updates.back()->focusedProcess, (ProcessKey{42, 7}));
}

namespace {

// A source that announces changes when the test says so, as the eBPF sensor does when the
// kernel reports a state change between two polls.
class AnnouncingSource final : public SnapshotSource {
public:
    explicit AnnouncingSource(std::unique_ptr<SnapshotSource> inner) : inner_(std::move(inner)) {}

    std::optional<Snapshot> poll() override { return inner_->poll(); }
    std::string name() const override { return inner_->name(); }

    bool announceChanges(std::function<void()> onChanges) override {
        std::lock_guard lock(*mutex_);
        *callback_ = std::move(onChanges);
        return true;
    }

    // What the test keeps after handing the source to an engine.
    struct Remote {
        std::shared_ptr<std::mutex> mutex;
        std::shared_ptr<std::function<void()>> callback;

        bool registered() const {
            std::lock_guard lock(*mutex);
            return static_cast<bool>(*callback);
        }
        void announce() const {
            std::lock_guard lock(*mutex);
            if (*callback) {
                (*callback)();
            }
        }
    };
    Remote remote() const { return {mutex_, callback_}; }

private:
    std::unique_ptr<SnapshotSource> inner_;
    std::shared_ptr<std::mutex> mutex_ = std::make_shared<std::mutex>();
    std::shared_ptr<std::function<void()>> callback_ = std::make_shared<std::function<void()>>();
};

EngineOptions pollingOnChanges() {
    EngineOptions options = withInterval(60s);
    options.pollOnChanges = true;
    options.changeGap = 250ms;
    return options;
}

// An engine on an announcing source, started, with the test's end of the source.
struct AnnouncingEngine {
    explicit AnnouncingEngine(EngineOptions options = pollingOnChanges()) {
        auto source = std::make_unique<AnnouncingSource>(scriptedSource());
        remote = source->remote();
        engine = std::make_unique<Engine>(std::move(source), options, collector.events());
        engine->start();
    }

    Collector collector;
    AnnouncingSource::Remote remote;
    std::unique_ptr<Engine> engine;
};

} // namespace

TEST(Engine, PollsEarlyWhenTheSourceAnnouncesChangesButNotBeforeTheGap) {
    AnnouncingEngine announcing;
    auto& [collector, remote, engine] = announcing;
    ASSERT_TRUE(collector.waitFor(1));
    const auto first = std::chrono::steady_clock::now();
    ASSERT_TRUE(remote.registered());
    remote.announce();
    ASSERT_TRUE(collector.waitFor(2, 5s)) << "an announced change waits for the 60 s timer";
    EXPECT_GE(std::chrono::steady_clock::now() - first, 200ms)
        << "the early poll came sooner than the gap after the previous poll";
    std::lock_guard lock(collector.mutex);
    EXPECT_EQ(collector.updates[1]->connections.size(), 2u) << "the early update is a new poll";
}

TEST(Engine, ABurstOfAnnouncementsCostsOnePoll) {
    AnnouncingEngine announcing;
    auto& [collector, remote, engine] = announcing;
    ASSERT_TRUE(collector.waitFor(1));
    for (int i = 0; i < 100; ++i) {
        remote.announce();
    }
    ASSERT_TRUE(collector.waitFor(2, 5s));
    std::this_thread::sleep_for(600ms);
    EXPECT_EQ(collector.count(), 2u);
}

TEST(Engine, AnnouncementsAreIgnoredWhilePausedAndUnlessAskedFor) {
    {
        EngineOptions options = pollingOnChanges();
        options.startPaused = true;
        AnnouncingEngine paused(options);
        paused.remote.announce();
        std::this_thread::sleep_for(600ms);
        EXPECT_EQ(paused.collector.count(), 0u) << "a paused view changed on an announcement";
        paused.engine->stop();
        EXPECT_FALSE(paused.remote.registered())
            << "the engine stopped but the source still calls it";
    }
    EngineOptions options = pollingOnChanges();
    options.pollOnChanges = false;
    AnnouncingEngine notAsked(options);
    ASSERT_TRUE(notAsked.collector.waitFor(1));
    EXPECT_FALSE(notAsked.remote.registered());
}

TEST(Engine, WhereAPollIsSlowAnEarlyPollWaitsTenTimesItsDuration) {
    Collector collector;
    auto slow = std::make_unique<portscope::test::FunctionSource>(
        [inner = std::shared_ptr<SnapshotSource>(scriptedSource())](int) {
            std::this_thread::sleep_for(100ms); // a poll of many sockets
            return inner->poll();
        },
        "slow");
    auto source = std::make_unique<AnnouncingSource>(std::move(slow));
    const auto remote = source->remote();
    Engine engine(std::move(source), pollingOnChanges(), collector.events());
    engine.start();
    ASSERT_TRUE(collector.waitFor(1));
    const auto first = std::chrono::steady_clock::now();
    remote.announce();
    ASSERT_TRUE(collector.waitFor(2, 5s));
    EXPECT_GE(std::chrono::steady_clock::now() - first, 850ms)
        << "a 0.1 s poll was repeated sooner than a second after the last";
}
