#include "portscope/platform/system.h"
#include "proc_test_support.h"

#include <chrono>
#include <csignal>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using portscope::core::ProcessKey;
using portscope::platform::ActionStatus;
using portscope::platform::killProcess;
using std::chrono::milliseconds;

ProcessKey keyOf(pid_t pid) {
    return ProcessKey{pid, proctest::startTimeOf(pid).value_or(0)};
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// A shell that ignores SIGTERM and then becomes `sleep`, which inherits the ignored signal.
std::unique_ptr<proctest::ChildProcess> startSigtermIgnorer() {
    auto child = std::make_unique<proctest::ChildProcess>(
        std::vector<std::string>{"/bin/sh", "-c", "trap '' TERM; exec /bin/sleep 30"});
    if (child->started()) {
        proctest::waitUntil([&] { return proctest::commOf(child->pid()) == "sleep"; });
    }
    return child;
}

TEST(KillProcessTest, StopsTheChosenProcess) {
    proctest::ChildProcess child({"/bin/sleep", "30"});
    ASSERT_TRUE(child.started()) << child.spawnError();
    const auto result = killProcess(keyOf(child.pid()), milliseconds(3000));
    EXPECT_EQ(result.status, ActionStatus::Done) << result.message;
    EXPECT_TRUE(result.ok());
    EXPECT_EQ(result.message, "Stopped sleep (PID " + std::to_string(child.pid()) + ").");
    // It had exited before killProcess returned: reaping it needs no waiting.
    const auto status = child.exitStatus();
    ASSERT_TRUE(status);
    ASSERT_TRUE(WIFSIGNALED(*status));
    EXPECT_EQ(WTERMSIG(*status), SIGTERM);
}

TEST(KillProcessTest, RecycledPidIsLeftAlone) {
    proctest::ChildProcess child({"/bin/sleep", "30"});
    ASSERT_TRUE(child.started());
    ProcessKey stale = keyOf(child.pid());
    stale.startTime += 1;
    const auto result = killProcess(stale, milliseconds(1000));
    EXPECT_EQ(result.status, ActionStatus::ProcessChanged) << result.message;
    EXPECT_TRUE(contains(result.message, std::to_string(child.pid()))) << result.message;
    EXPECT_TRUE(contains(result.message, "sleep")) << result.message;
    EXPECT_TRUE(contains(result.message, "nothing was stopped")) << result.message;
    EXPECT_FALSE(child.exitStatus(milliseconds(100))) << "the process must still run";
    EXPECT_EQ(::kill(child.pid(), 0), 0);
}

TEST(KillProcessTest, ProcessThatIsGone) {
    proctest::ChildProcess child({"/bin/sleep", "30"});
    ASSERT_TRUE(child.started());
    const ProcessKey key = keyOf(child.pid());
    child.stop(); // killed and reaped
    const auto result = killProcess(key, milliseconds(500));
    EXPECT_EQ(result.status, ActionStatus::NoSuchProcess) << result.message;
    EXPECT_TRUE(contains(result.message, std::to_string(key.pid))) << result.message;
}

TEST(KillProcessTest, ZombieCountsAsExited) {
    proctest::ChildProcess child({"/bin/sleep", "30"});
    ASSERT_TRUE(child.started());
    const ProcessKey key = keyOf(child.pid());
    ASSERT_EQ(::kill(child.pid(), SIGKILL), 0);
    // Not reaped yet: wait until it shows as a zombie.
    ASSERT_TRUE(proctest::waitUntil([&] {
        const std::string stat = proctest::readFile("/proc/" + std::to_string(key.pid) + "/stat");
        return stat.find(") Z ") != std::string::npos;
    }));
    const auto result = killProcess(key, milliseconds(500));
    EXPECT_EQ(result.status, ActionStatus::NoSuchProcess) << result.message;
    EXPECT_EQ(result.message, "sleep (PID " + std::to_string(key.pid) + ") has already exited.");
}

TEST(KillProcessTest, RefusesInitItselfAndNonsense) {
    const auto init = killProcess(ProcessKey{1, proctest::startTimeOf(1).value_or(0)});
    EXPECT_EQ(init.status, ActionStatus::InvalidArgument);
    EXPECT_TRUE(contains(init.message, "PID 1")) << init.message;

    const auto self = killProcess(keyOf(::getpid()));
    EXPECT_EQ(self.status, ActionStatus::InvalidArgument);
    EXPECT_TRUE(contains(self.message, "itself")) << self.message;

    EXPECT_EQ(killProcess(ProcessKey{0, 0}).status, ActionStatus::InvalidArgument);
    EXPECT_EQ(killProcess(ProcessKey{-42, 0}).status, ActionStatus::InvalidArgument);
}

TEST(KillProcessTest, EscalatesToSigkillWhenSigtermIsIgnored) {
    auto child = startSigtermIgnorer();
    ASSERT_TRUE(child->started()) << child->spawnError();
    ASSERT_EQ(proctest::commOf(child->pid()), "sleep");

    const auto started = std::chrono::steady_clock::now();
    const auto result = killProcess(keyOf(child->pid()), milliseconds(2000));
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(result.status, ActionStatus::Done) << result.message;
    EXPECT_TRUE(contains(result.message, "SIGKILL")) << result.message;
    EXPECT_TRUE(contains(result.message, std::to_string(child->pid()))) << result.message;
    // Half of the wait went to SIGTERM, then SIGKILL worked at once.
    EXPECT_GE(took, milliseconds(950));
    EXPECT_LT(took, milliseconds(2000));
    const auto status = child->exitStatus();
    ASSERT_TRUE(status);
    ASSERT_TRUE(WIFSIGNALED(*status));
    EXPECT_EQ(WTERMSIG(*status), SIGKILL);
}

TEST(KillProcessTest, NoWaitMeansNoEscalation) {
    auto child = startSigtermIgnorer();
    ASSERT_TRUE(child->started());
    const auto result = killProcess(keyOf(child->pid()), milliseconds(0));
    EXPECT_EQ(result.status, ActionStatus::TimedOut) << result.message;
    EXPECT_TRUE(contains(result.message, "SIGTERM")) << result.message;
    EXPECT_FALSE(child->exitStatus(milliseconds(200))) << "SIGTERM is ignored, so it runs on";
}

TEST(KillProcessTest, AnotherUsersProcessNeedsPrivileges) {
    if (::geteuid() != 0) {
        GTEST_SKIP() << "needs root, to own a process that nobody may not stop";
    }
    proctest::ChildProcess child({"/bin/sleep", "30"});
    ASSERT_TRUE(child.started());
    const ProcessKey key = keyOf(child.pid());
    const auto report = proctest::runAsNobody([key] {
        const auto result = killProcess(key, milliseconds(500));
        return std::to_string(static_cast<int>(result.status)) + "\n" + result.message;
    });
    if (!report) {
        GTEST_SKIP() << "cannot switch to user nobody here";
    }
    const auto newline = report->find('\n');
    ASSERT_NE(newline, std::string::npos) << *report;
    EXPECT_EQ(std::stoi(report->substr(0, newline)),
              static_cast<int>(ActionStatus::PermissionDenied))
        << *report;
    const std::string message = report->substr(newline + 1);
    EXPECT_EQ(message, "Not allowed to stop sleep (PID " + std::to_string(key.pid) +
                           "): it runs as another user. Run PortScope as that user or as root.");
    EXPECT_FALSE(child.exitStatus(milliseconds(100)));
}

} // namespace
