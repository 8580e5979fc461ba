// Which processes the system needs: the kill confirmation's warning and the masquerade rule
// read one list of names.

#include "findings_test_support.h"
#include "portscope/core/system_processes.h"

#include <gtest/gtest.h>

using namespace portscope::core;
using namespace portscope::core::testing;

namespace {

Process rootProcess(std::int32_t pid, std::string name) {
    Process process = processOf(ProcessKey{pid, 5}, std::move(name));
    process.uid = 0;
    return process;
}

} // namespace

TEST(SystemProcesses, NamesAreComparedWithoutCaseAndKernelThreadsWithoutTheirCpu) {
    EXPECT_TRUE(isSystemProcessName("sshd"));
    EXPECT_TRUE(isSystemProcessName("NetworkManager"));
    EXPECT_TRUE(isSystemProcessName("Xorg"));
    EXPECT_TRUE(isSystemProcessName("systemd-userdbd")); // every systemd-* daemon
    EXPECT_TRUE(isSystemProcessName("kworker/0:1"));
    EXPECT_TRUE(isSystemProcessName("cupsd")); // from the masquerade rule's names
    EXPECT_FALSE(isSystemProcessName("nginx"));
    EXPECT_FALSE(isSystemProcessName("sshd-helper"));
    EXPECT_FALSE(isSystemProcessName(""));
}

TEST(SystemProcesses, EarlyProcessesAndRootSystemDaemonsLookLikeSystemProcesses) {
    EXPECT_TRUE(looksLikeSystemProcess(rootProcess(1, "init")));
    Process early = processOf(ProcessKey{42, 5}, "anything");
    early.uid = 1000;
    EXPECT_TRUE(looksLikeSystemProcess(early)) << "the first processes are the system's";
    EXPECT_TRUE(looksLikeSystemProcess(rootProcess(812, "gdm")));
    EXPECT_TRUE(looksLikeSystemProcess(rootProcess(813, "kworker/u8:2")));
    EXPECT_FALSE(looksLikeSystemProcess(rootProcess(5000, "python3")));
    Process usersOwn = rootProcess(5001, "Xwayland");
    usersOwn.uid = 1000;
    EXPECT_FALSE(looksLikeSystemProcess(usersOwn)) << "a user's own session is theirs to end";
}

TEST(SystemProcesses, TheMasqueradeRuleProtectsTheSameNames) {
    // Names the kill confirmation warns about are protected from imitation as well.
    for (const char* name : {"Xorg", "lightdm", "wpa_supplicant"}) {
        Process process = processOf(ProcessKey{700, 5}, name);
        process.exePath = std::string("/home/bob/.cache/") + name;
        process.parentPid = 1;
        RulesHarness h;
        const Socket socket = listenerOn(1, process.key, IpAddress::v4(127, 0, 0, 1), 5000);
        const auto update = h.step(snapshotAt(0, {socket}, {}, {process}));
        const Finding* finding = onlyFinding(*update, rules::kMasquerade);
        ASSERT_NE(finding, nullptr) << name;
        EXPECT_TRUE(contains(finding->summary, "carries the name of the system process"))
            << finding->summary;
    }
}
