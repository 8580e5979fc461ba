#include "windows/processes.h"

#include "portscope/platform/system.h"
#include "windows/text.h"
#include "windows/win32.h"

#include <cstdio>
#include <cstring>
#include <cwchar>
#include <sddl.h>
#include <tlhelp32.h>
#include <vector>

namespace portscope::platform::winsys {

namespace {

// From the Windows SDK's ntddk/winternl definitions; mingw-w64 lacks some of them.
constexpr ULONG kProcessBasicInformation = 0;
constexpr ULONG kProcessCommandLineInformation = 60;
constexpr LONG kStatusInfoLengthMismatch = static_cast<LONG>(0xC0000004);
constexpr LONG kStatusInvalidInfoClass = static_cast<LONG>(0xC0000003);
constexpr LONG kStatusNotImplemented = static_cast<LONG>(0xC0000002);

using NtQueryInformationProcessFn = LONG(WINAPI*)(HANDLE, ULONG, PVOID, ULONG, PULONG);

NtQueryInformationProcessFn ntQueryInformationProcess() {
    static const auto function = [] {
        const HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
        return ntdll == nullptr
                   ? nullptr
                   : reinterpret_cast<NtQueryInformationProcessFn>(reinterpret_cast<void*>(
                         ::GetProcAddress(ntdll, "NtQueryInformationProcess")));
    }();
    return function;
}

// The counted UTF-16 string the native API returns (UNICODE_STRING), 64-bit layout.
struct NativeString {
    USHORT length; // bytes, without a terminating NUL
    USHORT maximumLength;
    ULONG padding;
    ULONGLONG buffer;
};
static_assert(sizeof(NativeString) == 16);

struct BasicInformation {
    LONG exitStatus;
    ULONGLONG pebAddress;
    ULONGLONG affinityMask;
    LONG basePriority;
    ULONGLONG uniqueProcessId;
    ULONGLONG inheritedFromUniqueProcessId;
};

std::string commandLineFromUtf16(const wchar_t* text, std::size_t units) {
    return sanitizeForDisplay(utf8FromWide(std::wstring_view(text, units)), kMaxCommandLineBytes);
}

std::optional<std::string> commandLineFromNativeQuery(HANDLE process, LONG* status) {
    const auto query = ntQueryInformationProcess();
    if (query == nullptr) {
        *status = kStatusNotImplemented;
        return std::nullopt;
    }
    std::vector<std::uint8_t> buffer(4096);
    for (int attempt = 0; attempt < 4; ++attempt) {
        ULONG needed = 0;
        *status = query(process, kProcessCommandLineInformation, buffer.data(),
                        static_cast<ULONG>(buffer.size()), &needed);
        if (*status == kStatusInfoLengthMismatch && needed > buffer.size() &&
            needed < 4 * 1024 * 1024) {
            buffer.resize(needed);
            continue;
        }
        break;
    }
    if (*status < 0) {
        return std::nullopt;
    }
    NativeString header{};
    std::memcpy(&header, buffer.data(), sizeof header);
    const auto* base = buffer.data();
    const auto* text =
        reinterpret_cast<const std::uint8_t*>(static_cast<std::uintptr_t>(header.buffer));
    // The string lives inside our buffer; anything else is not to be trusted.
    if (header.length == 0 || text < base + sizeof header ||
        text + header.length > base + buffer.size()) {
        return std::string();
    }
    std::wstring copy(header.length / sizeof(wchar_t), L'\0');
    std::memcpy(copy.data(), text, copy.size() * sizeof(wchar_t));
    return commandLineFromUtf16(copy.data(), copy.size());
}

#ifdef _WIN64
bool readRemote(HANDLE process, ULONGLONG address, void* out, std::size_t size) {
    SIZE_T read = 0;
    return ::ReadProcessMemory(process, reinterpret_cast<LPCVOID>(address), out, size, &read) &&
           read == size;
}

// PEB -> RTL_USER_PROCESS_PARAMETERS -> CommandLine, at their documented x64 offsets.
std::optional<std::string> commandLineFromPeb(DWORD pid, std::string* error) {
    constexpr ULONGLONG kPebProcessParameters = 0x20;
    constexpr ULONGLONG kParametersCommandLine = 0x70;
    const UniqueHandle process(
        ::OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, pid));
    if (!process) {
        *error = errorText(::GetLastError());
        return std::nullopt;
    }
    const auto query = ntQueryInformationProcess();
    BasicInformation basic{};
    ULONG returned = 0;
    if (query == nullptr ||
        query(process.get(), kProcessBasicInformation, &basic, sizeof basic, &returned) < 0 ||
        basic.pebAddress == 0) {
        *error = "the process environment block is not readable";
        return std::nullopt;
    }
    ULONGLONG parameters = 0;
    NativeString commandLine{};
    if (!readRemote(process.get(), basic.pebAddress + kPebProcessParameters, &parameters,
                    sizeof parameters) ||
        parameters == 0 ||
        !readRemote(process.get(), parameters + kParametersCommandLine, &commandLine,
                    sizeof commandLine)) {
        *error = errorText(::GetLastError());
        return std::nullopt;
    }
    std::wstring text(commandLine.length / sizeof(wchar_t), L'\0');
    if (!text.empty() && !readRemote(process.get(), commandLine.buffer, text.data(),
                                     text.size() * sizeof(wchar_t))) {
        *error = errorText(::GetLastError());
        return std::nullopt;
    }
    return commandLineFromUtf16(text.data(), text.size());
}
#endif

std::string userOf(HANDLE process, std::uint32_t* rid, std::string* error) {
    HANDLE rawToken = nullptr;
    if (!::OpenProcessToken(process, TOKEN_QUERY, &rawToken)) {
        *error = errorText(::GetLastError());
        return {};
    }
    const UniqueHandle token(rawToken);
    DWORD needed = 0;
    ::GetTokenInformation(token.get(), TokenUser, nullptr, 0, &needed);
    if (needed == 0 || needed > 64 * 1024) {
        *error = errorText(::GetLastError());
        return {};
    }
    std::vector<std::uint8_t> buffer(needed);
    if (!::GetTokenInformation(token.get(), TokenUser, buffer.data(), needed, &needed)) {
        *error = errorText(::GetLastError());
        return {};
    }
    TOKEN_USER user{};
    std::memcpy(&user, buffer.data(), sizeof user);
    const PSID sid = user.User.Sid;
    if (!::IsValidSid(sid)) {
        *error = "the token holds no valid user";
        return {};
    }
    // The relative id (the last sub-authority) stands in for a uid: 500 is Administrator,
    // 18 LocalSystem, 1000 and up are ordinary accounts.
    const UCHAR count = *::GetSidSubAuthorityCount(sid);
    *rid = count > 0 ? static_cast<std::uint32_t>(*::GetSidSubAuthority(sid, count - 1)) : 0;

    wchar_t name[256];
    wchar_t domain[256];
    DWORD nameLength = 256;
    DWORD domainLength = 256;
    SID_NAME_USE use{};
    if (::LookupAccountSidW(nullptr, sid, name, &nameLength, domain, &domainLength, &use)) {
        std::string text = utf8FromWide(std::wstring_view(domain, domainLength));
        if (!text.empty()) {
            text += '\\';
        }
        return sanitizeForDisplay(text + utf8FromWide(std::wstring_view(name, nameLength)), 512);
    }
    // An account that no longer exists, or one of another domain we cannot reach: the SID.
    const DWORD lookupError = ::GetLastError();
    wchar_t* sidText = nullptr;
    if (::ConvertSidToStringSidW(sid, &sidText)) {
        std::string text = utf8FromWide(std::wstring_view(sidText));
        ::LocalFree(sidText);
        return text;
    }
    *error = errorText(lookupError);
    return {};
}

void addProblem(core::Process& process, std::string_view what, const std::string& why) {
    if (!process.detailsError.empty()) {
        process.detailsError += "; ";
    }
    process.detailsError += what;
    process.detailsError += ": ";
    process.detailsError += why;
}

} // namespace

