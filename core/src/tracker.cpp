#include "portscope/core/tracker.h"

#include "hash_mix.h"
#include "portscope/core/large_buffers.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <deque>
#include <limits>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace portscope::core {

namespace {

inline std::uint64_t combineEndpoint(std::uint64_t seed, const Endpoint& endpoint) {
    std::uint64_t low = 0;
    std::uint64_t high = 0;
    std::memcpy(&low, endpoint.address.bytes.data(), sizeof low);
    std::memcpy(&high, endpoint.address.bytes.data() + sizeof low, sizeof high);
    seed = hashCombine(seed, low);
    seed = hashCombine(seed, high);
    return hashCombine(seed,
                       static_cast<std::uint64_t>(endpoint.address.family) << 16 | endpoint.port);
}

inline std::uint64_t counterDelta(std::uint64_t previous, std::uint64_t current) {
    // A counter that went backwards belongs to a socket the OS reset or reused: the new
    // value becomes the baseline and nothing is invented for this interval.
    return current >= previous ? current - previous : 0;
}

// How long the owner of a cookie is remembered after the last row carrying that cookie
// expired, so that a late close event can still be credited to its process.
constexpr std::uint64_t kCookieOwnerRetentionUpdates = 60;

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
    std::uint64_t hash = hashCombine(0, static_cast<std::uint64_t>(key.protocol));
    hash = hashCombine(hash, key.cookie);
    hash = hashCombine(hash, key.inode);
    hash = hashCombine(hash, key.netns);
    hash = combineEndpoint(hash, key.local);
    hash = combineEndpoint(hash, key.remote);
    return static_cast<std::size_t>(hash);
}

namespace {

constexpr std::uint32_t kNoSlot = std::numeric_limits<std::uint32_t>::max();

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

// One tracked connection. Its key is not stored: connectionKeyOf(row.socket) gives it (a row
// is only refreshed from a socket with the same key), and a copy would cost 72 bytes a slot.
// The fields a lookup reads first come first, so a probe touches the first cache lines only.
struct Tracked {
    std::uint32_t hash = 0;             // the low bits of ConnectionKeyHash, all the index uses
    bool hasCounterSample = false;      // row.bytesSent/Received hold a real OS sample
    bool expireNow = false;             // its key came back as a new connection
    bool live = true;                   // false once expired: a hole until the next compaction
    std::uint64_t seenGeneration = 0;   // last update that listed or closed it
    std::uint64_t closedGeneration = 0; // update in which it closed; 0 while open
    ProcessState* process = nullptr;    // owner's state; null when the owner is unknown
    Connection row;
};

// connectionKeyOf(socket) == key, without building the key.
bool hasKey(const Socket& socket, const ConnectionKey& key) {
    const bool sameIdentity = socket.cookie != 0 ? key.cookie == socket.cookie && key.inode == 0
                                                 : key.cookie == 0 && key.inode == socket.inode;
    return sameIdentity && socket.protocol == key.protocol && socket.netns == key.netns &&
           socket.local == key.local && socket.remote == key.remote;
}

// A hint to start loading memory that a later iteration will read; lookups of 100k random
// keys are bound by memory latency, and issuing the loads early overlaps them.
inline void prefetch(const void* address) {
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(address);
#else
    (void)address;
#endif
}

// Writes one byte per page of not yet constructed storage, so the kernel maps (and zeroes)
// the pages now rather than on first use.
void touchPages(void* storage, std::size_t bytes) {
    constexpr std::size_t kPage = 4096;
    auto* raw = static_cast<volatile unsigned char*>(storage);
    for (std::size_t offset = 0; offset < bytes; offset += kPage) {
        raw[offset] = 0;
    }
}

// The tracker's rows, in chunks of kChunkSlots. A single vector that doubled reached 2.6 times
// the rows it held at 115k rows (300k slots, 99 MB) and copied the whole table each time it
// grew; here the table grows one chunk at a time, and chunks a compaction empties are freed.
// Only the first chunk grows by reallocation, until it is full, so that a small table stays
// small; later chunks are allocated whole and never move. A reference to a slot is therefore
// not kept across append().
class SlotTable {
public:
    // About 4.5 MB a chunk: large enough for the large-buffer advice (huge pages) to apply.
    static constexpr std::size_t kChunkSlots = 16384;

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    std::size_t capacity() const {
        return chunks_.empty() ? 0 : (chunks_.size() - 1) * kChunkSlots + chunks_.back().capacity();
    }

