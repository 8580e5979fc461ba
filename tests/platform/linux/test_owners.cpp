#include "linux/owners.h"
#include "portscope/platform/system.h"
#include "proc_test_support.h"

#include <algorithm>
#include <arpa/inet.h>
#include <chrono>
#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <netinet/in.h>
#include <random>
#include <sys/socket.h>
#include <unistd.h>
#include <unordered_map>

namespace {

using namespace portscope::platform::linuxsys;
using portscope::core::IpAddress;
using portscope::core::OwnerStatus;
using portscope::core::ProcessKey;
using portscope::core::Protocol;
using portscope::core::Socket;
using portscope::core::SocketState;
namespace fs = std::filesystem;
using std::chrono::hours;

constexpr auto kNeverByTime = hours(24);

class Fd {
public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    ~Fd() { reset(); }
    Fd(Fd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    Fd& operator=(Fd&& other) noexcept {
        if (this != &other) {
            reset();
            fd_ = other.fd_;
            other.fd_ = -1;
        }
        return *this;
    }
    int get() const { return fd_; }
    void reset() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = -1;
    }

private:
    int fd_;
};

std::uint16_t localPort(int fd) {
    sockaddr_in address{};
    socklen_t length = sizeof(address);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    return ntohs(address.sin_port);
}

Fd listenOn(std::uint32_t hostOrderAddress) {
    Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(hostOrderAddress);
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        ::listen(fd.get(), 16) != 0) {
        return Fd();
    }
    return fd;
}

Fd connectTo(std::uint16_t port) {
    Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
        return Fd();
    }
    return fd;
}

Socket tcpSocket(SocketState state, std::uint64_t inode, std::uint16_t port,
                 IpAddress address = IpAddress::v4(127, 0, 0, 1)) {
    Socket socket;
    socket.protocol = Protocol::Tcp;
    socket.state = state;
    socket.local.address = address;
    socket.local.port = port;
    socket.inode = inode;
    socket.uid = static_cast<std::uint32_t>(::geteuid());
    return socket;
}

ProcessKey keyOf(pid_t pid) {
    return ProcessKey{pid, proctest::startTimeOf(pid).value_or(0)};
}

// What a socket whose owner cannot be found must report under the resolver's documented rule.
OwnerStatus expectedMissing(const OwnerResolver& resolver, std::uint32_t uid) {
    const bool hidden = resolver.unreadableProcessCount() != 0 &&
                        (uid != ::geteuid() || resolver.isUidUnreadable(uid));
    return hidden ? OwnerStatus::PermissionDenied : OwnerStatus::NotFound;
}

// A forked child holding a loopback listener and a connection to it; it reports the inodes
// and the port, then waits until it is killed.
class SocketHoldingChild {
public:
    SocketHoldingChild() {
        int report[2];
        if (::pipe(report) != 0) {
            return;
        }
        pid_ = ::fork();
        if (pid_ == 0) {
            ::close(report[0]);
            Fd listener = listenOn(INADDR_LOOPBACK);
            Fd client = connectTo(localPort(listener.get()));
            const std::uint64_t values[3] = {proctest::inodeOf(listener.get()),
                                             proctest::inodeOf(client.get()),
                                             localPort(listener.get())};
            if (::write(report[1], values, sizeof(values)) != sizeof(values)) {
                ::_exit(1);
            }
            for (;;) {
                ::pause();
            }
        }
        ::close(report[1]);
        std::uint64_t values[3] = {};
        if (pid_ > 0 && ::read(report[0], values, sizeof(values)) == sizeof(values)) {
            listenerInode = values[0];
            clientInode = values[1];
            port = static_cast<std::uint16_t>(values[2]);
        }
        ::close(report[0]);
    }
    ~SocketHoldingChild() { stop(); }
    SocketHoldingChild(const SocketHoldingChild&) = delete;
    SocketHoldingChild& operator=(const SocketHoldingChild&) = delete;

    bool ready() const { return pid_ > 0 && listenerInode != 0 && clientInode != 0; }
    pid_t pid() const { return pid_; }
    void stop() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
            pid_ = -1;
        }
    }

    std::uint64_t listenerInode = 0;
    std::uint64_t clientInode = 0;
    std::uint16_t port = 0;

private:
    pid_t pid_ = -1;
};

const OwnerCount* findOwner(const std::vector<OwnerCount>& owners, pid_t pid) {
    for (const OwnerCount& owner : owners) {
        if (owner.key.pid == pid) {
            return &owner;
        }
    }
    return nullptr;
}

// ---- InodeTable ---------------------------------------------------------------------------

