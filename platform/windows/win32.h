#pragma once
// Small Win32 helpers shared by the Windows backend: handle ownership, error text in UTF-8,
// and facts about the process PortScope runs in.

#include <cstdint>
#include <optional>
#include <string>
#include <windows.h>

namespace portscope::platform::winsys {

// Owns a kernel HANDLE (process, token, snapshot) and closes it once.
class UniqueHandle {
public:
    UniqueHandle() = default;
    explicit UniqueHandle(HANDLE handle)
        : handle_(handle == INVALID_HANDLE_VALUE ? nullptr : handle) {}
    UniqueHandle(UniqueHandle&& other) noexcept : handle_(other.release()) {}
    UniqueHandle& operator=(UniqueHandle&& other) noexcept {
        if (this != &other) {
            reset(other.release());
        }
        return *this;
    }
    UniqueHandle(const UniqueHandle&) = delete;
    UniqueHandle& operator=(const UniqueHandle&) = delete;
    ~UniqueHandle() { reset(nullptr); }

    HANDLE get() const { return handle_; }
    explicit operator bool() const { return handle_ != nullptr; }
    HANDLE release() {
        HANDLE handle = handle_;
        handle_ = nullptr;
        return handle;
    }
    void reset(HANDLE handle) {
        if (handle_ != nullptr) {
            ::CloseHandle(handle_);
        }
        handle_ = handle == INVALID_HANDLE_VALUE ? nullptr : handle;
    }

private:
    HANDLE handle_ = nullptr;
};

// "Access is denied (error 5)": the system's message for a Win32 error code, in UTF-8.
std::string errorText(DWORD error);

// True inside Wine, which exports wine_get_version from its ntdll. Wine lacks owner PIDs in
// the socket tables and EStats, and some of its calls abort the process instead of failing,
// so the backend avoids them there.
bool isRunningUnderWine();

// True when this process runs with an elevated (administrator) token.
bool isElevated();

// A FILETIME (100 ns ticks since 1601-01-01 UTC) as one number, and as Unix milliseconds.
std::uint64_t fileTimeValue(const FILETIME& time);
std::int64_t unixMsFromFileTime(std::uint64_t fileTime);

// The creation time of an open process, as fileTimeValue(): with the PID, it names the process
// (a PID may be reused, never with the same creation time). std::nullopt when it cannot be
// read; GetLastError() then says why.
std::optional<std::uint64_t> processCreationTime(HANDLE process);

} // namespace portscope::platform::winsys
