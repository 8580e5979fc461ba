#pragma once
// "Restart as administrator" for the Windows programs: the process runs asInvoker, and starts
// an elevated copy of itself through the UAC prompt (ShellExecuteEx with the "runas" verb) when
// the user asks for what only administrators may see or do.

#include "portscope/platform/system.h"
#include "windows/win32.h"

#include <string>
#include <string_view>
#include <vector>

namespace portscope::platform::winsys {

// Quotes one argument so that CommandLineToArgvW and the C runtimes read it back unchanged:
// spaces, tabs, quotes and the backslashes before them are escaped; an empty argument is "".
std::wstring quoteArgument(std::wstring_view argument);
std::wstring joinArguments(const std::vector<std::wstring>& arguments);

struct ElevatedLaunch {
    UniqueHandle process; // the started process, when it started
    ActionResult result;
};

// Starts `exe` with `parameters` through the UAC prompt. ERROR_CANCELLED (the user declined
// the prompt) becomes PermissionDenied with a plain sentence.
ElevatedLaunch launchElevated(const std::wstring& exe, const std::wstring& parameters);

// Starts this program again, elevated, with `arguments` (UTF-8). On success the caller should
// quit; the new process is independent of it.
ActionResult restartAsAdministrator(const std::vector<std::string>& arguments);

} // namespace portscope::platform::winsys