TEST(InodeTable, MatchesAReferenceMapUnderRandomOperations) {
    InodeTable table;
    std::unordered_map<std::uint64_t, std::uint64_t> reference;
    std::mt19937_64 random(7);
    for (int step = 0; step < 200000; ++step) {
        // A small key range forces collisions, long probe chains and erasures inside them.
        const std::uint64_t inode = 1 + random() % 3000;
        const std::uint64_t value = random();
        switch (random() % 3) {
        case 0:
            EXPECT_EQ(table.insertOrAssign(inode, value), reference.count(inode) == 0);
            reference[inode] = value;
            break;
        case 1:
            EXPECT_EQ(table.erase(inode), reference.erase(inode) == 1);
            break;
        default: {
            const std::uint64_t* found = table.find(inode);
            const auto expected = reference.find(inode);
            ASSERT_EQ(found != nullptr, expected != reference.end()) << "inode " << inode;
            if (found != nullptr) {
                EXPECT_EQ(*found, expected->second);
            }
        }
        }
        ASSERT_EQ(table.size(), reference.size());
    }
    for (const auto& [inode, value] : reference) {
        ASSERT_NE(table.find(inode), nullptr);
        EXPECT_EQ(*table.find(inode), value);
    }
}

TEST(InodeTable, ZeroIsNeverAKeyAndResetEmpties) {
    InodeTable table;
    EXPECT_FALSE(table.insertOrAssign(0, 5));
    EXPECT_EQ(table.find(0), nullptr);
    EXPECT_TRUE(table.empty());
    for (std::uint64_t inode = 1; inode <= 1000; ++inode) {
        table.insertOrAssign(inode * 4096, static_cast<std::uint32_t>(inode));
    }
    EXPECT_EQ(table.size(), 1000u);
    table.reset(10);
    EXPECT_TRUE(table.empty());
    EXPECT_EQ(table.find(4096), nullptr);
    table.insertOrAssign(4096, 1);
    table.clear();
    EXPECT_EQ(table.find(4096), nullptr);
}

// ---- OwnerResolver on real sockets --------------------------------------------------------

