#include "linux/namespaces.h"
#include "linux/owners.h"
#include "proc_test_support.h"

#include <algorithm>
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <random>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace {

using namespace portscope::platform::linuxsys;

std::uint64_t ownNamespaceInode() {
    struct stat info {};
    return ::stat("/proc/self/ns/net", &info) == 0 ? info.st_ino : 0;
}

// Whether a /proc/PID/net/tcp text lists a socket with this inode (column 10).
bool procNetTcpHasInode(const std::string& text, std::uint64_t inode) {
    std::istringstream lines(text);
    std::string line;
    std::getline(lines, line); // header
    while (std::getline(lines, line)) {
        std::istringstream fields(line);
        std::string field;
        for (int column = 1; column <= 10 && (fields >> field); ++column) {
            if (column == 10 && field == std::to_string(inode)) {
                return true;
            }
        }
    }
    return false;
}

TEST(NetNamespaceTest, OwnNamespaceIsListedFirst) {
    std::string error = "stale";
    const auto namespaces = listNetNamespaces("/proc", &error);
    EXPECT_TRUE(error.empty()) << error;
    ASSERT_FALSE(namespaces.empty());
    EXPECT_TRUE(namespaces.front().isOwn);
    EXPECT_EQ(namespaces.front().inode, ownNamespaceInode());
    EXPECT_EQ(std::count_if(namespaces.begin(), namespaces.end(),
                            [](const NetNamespace& ns) { return ns.isOwn; }),
              1);
    for (std::size_t i = 0; i < namespaces.size(); ++i) {
        for (std::size_t j = i + 1; j < namespaces.size(); ++j) {
            EXPECT_NE(namespaces[i].inode, namespaces[j].inode);
        }
        if (namespaces[i].representativePid > 0) {
            // The representative really is inside that namespace.
            struct stat info {};
            const std::string path =
                "/proc/" + std::to_string(namespaces[i].representativePid) + "/ns/net";
            if (::stat(path.c_str(), &info) == 0) {
                EXPECT_EQ(info.st_ino, namespaces[i].inode);
            }
        }
    }
    std::string openError;
    const int fd = openNetNamespace(namespaces.front(), &openError);
    ASSERT_GE(fd, 0) << openError;
    ::close(fd);
}

TEST(NetNamespaceTest, UnreadableProcRootIsReported) {
    std::string error;
    const auto namespaces = listNetNamespaces("/nonexistent-proc-root", "/nonexistent", &error);
    EXPECT_TRUE(namespaces.empty());
    EXPECT_NE(error.find("cannot list /nonexistent-proc-root"), std::string::npos) << error;
}

TEST(NetNamespaceTest, OpenChecksTheInode) {
    NetNamespace wrong;
    wrong.inode = ownNamespaceInode() + 1;
    wrong.path = "/proc/self/ns/net";
    std::string error;
    EXPECT_EQ(openNetNamespace(wrong, &error), -1);
    EXPECT_NE(error.find("is gone"), std::string::npos) << error;

    NetNamespace missing;
    missing.path = "/run/netns/portscope-no-such-namespace";
    EXPECT_EQ(openNetNamespace(missing, &error), -1);
    EXPECT_NE(error.find("cannot open network namespace"), std::string::npos) << error;
}

TEST(NetNamespaceTest, WorkRunsOnAnotherThreadInTheNamespace) {
    const int fd = ::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    std::thread::id workerId;
    std::uint64_t seenInode = 0;
    std::string error;
    const bool ran = runInNetNamespace(
        fd,
        [&] {
            workerId = std::this_thread::get_id();
            struct stat info {};
            if (::stat("/proc/thread-self/ns/net", &info) == 0) {
                seenInode = info.st_ino;
            }
        },
        &error);
    ::close(fd);
    if (!ran && error.find("Operation not permitted") != std::string::npos) {
        GTEST_SKIP() << "needs CAP_SYS_ADMIN: " << error;
    }
    ASSERT_TRUE(ran) << error;
    EXPECT_NE(workerId, std::thread::id());
    EXPECT_NE(workerId, std::this_thread::get_id());
    EXPECT_EQ(seenInode, ownNamespaceInode());
}

TEST(NetNamespaceTest, NotANamespaceFd) {
    const int fd = ::open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    bool ran = false;
    std::string error;
    EXPECT_FALSE(runInNetNamespace(
        fd, [&] { ran = true; }, &error));
    ::close(fd);
    EXPECT_FALSE(ran);
    EXPECT_EQ(error.rfind("cannot enter network namespace ", 0), 0u) << error;
    EXPECT_NE(error.find("Invalid argument"), std::string::npos) << error;
}

TEST(NetNamespaceTest, ExceptionFromWorkReachesTheCaller) {
    const int fd = ::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    std::string error;
    bool threw = false;
    try {
        runInNetNamespace(
            fd, [] { throw std::runtime_error("socket failed"); }, &error);
    } catch (const std::runtime_error& failure) {
        threw = std::string(failure.what()) == "socket failed";
    }
    ::close(fd);
    if (!threw && error.find("Operation not permitted") != std::string::npos) {
        GTEST_SKIP() << "needs CAP_SYS_ADMIN: " << error;
    }
    EXPECT_TRUE(threw) << error;
}

TEST(NetNamespaceTest, UnprivilegedUserCannotEnter) {
    if (::geteuid() != 0) {
        GTEST_SKIP() << "runs as nobody from root";
    }
    const auto report = proctest::runAsNobody([] {
        const int fd = ::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        std::string error;
        bool ran = false;
        const bool entered = runInNetNamespace(
            fd, [&] { ran = true; }, &error);
        return std::string(entered ? "entered" : "refused") + (ran ? " ran" : " idle") + "\n" +
               error;
    });
    if (!report) {
        GTEST_SKIP() << "cannot switch to user nobody here";
    }
    EXPECT_EQ(*report, "refused idle\ncannot enter network namespace " +
                           std::to_string(ownNamespaceInode()) + ": Operation not permitted");
}

// A namespace made with `ip netns add`, deleted when the test ends whatever happens.
class NamedNamespace {
public:
    NamedNamespace() {
        std::random_device seed;
        name_ =
            "portscope-test-" + std::to_string(::getpid()) + "-" + std::to_string(seed() % 100000);
        created_ = proctest::runCommand({"ip", "netns", "add", name_}) == 0;
    }
    ~NamedNamespace() {
        if (created_) {
            proctest::runCommand({"ip", "netns", "delete", name_});
        }
    }
    NamedNamespace(const NamedNamespace&) = delete;
    NamedNamespace& operator=(const NamedNamespace&) = delete;
    bool created() const { return created_; }
    const std::string& name() const { return name_; }

private:
    std::string name_;
    bool created_ = false;
};

TEST(NetNamespaceTest, SocketInANamedNamespace) {
    if (::geteuid() != 0) {
        GTEST_SKIP() << "ip netns needs root";
    }
    NamedNamespace named;
    if (!named.created()) {
        GTEST_SKIP() << "ip netns add does not work here";
    }
    ASSERT_EQ(proctest::runCommand({"ip", "-n", named.name(), "link", "set", "lo", "up"}), 0);

    const std::string path = "/run/netns/" + named.name();
    const int nsFd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(nsFd, 0);
    struct stat nsInfo {};
    ASSERT_EQ(::fstat(nsFd, &nsInfo), 0);
    const std::uint64_t nsInode = nsInfo.st_ino;
    ASSERT_NE(nsInode, ownNamespaceInode());

    int listener = -1;
    std::string error;
    const bool entered = runInNetNamespace(
        nsFd,
        [&] {
            listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            sockaddr_in address{};
            address.sin_family = AF_INET;
            address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
                ::listen(listener, 4) != 0) {
                ::close(listener);
                listener = -1;
            }
        },
        &error);
    ::close(nsFd);
    ASSERT_TRUE(entered) << error;
    ASSERT_GE(listener, 0);
    const std::uint64_t socketInode = proctest::inodeOf(listener);

    // Invisible from here, visible to a process inside the namespace.
    EXPECT_FALSE(procNetTcpHasInode(proctest::readFile("/proc/net/tcp"), socketInode));
    proctest::ChildProcess inside({"ip", "netns", "exec", named.name(), "/bin/sleep", "30"});
    ASSERT_TRUE(inside.started()) << inside.spawnError();
    ASSERT_TRUE(proctest::waitUntil([&] {
        struct stat info {};
        const std::string link = "/proc/" + std::to_string(inside.pid()) + "/ns/net";
        return proctest::commOf(inside.pid()) == "sleep" && ::stat(link.c_str(), &info) == 0 &&
               info.st_ino == nsInode;
    }));
    EXPECT_TRUE(procNetTcpHasInode(
        proctest::readFile("/proc/" + std::to_string(inside.pid()) + "/net/tcp"), socketInode));

    // Listed with its name and its one process.
    const auto namespaces = listNetNamespaces();
    const auto found = std::find_if(namespaces.begin(), namespaces.end(),
                                    [&](const NetNamespace& ns) { return ns.inode == nsInode; });
    ASSERT_NE(found, namespaces.end());
    EXPECT_EQ(found->name, named.name());
    EXPECT_EQ(found->path, path);
    EXPECT_EQ(found->representativePid, inside.pid());
    EXPECT_FALSE(found->isOwn);

    // Socket inodes are unique across namespaces: its owner is found like any other.
    std::vector<portscope::core::Socket> sockets(1);
    sockets[0].inode = socketInode;
    sockets[0].state = portscope::core::SocketState::Listen;
    sockets[0].netns = nsInode;
    OwnerResolver resolver;
    resolver.resolve(sockets);
    EXPECT_EQ(sockets[0].owner.pid, ::getpid());
    ::close(listener);
}

} // namespace
