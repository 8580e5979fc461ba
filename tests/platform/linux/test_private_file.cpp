// Files that may hold other users' data: owner-only whatever the umask, and never written
// through a link planted at their path.

#include "portscope/platform/system.h"
#include "proc_test_support.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using portscope::platform::createPrivateFile;

// Sets the umask for one test and restores it.
class Umask {
public:
    explicit Umask(mode_t mask) : saved_(::umask(mask)) {}
    ~Umask() { ::umask(saved_); }
    Umask(const Umask&) = delete;
    Umask& operator=(const Umask&) = delete;

private:
    mode_t saved_;
};

mode_t modeOf(const std::string& path) {
    struct stat status {};
    EXPECT_EQ(::lstat(path.c_str(), &status), 0) << path;
    return status.st_mode & 07777;
}

// The message createPrivateFile threw, or "" when it did not throw.
std::string refusal(const std::string& path) {
    try {
        createPrivateFile(path);
    } catch (const std::runtime_error& error) {
        return error.what();
    }
    return {};
}

void writeThrough(portscope::core::UniqueFile file, const std::string& text) {
    ASSERT_TRUE(file);
    ASSERT_EQ(std::fwrite(text.data(), 1, text.size(), file.get()), text.size());
}

TEST(PrivateFileTest, ANewFileIsOwnerOnlyDespiteAnOpenUmask) {
    const Umask open(022);
    proctest::TempDir dir;
    const std::string path = dir.path() + "/session.psreplay";
    writeThrough(createPrivateFile(path), "data");
    EXPECT_EQ(modeOf(path), 0600u);
    EXPECT_EQ(proctest::readFile(path), "data");
}

TEST(PrivateFileTest, AnExistingFileIsEmptiedAndMadeOwnerOnly) {
    proctest::TempDir dir;
    const std::string path = dir.path() + "/old.psreplay";
    proctest::writeFile(path, "an older and longer recording");
    ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
    writeThrough(createPrivateFile(path), "new");
    EXPECT_EQ(modeOf(path), 0600u);
    EXPECT_EQ(proctest::readFile(path), "new");
}

TEST(PrivateFileTest, ASymbolicLinkIsRefusedAndItsTargetUntouched) {
    proctest::TempDir dir;
    const std::string victim = dir.path() + "/victim";
    proctest::writeFile(victim, "precious");
    ASSERT_EQ(::chmod(victim.c_str(), 0644), 0);
    const std::string link = dir.path() + "/session.psreplay";
    fs::create_symlink(victim, link);

    const std::string message = refusal(link);
    EXPECT_NE(message.find(link), std::string::npos) << message;
    EXPECT_NE(message.find("symbolic link"), std::string::npos) << message;
    EXPECT_EQ(proctest::readFile(victim), "precious");
    EXPECT_EQ(modeOf(victim), 0644u);
    EXPECT_TRUE(fs::is_symlink(link));

    // A dangling link would otherwise create its target.
    const std::string dangling = dir.path() + "/dangling";
    fs::create_symlink(dir.path() + "/created-through-link", dangling);
    EXPECT_NE(refusal(dangling).find("symbolic link"), std::string::npos);
    EXPECT_FALSE(fs::exists(dir.path() + "/created-through-link"));
}

TEST(PrivateFileTest, AHardLinkedFileIsRefusedAndLeftWhole) {
    proctest::TempDir dir;
    const std::string victim = dir.path() + "/victim";
    proctest::writeFile(victim, "precious");
    const std::string alias = dir.path() + "/session.psreplay";
    fs::create_hard_link(victim, alias);
    EXPECT_NE(refusal(alias).find("hard links"), std::string::npos);
    EXPECT_EQ(proctest::readFile(victim), "precious");
}

TEST(PrivateFileTest, AFifoOrDirectoryIsRefusedWithoutBlocking) {
    proctest::TempDir dir;
    const std::string fifo = dir.path() + "/fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    EXPECT_NE(refusal(fifo).find("not a regular file"), std::string::npos);
    EXPECT_NE(refusal(dir.path()).find(dir.path()), std::string::npos);
}

TEST(PrivateFileTest, AMissingFolderIsNamedWithTheReason) {
    proctest::TempDir dir;
    const std::string path = dir.path() + "/no-such-dir/session.psreplay";
    const std::string message = refusal(path);
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find("No such file or directory"), std::string::npos) << message;
}

} // namespace
