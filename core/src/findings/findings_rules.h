#pragma once
// Internal to the findings engine: the rules and what they share. Each rule is a FindingRule:
// it prepares for an update (begin), sees its connections in one pass shared by every rule
// (observe), then reports what it found (end). makeFindingRules() lists them all.

#include "portscope/core/findings_engine.h"
#include "portscope/core/text.h"
#include "portscope/core/tracker.h"
#include "portscope/core/units.h"

#include <array>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace portscope::core::findings_detail {

// What a rule saw in one update; the engine turns it into a raised, updated or continuing
// Finding.
struct Observation {
    std::string_view ruleId;
    std::string subject;
    Severity severity = Severity::Medium;
    ProcessKey process;
    bool hasUid = false;
    std::uint32_t uid = 0;
    FindingMessage headline; // worded by renderFindingText(), never by a rule
    std::vector<FindingMessage> evidence;
    std::vector<EvidenceSocket> sockets;
    std::size_t socketsTotal = 0;
    std::vector<EvidenceCounter> counters;
    double magnitude = 1;
};

struct TickContext {
    const Update& update;
    const FindingsConfig& config;
    const ScopeClassifier& scopes;
    std::int64_t nowNs = 0;       // steady time of this update, never going backwards
    std::int64_t previousNs = 0;  // of the previous update; equal to nowNs on the first
    bool firstUpdate = false;     // the first update the engine saw: everything is "added"
    std::int64_t firstUnixMs = 0; // when monitoring began
};

// The owner of a socket, or, when it is unknown, the user it ran as.
struct Actor {
    ProcessKey process;
    std::uint32_t uid = 0; // only for unknown owners
    bool operator==(const Actor&) const = default;
};
struct ActorHash {
    std::size_t operator()(const Actor& actor) const noexcept;
};
Actor actorOf(const Socket& socket);

// Shared evidence helpers.
EvidenceSocket evidenceOf(const Connection& connection);
void setActor(Observation& observation, const Actor& actor);
// Steady time as the sentences quote it: whole milliseconds, rounded up, at least 1 s.
std::int64_t elapsedMs(std::int64_t nanoseconds);

constexpr std::int64_t toNs(Milliseconds ms) {
    return static_cast<std::int64_t>(ms.count()) * 1'000'000;
}

bool isOpenForRules(const Connection& connection);

// A findings rule. It keeps its own state across updates; the engine makes a new one when
// the config changes.
class FindingRule {
public:
    virtual ~FindingRule() = default;
    // One of rules::k..., which also names the rule's section of the config file.
    virtual std::string_view id() const = 0;
    virtual bool enabled(const FindingsConfig& config) const = 0;
    // False for a rule that reads the update as a whole: the engine then skips observe().
    virtual bool observesConnections() const { return true; }

    virtual void begin(const TickContext&) {}
    virtual void observe(const TickContext&, const Connection&) {}
    virtual void end(const TickContext& tick, std::vector<Observation>& out) = 0;
};

// A rule whose thresholds are the config section `Section` at FindingsConfig::*kSection.
template <typename Section, Section FindingsConfig::*kSection>
class RuleWithSection : public FindingRule {
public:
    bool enabled(const FindingsConfig& config) const final { return (config.*kSection).enabled; }

protected:
    static const Section& section(const TickContext& tick) { return tick.config.*kSection; }
};

// Every rule, in the order their findings are numbered within one update.
std::vector<std::unique_ptr<FindingRule>> makeFindingRules(const FindingsConfig& config);

class FanoutScanRule final : public RuleWithSection<FanoutScanConfig, &FindingsConfig::fanoutScan> {
public:
    std::string_view id() const override { return rules::kFanoutScan; }
    void observe(const TickContext& tick, const Connection& connection) override;
    void end(const TickContext& tick, std::vector<Observation>& out) override;

private:
    struct Attempt {
        std::int64_t seenNs = 0;
        std::int64_t sinceNs = 0;     // it happened after this time (the previous update)
        bool underWayAtStart = false; // already there when monitoring began: since is unknown
        IpAddress remote;
        std::uint16_t port = 0;
        EvidenceSocket socket;
    };
    std::unordered_map<Actor, std::deque<Attempt>, ActorHash> windows_;
    // Sockets in SYN_SENT right now, whenever they started.
    std::unordered_map<Actor, std::vector<Attempt>, ActorHash> waiting_;
};