TEST(OwnerResolverTest, FindsOwnersInThisProcessAndAChild) {
    SocketHoldingChild child;
    ASSERT_TRUE(child.ready());
    Fd listener = listenOn(INADDR_LOOPBACK);
    ASSERT_GE(listener.get(), 0);
    Fd client = connectTo(localPort(listener.get()));
    ASSERT_GE(client.get(), 0);
    Fd accepted(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    ASSERT_GE(accepted.get(), 0);

    std::vector<Socket> sockets = {
        tcpSocket(SocketState::Listen, proctest::inodeOf(listener.get()),
                  localPort(listener.get())),
        tcpSocket(SocketState::Established, proctest::inodeOf(client.get()),
                  localPort(client.get())),
        tcpSocket(SocketState::Established, proctest::inodeOf(accepted.get()),
                  localPort(accepted.get())),
        tcpSocket(SocketState::Listen, child.listenerInode, child.port),
        tcpSocket(SocketState::Established, child.clientInode, 40000),
    };
    const ProcessKey self = keyOf(::getpid());
    const ProcessKey childKey = keyOf(child.pid());

    OwnerResolver resolver(kNeverByTime);
    const auto owners = resolver.resolve(sockets);
    for (std::size_t i = 0; i < sockets.size(); ++i) {
        EXPECT_EQ(sockets[i].ownerStatus, OwnerStatus::Known) << "socket " << i;
        EXPECT_EQ(sockets[i].owner, i < 3 ? self : childKey) << "socket " << i;
    }
    ASSERT_EQ(owners.size(), 2u);
    ASSERT_NE(findOwner(owners, ::getpid()), nullptr);
    EXPECT_EQ(findOwner(owners, ::getpid())->sockets, 3u);
    EXPECT_EQ(findOwner(owners, ::getpid())->key, self);
    ASSERT_NE(findOwner(owners, child.pid()), nullptr);
    EXPECT_EQ(findOwner(owners, child.pid())->sockets, 2u);
    EXPECT_TRUE(std::is_sorted(owners.begin(), owners.end(),
                               [](const auto& a, const auto& b) { return a.key < b.key; }));
    EXPECT_EQ(resolver.stats().walks, 1u);
    EXPECT_TRUE(resolver.stats().lastFull);
    EXPECT_EQ(resolver.cachedInodeCount(), 5u);
    EXPECT_EQ(resolver.cachedOwnerOf(child.listenerInode), childKey);
}

TEST(OwnerResolverTest, KnownInodesNeedNoWalkAndNewOnesAreLookedForInLikelyProcessesFirst) {
    SocketHoldingChild child;
    ASSERT_TRUE(child.ready());
    Fd listener = listenOn(INADDR_LOOPBACK);
    std::vector<Socket> sockets = {
        tcpSocket(SocketState::Listen, proctest::inodeOf(listener.get()),
                  localPort(listener.get())),
        tcpSocket(SocketState::Listen, child.listenerInode, child.port),
    };
    OwnerResolver resolver(kNeverByTime);
    resolver.resolve(sockets);
    const OwnerResolverStats afterFirst = resolver.stats();
    ASSERT_EQ(afterFirst.walks, 1u);

    // Nothing new: the cache answers, no fd is read.
    for (Socket& socket : sockets) {
        socket.owner = {};
        socket.ownerStatus = OwnerStatus::NotResolved;
    }
    resolver.resolve(sockets);
    EXPECT_EQ(resolver.stats().walks, afterFirst.walks);
    EXPECT_EQ(resolver.stats().fdsRead, afterFirst.fdsRead);
    EXPECT_FALSE(resolver.stats().lastWalked);
    EXPECT_EQ(resolver.stats().lastFdsRead, 0u);
    EXPECT_EQ(sockets[0].owner, keyOf(::getpid()));
    EXPECT_EQ(sockets[0].ownerStatus, OwnerStatus::Known);
    EXPECT_EQ(sockets[1].owner, keyOf(child.pid()));

    // A new socket of a process that owned sockets before: an incremental walk that stops
    // once it is found, without visiting unrelated processes.
    Fd second = listenOn(INADDR_LOOPBACK);
    sockets.push_back(
        tcpSocket(SocketState::Listen, proctest::inodeOf(second.get()), localPort(second.get())));
    resolver.resolve(sockets);
    EXPECT_TRUE(resolver.stats().lastWalked);
    EXPECT_FALSE(resolver.stats().lastFull);
    EXPECT_EQ(resolver.stats().lastUnknownInodes, 1u);
    EXPECT_LE(resolver.stats().lastProcessesScanned, 2u);
    EXPECT_EQ(sockets[2].owner, keyOf(::getpid()));
    EXPECT_EQ(sockets[2].ownerStatus, OwnerStatus::Known);
}

TEST(OwnerResolverTest, OwnerThatExitsIsDroppedFromTheCache) {
    SocketHoldingChild child;
    ASSERT_TRUE(child.ready());
    std::vector<Socket> sockets = {tcpSocket(SocketState::Listen, child.listenerInode, child.port)};
    OwnerResolver resolver(kNeverByTime);
    resolver.resolve(sockets);
    ASSERT_EQ(sockets[0].ownerStatus, OwnerStatus::Known);
    ASSERT_EQ(resolver.cachedOwnerOf(child.listenerInode), keyOf(child.pid()));

    child.stop(); // killed and reaped: its sockets are gone
    const auto owners = resolver.resolve(sockets);
    EXPECT_TRUE(owners.empty());
    EXPECT_FALSE(resolver.cachedOwnerOf(child.listenerInode));
    EXPECT_EQ(resolver.cachedInodeCount(), 0u);
    EXPECT_EQ(sockets[0].owner, ProcessKey{});
    EXPECT_EQ(sockets[0].ownerStatus, expectedMissing(resolver, sockets[0].uid));
    EXPECT_TRUE(resolver.stats().lastWalked);
}

TEST(OwnerResolverTest, InodeNobodyOwnsIsSearchedOnceUntilTheNextFullRescan) {
    std::uint64_t closedInode = 0;
    {
        Fd gone = listenOn(INADDR_LOOPBACK);
        closedInode = proctest::inodeOf(gone.get());
    }
    Fd listener = listenOn(INADDR_LOOPBACK);
    std::vector<Socket> sockets = {
        tcpSocket(SocketState::Listen, proctest::inodeOf(listener.get()),
                  localPort(listener.get())),
        tcpSocket(SocketState::Established, closedInode, 1234),
    };
    OwnerResolver resolver(kNeverByTime);
    resolver.resolve(sockets);
    EXPECT_EQ(sockets[0].ownerStatus, OwnerStatus::Known);
    EXPECT_EQ(sockets[1].owner, ProcessKey{});
    EXPECT_EQ(sockets[1].ownerStatus, expectedMissing(resolver, sockets[1].uid));
    if (sockets[1].ownerStatus == OwnerStatus::PermissionDenied) {
        EXPECT_EQ(resolver.hiddenByPermissions(), 1u);
        const std::string warning = resolver.hiddenOwnersWarning().english();
        EXPECT_EQ(warning.rfind("The owner of 1 socket is hidden: ", 0), 0u) << warning;
    } else {
        EXPECT_EQ(resolver.hiddenByPermissions(), 0u);
        EXPECT_TRUE(resolver.hiddenOwnersWarning().empty());
    }
    const auto walks = resolver.stats().walks;

    resolver.resolve(sockets);
    EXPECT_EQ(resolver.stats().walks, walks) << "a known miss must not trigger another walk";
    EXPECT_EQ(sockets[1].ownerStatus, expectedMissing(resolver, sockets[1].uid));

    resolver.requestFullRescan();
    resolver.resolve(sockets);
    EXPECT_EQ(resolver.stats().walks, walks + 1);
    EXPECT_EQ(resolver.stats().fullRescans, 2u);
    EXPECT_TRUE(resolver.stats().lastFull);
    EXPECT_EQ(sockets[0].ownerStatus, OwnerStatus::Known);
}

TEST(OwnerResolverTest, FullRescanRebuildsTheCacheAndDropsStaleEntries) {
    Fd kept = listenOn(INADDR_LOOPBACK);
    Fd closedLater = listenOn(INADDR_LOOPBACK);
    const std::uint64_t closedInode = proctest::inodeOf(closedLater.get());
    std::vector<Socket> sockets = {
        tcpSocket(SocketState::Listen, proctest::inodeOf(kept.get()), localPort(kept.get())),
        tcpSocket(SocketState::Listen, closedInode, 1),
    };
    // Zero: every resolve() is a full rescan.
    OwnerResolver resolver(std::chrono::seconds(0));
    resolver.resolve(sockets);
    ASSERT_EQ(resolver.cachedInodeCount(), 2u);
    closedLater.reset();
    resolver.resolve(sockets);
    EXPECT_EQ(resolver.stats().fullRescans, 2u);
    EXPECT_EQ(resolver.cachedInodeCount(), 1u);
    EXPECT_FALSE(resolver.cachedOwnerOf(closedInode));
    EXPECT_EQ(sockets[0].ownerStatus, OwnerStatus::Known);
    EXPECT_NE(sockets[1].ownerStatus, OwnerStatus::Known);
}

TEST(OwnerResolverTest, TimeWaitAndRequestSockets) {
    SocketHoldingChild child;
    ASSERT_TRUE(child.ready());
    Fd loopbackListener = listenOn(INADDR_LOOPBACK);
    const std::uint16_t port = localPort(loopbackListener.get());
    const std::uint64_t netnsElsewhere = 4026599999;

    std::vector<Socket> sockets = {
        tcpSocket(SocketState::Listen, proctest::inodeOf(loopbackListener.get()), port),
        // The child's listener is presented as a wildcard listener on the same port.
        tcpSocket(SocketState::Listen, child.listenerInode, port,
                  IpAddress::anyOf(portscope::core::Family::V4)),
        tcpSocket(SocketState::TimeWait, 0, port),
        tcpSocket(SocketState::SynRecv, 0, port),                                 // exact address
        tcpSocket(SocketState::NewSynRecv, 0, port, IpAddress::v4(127, 0, 0, 9)), // wildcard
        tcpSocket(SocketState::NewSynRecv, 0, static_cast<std::uint16_t>(port + 1)), // no listener
        tcpSocket(SocketState::SynRecv, 0, port), // other namespace
    };
    sockets[6].netns = netnsElsewhere;

    OwnerResolver resolver(kNeverByTime);
    const auto owners = resolver.resolve(sockets);
    const ProcessKey self = keyOf(::getpid());
    const ProcessKey childKey = keyOf(child.pid());

    EXPECT_EQ(sockets[2].ownerStatus, OwnerStatus::NoInode);
    EXPECT_EQ(sockets[2].owner, ProcessKey{});
    EXPECT_EQ(sockets[3].ownerStatus, OwnerStatus::Listener);
    EXPECT_EQ(sockets[3].owner, self);
    EXPECT_EQ(sockets[4].ownerStatus, OwnerStatus::Listener);
    EXPECT_EQ(sockets[4].owner, childKey);
    EXPECT_EQ(sockets[5].ownerStatus, OwnerStatus::NoInode);
    EXPECT_EQ(sockets[6].ownerStatus, OwnerStatus::NoInode);
    EXPECT_EQ(sockets[6].owner, ProcessKey{});
    ASSERT_NE(findOwner(owners, ::getpid()), nullptr);
    EXPECT_EQ(findOwner(owners, ::getpid())->sockets, 2u); // the listener and its request
    ASSERT_NE(findOwner(owners, child.pid()), nullptr);
    EXPECT_EQ(findOwner(owners, child.pid())->sockets, 2u);
}

TEST(OwnerResolverTest, DualStackListenerTakesIPv4Requests) {
    Fd listener(::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in6 address{};
    address.sin6_family = AF_INET6;
    address.sin6_addr = in6addr_loopback;
    ASSERT_EQ(::bind(listener.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    ASSERT_EQ(::listen(listener.get(), 4), 0);
    sockaddr_in6 bound{};
    socklen_t length = sizeof(bound);
    ::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&bound), &length);
    const std::uint16_t port = ntohs(bound.sin6_port);

    // Bound to ::1 to stay on loopback, but described as "::": matching is what is tested.
    std::vector<Socket> sockets = {
        tcpSocket(SocketState::Listen, proctest::inodeOf(listener.get()), port,
                  IpAddress::anyOf(portscope::core::Family::V6)),
        tcpSocket(SocketState::NewSynRecv, 0, port, IpAddress::v4(127, 0, 0, 1)),
        tcpSocket(SocketState::NewSynRecv, 0, port, *IpAddress::parse("::ffff:127.0.0.1")),
        tcpSocket(SocketState::NewSynRecv, 0, port, *IpAddress::parse("::1")),
    };
    OwnerResolver resolver(kNeverByTime);
    resolver.resolve(sockets);
    for (std::size_t i = 1; i < sockets.size(); ++i) {
        EXPECT_EQ(sockets[i].ownerStatus, OwnerStatus::Listener) << "request " << i;
        EXPECT_EQ(sockets[i].owner, keyOf(::getpid())) << "request " << i;
    }
}

TEST(OwnerResolverTest, HundredsOfSocketsOfOneProcess) {
    std::vector<Fd> fds;
    std::vector<Socket> sockets;
    constexpr int kPairs = 400; // stays below the usual limit of 1024 open files
    for (int i = 0; i < kPairs; ++i) {
        int pair[2];
        ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), 0);
        for (const int fd : pair) {
            fds.emplace_back(fd);
            sockets.push_back(tcpSocket(SocketState::Established, proctest::inodeOf(fd), 1));
        }
    }
    OwnerResolver resolver(kNeverByTime);
    const auto owners = resolver.resolve(sockets);
    ASSERT_EQ(owners.size(), 1u);
    EXPECT_EQ(owners[0].key, keyOf(::getpid()));
    EXPECT_EQ(owners[0].sockets, 2u * kPairs);
    EXPECT_TRUE(std::all_of(sockets.begin(), sockets.end(),
                            [](const Socket& s) { return s.ownerStatus == OwnerStatus::Known; }));
    EXPECT_EQ(resolver.cachedInodeCount(), 2u * kPairs);

    // Half of them close; the rest keep their owner without a walk.
    fds.resize(kPairs);
    sockets.resize(kPairs);
    resolver.resolve(sockets);
    EXPECT_FALSE(resolver.stats().lastWalked);
    EXPECT_TRUE(std::all_of(sockets.begin(), sockets.end(),
                            [](const Socket& s) { return s.ownerStatus == OwnerStatus::Known; }));
}