    Tracked& operator[](std::size_t slot) {
        return chunks_[slot / kChunkSlots][slot % kChunkSlots];
    }
    const Tracked& operator[](std::size_t slot) const {
        return chunks_[slot / kChunkSlots][slot % kChunkSlots];
    }

    // Room for at least `slots` slots; `touch` maps the new memory now instead of on first use.
    void reserve(std::size_t slots, bool touch) {
        for (std::size_t chunk = 0; chunk * kChunkSlots < slots; ++chunk) {
            if (chunk == chunks_.size()) {
                chunks_.emplace_back();
            }
            growChunk(chunks_[chunk], std::min(kChunkSlots, slots - chunk * kChunkSlots), touch);
        }
    }

    // A default slot at the end.
    std::uint32_t append() {
        // Chunks reserved ahead may follow the one that receives the slot.
        const std::size_t index = size_ / kChunkSlots;
        if (index == chunks_.size()) {
            chunks_.emplace_back();
        }
        std::vector<Tracked>& chunk = chunks_[index];
        if (chunk.size() == chunk.capacity()) {
            // A table that already fills a chunk takes the next one whole.
            const std::size_t wanted =
                index > 0 ? kChunkSlots : std::max<std::size_t>(64, chunk.size() * 2);
            growChunk(chunk, std::min(kChunkSlots, wanted), false);
        }
        chunk.emplace_back();
        return static_cast<std::uint32_t>(size_++);
    }

    // Keeps the first `slots` slots and frees the chunks that no longer hold any.
    void truncate(std::size_t slots) {
        size_ = std::min(size_, slots);
        const std::size_t chunksUsed = (size_ + kChunkSlots - 1) / kChunkSlots;
        chunks_.resize(chunksUsed);
        if (chunksUsed > 0) {
            chunks_.back().resize(size_ - (chunksUsed - 1) * kChunkSlots);
        }
    }

private:
    static void growChunk(std::vector<Tracked>& chunk, std::size_t slots, bool touch) {
        if (chunk.capacity() >= slots) {
            return;
        }
        const std::size_t oldCapacity = chunk.capacity();
        chunk.reserve(slots);
        adviseLargeBuffer(chunk.data(), chunk.capacity() * sizeof(Tracked));
        if (touch) {
            touchPages(chunk.data() + oldCapacity,
                       (chunk.capacity() - oldCapacity) * sizeof(Tracked));
        }
    }

    std::vector<std::vector<Tracked>> chunks_;
    std::size_t size_ = 0;
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

// Open addressing with linear probing. An entry holds the low 32 bits of the key's hash and
// the slot of the connection, whose Tracked holds the key itself: a probe reads one small
// array, and a slot only when the hash bits match. At 100k sockets this is several times
// faster than std::unordered_map, whose nodes scatter over the heap.
class ConnectionIndex {
public:
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    std::size_t size() const { return size_; }

    void clear() {
        std::fill(entries_.begin(), entries_.end(), Entry{});
        size_ = 0;
    }

    void reserve(std::size_t count) {
        std::size_t capacity = 16;
        while (capacity < count * 2) { // load factor at most one half
            capacity *= 2;
        }
        if (capacity > entries_.size()) {
            rehash(capacity);
        }
    }

    void prefetchEntry(std::size_t hash) const {
        if (!entries_.empty()) {
            prefetch(&entries_[hash & mask_]);
        }
    }

    // The slot the key most likely maps to: the one at its home position.
    std::uint32_t likelySlot(std::size_t hash) const {
        return entries_.empty() ? kNoSlot : entries_[hash & mask_].slot;
    }

