// Where the socket capture attaches: the root of cgroup v2, found in /proc/self/mountinfo.

#include "linux/socket_capture.h"

#include <gtest/gtest.h>

namespace portscope::platform::linuxsys {
namespace {

TEST(Cgroup2MountPoint, FindsTheUnifiedHierarchyAmongOthers) {
    // A Debian 12 host in hybrid mode mounts v1 controllers and v2 side by side.
    const std::string hybrid =
        "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
        "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
        "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
    EXPECT_EQ(cgroup2MountPoint(hybrid), "/sys/fs/cgroup/unified");
    // Optional fields before the separator do not shift the mount point.
    EXPECT_EQ(cgroup2MountPoint("36 35 0:30 / /sys/fs/cgroup rw,nosuid shared:9 master:1 - "
                                "cgroup2 cgroup2 rw,nsdelegate\n"),
              "/sys/fs/cgroup");
}

TEST(Cgroup2MountPoint, IsEmptyWithoutOneAndForWhatItCannotReadSafely) {
    EXPECT_EQ(cgroup2MountPoint(""), "");
    EXPECT_EQ(cgroup2MountPoint("32 31 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"), "");
    EXPECT_EQ(cgroup2MountPoint("36 35 0:30 / /mnt/with\\040space rw - cgroup2 cgroup2 rw\n"), "");
    EXPECT_EQ(cgroup2MountPoint("garbage without a separator cgroup2\n - cgroup2\n"), "");
}

} // namespace
} // namespace portscope::platform::linuxsys
