// The program of a running process is read from its image, whatever happened to its file:
// real children started from a copied binary whose file is then replaced or deleted.

#include "portscope/platform/system.h"
#include "proc_test_support.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <string>

namespace {

namespace fs = std::filesystem;
using portscope::core::ProcessKey;
using portscope::platform::ActionStatus;
using portscope::platform::readExecutableImage;

struct ImageRead {
    portscope::platform::ActionResult result;
    std::string bytes;
    bool deleted = false;
};

ImageRead readImage(const ProcessKey& key) {
    ImageRead read;
    read.deleted = true; // must be set on success
    read.result = readExecutableImage(
        key, [&read](std::string_view chunk) { read.bytes.append(chunk); }, &read.deleted);
    return read;
}

// A copy of sleep under a name of its own, running from the temporary directory.
class CopiedProgram {
public:
    CopiedProgram() {
        path_ = dir_.path() + "/portscope-img";
        fs::copy_file("/bin/sleep", path_);
        original_ = proctest::readFile(path_);
        child_ = std::make_unique<proctest::ChildProcess>(std::vector<std::string>{path_, "30"});
        // Until exec has happened, /proc/PID/exe is this test binary.
        if (child_->started()) {
            proctest::waitUntil([&] { return proctest::commOf(child_->pid()) == "portscope-img"; });
        }
    }
    bool running() const { return child_->started() && proctest::commOf(pid()) == "portscope-img"; }
    int pid() const { return child_->pid(); }
    ProcessKey key() const { return ProcessKey{pid(), proctest::startTimeOf(pid()).value_or(0)}; }
    const std::string& path() const { return path_; }
    const std::string& original() const { return original_; }
    const std::string& directory() const { return dir_.path(); }

private:
    proctest::TempDir dir_;
    std::string path_;
    std::string original_;
    std::unique_ptr<proctest::ChildProcess> child_;
};

TEST(ExecutableImageTest, ReadsTheBytesOfTheRunningProgram) {
    CopiedProgram program;
    ASSERT_TRUE(program.running());
    ASSERT_GT(program.original().size(), 1000u);
    const ImageRead read = readImage(program.key());
    ASSERT_EQ(read.result.status, ActionStatus::Done) << read.result.message;
    EXPECT_TRUE(read.bytes == program.original());
    EXPECT_FALSE(read.deleted);
}

TEST(ExecutableImageTest, AFileRenamedOverTheProgramChangesNothing) {
    CopiedProgram program;
    ASSERT_TRUE(program.running());
    const std::string replacement = program.directory() + "/replacement";
    proctest::writeFile(replacement, "#!/bin/sh\necho another program\n");
    fs::rename(replacement, program.path());
    ASSERT_NE(proctest::readFile(program.path()), program.original());

    const ImageRead read = readImage(program.key());
    ASSERT_EQ(read.result.status, ActionStatus::Done) << read.result.message;
    EXPECT_TRUE(read.bytes == program.original()) << "read " << read.bytes.size() << " bytes";
    EXPECT_TRUE(read.deleted);
}

TEST(ExecutableImageTest, ADeletedProgramIsStillReadAndMarkedDeleted) {
    CopiedProgram program;
    ASSERT_TRUE(program.running());
    fs::remove(program.path());
    const ImageRead read = readImage(program.key());
    ASSERT_EQ(read.result.status, ActionStatus::Done) << read.result.message;
    EXPECT_TRUE(read.bytes == program.original());
    EXPECT_TRUE(read.deleted);
}

TEST(ExecutableImageTest, AnotherStartTimeIsRefusedUnread) {
    CopiedProgram program;
    ASSERT_TRUE(program.running());
    ProcessKey recycled = program.key();
    recycled.startTime += 1;
    const ImageRead read = readImage(recycled);
    EXPECT_EQ(read.result.status, ActionStatus::ProcessChanged) << read.result.message;
    EXPECT_NE(read.result.message.find(std::to_string(program.pid())), std::string::npos)
        << read.result.message;
    EXPECT_TRUE(read.bytes.empty());
}

TEST(ExecutableImageTest, AnExitedProcessIsRefused) {
    proctest::ChildProcess child({"/bin/true"});
    ASSERT_TRUE(child.started());
    const int pid = child.pid();
    ASSERT_TRUE(child.exitStatus(std::chrono::milliseconds(5000)));
    const ImageRead read = readImage(ProcessKey{pid, 12345});
    EXPECT_EQ(read.result.status, ActionStatus::NoSuchProcess) << read.result.message;
    EXPECT_TRUE(read.bytes.empty());
}

TEST(ExecutableImageTest, AnotherUsersProgramNeedsRights) {
    const ProcessKey self{::getpid(), proctest::startTimeOf(::getpid()).value_or(0)};
    const auto report = proctest::runAsNobody([&] {
        const ImageRead read = readImage(self);
        return std::to_string(static_cast<int>(read.result.status)) + "\n" + read.result.message +
               "\n" + std::to_string(read.bytes.size());
    });
    if (!report) {
        GTEST_SKIP() << "cannot become nobody (not root?)";
    }
    EXPECT_EQ(report->substr(0, report->find('\n')),
              std::to_string(static_cast<int>(ActionStatus::PermissionDenied)))
        << *report;
    EXPECT_NE(report->find("needs its user's or administrator rights"), std::string::npos)
        << *report;
}

} // namespace
