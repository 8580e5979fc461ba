// Reverse DNS: the cache, the pending set and the memory of failures, with a fake lookup in
// place of the system's resolver; and the engine with a fake resolver in its place.

#include "portscope/core/engine.h"
#include "portscope/core/host_name_resolver.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <gtest/gtest.h>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

using namespace portscope::core;
using namespace std::chrono_literals;

namespace {

// A reverse lookup that answers from a table ("" for no name), counts its calls per address
// and can be held inside the lookup until released, as a slow DNS server would.
class FakeLookup {
public:
    explicit FakeLookup(std::map<IpAddress, std::string> names) : names_(std::move(names)) {}

    CachingHostNameResolver::ReverseLookup function() {
        return [this](const IpAddress& address) {
            std::unique_lock lock(mutex_);
            ++calls_[address];
            ++inside_;
            changed_.notify_all();
            changed_.wait(lock, [&] { return !held_; });
            --inside_;
            const auto found = names_.find(address);
            return found == names_.end() ? std::string() : found->second;
        };
    }
    void hold() {
        std::lock_guard lock(mutex_);
        held_ = true;
    }
    void release() {
        std::lock_guard lock(mutex_);
        held_ = false;
        changed_.notify_all();
    }
    bool waitUntilInside(int lookups) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, 5s, [&] { return inside_ >= lookups; });
    }
    int calls(const IpAddress& address) {
        std::lock_guard lock(mutex_);
        return calls_[address];
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::map<IpAddress, std::string> names_;
    std::map<IpAddress, int> calls_;
    int inside_ = 0;
    bool held_ = false;
};

const IpAddress kNamed = IpAddress::v4(192, 0, 2, 10);
const IpAddress kNameless = IpAddress::v4(192, 0, 2, 20);
const IpAddress kOther = IpAddress::v4(198, 51, 100, 7);

// Asks until the resolver has answered: a name, or no lookup pending any more (then the
// cache holds the answer, which one more ask returns). Bounded.
std::optional<std::string> lookupUntilAnswered(CachingHostNameResolver& resolver,
                                               const IpAddress& address) {
    for (int attempt = 0; attempt < 5000; ++attempt) {
        if (auto name = resolver.lookup(address)) {
            return name;
        }
        if (resolver.pendingCount() == 0) {
            return resolver.lookup(address);
        }
        std::this_thread::sleep_for(1ms);
    }
    ADD_FAILURE() << "no answer for " << address.toString() << " within 5 s";
    return std::nullopt;
}

TEST(CachingHostNameResolverTest, ANameIsLookedUpOnceAndThenServedFromTheCache) {
    FakeLookup fake({{kNamed, "server.example"}});
    CachingHostNameResolver resolver(2, 100, fake.function());
    EXPECT_EQ(resolver.lookup(kNamed), std::nullopt) << "the first answer is never immediate";
    EXPECT_EQ(lookupUntilAnswered(resolver, kNamed), "server.example");
    for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(resolver.lookup(kNamed), "server.example");
    }
    EXPECT_EQ(fake.calls(kNamed), 1);
    EXPECT_EQ(resolver.cachedCount(), 1u);
}

TEST(CachingHostNameResolverTest, AnAddressBeingLookedUpIsNotLookedUpAgain) {
    FakeLookup fake({{kNamed, "server.example"}});
    fake.hold();
    CachingHostNameResolver resolver(3, 100, fake.function());
    EXPECT_EQ(resolver.lookup(kNamed), std::nullopt);
    ASSERT_TRUE(fake.waitUntilInside(1));
    for (int tick = 0; tick < 20; ++tick) {
        EXPECT_EQ(resolver.lookup(kNamed), std::nullopt);
    }
    EXPECT_EQ(resolver.pendingCount(), 1u);
    EXPECT_EQ(fake.calls(kNamed), 1) << "pool threads were free, yet only one lookup ran";
    fake.release();
    EXPECT_EQ(lookupUntilAnswered(resolver, kNamed), "server.example");
    EXPECT_EQ(resolver.pendingCount(), 0u);
    EXPECT_EQ(fake.calls(kNamed), 1);
}

TEST(CachingHostNameResolverTest, AFailedLookupIsRememberedAndNotRetried) {
    FakeLookup fake({});
    CachingHostNameResolver resolver(1, 100, fake.function());
    EXPECT_EQ(resolver.lookup(kNameless), std::nullopt);
    EXPECT_EQ(lookupUntilAnswered(resolver, kNameless), std::nullopt);
    EXPECT_EQ(resolver.cachedCount(), 1u);
    for (int tick = 0; tick < 10; ++tick) {
        EXPECT_EQ(resolver.lookup(kNameless), std::nullopt);
    }
    EXPECT_EQ(resolver.pendingCount(), 0u);
    EXPECT_EQ(fake.calls(kNameless), 1);
}

TEST(CachingHostNameResolverTest, ALookupThatThrowsCountsAsNoName) {
    int calls = 0;
    CachingHostNameResolver resolver(1, 100, [&](const IpAddress&) -> std::string {
        ++calls;
        throw std::runtime_error("resolver crashed");
    });
    EXPECT_EQ(resolver.lookup(kNamed), std::nullopt);
    EXPECT_EQ(lookupUntilAnswered(resolver, kNamed), std::nullopt);
    EXPECT_EQ(resolver.lookup(kNamed), std::nullopt);
    resolver.shutdown();
    EXPECT_EQ(calls, 1);
}

