#include "linux/owners.h"

#include "linux/memory_advice.h"
#include "linux/proc_process.h"
#include "portscope/core/translatable.h"
#include "portscope/platform/system.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <tuple>
#include <unistd.h>
#include <utility>

namespace portscope::platform::linuxsys {

namespace {

std::uint64_t mixBits(std::uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

// The layout of struct linux_dirent64, read with memcpy because the buffer holds raw bytes.
constexpr std::size_t kDirentReclenOffset = 16;
constexpr std::size_t kDirentNameOffset = 19;

// Calls `onName` for every entry name in the directory `fd`, reading with getdents64 into
// `buffer`. Returns 0, or errno when reading failed; `onName` returns false to stop early.
template <typename OnName>
int forEachDirectoryEntry(int fd, std::vector<char>& buffer, OnName&& onName) {
    for (;;) {
        const long got = ::syscall(SYS_getdents64, fd, buffer.data(), buffer.size());
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno;
        }
        if (got == 0) {
            return 0;
        }
        std::size_t offset = 0;
        while (offset + kDirentNameOffset < static_cast<std::size_t>(got)) {
            unsigned short recordLength = 0;
            std::memcpy(&recordLength, buffer.data() + offset + kDirentReclenOffset,
                        sizeof(recordLength));
            if (recordLength == 0) {
                return EIO;
            }
            const char* name = buffer.data() + offset + kDirentNameOffset;
            if (!onName(name)) {
                return 0;
            }
            offset += recordLength;
        }
    }
}

// A decimal directory name such as "1234" (a PID or an fd); -1 for anything else.
int parseDecimalName(const char* name) {
    int value = 0;
    int digits = 0;
    for (const char* p = name; *p != '\0'; ++p) {
        if (*p < '0' || *p > '9' || digits >= 9) {
            return -1;
        }
        value = value * 10 + (*p - '0');
        ++digits;
    }
    return digits == 0 ? -1 : value;
}

// A wanted_ value: the socket closed before its owner was found; nobody is searched for it.
constexpr std::uint64_t kClosedBeforeFound = ~std::uint64_t{0} - 1;

// A cache entry: the owner's index and the fd that held the socket when it was found.
std::uint64_t cacheEntry(std::uint32_t ownerIndex, std::uint32_t fd) {
    return (static_cast<std::uint64_t>(ownerIndex) << 32) | fd;
}
std::uint32_t ownerOfEntry(std::uint64_t entry) {
    return static_cast<std::uint32_t>(entry >> 32);
}
std::uint32_t fdOfEntry(std::uint64_t entry) {
    return static_cast<std::uint32_t>(entry);
}

bool bitIsSet(const std::vector<std::uint64_t>& bits, std::uint32_t index) {
    const std::size_t word = index / 64;
    return word < bits.size() && ((bits[word] >> (index % 64)) & 1U) != 0;
}

// `count` value-initialised elements in fresh memory that may come from huge pages: a table
// for 100k sockets is 4 MiB, and zeroing it page by page is most of its cost.
template <typename T>
void assignFresh(std::vector<T>& elements, std::size_t count) {
    std::vector<T> fresh;
    fresh.reserve(count);
    adviseHugePages(fresh.data(), count * sizeof(T));
    fresh.resize(count);
    elements.swap(fresh);
}

bool isRequestSocket(const core::Socket& socket) {
    return socket.protocol == core::Protocol::Tcp &&
           (socket.state == core::SocketState::SynRecv ||
            socket.state == core::SocketState::NewSynRecv);
}

// Whether a listener bound to `listener` accepts connections addressed to `local`.
bool listenerCovers(const core::IpAddress& listener, const core::IpAddress& local) {
    const core::IpAddress target = local.unmapped();
    if (listener.unmapped() == target) {
        return true;
    }
    if (!listener.isUnspecified()) {
        return false;
    }
    // "::" is taken as dual-stack, the Linux default.
    return listener.family == core::Family::V6 || target.family == core::Family::V4;
}

} // namespace

std::uint64_t parseSocketLink(const char* target, std::size_t length) {
    constexpr std::string_view kPrefix = "socket:[";
    if (length <= kPrefix.size() + 1 || target[length - 1] != ']' ||
        std::memcmp(target, kPrefix.data(), kPrefix.size()) != 0) {
        return 0;
    }
    std::uint64_t inode = 0;
    for (std::size_t i = kPrefix.size(); i + 1 < length; ++i) {
        const char c = target[i];
        if (c < '0' || c > '9' || inode > (UINT64_MAX - 9) / 10) {
            return 0;
        }
        inode = inode * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return inode;
}

// ---- InodeTable ---------------------------------------------------------------------------

void InodeTable::clear() {
    if (size_ != 0) {
        std::fill(slots_.begin(), slots_.end(), Slot{});
        size_ = 0;
    }
}

void InodeTable::reset(std::size_t expected) {
    std::size_t capacity = 16;
    while (capacity < expected * 2) {
        capacity *= 2;
    }
    // Shrink too, so that one huge poll does not make every later clear() expensive.
    if (slots_.size() < capacity || slots_.size() > capacity * 8) {
        assignFresh(slots_, capacity);
        size_ = 0;
    } else {
        clear();
    }
}

std::size_t InodeTable::slotOf(std::uint64_t inode) const {
    return static_cast<std::size_t>(mixBits(inode)) & (slots_.size() - 1);
}

std::uint64_t* InodeTable::find(std::uint64_t inode) {
    return const_cast<std::uint64_t*>(std::as_const(*this).find(inode));
}

const std::uint64_t* InodeTable::find(std::uint64_t inode) const {
    if (size_ == 0 || inode == 0) {
        return nullptr;
    }
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = slotOf(inode);; i = (i + 1) & mask) {
        if (slots_[i].inode == inode) {
            return &slots_[i].value;
        }
        if (slots_[i].inode == 0) {
            return nullptr;
        }
    }
}

bool InodeTable::insertOrAssign(std::uint64_t inode, std::uint64_t value) {
    if (inode == 0) {
        return false;
    }
    if (slots_.empty() || (size_ + 1) * 2 > slots_.size()) {
        rehash(std::max<std::size_t>(16, slots_.size() * 2));
    }
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = slotOf(inode);; i = (i + 1) & mask) {
        if (slots_[i].inode == inode) {
            slots_[i].value = value;
            return false;
        }
        if (slots_[i].inode == 0) {
            slots_[i] = Slot{inode, value};
            ++size_;
            return true;
        }
    }
}

