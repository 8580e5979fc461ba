#include "linux/proc_process.h"

#include "portscope/core/text.h"
#include "portscope/platform/system.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <limits>
#include <mutex>
#include <pwd.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace portscope::platform::linuxsys {

namespace {

// The parts of a stat line, as views into the text.
struct StatFields {
    int pid = 0;
    std::string_view comm;
    char state = '?';
    int ppid = 0;
    std::uint64_t startTime = 0;
};

bool isStatSeparator(char c) {
    return c == ' ' || c == '\n';
}

std::string_view nextToken(std::string_view& rest) {
    std::size_t begin = 0;
    while (begin < rest.size() && isStatSeparator(rest[begin])) {
        ++begin;
    }
    std::size_t end = begin;
    while (end < rest.size() && !isStatSeparator(rest[end])) {
        ++end;
    }
    std::string_view token = rest.substr(begin, end - begin);
    rest.remove_prefix(end);
    return token;
}

template <typename Number>
std::optional<Number> parseWhole(std::string_view text) {
    Number value{};
    if (text.empty()) {
        return std::nullopt;
    }
    const char* last = text.data() + text.size();
    auto [end, ec] = std::from_chars(text.data(), last, value);
    if (ec != std::errc() || end != last) {
        return std::nullopt;
    }
    return value;
}

std::optional<StatFields> parseStatFields(std::string_view text) {
    const std::size_t open = text.find('(');
    const std::size_t close = text.rfind(')');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open ||
        open < 2 || text[open - 1] != ' ') {
        return std::nullopt;
    }
    StatFields fields;
    const auto pid = parseWhole<int>(text.substr(0, open - 1));
    if (!pid || *pid <= 0) {
        return std::nullopt;
    }
    fields.pid = *pid;
    fields.comm = text.substr(open + 1, close - open - 1);

    std::string_view rest = text.substr(close + 1);
    if (rest.empty() || rest.front() != ' ') {
        return std::nullopt;
    }
    const std::string_view state = nextToken(rest);
    if (state.size() != 1) {
        return std::nullopt;
    }
    fields.state = state.front();
    const auto ppid = parseWhole<int>(nextToken(rest));
    if (!ppid || *ppid < 0) {
        return std::nullopt;
    }
    fields.ppid = *ppid;
    // Fields 5 to 21 (pgrp ... itrealvalue) are not needed, but they must be there.
    constexpr int kFieldsBeforeStartTime = 17;
    for (int i = 0; i < kFieldsBeforeStartTime; ++i) {
        if (nextToken(rest).empty()) {
            return std::nullopt;
        }
    }
    const auto startTime = parseWhole<std::uint64_t>(nextToken(rest));
    // The kernel always writes fields after the start time; their absence means the line was
    // cut, possibly inside the start time itself.
    if (!startTime || nextToken(rest).empty()) {
        return std::nullopt;
    }
    fields.startTime = *startTime;
    return fields;
}

std::string describeErrno(int error) {
    if (error == EACCES || error == EPERM) {
        return "permission denied";
    }
    return std::generic_category().message(error);
}

std::string processDirectory(int pid, std::string_view procRoot) {
    std::string path(procRoot);
    path += '/';
    path += std::to_string(pid);
    return path;
}

// errno of a failed readlink, or 0 with the target in `out`.
int readLinkTarget(const std::string& path, std::string& out) {
    std::vector<char> buffer(512);
    for (int attempt = 0; attempt < 8; ++attempt) {
        const ssize_t length = ::readlink(path.c_str(), buffer.data(), buffer.size());
        if (length < 0) {
            return errno;
        }
        if (static_cast<std::size_t>(length) < buffer.size()) {
            out.assign(buffer.data(), static_cast<std::size_t>(length));
            return 0;
        }
        buffer.resize(buffer.size() * 4);
    }
    return ENAMETOOLONG;
}

std::optional<std::int64_t> readBootTime(std::string_view procRoot, int* errorNumber) {
    std::string text;
    const int error = readProcFile(std::string(procRoot) + "/stat", text);
    if (error != 0) {
        *errorNumber = error;
        return std::nullopt;
    }
    *errorNumber = 0;
    return parseBootTime(text);
}

// The boot time never changes while we run, so /proc/stat is read once.
std::optional<std::int64_t> systemBootTime(int* errorNumber) {
    static int storedError = 0;
    static const std::optional<std::int64_t> bootTime = readBootTime("/proc", &storedError);
    *errorNumber = storedError;
    return bootTime;
}

std::string_view baseName(std::string_view path) {
    const std::size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

} // namespace

std::optional<ProcStat> parseProcStat(std::string_view text) {
    const auto fields = parseStatFields(text);
    if (!fields) {
        return std::nullopt;
    }
    return ProcStat{fields->pid, std::string(fields->comm), fields->state, fields->ppid,
                    fields->startTime};
}

std::optional<std::uint64_t> parseProcStatStartTime(std::string_view text) {
    const auto fields = parseStatFields(text);
    if (!fields) {
        return std::nullopt;
    }
    return fields->startTime;
}

