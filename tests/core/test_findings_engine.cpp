// The findings engine as a whole: lifecycle, configuration changes, determinism, counter
// rates, JSON, the Engine wiring and the cost of a tick at 100k sockets.

#include "fake_sources.h"
#include "findings_test_support.h"
#include "portscope/core/engine.h"
#include "portscope/core/findings_text.h"

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <chrono>
#include <condition_variable>
#include <gtest/gtest.h>
#include <mutex>
#include <sstream>

using namespace portscope::core;
using namespace portscope::core::testing;
using namespace std::chrono_literals;

namespace {

const ProcessKey kApp{4242, 17};

std::vector<Socket> suspiciousListener() {
    return {listenerOn(1, kApp, IpAddress::v4(127, 0, 0, 1), 4444)};
}

Snapshot countersAt(double seconds, std::vector<std::pair<std::string, std::int64_t>> all) {
    Snapshot snapshot = snapshotAt(seconds);
    snapshot.counters.present = true;
    snapshot.counters.all = std::move(all);
    return snapshot;
}

} // namespace

TEST(FindingsEngine, DisabledRulesStayQuiet) {
    FindingsConfig config;
    config.suspiciousPort.enabled = false;
    RulesHarness h(config);
    const auto update = h.step(snapshotAt(0, suspiciousListener(), {}, {processOf(kApp, "nc")}));
    EXPECT_TRUE(update->findings.empty());
    RulesHarness enabled;
    EXPECT_EQ(enabled.step(snapshotAt(0, suspiciousListener(), {}, {processOf(kApp, "nc")}))
                  ->findings.size(),
              1u);
}

TEST(FindingsEngine, NewThresholdsApplyAndActiveFindingsKeepTheirIds) {
    FindingsConfig config;
    config.general.clearAfter = 2s;
    RulesHarness h(config);
    const auto proc = processOf(kApp, "nc");
    auto update = h.step(snapshotAt(0, suspiciousListener(), {}, {proc}));
    ASSERT_EQ(update->findings.size(), 1u);
    const FindingId first = update->findings[0].id;

    config.suspiciousPort.ports = {5555};
    h.engine().setConfig(config);
    EXPECT_EQ(h.engine().config().suspiciousPort.ports.toVector(),
              std::vector<std::uint16_t>{5555});
    update = h.step(snapshotAt(1, suspiciousListener(), {}, {proc}));
    ASSERT_EQ(update->findings.size(), 1u) << "still listed until clear_after passes";
    EXPECT_EQ(update->findings[0].id, first);
    update = h.step(snapshotAt(2, suspiciousListener(), {}, {proc}));
    EXPECT_TRUE(wasCleared(*update, first));

    auto sockets = suspiciousListener();
    sockets.push_back(listenerOn(2, kApp, IpAddress::v4(127, 0, 0, 1), 5555));
    update = h.step(snapshotAt(3, sockets, {}, {proc}));
    ASSERT_EQ(update->findings.size(), 1u);
    EXPECT_GT(update->findings[0].id, first) << "ids are never reused";
    EXPECT_EQ(update->findings[0].subject, "listening on 5555");
}

TEST(FindingsEngine, TheSameUpdatesGiveTheSameFindings) {
    auto run = [] {
        RulesHarness h;
        std::vector<std::vector<Finding>> all;
        h.step(snapshotAt(0));
        for (int t = 1; t <= 6; ++t) {
            std::vector<Socket> sockets = suspiciousListener();
            for (int i = 0; i < 3 * t; ++i) {
                sockets.push_back(
                    socketTo(100 + 3 * t + i, kApp, host(3 * t + i), 445, SocketState::SynSent));
            }
            all.push_back(h.step(snapshotAt(t, sockets, {}, {processOf(kApp, "w")}))->findings);
        }
        return all;
    };
    const auto first = run();
    const auto second = run();
    ASSERT_EQ(first.size(), second.size());
    EXPECT_EQ(first, second);
    EXPECT_FALSE(first.back().empty());
}

