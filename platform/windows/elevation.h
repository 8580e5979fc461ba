#pragma once
// "Restart as administrator" for the Windows programs (portscope/platform/elevation.h). They
// run asInvoker; when the user asks for what only administrators may see or do, an elevated
// copy is started through the UAC prompt (ShellExecuteEx with the "runas" verb). Private to
// the platform library: this is how the command line for that copy is built.

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

} // namespace portscope::platform::winsys