bool InodeTable::erase(std::uint64_t inode) {
    if (size_ == 0 || inode == 0) {
        return false;
    }
    const std::size_t mask = slots_.size() - 1;
    std::size_t hole = slotOf(inode);
    while (slots_[hole].inode != inode) {
        if (slots_[hole].inode == 0) {
            return false;
        }
        hole = (hole + 1) & mask;
    }
    // Backward-shift deletion keeps every probe chain intact without tombstones.
    for (std::size_t next = (hole + 1) & mask; slots_[next].inode != 0; next = (next + 1) & mask) {
        const std::size_t home = slotOf(slots_[next].inode);
        const bool homeBetween =
            hole <= next ? (home > hole && home <= next) : (home > hole || home <= next);
        if (!homeBetween) {
            slots_[hole] = slots_[next];
            hole = next;
        }
    }
    slots_[hole] = Slot{};
    --size_;
    return true;
}

void InodeTable::rehash(std::size_t capacity) {
    std::vector<Slot> old = std::move(slots_);
    assignFresh(slots_, capacity);
    size_ = 0;
    for (const Slot& slot : old) {
        if (slot.inode != 0) {
            insertOrAssign(slot.inode, slot.value);
        }
    }
}

// ---- OwnerResolver ------------------------------------------------------------------------

