#include "portscope/platform/desktop_entries.h"

#include "portscope/core/text.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <system_error>

#ifndef _WIN32
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace portscope::platform {

namespace {

constexpr std::string_view kDesktopEntryGroup = "[Desktop Entry]";

// Programs that start another program, whose name therefore says nothing about which
// application runs: an entry launched through one of them names no program.
constexpr std::string_view kLaunchers[] = {
    "sh",   "bash",    "dash",    "zsh",        "fish",        "ksh",         "csh",   "tcsh",
    "env",  "flatpak", "snap",    "sudo",       "pkexec",      "xdg-open",    "gio",   "gtk-launch",
    "perl", "python",  "python3", "kioclient5", "ruby",        "java",        "wine",  "mono",
    "node", "nice",    "ionice",  "torsocks",   "dbus-launch", "systemd-run", "bwrap", "firejail"};

bool isLauncher(std::string_view program) {
    return std::find(std::begin(kLaunchers), std::end(kLaunchers), program) != std::end(kLaunchers);
}

bool hasControlCharacter(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7f;
    });
}

bool isValidUtf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = core::utf8SequenceLength(text, i);
        if (length == 0) {
            return false;
        }
        i += length;
    }
    return true;
}

// Undoes the escapes of a string value: \s \n \t \r \\. Other backslashes stay as written
// (Exec has its own quoting rules, which read them).
std::string unescapeValue(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i] != '\\' || i + 1 == value.size()) {
            out += value[i];
            continue;
        }
        switch (value[i + 1]) {
        case 's':
            out += ' ';
            break;
        case 'n':
            out += '\n';
            break;
        case 't':
            out += '\t';
            break;
        case 'r':
            out += '\r';
            break;
        case '\\':
            out += '\\';
            break;
        default:
            out += value[i];
            continue; // the next character is read on its own
        }
        ++i;
    }
    return out;
}

// A program as Exec or TryExec may name it: an absolute path or a bare file name.
bool usableProgram(std::string_view program) {
    if (program.empty() || program.size() > kMaxDesktopValueBytes || hasControlCharacter(program)) {
        return false;
    }
    if (program.front() == '/') {
        return program.back() != '/';
    }
    return program.find('/') == std::string_view::npos && program != "." && program != "..";
}

// An Icon= value Qt may be handed: an absolute path, or a theme name that cannot climb out of
// the theme's folders.
bool usableIcon(std::string_view icon) {
    if (icon.empty() || icon.size() > kMaxDesktopValueBytes || hasControlCharacter(icon)) {
        return false;
    }
    if (icon.front() == '/') {
        return icon.find("/../") == std::string_view::npos && !icon.ends_with("/..");
    }
    return icon.front() != '.' && icon.find('/') == std::string_view::npos &&
           icon.find('\\') == std::string_view::npos;
}

std::string_view fileNameOf(std::string_view path) {
    const std::size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// The words of an Exec value, in order, up to `maxWords`; nullopt when it is malformed.
std::optional<std::vector<std::string>> execWords(std::string_view exec, std::size_t maxWords) {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < exec.size() && words.size() < maxWords) {
        if (exec[i] == ' ' || exec[i] == '\t') {
            ++i;
            continue;
        }
        std::string word;
        if (exec[i] == '"') {
            // Inside quotes, only ", `, $ and \ may be escaped, and must be.
            ++i;
            bool closed = false;
            while (i < exec.size()) {
                const char c = exec[i];
                if (c == '"') {
                    closed = true;
                    ++i;
                    break;
                }
                if (c == '\\') {
                    if (i + 1 == exec.size()) {
                        return std::nullopt;
                    }
                    const char next = exec[i + 1];
                    if (next != '"' && next != '`' && next != '$' && next != '\\') {
                        return std::nullopt;
                    }
                    word += next;
                    i += 2;
                    continue;
                }
                if (c == '`' || c == '$') {
                    return std::nullopt;
                }
                word += c;
                ++i;
            }
            if (!closed || (i < exec.size() && exec[i] != ' ' && exec[i] != '\t')) {
                return std::nullopt; // an open quote, or a quote glued to more text
            }
        } else {
            while (i < exec.size() && exec[i] != ' ' && exec[i] != '\t') {
                if (exec[i] == '"') {
                    return std::nullopt; // a quote inside a word
                }
                word += exec[i];
                ++i;
            }
        }
        words.push_back(std::move(word));
    }
    return words;
}