TEST(FindingsEngine, SortedByIdAndFoundById) {
    RulesHarness h;
    std::vector<Socket> sockets;
    for (std::uint16_t port : {4444, 31337, 6667, 12345}) {
        sockets.push_back(listenerOn(port, kApp, IpAddress::v4(127, 0, 0, 1), port));
    }
    const auto update = h.step(snapshotAt(0, sockets, {}, {processOf(kApp, "bd")}));
    ASSERT_EQ(update->findings.size(), 4u);
    for (std::size_t i = 1; i < update->findings.size(); ++i) {
        EXPECT_LT(update->findings[i - 1].id, update->findings[i].id);
    }
    for (const auto& finding : update->findings) {
        EXPECT_EQ(update->findFinding(finding.id), &finding);
        EXPECT_TRUE(wasRaised(*update, finding.id));
    }
    EXPECT_EQ(update->findFinding(999), nullptr);
}

TEST(CounterRates, PerSecondOverTheIntervalWithNoRateOnTheFirstSample) {
    RulesHarness h;
    auto update = h.step(countersAt(0, {{"Tcp.ActiveOpens", 100}, {"Tcp.CurrEstab", 9}}));
    ASSERT_EQ(update->counterRates.size(), 2u);
    EXPECT_FALSE(update->counterRates[0].hasRate);
    EXPECT_EQ(update->counterRates[0].value, 100);

    update = h.step(countersAt(2, {{"Tcp.ActiveOpens", 150}, {"Tcp.CurrEstab", 5}}));
    EXPECT_TRUE(update->counterRates[0].hasRate);
    EXPECT_DOUBLE_EQ(update->counterRates[0].perSecond, 25.0);
    EXPECT_DOUBLE_EQ(update->counterRates[1].perSecond, -2.0) << "a gauge may go down";
    EXPECT_FALSE(update->counterRates[0].flagged());

    // A counter appears and the order changes: names still match.
    update =
        h.step(countersAt(3, {{"Udp.NoPorts", 1}, {"Tcp.CurrEstab", 6}, {"Tcp.ActiveOpens", 160}}));
    ASSERT_EQ(update->counterRates.size(), 3u);
    EXPECT_FALSE(update->counterRates[0].hasRate);
    EXPECT_DOUBLE_EQ(update->counterRates[1].perSecond, 1.0);
    EXPECT_DOUBLE_EQ(update->counterRates[2].perSecond, 10.0);

    // No counters in a poll: nothing to show, and the next poll starts over.
    update = h.step(snapshotAt(4));
    EXPECT_TRUE(update->counterRates.empty());
    update = h.step(countersAt(5, {{"Tcp.ActiveOpens", 170}}));
    EXPECT_FALSE(update->counterRates[0].hasRate);
}

TEST(FindingJson, ParsesAndCarriesEveryField) {
    RulesHarness h;
    Process process = processOf(kApp, "evil\"name\n");
    process.exePath = "/tmp/evil";
    const auto update = h.step(snapshotAt(0, suspiciousListener(), {}, {process}));
    const auto findings = findingsOf(*update, rules::kSuspiciousPort);
    ASSERT_EQ(findings.size(), 1u);
    std::istringstream text(findingJson(*findings[0]));
    boost::property_tree::ptree tree;
    ASSERT_NO_THROW(boost::property_tree::read_json(text, tree)) << findingJson(*findings[0]);
    EXPECT_EQ(tree.get<std::string>("rule"), "suspicious-port");
    EXPECT_EQ(tree.get<std::string>("severity"), "medium");
    EXPECT_EQ(tree.get<int>("pid"), 4242);
    EXPECT_EQ(tree.get<int>("process_start"), 17);
    EXPECT_EQ(tree.get<std::string>("process"), "evil\"name\n");
    EXPECT_EQ(tree.get<std::string>("exe"), "/tmp/evil");
    EXPECT_EQ(tree.get<std::string>("subject"), "listening on 4444");
    EXPECT_EQ(tree.get<std::string>("first_seen"), "2023-11-14T22:13:20.000Z");
    EXPECT_EQ(tree.get<int>("revision"), 1);
    EXPECT_EQ(tree.get<int>("sockets_total"), 1);
    const auto& socket = tree.get_child("sockets").front().second;
    EXPECT_EQ(socket.get<std::string>("state"), "LISTEN");
    EXPECT_EQ(socket.get<int>("local_port"), 4444);
    EXPECT_EQ(socket.get<std::string>("local_address"), "127.0.0.1");
    EXPECT_EQ(socket.get<std::string>("remote_scope"), "unspecified");
    EXPECT_FALSE(tree.get<std::string>("summary").empty());
    EXPECT_FALSE(tree.get<std::string>("action").empty());
    EXPECT_EQ(tree.get<std::string>("uid"), "null");
}

