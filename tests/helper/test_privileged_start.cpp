// The front ends refuse to run with privileges that a file capability (setcap) or a setuid
// bit gave them. A copy of the real program gets the file capability cap_net_admin+ep and is
// started as `nobody`: the GUI must stop before Qt looks for a single plugin, and the CLI
// before it reads or touches anything. Real root keeps running as before.

#include "helper_test_support.h"

#include <cerrno>
#include <cstring>
#include <endian.h>
#include <filesystem>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace portscope::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A copy of a program in a fresh directory that every user may enter, carrying the file
// capability cap_net_admin in its permitted and effective sets, as
// `setcap cap_net_admin+ep COPY` would leave it. `skipReason()` says why it could not be made.
class CapableCopy {
public:
    explicit CapableCopy(const std::string& program) {
        if (::geteuid() != 0) {
            skipReason_ = "needs root to set a file capability";
            return;
        }
        char dir[] = "/tmp/portscope-capable-XXXXXX";
        if (::mkdtemp(dir) == nullptr) {
            skipReason_ = "cannot create a directory in /tmp";
            return;
        }
        dir_ = dir;
        struct statvfs mount {};
        if (::statvfs(dir, &mount) == 0 && (mount.f_flag & ST_NOSUID) != 0) {
            skipReason_ = "/tmp is mounted nosuid, which makes the kernel ignore file capabilities";
            return;
        }
        // mkdtemp makes the directory 0700; nobody must be able to reach the copy.
        std::filesystem::permissions(dir_, std::filesystem::perms(0755));
        path_ = dir_ / std::filesystem::path(program).filename();
        std::filesystem::copy_file(program, path_);
        std::filesystem::permissions(path_, std::filesystem::perms(0755));
        vfs_cap_data capability{};
        capability.magic_etc = htole32(VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE);
        capability.data[0].permitted = htole32(1u << CAP_NET_ADMIN);
        if (::setxattr(path_.c_str(), "security.capability", &capability, sizeof capability, 0) !=
            0) {
            skipReason_ =
                std::string("this file system refuses file capabilities: ") + std::strerror(errno);
        }
    }
    ~CapableCopy() {
        if (!dir_.empty()) {
            std::error_code ignored;
            std::filesystem::remove_all(dir_, ignored);
        }
    }
    CapableCopy(const CapableCopy&) = delete;
    CapableCopy& operator=(const CapableCopy&) = delete;

    const std::string& skipReason() const { return skipReason_; }
    std::string path() const { return path_.string(); }
    std::string directory() const { return dir_.string(); }

private:
    std::filesystem::path dir_;
    std::filesystem::path path_;
    std::string skipReason_;
};

class PrivilegedStart : public ::testing::Test {
protected:
    void SetUp() override {
        const auto user = nobodyUser();
        if (!user) {
            GTEST_SKIP() << "no user 'nobody' on this system";
        }
        nobody_.uid = user->first;
        nobody_.gid = user->second;
        nobody_.timeout = 20s;
    }

    RunAs nobody_;
};

TEST_F(PrivilegedStart, CliRefusesFileCapabilitiesWhenNotRoot) {
    const CapableCopy copy(PORTSCOPE_CLI_PATH);
    if (!copy.skipReason().empty()) {
        GTEST_SKIP() << copy.skipReason();
    }
    const auto result = runProgramAs({copy.path(), "snapshot"}, nobody_);
    EXPECT_EQ(result.exitCode, 1) << result.out << result.err;
    EXPECT_EQ(result.out, ""); // it read nothing of the system
    EXPECT_THAT(result.err, HasSubstr("portscope-cli: refusing to run"));
    EXPECT_THAT(result.err, HasSubstr("capabilities"));
    EXPECT_THAT(result.err, HasSubstr("--elevated"));
    EXPECT_THAT(result.err, HasSubstr("portscope-helper"));
}

TEST_F(PrivilegedStart, RealRootStillRunsAProgramWithFileCapabilities) {
    const CapableCopy copy(PORTSCOPE_CLI_PATH);
    if (!copy.skipReason().empty()) {
        GTEST_SKIP() << copy.skipReason();
    }
    RunAs asRoot;
    asRoot.timeout = 20s;
    const auto result = runProgramAs({copy.path(), "--version"}, asRoot);
    EXPECT_EQ(result.exitCode, 0) << result.err;
    EXPECT_THAT(result.out, HasSubstr("portscope-cli"));
    EXPECT_THAT(result.err, Not(HasSubstr("refusing")));
}

#ifdef PORTSCOPE_GUI_PATH

TEST_F(PrivilegedStart, GuiRefusesFileCapabilitiesBeforeLoadingAnyPlugin) {
    const CapableCopy copy(PORTSCOPE_GUI_PATH);
    if (!copy.skipReason().empty()) {
        GTEST_SKIP() << copy.skipReason();
    }
    // Qt reports every plugin directory it scans under QT_DEBUG_PLUGINS; the directory named
    // here (the copy's own, which nobody can write) is what an attacker would point it at.
    const std::string pluginDir = copy.directory();
    const auto result =
        runProgramAs({"/usr/bin/env", "QT_DEBUG_PLUGINS=1", "QT_QPA_PLATFORM=offscreen",
                      "QT_QPA_PLATFORM_PLUGIN_PATH=" + pluginDir, copy.path(),
                      "-platformpluginpath", pluginDir, "-platform", "offscreen"},
                     nobody_);
    EXPECT_EQ(result.exitCode, 1) << result.out << result.err;
    EXPECT_THAT(result.err, HasSubstr("portscope: refusing to start"));
    EXPECT_THAT(result.err, HasSubstr("capabilities"));
    EXPECT_THAT(result.err, HasSubstr("Show all processes (administrator)"));
    EXPECT_THAT(result.err, HasSubstr("portscope-helper"));
    // No plugin was looked for, let alone loaded (Qt logs both under qt.core.plugin and
    // qt.core.library).
    EXPECT_EQ(result.err.find("qt.core."), std::string::npos) << "Qt looked for plugins";
    EXPECT_EQ(result.err.find(pluginDir), std::string::npos) << "Qt looked into " << pluginDir;
}

#endif

} // namespace
} // namespace portscope::testing
