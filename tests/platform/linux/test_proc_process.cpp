#include "linux/proc_process.h"
#include "portscope/platform/system.h"
#include "proc_test_support.h"

#include <chrono>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <gtest/gtest.h>
#include <pwd.h>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using namespace portscope::platform::linuxsys;
namespace fs = std::filesystem;

// A stat line as the kernel writes it, with the given name and start time.
std::string statLine(int pid, const std::string& comm, std::uint64_t startTime) {
    return std::to_string(pid) + " (" + comm +
           ") S 1 4242 4242 0 -1 4194304 127 0 0 0 0 0 0 0 20 0 1 0 " + std::to_string(startTime) +
           " 2990080 421 18446744073709551615 94348627812352 94348627830281 0 0 0 0 0 0 0 "
           "0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
}

// ---- parseProcStat ------------------------------------------------------------------------

TEST(ProcStatParse, CapturedLineOfAnOrdinaryProcess) {
    const auto stat = parseProcStat(proctest::fixture("proc_stat_cat.txt"));
    ASSERT_TRUE(stat);
    EXPECT_EQ(stat->pid, 5932);
    EXPECT_EQ(stat->comm, "cat");
    EXPECT_EQ(stat->state, 'R');
    EXPECT_EQ(stat->ppid, 5930);
    EXPECT_EQ(stat->startTime, 107190u);
}

TEST(ProcStatParse, CapturedKernelThreadsWithLongNames) {
    const auto worker = parseProcStat(proctest::fixture("proc_stat_kworker.txt"));
    ASSERT_TRUE(worker);
    EXPECT_EQ(worker->pid, 6);
    EXPECT_EQ(worker->comm, "kworker/R-kvfree_rcu_reclaim");
    EXPECT_EQ(worker->state, 'I');
    EXPECT_EQ(worker->ppid, 2);
    EXPECT_EQ(worker->startTime, 18u);

    const auto kthreadd = parseProcStat(proctest::fixture("proc_stat_kthreadd.txt"));
    ASSERT_TRUE(kthreadd);
    EXPECT_EQ(kthreadd->comm, "kthreadd");
    EXPECT_EQ(kthreadd->ppid, 0);
}

TEST(ProcStatParse, CapturedNameWithSpacesAndParentheses) {
    const auto stat = parseProcStat(proctest::fixture("proc_stat_name_with_spaces_and_parens.txt"));
    ASSERT_TRUE(stat);
    EXPECT_EQ(stat->pid, 5936);
    EXPECT_EQ(stat->comm, "a (b) c");
    EXPECT_EQ(stat->state, 'S');
    EXPECT_EQ(stat->ppid, 5935);
    EXPECT_EQ(stat->startTime, 107191u);
}

TEST(ProcStatParse, CapturedNameThatLooksLikeTheFieldsAfterIt) {
    // The program was named "x) S 1 2 (": only the LAST ')' ends the name.
    const auto stat = parseProcStat(proctest::fixture("proc_stat_name_with_close_paren.txt"));
    ASSERT_TRUE(stat);
    EXPECT_EQ(stat->pid, 5937);
    EXPECT_EQ(stat->comm, "x) S 1 2 (");
    EXPECT_EQ(stat->ppid, 5935);
    EXPECT_EQ(stat->startTime, 107192u);
}

TEST(ProcStatParse, CapturedNameWithTabAndNewline) {
    const auto stat = parseProcStat(proctest::fixture("proc_stat_name_with_control_chars.txt"));
    ASSERT_TRUE(stat);
    EXPECT_EQ(stat->comm, "tab\tnl\nx");
    EXPECT_EQ(stat->ppid, 5935);
    EXPECT_EQ(stat->startTime, 107192u);
}

TEST(ProcStatParse, NamesMadeOfParentheses) {
    for (const std::string comm : {")", "(", "()", ") (", "", " ", ")))((("}) {
        const auto stat = parseProcStat(statLine(77, comm, 123456));
        ASSERT_TRUE(stat) << "name '" << comm << "'";
        EXPECT_EQ(stat->comm, comm);
        EXPECT_EQ(stat->pid, 77);
        EXPECT_EQ(stat->ppid, 1);
        EXPECT_EQ(stat->startTime, 123456u);
    }
}