// ------------------------------------------------------------------------ engine wiring

namespace {

std::unique_ptr<portscope::test::FunctionSource> listenerSource() {
    return std::make_unique<portscope::test::FunctionSource>(
        [](int poll) -> std::optional<Snapshot> {
            Snapshot snapshot = snapshotAt(poll, suspiciousListener(), {}, {processOf(kApp, "nc")});
            snapshot.sourceName = "listener";
            return snapshot;
        },
        "listener");
}

std::vector<UpdatePtr> runEngine(EngineOptions options, int updates,
                                 const std::function<void(Engine&, int)>& between = {}) {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<UpdatePtr> seen;
    EngineEvents events;
    events.onUpdate = [&](const UpdatePtr& update) {
        std::lock_guard lock(mutex);
        seen.push_back(update);
        changed.notify_all();
    };
    options.interval = Engine::kMinInterval;
    Engine engine(listenerSource(), options, std::move(events));
    engine.start();
    for (int i = 1; i <= updates; ++i) {
        std::unique_lock lock(mutex);
        if (!changed.wait_for(lock, 10s, [&] { return static_cast<int>(seen.size()) >= i; })) {
            break;
        }
        lock.unlock();
        if (between) {
            between(engine, i);
        }
    }
    engine.stop();
    std::lock_guard lock(mutex);
    return seen;
}

} // namespace

TEST(EngineFindings, EveryUpdateCarriesTheFindingsAndTheirChanges) {
    const auto updates = runEngine({}, 3);
    ASSERT_GE(updates.size(), 3u);
    ASSERT_EQ(updates[0]->findings.size(), 1u);
    EXPECT_EQ(updates[0]->findings[0].ruleId, "suspicious-port");
    EXPECT_EQ(updates[0]->findingsRaised.size(), 1u);
    EXPECT_EQ(updates[2]->findings.size(), 1u);
    EXPECT_TRUE(updates[2]->findingsRaised.empty()) << "raised once";
}

TEST(EngineFindings, SwitchedOffOrReconfiguredWhileRunning) {
    EngineOptions off;
    off.detectFindings = false;
    const auto quiet = runEngine(off, 2);
    ASSERT_GE(quiet.size(), 2u);
    EXPECT_TRUE(quiet[1]->findings.empty());

    EngineOptions options;
    options.findings.general.clearAfter = 0ms;
    const auto updates = runEngine(options, 6, [](Engine& engine, int i) {
        if (i == 2) {
            FindingsConfig config;
            config.suspiciousPort.enabled = false;
            config.general.clearAfter = 0ms;
            engine.setFindingsConfig(config);
        }
    });
    ASSERT_GE(updates.size(), 6u);
    EXPECT_EQ(updates[0]->findings.size(), 1u);
    EXPECT_TRUE(updates.back()->findings.empty());
    const bool clearedOnce = std::count_if(updates.begin(), updates.end(), [](const UpdatePtr& u) {
                                 return !u->findingsCleared.empty();
                             }) == 1;
    EXPECT_TRUE(clearedOnce);
}

// ------------------------------------------------------------------------------ the cost