TEST(OwnerResolverTest, UnprivilegedUserCannotSeeRootsOwners) {
    if (::geteuid() != 0) {
        GTEST_SKIP() << "needs root, to hold a socket that nobody cannot inspect";
    }
    Fd rootListener = listenOn(INADDR_LOOPBACK);
    ASSERT_GE(rootListener.get(), 0);
    const Socket rootSocket = tcpSocket(SocketState::Listen, proctest::inodeOf(rootListener.get()),
                                        localPort(rootListener.get()));

    const int rootFd = rootListener.get();
    const auto report = proctest::runAsNobody([rootSocket, rootFd] {
        ::close(rootFd); // inherited through fork: nobody must not own it too
        Fd own = listenOn(INADDR_LOOPBACK);
        std::vector<Socket> sockets = {
            rootSocket,
            tcpSocket(SocketState::Listen, proctest::inodeOf(own.get()), localPort(own.get())),
        };
        sockets[1].uid = proctest::kNobody;
        OwnerResolver resolver(kNeverByTime);
        resolver.resolve(sockets);
        return std::to_string(static_cast<int>(sockets[0].ownerStatus)) + " " +
               std::to_string(sockets[0].owner.pid) + " " +
               std::to_string(static_cast<int>(sockets[1].ownerStatus)) + " " +
               std::to_string(sockets[1].owner.pid) + " " +
               std::to_string(resolver.hiddenByPermissions()) + "\n" +
               resolver.hiddenOwnersWarning().english();
    });
    if (!report) {
        GTEST_SKIP() << "cannot switch to user nobody here";
    }
    std::istringstream in(*report);
    int rootStatus = -1, rootOwner = -1, ownStatus = -1, ownOwner = -1;
    std::size_t hidden = 0;
    in >> rootStatus >> rootOwner >> ownStatus >> ownOwner >> hidden;
    std::string warning;
    std::getline(in >> std::ws, warning);
    EXPECT_EQ(rootStatus, static_cast<int>(OwnerStatus::PermissionDenied)) << *report;
    EXPECT_EQ(rootOwner, 0);
    EXPECT_EQ(ownStatus, static_cast<int>(OwnerStatus::Known)) << *report;
    EXPECT_GT(ownOwner, 0);
    EXPECT_NE(ownOwner, ::getpid());
    EXPECT_EQ(hidden, 1u);
    EXPECT_EQ(warning, "The owner of 1 socket is hidden: reading other users' /proc/PID/fd "
                       "needs root (CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE).");
}