    template <typename SameKey>
    std::size_t find(std::size_t hash, SameKey&& sameKey) const {
        if (entries_.empty()) {
            return npos;
        }
        const auto bits = static_cast<std::uint32_t>(hash);
        for (std::size_t position = bits & mask_;; position = (position + 1) & mask_) {
            const Entry& entry = entries_[position];
            if (entry.slot == kNoSlot) {
                return npos;
            }
            if (entry.hashBits == bits && sameKey(entry.slot)) {
                return position;
            }
        }
    }

    std::uint32_t slotAt(std::size_t position) const { return entries_[position].slot; }
    void setSlotAt(std::size_t position, std::uint32_t slot) { entries_[position].slot = slot; }

    // The key must not be present.
    void insert(std::size_t hash, std::uint32_t slot) {
        if ((size_ + 1) * 2 > entries_.size()) {
            rehash(entries_.empty() ? 16 : entries_.size() * 2);
        }
        place(Entry{static_cast<std::uint32_t>(hash), slot});
        ++size_;
    }

    // Backward-shift deletion: later entries of the same probe run move up, so no
    // deletion markers accumulate.
    void eraseAt(std::size_t position) {
        std::size_t hole = position;
        for (std::size_t next = (hole + 1) & mask_; entries_[next].slot != kNoSlot;
             next = (next + 1) & mask_) {
            const std::size_t home = entries_[next].hashBits & mask_;
            const bool stays =
                hole <= next ? (hole < home && home <= next) : (hole < home || home <= next);
            if (!stays) {
                entries_[hole] = entries_[next];
                hole = next;
            }
        }
        entries_[hole] = Entry{};
        --size_;
    }

private:
    struct Entry {
        std::uint32_t hashBits = 0;
        std::uint32_t slot = kNoSlot;
    };

    void place(const Entry& entry) {
        std::size_t position = entry.hashBits & mask_;
        while (entries_[position].slot != kNoSlot) {
            position = (position + 1) & mask_;
        }
        entries_[position] = entry;
    }

    void rehash(std::size_t capacity) {
        std::vector<Entry> old(capacity);
        old.swap(entries_);
        mask_ = capacity - 1;
        for (const Entry& entry : old) {
            if (entry.slot != kNoSlot) {
                place(entry);
            }
        }
    }

    std::vector<Entry> entries_;
    std::size_t mask_ = 0;
    std::size_t size_ = 0;
};

// The connection vector of an Update is the largest allocation per poll (about 26 MB at
// 100k sockets). Vectors come back here when the last reference to their Update goes, so
// the next poll writes into memory that is already mapped instead of faulting in fresh
// pages. Updates are released on other threads, hence the mutex.
class ConnectionBufferPool {
public:
    std::vector<Connection> take() {
        std::lock_guard lock(mutex_);
        if (spare_.empty()) {
            return {};
        }
        std::vector<Connection> buffer = std::move(spare_.back());
        spare_.pop_back();
        return buffer;
    }

    void give(std::vector<Connection>&& buffer) {
        buffer.clear();
        std::lock_guard lock(mutex_);
        if (spare_.size() < kMaxSpare) {
            spare_.push_back(std::move(buffer));
        }
    }

private:
    // One spare: the update being built and the one a view still shows are the two a steady
    // run needs. A third, made when a view was slow to take an update, is freed on return
    // rather than kept for good (about 30 MB at 115k rows).
    static constexpr std::size_t kMaxSpare = 1;
    std::mutex mutex_;
    std::vector<std::vector<Connection>> spare_;
};

struct TrackerData {
    explicit TrackerData(const TrackerOptions& options)
        : hostHistory(options.historyCapacity),
          publishedHostHistory(std::make_shared<const RateHistory>(hostHistory)) {}