TEST(ProcStatParse, EveryTruncationOfARealLineIsRejected) {
    const std::string line = proctest::fixture("proc_stat_cat.txt");
    ASSERT_TRUE(parseProcStat(line));
    // A line cut inside the start time must not yield a shorter number, so the parser insists
    // on the field after it (vsize) too. Find where that field starts.
    const std::size_t afterName = line.rfind(')') + 1;
    std::size_t vsizeStart = afterName;
    for (int spaces = 0; spaces < 21; ++vsizeStart) {
        if (line[vsizeStart] == ' ') {
            ++spaces;
        }
    }
    for (std::size_t length = 0; length < vsizeStart; ++length) {
        EXPECT_FALSE(parseProcStat(line.substr(0, length))) << "cut at " << length;
        EXPECT_FALSE(parseProcStatStartTime(line.substr(0, length))) << "cut at " << length;
    }
    const auto cutAfterVsizeStarts = parseProcStat(line.substr(0, vsizeStart + 1));
    ASSERT_TRUE(cutAfterVsizeStarts);
    EXPECT_EQ(cutAfterVsizeStarts->startTime, 107190u);
}

TEST(ProcStatParse, GarbageIsRejected) {
    const std::string good = statLine(10, "ok", 99);
    ASSERT_TRUE(parseProcStat(good));
    const std::vector<std::string> bad = {
        "",
        "\n",
        "garbage",
        "10 ok S 1 2 3",
        "(ok) S 1 " + good.substr(good.find(')') + 4),
        "x10 (ok)" + good.substr(good.find(')') + 1),
        "-10 (ok)" + good.substr(good.find(')') + 1),
        "0 (ok)" + good.substr(good.find(')') + 1),
        "+10 (ok)" + good.substr(good.find(')') + 1),
        "99999999999 (ok)" + good.substr(good.find(')') + 1),
        "10(ok)" + good.substr(good.find(')') + 1),
        "10 )ok( S 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 5 6",
        "10 (ok)S 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 5 6",
        "10 (ok) SS 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 5 6",
        "10 (ok) S x 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 5 6",
        "10 (ok) S -1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 5 6",
        "10 (ok) S 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 5x 6",
        "10 (ok) S 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 -5 6",
        "10 (ok) S 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 99999999999999999999999 6",
    };
    ASSERT_TRUE(parseProcStat("10 (ok) S 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 5 6"));
    for (const std::string& text : bad) {
        EXPECT_FALSE(parseProcStat(text)) << "accepted: " << text;
    }
}

TEST(ProcStatParse, HugeNameIsKeptWhole) {
    const std::string comm(1 << 20, 'n');
    const auto stat = parseProcStat(statLine(5, comm, 7));
    ASSERT_TRUE(stat);
    EXPECT_EQ(stat->comm.size(), comm.size());
    EXPECT_EQ(stat->startTime, 7u);
}

TEST(ProcStatParse, RandomCorruptionNeverYieldsNonsense) {
    const std::string line = proctest::fixture("proc_stat_name_with_spaces_and_parens.txt");
    std::mt19937 random(12345);
    int accepted = 0;
    for (int round = 0; round < 20000; ++round) {
        std::string text = line;
        const int flips = 1 + static_cast<int>(random() % 4);
        for (int i = 0; i < flips; ++i) {
            text[random() % text.size()] = static_cast<char>(random() % 256);
        }
        if (random() % 5 == 0) {
            text.resize(random() % text.size());
        }
        const auto stat = parseProcStat(text);
        if (stat) {
            ++accepted;
            EXPECT_GT(stat->pid, 0);
            EXPECT_GE(stat->ppid, 0);
            EXPECT_EQ(parseProcStatStartTime(text), stat->startTime);
            EXPECT_LT(stat->comm.size(), text.size());
        }
    }
    // Flips in fields that are not validated keep the line valid, so some must pass.
    EXPECT_GT(accepted, 0);
}

// ---- the other parsers --------------------------------------------------------------------

TEST(ProcStatusParse, RealUidFromCapturedStatus) {
    EXPECT_EQ(parseStatusUid(proctest::fixture("proc_status_cat.txt")), 0u);
}

