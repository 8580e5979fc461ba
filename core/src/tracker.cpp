#include "portscope/core/tracker.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <deque>
#include <limits>
#include <unordered_map>

namespace portscope::core {

namespace {

// One multiply-xorshift round per word: cheap, and good enough to spread cookies and
// addresses that differ in a few low bits over the buckets.
inline std::uint64_t combine(std::uint64_t seed, std::uint64_t value) {
    seed ^= value + 0x9e3779b97f4a7c15ULL;
    seed *= 0xff51afd7ed558ccdULL;
    return seed ^ (seed >> 32);
}

inline std::uint64_t combine(std::uint64_t seed, const Endpoint& endpoint) {
    std::uint64_t low = 0;
    std::uint64_t high = 0;
    std::memcpy(&low, endpoint.address.bytes.data(), sizeof low);
    std::memcpy(&high, endpoint.address.bytes.data() + sizeof low, sizeof high);
    seed = combine(seed, low);
    seed = combine(seed, high);
    return combine(seed, static_cast<std::uint64_t>(endpoint.address.family) << 16 | endpoint.port);
}

inline std::uint64_t counterDelta(std::uint64_t previous, std::uint64_t current) {
    // A counter that went backwards belongs to a socket the OS reset or reused: the new
    // value becomes the baseline and nothing is invented for this interval.
    return current >= previous ? current - previous : 0;
}

// How long the owner of a cookie is remembered after the last row carrying that cookie
// expired, so that a late close event can still be credited to its process.
constexpr std::uint64_t kCookieOwnerRetentionUpdates = 60;

constexpr std::uint32_t kNoSlot = std::numeric_limits<std::uint32_t>::max();

// A socket waiting for peers: a TCP listener, or a UDP socket bound to a port with no peer.
bool isListening(const Socket& socket) {
    if (socket.state == SocketState::Listen) {
        return true;
    }
    return socket.protocol == Protocol::Udp && socket.remote.port == 0 &&
           socket.remote.address.isUnspecified();
}

// Process details that make a row "changed". The socket count is left out: it moves with
// every connection and is shown through the row's counts instead.
bool sameDetails(const Process& a, const Process& b) {
    return a.key == b.key && a.parentPid == b.parentPid && a.name == b.name &&
           a.exePath == b.exePath && a.exeDeleted == b.exeDeleted &&
           a.commandLine == b.commandLine && a.uid == b.uid && a.userName == b.userName &&
           a.startedAtUnixMs == b.startedAtUnixMs && a.netns == b.netns &&
           a.detailsError == b.detailsError;
}

} // namespace

ConnectionKey connectionKeyOf(const Socket& socket) {
    ConnectionKey key;
    key.protocol = socket.protocol;
    key.local = socket.local;
    key.remote = socket.remote;
    key.netns = socket.netns;
    // The cookie alone identifies a socket; the inode is left out because close events
    // report inode 0 for sockets that had one.
    if (socket.cookie != 0) {
        key.cookie = socket.cookie;
    } else {
        key.inode = socket.inode;
    }
    return key;
}

std::size_t ConnectionKeyHash::operator()(const ConnectionKey& key) const noexcept {
    std::uint64_t hash = combine(0, static_cast<std::uint64_t>(key.protocol));
    hash = combine(hash, key.cookie);
    hash = combine(hash, key.inode);
    hash = combine(hash, key.netns);
    hash = combine(hash, key.local);
    hash = combine(hash, key.remote);
    return static_cast<std::size_t>(hash);
}

std::size_t ProcessKeyHash::operator()(const ProcessKey& key) const noexcept {
    return static_cast<std::size_t>(
        combine(combine(0, static_cast<std::uint32_t>(key.pid)), key.startTime));
}

namespace {

struct ProcessState {
    Process details;
    bool listed = false; // had a row in the previous update
    bool detailsChanged = false;
    std::uint64_t createdGeneration = 0;
    std::int64_t firstSeenUnixMs = 0;
    std::uint64_t bytesSentTotal = 0;
    std::uint64_t bytesReceivedTotal = 0;
    // Filled during one apply().
    std::uint64_t intervalSent = 0;
    std::uint64_t intervalReceived = 0;
    ConnectionCounts counts;
    std::uint32_t rows = 0;
};

struct Tracked {
    Connection row;
    ConnectionKey key;
    ProcessState* process = nullptr; // owner's state; null when the owner is unknown
    std::uint64_t seenGeneration = 0;   // last update that listed or closed it
    std::uint64_t closedGeneration = 0; // update in which it closed; 0 while open
    bool hasCounterSample = false;      // row.bytesSent/Received hold a real OS sample
    bool expireNow = false;             // its key came back as a new connection
};

struct CookieOwner {
    ProcessKey owner;
    OwnerStatus status = OwnerStatus::NotResolved;
    std::uint32_t liveRows = 0;
    std::uint64_t forgetAtGeneration = 0;
};

struct ProcessHistory {
    RateHistory history;
    std::uint64_t lastActiveGeneration = 0;
};

struct TrackerData {
    explicit TrackerData(const TrackerOptions& options)
        : hostHistory(options.historyCapacity),
          publishedHostHistory(std::make_shared<const RateHistory>(hostHistory)) {}