TEST(CachingHostNameResolverTest, AFullCacheIsEmptiedAndFillsAgain) {
    FakeLookup fake({{kNamed, "a.example"}, {kNameless, ""}, {kOther, "c.example"}});
    CachingHostNameResolver resolver(1, 2, fake.function());
    EXPECT_EQ(lookupUntilAnswered(resolver, kNamed), "a.example");
    lookupUntilAnswered(resolver, kNameless);
    EXPECT_EQ(resolver.cachedCount(), 2u);
    EXPECT_EQ(lookupUntilAnswered(resolver, kOther), "c.example");
    EXPECT_EQ(resolver.cachedCount(), 1u) << "the limit was reached: only the newest is kept";
    EXPECT_EQ(lookupUntilAnswered(resolver, kNamed), "a.example");
    EXPECT_EQ(fake.calls(kNamed), 2) << "forgotten, so looked up again";
}

TEST(CachingHostNameResolverTest, LocalAddressesAreNeverLookedUp) {
    FakeLookup fake({});
    CachingHostNameResolver resolver(1, 100, fake.function());
    for (const auto& address :
         {IpAddress::v4(127, 0, 0, 1), IpAddress::v4(169, 254, 1, 1), IpAddress::anyOf(Family::V6),
          *IpAddress::parse("::1"), *IpAddress::parse("fe80::1")}) {
        EXPECT_FALSE(CachingHostNameResolver::worthLookingUp(address)) << address.toString();
        EXPECT_EQ(resolver.lookup(address), std::nullopt);
    }
    EXPECT_EQ(resolver.pendingCount(), 0u);
    EXPECT_EQ(resolver.cachedCount(), 0u);
    EXPECT_TRUE(CachingHostNameResolver::worthLookingUp(kNamed));
}

TEST(CachingHostNameResolverTest, ShutdownWaitsForARunningLookupAndThenAnswersNothing) {
    FakeLookup fake({{kNamed, "server.example"}});
    fake.hold();
    CachingHostNameResolver resolver(1, 100, fake.function());
    resolver.lookup(kNamed);
    ASSERT_TRUE(fake.waitUntilInside(1));
    std::thread releaser([&] {
        std::this_thread::sleep_for(50ms);
        fake.release();
    });
    resolver.shutdown(); // returns only once the held lookup is done
    releaser.join();
    EXPECT_EQ(resolver.lookup(kNamed), std::nullopt);
    EXPECT_EQ(resolver.lookup(kOther), std::nullopt);
    EXPECT_EQ(fake.calls(kOther), 0);
    resolver.shutdown(); // twice is harmless
}

// ---- The engine with a resolver of the test's own -------------------------------------------

class FakeResolver : public HostNameResolver {
public:
    std::optional<std::string> lookup(const IpAddress& address) override {
        std::lock_guard lock(mutex);
        asked.push_back(address);
        if (address == kNamed) {
            return "peer.example";
        }
        return std::nullopt;
    }
    void shutdown() override { shutdowns.fetch_add(1); }

    std::mutex mutex;
    std::vector<IpAddress> asked;
    std::atomic<int> shutdowns{0};
};

// One listener, one connection to kNamed and one to kOther.
class ConnectionsSource : public SnapshotSource {
public:
    std::optional<Snapshot> poll() override {
        const int n = ++polls_;
        Snapshot snapshot;
        snapshot.steadyNs = n * 1'000'000'000LL;
        snapshot.unixMs = 1'700'000'000'000LL + n * 1000;
        Socket listener;
        listener.state = SocketState::Listen;
        listener.local = {IpAddress::v4(0, 0, 0, 0), 80};
        listener.cookie = 1;
        snapshot.sockets.push_back(listener);
        Socket named;
        named.state = SocketState::Established;
        named.local = {IpAddress::v4(10, 0, 0, 1), 40000};
        named.remote = {kNamed, 443};
        named.cookie = 2;
        snapshot.sockets.push_back(named);
        Socket nameless = named;
        nameless.local.port = 40001;
        nameless.remote = {kOther, 443};
        nameless.cookie = 3;
        snapshot.sockets.push_back(nameless);
        return snapshot;
    }
    std::string name() const override { return "connections"; }

private:
    int polls_ = 0;
};

TEST(EngineHostNames, TheEngineAsksTheResolverItWasGivenAndShutsItDown) {
    auto resolver = std::make_unique<FakeResolver>();
    FakeResolver& fake = *resolver;
    std::mutex mutex;
    std::condition_variable arrived;
    UpdatePtr latest;
    EngineEvents events;
    events.onUpdate = [&](const UpdatePtr& update) {
        std::lock_guard lock(mutex);
        latest = update;
        arrived.notify_all();
    };
    EngineOptions options;
    options.interval = 250ms;
    options.resolveHostNames = true;
    options.detectFindings = false;
    {
        Engine engine(std::make_unique<ConnectionsSource>(), options, std::move(events),
                      std::move(resolver));
        engine.start();
        std::unique_lock lock(mutex);
        ASSERT_TRUE(arrived.wait_for(lock, 5s, [&] { return latest != nullptr; }));
        ASSERT_EQ(latest->connections.size(), 3u);
        for (const auto& connection : latest->connections) {
            if (connection.socket.remote.address == kNamed) {
                EXPECT_EQ(connection.remoteHostName, "peer.example");
            } else {
                EXPECT_TRUE(connection.remoteHostName.empty())
                    << connection.socket.remote.toString();
            }
        }
        lock.unlock();
        engine.stop();
        EXPECT_EQ(fake.shutdowns.load(), 1);
        std::lock_guard askedLock(fake.mutex);
        // Both connections were asked about, once per update; the listener never was.
        const auto named = std::count(fake.asked.begin(), fake.asked.end(), kNamed);
        EXPECT_GE(named, 1);
        EXPECT_EQ(std::count(fake.asked.begin(), fake.asked.end(), kOther), named);
        EXPECT_EQ(fake.asked.size(), static_cast<std::size_t>(2 * named));
    }
}

} // namespace
