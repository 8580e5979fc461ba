// The masquerade rule: imitated names, system names in odd places, deleted executables and
// world-writable directories, on scripted processes.

#include "findings_test_support.h"

#include <gtest/gtest.h>

using namespace portscope::core;
using namespace portscope::core::testing;

namespace {

Process program(std::int32_t pid, std::string name, std::string exe, bool deleted = false) {
    Process process = processOf(ProcessKey{pid, 5}, std::move(name));
    process.exePath = std::move(exe);
    process.exeDeleted = deleted;
    process.parentPid = 1;
    return process;
}

// One update in which `process` owns one listener; returns its masquerade finding or null.
std::optional<Finding> judge(const Process& process, FindingsConfig config = {}) {
    RulesHarness h(std::move(config));
    const Socket socket = listenerOn(1, process.key, IpAddress::v4(127, 0, 0, 1), 5000);
    const auto update = h.step(snapshotAt(0, {socket}, {}, {process}));
    const Finding* finding = onlyFinding(*update, rules::kMasquerade);
    if (finding == nullptr) {
        return std::nullopt;
    }
    return *finding;
}

const Finding* masquerade(const Update& update) {
    const auto found = findingsOf(update, rules::kMasquerade);
    return found.empty() ? nullptr : found.front();
}

} // namespace

TEST(MasqueradeRule, WindowsNamesOneEditAwayAreImitations) {
    const auto spoolsv = judge(program(1540, "spollsv.exe", "C:\\ProgramData\\spollsv.exe"));
    ASSERT_TRUE(spoolsv);
    EXPECT_EQ(spoolsv->severity, Severity::High);
    EXPECT_EQ(spoolsv->summary, "spollsv.exe (PID 1540) imitates the system process spoolsv.exe: "
                                "the names differ by 1 letter — malware hides behind names like "
                                "this");
    EXPECT_EQ(spoolsv->headline.key, "masquerade.imitates");
    EXPECT_EQ(spoolsv->headline.text("imitated"), "spoolsv.exe");
    EXPECT_EQ(spoolsv->headline.integer("distance"), 1);
    EXPECT_EQ(spoolsv->socketsTotal, 1u);

    const auto swapped = judge(program(7, "scvhost.exe", "C:\\Users\\Bob\\scvhost.exe"));
    ASSERT_TRUE(swapped) << "a transposition counts as one edit";
    EXPECT_TRUE(contains(swapped->summary, "imitates the system process svchost.exe"));

    const auto upper = judge(program(8, "SVCH0ST.EXE", "C:\\Temp\\x.exe"));
    ASSERT_TRUE(upper) << "case does not hide an imitation";
    EXPECT_TRUE(contains(upper->summary, "svchost.exe"));

    const auto twoEdits = judge(program(9, "winlogin3.exe", "C:\\x\\winlogin3.exe"));
    ASSERT_TRUE(twoEdits) << "8+ characters allow two edits";
    EXPECT_TRUE(contains(twoEdits->summary, "winlogon.exe: the names differ by 2 letters"))
        << twoEdits->summary;

    EXPECT_FALSE(judge(program(10, "lsaas3.exe", "C:\\x\\lsaas3.exe")))
        << "a short name allows one edit only";
}

TEST(MasqueradeRule, TheRealSystemProcessInItsPlaceIsFine) {
    EXPECT_FALSE(judge(program(600, "svchost.exe", "C:\\Windows\\System32\\svchost.exe")));
    EXPECT_FALSE(judge(program(601, "svchost.exe", "c:\\windows\\syswow64\\svchost.exe")));
    EXPECT_FALSE(judge(program(602, "explorer.exe", "C:\\Windows\\explorer.exe")));
    EXPECT_FALSE(judge(program(1, "systemd", "/usr/lib/systemd/systemd")));
    EXPECT_FALSE(judge(program(2, "sshd", "/usr/sbin/sshd")));
    EXPECT_FALSE(judge(program(3, "ssh", "/usr/bin/ssh"))) << "ssh is a program of its own";
    EXPECT_FALSE(judge(program(4, "crond", "/usr/sbin/crond")));
    EXPECT_FALSE(judge(program(5, "cron", "/usr/sbin/cron")));
    EXPECT_FALSE(judge(program(6, "systemd-journal", "/lib/systemd/systemd-journald")))
        << "Linux cuts names to 15 characters";
    EXPECT_FALSE(judge(program(7, "nginx", "/usr/sbin/nginx")));
    EXPECT_FALSE(judge(program(8, "firefox-esr", "/usr/lib/firefox-esr/firefox-esr")));
    EXPECT_FALSE(judge(program(9, "docker", "/usr/bin/docker")));
    EXPECT_FALSE(judge(program(10, "scenario_tests", "/work/build/scenario_tests")));
    EXPECT_FALSE(judge(program(11, "svchost", "/opt/wine/svchost"))) << "no .exe: a Linux name";
}

