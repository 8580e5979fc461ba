// The program file of a process, on Windows. A running program's file cannot be written or
// deleted while the process runs, so its image is read from the path the process reports; the
// process handle pins the process, so its PID cannot be reused while the file is read.

#include "common/action_result.h"
#include "portscope/platform/system.h"
#include "windows/processes.h"
#include "windows/text.h"
#include "windows/win32.h"

#include <array>
#include <vector>

namespace portscope::platform {

namespace {

using common::result;

} // namespace

ActionResult readExecutableImage(const core::ProcessKey& key, const ImageChunkSink& consume,
                                 bool* deletedFromDisk) {
    const std::string pidText = std::to_string(key.pid);
    if (!key.valid()) {
        return result(ActionStatus::InvalidArgument, "PID " + pidText + " is not a process.");
    }
    const winsys::UniqueHandle process(
        ::OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, static_cast<DWORD>(key.pid)));
    if (!process) {
        const DWORD error = ::GetLastError();
        if (error == ERROR_INVALID_PARAMETER) {
            return result(ActionStatus::NoSuchProcess, "Process " + pidText + " has exited.");
        }
        return result(error == ERROR_ACCESS_DENIED ? ActionStatus::PermissionDenied
                                                   : ActionStatus::Failed,
                      "Cannot open process " + pidText + ": " + winsys::errorText(error) + ".");
    }
    const auto created = winsys::processCreationTime(process.get());
    if (!created) {
        return result(ActionStatus::Failed, "Cannot check process " + pidText + ": " +
                                                winsys::errorText(::GetLastError()) + ".");
    }
    if (*created != key.startTime) {
        return result(ActionStatus::ProcessChanged,
                      "PID " + pidText + " belongs to another process now.");
    }
    std::vector<wchar_t> path(32768);
    DWORD length = static_cast<DWORD>(path.size());
    if (!::QueryFullProcessImageNameW(process.get(), 0, path.data(), &length)) {
        return result(ActionStatus::Failed, "Cannot find the program of process " + pidText + ": " +
                                                winsys::errorText(::GetLastError()) + ".");
    }
    const winsys::UniqueHandle image(::CreateFileW(path.data(), GENERIC_READ, FILE_SHARE_READ,
                                                   nullptr, OPEN_EXISTING,
                                                   FILE_FLAG_SEQUENTIAL_SCAN, nullptr));
    if (!image) {
        const DWORD error = ::GetLastError();
        return result(error == ERROR_ACCESS_DENIED ? ActionStatus::PermissionDenied
                                                   : ActionStatus::Failed,
                      "Cannot open the program of process " + pidText + ": " +
                          winsys::errorText(error) + ".");
    }
    std::array<char, 64 * 1024> buffer{};
    for (;;) {
        DWORD got = 0;
        if (!::ReadFile(image.get(), buffer.data(), static_cast<DWORD>(buffer.size()), &got,
                        nullptr)) {
            return result(ActionStatus::Failed,
                          "Reading the program of process " + pidText +
                              " failed: " + winsys::errorText(::GetLastError()) + ".");
        }
        if (got == 0) {
            break;
        }
        consume(std::string_view(buffer.data(), got));
    }
    if (deletedFromDisk != nullptr) {
        *deletedFromDisk = false;
    }
    return result(ActionStatus::Done, {});
}

} // namespace portscope::platform
