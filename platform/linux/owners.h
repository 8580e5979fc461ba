#pragma once
// Which process owns each socket: socket inodes mapped to processes through /proc/PID/fd,
// with a cache so that a steady system costs no /proc walk at all.

#include "common/process_details_cache.h"
#include "portscope/core/model.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace portscope::platform::linuxsys {

// The inode of a "socket:[12345]" link target; 0 for other targets.
std::uint64_t parseSocketLink(const char* target, std::size_t length);

// An open-addressing hash map from socket inode (never 0) to a 64-bit value: no allocation
// per entry, which matters at 100k sockets.
class InodeTable {
public:
    void clear();
    // Empties the table and makes room for `expected` entries without growing.
    void reset(std::size_t expected);
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

    std::uint64_t* find(std::uint64_t inode);
    const std::uint64_t* find(std::uint64_t inode) const;
    // Inserts or overwrites; returns true when the inode was new.
    bool insertOrAssign(std::uint64_t inode, std::uint64_t value);
    bool erase(std::uint64_t inode);

private:
    struct Slot {
        std::uint64_t inode = 0; // 0 marks an empty slot
        std::uint64_t value = 0;
    };
    std::size_t slotOf(std::uint64_t inode) const;
    void rehash(std::size_t capacity);

    std::vector<Slot> slots_;
    std::size_t size_ = 0;
};

// One socket a process holds open, as a source other than /proc lists it (the eBPF sensor's
// task_file iterator): what the link /proc/PID/fd/FD -> socket:[inode] says, with the
// process's start time in the clock ticks of /proc/PID/stat.
struct SocketHolder {
    std::uint64_t inode = 0;
    int pid = 0;
    std::uint32_t fd = 0;
    std::uint64_t startTime = 0;
};

// Fills `holders` with every socket of every process; false when it cannot, and the
// resolver walks /proc instead.
using SocketHolderSource = std::function<bool(std::vector<SocketHolder>& holders)>;

// An owner and how many sockets of the last resolve() it holds.
using common::OwnerCount;

struct OwnerResolverStats {
    // Totals since construction.
    std::uint64_t resolves = 0;
    std::uint64_t walks = 0;       // /proc walks of any kind
    std::uint64_t fullRescans = 0; // walks that rebuilt the cache
    std::uint64_t processesScanned = 0;
    std::uint64_t fdsRead = 0;           // readlink calls
    std::uint64_t fdsSkipped = 0;        // fds known to hold a socket still listed: not read again
    std::uint64_t closedNotSearched = 0; // new sockets reported closed before they were found
    std::uint64_t holderListings = 0;    // full walks answered by the SocketHolderSource
    // The last resolve().
    bool lastWalked = false;
    bool lastFull = false;
    std::size_t lastUnknownInodes = 0; // inodes the cache could not answer
    std::size_t lastProcessesScanned = 0;
    std::size_t lastFdsRead = 0;
    std::size_t lastFdsSkipped = 0;
};

// Not thread-safe: one resolver per poll thread.
// Full rescans happen every `fullRescanEvery`, stretched so that they take at most about 1%
// of the time (a walk of 100k sockets that takes 0.5 s is repeated every 50 s, not 10 s);
// zero means on every resolve().
class OwnerResolver {
public:
    // A quarter of a percent of a core: at 10k sockets a walk takes some 45 ms, so a rescan
    // every 18 s; at 100k about half a second, so one every few minutes.
    static constexpr int kDefaultRescanCostFactor = 400;

    // A full rescan is due every `fullRescanEvery`, but never sooner than
    // `rescanCostFactor` times what the last one took, so that the safety net costs at most
    // 1/rescanCostFactor of a core.
    explicit OwnerResolver(
        std::chrono::steady_clock::duration fullRescanEvery = std::chrono::seconds(10),
        std::string procRoot = "/proc", int rescanCostFactor = kDefaultRescanCostFactor);
    ~OwnerResolver();
    OwnerResolver(const OwnerResolver&) = delete;
    OwnerResolver& operator=(const OwnerResolver&) = delete;

    // Appends the cookies of sockets that have closed since the dump (the kernel's destroy
    // events); called at most a few times per resolve().
    using ClosedCookieFeed = std::function<void(std::vector<std::uint64_t>& cookies)>;

    // Sets owner and ownerStatus of every socket and returns the owners with their socket
    // counts (sorted by PID), so that the caller can read details of new processes only.
    // Sockets with inode 0 (TIME_WAIT, request sockets) get NoInode, except SYN_RECV requests,
    // which are credited to the owner of the listener on their local port (Listener).
    // With `closedSince`, a new socket that has closed already is not searched for: under
    // churn most new sockets of a poll are gone by the time of the walk, and one that no
    // process holds would otherwise make the walk read every process.
    std::vector<OwnerCount> resolve(std::vector<core::Socket>& sockets,
                                    const ClosedCookieFeed& closedSince = {});

    // Full walks (prewalk() and full rescans) ask `source` first and read /proc only when it
    // fails; the searches for a few new sockets between them still read /proc. The source
    // must name processes as this resolver's /proc root does (the same PID namespace).
    void setSocketHolderSource(SocketHolderSource source) { holderSource_ = std::move(source); }