std::optional<std::string> reservedProcessName(std::int32_t pid) {
    if (pid == 0) {
        return "System Idle Process";
    }
    if (pid == 4) {
        return "System";
    }
    return std::nullopt;
}

ProcessIdentity identifyProcess(std::int32_t pid) {
    ProcessIdentity identity;
    identity.key.pid = pid;
    if (pid <= 0) {
        identity.openError = ERROR_INVALID_PARAMETER;
        return identity;
    }
    const UniqueHandle process(
        ::OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, static_cast<DWORD>(pid)));
    if (!process) {
        identity.openError = ::GetLastError();
        return identity;
    }
    const auto created = processCreationTime(process.get());
    if (!created) {
        identity.openError = ::GetLastError();
        return identity;
    }
    identity.key.startTime = *created;
    return identity;
}

ProcessList listProcesses(std::string* error) {
    ProcessList list;
    const UniqueHandle snapshot(::CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0));
    if (!snapshot) {
        if (error != nullptr) {
            *error = errorText(::GetLastError());
        }
        return list;
    }
    PROCESSENTRY32W entry{};
    entry.dwSize = sizeof entry;
    for (BOOL more = ::Process32FirstW(snapshot.get(), &entry); more;
         more = ::Process32NextW(snapshot.get(), &entry)) {
        ProcessListEntry& item = list[static_cast<std::int32_t>(entry.th32ProcessID)];
        item.parentPid = static_cast<std::int32_t>(entry.th32ParentProcessID);
        const std::size_t length = ::wcsnlen(entry.szExeFile, MAX_PATH);
        item.exeName =
            sanitizeForDisplay(utf8FromWide(std::wstring_view(entry.szExeFile, length)), 512);
    }
    return list;
}