class SynFloodRule final : public RuleWithSection<SynFloodConfig, &FindingsConfig::synFlood> {
public:
    std::string_view id() const override { return rules::kSynFlood; }
    void observe(const TickContext& tick, const Connection& connection) override;
    void end(const TickContext& tick, std::vector<Observation>& out) override;

private:
    struct ListenerKey {
        ProcessKey owner;
        std::uint64_t netns = 0;
        std::uint16_t port = 0;
        bool operator==(const ListenerKey&) const = default;
    };
    struct ListenerKeyHash {
        std::size_t operator()(const ListenerKey& key) const noexcept;
    };
    struct HalfOpen {
        std::size_t count = 0;
        std::vector<IpAddress> remotes;
        std::vector<EvidenceSocket> evidence;
    };
    struct Listener {
        ListenerKey key;
        std::uint32_t queued = 0;  // accept queue now
        std::uint32_t backlog = 0; // its limit
        EvidenceSocket socket;
    };
    struct CounterSample {
        std::int64_t ns = 0;
        std::array<std::uint64_t, 4> values{};
    };
    std::unordered_map<ListenerKey, HalfOpen, ListenerKeyHash> halfOpen_;
    std::vector<Listener> listeners_;
    std::deque<CounterSample> samples_;
};

struct TrafficPattern {
    double bytesPerSecond = 0;
    bool low = false;
    bool periodic = false;
    double periodSeconds = 0;
    double bytesPerBurst = 0;
};

class LongLivedExternalRule final
    : public RuleWithSection<LongLivedExternalConfig, &FindingsConfig::longLivedExternal> {
public:
    std::string_view id() const override { return rules::kLongLivedExternal; }
    void observe(const TickContext& tick, const Connection& connection) override;
    void end(const TickContext& tick, std::vector<Observation>& out) override;

private:
    struct Activity {
        std::int64_t openedNs = 0;  // when the tracker first saw it, in steady time
        std::int64_t trackedNs = 0; // when this rule started watching its bytes
        bool openAtStart = false;   // open when monitoring began: its age is a lower bound
        std::uint64_t firstBytes = 0;
        std::uint64_t lastBytes = 0;
        bool activeLastTick = false;
        std::array<std::int64_t, 8> burstStarts{};
        std::size_t bursts = 0; // total seen; the ring keeps the last 8
        std::uint64_t lastBurstBytes = 0;
        std::uint64_t currentBurstBytes = 0;
        std::uint64_t seenGeneration = 0;
    };
    struct GroupKey {
        Actor actor;
        IpAddress remote;
        bool operator==(const GroupKey&) const = default;
    };
    struct GroupKeyHash {
        std::size_t operator()(const GroupKey& key) const noexcept;
    };
    struct Member {
        const Connection* connection = nullptr;
        const Activity* activity = nullptr;
    };
    static TrafficPattern patternOf(const Activity& activity, std::int64_t nowNs,
                                    std::int64_t tickNs, double lowRate);

    std::unordered_map<std::uint64_t, Activity> activity_;
    std::unordered_map<GroupKey, std::vector<Member>, GroupKeyHash> groups_;
    std::uint64_t generation_ = 1;
};

class NewListenerRule final
    : public RuleWithSection<NewListenerConfig, &FindingsConfig::newListener> {
public:
    std::string_view id() const override { return rules::kNewListener; }
    void observe(const TickContext& tick, const Connection& connection) override;
    void end(const TickContext& tick, std::vector<Observation>& out) override;

private:
    struct Key {
        Actor actor;
        Protocol protocol = Protocol::Tcp;
        std::uint16_t port = 0;
        bool operator==(const Key&) const = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& key) const noexcept;
    };
    std::unordered_map<Key, std::vector<EvidenceSocket>, KeyHash> listeners_;
};

