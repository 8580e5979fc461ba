// Stopping a process and closing a connection on Windows. A kill is checked against the start
// time the user saw, so a recycled PID is never hit; a close is checked afterwards, because a
// success code from SetTcpEntry alone does not prove the connection is gone.

#include "common/action_result.h"
#include "portscope/core/translatable.h"
#include "portscope/platform/system.h"
#include "windows/processes.h"
#include "windows/socket_list.h"
#include "windows/text.h"
#include "windows/win32.h"

#include <chrono>
#include <thread>

namespace portscope::platform {

namespace {

using std::chrono::milliseconds;

using common::connectionText;
using common::result;
using core::numberText;
using core::verbatimText;

std::string nameOf(HANDLE process, std::int32_t pid) {
    std::vector<wchar_t> path(32768);
    DWORD length = static_cast<DWORD>(path.size());
    if (::QueryFullProcessImageNameW(process, 0, path.data(), &length)) {
        const std::string full = winsys::utf8FromWide(std::wstring_view(path.data(), length));
        return winsys::sanitizeForDisplay(winsys::baseName(full), 256);
    }
    return "PID " + std::to_string(pid);
}

using IsProcessCriticalFn = BOOL(WINAPI*)(HANDLE, PBOOL);

// IsProcessCritical exists from Windows 8.1 on; older systems (and Wine) may lack it.
std::optional<bool> isCritical(HANDLE process) {
    static const auto function = [] {
        const HMODULE kernel = ::GetModuleHandleW(L"kernel32.dll");
        return kernel == nullptr ? nullptr
                                 : reinterpret_cast<IsProcessCriticalFn>(reinterpret_cast<void*>(
                                       ::GetProcAddress(kernel, "IsProcessCritical")));
    }();
    BOOL critical = FALSE;
    if (function == nullptr || !function(process, &critical)) {
        return std::nullopt;
    }
    return critical != FALSE;
}

} // namespace

ActionResult killProcess(const core::ProcessKey& key, std::chrono::milliseconds waitForExit) {
    // A PID is an identifier, not an amount: no thousands separators.
    const core::SystemText pid = verbatimText(std::to_string(key.pid));
    if (key.pid <= 0) {
        return result(ActionStatus::InvalidArgument,
                      PORTSCOPE_TRANSLATABLE("SystemText", "PID %1 is not a process."), {pid});
    }
    if (const auto reserved = winsys::reservedProcessName(key.pid)) {
        return result(ActionStatus::InvalidArgument,
                      PORTSCOPE_TRANSLATABLE("SystemText",
                                             "PortScope will not stop PID %1 (%2): it is part of "
                                             "Windows itself."),
                      {pid, verbatimText(*reserved)});
    }
    if (static_cast<DWORD>(key.pid) == ::GetCurrentProcessId()) {
        return result(
            ActionStatus::InvalidArgument,
            PORTSCOPE_TRANSLATABLE("SystemText", "PortScope will not stop itself (PID %1)."),
            {pid});
    }

    const winsys::UniqueHandle process(
        ::OpenProcess(PROCESS_TERMINATE | PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE, FALSE,
                      static_cast<DWORD>(key.pid)));
    if (!process) {
        const DWORD error = ::GetLastError();
        if (error == ERROR_INVALID_PARAMETER) {
            return result(ActionStatus::NoSuchProcess,
                          PORTSCOPE_TRANSLATABLE("SystemText", "Process %1 has already exited."),
                          {pid});
        }
        if (error == ERROR_ACCESS_DENIED) {
            return result(ActionStatus::PermissionDenied,
                          PORTSCOPE_TRANSLATABLE("SystemText",
                                                 "Not allowed to stop process %1: it belongs to "
                                                 "another user or is protected. Run PortScope "
                                                 "as administrator (\"Restart as "
                                                 "administrator\")."),
                          {pid});
        }
        return result(ActionStatus::Failed,
                      PORTSCOPE_TRANSLATABLE("SystemText", "Cannot open process %1: %2."),
                      {pid, verbatimText(winsys::errorText(error))});
    }

    // The handle pins whatever process has this PID now; its creation time says whether it
    // is still the one the user chose.
    const auto created = winsys::processCreationTime(process.get());
    if (!created) {
        return result(ActionStatus::Failed,
                      PORTSCOPE_TRANSLATABLE("SystemText",
                                             "Cannot check that PID %1 is still the chosen "
                                             "process: %2."),
                      {pid, verbatimText(winsys::errorText(::GetLastError()))});
    }
    const core::SystemText name = verbatimText(nameOf(process.get(), key.pid));
    const core::SystemText target =
        core::systemText(PORTSCOPE_TRANSLATABLE("SystemText", "%1 (PID %2)"), {name, pid});
    const auto exited = [&] {
        return result(ActionStatus::NoSuchProcess,
                      PORTSCOPE_TRANSLATABLE("SystemText", "%1 has already exited."), {target});
    };
    if (key.startTime == 0) {
        return result(ActionStatus::InvalidArgument,
                      PORTSCOPE_TRANSLATABLE("SystemText",
                                             "Cannot stop %1: its start time was unknown when it "
                                             "was chosen, so PortScope cannot prove the PID "
                                             "still belongs to it."),
                      {target});
    }
    if (*created != key.startTime) {
        return result(ActionStatus::ProcessChanged,
                      PORTSCOPE_TRANSLATABLE("SystemText",
                                             "PID %1 now belongs to another process (%2); "
                                             "nothing was stopped."),
                      {pid, name});
    }
    if (::WaitForSingleObject(process.get(), 0) == WAIT_OBJECT_0) {
        return exited();
    }
    if (isCritical(process.get()).value_or(false)) {
        return result(ActionStatus::InvalidArgument,
                      PORTSCOPE_TRANSLATABLE("SystemText",
                                             "PortScope will not stop %1: Windows marks it "
                                             "critical, and ending it stops the whole system."),
                      {target});
    }

    // Windows has no polite equivalent of SIGTERM for an arbitrary process: this ends it at
    // once, as Task Manager's "End task" does for a process without windows.
    constexpr UINT kExitCode = 1;
    if (!::TerminateProcess(process.get(), kExitCode)) {
        const DWORD error = ::GetLastError();
        if (::WaitForSingleObject(process.get(), 0) == WAIT_OBJECT_0) {
            return exited();
        }
        if (error == ERROR_ACCESS_DENIED) {
            return result(ActionStatus::PermissionDenied,
                          PORTSCOPE_TRANSLATABLE(
                              "SystemText", "Not allowed to stop %1: Windows denied access. Run "
                                            "PortScope as administrator."),
                          {target});
        }
        return result(ActionStatus::Failed,
                      PORTSCOPE_TRANSLATABLE("SystemText", "Cannot stop %1: %2."),
                      {target, verbatimText(winsys::errorText(error))});
    }
    const auto wait = std::max(milliseconds(0), waitForExit);
    const DWORD waited = ::WaitForSingleObject(
        process.get(), static_cast<DWORD>(std::min<long long>(wait.count(), INFINITE - 1)));
    if (waited == WAIT_OBJECT_0) {
        return result(ActionStatus::Done, PORTSCOPE_TRANSLATABLE("SystemText", "Stopped %1."),
                      {target});
    }
    return result(ActionStatus::TimedOut,
                  PORTSCOPE_TRANSLATABLE(
                      "SystemText", "Asked Windows to stop %1, but it had not exited after %2 ms."),
                  {target, numberText(static_cast<std::uint64_t>(wait.count()))});
}

ActionResult closeConnection(const core::Socket& socket) {
    if (socket.protocol != core::Protocol::Tcp) {
        return result(ActionStatus::InvalidArgument,
                      PORTSCOPE_TRANSLATABLE("SystemText",
                                             "Only TCP connections can be closed; %1 is a UDP "
                                             "socket, which has no connection to reset."),
                      {verbatimText(socket.local.toString())});
    }
    if (socket.local.address.family != socket.remote.address.family) {
        return result(ActionStatus::InvalidArgument,
                      PORTSCOPE_TRANSLATABLE("SystemText",
                                             "Cannot close %1: its local and remote addresses "
                                             "are of different families."),
                      {connectionText(socket)});
    }
    if (socket.family() == core::Family::V6) {
        return result(ActionStatus::NotSupported,
                      PORTSCOPE_TRANSLATABLE("SystemText",
                                             "Cannot close %1: Windows can close only IPv4 "
                                             "connections (SetTcpEntry has no IPv6 form)."),
                      {connectionText(socket)});
    }
    if (socket.state == core::SocketState::Listen || socket.state == core::SocketState::Unknown ||
        socket.state == core::SocketState::Bound) {
        return result(
            ActionStatus::InvalidArgument,
            PORTSCOPE_TRANSLATABLE("SystemText", "Cannot close %1: it is not a connection (%2)."),
            {connectionText(socket), verbatimText(std::string(core::toString(socket.state)))});
    }

    std::string error;
    const auto openBefore = winsys::tcpConnectionIsOpen(socket, &error);
    if (openBefore && !*openBefore) {
        return result(ActionStatus::NotFound,
                      PORTSCOPE_TRANSLATABLE(
                          "SystemText", "Cannot close %1: no such connection exists any more."),
                      {connectionText(socket)});
    }

    MIB_TCPROW row = winsys::mibTcpRowOf(socket);
    row.dwState = MIB_TCP_STATE_DELETE_TCB;
    const DWORD status = ::SetTcpEntry(&row);
    // 317 (ERROR_MR_MID_NOT_FOUND) is what SetTcpEntry returns without elevation on some
    // Windows versions, in place of ERROR_ACCESS_DENIED.
    constexpr DWORD kNotElevatedOnSomeVersions = 317;
    if (status == ERROR_ACCESS_DENIED ||
        (status == kNotElevatedOnSomeVersions && !winsys::isElevated())) {
        return result(ActionStatus::PermissionDenied,
                      PORTSCOPE_TRANSLATABLE("SystemText",
                                             "Cannot close %1: closing a connection needs "
                                             "administrator rights on Windows. Run PortScope as "
                                             "administrator (\"Restart as administrator\")."),
                      {connectionText(socket)});
    }
    if (status == ERROR_NOT_FOUND) {
        return result(ActionStatus::NotFound,
                      PORTSCOPE_TRANSLATABLE(
                          "SystemText", "Cannot close %1: no such connection exists any more."),
                      {connectionText(socket)});
    }
    if (status != NO_ERROR) {
        return result(ActionStatus::Failed,
                      PORTSCOPE_TRANSLATABLE("SystemText", "Cannot close %1: %2."),
                      {connectionText(socket), verbatimText(winsys::errorText(status))});
    }

    // Windows removes the connection at once; allow a moment before calling it a failure.
    constexpr int kChecks = 5;
    for (int check = 0; check < kChecks; ++check) {
        const auto stillOpen = winsys::tcpConnectionIsOpen(socket, &error);
        if (!stillOpen) {
            return result(ActionStatus::Failed,
                          PORTSCOPE_TRANSLATABLE(
                              "SystemText", "Windows accepted the request to close %1, but the "
                                            "connection list cannot be read to confirm "
                                            "it: %2."),
                          {connectionText(socket), verbatimText(error)});
        }
        if (!*stillOpen) {
            return result(ActionStatus::Done, PORTSCOPE_TRANSLATABLE("SystemText", "Closed %1."),
                          {connectionText(socket)});
        }
        std::this_thread::sleep_for(milliseconds(20));
    }
    if (winsys::isRunningUnderWine()) {
        return result(ActionStatus::Failed,
                      PORTSCOPE_TRANSLATABLE("SystemText",
                                             "Windows reported %1 as closed, but it is still open "
                                             "(Wine accepts this request without acting on it)."),
                      {connectionText(socket)});
    }
    return result(ActionStatus::Failed,
                  PORTSCOPE_TRANSLATABLE("SystemText",
                                         "Windows reported %1 as closed, but it is still open."),
                  {connectionText(socket)});
}

} // namespace portscope::platform