// The contents of a regular file of at most kMaxDesktopEntryBytes, or nullopt. Opened without
// blocking, so that a FIFO put in place of a file cannot stall the reader.
std::optional<std::string> readSmallFile(const std::filesystem::path& path) {
    std::string text;
#ifndef _WIN32
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        return std::nullopt;
    }
    struct stat info {};
    bool ok = ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size >= 0 &&
              static_cast<std::size_t>(info.st_size) <= kMaxDesktopEntryBytes;
    if (ok) {
        text.resize(kMaxDesktopEntryBytes + 1);
        std::size_t filled = 0;
        while (filled < text.size()) {
            const ssize_t got = ::read(fd, text.data() + filled, text.size() - filled);
            if (got < 0) {
                ok = false;
                break;
            }
            if (got == 0) {
                break;
            }
            filled += static_cast<std::size_t>(got);
        }
        text.resize(filled);
        ok = ok && filled <= kMaxDesktopEntryBytes; // it grew while being read
    }
    ::close(fd);
    if (!ok) {
        return std::nullopt;
    }
#else
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error) ||
        std::filesystem::file_size(path, error) > kMaxDesktopEntryBytes || error) {
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    text.resize(kMaxDesktopEntryBytes + 1);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxDesktopEntryBytes) {
        return std::nullopt;
    }
#endif
    return text;
}

} // namespace

std::string desktopExecProgram(std::string_view exec) {
    // "env" may set several variables before the program; 64 words is far beyond real use.
    constexpr std::size_t kMaxWords = 64;
    const auto words = execWords(exec, kMaxWords);
    if (!words || words->empty()) {
        return {};
    }
    std::size_t first = 0;
    if ((*words)[0] == "env" || (*words)[0] == "/usr/bin/env") {
        first = 1;
        while (first < words->size() && (*words)[first].find('=') != std::string::npos) {
            ++first;
        }
        if (first < words->size() && (*words)[first].starts_with('-')) {
            return {}; // env options change what runs; not worth guessing
        }
    }
    if (first >= words->size()) {
        return {};
    }
    const std::string& program = (*words)[first];
    if (program.starts_with('%') || !usableProgram(program) || isLauncher(fileNameOf(program))) {
        return {};
    }
    return program;
}

std::optional<DesktopEntry> parseDesktopEntry(std::string_view text) {
    if (text.size() > kMaxDesktopEntryBytes || text.find('\0') != std::string_view::npos ||
        !isValidUtf8(text)) {
        return std::nullopt;
    }
    std::optional<std::string> type;
    std::optional<std::string> hidden;
    std::optional<std::string> icon;
    std::optional<std::string> exec;
    std::optional<std::string> tryExec;
    bool inEntryGroup = false;
    bool sawEntryGroup = false;
    std::size_t position = 0;
    while (position <= text.size()) {
        std::size_t end = text.find('\n', position);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        std::string_view line = text.substr(position, end - position);
        position = end + 1;
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        const std::string_view trimmed = core::trim(line);
        if (trimmed.empty() || trimmed.front() == '#') {
            continue;
        }
        if (trimmed.front() == '[') {
            inEntryGroup = trimmed == kDesktopEntryGroup;
            if (inEntryGroup && sawEntryGroup) {
                return std::nullopt; // the spec forbids a group twice
            }
            sawEntryGroup |= inEntryGroup;
            continue;
        }
        if (!inEntryGroup) {
            continue;
        }
        const std::size_t equals = line.find('=');
        if (equals == std::string_view::npos) {
            return std::nullopt; // neither comment, group nor key: not this format
        }
        const std::string_view key = core::trim(line.substr(0, equals));
        std::optional<std::string>* slot = key == "Type"      ? &type
                                           : key == "Hidden"  ? &hidden
                                           : key == "Icon"    ? &icon
                                           : key == "Exec"    ? &exec
                                           : key == "TryExec" ? &tryExec
                                                              : nullptr;
        if (slot == nullptr) {
            continue; // Name[de]=, Categories=, ...: not needed here
        }
        if (slot->has_value()) {
            return std::nullopt; // a key given twice: which one the desktop uses is unclear
        }
        *slot = unescapeValue(core::trim(line.substr(equals + 1)));
    }
    if (!sawEntryGroup || type != "Application" || hidden == "true" || !icon ||
        !usableIcon(*icon)) {
        return std::nullopt;
    }
    DesktopEntry entry;
    entry.icon = std::move(*icon);
    if (exec) {
        entry.program = desktopExecProgram(*exec);
    }
    if (tryExec && usableProgram(*tryExec) && !isLauncher(fileNameOf(*tryExec))) {
        entry.tryExec = std::move(*tryExec);
    }
    if (entry.program.empty() && entry.tryExec.empty()) {
        return std::nullopt;
    }
    return entry;
}

