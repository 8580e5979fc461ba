// Rules about what the machine exposes and whom it talks to: long-lived connections to the
// Internet, new listeners, and ports that backdoors and bots favour.

#include "findings_rules.h"

#include <algorithm>
#include <cmath>

namespace portscope::core::findings_detail {

namespace {

std::string protocolName(Protocol protocol) {
    return protocol == Protocol::Tcp ? "TCP" : "UDP";
}

} // namespace

// ------------------------------------------------------------------- long-lived-external

std::size_t LongLivedExternalRule::GroupKeyHash::operator()(const GroupKey& key) const noexcept {
    return ActorHash{}(key.actor) ^ (std::hash<IpAddress>{}(key.remote) << 1);
}

void LongLivedExternalRule::observe(const TickContext& tick, const Connection& connection) {
    const Socket& socket = connection.socket;
    if (socket.protocol != Protocol::Tcp || !connection.open ||
        socket.state != SocketState::Established) {
        return;
    }
    const IpAddress remote = socket.remote.address.unmapped();
    if (tick.scopes.classify(remote) != AddressScope::Global) {
        return;
    }
    auto [it, inserted] = activity_.try_emplace(connection.id);
    Activity& activity = it->second;
    const std::uint64_t bytes = connection.bytesSent + connection.bytesReceived;
    if (inserted) {
        // The tracker knows when it first saw the row; in steady time that is as long ago
        // as its wall-clock age.
        const std::int64_t ageMs =
            std::max<std::int64_t>(0, tick.update.unixMs - connection.firstSeenUnixMs);
        activity.openedNs = tick.nowNs - ageMs * 1'000'000;
        activity.trackedNs = tick.nowNs;
        activity.openAtStart = connection.firstSeenUnixMs <= tick.firstUnixMs;
        activity.firstBytes = bytes;
        activity.lastBytes = bytes;
    } else {
        const std::uint64_t delta = bytes >= activity.lastBytes ? bytes - activity.lastBytes : 0;
        if (delta > 0) {
            if (!activity.activeLastTick) {
                activity.burstStarts[activity.bursts % activity.burstStarts.size()] = tick.nowNs;
                ++activity.bursts;
                if (activity.currentBurstBytes > 0) {
                    activity.lastBurstBytes = activity.currentBurstBytes;
                }
                activity.currentBurstBytes = 0;
            }
            activity.currentBurstBytes += delta;
        }
        activity.activeLastTick = delta > 0;
        activity.lastBytes = bytes;
    }
    activity.seenGeneration = generation_;
    if (tick.nowNs - activity.openedNs >= toNs(tick.config.longLivedExternal.minAge)) {
        groups_[GroupKey{actorOf(socket), remote}].push_back(Member{&connection, &activity});
    }
}

TrafficPattern LongLivedExternalRule::patternOf(const Activity& activity, std::int64_t nowNs,
                                                std::int64_t tickNs, double lowRate) {
    TrafficPattern pattern;
    const double seconds = static_cast<double>(nowNs - activity.trackedNs) / 1e9;
    if (seconds > 0) {
        pattern.bytesPerSecond =
            static_cast<double>(activity.lastBytes - activity.firstBytes) / seconds;
    }
    pattern.low = seconds > 0 && pattern.bytesPerSecond < lowRate;
    const auto& starts = activity.burstStarts;
    const std::size_t kept = std::min(activity.bursts, starts.size());
    if (kept < 4) {
        return pattern;
    }
    std::vector<std::int64_t> times;
    times.reserve(kept);
    for (std::size_t i = activity.bursts - kept; i < activity.bursts; ++i) {
        times.push_back(starts[i % starts.size()]);
    }
    double sum = 0;
    for (std::size_t i = 1; i < times.size(); ++i) {
        sum += static_cast<double>(times[i] - times[i - 1]);
    }
    const double mean = sum / static_cast<double>(times.size() - 1);
    if (mean <= 0) {
        return pattern;
    }
    // A poll sees a burst up to one interval late, so gaps jitter by about one interval.
    const double tolerance = std::max(0.2 * mean, 1.5 * static_cast<double>(tickNs));
    for (std::size_t i = 1; i < times.size(); ++i) {
        if (std::abs(static_cast<double>(times[i] - times[i - 1]) - mean) > tolerance) {
            return pattern;
        }
    }
    pattern.periodic =
        static_cast<double>(nowNs - times.back()) <= 2 * mean + static_cast<double>(tickNs);
    pattern.periodSeconds = mean / 1e9;
    pattern.bytesPerBurst = static_cast<double>(
        activity.lastBurstBytes > 0 ? activity.lastBurstBytes : activity.currentBurstBytes);
    return pattern;
}

void LongLivedExternalRule::end(const TickContext& tick, std::vector<Observation>& out) {
    const LongLivedExternalConfig& config = tick.config.longLivedExternal;
    const std::int64_t tickNs = tick.nowNs - tick.previousNs;
    for (auto& [key, members] : groups_) {
        const Member* oldest = &members.front();
        for (const Member& member : members) {
            if (member.activity->openedNs < oldest->activity->openedNs) {
                oldest = &member;
            }
        }
        // Judge the traffic of the oldest member, unless another one looks like a beacon.
        TrafficPattern pattern = patternOf(*oldest->activity, tick.nowNs, tickNs, config.lowRate);
        const Member* judged = oldest;
        if (!(pattern.low && pattern.periodic)) {
            for (const Member& member : members) {
                const TrafficPattern candidate =
                    patternOf(*member.activity, tick.nowNs, tickNs, config.lowRate);
                if (candidate.low && candidate.periodic) {
                    pattern = candidate;
                    judged = &member;
                    break;
                }
            }
        }
        const Activity& first = *oldest->activity;
        const std::int64_t ageMs = (tick.nowNs - first.openedNs) / 1'000'000;
        const Socket& socket = judged->connection->socket;

        Observation o;
        o.ruleId = rules::kLongLivedExternal;
        setActor(o, key.actor);
        o.subject = key.remote.toString();
        const bool beacon = pattern.low && pattern.periodic;
        o.severity = beacon ? Severity::Medium : Severity::Low;
        o.magnitude = 1;
        o.headline.key =
            members.size() == 1 ? "long-lived-external.one" : "long-lived-external.several";
        if (members.size() == 1) {
            o.headline.address("remote", socket.remote.toString()).port("port", socket.remote.port);
        } else {
            o.headline.count("connections", members.size())
                .address("remote", key.remote.toString());
        }
        o.headline.duration("age", ageMs).flag("open-at-start", first.openAtStart);
        if (beacon) {
            o.headline.text("traffic", "beacon")
                .bytes("bytes-per-burst", pattern.bytesPerBurst)
                .duration("period", std::llround(pattern.periodSeconds * 1000));
        } else {
            o.headline.text("traffic", pattern.low ? "low" : "busy");
        }
        o.headline.bytes("bytes-per-second", pattern.bytesPerSecond);
        if (first.openAtStart) {
            o.evidence.push_back({"long-lived-external.open-at-start", {}});
        }
        o.evidence.emplace_back().key = "long-lived-external.global-address";
        o.evidence.back().address("remote", key.remote.toString());
        for (const Member& member : members) {
            if (o.sockets.size() >= Finding::kMaxEvidenceSockets) {
                break;
            }
            o.sockets.push_back(evidenceOf(*member.connection));
        }
        o.socketsTotal = members.size();
        out.push_back(std::move(o));
    }
    groups_.clear();
    for (auto it = activity_.begin(); it != activity_.end();) {
        if (it->second.seenGeneration != generation_) {
            it = activity_.erase(it);
        } else {
            ++it;
        }
    }
    ++generation_;
}

// -------------------------------------------------------------------------- new-listener

std::size_t NewListenerRule::KeyHash::operator()(const Key& key) const noexcept {
    return ActorHash{}(key.actor) ^ (static_cast<std::size_t>(key.port) << 3) ^
           static_cast<std::size_t>(key.protocol);
}

void NewListenerRule::observe(const TickContext& tick, const Connection& connection) {
    const Socket& socket = connection.socket;
    if (!connection.open || !isListening(socket)) {
        return;
    }
    if (connection.firstSeenUnixMs <= tick.firstUnixMs) {
        return; // there when monitoring began
    }
    const NewListenerConfig& config = tick.config.newListener;
    if (socket.protocol == Protocol::Udp &&
        (!config.udp || socket.local.port == 0 || socket.local.port >= config.udpPortBelow)) {
        return;
    }
    if (tick.scopes.classify(socket.local.address) == AddressScope::Loopback) {
        return;
    }
    listeners_[Key{actorOf(socket), socket.protocol, socket.local.port}].push_back(
        evidenceOf(connection));
}

void NewListenerRule::end(const TickContext& tick, std::vector<Observation>& out) {
    for (auto& [key, sockets] : listeners_) {
        bool allInterfaces = false;
        bool global = false;
        std::vector<std::string> addresses;
        AddressScope scope = AddressScope::Global;
        for (const EvidenceSocket& socket : sockets) {
            const AddressScope s = tick.scopes.classify(socket.local.address);
            allInterfaces = allInterfaces || s == AddressScope::Unspecified;
            global = global || s == AddressScope::Global;
            scope = s;
            std::string text = socket.local.address.toString();
            if (std::find(addresses.begin(), addresses.end(), text) == addresses.end()) {
                addresses.push_back(std::move(text));
            }
        }
        Observation o;
        o.ruleId = rules::kNewListener;
        setActor(o, key.actor);
        o.subject = protocolName(key.protocol) + " port " + std::to_string(key.port);
        o.severity = allInterfaces || global ? Severity::Medium : Severity::Low;
        o.magnitude = allInterfaces ? 2 : 1;
        if (allInterfaces) {
            o.headline.key = "new-listener.all-interfaces";
        } else if (addresses.size() == 1) {
            o.headline.key = "new-listener.one-address";
        } else {
            o.headline.key = "new-listener.addresses";
        }
        o.headline.text("protocol", protocolName(key.protocol))
            .port("port", key.port)
            .addresses("addresses", addresses, addresses.size());
        if (o.headline.key == "new-listener.one-address") {
            o.headline.scope("scope", scope);
        }
        o.evidence.push_back({allInterfaces ? "new-listener.all-interfaces-exposed"
                                            : "new-listener.one-address-limits",
                              {}});
        o.sockets = sockets;
        o.socketsTotal = sockets.size();
        out.push_back(std::move(o));
    }
    listeners_.clear();
}

// ------------------------------------------------------------------------ suspicious-port

std::size_t SuspiciousPortRule::KeyHash::operator()(const Key& key) const noexcept {
    return ActorHash{}(key.actor) ^ (static_cast<std::size_t>(key.port) << 1) ^
           static_cast<std::size_t>(key.listening);
}

void SuspiciousPortRule::observe(const TickContext& tick, const Connection& connection) {
    if (!isOpenForRules(connection)) {
        return;
    }
    const Socket& socket = connection.socket;
    Key key;
    if (isListening(socket)) {
        if (!ports_.contains(socket.local.port)) {
            return;
        }
        key = Key{actorOf(socket), socket.local.port, true};
    } else {
        if (socket.remote.port == 0 || !ports_.contains(socket.remote.port) ||
            socket.state == SocketState::SynRecv || socket.state == SocketState::NewSynRecv) {
            return;
        }
        key = Key{actorOf(socket), socket.remote.port, false};
    }
    Hits& hits = hits_[key];
    ++hits.count;
    if (!key.listening && socket.state == SocketState::Established &&
        tick.scopes.classify(socket.remote.address) == AddressScope::Global) {
        hits.globalEstablished = true;
    }
    if (hits.evidence.size() < Finding::kMaxEvidenceSockets) {
        hits.evidence.push_back(evidenceOf(connection));
    }
}

void SuspiciousPortRule::end(const TickContext&, std::vector<Observation>& out) {
    for (auto& [key, hits] : hits_) {
        Observation o;
        o.ruleId = rules::kSuspiciousPort;
        setActor(o, key.actor);
        o.subject = (key.listening ? "listening on " : "connected to ") + std::to_string(key.port);
        o.severity = hits.globalEstablished ? Severity::High : Severity::Medium;
        o.magnitude = 1;
        const EvidenceSocket& first = hits.evidence.front();
        if (key.listening) {
            o.headline.key = "suspicious-port.listening";
            o.headline.text("protocol", protocolName(first.protocol))
                .address("local", first.local.toString());
        } else if (hits.count == 1) {
            o.headline.key = "suspicious-port.connected";
            o.headline.address("remote", first.remote.toString());
        } else {
            o.headline.key = "suspicious-port.connections";
            o.headline.count("connections", hits.count).address("remote", first.remote.toString());
        }
        o.headline.port("port", key.port);
        o.sockets = hits.evidence;
        o.socketsTotal = hits.count;
        out.push_back(std::move(o));
    }
    hits_.clear();
}

} // namespace portscope::core::findings_detail