// ---- OwnerResolver over a prepared directory tree -----------------------------------------

class FakeProcOwners : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_FALSE(root_.path().empty()); }

    void addProcess(int pid, std::uint64_t startTime, const std::map<int, std::string>& fds) {
        const std::string directory = root_.path() + "/" + std::to_string(pid);
        fs::remove_all(directory);
        fs::create_directories(directory + "/fd");
        proctest::writeFile(directory + "/stat",
                            std::to_string(pid) +
                                " (fake) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 " +
                                std::to_string(startTime) + " 100 5\n");
        for (const auto& [fd, target] : fds) {
            fs::create_symlink(target, directory + "/fd/" + std::to_string(fd));
        }
    }
    void removeProcess(int pid) { fs::remove_all(root_.path() + "/" + std::to_string(pid)); }

    static Socket socketWithInode(std::uint64_t inode) {
        return tcpSocket(SocketState::Established, inode, 80);
    }

    proctest::TempDir root_;
};

TEST_F(FakeProcOwners, ResolvesFromLinkTargetsAndIgnoresOtherFiles) {
    addProcess(100, 5,
               {{0, "/dev/null"},
                {3, "socket:[9001]"},
                {4, "pipe:[9002]"},
                {5, "socket:[9003"},
                {6, "socket:[x]"}});
    addProcess(200, 7, {{7, "socket:[9004]"}, {8, "anon_inode:[eventfd]"}});
    proctest::writeFile(root_.path() + "/not-a-pid", "");

    std::vector<Socket> sockets = {socketWithInode(9001), socketWithInode(9002),
                                   socketWithInode(9003), socketWithInode(9004)};
    OwnerResolver resolver(kNeverByTime, root_.path());
    const auto owners = resolver.resolve(sockets);
    EXPECT_EQ(sockets[0].owner, (ProcessKey{100, 5}));
    EXPECT_EQ(sockets[0].ownerStatus, OwnerStatus::Known);
    EXPECT_EQ(sockets[1].ownerStatus, OwnerStatus::NotFound); // a pipe, not a socket
    EXPECT_EQ(sockets[2].ownerStatus, OwnerStatus::NotFound); // malformed link
    EXPECT_EQ(sockets[3].owner, (ProcessKey{200, 7}));
    ASSERT_EQ(owners.size(), 2u);
    EXPECT_EQ(owners[0].key, (ProcessKey{100, 5}));
    EXPECT_EQ(owners[1].key, (ProcessKey{200, 7}));
    EXPECT_EQ(resolver.stats().lastFdsRead, 7u);
    EXPECT_EQ(resolver.hiddenByPermissions(), 0u);
    EXPECT_TRUE(resolver.hiddenOwnersWarning().empty());
}