TEST(FindingsEngine, ATickAtOneHundredThousandSocketsStaysCheap) {
    std::vector<Socket> sockets;
    std::vector<Process> processes;
    sockets.reserve(100'000);
    for (int p = 0; p < 200; ++p) {
        const ProcessKey key{10'000 + p, 1};
        processes.push_back(processOf(key, "worker" + std::to_string(p)));
        processes.back().exePath = p % 10 == 0 ? "/tmp/worker" : "/usr/bin/worker";
        sockets.push_back(listenerOn(900'000 + p, key, IpAddress::v4(0, 0, 0, 0),
                                     static_cast<std::uint16_t>(20'000 + p)));
    }
    for (int i = 0; i < 99'800; ++i) {
        const ProcessKey owner{10'000 + i % 200, 1};
        const IpAddress remote = i % 3 == 0
                                     ? IpAddress::v4(93, 184, static_cast<std::uint8_t>(i >> 8),
                                                     static_cast<std::uint8_t>(i))
                                     : host(i % 5000);
        sockets.push_back(socketTo(1 + i, owner, remote, static_cast<std::uint16_t>(443 + i % 3),
                                   i % 97 == 0 ? SocketState::SynSent : SocketState::Established,
                                   static_cast<std::uint16_t>(1024 + i % 60000)));
    }
    Tracker tracker;
    FindingsEngine engine;
    auto tick = [&](double seconds) {
        auto update = tracker.apply(snapshotAt(seconds, sockets, {}, processes));
        const auto started = std::chrono::steady_clock::now();
        engine.evaluate(const_cast<Update&>(*update));
        return std::chrono::steady_clock::now() - started;
    };
    tick(0); // everything is new in the first tick
    auto slowest = std::chrono::steady_clock::duration::zero();
    for (int t = 1; t <= 3; ++t) {
        slowest = std::max(slowest, tick(t));
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(slowest).count();
    std::cout << "findings evaluation at " << sockets.size() << " sockets: " << ms << " ms\n";
    // Linear work is a few tens of ms even in a debug or sanitizer build; a quadratic step
    // would take minutes.
    EXPECT_LT(ms, 2000);
}

TEST(FindingRuleRegistry, ListsEveryRuleOnceEachWithItsConfigSection) {
    const std::vector<std::string_view> ids = findingRuleIds();
    const std::vector<std::string_view> documented{
        rules::kFanoutScan,  rules::kSynFlood,       rules::kLongLivedExternal,
        rules::kNewListener, rules::kSuspiciousPort, rules::kConnectionSurge,
        rules::kMasquerade,  rules::kInboundScan};
    EXPECT_EQ(ids, documented);
    const std::string defaults = defaultFindingsConfigText();
    for (const std::string_view id : ids) {
        const std::string section = "[" + std::string(id) + "]";
        EXPECT_NE(defaults.find(section), std::string::npos) << id;
        const FindingsConfigLoad load = parseFindingsConfig(section + "\nenabled = false\n");
        EXPECT_TRUE(load.ok()) << id;
    }
}

TEST(FindingText, RendersFromTheStructuredPartsAlone) {
    Finding finding;
    finding.ruleId = std::string(rules::kFanoutScan);
    finding.process = ProcessKey{812, 5};
    finding.processName = "scan\x1bner";
    finding.headline.key = "fanout-scan.one-port";
    finding.headline.count("hosts", 12'345).port("port", 22).duration("elapsed", 90'000);
    finding.evidence.emplace_back().key = "fanout-scan.hosts-tried";
    finding.evidence.back().addresses("hosts", {"10.0.0.1", "10.0.0.2", "10.0.0.3"}, 2);

    const FindingText text = renderFindingText(finding);
    EXPECT_EQ(text.summary, "scan?ner (PID 812) tried to connect to 12,345 different hosts on "
                            "port 22 (SSH) in 90 s — typical of a network scan");
    EXPECT_EQ(text.action, "Unless scan?ner is a scanner you run on purpose, disconnect this "
                           "machine from the network, end the process and check the machine "
                           "with an up-to-date malware scanner.");
    EXPECT_EQ(text.details,
              std::vector<std::string>{"Hosts tried: 10.0.0.1, 10.0.0.2 and 1 more."});

    finding.process = {};
    finding.hasUid = true;
    finding.uid = 1000;
    EXPECT_TRUE(renderFindingText(finding).summary.starts_with(
        "an unidentified process (uid 1000) tried to connect"));
}