TEST(ProcStatusParse, TakesTheRealUidNotTheEffectiveOne) {
    EXPECT_EQ(parseStatusUid("Name:\tx\nUid:\t1000\t0\t0\t0\nGid:\t5\t5\t5\t5\n"), 1000u);
    EXPECT_EQ(parseStatusUid("Uid:  42 43 44 45"), 42u);
}

TEST(ProcStatusParse, MissingOrMalformedUidIsRejected) {
    EXPECT_FALSE(parseStatusUid(""));
    EXPECT_FALSE(parseStatusUid("Name:\tx\nGid:\t0\t0\t0\t0\n"));
    EXPECT_FALSE(parseStatusUid("Uid:\n"));
    EXPECT_FALSE(parseStatusUid("Uid:\tabc\t0\n"));
    EXPECT_FALSE(parseStatusUid("Uid:\t-1\t0\n"));
    EXPECT_FALSE(parseStatusUid("Uid:\t99999999999\t0\n"));
    EXPECT_FALSE(parseStatusUid("XUid:\t5\n"));
}

TEST(ProcCmdlineParse, CapturedArgumentsAreJoinedWithSpaces) {
    EXPECT_EQ(parseCmdline(proctest::fixture("proc_cmdline_spaces.bin")), "./a (b) c 30");
}

TEST(ProcCmdlineParse, CapturedControlCharactersAreReplacedAndUtf8Kept) {
    EXPECT_EQ(parseCmdline(proctest::fixture("proc_cmdline_control_chars.bin")),
              "bell?tab?esc?[31mz\xC3\xBCrich 30");
}

TEST(ProcCmdlineParse, NulHandling) {
    EXPECT_EQ(parseCmdline(std::string_view("a\0b\0\0\0", 6)), "a b");
    EXPECT_EQ(parseCmdline(std::string_view("a\0\0b\0", 5)), "a  b"); // an empty argument
    EXPECT_EQ(parseCmdline(std::string_view("\0\0\0", 3)), "");
    EXPECT_EQ(parseCmdline(""), "");
    // A process that rewrote its title with spaces and no terminator.
    EXPECT_EQ(parseCmdline("nginx: worker process"), "nginx: worker process");
}

TEST(ProcCmdlineParse, InvalidUtf8AndC1ControlsBecomeQuestionMarks) {
    EXPECT_EQ(parseCmdline("\xFF\xC3("), "?"
                                         "?(");
    EXPECT_EQ(parseCmdline("a\xC2\x85z"), "a?z");        // NEL, a C1 control
    EXPECT_EQ(parseCmdline("\xC0\xAF"), "??");           // overlong '/'
    EXPECT_EQ(parseCmdline("\xED\xA0\x80"), "???");      // a UTF-16 surrogate
    EXPECT_EQ(parseCmdline("\xF4\x90\x80\x80"), "????"); // above U+10FFFF
    EXPECT_EQ(parseCmdline("x\xE2\x82"), "x??");         // cut short
    EXPECT_EQ(parseCmdline("\xF0\x9F\x98\x80 \xC2\xA0"), "\xF0\x9F\x98\x80 \xC2\xA0"); // kept
    EXPECT_EQ(parseCmdline("del\x7F"), "del?");
}

TEST(ProcCmdlineParse, OversizedCommandLineIsCapped) {
    const std::string huge(200 * 1024, 'a');
    EXPECT_EQ(parseCmdline(huge).size(), kMaxCommandLineBytes);

    // Two-byte characters from an odd offset: the cap must not split one.
    std::string wide = "x";
    while (wide.size() < 100 * 1024) {
        wide += "\xC3\xBC";
    }
    const std::string capped = parseCmdline(wide);
    EXPECT_LE(capped.size(), kMaxCommandLineBytes);
    EXPECT_GE(capped.size(), kMaxCommandLineBytes - 1);
    EXPECT_EQ(static_cast<unsigned char>(capped.back()), 0xBC);
    EXPECT_EQ(capped.find('?'), std::string::npos);
}

