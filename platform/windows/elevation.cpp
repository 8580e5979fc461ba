#include "windows/elevation.h"

#include "portscope/platform/elevation.h"
#include "windows/elevated_launch.h"
#include "windows/text.h"

// clang-format off
#include <windows.h>
#include <objbase.h>
#include <shellapi.h>
// clang-format on

namespace portscope::platform::winsys {

std::wstring quoteArgument(std::wstring_view argument) {
    if (!argument.empty() && argument.find_first_of(L" \t\n\v\"") == std::wstring_view::npos) {
        return std::wstring(argument);
    }
    // Backslashes are literal unless they precede a quote; then each one must be doubled.
    std::wstring quoted = L"\"";
    std::size_t backslashes = 0;
    for (const wchar_t c : argument) {
        if (c == L'\\') {
            ++backslashes;
            continue;
        }
        if (c == L'"') {
            quoted.append(backslashes * 2 + 1, L'\\');
        } else {
            quoted.append(backslashes, L'\\');
        }
        backslashes = 0;
        quoted += c;
    }
    quoted.append(backslashes * 2, L'\\'); // before the closing quote
    quoted += L'"';
    return quoted;
}

std::wstring joinArguments(const std::vector<std::wstring>& arguments) {
    std::wstring line;
    for (const auto& argument : arguments) {
        if (!line.empty()) {
            line += L' ';
        }
        line += quoteArgument(argument);
    }
    return line;
}

ElevatedLaunch launchElevated(const std::wstring& exe, const std::wstring& parameters) {
    ElevatedLaunch launch;
    const std::string target = utf8FromWide(std::wstring_view(exe));
    // The shell may hand the request to COM-based handlers.
    const HRESULT com =
        ::CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE);

    SHELLEXECUTEINFOW info{};
    info.cbSize = sizeof info;
    info.fMask = SEE_MASK_NOCLOSEPROCESS | SEE_MASK_NOASYNC;
    info.lpVerb = L"runas";
    info.lpFile = exe.c_str();
    info.lpParameters = parameters.empty() ? nullptr : parameters.c_str();
    info.nShow = SW_SHOWNORMAL;
    const BOOL started = ::ShellExecuteExW(&info);
    const DWORD error = started ? ERROR_SUCCESS : ::GetLastError();
    if (SUCCEEDED(com)) {
        ::CoUninitialize();
    }

    if (started) {
        launch.process.reset(info.hProcess);
        launch.result = {ActionStatus::Done, "Started " + target + " as administrator."};
    } else if (error == ERROR_CANCELLED) {
        launch.result = {ActionStatus::PermissionDenied,
                         "PortScope was not restarted: the administrator prompt was declined."};
    } else {
        launch.result = {ActionStatus::Failed,
                         "Cannot start " + target + " as administrator: " + errorText(error) + "."};
    }
    return launch;
}

} // namespace portscope::platform::winsys

namespace portscope::platform {

Elevation elevationOfThisSystem() {
    return {ElevationMethod::RestartAsAdministrator, true};
}

bool runningAsAdministrator() {
    return winsys::isElevated();
}

ActionResult restartAsAdministrator(const std::vector<std::string>& arguments) {
    std::wstring exe(32768, L'\0');
    const DWORD length = ::GetModuleFileNameW(nullptr, exe.data(), static_cast<DWORD>(exe.size()));
    if (length == 0 || length >= exe.size()) {
        return {ActionStatus::Failed, "Cannot restart PortScope: its own path is unknown (" +
                                          winsys::errorText(::GetLastError()) + ")."};
    }
    exe.resize(length);
    std::vector<std::wstring> wide;
    wide.reserve(arguments.size());
    for (const auto& argument : arguments) {
        wide.push_back(winsys::wideFromUtf8(argument));
    }
    return winsys::launchElevated(exe, winsys::joinArguments(wide)).result;
}

} // namespace portscope::platform