    // Connections in ascending id, the order the Update wants: new ids are always the
    // largest and are appended, so nothing is sorted and the sweep reads memory front to
    // back. Expired rows stay as holes until they make up a quarter of the table.
    SlotTable slots;
    std::size_t deadSlots = 0;
    ConnectionIndex index;
    std::shared_ptr<ConnectionBufferPool> bufferPool = std::make_shared<ConnectionBufferPool>();

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
    void observeAllOpen();
    void observeOpen(const Socket& socket, const ConnectionKey& key, std::size_t hash);
    void observeClosed(const Socket& closed);
    void refresh(Tracked& tracked, const Socket& socket);
    Tracked& create(std::size_t hash, const Socket& socket, std::uint32_t slot);
    std::size_t findKey(const ConnectionKey& key, std::size_t hash) const;
    std::uint32_t appendSlot();
    void compactSlots();
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
    void recordProcessHistories();
    void evictLeastRecentlyActiveHistory();
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
    observeAllOpen();
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
    update_.sensor = snapshot_.sensor;
    update_.probeSources = snapshot_.probeSources;

    for (auto& [key, process] : s_.processes) {
        process.intervalSent = 0;
        process.intervalReceived = 0;
        process.counts = {};
        process.rows = 0;
        process.detailsChanged = false;
    }
    const std::size_t expected = snapshot_.sockets.size() + snapshot_.closed.size();
    s_.index.reserve(expected);
    if (s_.slots.empty()) {
        // Room for the tombstones and newcomers of the next polls, so the table does not
        // have to move soon after the first one.
        s_.slots.reserve(expected + expected / 4, false);
    }
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

void Pass::observeAllOpen() {
    // A three-stage pipeline: the key of socket i + kDistance is hashed and its index entry
    // requested; halfway, the slot that entry names is requested; then socket i is handled
    // with both most likely in cache.
    constexpr std::size_t kDistance = 8;
    struct Ahead {
        ConnectionKey key;
        std::size_t hash = 0;
    };
    std::array<Ahead, kDistance> ring;
    const std::vector<Socket>& sockets = snapshot_.sockets;
    const std::size_t count = sockets.size();
    auto prepare = [&](std::size_t i) {
        Ahead& ahead = ring[i % kDistance];
        ahead.key = connectionKeyOf(sockets[i]);
        ahead.hash = ConnectionKeyHash{}(ahead.key);
        s_.index.prefetchEntry(ahead.hash);
    };
    for (std::size_t i = 0; i < std::min(count, kDistance); ++i) {
        prepare(i);
    }
    for (std::size_t i = 0; i < count; ++i) {
        if (i + kDistance / 2 < count) {
            const std::uint32_t slot =
                s_.index.likelySlot(ring[(i + kDistance / 2) % kDistance].hash);
            if (slot < s_.slots.size()) {
                const auto* bytes = reinterpret_cast<const char*>(&s_.slots[slot]);
                for (std::size_t offset = 0; offset < sizeof(Tracked); offset += 64) {
                    prefetch(bytes + offset);
                }
            }
        }
        const Ahead current = ring[i % kDistance];
        if (i + kDistance < count) {
            prepare(i + kDistance);
        }
        observeOpen(sockets[i], current.key, current.hash);
    }
}

void Pass::observeOpen(const Socket& socket, const ConnectionKey& key, std::size_t hash) {
    const std::size_t position = findKey(key, hash);
    if (position != ConnectionIndex::npos) {
        Tracked& tracked = s_.slots[s_.index.slotAt(position)];
        if (tracked.seenGeneration == generation_) {
            return; // listed twice in one dump; the first one counts
        }
        if (tracked.row.open) {
            refresh(tracked, socket);
            return;
        }
        // The key of a tombstone came back: that is a new socket, and the old row goes.
        tracked.expireNow = true;
        const std::uint32_t slot = appendSlot();
        s_.index.setSlotAt(position, slot);
        Tracked& fresh = create(hash, socket, slot);
        takeCounters(fresh, socket.counters, true);
        return;
    }
    const std::uint32_t slot = appendSlot();
    s_.index.insert(hash, slot);
    Tracked& tracked = create(hash, socket, slot);
    takeCounters(tracked, socket.counters, true);
}

std::size_t Pass::findKey(const ConnectionKey& key, std::size_t hash) const {
    return s_.index.find(
        hash, [&](std::uint32_t slot) { return hasKey(s_.slots[slot].row.socket, key); });
}

void Pass::observeClosed(const Socket& closed) {
    const ConnectionKey key = connectionKeyOf(closed);
    const std::size_t hash = ConnectionKeyHash{}(key);
    const std::size_t position = findKey(key, hash);
    if (position != ConnectionIndex::npos) {
        Tracked& tracked = s_.slots[s_.index.slotAt(position)];
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
    const std::uint32_t slot = appendSlot();
    s_.index.insert(hash, slot);
    Tracked& tracked = create(hash, socket, slot);
    tracked.row.shortLived = true;
    takeCounters(tracked, socket.counters, true);
    closeTracked(tracked);
}

std::uint32_t Pass::appendSlot() {
    return s_.slots.append();
}

void Pass::compactSlots() {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < s_.slots.size(); ++i) {
        if (!s_.slots[i].live) {
            continue;
        }
        if (kept != i) {
            s_.slots[kept] = std::move(s_.slots[i]);
        }
        ++kept;
    }
    s_.slots.truncate(kept);
    s_.deadSlots = 0;
    // Every slot number changed; rebuilding from the stored hashes is one pass.
    s_.index.clear();
    s_.index.reserve(kept);
    for (std::size_t i = 0; i < kept; ++i) {
        s_.index.insert(s_.slots[i].hash, static_cast<std::uint32_t>(i));
    }
}

Tracked& Pass::create(std::size_t hash, const Socket& socket, std::uint32_t slot) {
    Tracked& tracked = s_.slots[slot];
    tracked.hash = static_cast<std::uint32_t>(hash);
    tracked.seenGeneration = generation_;
    tracked.closedGeneration = 0;
    tracked.hasCounterSample = false;
    tracked.expireNow = false;
    tracked.live = true;

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
        const std::size_t position = findKey(connectionKeyOf(tracked.row.socket), tracked.hash);
        if (position != ConnectionIndex::npos && s_.index.slotAt(position) == slot) {
            s_.index.eraseAt(position);
        }
    }
    if (tracked.row.socket.cookie != 0) {
        releaseCookie(tracked.row.socket.cookie);
    }
    update_.expired.push_back(tracked.row.id);
    tracked.process = nullptr;
    tracked.expireNow = false;
    tracked.live = false;
    ++s_.deadSlots;
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
    update_.connections = s_.bufferPool->take();
    const std::size_t rows = s_.slots.size() - s_.deadSlots;
    if (update_.connections.capacity() < rows) {
        // Headroom, so that a slowly growing table does not reallocate on every poll.
        update_.connections.reserve(rows + rows / 8);
        adviseLargeBuffer(update_.connections.data(),
                          update_.connections.capacity() * sizeof(Connection));
    }
    ConnectionCounts& hostCounts = update_.totals.counts;
    for (std::size_t i = 0; i < s_.slots.size(); ++i) {
        const auto slot = static_cast<std::uint32_t>(i);
        Tracked& tracked = s_.slots[slot];
        if (!tracked.live) {
            continue;
        }
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

        hostCounts.add(row);
        if (tracked.process != nullptr) {
            ++tracked.process->rows;
            tracked.process->counts.add(row);
        }

        update_.connections.push_back(row);
        row.change = RowChange::None;
    }
    constexpr std::size_t kMinHolesWorthCompacting = 64;
    if (s_.deadSlots >= kMinHolesWorthCompacting && s_.deadSlots * 4 > s_.slots.size()) {
        compactSlots();
    }
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
        row.change = !process.listed          ? RowChange::Added
                     : process.detailsChanged ? RowChange::Changed
                                              : RowChange::None;
        row.counts = process.counts;
        row.hasRate = haveInterval_ && process.createdGeneration < generation_;
        if (row.hasRate) {
            row.sendBytesPerSecond = static_cast<double>(process.intervalSent) / intervalSeconds_;
            row.receiveBytesPerSecond =
                static_cast<double>(process.intervalReceived) / intervalSeconds_;
        }
        row.bytesSentTotal = process.bytesSentTotal;
        row.bytesReceivedTotal = process.bytesReceivedTotal;
        row.firstSeenUnixMs = process.firstSeenUnixMs;
        process.listed = true;
        ++it;
    }
    std::sort(
        update_.processes.begin(), update_.processes.end(),
        [](const ProcessRow& a, const ProcessRow& b) { return a.process.key < b.process.key; });
    std::sort(update_.processesExpired.begin(), update_.processesExpired.end());
    recordProcessHistories();
}

void Pass::recordProcessHistories() {
    auto isActive = [](const ProcessRow& row) {
        return row.sendBytesPerSecond > 0 || row.receiveBytesPerSecond > 0;
    };
    // Mark the active processes that have a history first, so that making room for a
    // newcomer below evicts a process that was idle in this interval.
    for (const ProcessRow& row : update_.processes) {
        if (row.hasRate && isActive(row)) {
            const auto it = s_.processHistories.find(row.process.key);
            if (it != s_.processHistories.end()) {
                it->second.lastActiveGeneration = generation_;
            }
        }
    }
    for (const ProcessRow& row : update_.processes) {
        if (!row.hasRate) {
            continue;
        }
        const ProcessKey& key = row.process.key;
        auto it = s_.processHistories.find(key);
        if (it == s_.processHistories.end()) {
            // Idle processes get no history until they move bytes; that keeps the room for
            // the ones worth graphing.
            if (!isActive(row) || options_.processHistoryLimit == 0) {
                continue;
            }
            if (s_.processHistories.size() >= options_.processHistoryLimit) {
                evictLeastRecentlyActiveHistory();
            }
            it = s_.processHistories
                     .emplace(key,
                              ProcessHistory{RateHistory(options_.historyCapacity), generation_})
                     .first;
        }
        it->second.history.push(RateSample{snapshot_.unixMs,
                                           static_cast<float>(row.sendBytesPerSecond),
                                           static_cast<float>(row.receiveBytesPerSecond)});
    }
}

void Pass::evictLeastRecentlyActiveHistory() {
    auto oldest = s_.processHistories.begin();
    for (auto it = s_.processHistories.begin(); it != s_.processHistories.end(); ++it) {
        // Ties go to the smaller key, so the choice does not depend on hash order.
        if (std::pair(it->second.lastActiveGeneration, it->first) <
            std::pair(oldest->second.lastActiveGeneration, oldest->first)) {
            oldest = it;
        }
    }
    if (oldest != s_.processHistories.end()) {
        s_.processHistories.erase(oldest);
    }
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
        totals.receiveBytesPerSecond =
            static_cast<double>(hostIntervalReceived_) / intervalSeconds_;
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

std::shared_ptr<Update> Tracker::apply(const Snapshot& snapshot) {
    const auto started = std::chrono::steady_clock::now();
    std::shared_ptr<Update> update(new Update, [pool = state_->bufferPool](Update* finished) {
        pool->give(std::move(finished->connections));
        delete finished;
    });
    Pass(*state_, options_, snapshot, *update).run();
    update->trackDurationNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                  std::chrono::steady_clock::now() - started)
                                  .count();
    return update;
}

void Tracker::prepare(std::size_t expectedSockets) {
    State& s = *state_;
    if (expectedSockets == 0 || !s.slots.empty()) {
        return;
    }
    // The same sizes the first apply() would choose (beginTick, sweepAndPublishConnections).
    s.index.reserve(expectedSockets);
    s.slots.reserve(expectedSockets + expectedSockets / 4, true);
    std::vector<Connection> buffer;
    buffer.reserve(expectedSockets + expectedSockets / 8);
    adviseLargeBuffer(buffer.data(), buffer.capacity() * sizeof(Connection));
    touchPages(buffer.data(), buffer.capacity() * sizeof(Connection));
    s.bufferPool->give(std::move(buffer));
}

std::size_t Tracker::reservedRows() const {
    return state_->slots.capacity();
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