TEST(ProcExeLinkParse, DeletedSuffixIsStripped) {
    const ExeLink live = parseExeLink("/usr/bin/sleep");
    EXPECT_EQ(live.path, "/usr/bin/sleep");
    EXPECT_FALSE(live.deleted);

    const ExeLink deleted = parseExeLink("/tmp/dir/my tool (deleted)");
    EXPECT_EQ(deleted.path, "/tmp/dir/my tool");
    EXPECT_TRUE(deleted.deleted);

    const ExeLink twice = parseExeLink("/a (deleted) (deleted)");
    EXPECT_EQ(twice.path, "/a (deleted)");
    EXPECT_TRUE(twice.deleted);

    EXPECT_FALSE(parseExeLink("/tmp/(deleted)").deleted);
    EXPECT_TRUE(parseExeLink("").path.empty());
}

TEST(ProcBootTimeParse, CapturedProcStat) {
    EXPECT_EQ(parseBootTime(proctest::fixture("proc_stat_system.txt")), 1795433978);
}

TEST(ProcBootTimeParse, MalformedBootTime) {
    EXPECT_EQ(parseBootTime("cpu 1 2 3\nbtime 1700000000\nprocesses 5\n"), 1700000000);
    EXPECT_EQ(parseBootTime("btime 1700000000"), 1700000000);
    EXPECT_FALSE(parseBootTime(""));
    EXPECT_FALSE(parseBootTime("cpu 1 2 3\n"));
    EXPECT_FALSE(parseBootTime("btime\n"));
    EXPECT_FALSE(parseBootTime("btime abc\n"));
    EXPECT_FALSE(parseBootTime("btime -5\n"));
    EXPECT_FALSE(parseBootTime("btimes 1700000000\n"));
}

TEST(ProcStartTime, TicksAreConvertedToUnixMilliseconds) {
    EXPECT_EQ(startedAtUnixMs(1000, 250, 100), 1002500);
    EXPECT_EQ(startedAtUnixMs(1700000000, 1234, 100), 1700000012340);
    EXPECT_EQ(startedAtUnixMs(1700000000, 1, 3), 1700000000333);
    EXPECT_EQ(startedAtUnixMs(1700000000, 5, 0), 0);            // no tick rate
    EXPECT_EQ(startedAtUnixMs(0, 5, 100), 0);                   // no boot time
    EXPECT_EQ(startedAtUnixMs(1700000000, UINT64_MAX, 100), 0); // absurd ticks
}

TEST(ProcUserName, KnownAndUnknownUsers) {
    EXPECT_EQ(userNameOf(0), "root");
    EXPECT_EQ(userNameOf(0), "root"); // from the cache
    if (const passwd* nobody = ::getpwuid(proctest::kNobody); nobody != nullptr) {
        EXPECT_EQ(userNameOf(proctest::kNobody), nobody->pw_name);
    }
    constexpr std::uint32_t kUnusedUid = 3999999;
    if (::getpwuid(kUnusedUid) == nullptr) {
        EXPECT_EQ(userNameOf(kUnusedUid), "3999999");
    }
}

// ---- readProcess on real processes --------------------------------------------------------

// posix_spawn returns once the child's exec is under way; its arguments appear a moment later.
bool waitForCommandLine(pid_t pid) {
    return proctest::waitUntil(
        [pid] { return !proctest::readFile("/proc/" + std::to_string(pid) + "/cmdline").empty(); });
}

std::string ownCommandLine() {
    std::string raw = proctest::readFile("/proc/self/cmdline");
    while (!raw.empty() && raw.back() == '\0') {
        raw.pop_back();
    }
    for (char& c : raw) {
        if (c == '\0') {
            c = ' ';
        }
    }
    return raw;
}