    // Connections live in slots that are reused after expiry; `order` lists the slots in
    // ascending id, which is the order the Update wants, without sorting: new ids are
    // always the largest and are appended.
    std::vector<Tracked> slots;
    std::vector<std::uint32_t> freeSlots;
    std::vector<std::uint32_t> order;
    std::unordered_map<ConnectionKey, std::uint32_t, ConnectionKeyHash> index;

    // References into this map stay valid across rehashing, so rows point at their owner.
    std::unordered_map<ProcessKey, ProcessState, ProcessKeyHash> processes;
    std::unordered_map<std::uint64_t, CookieOwner> cookieOwners;
    std::deque<std::uint64_t> cookiesToForget;
    std::unordered_map<ProcessKey, ProcessHistory, ProcessKeyHash> processHistories;

    RateHistory hostHistory;
    std::shared_ptr<const RateHistory> publishedHostHistory;
    std::uint64_t hostBytesSentTotal = 0;
    std::uint64_t hostBytesReceivedTotal = 0;

    std::uint64_t sequence = 0;
    ConnectionId nextId = 1;
    std::int64_t lastSteadyNs = 0;
};

// Everything one apply() call needs besides the persistent state.
class Pass {
public:
    Pass(TrackerData& state, const TrackerOptions& options, const Snapshot& snapshot,
         Update& update)
        : s_(state), options_(options), snapshot_(snapshot), update_(update) {}

    void run();

private:
    void beginTick();
    void forgetRetiredCookies();
    void observeOpen(const Socket& socket);
    void observeClosed(const Socket& closed);
    void refresh(Tracked& tracked, const Socket& socket);
    Tracked& create(const ConnectionKey& key, const Socket& socket, std::uint32_t slot);
    std::uint32_t allocateSlot();
    void takeCounters(Tracked& tracked, const TcpCounters& counters, bool isNew);
    void credit(const Tracked& tracked, std::uint64_t sent, std::uint64_t received);
    void setOwner(Tracked& tracked);
    ProcessState* processFor(const ProcessKey& key);
    void noteCookieOwner(const Socket& socket);
    void releaseCookie(std::uint64_t cookie);
    void closeTracked(Tracked& tracked);
    void expire(std::uint32_t slot, bool eraseIndex);
    void applyProcessDetails();
    void sweepAndPublishConnections();
    void publishProcesses();
    void recordProcessHistory(const ProcessKey& key, const ProcessState& process,
                              const ProcessRow& row);
    void publishTotals();

    TrackerData& s_;
    const TrackerOptions& options_;
    const Snapshot& snapshot_;
    Update& update_;

