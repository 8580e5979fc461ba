#pragma once
// Process details from /proc: parsers over text (testable with captured fixtures) and thin
// readers on top of them.

#include "linux/proc_file.h"
#include "portscope/core/model.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace portscope::platform::linuxsys {

// The fields of /proc/PID/stat that PortScope uses.
struct ProcStat {
    int pid = 0;
    std::string comm;
    char state = '?';
    int ppid = 0;
    std::uint64_t startTime = 0; // field 22: clock ticks after boot
};

// The command name sits between the first '(' and the LAST ')', because it may itself contain
// spaces and parentheses. Returns nullopt for truncated or malformed text.
std::optional<ProcStat> parseProcStat(std::string_view text);

// Only the start time (field 22), without copying the name; for hot paths.
std::optional<std::uint64_t> parseProcStatStartTime(std::string_view text);

// The real uid from the "Uid:" line of /proc/PID/status.
std::optional<std::uint32_t> parseStatusUid(std::string_view statusText);

// The longest command line kept, in bytes.
inline constexpr std::size_t kMaxCommandLineBytes = 64 * 1024;

// /proc/PID/cmdline (arguments separated by NUL) as one line joined by spaces. Trailing NULs
// are dropped, control characters and invalid UTF-8 become '?', and the result is capped at
// kMaxCommandLineBytes.
std::string parseCmdline(std::string_view raw);

struct ExeLink {
    std::string path;
    bool deleted = false;
};
// The target of /proc/PID/exe; the kernel appends " (deleted)" once the file is unlinked.
ExeLink parseExeLink(std::string_view target);

// Seconds since the epoch at boot, from the "btime" line of /proc/stat.
std::optional<std::int64_t> parseBootTime(std::string_view procStatText);

// sysconf(_SC_CLK_TCK), the unit of ProcStat::startTime.
long clockTicksPerSecond();

// When a process started, in Unix milliseconds.
std::int64_t startedAtUnixMs(std::int64_t bootTimeSeconds, std::uint64_t startTimeTicks,
                             long ticksPerSecond);

// The user name for a uid (getpwuid_r, cached); the number as text when there is none.
std::string userNameOf(std::uint32_t uid);

// Reads /PROCROOT/PID/stat.
std::optional<ProcStat> readProcStat(int pid, std::string* error,
                                     std::string_view procRoot = "/proc");

// Every detail of one process that can be read. Returns nullopt (and says why in *error)
// only when the process does not exist or its stat file cannot be read; details that cannot
// be read (exe of another user's process, ...) are listed in Process::detailsError.
std::optional<core::Process> readProcess(int pid, std::string* error,
                                         std::string_view procRoot = "/proc");

} // namespace portscope::platform::linuxsys
