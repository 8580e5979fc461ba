#pragma once
// Starting a program through the UAC prompt, with a handle to the started process.

#include "portscope/platform/system.h"
#include "windows/win32.h"

#include <string>

namespace portscope::platform::winsys {

struct ElevatedLaunch {
    UniqueHandle process; // the started process, when it started
    ActionResult result;
};

// Starts `exe` with `parameters` (already quoted) through ShellExecuteEx("runas").
// ERROR_CANCELLED (the user declined the prompt) becomes PermissionDenied with a plain sentence.
ElevatedLaunch launchElevated(const std::wstring& exe, const std::wstring& parameters);

} // namespace portscope::platform::winsys