class SuspiciousPortRule final
    : public RuleWithSection<SuspiciousPortConfig, &FindingsConfig::suspiciousPort> {
public:
    explicit SuspiciousPortRule(const SuspiciousPortConfig& config) : ports_(config.ports) {}
    std::string_view id() const override { return rules::kSuspiciousPort; }
    void observe(const TickContext& tick, const Connection& connection) override;
    void end(const TickContext& tick, std::vector<Observation>& out) override;

private:
    struct Key {
        Actor actor;
        std::uint16_t port = 0;
        bool listening = false;
        bool operator==(const Key&) const = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& key) const noexcept;
    };
    struct Hits {
        std::size_t count = 0;
        bool globalEstablished = false;
        std::vector<EvidenceSocket> evidence;
    };
    PortSet ports_;
    std::unordered_map<Key, Hits, KeyHash> hits_;
};

class ConnectionSurgeRule final
    : public RuleWithSection<ConnectionSurgeConfig, &FindingsConfig::connectionSurge> {
public:
    std::string_view id() const override { return rules::kConnectionSurge; }
    bool observesConnections() const override { return false; }
    void end(const TickContext& tick, std::vector<Observation>& out) override;

private:
    struct Sample {
        std::int64_t ns = 0;
        std::int64_t sinceNs = 0;
        std::uint32_t open = 0;
        std::uint32_t added = 0;
    };
    struct History {
        std::deque<Sample> samples;
        std::unordered_map<std::uint16_t, std::uint32_t> ports; // new connections per port
        std::deque<std::pair<std::int64_t, std::uint16_t>> portLog;
        std::vector<EvidenceSocket> evidence;
        std::uint64_t seenGeneration = 0;
    };
    std::unordered_map<ProcessKey, History, ProcessKeyHash> history_;
    std::uint64_t generation_ = 0;
};

class MasqueradeRule final : public RuleWithSection<MasqueradeConfig, &FindingsConfig::masquerade> {
public:
    std::string_view id() const override { return rules::kMasquerade; }
    void begin(const TickContext& tick) override;
    void observe(const TickContext& tick, const Connection& connection) override;
    void end(const TickContext& tick, std::vector<Observation>& out) override;

    struct Reason {
        Severity severity;
        FindingMessage message; // masquerade.imitates, masquerade.deleted-executable...
    };
    struct Verdict {
        Severity severity = Severity::Info;
        std::vector<Reason> reasons; // the most serious first
        std::string imitated;        // the system process it imitates, if any
    };
    // Depends on the process details and the config only, so verdicts can be cached.
    static Verdict judge(const Process& process, const MasqueradeConfig& config);

private:
    struct Cached {
        std::string name;
        std::string exePath;
        bool exeDeleted = false;
        Verdict verdict;
        std::uint64_t seenGeneration = 0;
        std::vector<EvidenceSocket> evidence;
        std::size_t sockets = 0;
    };
    std::unordered_map<ProcessKey, Cached, ProcessKeyHash> cache_;
    std::uint64_t generation_ = 0;
    bool anyFlagged_ = false;
};

class InboundScanRule final
    : public RuleWithSection<InboundScanConfig, &FindingsConfig::inboundScan> {
public:
    std::string_view id() const override { return rules::kInboundScan; }
    bool observesConnections() const override { return false; }
    void end(const TickContext& tick, std::vector<Observation>& out) override;

private:
    struct Sample {
        std::int64_t ns = 0;
        std::array<std::uint64_t, 3> values{};
    };
    std::deque<Sample> samples_;
    // Who probed, per update, over the same window (the eBPF sensor only).
    struct SourceSample {
        std::int64_t ns = 0;
        std::vector<ProbeSource> sources;
    };
    std::deque<SourceSample> sourceSamples_;
    void addSources(std::int64_t since, Observation& o) const;
};

} // namespace portscope::core::findings_detail