TEST(MasqueradeRule, SystemNamesRunningFromTheWrongPlace) {
    const auto sshd = judge(program(77, "sshd", "/home/bob/.cache/sshd"));
    ASSERT_TRUE(sshd);
    EXPECT_EQ(sshd->severity, Severity::High);
    EXPECT_EQ(sshd->summary, "sshd (PID 77) carries the name of the system process sshd but runs "
                             "from /home/bob/.cache/sshd, not from a system directory");

    const auto svchost = judge(program(78, "svchost.exe", "C:\\Users\\Bob\\svchost.exe"));
    ASSERT_TRUE(svchost);
    EXPECT_TRUE(contains(svchost->summary, "carries the name of the system process svchost.exe"));

    const auto kworker = judge(program(79, "kworker/0:1", "/var/lib/.k/kworker"));
    ASSERT_TRUE(kworker);
    EXPECT_EQ(kworker->severity, Severity::High);
    EXPECT_TRUE(contains(kworker->summary, "uses the name of a kernel thread but runs the program "
                                           "/var/lib/.k/kworker"))
        << kworker->summary;

    EXPECT_FALSE(judge(program(80, "sshd", ""))) << "an unreadable path is not evidence";
}

TEST(MasqueradeRule, DeletedExecutablesAndWritableDirectories) {
    const auto upgraded =
        judge(program(90, "postgres", "/usr/lib/postgresql/15/bin/postgres", true));
    ASSERT_TRUE(upgraded);
    EXPECT_EQ(upgraded->severity, Severity::Low) << "an update replaced a system file";
    EXPECT_TRUE(contains(upgraded->summary, "runs from an executable that has been deleted"));

    const auto elsewhere = judge(program(91, "agent", "/home/bob/agent", true));
    ASSERT_TRUE(elsewhere);
    EXPECT_EQ(elsewhere->severity, Severity::Medium);

    const auto temp = judge(program(92, "miner", "/tmp/.x/miner"));
    ASSERT_TRUE(temp);
    EXPECT_EQ(temp->severity, Severity::Medium);
    EXPECT_EQ(temp->summary, "miner (PID 92) runs from /tmp/.x/miner, in /tmp/, a directory "
                             "anyone can write to");

    const auto both = judge(program(93, "miner", "/dev/shm/miner", true));
    ASSERT_TRUE(both);
    EXPECT_EQ(both->severity, Severity::High) << "deleted and in a writable directory";
    EXPECT_EQ(both->details.size(), 4u) << "two reasons, the command line and the parent";
    ASSERT_EQ(both->evidence.size(), 4u);
    EXPECT_EQ(both->evidence[0].key, "masquerade.writable-directory");
    EXPECT_EQ(both->evidence[0].text("exe"), "/dev/shm/miner");
    EXPECT_EQ(both->evidence[0].text("directory"), "/dev/shm/");
    EXPECT_EQ(both->evidence[1].key, "masquerade.deleted-executable");
    EXPECT_EQ(both->evidence[3].key, "masquerade.parent");
    EXPECT_DOUBLE_EQ(both->magnitude, 2);

    const auto windowsTemp =
        judge(program(94, "setup.exe", "C:\\Users\\Bob\\AppData\\Local\\Temp\\setup.exe"));
    ASSERT_TRUE(windowsTemp) << "'*' entries match anywhere in the path";

    FindingsConfig config;
    config.masquerade.writableDirs = {"/srv/upload/"};
    EXPECT_FALSE(judge(program(95, "miner", "/tmp/miner"), config));
    EXPECT_TRUE(judge(program(96, "miner", "/srv/upload/miner"), config));
}

TEST(MasqueradeRule, ExtraProtectedNamesFromTheConfig) {
    FindingsConfig config;
    config.masquerade.names = {"corpagent", "Backup.exe"};
    const auto linux = judge(program(100, "corpagnet", "/usr/bin/corpagnet"), config);
    ASSERT_TRUE(linux);
    EXPECT_TRUE(contains(linux->summary, "imitates the system process corpagent"));
    EXPECT_TRUE(judge(program(101, "backup.exe", "C:\\Users\\x\\backup.exe"), config))
        << "a protected Windows name outside the system directories";
    EXPECT_FALSE(judge(program(102, "corpagnet", "/usr/bin/corpagnet")));
}