std::optional<std::uint32_t> parseStatusUid(std::string_view statusText) {
    constexpr std::string_view kUidLabel = "Uid:";
    std::size_t lineStart = 0;
    while (lineStart < statusText.size()) {
        std::size_t lineEnd = statusText.find('\n', lineStart);
        if (lineEnd == std::string_view::npos) {
            lineEnd = statusText.size();
        }
        std::string_view line = statusText.substr(lineStart, lineEnd - lineStart);
        if (line.substr(0, kUidLabel.size()) == kUidLabel) {
            line.remove_prefix(kUidLabel.size());
            std::size_t begin = 0;
            while (begin < line.size() && (line[begin] == ' ' || line[begin] == '\t')) {
                ++begin;
            }
            std::size_t end = begin;
            while (end < line.size() && line[end] != ' ' && line[end] != '\t') {
                ++end;
            }
            return parseWhole<std::uint32_t>(line.substr(begin, end - begin));
        }
        lineStart = lineEnd + 1;
    }
    return std::nullopt;
}

std::string parseCmdline(std::string_view raw) {
    // A little beyond the cap, so that a character crossing it is seen whole and dropped.
    constexpr std::size_t kLongestUtf8Sequence = 4;
    if (raw.size() > kMaxCommandLineBytes + kLongestUtf8Sequence) {
        raw = raw.substr(0, kMaxCommandLineBytes + kLongestUtf8Sequence);
    }
    while (!raw.empty() && raw.back() == '\0') {
        raw.remove_suffix(1);
    }
    std::string joined(raw);
    std::replace(joined.begin(), joined.end(), '\0', ' ');
    return core::sanitizeForDisplay(joined, kMaxCommandLineBytes);
}

ExeLink parseExeLink(std::string_view target) {
    constexpr std::string_view kDeletedSuffix = " (deleted)";
    ExeLink link;
    if (target.size() > kDeletedSuffix.size() &&
        target.substr(target.size() - kDeletedSuffix.size()) == kDeletedSuffix) {
        target.remove_suffix(kDeletedSuffix.size());
        link.deleted = true;
    }
    link.path = std::string(target);
    return link;
}

std::optional<std::int64_t> parseBootTime(std::string_view procStatText) {
    constexpr std::string_view kLabel = "btime";
    std::size_t lineStart = 0;
    while (lineStart < procStatText.size()) {
        std::size_t lineEnd = procStatText.find('\n', lineStart);
        if (lineEnd == std::string_view::npos) {
            lineEnd = procStatText.size();
        }
        std::string_view line = procStatText.substr(lineStart, lineEnd - lineStart);
        if (line.size() > kLabel.size() && line.substr(0, kLabel.size()) == kLabel &&
            line[kLabel.size()] == ' ') {
            line.remove_prefix(kLabel.size());
            while (!line.empty() && line.front() == ' ') {
                line.remove_prefix(1);
            }
            while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) {
                line.remove_suffix(1);
            }
            const auto value = parseWhole<std::int64_t>(line);
            if (!value || *value <= 0) {
                return std::nullopt;
            }
            return value;
        }
        lineStart = lineEnd + 1;
    }
    return std::nullopt;
}

long clockTicksPerSecond() {
    static const long ticks = [] {
        const long value = ::sysconf(_SC_CLK_TCK);
        return value > 0 ? value : 100;
    }();
    return ticks;
}

std::int64_t startedAtUnixMs(std::int64_t bootTimeSeconds, std::uint64_t startTimeTicks,
                             long ticksPerSecond) {
    if (ticksPerSecond <= 0 || bootTimeSeconds <= 0) {
        return 0;
    }
    const auto ticks = static_cast<std::uint64_t>(ticksPerSecond);
    // Split so that no step overflows, even for an absurd tick count.
    const std::uint64_t wholeSeconds = startTimeTicks / ticks;
    const std::uint64_t remainderMs = (startTimeTicks % ticks) * 1000 / ticks;
    constexpr auto kMaxSeconds =
        static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() / 1000) / 2;
    if (wholeSeconds > kMaxSeconds || static_cast<std::uint64_t>(bootTimeSeconds) > kMaxSeconds) {
        return 0;
    }
    return bootTimeSeconds * 1000 + static_cast<std::int64_t>(wholeSeconds * 1000 + remainderMs);
}

std::string userNameOf(std::uint32_t uid) {
    static std::mutex mutex;
    static std::unordered_map<std::uint32_t, std::string> cache;
    constexpr std::size_t kMaxCachedNames = 1024;
    {
        std::lock_guard lock(mutex);
        if (const auto found = cache.find(uid); found != cache.end()) {
            return found->second;
        }
    }
    std::string name = std::to_string(uid);
    long suggested = ::sysconf(_SC_GETPW_R_SIZE_MAX);
    std::vector<char> buffer(suggested > 0 ? static_cast<std::size_t>(suggested) : 4096);
    for (int attempt = 0; attempt < 6; ++attempt) {
        passwd entry{};
        passwd* result = nullptr;
        const int error = ::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &result);
        if (error == ERANGE) {
            buffer.resize(buffer.size() * 4);
            continue;
        }
        if (error == 0 && result != nullptr && result->pw_name != nullptr &&
            result->pw_name[0] != '\0') {
            name = core::sanitizeForDisplay(result->pw_name, 256);
        }
        break;
    }
    std::lock_guard lock(mutex);
    if (cache.size() >= kMaxCachedNames) {
        cache.clear();
    }
    cache.emplace(uid, name);
    return name;
}