    std::uint64_t generation_ = 0;
    bool firstUpdate_ = false;
    bool haveInterval_ = false;
    double intervalSeconds_ = 0;
    std::uint64_t hostIntervalSent_ = 0;
    std::uint64_t hostIntervalReceived_ = 0;
};

void Pass::run() {
    beginTick();
    for (const Socket& socket : snapshot_.sockets) {
        observeOpen(socket);
    }
    for (const Socket& closed : snapshot_.closed) {
        observeClosed(closed);
    }
    applyProcessDetails();
    sweepAndPublishConnections();
    publishProcesses();
    publishTotals();

    std::sort(update_.changed.begin(), update_.changed.end());
    std::sort(update_.removed.begin(), update_.removed.end());
}

void Pass::beginTick() {
    generation_ = ++s_.sequence;
    firstUpdate_ = generation_ == 1;
    std::int64_t steadyNs = snapshot_.steadyNs;
    if (!firstUpdate_ && steadyNs < s_.lastSteadyNs) {
        steadyNs = s_.lastSteadyNs; // the contract: a snapshot from the past counts as "now"
    }
    const std::int64_t intervalNs = firstUpdate_ ? 0 : steadyNs - s_.lastSteadyNs;
    haveInterval_ = intervalNs > 0;
    intervalSeconds_ = static_cast<double>(intervalNs) / 1e9;
    s_.lastSteadyNs = steadyNs;

    update_.sequence = generation_;
    update_.steadyNs = snapshot_.steadyNs;
    update_.unixMs = snapshot_.unixMs;
    update_.pollDurationNs = snapshot_.pollDurationNs;
    update_.counters = snapshot_.counters;
    update_.warnings = snapshot_.warnings;
    update_.closeEventsLost = snapshot_.closeEventsLost;
    update_.sourceName = snapshot_.sourceName;

    for (auto& [key, process] : s_.processes) {
        process.intervalSent = 0;
        process.intervalReceived = 0;
        process.counts = {};
        process.rows = 0;
        process.detailsChanged = false;
    }
    const std::size_t expected = snapshot_.sockets.size() + snapshot_.closed.size();
    if (s_.index.bucket_count() < expected) {
        s_.index.reserve(expected + expected / 4);
    }
    s_.slots.reserve(expected);
    s_.order.reserve(expected);
    forgetRetiredCookies();
}

void Pass::forgetRetiredCookies() {
    while (!s_.cookiesToForget.empty()) {
        const auto it = s_.cookieOwners.find(s_.cookiesToForget.front());
        if (it != s_.cookieOwners.end()) {
            if (it->second.liveRows == 0 && it->second.forgetAtGeneration > generation_) {
                break; // the queue is in retirement order: the rest are younger
            }
            if (it->second.liveRows == 0) {
                s_.cookieOwners.erase(it);
            }
        }
        s_.cookiesToForget.pop_front();
    }
}

void Pass::observeOpen(const Socket& socket) {
    const ConnectionKey key = connectionKeyOf(socket);
    auto [it, inserted] = s_.index.try_emplace(key, kNoSlot);
    if (!inserted) {
        Tracked& tracked = s_.slots[it->second];
        if (tracked.seenGeneration == generation_) {
            return; // listed twice in one dump; the first one counts
        }
        if (tracked.row.open) {
            refresh(tracked, socket);
            return;
        }
        // The key of a tombstone came back: that is a new socket, and the old row goes.
        tracked.expireNow = true;
    }
    const std::uint32_t slot = allocateSlot();
    it->second = slot;
    Tracked& tracked = create(key, socket, slot);
    takeCounters(tracked, socket.counters, true);
}

void Pass::observeClosed(const Socket& closed) {
    const ConnectionKey key = connectionKeyOf(closed);
    const auto it = s_.index.find(key);
    if (it != s_.index.end()) {
        Tracked& tracked = s_.slots[it->second];
        if (tracked.seenGeneration == generation_) {
            // Still in this dump (the dump raced the event), or closed by an earlier event
            // of this snapshot.
            return;
        }
        tracked.seenGeneration = generation_;
        if (tracked.row.open) {
            if (!tracked.row.socket.owner.valid() && closed.owner.valid()) {
                tracked.row.socket.owner = closed.owner;
                tracked.row.socket.ownerStatus = closed.ownerStatus;
                setOwner(tracked);
            }
            tracked.row.lastSeenUnixMs = snapshot_.unixMs;
            takeCounters(tracked, closed.counters, false);
            closeTracked(tracked);
        } else {
            // The sweep closed it in an earlier update and the event arrived late: its final
            // bytes still belong to this interval, but a tombstone shows no rate.
            takeCounters(tracked, closed.counters, false);
            tracked.row.hasRate = false;
            tracked.row.sendBytesPerSecond = 0;
            tracked.row.receiveBytesPerSecond = 0;
        }
        return;
    }

    // Opened and closed between two polls.
    Socket socket = closed;
    if (!socket.owner.valid() && socket.cookie != 0) {
        const auto known = s_.cookieOwners.find(socket.cookie);
        if (known != s_.cookieOwners.end() && known->second.owner.valid()) {
            socket.owner = known->second.owner;
            socket.ownerStatus = known->second.status;
        }
    }
    const std::uint32_t slot = allocateSlot();
    s_.index.emplace(key, slot);
    Tracked& tracked = create(key, socket, slot);
    tracked.row.shortLived = true;
    takeCounters(tracked, socket.counters, true);
    closeTracked(tracked);
}

std::uint32_t Pass::allocateSlot() {
    if (!s_.freeSlots.empty()) {
        const std::uint32_t slot = s_.freeSlots.back();
        s_.freeSlots.pop_back();
        return slot;
    }
    s_.slots.emplace_back();
    return static_cast<std::uint32_t>(s_.slots.size() - 1);
}

Tracked& Pass::create(const ConnectionKey& key, const Socket& socket, std::uint32_t slot) {
    Tracked& tracked = s_.slots[slot];
    tracked.key = key;
    tracked.seenGeneration = generation_;
    tracked.closedGeneration = 0;
    tracked.hasCounterSample = false;
    tracked.expireNow = false;

    Connection& row = tracked.row;
    row.id = s_.nextId++;
    row.socket = socket;
    row.change = RowChange::Added;
    row.open = true;
    row.shortLived = false;
    row.tombstoneTicksLeft = 0;
    row.firstSeenUnixMs = snapshot_.unixMs;
    row.lastSeenUnixMs = snapshot_.unixMs;
    row.closedUnixMs = 0;
    row.hasRate = false;
    row.sendBytesPerSecond = 0;
    row.receiveBytesPerSecond = 0;
    row.bytesSent = 0;
    row.bytesReceived = 0;
    row.remoteHostName.clear();

    tracked.process = nullptr;
    setOwner(tracked);
    if (socket.cookie != 0) {
        auto& cookie = s_.cookieOwners[socket.cookie];
        ++cookie.liveRows;
        noteCookieOwner(socket);
    }
    s_.order.push_back(slot);
    update_.added.push_back(row.id);
    return tracked;
}

void Pass::refresh(Tracked& tracked, const Socket& socket) {
    Connection& row = tracked.row;
    const Socket& previous = row.socket;
    const bool ownerChanged = previous.owner != socket.owner;
    const bool changed = ownerChanged || previous.state != socket.state ||
                         previous.ownerStatus != socket.ownerStatus ||
                         previous.receiveQueue != socket.receiveQueue ||
                         previous.sendQueue != socket.sendQueue;
    row.socket = socket;
    if (ownerChanged) {
        setOwner(tracked);
        noteCookieOwner(socket);
    }
    row.lastSeenUnixMs = snapshot_.unixMs;
    tracked.seenGeneration = generation_;
    if (changed) {
        row.change = RowChange::Changed;
        update_.changed.push_back(row.id);
    }
    takeCounters(tracked, socket.counters, false);
}

void Pass::takeCounters(Tracked& tracked, const TcpCounters& counters, bool isNew) {
    Connection& row = tracked.row;
    if (!counters.present) {
        // No counters in this sample (UDP, or tcp_info missing): keep the last known
        // figures and show no rate rather than a made-up zero.
        row.hasRate = false;
        row.sendBytesPerSecond = 0;
        row.receiveBytesPerSecond = 0;
        return;
    }
    std::uint64_t sent = 0;
    std::uint64_t received = 0;
    if (tracked.hasCounterSample) {
        sent = counterDelta(row.bytesSent, counters.bytesAcked);
        received = counterDelta(row.bytesReceived, counters.bytesReceived);
        row.hasRate = haveInterval_;
        row.sendBytesPerSecond = haveInterval_ ? static_cast<double>(sent) / intervalSeconds_ : 0;
        row.receiveBytesPerSecond =
            haveInterval_ ? static_cast<double>(received) / intervalSeconds_ : 0;
    } else {
        row.hasRate = false;
        row.sendBytesPerSecond = 0;
        row.receiveBytesPerSecond = 0;
        if (isNew && !firstUpdate_) {
            // Born since the previous poll: everything it moved, it moved in this interval.
            sent = counters.bytesAcked;
            received = counters.bytesReceived;
        }
    }
    row.bytesSent = counters.bytesAcked;
    row.bytesReceived = counters.bytesReceived;
    tracked.hasCounterSample = true;
    credit(tracked, sent, received);
}

void Pass::credit(const Tracked& tracked, std::uint64_t sent, std::uint64_t received) {
    hostIntervalSent_ += sent;
    hostIntervalReceived_ += received;
    if (tracked.process != nullptr) {
        tracked.process->intervalSent += sent;
        tracked.process->intervalReceived += received;
    }
}

void Pass::setOwner(Tracked& tracked) {
    tracked.process = processFor(tracked.row.socket.owner);
}

ProcessState* Pass::processFor(const ProcessKey& key) {
    if (!key.valid()) {
        return nullptr;
    }
    auto [it, inserted] = s_.processes.try_emplace(key);
    if (inserted) {
        it->second.details.key = key;
        it->second.createdGeneration = generation_;
        it->second.firstSeenUnixMs = snapshot_.unixMs;
    }
    return &it->second;
}

void Pass::noteCookieOwner(const Socket& socket) {
    if (socket.cookie == 0 || !socket.owner.valid()) {
        return;
    }
    const auto it = s_.cookieOwners.find(socket.cookie);
    if (it != s_.cookieOwners.end()) {
        it->second.owner = socket.owner;
        it->second.status = socket.ownerStatus;
    }
}

void Pass::releaseCookie(std::uint64_t cookie) {
    const auto it = s_.cookieOwners.find(cookie);
    if (it == s_.cookieOwners.end() || it->second.liveRows == 0) {
        return;
    }
    if (--it->second.liveRows == 0) {
        it->second.forgetAtGeneration = generation_ + kCookieOwnerRetentionUpdates;
        s_.cookiesToForget.push_back(cookie);
    }
}

void Pass::closeTracked(Tracked& tracked) {
    Connection& row = tracked.row;
    row.open = false;
    row.change = RowChange::Closed;
    row.tombstoneTicksLeft = options_.tombstoneTicks;
    row.closedUnixMs = snapshot_.unixMs;
    tracked.closedGeneration = generation_;
    update_.removed.push_back(row.id);
}

void Pass::expire(std::uint32_t slot, bool eraseIndex) {
    Tracked& tracked = s_.slots[slot];
    if (eraseIndex) {
        s_.index.erase(tracked.key);
    }
    if (tracked.key.cookie != 0) {
        releaseCookie(tracked.key.cookie);
    }
    update_.expired.push_back(tracked.row.id);
    tracked.process = nullptr;
    tracked.expireNow = false;
    s_.freeSlots.push_back(slot);
}

void Pass::applyProcessDetails() {
    for (const Process& details : snapshot_.processes) {
        const auto it = s_.processes.find(details.key);
        if (it == s_.processes.end()) {
            continue; // owns nothing we list
        }
        ProcessState& process = it->second;
        if (!sameDetails(process.details, details)) {
            process.detailsChanged = true;
        }
        process.details = details;
    }
}

void Pass::sweepAndPublishConnections() {
    update_.connections.reserve(s_.order.size());
    ConnectionCounts& hostCounts = update_.totals.counts;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < s_.order.size(); ++i) {
        const std::uint32_t slot = s_.order[i];
        Tracked& tracked = s_.slots[slot];
        Connection& row = tracked.row;
        if (tracked.expireNow) {
            expire(slot, false);
            continue;
        }
        if (!row.open && tracked.closedGeneration < generation_) {
            if (row.tombstoneTicksLeft <= 1) {
                expire(slot, true);
                continue;
            }
            --row.tombstoneTicksLeft;
            if (tracked.seenGeneration != generation_) {
                row.hasRate = false;
                row.sendBytesPerSecond = 0;
                row.receiveBytesPerSecond = 0;
            }
        } else if (row.open && tracked.seenGeneration != generation_) {
            // Gone from the dump without a close event: the last counters stand as final.
            row.hasRate = false;
            row.sendBytesPerSecond = 0;
            row.receiveBytesPerSecond = 0;
            closeTracked(tracked);
        }

        ConnectionCounts* processCounts = nullptr;
        if (tracked.process != nullptr) {
            ++tracked.process->rows;
            processCounts = &tracked.process->counts;
        }
        auto count = [&](std::uint32_t ConnectionCounts::*field) {
            ++(hostCounts.*field);
            if (processCounts != nullptr) {
                ++(processCounts->*field);
            }
        };
        if (!row.open) {
            count(&ConnectionCounts::closedRecently);
        } else {
            count(row.socket.protocol == Protocol::Tcp ? &ConnectionCounts::tcp
                                                       : &ConnectionCounts::udp);
            if (isListening(row.socket)) {
                count(&ConnectionCounts::listening);
            }
            if (row.socket.state == SocketState::Established) {
                count(&ConnectionCounts::established);
            }
        }

        update_.connections.push_back(row);
        row.change = RowChange::None;
        s_.order[kept++] = slot;
    }
    s_.order.resize(kept);
}

void Pass::publishProcesses() {
    update_.processes.reserve(s_.processes.size());
    for (auto it = s_.processes.begin(); it != s_.processes.end();) {
        const ProcessKey key = it->first;
        ProcessState& process = it->second;
        if (process.rows == 0) {
            if (process.listed) {
                update_.processesExpired.push_back(key);
            }
            s_.processHistories.erase(key);
            it = s_.processes.erase(it);
            continue;
        }
        process.bytesSentTotal += process.intervalSent;
        process.bytesReceivedTotal += process.intervalReceived;

        ProcessRow& row = update_.processes.emplace_back();
        row.process = process.details;
        row.change = !process.listed         ? RowChange::Added
                     : process.detailsChanged ? RowChange::Changed
                                              : RowChange::None;
        row.counts = process.counts;
        row.hasRate = haveInterval_ && process.createdGeneration < generation_;
        if (row.hasRate) {
            row.sendBytesPerSecond = static_cast<double>(process.intervalSent) / intervalSeconds_;
            row.receiveBytesPerSecond =
                static_cast<double>(process.intervalReceived) / intervalSeconds_;
            recordProcessHistory(key, process, row);
        }
        row.bytesSentTotal = process.bytesSentTotal;
        row.bytesReceivedTotal = process.bytesReceivedTotal;
        row.firstSeenUnixMs = process.firstSeenUnixMs;
        process.listed = true;
        ++it;
    }
    std::sort(update_.processes.begin(), update_.processes.end(),
              [](const ProcessRow& a, const ProcessRow& b) { return a.process.key < b.process.key; });
    std::sort(update_.processesExpired.begin(), update_.processesExpired.end());
}

void Pass::recordProcessHistory(const ProcessKey& key, const ProcessState& process,
                                const ProcessRow& row) {
    const bool active = process.intervalSent != 0 || process.intervalReceived != 0;
    auto it = s_.processHistories.find(key);
    if (it == s_.processHistories.end()) {
        // Idle processes get no history until they move bytes; that keeps the slots for
        // the ones worth graphing.
        if (!active || options_.processHistoryLimit == 0) {
            return;
        }
        if (s_.processHistories.size() >= options_.processHistoryLimit) {
            auto oldest = s_.processHistories.begin();
            for (auto candidate = oldest; candidate != s_.processHistories.end(); ++candidate) {
                if (candidate->second.lastActiveGeneration < oldest->second.lastActiveGeneration) {
                    oldest = candidate;
                }
            }
            s_.processHistories.erase(oldest);
        }
        it = s_.processHistories.emplace(key, ProcessHistory{RateHistory(options_.historyCapacity), 0})
                 .first;
    }
    if (active) {
        it->second.lastActiveGeneration = generation_;
    }
    it->second.history.push(RateSample{snapshot_.unixMs,
                                       static_cast<float>(row.sendBytesPerSecond),
                                       static_cast<float>(row.receiveBytesPerSecond)});
}

void Pass::publishTotals() {
    HostTotals& totals = update_.totals;
    totals.processes = static_cast<std::uint32_t>(update_.processes.size());
    s_.hostBytesSentTotal += hostIntervalSent_;
    s_.hostBytesReceivedTotal += hostIntervalReceived_;
    totals.bytesSentTotal = s_.hostBytesSentTotal;
    totals.bytesReceivedTotal = s_.hostBytesReceivedTotal;
    totals.hasRate = haveInterval_;
    if (haveInterval_) {
        totals.sendBytesPerSecond = static_cast<double>(hostIntervalSent_) / intervalSeconds_;
        totals.receiveBytesPerSecond = static_cast<double>(hostIntervalReceived_) / intervalSeconds_;
        s_.hostHistory.push(RateSample{snapshot_.unixMs,
                                       static_cast<float>(totals.sendBytesPerSecond),
                                       static_cast<float>(totals.receiveBytesPerSecond)});
        s_.publishedHostHistory = std::make_shared<const RateHistory>(s_.hostHistory);
    }
    update_.hostHistory = s_.publishedHostHistory;
}

} // namespace