std::string readCommandLine(HANDLE process, std::string* error) {
    LONG status = 0;
    if (auto text = commandLineFromNativeQuery(process, &status)) {
        return *text;
    }
#ifdef _WIN64
    if (status == kStatusInvalidInfoClass || status == kStatusNotImplemented) {
        std::string pebError;
        if (auto text = commandLineFromPeb(::GetProcessId(process), &pebError)) {
            return *text;
        }
        *error = pebError;
        return {};
    }
#endif
    *error = "NtQueryInformationProcess failed with status 0x" + [status] {
        char hex[16];
        std::snprintf(hex, sizeof hex, "%08lX", static_cast<unsigned long>(status));
        return std::string(hex);
    }();
    return {};
}

core::Process readProcessDetails(const ProcessIdentity& identity, const ProcessList* list) {
    core::Process process;
    process.key = identity.key;
    const std::int32_t pid = identity.key.pid;
    const ProcessListEntry* listed = nullptr;
    if (list != nullptr) {
        if (const auto found = list->find(pid); found != list->end()) {
            listed = &found->second;
            process.parentPid = listed->parentPid;
            process.name = listed->exeName;
        }
    }
    if (const auto reserved = reservedProcessName(pid)) {
        process.name = *reserved;
    }
    if (!identity.opened()) {
        process.detailsError =
            identity.exited()
                ? "details unavailable: the process exited"
                : "details unavailable: " + errorText(identity.openError) +
                      (identity.openError == ERROR_ACCESS_DENIED
                           ? " (a protected or system process, or another user's; run as "
                             "administrator to see more)"
                           : "");
        return process;
    }
    process.startedAtUnixMs = unixMsFromFileTime(identity.key.startTime);

    const UniqueHandle handle(
        ::OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, static_cast<DWORD>(pid)));
    if (!handle) {
        addProblem(process, "details", errorText(::GetLastError()));
        return process;
    }
    // Another process may have taken the PID since identifyProcess.
    if (processCreationTime(handle.get()) != std::optional(identity.key.startTime)) {
        process.detailsError = "details unavailable: the process exited";
        return process;
    }

    std::vector<wchar_t> path(32768);
    DWORD length = static_cast<DWORD>(path.size());
    if (::QueryFullProcessImageNameW(handle.get(), 0, path.data(), &length)) {
        process.exePath = sanitizeForDisplay(utf8FromWide(std::wstring_view(path.data(), length)),
                                             kMaxCommandLineBytes);
        const std::string_view exeName = baseName(process.exePath);
        if (!exeName.empty() && !reservedProcessName(pid)) {
            process.name = std::string(exeName);
        }
    } else {
        addProblem(process, "exe", errorText(::GetLastError()));
    }

    std::string problem;
    process.userName = userOf(handle.get(), &process.uid, &problem);
    if (!problem.empty()) {
        addProblem(process, "user", problem);
        problem.clear();
    }
    process.commandLine = readCommandLine(handle.get(), &problem);
    if (!problem.empty()) {
        addProblem(process, "command line", problem);
    }
    if (process.name.empty() && listed == nullptr) {
        process.name = "PID " + std::to_string(pid);
    }
    return process;
}

} // namespace portscope::platform::winsys

namespace portscope::platform {

std::optional<core::ProcessKey> currentProcessKey(std::int32_t pid) {
    const auto identity = winsys::identifyProcess(pid);
    if (identity.exited()) {
        return std::nullopt;
    }
    // A process that exists but cannot be opened keeps start time 0; killProcess then says
    // why it cannot act on it.
    return identity.key;
}

std::optional<std::vector<std::uint64_t>> socketsOfProcess(std::int32_t) {
    return std::nullopt; // the socket tables name owners, not handles: a poll is needed
}

std::optional<core::Process> processDetails(const core::ProcessKey& key) {
    if (!key.valid()) {
        return std::nullopt;
    }
    auto identity = winsys::identifyProcess(key.pid);
    if (identity.exited() || (identity.opened() && identity.key.startTime != key.startTime)) {
        return std::nullopt;
    }
    if (!identity.opened()) {
        identity.key = key; // what the caller knew; the process itself is closed to us
    }
    std::string error;
    const auto list = winsys::listProcesses(&error);
    return winsys::readProcessDetails(identity, &list);
}

} // namespace portscope::platform
