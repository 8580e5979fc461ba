// Rules about connection behaviour: fan-out scans, SYN floods, connection surges and scans
// against this machine.

#include "findings_rules.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace portscope::core::findings_detail {

namespace {

constexpr std::size_t kMaxAttemptsPerActor = 50'000;

bool neverEstablished(const Connection& connection) {
    const Socket& socket = connection.socket;
    switch (socket.state) {
    case SocketState::SynSent:
        return true;
    case SocketState::Listen:
    case SocketState::SynRecv:
    case SocketState::NewSynRecv:
    case SocketState::TimeWait:
        return false;
    default:
        break;
    }
    // A connect that was refused or timed out closes with nothing acknowledged: not even
    // the SYN, which the kernel's counters would show as one byte.
    return socket.counters.present && socket.counters.bytesAcked == 0 &&
           socket.counters.bytesReceived == 0;
}

// A list of addresses of which the message keeps the first `limit`, and the count of all.
void addAddresses(FindingMessage& message, std::string name,
                  const std::vector<IpAddress>& addresses, std::size_t limit) {
    std::vector<std::string> first;
    for (std::size_t i = 0; i < addresses.size() && i < limit; ++i) {
        first.push_back(addresses[i].toString());
    }
    message.addresses(std::move(name), first, limit);
    message.facts.back().integer = static_cast<std::int64_t>(addresses.size());
}

} // namespace

// ---------------------------------------------------------------------------- fanout-scan

void FanoutScanRule::observe(const TickContext& tick, const Connection& connection) {
    const Socket& socket = connection.socket;
    // A blocking connect that failed resets the socket's remote port before it closes, so a
    // close event may name the host but not the port: the host still counts.
    if (socket.protocol != Protocol::Tcp || socket.remote.address.isUnspecified() ||
        (socket.remote.port == 0 && connection.open)) {
        return;
    }
    const bool newlyWaiting = connection.open && connection.change == RowChange::Added &&
                              socket.state == SocketState::SynSent;
    const bool failedBetweenPolls = !connection.open && connection.change == RowChange::Closed &&
                                    connection.shortLived && neverEstablished(connection);
    const bool waiting = connection.open && socket.state == SocketState::SynSent;
    if (!newlyWaiting && !failedBetweenPolls && !waiting) {
        return;
    }
    Attempt attempt;
    attempt.seenNs = tick.nowNs;
    attempt.sinceNs = tick.previousNs;
    // A socket that has waited for several polls started before its first sighting, not
    // before this one; counting it from the last poll made "in 1 s" of a scan that had run
    // for minutes.
    const std::int64_t waitedMs =
        std::max<std::int64_t>(0, tick.update.unixMs - connection.firstSeenUnixMs);
    attempt.sinceNs = std::min(attempt.sinceNs, tick.previousNs - waitedMs * 1'000'000);
    attempt.underWayAtStart = tick.firstUpdate || connection.firstSeenUnixMs <= tick.firstUnixMs;
    attempt.remote = socket.remote.address.unmapped();
    attempt.port = socket.remote.port;
    attempt.socket = evidenceOf(connection);
    const Actor actor = actorOf(socket);
    if (waiting) {
        waiting_[actor].push_back(attempt);
    }
    if (newlyWaiting || failedBetweenPolls) {
        auto& window = windows_[actor];
        window.push_back(attempt);
        if (window.size() > kMaxAttemptsPerActor) {
            window.pop_front();
        }
    }
}