TEST(MasqueradeRule, UntrustedNamesCannotBreakTheSummary) {
    const std::string name = std::string("svch\nost\x1b[31m.exe") + std::string(300, 'A');
    const auto finding = judge(program(110, name, "/tmp/x"));
    ASSERT_TRUE(finding);
    EXPECT_EQ(finding->summary.find('\n'), std::string::npos);
    EXPECT_EQ(finding->summary.find('\x1b'), std::string::npos);
    EXPECT_LT(finding->summary.size(), 400u);
}

TEST(MasqueradeRule, PersistsWhileTheProcessRunsAndClearsAfterItExits) {
    FindingsConfig config;
    config.general.clearAfter = Milliseconds(1000);
    RulesHarness h(config);
    const Process fake = program(120, "scvhost.exe", "C:\\x\\scvhost.exe");
    const Socket socket = listenerOn(1, fake.key, IpAddress::v4(127, 0, 0, 1), 5000);
    auto update = h.step(snapshotAt(0, {socket}, {}, {fake}));
    const Finding* finding = onlyFinding(*update, rules::kMasquerade);
    ASSERT_NE(finding, nullptr);
    const FindingId id = finding->id;
    for (int t = 1; t <= 5; ++t) {
        update = h.step(snapshotAt(t, {socket}, {}, {fake}));
        ASSERT_NE(update->findFinding(id), nullptr);
        EXPECT_TRUE(update->findingsRaised.empty());
    }
    // It exits: its listener becomes a tombstone for five updates, then the process row goes.
    bool cleared = false;
    for (int t = 6; t <= 15 && !cleared; ++t) {
        update = h.step(snapshotAt(t, {}, {}, {}));
        cleared = wasCleared(*update, id);
    }
    EXPECT_TRUE(cleared);
}

TEST(MasqueradeRule, AReusedPidOfTheRealProgramIsNotBlamed) {
    FindingsConfig config;
    config.general.clearAfter = Milliseconds(0);
    RulesHarness h(config);
    const Process fake = program(150, "sshd", "/tmp/sshd");
    Process real = program(150, "sshd", "/usr/sbin/sshd");
    real.key.startTime = 99; // the same PID, a later process
    auto update = h.step(
        snapshotAt(0, {listenerOn(1, fake.key, IpAddress::v4(127, 0, 0, 1), 22)}, {}, {fake}));
    ASSERT_NE(masquerade(*update), nullptr);
    update = h.step(
        snapshotAt(1, {listenerOn(2, real.key, IpAddress::v4(127, 0, 0, 1), 22)}, {}, {real}));
    for (const auto& finding : findingsOf(*update, rules::kMasquerade)) {
        EXPECT_EQ(finding->process, fake.key) << "only the old process is blamed";
    }
    // Once the old process's rows are gone, its finding clears and nothing remains.
    for (int t = 2; t <= 8; ++t) {
        update = h.step(
            snapshotAt(t, {listenerOn(2, real.key, IpAddress::v4(127, 0, 0, 1), 22)}, {}, {real}));
    }
    EXPECT_TRUE(findingsOf(*update, rules::kMasquerade).empty());
}

TEST(MasqueradeRule, ANewReasonIsAnnouncedAsAnUpdate) {
    RulesHarness h;
    Process process = program(130, "agent", "/tmp/agent");
    const Socket socket = listenerOn(1, process.key, IpAddress::v4(127, 0, 0, 1), 5000);
    auto update = h.step(snapshotAt(0, {socket}, {}, {process}));
    const Finding* finding = onlyFinding(*update, rules::kMasquerade);
    ASSERT_NE(finding, nullptr);
    EXPECT_EQ(finding->severity, Severity::Medium);
    const FindingId id = finding->id;
    process.exeDeleted = true; // it deleted its own file
    update = h.step(snapshotAt(1, {socket}, {}, {process}));
    EXPECT_TRUE(wasUpdated(*update, id));
    EXPECT_EQ(update->findFinding(id)->severity, Severity::High);
    EXPECT_EQ(update->findFinding(id)->revision, 2u);
}

TEST(EditDistance, CountsTranspositionsAsOneStep) {
    // Through the rule: "lsass" (5 letters) allows one edit.
    EXPECT_TRUE(judge(program(140, "lsas.exe", "C:\\x\\lsas.exe")));     // deletion
    EXPECT_TRUE(judge(program(141, "lsasss.exe", "C:\\x\\lsasss.exe"))); // insertion
    EXPECT_TRUE(judge(program(142, "lsaas.exe", "C:\\x\\lsaas.exe")));   // transposition
    EXPECT_TRUE(judge(program(143, "isass.exe", "C:\\x\\isass.exe")));   // substitution
    EXPECT_FALSE(judge(program(144, "iasss.exe", "C:\\x\\iasss.exe")));  // two edits
}