TEST_F(FakeProcOwners, WalkStopsAsSoonAsEveryInodeIsFound) {
    for (int pid = 10; pid < 60; ++pid) {
        addProcess(pid, 1, {{3, "socket:[" + std::to_string(pid * 100) + "]"}});
    }
    std::vector<Socket> sockets = {socketWithInode(1000), socketWithInode(1100)}; // pids 10, 11
    OwnerResolver resolver(kNeverByTime, root_.path());
    resolver.resolve(sockets);
    EXPECT_EQ(sockets[1].owner.pid, 11);
    EXPECT_EQ(resolver.stats().lastProcessesScanned, 2u);

    // pid 59's socket is new: the previous owners are tried first, then everybody else.
    sockets.push_back(socketWithInode(5900));
    resolver.resolve(sockets);
    EXPECT_FALSE(resolver.stats().lastFull);
    EXPECT_EQ(sockets[2].owner.pid, 59);
    EXPECT_EQ(resolver.stats().lastProcessesScanned, 50u);

    // pid 10 opened another socket: found in the first process tried.
    addProcess(10, 1, {{3, "socket:[1000]"}, {4, "socket:[424242]"}});
    sockets.push_back(socketWithInode(424242));
    resolver.resolve(sockets);
    EXPECT_EQ(sockets[3].owner.pid, 10);
    EXPECT_EQ(resolver.stats().lastProcessesScanned, 1u);
}