void FanoutScanRule::end(const TickContext& tick, std::vector<Observation>& out) {
    const FanoutScanConfig& config = tick.config.fanoutScan;
    const std::int64_t horizon = tick.nowNs - toNs(config.window);
    for (const auto& entry : waiting_) {
        windows_.try_emplace(entry.first); // so that every actor with waiting sockets is judged
    }
    for (auto it = windows_.begin(); it != windows_.end();) {
        auto& attempts = it->second;
        while (!attempts.empty() && attempts.front().seenNs < horizon) {
            attempts.pop_front();
        }
        const auto waitingIt = waiting_.find(it->first);
        const std::vector<Attempt>* waiting =
            waitingIt == waiting_.end() ? nullptr : &waitingIt->second;
        if (attempts.empty() && waiting == nullptr) {
            it = windows_.erase(it);
            continue;
        }
        const Actor& actor = it->first;

        std::vector<std::pair<std::uint16_t, IpAddress>> targets;
        std::vector<IpAddress> hosts;
        targets.reserve(attempts.size() + (waiting ? waiting->size() : 0));
        std::int64_t earliest = tick.nowNs;
        bool underWayAtStart = false;
        auto take = [&](const Attempt& attempt) {
            if (attempt.port != 0) {
                targets.emplace_back(attempt.port, attempt.remote);
            }
            hosts.push_back(attempt.remote);
            earliest = std::min(earliest, attempt.sinceNs);
            underWayAtStart = underWayAtStart || attempt.underWayAtStart;
        };
        for (const Attempt& attempt : attempts) {
            take(attempt);
        }
        if (waiting) {
            for (const Attempt& attempt : *waiting) {
                take(attempt);
            }
        }
        std::sort(hosts.begin(), hosts.end());
        hosts.erase(std::unique(hosts.begin(), hosts.end()), hosts.end());
        if (hosts.size() < config.hosts) {
            ++it;
            continue;
        }
        std::sort(targets.begin(), targets.end());
        targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
        // The port reaching the most distinct hosts, and how many ports in all.
        std::uint16_t topPort = 0;
        std::size_t topHosts = 0;
        std::size_t ports = 0;
        for (std::size_t i = 0; i < targets.size();) {
            std::size_t j = i;
            while (j < targets.size() && targets[j].first == targets[i].first) {
                ++j;
            }
            ++ports;
            if (j - i > topHosts) {
                topHosts = j - i;
                topPort = targets[i].first;
            }
            i = j;
        }

        Observation o;
        o.ruleId = rules::kFanoutScan;
        setActor(o, actor);
        o.subject = actor.process.valid() ? "" : "uid " + std::to_string(actor.uid);
        const bool onePort = topHosts >= config.hosts;
        const bool wormPort = onePort && config.wormPorts.contains(topPort);
        o.severity = wormPort ? Severity::High : Severity::Medium;
        if (onePort) {
            o.headline.key = wormPort ? "fanout-scan.worm-port" : "fanout-scan.one-port";
            o.headline.count("hosts", topHosts).port("port", topPort);
        } else if (ports > 0) {
            o.headline.key = "fanout-scan.many-ports";
            o.headline.count("hosts", hosts.size()).count("ports", ports);
        } else {
            o.headline.key = "fanout-scan.no-ports";
            o.headline.count("hosts", hosts.size());
            o.evidence.push_back({"fanout-scan.ports-unknown", {}});
        }
        o.headline.duration("elapsed", elapsedMs(tick.nowNs - earliest))
            .flag("under-way-at-start", underWayAtStart);
        o.magnitude = static_cast<double>(onePort ? topHosts : hosts.size());
        std::size_t waitingCount = waiting ? waiting->size() : 0;
        std::size_t failed = 0;
        for (const Attempt& attempt : attempts) {
            failed += attempt.socket.open ? 0 : 1;
        }
        o.evidence.emplace_back().key = "fanout-scan.attempts";
        o.evidence.back().count("waiting", waitingCount).count("failed", failed);
        o.evidence.emplace_back().key = "fanout-scan.hosts-tried";
        addAddresses(o.evidence.back(), "hosts", hosts, 8);
        if (!actor.process.valid()) {
            o.evidence.emplace_back().key = "fanout-scan.owner-unknown";
            o.evidence.back().count("uid", actor.uid);
        }
        // Evidence: the most recent attempts first, waiting sockets before closed ones.
        if (waiting) {
            for (auto w = waiting->rbegin();
                 w != waiting->rend() && o.sockets.size() < Finding::kMaxEvidenceSockets; ++w) {
                o.sockets.push_back(w->socket);
            }
        }
        for (auto a = attempts.rbegin();
             a != attempts.rend() && o.sockets.size() < Finding::kMaxEvidenceSockets; ++a) {
            if (!a->socket.open) {
                o.sockets.push_back(a->socket);
            }
        }
        o.socketsTotal = waitingCount + failed;
        out.push_back(std::move(o));
        ++it;
    }
    waiting_.clear();
}

// ----------------------------------------------------------------------------- syn-flood

std::size_t SynFloodRule::ListenerKeyHash::operator()(const ListenerKey& key) const noexcept {
    return ProcessKeyHash{}(key.owner) ^ (key.netns * 0x9e3779b97f4a7c15ULL) ^
           (static_cast<std::size_t>(key.port) << 7);
}