OwnerResolver::OwnerResolver(std::chrono::steady_clock::duration fullRescanEvery,
                             std::string procRoot, int rescanCostFactor)
    : fullRescanEvery_(fullRescanEvery), rescanCostFactor_(std::max(1, rescanCostFactor)),
      procRoot_(std::move(procRoot)), ourUid_(static_cast<std::uint32_t>(::geteuid())),
      directoryBuffer_(64 * 1024) {
    openProcRoot();
}

OwnerResolver::~OwnerResolver() {
    if (procFd_ >= 0) {
        ::close(procFd_);
    }
}

bool OwnerResolver::openProcRoot() {
    if (procFd_ < 0) {
        procFd_ = ::open(procRoot_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
    return procFd_ >= 0;
}

std::optional<core::ProcessKey> OwnerResolver::cachedOwnerOf(std::uint64_t inode) const {
    const std::uint64_t* entry = cache_.find(inode);
    if (entry == nullptr || !owners_[ownerOfEntry(*entry)].alive) {
        return std::nullopt;
    }
    return owners_[ownerOfEntry(*entry)].key;
}

core::SystemText OwnerResolver::hiddenOwnersWarning() const {
    if (hiddenByPermissions_ == 0) {
        return {};
    }
    if (ourUid_ == 0) {
        // Root without CAP_SYS_PTRACE, or confined by a sandbox or security module.
        return hiddenByPermissions_ == 1
                   ? core::systemText(PORTSCOPE_TRANSLATABLE(
                         "SystemText",
                         "The owner of 1 socket is hidden: this system does not let PortScope "
                         "read some processes' /proc/PID/fd, even as root (CAP_DAC_READ_SEARCH "
                         "and CAP_SYS_PTRACE are needed)."))
                   : core::systemText(
                         PORTSCOPE_TRANSLATABLE(
                             "SystemText",
                             "Owners of %1 sockets are hidden: this system does not let "
                             "PortScope read some processes' /proc/PID/fd, even as root "
                             "(CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE are needed)."),
                         {core::numberText(hiddenByPermissions_)});
    }
    return hiddenByPermissions_ == 1
               ? core::systemText(PORTSCOPE_TRANSLATABLE(
                     "SystemText", "The owner of 1 socket is hidden: reading other users' "
                                   "/proc/PID/fd needs root (CAP_DAC_READ_SEARCH and "
                                   "CAP_SYS_PTRACE)."))
               : core::systemText(
                     PORTSCOPE_TRANSLATABLE("SystemText",
                                            "Owners of %1 sockets are hidden: reading other users' "
                                            "/proc/PID/fd needs root (CAP_DAC_READ_SEARCH and "
                                            "CAP_SYS_PTRACE)."),
                     {core::numberText(hiddenByPermissions_)});
}

std::optional<std::uint64_t> OwnerResolver::readStartTime(int pid) {
    char path[32];
    std::snprintf(path, sizeof(path), "%d/stat", pid);
    const int fd = ::openat(procFd_, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return std::nullopt;
    }
    // A stat line is well under 4 KiB even with a 64-byte kernel thread name.
    char text[4096];
    std::size_t length = 0;
    while (length < sizeof(text)) {
        const ssize_t got = ::read(fd, text + length, sizeof(text) - length);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            break;
        }
        length += static_cast<std::size_t>(got);
    }
    ::close(fd);
    return parseProcStatStartTime(std::string_view(text, length));
}

bool OwnerResolver::ownerAlive(std::uint32_t ownerIndex) {
    OwnerRecord& owner = owners_[ownerIndex];
    if (!owner.alive || owner.checkedGeneration == generation_) {
        return owner.alive;
    }
    const auto startTime = readStartTime(owner.key.pid);
    owner.alive = startTime && *startTime == owner.key.startTime;
    owner.checkedGeneration = generation_;
    return owner.alive;
}

std::uint32_t OwnerResolver::ownerIndexFor(int pid, std::uint64_t startTime) {
    const auto found = ownerIndexByPid_.find(pid);
    if (found != ownerIndexByPid_.end()) {
        OwnerRecord& owner = owners_[found->second];
        if (owner.alive && owner.key.startTime == startTime) {
            owner.checkedGeneration = generation_;
            return found->second;
        }
        owner.alive = false; // the PID was recycled
    }
    const auto index = static_cast<std::uint32_t>(owners_.size());
    OwnerRecord record;
    record.key = core::ProcessKey{pid, startTime};
    record.checkedGeneration = generation_;
    owners_.push_back(record);
    ownerIndexByPid_[pid] = index;
    return index;
}

void OwnerResolver::listPids(std::vector<int>& pids) {
    pids.clear();
    if (::lseek(procFd_, 0, SEEK_SET) < 0) {
        return;
    }
    forEachDirectoryEntry(procFd_, directoryBuffer_, [&](const char* name) {
        if (const int pid = parseDecimalName(name); pid > 0) {
            pids.push_back(pid);
        }
        return true;
    });
    // /proc lists PIDs in ascending order already; other roots (tests) may not.
    if (!std::is_sorted(pids.begin(), pids.end())) {
        std::sort(pids.begin(), pids.end());
    }
}

void OwnerResolver::markUnreadable(int pid) {
    unreadablePids_.insert(pid);
    char path[16];
    std::snprintf(path, sizeof(path), "%d", pid);
    struct stat processStat {};
    if (::fstatat(procFd_, path, &processStat, 0) == 0) {
        unreadableUids_.insert(static_cast<std::uint32_t>(processStat.st_uid));
    }
}

bool OwnerResolver::scanProcess(int pid, const std::vector<std::uint64_t>* skipFds) {
    char path[32];
    std::snprintf(path, sizeof(path), "%d/fd", pid);
    const int directoryFd = ::openat(procFd_, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (directoryFd < 0) {
        if (errno == EACCES || errno == EPERM) {
            markUnreadable(pid);
        }
        return false; // ENOENT: the process is gone
    }
    ++stats_.processesScanned;
    ++stats_.lastProcessesScanned;

    // Read once, at the first socket this process is found to hold.
    std::optional<std::uint32_t> ownerIndex;
    auto resolveOwner = [&] {
        if (!ownerIndex) {
            if (const auto startTime = readStartTime(pid)) {
                ownerIndex = ownerIndexFor(pid, *startTime);
            }
        }
        return ownerIndex.has_value(); // false: the process exited while we read it
    };
    char target[64];
    const int listError =
        forEachDirectoryEntry(directoryFd, directoryBuffer_, [&](const char* name) {
            const int fd = parseDecimalName(name);
            if (fd < 0) {
                return true; // "." and ".."
            }
            if (skipFds != nullptr && bitIsSet(*skipFds, static_cast<std::uint32_t>(fd))) {
                ++stats_.fdsSkipped;
                ++stats_.lastFdsSkipped;
                return true;
            }
            const ssize_t length = ::readlinkat(directoryFd, name, target, sizeof(target));
            ++stats_.fdsRead;
            ++stats_.lastFdsRead;
            if (length < 0) {
                if (errno == EACCES || errno == EPERM) {
                    markUnreadable(pid);
                    return false;
                }
                return true; // the fd was closed meanwhile
            }
            const std::uint64_t inode = parseSocketLink(target, static_cast<std::size_t>(length));
            if (cacheEverySocket_) {
                // PIDs ascend, so a socket shared by several processes goes to the first, as in
                // a full rescan.
                if (inode == 0 || cache_.find(inode) != nullptr) {
                    return true;
                }
                if (!resolveOwner()) {
                    return false;
                }
                cache_.insertOrAssign(inode,
                                      cacheEntry(*ownerIndex, static_cast<std::uint32_t>(fd)));
                return true;
            }
            std::uint64_t* slot = inode != 0 ? wanted_.find(inode) : nullptr;
            if (slot == nullptr || *slot != kUnresolved) {
                return true;
            }
            if (!resolveOwner()) {
                return false;
            }
            *slot = *ownerIndex;
            cache_.insertOrAssign(inode, cacheEntry(*ownerIndex, static_cast<std::uint32_t>(fd)));
            return --remaining_ != 0;
        });
    if (listError == EACCES || listError == EPERM) {
        markUnreadable(pid);
    }
    ::close(directoryFd);
    return remaining_ == 0;
}

void OwnerResolver::prewalk(std::size_t expectedSockets) {
    prewalked_ = false;
    if (!openProcRoot()) {
        return;
    }
    prewalkStarted_ = std::chrono::steady_clock::now();
    ++generation_;
    cache_.reset(std::max<std::size_t>({cache_.size(), expectedSockets, 1024}));
    missed_.clear();
    owners_.clear();
    ownerIndexByPid_.clear();
    unreadablePids_.clear();
    unreadableUids_.clear();
    remaining_ = 0;
    if (!cacheFromHolderSource(false)) {
        cacheEverySocket_ = true;
        listPids(pids_);
        for (const int pid : pids_) {
            scanProcess(pid);
        }
        cacheEverySocket_ = false;
    }
    prewalkCost_ = std::chrono::steady_clock::now() - prewalkStarted_;
    prewalked_ = true;
}

void OwnerResolver::fullRescan(const std::vector<core::Socket>& sockets) {
    ++stats_.walks;
    ++stats_.fullRescans;
    stats_.lastWalked = true;
    stats_.lastFull = true;

    cache_.reset(sockets.size());
    wanted_.reset(sockets.size());
    missed_.clear();
    owners_.clear();
    ownerIndexByPid_.clear();
    unreadablePids_.clear();
    unreadableUids_.clear();
    remaining_ = 0;
    for (const core::Socket& socket : sockets) {
        if (socket.inode != 0 && wanted_.insertOrAssign(socket.inode, kUnresolved)) {
            ++remaining_;
        }
    }
    stats_.lastUnknownInodes = remaining_;

    if (cacheFromHolderSource(true)) {
        return;
    }
    listPids(pids_);
    for (const int pid : pids_) {
        if (scanProcess(pid)) {
            break;
        }
    }
}

bool OwnerResolver::cacheFromHolderSource(bool onlyWanted) {
    holders_.clear();
    if (!holderSource_ || !holderSource_(holders_)) {
        holders_.clear();
        return false;
    }
    ++stats_.holderListings;
    // In the order of a /proc walk: ascending PIDs, each process's fds ascending.
    std::sort(holders_.begin(), holders_.end(), [](const SocketHolder& a, const SocketHolder& b) {
        return a.pid != b.pid ? a.pid < b.pid : a.fd < b.fd;
    });
    std::optional<std::uint32_t> ownerIndex;
    int ownerPid = 0;
    for (const SocketHolder& holder : holders_) {
        if (holder.inode == 0 || holder.pid <= 0) {
            continue;
        }
        std::uint64_t* wanted = nullptr;
        if (onlyWanted) {
            wanted = wanted_.find(holder.inode);
            if (wanted == nullptr || *wanted != kUnresolved) {
                continue;
            }
        } else if (cache_.find(holder.inode) != nullptr) {
            continue;
        }
        if (!ownerIndex || ownerPid != holder.pid) {
            ownerIndex = ownerIndexFor(holder.pid, holder.startTime);
            ownerPid = holder.pid;
        }
        cache_.insertOrAssign(holder.inode, cacheEntry(*ownerIndex, holder.fd));
        if (wanted != nullptr) {
            *wanted = *ownerIndex;
            --remaining_;
        }
    }
    return true;
}

void OwnerResolver::noteKnownFds(const std::vector<core::Socket>& sockets) {
    for (const core::Socket& socket : sockets) {
        const std::uint64_t* entry = socket.inode != 0 ? cache_.find(socket.inode) : nullptr;
        // Far beyond any real fd limit; such an fd is simply read again.
        constexpr std::uint32_t kLargestSkippableFd = 1U << 22;
        if (entry == nullptr || fdOfEntry(*entry) > kLargestSkippableFd) {
            continue;
        }
        OwnerRecord& owner = owners_[ownerOfEntry(*entry)];
        if (owner.knownFdsGeneration != generation_) {
            owner.knownFdsGeneration = generation_;
            owner.knownFds.clear();
        }
        const std::uint32_t fd = fdOfEntry(*entry);
        if (owner.knownFds.size() <= fd / 64) {
            owner.knownFds.resize(fd / 64 + 1, 0);
        }
        owner.knownFds[fd / 64] |= std::uint64_t{1} << (fd % 64);
    }
}

void OwnerResolver::forgetClosedWanted(const std::vector<core::Socket>& sockets) {
    if (closedSince_ == nullptr || !*closedSince_ || remaining_ == 0) {
        return;
    }
    cookieBuffer_.clear();
    (*closedSince_)(cookieBuffer_);
    for (const std::uint64_t cookie : cookieBuffer_) {
        closedCookies_.insertOrAssign(cookie, 1);
    }
    if (closedCookies_.empty()) {
        return;
    }
    for (const core::Socket& socket : sockets) {
        if (socket.inode == 0 || socket.cookie == 0 ||
            closedCookies_.find(socket.cookie) == nullptr) {
            continue;
        }
        std::uint64_t* slot = wanted_.find(socket.inode);
        if (slot != nullptr && *slot == kUnresolved) {
            *slot = kClosedBeforeFound;
            ++stats_.closedNotSearched;
            if (--remaining_ == 0) {
                return;
            }
        }
    }
}

void OwnerResolver::incrementalWalk(const std::vector<core::Socket>& sockets) {
    ++stats_.walks;
    stats_.lastWalked = true;
    stats_.lastUnknownInodes = remaining_;
    forgetClosedWanted(sockets);
    if (remaining_ == 0) {
        return;
    }

    // A new socket needs a new fd: in the processes that own listed sockets, the fds found
    // holding them (and still holding them, as far as the snapshot tells) are not read again.
    // If such an fd was closed and reused while its socket lived on in a duplicate, the new
    // socket is missed until the next full rescan; that is the price of not reading every fd.
    noteKnownFds(sockets);

    // Processes that owned sockets before are the likeliest owners of new ones.
    std::vector<std::pair<int, std::uint32_t>> priorOwners; // pid, owner index
    priorOwners.reserve(owners_.size());
    for (std::uint32_t index = 0; index < owners_.size(); ++index) {
        if (ownerAlive(index)) {
            priorOwners.emplace_back(owners_[index].key.pid, index);
        }
    }
    std::sort(priorOwners.begin(), priorOwners.end());
    std::vector<int> priorPids;
    priorPids.reserve(priorOwners.size());
    for (const auto& [pid, index] : priorOwners) {
        const OwnerRecord& owner = owners_[index];
        const bool haveKnownFds = owner.knownFdsGeneration == generation_;
        priorPids.push_back(pid);
        if (scanProcess(pid, haveKnownFds ? &owner.knownFds : nullptr)) {
            return;
        }
    }

    // Reading every other process costs a full walk: first drop what has closed meanwhile.
    forgetClosedWanted(sockets);
    if (remaining_ == 0) {
        return;
    }

    // Then processes running as the user who created a wanted socket, then the rest.
    listPids(pids_);
    deferredPids_.clear();
    char path[16];
    for (const int pid : pids_) {
        if (std::binary_search(priorPids.begin(), priorPids.end(), pid) ||
            unreadablePids_.count(pid) != 0) {
            continue;
        }
        std::snprintf(path, sizeof(path), "%d", pid);
        struct stat processStat {};
        if (::fstatat(procFd_, path, &processStat, 0) != 0) {
            continue;
        }
        if (wantedUids_.count(static_cast<std::uint32_t>(processStat.st_uid)) == 0) {
            deferredPids_.push_back(pid);
        } else if (scanProcess(pid)) {
            return;
        }
    }
    for (const int pid : deferredPids_) {
        if (scanProcess(pid)) {
            return;
        }
    }
}

core::OwnerStatus OwnerResolver::missingOwnerStatus(std::uint32_t socketUid) const {
    if (!unreadablePids_.empty() &&
        (socketUid != ourUid_ || unreadableUids_.count(socketUid) != 0)) {
        return core::OwnerStatus::PermissionDenied;
    }
    return core::OwnerStatus::NotFound;
}

void OwnerResolver::creditRequestsToListeners(std::vector<core::Socket>& sockets) {
    struct Listener {
        std::uint64_t netns;
        std::uint16_t port;
        core::IpAddress address;
        std::uint32_t ownerIndex;
    };
    std::vector<Listener> listeners;
    for (const core::Socket& socket : sockets) {
        if (socket.protocol != core::Protocol::Tcp || socket.state != core::SocketState::Listen ||
            socket.ownerStatus != core::OwnerStatus::Known) {
            continue;
        }
        if (const std::uint64_t* entry = cache_.find(socket.inode); entry != nullptr) {
            listeners.push_back(
                {socket.netns, socket.local.port, socket.local.address, ownerOfEntry(*entry)});
        }
    }
    if (listeners.empty()) {
        return;
    }
    const auto byNamespaceAndPort = [](const Listener& a, const Listener& b) {
        return std::tie(a.netns, a.port) < std::tie(b.netns, b.port);
    };
    std::sort(listeners.begin(), listeners.end(), byNamespaceAndPort);

    for (core::Socket& socket : sockets) {
        if (socket.inode != 0 || !isRequestSocket(socket)) {
            continue;
        }
        const Listener probe{socket.netns, socket.local.port, {}, 0};
        const auto [first, last] =
            std::equal_range(listeners.begin(), listeners.end(), probe, byNamespaceAndPort);
        const Listener* chosen = nullptr;
        for (auto it = first; it != last; ++it) {
            if (it->address.unmapped() == socket.local.address.unmapped()) {
                chosen = &*it; // a listener on the exact address wins over a wildcard one
                break;
            }
            if (chosen == nullptr && listenerCovers(it->address, socket.local.address)) {
                chosen = &*it;
            }
        }
        if (chosen == nullptr) {
            continue;
        }
        OwnerRecord& owner = owners_[chosen->ownerIndex];
        socket.owner = owner.key;
        socket.ownerStatus = core::OwnerStatus::Listener;
        ++owner.sockets;
    }
}

std::vector<OwnerCount> OwnerResolver::resolve(std::vector<core::Socket>& sockets,
                                               const ClosedCookieFeed& closedSince) {
    closedSince_ = &closedSince;
    closedCookies_.clear();
    ++generation_;
    ++stats_.resolves;
    stats_.lastWalked = false;
    stats_.lastFull = false;
    stats_.lastUnknownInodes = 0;
    stats_.lastProcessesScanned = 0;
    stats_.lastFdsRead = 0;
    stats_.lastFdsSkipped = 0;
    hiddenByPermissions_ = 0;

    const bool haveProc = openProcRoot();
    const auto now = std::chrono::steady_clock::now();
    const bool usePrewalk = prewalked_ && haveProc;
    prewalked_ = false;
    if (usePrewalk) {
        ++stats_.walks;
        ++stats_.fullRescans;
        stats_.lastWalked = true;
        stats_.lastFull = true;
        lastFullRescan_ = prewalkStarted_;
        lastFullRescanCost_ = prewalkCost_;
        fullRescanRequested_ = false;
    }
    // A full rescan is only a safety net (fds reused under a duplicated socket, sockets
    // handed to another process while the first holder lives on), so its share of the time
    // is capped: at 100k sockets a walk costs half a second, and every 10 s that would be 5%
    // of a core. An interval of zero asks for a full rescan on every call and is kept.
    const auto fullRescanInterval =
        fullRescanEvery_ <= std::chrono::steady_clock::duration::zero()
            ? fullRescanEvery_
            : std::max<std::chrono::steady_clock::duration>(
                  fullRescanEvery_, lastFullRescanCost_ * rescanCostFactor_);
    const bool fullDue =
        fullRescanRequested_ || !lastFullRescan_ || now - *lastFullRescan_ >= fullRescanInterval;
    const bool anyInode = std::any_of(sockets.begin(), sockets.end(),
                                      [](const core::Socket& s) { return s.inode != 0; });

    if (usePrewalk) {
        // Every socket the walk found is cached; the rest wait for the next resolve().
    } else if (haveProc && anyInode && fullDue) {
        fullRescan(sockets);
        lastFullRescanCost_ = std::chrono::steady_clock::now() - now;
        lastFullRescan_ = now;
        fullRescanRequested_ = false;
    } else if (haveProc && anyInode) {
        wanted_.reset(0);
        wantedUids_.clear();
        remaining_ = 0;
        for (const core::Socket& socket : sockets) {
            if (socket.inode == 0) {
                continue;
            }
            if (const std::uint64_t* entry = cache_.find(socket.inode); entry != nullptr) {
                if (ownerAlive(ownerOfEntry(*entry))) {
                    continue;
                }
                cache_.erase(socket.inode);
            }
            if (missed_.find(socket.inode) != nullptr) {
                continue; // searched in vain since the last full rescan
            }
            if (wanted_.insertOrAssign(socket.inode, kUnresolved)) {
                ++remaining_;
                wantedUids_.insert(socket.uid);
            }
        }
        if (remaining_ != 0) {
            incrementalWalk(sockets);
        }
    }
    closedSince_ = nullptr;

    std::vector<std::uint32_t> counted;
    bool anyRequest = false;
    for (core::Socket& socket : sockets) {
        socket.owner = core::ProcessKey{};
        if (socket.inode == 0) {
            socket.ownerStatus = core::OwnerStatus::NoInode;
            anyRequest = anyRequest || isRequestSocket(socket);
            continue;
        }
        const std::uint64_t* entry = cache_.find(socket.inode);
        if (entry == nullptr) {
            if (haveProc && !usePrewalk) {
                missed_.insertOrAssign(socket.inode, 0);
            }
            socket.ownerStatus = missingOwnerStatus(socket.uid);
            if (socket.ownerStatus == core::OwnerStatus::PermissionDenied) {
                ++hiddenByPermissions_;
            }
            continue;
        }
        const std::uint32_t index = ownerOfEntry(*entry);
        OwnerRecord& owner = owners_[index];
        if (owner.countedGeneration != generation_) {
            owner.countedGeneration = generation_;
            owner.sockets = 0;
            counted.push_back(index);
        }
        ++owner.sockets;
        socket.owner = owner.key;
        socket.ownerStatus = core::OwnerStatus::Known;
    }
    if (anyRequest) {
        creditRequestsToListeners(sockets);
    }

    std::vector<OwnerCount> result;
    result.reserve(counted.size());
    for (const std::uint32_t index : counted) {
        result.push_back(OwnerCount{owners_[index].key, owners_[index].sockets});
    }
    std::sort(result.begin(), result.end(),
              [](const OwnerCount& a, const OwnerCount& b) { return a.key < b.key; });
    return result;
}

} // namespace portscope::platform::linuxsys

namespace portscope::platform {

std::optional<std::vector<std::uint64_t>> socketsOfProcess(std::int32_t pid) {
    if (pid <= 0) {
        return std::nullopt;
    }
    const std::string directory = "/proc/" + std::to_string(pid) + "/fd";
    DIR* listing = ::opendir(directory.c_str());
    if (listing == nullptr) {
        return std::nullopt;
    }
    std::vector<std::uint64_t> sockets;
    char target[64];
    // Bounded by the process's descriptor table, which the kernel bounds.
    while (const dirent* entry = ::readdir(listing)) {
        const ssize_t length = ::readlinkat(::dirfd(listing), entry->d_name, target, sizeof target);
        if (length > 0) {
            if (const auto inode =
                    linuxsys::parseSocketLink(target, static_cast<std::size_t>(length));
                inode != 0) {
                sockets.push_back(inode);
            }
        }
    }
    ::closedir(listing);
    std::sort(sockets.begin(), sockets.end());
    return sockets;
}

} // namespace portscope::platform
