// The Desktop Entry parser and the index of program icons built from applications/ folders:
// real files in a temporary folder, including the hostile ones a user's programs could write.

#include "portscope/platform/desktop_entries.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <random>
#include <string>

#ifndef _WIN32
#include <sys/stat.h>
#endif

namespace {

using portscope::platform::DesktopEntry;
using portscope::platform::desktopExecProgram;
using portscope::platform::DesktopIconIndex;
using portscope::platform::parseDesktopEntry;

namespace fs = std::filesystem;

std::string entryText(std::string_view body) {
    return "[Desktop Entry]\nType=Application\nName=Tool\n" + std::string(body);
}

TEST(DesktopEntryTest, ReadsIconExecAndTryExecOfTheEntryGroupOnly) {
    const auto entry = parseDesktopEntry("# comment\n"
                                         "[Desktop Entry]\r\n"
                                         "Type = Application\r\n"
                                         "Name[de]=Werkzeug\r\n"
                                         "Icon[de]=de-icon\r\n"
                                         "Icon=org.example.Tool\r\n"
                                         "TryExec=tool\r\n"
                                         "Exec=/opt/tool/bin/tool --open %F\r\n"
                                         "\r\n"
                                         "[Desktop Action other]\r\n"
                                         "Exec=/usr/bin/other\r\n"
                                         "Icon=other\r\n");
    ASSERT_TRUE(entry.has_value());
    EXPECT_EQ(entry->icon, "org.example.Tool");
    EXPECT_EQ(entry->program, "/opt/tool/bin/tool");
    EXPECT_EQ(entry->tryExec, "tool");
}

TEST(DesktopEntryTest, ExecProgramFollowsTheQuotingRulesAndSkipsEnv) {
    EXPECT_EQ(desktopExecProgram("firefox %u"), "firefox");
    EXPECT_EQ(desktopExecProgram("\"/opt/My Tool/tool\" --x"), "/opt/My Tool/tool");
    EXPECT_EQ(desktopExecProgram(R"("/opt/a\"b\\c" %f)"), R"(/opt/a"b\c)");
    EXPECT_EQ(desktopExecProgram("env LANG=C GDK_BACKEND=x11 /usr/bin/tool"), "/usr/bin/tool");
    // Malformed: an open quote, an escape the spec does not allow, a quote inside a word.
    EXPECT_EQ(desktopExecProgram("\"/opt/tool --x"), "");
    EXPECT_EQ(desktopExecProgram(R"("/opt/\a")"), "");
    EXPECT_EQ(desktopExecProgram("/opt/to\"ol\""), "");
    EXPECT_EQ(desktopExecProgram("\"/opt/tool\"x"), "");
    // A field code, a relative path or a launcher names no program of its own.
    EXPECT_EQ(desktopExecProgram("%U"), "");
    EXPECT_EQ(desktopExecProgram("./tool"), "");
    EXPECT_EQ(desktopExecProgram("sh -c 'tool'"), "");
    EXPECT_EQ(desktopExecProgram("/usr/bin/python3 /opt/tool.py"), "");
    EXPECT_EQ(desktopExecProgram("flatpak run org.example.Tool"), "");
    EXPECT_EQ(desktopExecProgram("env -u HOME tool"), "");
    EXPECT_EQ(desktopExecProgram("env A=1"), "");
    EXPECT_EQ(desktopExecProgram(""), "");
}

TEST(DesktopEntryTest, StringEscapesAreUndoneBeforeExecIsSplit) {
    // In the file, a backslash inside Exec quotes is written twice: once for the string, once
    // for the quoting.
    const auto entry = parseDesktopEntry(entryText("Icon=x\nExec=\"/opt/a\\\\\\\\b\"\n"));
    ASSERT_TRUE(entry.has_value());
    EXPECT_EQ(entry->program, "/opt/a\\b");
    const auto spaced = parseDesktopEntry(entryText("Icon=/opt/My\\sTool/icon.png\nExec=tool\n"));
    ASSERT_TRUE(spaced.has_value());
    EXPECT_EQ(spaced->icon, "/opt/My Tool/icon.png");
}

TEST(DesktopEntryTest, RefusesWhatItCannotReadClearly) {
    const std::string good = entryText("Icon=tool\nExec=tool\n");
    ASSERT_TRUE(parseDesktopEntry(good).has_value());
    // Not an application, deleted, no group, the group twice, a key twice, a stray line.
    EXPECT_FALSE(parseDesktopEntry("[Desktop Entry]\nType=Link\nIcon=x\nExec=tool\n"));
    EXPECT_FALSE(parseDesktopEntry(good + "Hidden=true\n"));
    EXPECT_FALSE(parseDesktopEntry("Type=Application\nIcon=x\nExec=tool\n"));
    EXPECT_FALSE(parseDesktopEntry(good + "[Desktop Entry]\nIcon=y\n"));
    EXPECT_FALSE(parseDesktopEntry(good + "Icon=other\n"));
    EXPECT_FALSE(parseDesktopEntry(good + "just words\n"));
    // Not text: a NUL byte, invalid UTF-8.
    EXPECT_FALSE(parseDesktopEntry(good + std::string("Name=a\0b\n", 9)));
    EXPECT_FALSE(parseDesktopEntry(good + "Name=\xff\xfe\n"));
    // Icons that would leave the icon theme, or carry control characters.
    for (const char* icon :
         {"../../../../etc/passwd", "sub/icon", ".hidden", "/opt/../../x.png", "a\\tb", "a\\nb"}) {
        EXPECT_FALSE(parseDesktopEntry(entryText(std::string("Icon=") + icon + "\nExec=tool\n")))
            << icon;
    }
    // No program named: a launcher, and no TryExec to fall back on.
    EXPECT_FALSE(parseDesktopEntry(entryText("Icon=x\nExec=sh -c tool\n")));
    // Over the size limit, even though the entry itself is fine.
    EXPECT_FALSE(parseDesktopEntry(good + "# " +
                                   std::string(portscope::platform::kMaxDesktopEntryBytes, 'x')));
    // A value over its limit.
    EXPECT_FALSE(parseDesktopEntry(
        entryText("Icon=" + std::string(portscope::platform::kMaxDesktopValueBytes + 1, 'i') +
                  "\nExec=tool\n")));
}

TEST(DesktopEntryTest, TryExecNamesTheProgramWhenExecGoesThroughALauncher) {
    const auto entry =
        parseDesktopEntry(entryText("Icon=tool\nTryExec=/usr/bin/tool\nExec=sh -c tool\n"));
    ASSERT_TRUE(entry.has_value());
    EXPECT_EQ(entry->program, "");
    EXPECT_EQ(entry->tryExec, "/usr/bin/tool");
}

class DesktopIconIndexTest : public ::testing::Test {
protected:
    void SetUp() override {
        root = fs::temp_directory_path() /
               ("portscope-desktop-" + std::to_string(std::random_device{}()));
        user = root / "user" / "applications";
        system = root / "system" / "applications";
        fs::create_directories(user);
        fs::create_directories(system / "kde");
    }
    void TearDown() override { fs::remove_all(root); }

    static void write(const fs::path& path, std::string_view text) {
        std::ofstream out(path, std::ios::binary);
        out << text;
    }

    fs::path root;
    fs::path user;
    fs::path system;
};

TEST_F(DesktopIconIndexTest, FindsAProgramByPathThenByFileNameAndTheUserFolderWins) {
    write(system / "editor.desktop", entryText("Icon=system-editor\nExec=/usr/bin/editor %F\n"));
    write(system / "kde" / "viewer.desktop", entryText("Icon=viewer\nExec=viewer\n"));
    write(system / "browser.desktop", entryText("Icon=system-browser\nExec=browser\n"));
    // The user's copy of the same file ID replaces the system's; a Hidden one removes it.
    write(user / "browser.desktop", entryText("Icon=my-browser\nExec=browser\n"));
    write(user / "kde-viewer.desktop", entryText("Icon=gone\nExec=viewer\nHidden=true\n"));
    write(system / "notes.txt", "Icon=nope\n");

    const DesktopIconIndex index = DesktopIconIndex::build({user, system});
    EXPECT_EQ(index.iconFor("/usr/bin/editor"), "system-editor");
    EXPECT_EQ(index.iconFor("/opt/elsewhere/editor"), "system-editor") << "by file name";
    EXPECT_EQ(index.iconFor("/usr/lib/browser/browser"), "my-browser");
    EXPECT_EQ(index.iconFor("/usr/bin/viewer"), "") << "hidden by the user's kde-viewer.desktop";
    EXPECT_EQ(index.iconFor("/usr/bin/unknown"), "");
    EXPECT_EQ(index.iconFor(""), "");
    EXPECT_EQ(index.entryCount(), 2u);
}

#ifndef _WIN32 // symbolic links and FIFOs, as a Linux desktop has them

TEST_F(DesktopIconIndexTest, AProgramReachedThroughALinkIsFoundAtItsRealPath) {
    const fs::path real = root / "opt" / "tool-real";
    fs::create_directories(real.parent_path());
    write(real, "#!/bin/true\n");
    const fs::path link = root / "bin-tool";
    fs::create_symlink(real, link);
    write(system / "tool.desktop", entryText("Icon=tool\nExec=" + link.string() + "\n"));
    const DesktopIconIndex index = DesktopIconIndex::build({system});
    EXPECT_EQ(index.iconFor(real.string()), "tool");
}

TEST_F(DesktopIconIndexTest, SkipsOversizedFilesSpecialFilesAndFolderLinksAndStopsAtItsLimit) {
    write(system / "big.desktop",
          entryText("Icon=big\nExec=big\n# " +
                    std::string(portscope::platform::kMaxDesktopEntryBytes, 'x') + "\n"));
    // A folder link could loop back on itself; it is not followed.
    fs::create_directory_symlink(system, system / "loop");
    // A FIFO named like an entry must not block the reader.
    ASSERT_EQ(::mkfifo((system / "fifo.desktop").c_str(), 0600), 0);
    write(system / "ok.desktop", entryText("Icon=ok\nExec=ok\n"));
    const DesktopIconIndex index = DesktopIconIndex::build({system});
    EXPECT_EQ(index.iconFor("/usr/bin/big"), "");
    EXPECT_EQ(index.iconFor("/usr/bin/ok"), "ok");
    EXPECT_EQ(index.entryCount(), 1u);

    for (int i = 0; i < 20; ++i) {
        write(user / ("many" + std::to_string(i) + ".desktop"),
              entryText("Icon=many\nExec=many" + std::to_string(i) + "\n"));
    }
    DesktopIconIndex::Limits limits;
    limits.maxFiles = 5;
    EXPECT_EQ(DesktopIconIndex::build({user, system}, limits).filesRead(), 5u);
}

#endif

} // namespace