TEST_F(FakeProcOwners, AHolderSourceAnswersFullWalksAsTheProcWalkWould) {
    // /proc as the source lists it, so that the start times agree and owners stay alive.
    addProcess(100, 5, {{3, "socket:[9001]"}, {4, "socket:[9002]"}});
    addProcess(200, 7, {{3, "socket:[9001]"}, {5, "socket:[9003]"}});
    int listings = 0;
    std::vector<SocketHolder> listed = {{9003, 200, 5, 7},
                                        {9001, 200, 3, 7},
                                        {9002, 100, 4, 5},
                                        {9001, 100, 3, 5},
                                        {7777, 100, 9, 5}};
    OwnerResolver resolver(kNeverByTime, root_.path());
    resolver.setSocketHolderSource([&](std::vector<SocketHolder>& holders) {
        ++listings;
        holders = listed;
        return true;
    });
    std::vector<Socket> sockets = {socketWithInode(9001), socketWithInode(9002),
                                   socketWithInode(9003)};
    resolver.resolve(sockets);
    EXPECT_EQ(listings, 1);
    EXPECT_EQ(resolver.stats().lastProcessesScanned, 0u) << "no /proc walk";
    EXPECT_EQ(sockets[0].owner, (ProcessKey{100, 5})) << "a shared socket goes to the lowest PID";
    EXPECT_EQ(sockets[1].owner, (ProcessKey{100, 5}));
    EXPECT_EQ(sockets[2].owner, (ProcessKey{200, 7}));
    EXPECT_EQ(resolver.cachedInodeCount(), 3u) << "only the sockets asked about are cached";

    // A new socket between full rescans is looked for under /proc, not listed again.
    addProcess(200, 7, {{3, "socket:[9001]"}, {5, "socket:[9003]"}, {6, "socket:[9004]"}});
    sockets.push_back(socketWithInode(9004));
    resolver.resolve(sockets);
    EXPECT_EQ(listings, 1);
    EXPECT_EQ(sockets[3].owner, (ProcessKey{200, 7}));

    // A failed listing falls back to the /proc walk.
    resolver.setSocketHolderSource([&](std::vector<SocketHolder>&) {
        ++listings;
        return false;
    });
    resolver.requestFullRescan();
    resolver.resolve(sockets);
    EXPECT_EQ(listings, 2);
    EXPECT_TRUE(resolver.stats().lastFull);
    EXPECT_GT(resolver.stats().lastProcessesScanned, 0u);
    EXPECT_EQ(sockets[0].owner, (ProcessKey{100, 5}));
    EXPECT_EQ(sockets[3].owner, (ProcessKey{200, 7}));
    EXPECT_EQ(resolver.stats().holderListings, 1u);
}

TEST_F(FakeProcOwners, FdsHoldingKnownSocketsAreNotReadAgain) {
    std::map<int, std::string> fds;
    std::vector<Socket> sockets;
    for (int fd = 3; fd < 53; ++fd) {
        fds[fd] = "socket:[" + std::to_string(5000 + fd) + "]";
        sockets.push_back(socketWithInode(5000 + fd));
    }
    addProcess(10, 1, fds);
    OwnerResolver resolver(kNeverByTime, root_.path());
    resolver.resolve(sockets);
    ASSERT_EQ(resolver.stats().lastFdsRead, 50u);

    // One more socket: only the new fd is read.
    fds[60] = "socket:[7777]";
    addProcess(10, 1, fds);
    sockets.push_back(socketWithInode(7777));
    resolver.resolve(sockets);
    EXPECT_EQ(sockets.back().owner, (ProcessKey{10, 1}));
    EXPECT_EQ(resolver.stats().lastFdsRead, 1u);
    EXPECT_LE(resolver.stats().lastFdsSkipped, 50u); // the walk stops at the new one

    // fd 3 closed and reused by a new socket: its old socket is gone from the snapshot, so
    // fd 3 is read again.
    fds[3] = "socket:[8888]";
    addProcess(10, 1, fds);
    sockets.front() = socketWithInode(8888);
    resolver.resolve(sockets);
    EXPECT_EQ(sockets.front().owner, (ProcessKey{10, 1}));
    EXPECT_EQ(sockets.front().ownerStatus, OwnerStatus::Known);
    EXPECT_EQ(resolver.stats().lastFdsRead, 1u);
}

TEST_F(FakeProcOwners, ReusedFdOfADuplicatedSocketWaitsForTheFullRescan) {
    addProcess(10, 1, {{3, "socket:[1000]"}, {4, "socket:[1000]"}}); // fd 4 is a dup of fd 3
    std::vector<Socket> sockets = {socketWithInode(1000)};
    OwnerResolver resolver(kNeverByTime, root_.path());
    resolver.resolve(sockets);
    ASSERT_EQ(sockets[0].ownerStatus, OwnerStatus::Known);

    // fd 3 is closed and reused while the dup keeps socket 1000 alive: the cheap walk trusts
    // fd 3 and misses the new socket; the next full rescan finds it.
    addProcess(10, 1, {{3, "socket:[2000]"}, {4, "socket:[1000]"}});
    sockets.push_back(socketWithInode(2000));
    resolver.resolve(sockets);
    EXPECT_EQ(sockets[1].ownerStatus, OwnerStatus::NotFound);
    resolver.requestFullRescan();
    resolver.resolve(sockets);
    EXPECT_EQ(sockets[1].owner, (ProcessKey{10, 1}));
    EXPECT_EQ(sockets[0].owner, (ProcessKey{10, 1}));
}

