#include "windows/win32.h"

#include "windows/text.h"

namespace portscope::platform::winsys {

std::string errorText(DWORD error) {
    wchar_t* message = nullptr;
    const DWORD length = ::FormatMessageW(
        FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
        nullptr, error, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT),
        reinterpret_cast<wchar_t*>(&message), 0, nullptr);
    std::string text;
    if (length > 0 && message != nullptr) {
        text = utf8FromWide(std::wstring_view(message, length));
    }
    if (message != nullptr) {
        ::LocalFree(message);
    }
    // The system's messages end in ".\r\n"; the caller adds its own punctuation.
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' ||
                             text.back() == '.')) {
        text.pop_back();
    }
    if (text.empty()) {
        text = "system error";
    }
    return text + " (error " + std::to_string(error) + ")";
}

bool isRunningUnderWine() {
    static const bool underWine = [] {
        const HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
        return ntdll != nullptr && ::GetProcAddress(ntdll, "wine_get_version") != nullptr;
    }();
    return underWine;
}

bool isElevated() {
    HANDLE rawToken = nullptr;
    if (!::OpenProcessToken(::GetCurrentProcess(), TOKEN_QUERY, &rawToken)) {
        return false;
    }
    const UniqueHandle token(rawToken);
    TOKEN_ELEVATION elevation{};
    DWORD returned = 0;
    if (!::GetTokenInformation(token.get(), TokenElevation, &elevation, sizeof elevation,
                               &returned)) {
        return false;
    }
    return elevation.TokenIsElevated != 0;
}

std::uint64_t fileTimeValue(const FILETIME& time) {
    return static_cast<std::uint64_t>(time.dwHighDateTime) << 32 | time.dwLowDateTime;
}

std::optional<std::uint64_t> processCreationTime(HANDLE process) {
    FILETIME created{};
    FILETIME exited{};
    FILETIME kernel{};
    FILETIME user{};
    if (!::GetProcessTimes(process, &created, &exited, &kernel, &user)) {
        return std::nullopt;
    }
    return fileTimeValue(created);
}

std::int64_t unixMsFromFileTime(std::uint64_t fileTime) {
    // 1601-01-01 to 1970-01-01 in 100 ns ticks.
    constexpr std::uint64_t kUnixEpoch = 116444736000000000ULL;
    if (fileTime < kUnixEpoch) {
        return 0;
    }
    return static_cast<std::int64_t>((fileTime - kUnixEpoch) / 10000);
}

} // namespace portscope::platform::winsys