TEST(ProcProcessRead, OwnProcess) {
    const auto beforeMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
    std::string error = "stale";
    const auto process = readProcess(::getpid(), &error);
    ASSERT_TRUE(process) << error;
    EXPECT_TRUE(error.empty());
    EXPECT_EQ(process->key.pid, ::getpid());
    EXPECT_EQ(process->key.startTime, proctest::startTimeOf(::getpid()));
    EXPECT_EQ(process->parentPid, ::getppid());
    const fs::path exe = fs::read_symlink("/proc/self/exe");
    EXPECT_EQ(process->exePath, exe.string());
    EXPECT_FALSE(process->exeDeleted);
    // The kernel's comm is cut at 15 bytes; the name is the executable's full name.
    EXPECT_EQ(process->name, exe.filename().string());
    EXPECT_EQ(process->commandLine, ownCommandLine());
    EXPECT_EQ(process->uid, ::getuid());
    EXPECT_EQ(process->userName, userNameOf(::getuid()));
    if (::getuid() == 0) {
        EXPECT_EQ(process->userName, "root");
    }
    struct stat ns {};
    ASSERT_EQ(::stat("/proc/self/ns/net", &ns), 0);
    EXPECT_EQ(process->netns, ns.st_ino);
    EXPECT_GT(process->startedAtUnixMs, beforeMs - 3600 * 1000);
    EXPECT_LE(process->startedAtUnixMs, beforeMs + 1000);
    EXPECT_EQ(process->detailsError, "");
}

TEST(ProcProcessRead, SpawnedChild) {
    proctest::ChildProcess child({"/bin/sleep", "30"});
    ASSERT_TRUE(child.started()) << child.spawnError();
    ASSERT_TRUE(waitForCommandLine(child.pid()));
    std::string error;
    const auto process = readProcess(child.pid(), &error);
    ASSERT_TRUE(process) << error;
    EXPECT_EQ(process->key.pid, child.pid());
    EXPECT_EQ(process->key.startTime, proctest::startTimeOf(child.pid()));
    EXPECT_EQ(process->name, "sleep");
    EXPECT_EQ(process->exePath, fs::canonical("/bin/sleep").string());
    EXPECT_EQ(process->commandLine, "/bin/sleep 30");
    EXPECT_EQ(process->parentPid, ::getpid());
    EXPECT_EQ(process->uid, ::getuid());
    EXPECT_EQ(process->userName, userNameOf(::getuid()));
    EXPECT_EQ(process->detailsError, "");

    const auto self = readProcess(::getpid(), &error);
    ASSERT_TRUE(self);
    EXPECT_GE(process->startedAtUnixMs, self->startedAtUnixMs);
    EXPECT_EQ(process->netns, self->netns);
}

// Copies /bin/sleep under `name` into `directory` and runs it.
std::unique_ptr<proctest::ChildProcess> runSleepCopy(const std::string& directory,
                                                     const std::string& name) {
    const fs::path copy = fs::path(directory) / name;
    fs::copy_file("/bin/sleep", copy);
    fs::permissions(copy, fs::perms::owner_all);
    return std::make_unique<proctest::ChildProcess>(std::vector<std::string>{copy.string(), "30"});
}

TEST(ProcProcessRead, DeletedExecutable) {
    proctest::TempDir directory;
    ASSERT_FALSE(directory.path().empty());
    auto child = runSleepCopy(directory.path(), "doomed-sleep");
    ASSERT_TRUE(child->started()) << child->spawnError();
    const std::string path = directory.path() + "/doomed-sleep";
    ASSERT_EQ(::unlink(path.c_str()), 0);

    std::string error;
    const auto process = readProcess(child->pid(), &error);
    ASSERT_TRUE(process) << error;
    EXPECT_TRUE(process->exeDeleted);
    EXPECT_EQ(process->exePath, path);
    EXPECT_EQ(process->name, "doomed-sleep");
}

TEST(ProcProcessRead, LongNamePrefersTheExecutableName) {
    proctest::TempDir directory;
    ASSERT_FALSE(directory.path().empty());
    const std::string name = "a-rather-long-program-name";
    auto child = runSleepCopy(directory.path(), name);
    ASSERT_TRUE(child->started()) << child->spawnError();
    ASSERT_EQ(proctest::commOf(child->pid()), name.substr(0, 15));

    const auto process = readProcess(child->pid(), nullptr);
    ASSERT_TRUE(process);
    EXPECT_EQ(process->name, name);
}

TEST(ProcProcessRead, NameWithParenthesesAndSpaces) {
    proctest::TempDir directory;
    ASSERT_FALSE(directory.path().empty());
    auto child = runSleepCopy(directory.path(), "x) (y z");
    ASSERT_TRUE(child->started()) << child->spawnError();
    ASSERT_TRUE(waitForCommandLine(child->pid()));

    const auto process = readProcess(child->pid(), nullptr);
    ASSERT_TRUE(process);
    EXPECT_EQ(process->name, "x) (y z");
    EXPECT_EQ(process->key.startTime, proctest::startTimeOf(child->pid()));
    EXPECT_EQ(process->commandLine, directory.path() + "/x) (y z 30");
}