    // The next resolve() walks every process and rebuilds the cache.
    void requestFullRescan() { fullRescanRequested_ = true; }

    // Walks every process now and caches every socket found, before the sockets of the next
    // resolve() are known, so that a caller can run it on another thread while it dumps the
    // sockets (at 100k sockets each takes a few hundred milliseconds). The next resolve()
    // takes this walk as its full rescan; sockets the walk did not see (opened meanwhile, or
    // held by no readable process) are left unknown for that resolve() and searched for by
    // the one after. Nothing else may use the resolver while it runs. `expectedSockets`
    // sizes the cache.
    void prewalk(std::size_t expectedSockets = 0);

    std::optional<core::ProcessKey> cachedOwnerOf(std::uint64_t inode) const;
    std::size_t cachedInodeCount() const { return cache_.size(); }

    // Sockets of the last resolve() whose owner could not be read for lack of privileges.
    std::size_t hiddenByPermissions() const { return hiddenByPermissions_; }
    // A sentence for users when hiddenByPermissions() > 0, else empty.
    core::SystemText hiddenOwnersWarning() const;
    // Processes whose fd directory could not be read since the last full rescan.
    std::size_t unreadableProcessCount() const { return unreadablePids_.size(); }
    bool isUidUnreadable(std::uint32_t uid) const { return unreadableUids_.count(uid) != 0; }

    const OwnerResolverStats& stats() const { return stats_; }

private:
    struct OwnerRecord {
        core::ProcessKey key;
        std::uint64_t checkedGeneration = 0;
        std::uint64_t countedGeneration = 0;
        std::uint64_t knownFdsGeneration = 0;
        std::vector<std::uint64_t> knownFds; // bit per fd number, valid for one walk
        std::uint32_t sockets = 0;
        bool alive = true;
    };
    static constexpr std::uint64_t kUnresolved = ~std::uint64_t{0};

    bool openProcRoot();
    bool ownerAlive(std::uint32_t ownerIndex);
    std::optional<std::uint64_t> readStartTime(int pid);
    std::uint32_t ownerIndexFor(int pid, std::uint64_t startTime);
    void listPids(std::vector<int>& pids);
    // Reads /proc/PID/fd except the fds set in `skipFds`; returns true when every wanted inode
    // has been found.
    bool scanProcess(int pid, const std::vector<std::uint64_t>* skipFds = nullptr);
    // Asks the holder source for every socket and caches them (only the wanted ones when
    // `onlyWanted`), crediting a shared socket to its lowest PID as a walk of /proc does;
    // false when there is no source or it failed.
    bool cacheFromHolderSource(bool onlyWanted);
    void noteKnownFds(const std::vector<core::Socket>& sockets);
    void markUnreadable(int pid);
    void fullRescan(const std::vector<core::Socket>& sockets);
    void incrementalWalk(const std::vector<core::Socket>& sockets);
    // Stops searching for wanted sockets that `closedSince_` reports closed.
    void forgetClosedWanted(const std::vector<core::Socket>& sockets);
    core::OwnerStatus missingOwnerStatus(std::uint32_t socketUid) const;
    void creditRequestsToListeners(std::vector<core::Socket>& sockets);

    std::chrono::steady_clock::duration fullRescanEvery_;
    int rescanCostFactor_;
    std::string procRoot_;
    int procFd_ = -1;
    std::uint32_t ourUid_ = 0;
    std::optional<std::chrono::steady_clock::time_point> lastFullRescan_;
    std::chrono::steady_clock::duration lastFullRescanCost_{}; // wall time the last one took
    bool cacheEverySocket_ = false; // during prewalk(): no wanted set yet
    bool prewalked_ = false;
    std::chrono::steady_clock::time_point prewalkStarted_{};
    std::chrono::steady_clock::duration prewalkCost_{};
    bool fullRescanRequested_ = false;
    std::uint64_t generation_ = 0;

    InodeTable cache_;  // inode -> index into owners_ (high 32 bits) and fd (low 32 bits)
    InodeTable wanted_; // inode -> owner index, or kUnresolved while searched for
    InodeTable missed_; // searched since the last full rescan without success
    const ClosedCookieFeed* closedSince_ = nullptr; // during resolve() only
    InodeTable closedCookies_;                      // cookie -> 1, for one resolve()
    std::vector<std::uint64_t> cookieBuffer_;
    std::size_t remaining_ = 0;
    std::vector<OwnerRecord> owners_;
    std::unordered_map<int, std::uint32_t> ownerIndexByPid_;
    std::unordered_set<int> unreadablePids_;
    std::unordered_set<std::uint32_t> unreadableUids_;
    std::unordered_set<std::uint32_t> wantedUids_;

    SocketHolderSource holderSource_;
    std::vector<SocketHolder> holders_;
    std::vector<char> directoryBuffer_;
    std::vector<int> pids_;
    std::vector<int> deferredPids_;
    std::size_t hiddenByPermissions_ = 0;
    OwnerResolverStats stats_;
};

} // namespace portscope::platform::linuxsys