struct Tracker::State : TrackerData {
    using TrackerData::TrackerData;
};

Tracker::Tracker(TrackerOptions options)
    : options_(options), state_(std::make_unique<State>(options_)) {}

Tracker::~Tracker() = default;

UpdatePtr Tracker::apply(const Snapshot& snapshot) {
    const auto started = std::chrono::steady_clock::now();
    auto update = std::make_shared<Update>();
    Pass(*state_, options_, snapshot, *update).run();
    update->trackDurationNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                  std::chrono::steady_clock::now() - started)
                                  .count();
    return update;
}

std::vector<RateSample> Tracker::processHistory(const ProcessKey& key) const {
    const auto it = state_->processHistories.find(key);
    if (it == state_->processHistories.end()) {
        return {};
    }
    return it->second.history.toVector();
}

const RateHistory& Tracker::hostHistory() const {
    return state_->hostHistory;
}

void Tracker::resetTotals() {
    State& s = *state_;
    s.hostBytesSentTotal = 0;
    s.hostBytesReceivedTotal = 0;
    s.hostHistory.clear();
    s.publishedHostHistory = std::make_shared<const RateHistory>(s.hostHistory);
    for (auto& [key, process] : s.processes) {
        process.bytesSentTotal = 0;
        process.bytesReceivedTotal = 0;
    }
    s.processHistories.clear();
}

} // namespace portscope::core
