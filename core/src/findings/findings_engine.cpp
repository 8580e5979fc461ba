#include "portscope/core/findings_engine.h"

#include "findings_rules.h"
#include "portscope/core/findings_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <unordered_map>

namespace portscope::core {

namespace findings_detail {

std::size_t ActorHash::operator()(const Actor& actor) const noexcept {
    return ProcessKeyHash{}(actor.process) ^ (static_cast<std::size_t>(actor.uid) * 0x9e3779b1u);
}

Actor actorOf(const Socket& socket) {
    Actor actor;
    actor.process = socket.owner;
    if (!socket.owner.valid()) {
        actor.process = {};
        actor.uid = socket.uid;
    }
    return actor;
}

EvidenceSocket evidenceOf(const Connection& connection) {
    EvidenceSocket evidence;
    evidence.connection = connection.id;
    evidence.protocol = connection.socket.protocol;
    evidence.state = connection.socket.state;
    evidence.local = connection.socket.local;
    evidence.remote = connection.socket.remote;
    evidence.open = connection.open;
    evidence.shortLived = connection.shortLived;
    evidence.netns = connection.socket.netns;
    return evidence;
}

std::int64_t elapsedMs(std::int64_t nanoseconds) {
    return std::max<std::int64_t>(1000, (nanoseconds + 999'999) / 1'000'000);
}

void setActor(Observation& observation, const Actor& actor) {
    observation.process = actor.process;
    observation.hasUid = !actor.process.valid();
    observation.uid = actor.uid;
}

bool isOpenForRules(const Connection& connection) {
    return connection.open && connection.socket.state != SocketState::TimeWait;
}

} // namespace findings_detail

using namespace findings_detail;

namespace {

struct ActiveFinding {
    Finding finding;
    std::int64_t observedNs = 0;
    double announcedMagnitude = 0;
    Severity announcedSeverity = Severity::Info;
};

std::string identityOf(const Observation& observation) {
    std::string key(observation.ruleId);
    key += '\x1f';
    key += std::to_string(observation.process.pid);
    key += ':';
    key += std::to_string(observation.process.startTime);
    key += ':';
    key += observation.hasUid ? std::to_string(observation.uid) : std::string("-");
    key += '\x1f';
    key += observation.subject;
    return key;
}

} // namespace

struct FindingsEngine::State {
    explicit State(const FindingsConfig& config)
        : scopes(config.classifier()), rules(makeFindingRules(config)) {
        for (const auto& rule : rules) {
            if (rule->enabled(config)) {
                enabled.push_back(rule.get());
                if (rule->observesConnections()) {
                    observers.push_back(rule.get());
                }
            }
        }
    }

    ScopeClassifier scopes;
    std::vector<std::unique_ptr<FindingRule>> rules;
    std::vector<FindingRule*> enabled;   // in the order of `rules`
    std::vector<FindingRule*> observers; // the enabled ones that see each connection

    // Kept across setConfig(): monitoring did not restart.
    struct Persistent {
        std::unordered_map<std::string, ActiveFinding> active;
        FindingId nextId = 1;
        bool seenAny = false;
        std::int64_t firstUnixMs = 0;
        std::int64_t lastNs = 0;
        std::vector<std::pair<std::string, std::int64_t>> previousCounters;
        std::int64_t previousCountersNs = 0;
        bool havePreviousCounters = false;
    };
    std::shared_ptr<Persistent> persistent = std::make_shared<Persistent>();
};

FindingsEngine::FindingsEngine(FindingsConfig config)
    : config_(std::move(config)), state_(std::make_unique<State>(config_)) {}

FindingsEngine::~FindingsEngine() = default;

void FindingsEngine::setConfig(FindingsConfig config) {
    config_ = std::move(config);
    auto persistent = state_->persistent;
    state_ = std::make_unique<State>(config_);
    state_->persistent = std::move(persistent);
}

namespace {

void publishCounterRates(Update& update, const std::vector<Finding>& active,
                         std::vector<std::pair<std::string, std::int64_t>>& previous,
                         std::int64_t& previousNs, bool& havePrevious, std::int64_t nowNs) {
    if (!update.counters.present) {
        havePrevious = false;
        previous.clear();
        return;
    }
    // Which counters the active findings cite, for highlighting.
    std::unordered_map<std::string_view, std::vector<std::string>> cited;
    for (const Finding& finding : active) {
        for (const EvidenceCounter& counter : finding.counters) {
            auto& rules = cited[counter.name];
            if (std::find(rules.begin(), rules.end(), finding.ruleId) == rules.end()) {
                rules.push_back(finding.ruleId);
            }
        }
    }
    const auto& all = update.counters.all;
    const double seconds = static_cast<double>(nowNs - previousNs) / 1e9;
    const bool canRate = havePrevious && seconds > 0;
    // The counters come in the same order every poll; a name lookup covers the rare change.
    std::unordered_map<std::string_view, std::int64_t> previousByName;
    bool sameLayout = canRate && previous.size() == all.size();
    for (std::size_t i = 0; sameLayout && i < all.size(); ++i) {
        sameLayout = previous[i].first == all[i].first;
    }
    if (canRate && !sameLayout) {
        for (const auto& [name, value] : previous) {
            previousByName.emplace(name, value);
        }
    }
    update.counterRates.reserve(all.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
        CounterRate rate;
        rate.name = all[i].first;
        rate.value = all[i].second;
        if (canRate) {
            std::optional<std::int64_t> before;
            if (sameLayout) {
                before = previous[i].second;
            } else if (const auto it = previousByName.find(all[i].first);
                       it != previousByName.end()) {
                before = it->second;
            }
            // Gauges such as Tcp.CurrEstab go down; counters that go down were reset.
            if (before) {
                rate.hasRate = true;
                rate.perSecond = static_cast<double>(rate.value - *before) / seconds;
            }
        }
        if (const auto it = cited.find(rate.name); it != cited.end()) {
            rate.findings = it->second;
        }
        update.counterRates.push_back(std::move(rate));
    }
    previous = all;
    previousNs = nowNs;
    havePrevious = true;
}

} // namespace

void FindingsEngine::evaluate(Update& update) {
    State& s = *state_;
    State::Persistent& p = *s.persistent;
    const bool first = !p.seenAny;
    if (first) {
        p.seenAny = true;
        p.firstUnixMs = update.unixMs;
        p.lastNs = update.steadyNs;
    }
    const std::int64_t nowNs = std::max(update.steadyNs, p.lastNs);
    TickContext tick{update, config_,      s.scopes, nowNs, first ? nowNs : p.lastNs,
                     first,  p.firstUnixMs};
    p.lastNs = nowNs;

    const FindingsConfig& c = config_;
    for (FindingRule* rule : s.enabled) {
        rule->begin(tick);
    }
    if (!s.observers.empty()) {
        for (const Connection& connection : update.connections) {
            for (FindingRule* rule : s.observers) {
                rule->observe(tick, connection);
            }
        }
    }
    std::vector<Observation> observations;
    for (FindingRule* rule : s.enabled) {
        rule->end(tick, observations);
    }

    for (Observation& observation : observations) {
        const std::string identity = identityOf(observation);
        auto [it, inserted] = p.active.try_emplace(identity);
        ActiveFinding& active = it->second;
        Finding& finding = active.finding;
        if (inserted) {
            finding.id = p.nextId++;
            finding.ruleId = std::string(observation.ruleId);
            finding.subject = observation.subject;
            finding.process = observation.process;
            finding.hasUid = observation.hasUid;
            finding.uid = observation.uid;
            finding.firstSeenUnixMs = update.unixMs;
            finding.revision = 1;
            active.announcedMagnitude = observation.magnitude;
            active.announcedSeverity = observation.severity;
            update.findingsRaised.push_back(finding.id);
        } else if (observation.severity > active.announcedSeverity ||
                   (observation.magnitude > 0 &&
                    observation.magnitude >= active.announcedMagnitude * c.general.updateGrowth)) {
            ++finding.revision;
            active.announcedMagnitude = observation.magnitude;
            active.announcedSeverity = std::max(active.announcedSeverity, observation.severity);
            update.findingsUpdated.push_back(finding.id);
        }
        if (const ProcessRow* row = update.findProcess(observation.process)) {
            finding.processName = row->process.name;
            finding.exePath = row->process.exePath;
        }
        finding.severity = observation.severity;
        finding.headline = std::move(observation.headline);
        finding.evidence = std::move(observation.evidence);
        finding.sockets = std::move(observation.sockets);
        if (finding.sockets.size() > Finding::kMaxEvidenceSockets) {
            finding.sockets.resize(Finding::kMaxEvidenceSockets);
        }
        for (EvidenceSocket& socket : finding.sockets) {
            socket.remoteScope = s.scopes.classify(socket.remote.address);
        }
        finding.socketsTotal = std::max(observation.socketsTotal, finding.sockets.size());
        finding.counters = std::move(observation.counters);
        finding.magnitude = observation.magnitude;
        FindingText text = renderFindingText(finding);
        finding.summary = std::move(text.summary);
        finding.action = std::move(text.action);
        finding.details = std::move(text.details);
        finding.lastSeenUnixMs = update.unixMs;
        active.observedNs = nowNs;
    }

    const std::int64_t clearAfterNs = toNs(c.general.clearAfter);
    for (auto it = p.active.begin(); it != p.active.end();) {
        if (it->second.observedNs != nowNs && nowNs - it->second.observedNs >= clearAfterNs) {
            update.findingsCleared.push_back(std::move(it->second.finding));
            it = p.active.erase(it);
        } else {
            ++it;
        }
    }
    update.findings.reserve(p.active.size());
    for (const auto& [identity, active] : p.active) {
        update.findings.push_back(active.finding);
    }
    auto byId = [](const Finding& a, const Finding& b) { return a.id < b.id; };
    std::sort(update.findings.begin(), update.findings.end(), byId);
    std::sort(update.findingsCleared.begin(), update.findingsCleared.end(), byId);
    std::sort(update.findingsRaised.begin(), update.findingsRaised.end());
    std::sort(update.findingsUpdated.begin(), update.findingsUpdated.end());

    publishCounterRates(update, update.findings, p.previousCounters, p.previousCountersNs,
                        p.havePreviousCounters, nowNs);
}

} // namespace portscope::core