TEST(ProcProcessRead, NonexistentProcess) {
    std::string error;
    // Above the largest PID Linux allows, so it never exists.
    EXPECT_FALSE(readProcess(4194305, &error));
    EXPECT_NE(error.find("does not exist"), std::string::npos) << error;
}

TEST(ProcProcessRead, ReapedChildNoLongerExists) {
    proctest::ChildProcess child({"/bin/true"});
    ASSERT_TRUE(child.started());
    ASSERT_TRUE(child.exitStatus(std::chrono::milliseconds(5000)));
    std::string error;
    EXPECT_FALSE(readProcess(child.pid(), &error));
    EXPECT_FALSE(error.empty());
}

TEST(ProcProcessRead, UnprivilegedReaderKeepsWhatItCanRead) {
    const pid_t parent = ::getpid();
    const std::string parentComm = proctest::commOf(parent);
    const auto report = proctest::runAsNobody([parent] {
        std::string error;
        const auto process = readProcess(parent, &error);
        if (!process) {
            return "failed: " + error;
        }
        return process->name + "\n" + process->detailsError + "\n" + process->userName + "\n" +
               std::to_string(process->key.startTime) + "\n" + process->commandLine;
    });
    if (!report) {
        GTEST_SKIP() << "cannot switch to user nobody here";
    }
    if (::getuid() != 0) {
        GTEST_SKIP() << "needs root to compare with another user's view";
    }
    std::istringstream lines(*report);
    std::string name, detailsError, userName, startTime, commandLine;
    std::getline(lines, name);
    std::getline(lines, detailsError);
    std::getline(lines, userName);
    std::getline(lines, startTime);
    std::getline(lines, commandLine);
    ASSERT_EQ(name.rfind("failed", 0), std::string::npos) << *report;
    // Without access to the executable, the 15-byte comm is the best name there is.
    EXPECT_EQ(name, parentComm);
    EXPECT_NE(detailsError.find("exe: permission denied"), std::string::npos) << detailsError;
    EXPECT_EQ(userName, "root");
    EXPECT_EQ(startTime, std::to_string(*proctest::startTimeOf(parent)));
    EXPECT_EQ(commandLine, ownCommandLine());
}

TEST(ProcProcessRead, InitProcessDetailsMayBeHidden) {
    // In sandboxes even root may not read /proc/1/exe; the rest must still come through.
    std::error_code readError;
    (void)fs::read_symlink("/proc/1/exe", readError);
    const auto process = readProcess(1, nullptr);
    ASSERT_TRUE(process);
    EXPECT_EQ(process->key.pid, 1);
    EXPECT_EQ(process->parentPid, 0);
    EXPECT_FALSE(process->name.empty());
    if (readError == std::errc::permission_denied) {
        EXPECT_NE(process->detailsError.find("exe: permission denied"), std::string::npos);
        EXPECT_TRUE(process->exePath.empty());
    } else {
        EXPECT_FALSE(process->exePath.empty());
    }
}

// ---- readProcess over a prepared directory tree -------------------------------------------

class FakeProcTree : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_FALSE(root_.path().empty());
        proctest::writeFile(root_.path() + "/stat", "cpu 1 2 3\nbtime 1700000000\n");
    }
    std::string addProcess(int pid, const std::string& statText) {
        const std::string directory = root_.path() + "/" + std::to_string(pid);
        fs::create_directories(directory);
        proctest::writeFile(directory + "/stat", statText);
        return directory;
    }
    proctest::TempDir root_;
};