TEST_F(FakeProcOwners, RecycledPidIsNotTakenForTheOldOwner) {
    addProcess(300, 50, {{3, "socket:[7000]"}});
    std::vector<Socket> sockets = {socketWithInode(7000)};
    OwnerResolver resolver(kNeverByTime, root_.path());
    resolver.resolve(sockets);
    ASSERT_EQ(sockets[0].owner, (ProcessKey{300, 50}));

    // The process exits and another one gets PID 300 and (as far as the test cares) the inode.
    addProcess(300, 90, {{3, "socket:[7000]"}});
    resolver.resolve(sockets);
    EXPECT_TRUE(resolver.stats().lastWalked);
    EXPECT_EQ(sockets[0].owner, (ProcessKey{300, 90}));
    EXPECT_EQ(resolver.cachedOwnerOf(7000), (ProcessKey{300, 90}));

    removeProcess(300);
    resolver.resolve(sockets);
    EXPECT_EQ(sockets[0].ownerStatus, OwnerStatus::NotFound);
    EXPECT_FALSE(resolver.cachedOwnerOf(7000));
}

TEST_F(FakeProcOwners, FullRescanHappensWhenDue) {
    addProcess(400, 1, {{3, "socket:[8000]"}});
    std::vector<Socket> sockets = {socketWithInode(8000), socketWithInode(8001)};
    // Cost factor 1: due after the interval alone, however slow a sanitizer build walks.
    OwnerResolver resolver(std::chrono::milliseconds(200), root_.path(), 1);
    resolver.resolve(sockets);
    EXPECT_EQ(sockets[1].ownerStatus, OwnerStatus::NotFound);
    // Found later by a process the incremental walks do not search again for this inode.
    addProcess(400, 1, {{3, "socket:[8000]"}, {4, "socket:[8001]"}});
    resolver.resolve(sockets);
    EXPECT_EQ(sockets[1].ownerStatus, OwnerStatus::NotFound);
    EXPECT_EQ(resolver.stats().fullRescans, 1u);

    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    resolver.resolve(sockets);
    EXPECT_EQ(resolver.stats().fullRescans, 2u);
    EXPECT_EQ(sockets[1].owner, (ProcessKey{400, 1}));
}

TEST_F(FakeProcOwners, MissingProcRootLeavesOwnersUnknown) {
    OwnerResolver resolver(kNeverByTime, root_.path() + "/does-not-exist");
    std::vector<Socket> sockets = {socketWithInode(1), tcpSocket(SocketState::TimeWait, 0, 5)};
    EXPECT_TRUE(resolver.resolve(sockets).empty());
    EXPECT_EQ(sockets[0].ownerStatus, OwnerStatus::NotFound);
    EXPECT_EQ(sockets[1].ownerStatus, OwnerStatus::NoInode);
}

// ---- ProcessDetailsCache (platform/common) with the Linux reader -------------------------

TEST(ProcessDetailsCacheTest, DefaultReaderReadsProc) {
    proctest::ChildProcess child({"/bin/sleep", "30"});
    ASSERT_TRUE(child.started());
    portscope::platform::common::ProcessDetailsCache cache;
    const auto processes =
        cache.collect({{keyOf(child.pid()), 2}, {ProcessKey{child.pid(), 1}, 1}});
    ASSERT_EQ(processes.size(), 2u);
    EXPECT_EQ(processes[0].name, "sleep");
    EXPECT_EQ(processes[0].socketCount, 2u);
    // A key whose start time does not match is a different process: no details.
    EXPECT_TRUE(processes[1].name.empty());
    EXPECT_FALSE(processes[1].detailsError.empty());
}

} // namespace

TEST(SocketsOfProcess, ListsASocketFromWhenItOpensUntilItCloses) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    const std::uint64_t inode = proctest::inodeOf(fd);
    const auto open = portscope::platform::socketsOfProcess(::getpid());
    ASSERT_TRUE(open.has_value());
    EXPECT_TRUE(std::is_sorted(open->begin(), open->end()));
    EXPECT_TRUE(std::binary_search(open->begin(), open->end(), inode));
    ::close(fd);
    const auto closed = portscope::platform::socketsOfProcess(::getpid());
    ASSERT_TRUE(closed.has_value());
    EXPECT_FALSE(std::binary_search(closed->begin(), closed->end(), inode));
    EXPECT_EQ(closed->size() + 1, open->size());
}

TEST(SocketsOfProcess, ANonexistentProcessHasNone) {
    EXPECT_FALSE(portscope::platform::socketsOfProcess(0).has_value());
    EXPECT_FALSE(portscope::platform::socketsOfProcess(-5).has_value());
    EXPECT_FALSE(portscope::platform::socketsOfProcess(0x3FFFFFFF).has_value());
}
