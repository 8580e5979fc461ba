// The real portscope-helper, started as root as pkexec would: after Hello it holds only the
// capabilities it uses, in every thread, with no_new_privs set; and with only those it still
// reads another user's process in another network namespace and stops it.

#include "helper_test_support.h"
#include "portscope/platform/system.h"

#include <arpa/inet.h>
#include <csignal>
#include <cstdint>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <gmock/gmock.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <map>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace portscope::testing {
namespace {

namespace protocol = core::helper;

// What the helper needs, written out here rather than taken from the helper's own list, so
// that widening that list is a decision this test has to be told about.
constexpr std::uint64_t bit(int capability) {
    return std::uint64_t{1} << capability;
}
constexpr std::uint64_t kExpectedCapabilities = bit(CAP_DAC_READ_SEARCH) | bit(CAP_KILL) |
                                                bit(CAP_NET_ADMIN) | bit(CAP_SYS_PTRACE) |
                                                bit(CAP_SYS_ADMIN) | bit(CAP_NET_RAW);

// The "Name:\tvalue" lines of a /proc status file.
std::map<std::string, std::string> statusFields(const std::filesystem::path& path) {
    std::map<std::string, std::string> fields;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) {
            continue;
        }
        const auto value = line.find_first_not_of(" \t", colon + 1);
        fields[line.substr(0, colon)] = value == std::string::npos ? "" : line.substr(value);
    }
    return fields;
}

std::uint64_t hexField(const std::map<std::string, std::string>& fields, const std::string& name) {
    const auto found = fields.find(name);
    return found == fields.end() ? ~std::uint64_t{0} : std::stoull(found->second, nullptr, 16);
}

class HelperPrivileges : public ::testing::Test {
protected:
    void SetUp() override {
        if (::geteuid() != 0) {
            GTEST_SKIP() << "needs root: the helper is started as root, as pkexec starts it";
        }
    }
};

TEST_F(HelperPrivileges, AfterHelloKeepsOnlyTheCapabilitiesItUses) {
    HelperProcess helper;
    helper.greet(0); // every namespace, owners, close events: the full live source
    ASSERT_TRUE(helper.exchange(2, protocol::Poll{})) << helper.errorOutput();

    const std::filesystem::path tasks =
        std::filesystem::path("/proc") / std::to_string(helper.pid()) / "task";
    int threads = 0;
    for (const auto& task : std::filesystem::directory_iterator(tasks)) {
        SCOPED_TRACE(task.path().string());
        const auto fields = statusFields(task.path() / "status");
        EXPECT_EQ(hexField(fields, "CapEff"), kExpectedCapabilities);
        EXPECT_EQ(hexField(fields, "CapPrm"), kExpectedCapabilities);
        EXPECT_EQ(hexField(fields, "CapBnd"), kExpectedCapabilities);
        EXPECT_EQ(hexField(fields, "CapInh"), 0u);
        EXPECT_EQ(hexField(fields, "CapAmb"), 0u);
        EXPECT_EQ(fields.count("NoNewPrivs") == 1 ? fields.at("NoNewPrivs") : "", "1");
        EXPECT_EQ(fields.count("Uid") == 1 ? fields.at("Uid").substr(0, 1) : "", "0")
            << "the helper stays uid 0";
        ++threads;
    }
    EXPECT_GE(threads, 1);
}