std::vector<std::filesystem::path> xdgDataDirectories() {
    std::vector<std::filesystem::path> directories;
    const auto addIfAbsolute = [&directories](std::string_view path) {
        if (!path.empty() && path.front() == '/') {
            directories.emplace_back(path);
        }
    };
    const char* dataHome = std::getenv("XDG_DATA_HOME");
    if (dataHome != nullptr && dataHome[0] == '/') {
        addIfAbsolute(dataHome);
    } else if (const char* home = std::getenv("HOME"); home != nullptr && home[0] == '/') {
        directories.push_back(std::filesystem::path(home) / ".local" / "share");
    }
    const char* dataDirs = std::getenv("XDG_DATA_DIRS");
    const std::string_view list = dataDirs != nullptr && dataDirs[0] != '\0'
                                      ? std::string_view(dataDirs)
                                      : std::string_view("/usr/local/share:/usr/share");
    std::size_t start = 0;
    while (start <= list.size()) {
        std::size_t colon = list.find(':', start);
        if (colon == std::string_view::npos) {
            colon = list.size();
        }
        addIfAbsolute(list.substr(start, colon - start));
        start = colon + 1;
    }
    return directories;
}

void DesktopIconIndex::addProgram(const std::string& program, const std::string& icon) {
    if (program.front() == '/') {
        byPath_.emplace(program, icon);
    }
    byName_.emplace(std::string(fileNameOf(program)), icon);
}

void DesktopIconIndex::add(const DesktopEntry& entry) {
    ++entries_;
    for (const std::string* program : {&entry.program, &entry.tryExec}) {
        if (!program->empty()) {
            addProgram(*program, entry.icon);
        }
    }
}

DesktopIconIndex DesktopIconIndex::build(const std::vector<std::filesystem::path>& applicationDirs,
                                         const Limits& limits) {
    namespace fs = std::filesystem;
    DesktopIconIndex index;
    std::unordered_map<std::string, bool> seenIds;
    std::size_t looked = 0;
    for (const fs::path& root : applicationDirs) {
        std::error_code error;
        fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied,
                                            error);
        for (const fs::recursive_directory_iterator end;
             !error && it != end && looked < limits.maxFiles; it.increment(error)) {
            ++looked;
            if (it.depth() >= limits.maxDepth) {
                it.disable_recursion_pending();
            }
            const fs::path& path = it->path();
            if (path.extension() != ".desktop") {
                continue;
            }
            std::string id = path.lexically_relative(root).generic_string();
            std::replace(id.begin(), id.end(), '/', '-');
            if (!seenIds.emplace(std::move(id), true).second) {
                continue; // a more important folder has this entry, perhaps as Hidden=true
            }
            const auto text = readSmallFile(path);
            if (!text) {
                continue;
            }
            ++index.filesRead_;
            const auto entry = parseDesktopEntry(*text);
            if (!entry) {
                continue;
            }
            index.add(*entry);
            // /usr/bin/firefox is often a link to where the program runs from.
            for (const std::string* program : {&entry->program, &entry->tryExec}) {
                std::error_code linkError;
                if (program->starts_with('/')) {
                    const fs::path real = fs::canonical(*program, linkError);
                    if (!linkError) {
                        index.byPath_.emplace(real.string(), entry->icon);
                    }
                }
            }
        }
    }
    return index;
}

std::string DesktopIconIndex::iconFor(std::string_view exePath) const {
    if (exePath.empty()) {
        return {};
    }
    if (const auto it = byPath_.find(std::string(exePath)); it != byPath_.end()) {
        return it->second;
    }
    if (const auto it = byName_.find(std::string(fileNameOf(exePath))); it != byName_.end()) {
        return it->second;
    }
    return {};
}

} // namespace portscope::platform
