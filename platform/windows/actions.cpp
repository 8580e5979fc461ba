// Stopping a process and closing a connection on Windows. A kill is checked against the start
// time the user saw, so a recycled PID is never hit; a close is checked afterwards, because a
// success code from SetTcpEntry alone does not prove the connection is gone.

#include "common/action_result.h"
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

using common::describeConnection;
using common::result;

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
    const std::string pidText = std::to_string(key.pid);
    if (key.pid <= 0) {
        return result(ActionStatus::InvalidArgument, "PID " + pidText + " is not a process.");
    }
    if (const auto reserved = winsys::reservedProcessName(key.pid)) {
        return result(ActionStatus::InvalidArgument, "PortScope will not stop PID " + pidText +
                                                         " (" + *reserved +
                                                         "): it is part of Windows itself.");
    }
    if (static_cast<DWORD>(key.pid) == ::GetCurrentProcessId()) {
        return result(ActionStatus::InvalidArgument,
                      "PortScope will not stop itself (PID " + pidText + ").");
    }

    const winsys::UniqueHandle process(
        ::OpenProcess(PROCESS_TERMINATE | PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE, FALSE,
                      static_cast<DWORD>(key.pid)));
    if (!process) {
        const DWORD error = ::GetLastError();
        if (error == ERROR_INVALID_PARAMETER) {
            return result(ActionStatus::NoSuchProcess,
                          "Process " + pidText + " has already exited.");
        }
        if (error == ERROR_ACCESS_DENIED) {
            return result(ActionStatus::PermissionDenied,
                          "Not allowed to stop process " + pidText +
                              ": it belongs to another user or is protected. Run PortScope as "
                              "administrator (\"Restart as administrator\").");
        }
        return result(ActionStatus::Failed,
                      "Cannot open process " + pidText + ": " + winsys::errorText(error) + ".");
    }

    // The handle pins whatever process has this PID now; its creation time says whether it
    // is still the one the user chose.
    const auto created = winsys::processCreationTime(process.get());
    if (!created) {
        return result(ActionStatus::Failed, "Cannot check that PID " + pidText +
                                                " is still the chosen process: " +
                                                winsys::errorText(::GetLastError()) + ".");
    }
    const std::string name = nameOf(process.get(), key.pid);
    const std::string target = name + " (PID " + pidText + ")";
    if (key.startTime == 0) {
        return result(ActionStatus::InvalidArgument,
                      "Cannot stop " + target +
                          ": its start time was unknown when it was chosen, so PortScope cannot "
                          "prove the PID still belongs to it.");
    }
    if (*created != key.startTime) {
        return result(ActionStatus::ProcessChanged, "PID " + pidText +
                                                        " now belongs to another process (" + name +
                                                        "); nothing was stopped.");
    }
    if (::WaitForSingleObject(process.get(), 0) == WAIT_OBJECT_0) {
        return result(ActionStatus::NoSuchProcess, target + " has already exited.");
    }
    if (isCritical(process.get()).value_or(false)) {
        return result(ActionStatus::InvalidArgument,
                      "PortScope will not stop " + target +
                          ": Windows marks it critical, and ending it stops the whole system.");
    }

    // Windows has no polite equivalent of SIGTERM for an arbitrary process: this ends it at
    // once, as Task Manager's "End task" does for a process without windows.
    constexpr UINT kExitCode = 1;
    if (!::TerminateProcess(process.get(), kExitCode)) {
        const DWORD error = ::GetLastError();
        if (::WaitForSingleObject(process.get(), 0) == WAIT_OBJECT_0) {
            return result(ActionStatus::NoSuchProcess, target + " has already exited.");
        }
        if (error == ERROR_ACCESS_DENIED) {
            return result(ActionStatus::PermissionDenied,
                          "Not allowed to stop " + target +
                              ": Windows denied access. Run PortScope as administrator.");
        }
        return result(ActionStatus::Failed,
                      "Cannot stop " + target + ": " + winsys::errorText(error) + ".");
    }
    const auto wait = std::max(milliseconds(0), waitForExit);
    const DWORD waited = ::WaitForSingleObject(
        process.get(), static_cast<DWORD>(std::min<long long>(wait.count(), INFINITE - 1)));
    if (waited == WAIT_OBJECT_0) {
        return result(ActionStatus::Done, "Stopped " + target + ".");
    }
    return result(ActionStatus::TimedOut, "Asked Windows to stop " + target +
                                              ", but it had not exited after " +
                                              std::to_string(wait.count()) + " ms.");
}

ActionResult closeConnection(const core::Socket& socket) {
    if (socket.protocol != core::Protocol::Tcp) {
        return result(ActionStatus::InvalidArgument,
                      "Only TCP connections can be closed; " + socket.local.toString() +
                          " is a UDP socket, which has no connection to reset.");
    }
    if (socket.local.address.family != socket.remote.address.family) {
        return result(ActionStatus::InvalidArgument,
                      "Cannot close " + describeConnection(socket) +
                          ": its local and remote addresses are of different families.");
    }
    if (socket.family() == core::Family::V6) {
        return result(ActionStatus::NotSupported,
                      "Cannot close " + describeConnection(socket) +
                          ": Windows can close only IPv4 connections (SetTcpEntry has no IPv6 "
                          "form).");
    }
    if (socket.state == core::SocketState::Listen || socket.state == core::SocketState::Unknown ||
        socket.state == core::SocketState::Bound) {
        return result(ActionStatus::InvalidArgument,
                      "Cannot close " + describeConnection(socket) + ": it is not a connection (" +
                          std::string(core::toString(socket.state)) + ").");
    }

    std::string error;
    const auto openBefore = winsys::tcpConnectionIsOpen(socket, &error);
    if (openBefore && !*openBefore) {
        return result(ActionStatus::NotFound, "Cannot close " + describeConnection(socket) +
                                                  ": no such connection exists any more.");
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
                      "Cannot close " + describeConnection(socket) +
                          ": closing a connection needs administrator rights on Windows. Run "
                          "PortScope as administrator (\"Restart as administrator\").");
    }
    if (status == ERROR_NOT_FOUND) {
        return result(ActionStatus::NotFound, "Cannot close " + describeConnection(socket) +
                                                  ": no such connection exists any more.");
    }
    if (status != NO_ERROR) {
        return result(ActionStatus::Failed, "Cannot close " + describeConnection(socket) + ": " +
                                                winsys::errorText(status) + ".");
    }

    // Windows removes the connection at once; allow a moment before calling it a failure.
    constexpr int kChecks = 5;
    for (int check = 0; check < kChecks; ++check) {
        const auto stillOpen = winsys::tcpConnectionIsOpen(socket, &error);
        if (!stillOpen) {
            return result(ActionStatus::Failed, "Windows accepted the request to close " +
                                                    describeConnection(socket) +
                                                    ", but the connection list cannot be read "
                                                    "to confirm it: " +
                                                    error + ".");
        }
        if (!*stillOpen) {
            return result(ActionStatus::Done, "Closed " + describeConnection(socket) + ".");
        }
        std::this_thread::sleep_for(milliseconds(20));
    }
    return result(ActionStatus::Failed,
                  "Windows reported " + describeConnection(socket) +
                      " as closed, but it is still open" +
                      (winsys::isRunningUnderWine()
                           ? std::string(" (Wine accepts this request without acting on it).")
                           : std::string(".")));
}

} // namespace portscope::platform