void SynFloodRule::observe(const TickContext&, const Connection& connection) {
    const Socket& socket = connection.socket;
    if (socket.protocol != Protocol::Tcp || !connection.open) {
        return;
    }
    if (socket.state == SocketState::SynRecv || socket.state == SocketState::NewSynRecv) {
        HalfOpen& entry = halfOpen_[ListenerKey{socket.owner, socket.netns, socket.local.port}];
        ++entry.count;
        if (entry.remotes.size() < 4096) {
            entry.remotes.push_back(socket.remote.address.unmapped());
        }
        if (entry.evidence.size() < Finding::kMaxEvidenceSockets) {
            entry.evidence.push_back(evidenceOf(connection));
        }
    } else if (socket.state == SocketState::Listen) {
        Listener listener;
        listener.key = ListenerKey{socket.owner, socket.netns, socket.local.port};
        // For a listener the kernel reports the accept queue and its limit.
        listener.queued = socket.receiveQueue;
        listener.backlog = socket.sendQueue;
        listener.socket = evidenceOf(connection);
        listeners_.push_back(listener);
    }
}

void SynFloodRule::end(const TickContext& tick, std::vector<Observation>& out) {
    const SynFloodConfig& config = tick.config.synFlood;
    static constexpr std::array<std::string_view, 4> kNames{
        "TcpExt.TCPReqQFullDrop", "TcpExt.TCPReqQFullDoCookies", "TcpExt.SyncookiesSent",
        "TcpExt.ListenOverflows"};

    // Host counters: their rise over the window.
    std::vector<EvidenceCounter> counters;
    double counterRate = 0;
    const HostCounters& host = tick.update.counters;
    if (host.present) {
        CounterSample sample;
        sample.ns = tick.nowNs;
        sample.values = {host.tcpExt.reqQueueFullDrop, host.tcpExt.reqQueueFullDoCookies,
                         host.tcpExt.syncookiesSent, host.tcpExt.listenOverflows};
        if (!samples_.empty()) {
            for (std::size_t i = 0; i < sample.values.size(); ++i) {
                if (sample.values[i] < samples_.back().values[i]) {
                    samples_.clear(); // counters were reset: start again
                    break;
                }
            }
        }
        samples_.push_back(sample);
        const std::int64_t horizon = tick.nowNs - toNs(config.window);
        while (samples_.size() > 2 && samples_[1].ns <= horizon) {
            samples_.pop_front();
        }
        const CounterSample& oldest = samples_.front();
        const double seconds = static_cast<double>(sample.ns - oldest.ns) / 1e9;
        if (samples_.size() >= 2 && seconds > 0) {
            std::uint64_t total = 0;
            for (std::size_t i = 0; i < kNames.size(); ++i) {
                const std::uint64_t increase = sample.values[i] - oldest.values[i];
                total += increase;
                counters.push_back(EvidenceCounter{std::string(kNames[i]), sample.values[i],
                                                   increase,
                                                   static_cast<double>(increase) / seconds});
            }
            counterRate = static_cast<double>(total) / seconds;
        }
    } else {
        samples_.clear();
    }
    const bool countersRising = counterRate >= config.counterRate && counterRate > 0;

    // The listener the counters point at: the one holding the most half-open connections,
    // else one whose accept queue is full.
    std::optional<ListenerKey> counterTarget;
    if (countersRising) {
        std::size_t most = 0;
        for (const auto& [key, entry] : halfOpen_) {
            if (entry.count > most) {
                most = entry.count;
                counterTarget = key;
            }
        }
        if (!counterTarget) {
            std::uint32_t fullest = 0;
            for (const Listener& listener : listeners_) {
                if (listener.backlog > 0 && listener.queued >= listener.backlog &&
                    listener.queued >= fullest) {
                    fullest = listener.queued;
                    counterTarget = listener.key;
                }
            }
        }
    }
    auto findListener = [&](const ListenerKey& key) -> const Listener* {
        for (const Listener& listener : listeners_) {
            if (listener.key == key) {
                return &listener;
            }
        }
        for (const Listener& listener : listeners_) {
            // A request socket whose owner is unknown still names the port it arrived on.
            if (listener.key.port == key.port && listener.key.netns == key.netns) {
                return &listener;
            }
        }
        return nullptr;
    };
    auto report = [&](const ListenerKey& key, const HalfOpen* halfOpen) {
        const Listener* listener = findListener(key);
        Actor actor;
        actor.process = key.owner.valid() ? key.owner
                        : listener        ? listener->key.owner
                                          : ProcessKey{};
        Observation o;
        o.ruleId = rules::kSynFlood;
        setActor(o, actor);
        o.hasUid = false;
        o.subject = "port " + std::to_string(key.port);
        if (key.netns != 0) {
            o.subject += " netns " + std::to_string(key.netns);
        }
        const std::size_t count = halfOpen ? halfOpen->count : 0;
        const bool manyHalfOpen = count >= config.synRecv;
        const bool strong = (manyHalfOpen && count >= 4ull * config.synRecv) ||
                            (countersRising && counterRate >= 4 * config.counterRate);
        o.severity = strong ? Severity::High : Severity::Medium;
        if (manyHalfOpen) {
            std::vector<IpAddress> sources = halfOpen->remotes;
            std::sort(sources.begin(), sources.end());
            sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
            o.headline.key = "syn-flood.half-open";
            o.headline.count("half-open", count).count("sources", sources.size());
            o.evidence.emplace_back().key = "syn-flood.sources";
            addAddresses(o.evidence.back(), "sources", sources, 8);
            o.magnitude = static_cast<double>(count);
        } else if (listener && listener->backlog > 0 && listener->queued >= listener->backlog) {
            o.headline.key = "syn-flood.queue-full";
            o.magnitude = counterRate / std::max(config.counterRate, 1.0);
        } else {
            o.headline.key = "syn-flood.most-half-open";
            o.magnitude = counterRate / std::max(config.counterRate, 1.0);
        }
        o.headline.port("port", key.port);
        if (countersRising) {
            o.headline.perSecond("counter-rate", counterRate);
        }
        if (countersRising && manyHalfOpen) {
            o.evidence.push_back({"syn-flood.counters-rising", {}});
        }
        if (listener) {
            o.evidence.emplace_back().key = "syn-flood.accept-queue";
            o.evidence.back().count("queued", listener->queued).count("backlog", listener->backlog);
        }
        if (halfOpen) {
            o.sockets = halfOpen->evidence;
        }
        if (listener) {
            o.sockets.insert(o.sockets.begin(), listener->socket);
        }
        o.socketsTotal = count + (listener ? 1 : 0);
        if (countersRising) {
            o.counters = counters;
        }
        out.push_back(std::move(o));
    };

    for (const auto& [key, entry] : halfOpen_) {
        if (entry.count >= config.synRecv || (counterTarget && *counterTarget == key)) {
            report(key, &entry);
        }
    }
    if (counterTarget && !halfOpen_.count(*counterTarget)) {
        report(*counterTarget, nullptr);
    }
    if (countersRising && !counterTarget) {
        Observation o;
        o.ruleId = rules::kSynFlood;
        o.subject = "host";
        o.severity = counterRate >= 4 * config.counterRate ? Severity::High : Severity::Medium;
        o.headline.key = "syn-flood.host";
        o.headline.perSecond("counter-rate", counterRate);
        o.evidence.push_back({"syn-flood.no-half-open", {}});
        o.counters = counters;
        o.magnitude = counterRate / std::max(config.counterRate, 1.0);
        out.push_back(std::move(o));
    }
    halfOpen_.clear();
    listeners_.clear();
}

