#pragma once
// "Restart as administrator" for the Windows programs. They run asInvoker; when the user asks
// for what only administrators may see or do, an elevated copy is started through the UAC
// prompt (ShellExecuteEx with the "runas" verb). This header includes no Windows headers, so
// the Qt GUI can include it anywhere.

#include "portscope/platform/system.h"

#include <string>
#include <string_view>
#include <vector>

namespace portscope::platform::winsys {

// True when this process runs with an elevated (administrator) token.
bool isElevated();

// Quotes one argument so that CommandLineToArgvW and the C runtimes read it back unchanged:
// spaces, tabs, quotes and the backslashes before them are escaped; an empty argument is "".
std::wstring quoteArgument(std::wstring_view argument);
std::wstring joinArguments(const std::vector<std::wstring>& arguments);

// Starts this program again, elevated, with `arguments` (UTF-8). On Done the caller should
// quit; the new process is independent of it. A declined UAC prompt is PermissionDenied.
ActionResult restartAsAdministrator(const std::vector<std::string>& arguments);

} // namespace portscope::platform::winsys