// A process of `nobody` in a network namespace of its own, listening on a TCP port there.
class NobodyInOtherNamespace {
public:
    NobodyInOtherNamespace(uid_t uid, gid_t gid) {
        int report[2];
        int hold[2];
        if (::pipe2(report, O_CLOEXEC) != 0 || ::pipe2(hold, O_CLOEXEC) != 0) {
            throw std::runtime_error("pipe2 failed");
        }
        pid_ = ::fork();
        if (pid_ < 0) {
            throw std::runtime_error("fork failed");
        }
        if (pid_ == 0) {
            ::close(report[0]);
            ::close(hold[1]);
            run(report[1], hold[0], uid, gid);
        }
        ::close(report[1]);
        ::close(hold[0]);
        hold_ = hold[1];
        pollfd ready{report[0], POLLIN, 0};
        std::uint16_t port = 0;
        if (::poll(&ready, 1, 10000) == 1 && ::read(report[0], &port, sizeof port) == sizeof port) {
            port_ = port;
        }
        ::close(report[0]);
    }
    ~NobodyInOtherNamespace() {
        ::close(hold_);
        if (pid_ > 0) { // never kill(-1): that would signal every process
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    NobodyInOtherNamespace(const NobodyInOtherNamespace&) = delete;
    NobodyInOtherNamespace& operator=(const NobodyInOtherNamespace&) = delete;

    pid_t pid() const { return pid_; }
    std::uint16_t port() const { return port_; } // 0: it could not be set up
    // Waits for it to end; its exit signal, or 0.
    int waitForSignal() {
        int status = 0;
        if (::waitpid(pid_, &status, 0) != pid_) {
            return 0;
        }
        pid_ = -1;
        return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    }

private:
    // Only async-signal-safe calls: the test process may have threads.
    [[noreturn]] static void run(int report, int hold, uid_t uid, gid_t gid) {
        if (::unshare(CLONE_NEWNET) != 0) {
            ::_exit(1);
        }
        const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        socklen_t length = sizeof address;
        if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
            ::listen(listener, 1) != 0 ||
            ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
            ::_exit(1);
        }
        // As any user's process: nobody, with its /proc/PID/fd its own (dumpable), so that
        // reading it takes CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE.
        if (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0 ||
            ::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0) {
            ::_exit(1);
        }
        const std::uint16_t port = ntohs(address.sin_port);
        if (::write(report, &port, sizeof port) != sizeof port) {
            ::_exit(1);
        }
        char byte = 0;
        (void)!::read(hold, &byte, 1); // until the test lets go
        ::_exit(0);
    }

    pid_t pid_ = -1;
    int hold_ = -1;
    std::uint16_t port_ = 0;
};

TEST_F(HelperPrivileges, WithThemItStillSeesAndStopsAnotherUsersProcessInAnotherNamespace) {
    const auto nobody = nobodyUser();
    if (!nobody) {
        GTEST_SKIP() << "no user 'nobody' on this system";
    }
    NobodyInOtherNamespace other(nobody->first, nobody->second);
    ASSERT_NE(other.port(), 0) << "could not start a process in a network namespace of its own";
    HelperProcess helper;
    helper.greet(0);

    const auto reply = helper.exchange(2, protocol::Poll{});
    ASSERT_TRUE(reply && std::holds_alternative<protocol::SnapshotData>(*reply))
        << helper.errorOutput();
    const auto& snapshot = std::get<protocol::SnapshotData>(*reply).snapshot;
    const auto found =
        std::find_if(snapshot.sockets.begin(), snapshot.sockets.end(), [&](const core::Socket& s) {
            return s.local.port == other.port() && s.state == core::SocketState::Listen &&
                   s.owner.pid == other.pid();
        });
    ASSERT_NE(found, snapshot.sockets.end())
        << "the listener of PID " << other.pid()
        << " in its own namespace; helper stderr: " << helper.errorOutput();
    EXPECT_NE(found->netns, 0u) << "reached by entering the namespace (CAP_SYS_ADMIN)";
    EXPECT_EQ(found->ownerStatus, core::OwnerStatus::Known)
        << "its /proc/PID/fd read (CAP_DAC_READ_SEARCH, CAP_SYS_PTRACE)";

    const auto killed = helper.exchange(3, protocol::KillRequest{found->owner, 2000});
    ASSERT_TRUE(killed && std::holds_alternative<protocol::ActionReply>(*killed));
    const auto& answer = std::get<protocol::ActionReply>(*killed);
    EXPECT_EQ(answer.code, protocol::ActionCode::Done) << answer.message.english() << " (CAP_KILL)";
    EXPECT_EQ(other.waitForSignal(), SIGTERM);
}

} // namespace
} // namespace portscope::testing