// ---------------------------------------------------------------------- connection-surge

void ConnectionSurgeRule::end(const TickContext& tick, std::vector<Observation>& out) {
    const ConnectionSurgeConfig& config = tick.config.connectionSurge;
    const Update& update = tick.update;
    ++generation_;

    // New connections this update, per owner; nothing is new on the first update.
    struct Fresh {
        std::uint32_t count = 0;
        std::vector<EvidenceSocket> evidence;
    };
    std::unordered_map<ProcessKey, Fresh, ProcessKeyHash> fresh;
    if (!tick.firstUpdate) {
        for (const ConnectionId id : update.added) {
            const Connection* connection = update.findConnection(id);
            if (connection == nullptr || !connection->socket.owner.valid() ||
                isListening(connection->socket)) {
                continue;
            }
            Fresh& entry = fresh[connection->socket.owner];
            ++entry.count;
            if (entry.evidence.size() < Finding::kMaxEvidenceSockets) {
                entry.evidence.push_back(evidenceOf(*connection));
            }
            auto& history = history_[connection->socket.owner];
            history.portLog.emplace_back(tick.nowNs, connection->socket.remote.port);
            ++history.ports[connection->socket.remote.port];
        }
    }

    const std::int64_t horizon = tick.nowNs - toNs(config.window);
    for (const ProcessRow& row : update.processes) {
        const std::uint32_t open = row.counts.tcp + row.counts.udp;
        auto [it, inserted] = history_.try_emplace(row.process.key);
        History& history = it->second;
        if (history.samples.empty() && !tick.firstUpdate) {
            // It appeared since the last update: it held nothing before.
            history.samples.push_back(Sample{tick.previousNs, tick.previousNs, 0, 0});
        }
        history.seenGeneration = generation_;
        Sample sample{tick.nowNs, tick.previousNs, open, 0};
        if (const auto f = fresh.find(row.process.key); f != fresh.end()) {
            sample.added = f->second.count;
            history.evidence = std::move(f->second.evidence);
        }
        history.samples.push_back(sample);
        while (history.samples.size() > 1 && history.samples.front().ns < horizon) {
            history.samples.pop_front();
        }
        while (!history.portLog.empty() && history.portLog.front().first < horizon) {
            auto port = history.ports.find(history.portLog.front().second);
            if (port != history.ports.end() && --port->second == 0) {
                history.ports.erase(port);
            }
            history.portLog.pop_front();
        }

        std::uint64_t added = 0;
        std::uint32_t lowest = open;
        std::int64_t since = tick.nowNs;
        for (const Sample& s : history.samples) {
            added += s.added;
            lowest = std::min(lowest, s.open);
            since = std::min(since, s.added > 0 ? s.sinceNs : s.ns);
        }
        // Rates over less than a second would turn a burst of ten into "1000 per second".
        const double seconds = std::max(1.0, static_cast<double>(tick.nowNs - since) / 1e9);
        const double rate = static_cast<double>(added) / seconds;
        const std::uint32_t increase = open - lowest;
        const bool fastOpening = added > 0 && rate >= config.newPerSecond &&
                                 static_cast<double>(added) >= config.newPerSecond;
        const bool growing = increase >= config.openIncrease;
        if (!fastOpening && !growing) {
            continue;
        }
        const Actor actor{row.process.key, 0};
        Observation o;
        o.ruleId = rules::kConnectionSurge;
        setActor(o, actor);
        const double ratio = std::max(
            config.newPerSecond > 0 ? rate / config.newPerSecond : 0.0,
            config.openIncrease > 0 ? static_cast<double>(increase) / config.openIncrease : 0.0);
        o.magnitude = ratio;
        o.severity = ratio >= 5 ? Severity::High : Severity::Medium;
        std::uint16_t topPort = 0;
        std::uint32_t topCount = 0;
        for (const auto& [port, count] : history.ports) {
            if (count > topCount || (count == topCount && port < topPort)) {
                topPort = port;
                topCount = count;
            }
        }
        if (fastOpening) {
            o.headline.key = "connection-surge.fast";
            o.headline.count("added", added)
                .duration("elapsed", elapsedMs(tick.nowNs - since))
                .perSecond("rate", rate);
        } else {
            o.headline.key = "connection-surge.growing";
            o.headline.count("lowest", lowest).duration("window", config.window.count());
        }
        o.headline.count("open", open);
        if (topCount > 0 && topCount * 2 >= added) {
            o.headline.port("mostly-port", topPort);
        }
        o.evidence.emplace_back().key = "connection-surge.sockets";
        o.evidence.back().count("open", open).count("lowest", lowest).count("added", added);
        o.sockets = history.evidence;
        o.socketsTotal = open;
        out.push_back(std::move(o));
    }
    for (auto it = history_.begin(); it != history_.end();) {
        if (it->second.seenGeneration != generation_) {
            it = history_.erase(it); // the process holds no sockets any more
        } else {
            ++it;
        }
    }
}