std::optional<ProcStat> readProcStat(int pid, std::string* error, std::string_view procRoot) {
    const std::string path = processDirectory(pid, procRoot) + "/stat";
    std::string text;
    const int readError = readProcFile(path, text, 64 * 1024);
    if (readError != 0) {
        if (error != nullptr) {
            *error = readError == ENOENT || readError == ESRCH
                         ? "process " + std::to_string(pid) + " does not exist"
                         : "cannot read " + path + ": " + describeErrno(readError);
        }
        return std::nullopt;
    }
    auto stat = parseProcStat(text);
    if (!stat) {
        if (error != nullptr) {
            *error = "cannot parse " + path;
        }
        return std::nullopt;
    }
    return stat;
}

std::optional<core::Process> readProcess(int pid, std::string* error, std::string_view procRoot) {
    const auto stat = readProcStat(pid, error, procRoot);
    if (!stat) {
        return std::nullopt;
    }
    const std::string directory = processDirectory(pid, procRoot);
    std::vector<std::string> problems;
    core::Process process;
    process.key = core::ProcessKey{stat->pid, stat->startTime};
    process.parentPid = stat->ppid;

    std::string target;
    if (const int exeError = readLinkTarget(directory + "/exe", target); exeError == 0) {
        ExeLink exe = parseExeLink(target);
        process.exePath = core::sanitizeForDisplay(exe.path, kMaxCommandLineBytes);
        process.exeDeleted = exe.deleted;
    } else if (exeError != ENOENT) {
        // ENOENT: kernel threads and zombies have no executable, which is not a failure.
        problems.push_back("exe: " + describeErrno(exeError));
    }

    std::string text;
    if (const int cmdlineError =
            readProcFile(directory + "/cmdline", text, kMaxCommandLineBytes + 4);
        cmdlineError == 0) {
        process.commandLine = parseCmdline(text);
    } else {
        problems.push_back("command line: " + describeErrno(cmdlineError));
    }

    std::optional<std::uint32_t> uid;
    if (const int statusError = readProcFile(directory + "/status", text, 64 * 1024);
        statusError == 0) {
        uid = parseStatusUid(text);
    }
    if (!uid) {
        // The owner of /proc/PID is the effective uid: close enough when status is unusable.
        struct stat directoryStat {};
        if (::stat(directory.c_str(), &directoryStat) == 0) {
            uid = directoryStat.st_uid;
        } else {
            problems.push_back("user: " + describeErrno(errno));
        }
    }
    if (uid) {
        process.uid = *uid;
        process.userName = userNameOf(*uid);
    }

    int bootError = 0;
    const auto bootTime =
        procRoot == "/proc" ? systemBootTime(&bootError) : readBootTime(procRoot, &bootError);
    if (bootTime) {
        process.startedAtUnixMs =
            startedAtUnixMs(*bootTime, stat->startTime, clockTicksPerSecond());
    } else {
        problems.push_back("start time: " + (bootError != 0 ? describeErrno(bootError)
                                                            : std::string("no btime in stat")));
    }

    struct stat namespaceStat {};
    if (::stat((directory + "/ns/net").c_str(), &namespaceStat) == 0) {
        process.netns = namespaceStat.st_ino;
    } else if (errno != ENOENT) {
        problems.push_back("network namespace: " + describeErrno(errno));
    }

    // comm is cut at 15 bytes; the executable's name is the untruncated one.
    constexpr std::size_t kCommLimit = 15;
    process.name = core::sanitizeForDisplay(stat->comm, 256);
    const std::string_view exeName = baseName(process.exePath);
    if ((stat->comm.size() == kCommLimit && exeName.size() > kCommLimit &&
         exeName.substr(0, kCommLimit) == process.name) ||
        (process.name.empty() && !exeName.empty())) {
        process.name = std::string(exeName);
    }

    for (const std::string& problem : problems) {
        if (!process.detailsError.empty()) {
            process.detailsError += "; ";
        }
        process.detailsError += problem;
    }
    if (error != nullptr) {
        error->clear();
    }
    return process;
}

} // namespace portscope::platform::linuxsys

namespace portscope::platform {

std::optional<core::ProcessKey> currentProcessKey(std::int32_t pid) {
    if (pid <= 0) {
        return std::nullopt;
    }
    const auto stat = linuxsys::readProcStat(pid, nullptr);
    if (!stat) {
        return std::nullopt;
    }
    return core::ProcessKey{stat->pid, stat->startTime};
}

std::optional<core::Process> processDetails(const core::ProcessKey& key) {
    if (!key.valid()) {
        return std::nullopt;
    }
    auto process = linuxsys::readProcess(key.pid, nullptr);
    if (!process || process->key.startTime != key.startTime) {
        return std::nullopt;
    }
    return process;
}

} // namespace portscope::platform
