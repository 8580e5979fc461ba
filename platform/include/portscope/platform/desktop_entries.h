#pragma once
// The icon a Linux desktop shows for a program, from the freedesktop.org Desktop Entry files
// (*.desktop) in the applications/ folders of the XDG data directories. Any program the user
// runs may write such a file into ~/.local/share/applications, so they are read as hostile
// input: each file and each value is bounded, only a few keys are read, and a file that breaks
// the format where those keys are concerned is dropped whole rather than guessed at.
//
// Plain C++ with no desktop library: the GUI turns the Icon= value into a picture, and the
// parser is fuzzed like every other parser of outside bytes (docs/fuzzing.md).

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace portscope::platform {

// What finding a program's icon needs of one application entry.
struct DesktopEntry {
    std::string icon;    // Icon=: a theme icon name, or an absolute path to an image
    std::string program; // the program Exec= starts: its first word, after "env VAR=value"
    std::string tryExec; // TryExec=: a program name or an absolute path
};

// A larger file is not read: real entries are a few KB, translations included.
inline constexpr std::size_t kMaxDesktopEntryBytes = 64 * 1024;
// A longer Icon, Exec program or TryExec is refused.
inline constexpr std::size_t kMaxDesktopValueBytes = 4096;

// The entry of a file's [Desktop Entry] group, or nullopt when the file is over the size limit,
// not valid UTF-8, holds a NUL byte, has no such group or more than one, repeats a key read
// here, is not Type=Application, is Hidden=true (deleted, per the spec), has no usable Icon, or
// names no program. Exec and TryExec that are malformed, or that start a launcher or
// interpreter (sh, env -u, flatpak, python3...), name no program: the icon of the application
// would otherwise go to every shell or interpreter.
std::optional<DesktopEntry> parseDesktopEntry(std::string_view text);

// The program of an Exec= value (after the string escapes \s \n \t \r \\ are undone): the first
// word, with the spec's double-quote rules, skipping "env" and its VAR=value words. Empty when
// the value is malformed (an open quote, an unknown escape in quotes, a field code first) or
// the program is a launcher or interpreter.
std::string desktopExecProgram(std::string_view exec);

// The XDG data directories, most important first: $XDG_DATA_HOME (default ~/.local/share),
// then each of $XDG_DATA_DIRS (default /usr/local/share:/usr/share). Relative entries, which
// the spec says to ignore, are left out.
std::vector<std::filesystem::path> xdgDataDirectories();

class DesktopIconIndex {
public:
    struct Limits {
        std::size_t maxFiles = 8192; // directory entries looked at, over all folders
        int maxDepth = 3;            // sub-folders below applications/ (the spec allows them)
    };

    // Reads the *.desktop files under each of `applicationDirs` (most important first). A file
    // ID (its path below applications/, '/' read as '-') seen in an earlier folder hides the
    // same ID later, as the spec says: a user's Hidden=true copy removes the system's entry.
    // Symbolic links to files are read; links to folders are not followed; unreadable folders
    // and files are skipped.
    static DesktopIconIndex build(const std::vector<std::filesystem::path>& applicationDirs,
                                  const Limits& limits);
    static DesktopIconIndex build(const std::vector<std::filesystem::path>& applicationDirs) {
        return build(applicationDirs, Limits{});
    }

    // Adds one entry; an earlier entry keeps a program it already names.
    void add(const DesktopEntry& entry);

    // The Icon= value of the entry naming `exePath`: one whose Exec or TryExec is that path
    // (or a link to it), else one that names a program of the same file name. Empty if none.
    std::string iconFor(std::string_view exePath) const;

    std::size_t entryCount() const { return entries_; }
    std::size_t filesRead() const { return filesRead_; }

private:
    void addProgram(const std::string& program, const std::string& icon);

    std::unordered_map<std::string, std::string> byPath_; // absolute program path -> icon
    std::unordered_map<std::string, std::string> byName_; // program file name -> icon
    std::size_t entries_ = 0;
    std::size_t filesRead_ = 0;
};

} // namespace portscope::platform