// -------------------------------------------------------------------------- inbound-scan

// Names the sources that probed since `since`, the busiest first. The counts of distinct ports
// are summed over the updates of the window: a scanner probes each port once.
void InboundScanRule::addSources(std::int64_t since, Observation& o) const {
    struct Total {
        IpAddress address;
        std::uint64_t tcpPorts = 0, udpPorts = 0, probes = 0;
    };
    std::vector<Total> totals;
    for (const SourceSample& sample : sourceSamples_) {
        if (sample.ns <= since) {
            continue;
        }
        for (const ProbeSource& source : sample.sources) {
            auto it = std::find_if(totals.begin(), totals.end(), [&](const Total& total) {
                return total.address == source.address;
            });
            if (it == totals.end()) {
                totals.push_back({source.address});
                it = totals.end() - 1;
            }
            it->tcpPorts += source.tcpPorts;
            it->udpPorts += source.udpPorts;
            it->probes += source.probes;
        }
    }
    std::sort(totals.begin(), totals.end(),
              [](const Total& a, const Total& b) { return a.probes > b.probes; });
    if (!totals.empty()) {
        o.headline.address("source", totals.front().address.unmapped().toString());
    }
    static constexpr std::size_t kNamed = 5;
    for (std::size_t i = 0; i < totals.size() && i < kNamed; ++i) {
        o.evidence.emplace_back().key = "inbound-scan.source";
        o.evidence.back()
            .address("source", totals[i].address.unmapped().toString())
            .count("tcp-ports", totals[i].tcpPorts)
            .count("udp-ports", totals[i].udpPorts)
            .count("probes", totals[i].probes);
    }
    if (totals.size() > kNamed) {
        o.evidence.emplace_back().key = "inbound-scan.more-sources";
        o.evidence.back().count("sources", totals.size() - kNamed);
    }
}