TEST_F(FakeProcTree, TruncatedNameIsCompletedFromTheDeletedExecutable) {
    const std::string directory =
        addProcess(4242, statLine(4242, "a-very-long-too", 250) /* 15 bytes */);
    proctest::writeFile(directory + "/cmdline", std::string("tool\0--flag\0", 12));
    proctest::writeFile(directory + "/status", "Name:\tx\nUid:\t1000\t1000\t1000\t1000\n");
    fs::create_symlink("/opt/bin/a-very-long-tool-name (deleted)", directory + "/exe");

    std::string error;
    const auto process = readProcess(4242, &error, root_.path());
    ASSERT_TRUE(process) << error;
    EXPECT_EQ(process->key, (portscope::core::ProcessKey{4242, 250}));
    EXPECT_EQ(process->name, "a-very-long-tool-name");
    EXPECT_EQ(process->exePath, "/opt/bin/a-very-long-tool-name");
    EXPECT_TRUE(process->exeDeleted);
    EXPECT_EQ(process->commandLine, "tool --flag");
    EXPECT_EQ(process->uid, 1000u);
    EXPECT_EQ(process->userName, userNameOf(1000));
    EXPECT_EQ(process->startedAtUnixMs, 1700000000000 + 250 * 1000 / clockTicksPerSecond());
    EXPECT_EQ(process->netns, 0u);
    EXPECT_EQ(process->detailsError, "");
}

TEST_F(FakeProcTree, ShortNameIsNotReplaced) {
    const std::string directory = addProcess(7, statLine(7, "sh", 1));
    fs::create_symlink("/usr/bin/dash", directory + "/exe");
    proctest::writeFile(directory + "/cmdline", "");
    proctest::writeFile(directory + "/status", "Uid:\t0\t0\t0\t0\n");
    const auto process = readProcess(7, nullptr, root_.path());
    ASSERT_TRUE(process);
    EXPECT_EQ(process->name, "sh");
}

TEST_F(FakeProcTree, NameWithControlCharactersIsMadeDisplayable) {
    const std::string directory = addProcess(8, statLine(8, "evil\x1b[2J\nname", 1));
    proctest::writeFile(directory + "/cmdline", "");
    proctest::writeFile(directory + "/status", "Uid:\t0\t0\t0\t0\n");
    const auto process = readProcess(8, nullptr, root_.path());
    ASSERT_TRUE(process);
    EXPECT_EQ(process->name, "evil?[2J?name");
}

TEST_F(FakeProcTree, MissingDetailsAreListedAndTheRestKept) {
    addProcess(9, statLine(9, "partial", 100)); // no cmdline, no status, no exe
    std::remove((root_.path() + "/stat").c_str());
    std::string error;
    const auto process = readProcess(9, &error, root_.path());
    ASSERT_TRUE(process) << error;
    EXPECT_EQ(process->name, "partial");
    EXPECT_EQ(process->key.startTime, 100u);
    EXPECT_NE(process->detailsError.find("command line:"), std::string::npos);
    EXPECT_NE(process->detailsError.find("start time:"), std::string::npos);
    EXPECT_EQ(process->detailsError.find("exe:"), std::string::npos); // absent, not denied
    EXPECT_EQ(process->startedAtUnixMs, 0);
    // Without a status file the owner of the directory stands in for the uid.
    EXPECT_EQ(process->uid, ::getuid());
}

TEST_F(FakeProcTree, UnparsableStatFailsTheRead) {
    addProcess(10, "10 (broken");
    std::string error;
    EXPECT_FALSE(readProcess(10, &error, root_.path()));
    EXPECT_NE(error.find("cannot parse"), std::string::npos) << error;
}

// ---- system.h entry points ----------------------------------------------------------------

TEST(ProcProcessKey, CurrentKeyAndDetails) {
    namespace platform = portscope::platform;
    proctest::ChildProcess child({"/bin/sleep", "30"});
    ASSERT_TRUE(child.started());
    const auto key = platform::currentProcessKey(child.pid());
    ASSERT_TRUE(key);
    EXPECT_EQ(key->pid, child.pid());
    EXPECT_EQ(key->startTime, proctest::startTimeOf(child.pid()));

    const auto details = platform::processDetails(*key);
    ASSERT_TRUE(details);
    EXPECT_EQ(details->name, "sleep");

    auto recycled = *key;
    recycled.startTime += 1;
    EXPECT_FALSE(platform::processDetails(recycled));
    EXPECT_FALSE(platform::currentProcessKey(0));
    EXPECT_FALSE(platform::currentProcessKey(-3));
    EXPECT_FALSE(platform::currentProcessKey(4194305));
}

} // namespace
