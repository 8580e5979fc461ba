#pragma once
// UTF-16 (what every wide Windows API returns) to UTF-8 (what the rest of PortScope holds), and
// back. Written without Win32 so that the conversions behave the same everywhere and tests can
// feed them broken input: Windows file names and command lines may hold unpaired surrogates.

#include "portscope/core/text.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace portscope::platform::winsys {

// Converts UTF-16 to UTF-8. An unpaired surrogate becomes U+FFFD; nothing is dropped, and the
// conversion never fails. Stops at no NUL: the view's length decides.
std::string utf8FromWide(std::u16string_view wide);
std::string utf8FromWide(std::wstring_view wide);

// Converts UTF-8 to UTF-16. Invalid or overlong sequences, encoded surrogates and code points
// above U+10FFFF each become one U+FFFD.
std::u16string utf16FromUtf8(std::string_view utf8);
std::wstring wideFromUtf8(std::string_view utf8);

// Makes untrusted UTF-8 (a process name, a command line) safe to show on one line.
using core::sanitizeForDisplay;

// The last path component of a Windows or Unix-style path: "C:\\x\\app.exe" -> "app.exe".
std::string_view baseName(std::string_view path);

} // namespace portscope::platform::winsys