void InboundScanRule::end(const TickContext& tick, std::vector<Observation>& out) {
    const InboundScanConfig& config = tick.config.inboundScan;
    const HostCounters& host = tick.update.counters;
    if (!tick.update.probeSources.empty()) {
        sourceSamples_.push_back({tick.nowNs, tick.update.probeSources});
    }
    while (!sourceSamples_.empty() &&
           sourceSamples_.front().ns < tick.nowNs - toNs(config.window) - toNs(config.window)) {
        sourceSamples_.pop_front(); // kept for two windows: the rate's window may reach back
    }
    if (!host.present) {
        samples_.clear();
        return;
    }
    Sample sample;
    sample.ns = tick.nowNs;
    sample.values = {host.tcp.outRsts, host.udp.noPorts, host.icmp.outDestUnreachs};
    if (!samples_.empty()) {
        for (std::size_t i = 0; i < sample.values.size(); ++i) {
            if (sample.values[i] < samples_.back().values[i]) {
                samples_.clear(); // reset counters (another namespace, a reboot): start over
                break;
            }
        }
    }
    samples_.push_back(sample);
    const std::int64_t horizon = tick.nowNs - toNs(config.window);
    while (samples_.size() > 2 && samples_[1].ns <= horizon) {
        samples_.pop_front();
    }
    if (samples_.size() < 2) {
        return;
    }
    const Sample& oldest = samples_.front();
    const double seconds = static_cast<double>(sample.ns - oldest.ns) / 1e9;
    if (seconds <= 0) {
        return;
    }
    static constexpr std::array<std::string_view, 3> kNames{"Tcp.OutRsts", "Udp.NoPorts",
                                                            "Icmp.OutDestUnreachs"};
    static constexpr std::array<std::string_view, 3> kFacts{"tcp-resets", "udp-closed-ports",
                                                            "icmp-unreachables"};
    const std::array<double, 3> limits{config.outRsts, config.udpNoPorts, config.icmpUnreachables};
    std::array<std::uint64_t, 3> increases{};
    std::array<double, 3> rates{};
    double worstRatio = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        increases[i] = sample.values[i] - oldest.values[i];
        rates[i] = static_cast<double>(increases[i]) / seconds;
        if (limits[i] > 0 && increases[i] > 0) {
            worstRatio = std::max(worstRatio, rates[i] / limits[i]);
        }
    }
    if (worstRatio < 1) {
        return;
    }
    Observation o;
    o.ruleId = rules::kInboundScan;
    o.subject = "host";
    o.severity = worstRatio >= 5 ? Severity::High : Severity::Medium;
    o.magnitude = worstRatio;
    // TCP resets and UDP closed-port drops each answer one probe; ICMP unreachables mostly
    // answer those same UDP probes, so they are not added again.
    const std::uint64_t probes = increases[0] + increases[1];
    o.headline.key = "inbound-scan.probes";
    o.headline.count("probes", std::max(probes, increases[2]))
        .duration("elapsed", elapsedMs(sample.ns - oldest.ns));
    for (std::size_t i = 0; i < 3; ++i) {
        o.headline.perSecond(std::string(kFacts[i]), rates[i]);
        o.counters.push_back(
            EvidenceCounter{std::string(kNames[i]), sample.values[i], increases[i], rates[i]});
    }
    addSources(oldest.ns, o);
    if (o.evidence.empty()) {
        o.evidence.push_back({"inbound-scan.namespace-wide", {}});
    }
    out.push_back(std::move(o));
}

} // namespace portscope::core::findings_detail
