#pragma once
// Process identity and details on Windows. A process is identified by its PID plus its
// creation time (GetProcessTimes, a FILETIME), so that a recycled PID is never taken for the
// process that held it before.

#include "portscope/core/model.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>
#include <windows.h>

namespace portscope::platform::winsys {

// The longest command line kept, in bytes of UTF-8.
inline constexpr std::size_t kMaxCommandLineBytes = 64 * 1024;

struct ProcessIdentity {
    core::ProcessKey key;            // startTime 0 when the process could not be opened
    DWORD openError = ERROR_SUCCESS; // why OpenProcess or GetProcessTimes failed
    bool opened() const { return openError == ERROR_SUCCESS; }
    // ERROR_INVALID_PARAMETER from OpenProcess means no process has this PID.
    bool exited() const { return openError == ERROR_INVALID_PARAMETER; }
};

// Opens the process for limited queries and reads its creation time.
ProcessIdentity identifyProcess(std::int32_t pid);

// The PID and name of every process, and its parent, from one Toolhelp snapshot. Readable
// without opening any process, so it also names protected and system processes.
struct ProcessListEntry {
    std::int32_t parentPid = 0;
    std::string exeName;
};
using ProcessList = std::unordered_map<std::int32_t, ProcessListEntry>;
ProcessList listProcesses(std::string* error);

// Every detail of one process that can be read: exe path, name, user, command line, parent,
// start time. What cannot be read is listed in detailsError ("exe: Access is denied (error 5)");
// a process that cannot be opened at all gets "details unavailable: <reason>". `list` (may be
// null) supplies names and parents.
core::Process readProcessDetails(const ProcessIdentity& identity, const ProcessList* list);

// The command line of a process: NtQueryInformationProcess(ProcessCommandLineInformation),
// or, where that class is missing (before Windows 8.1, and Wine), read from the process's
// PEB. Returns the empty string and sets *error when neither works.
std::string readCommandLine(HANDLE process, std::string* error);

// Names for the PIDs Windows reserves.
std::optional<std::string> reservedProcessName(std::int32_t pid);

} // namespace portscope::platform::winsys
