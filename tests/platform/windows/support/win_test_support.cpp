#include "support/win_test_support.h"

#include <cstdio>
#include <cstring>
#include <thread>

namespace portscope::wintest {

void ensureWinsock() {
    static const bool started = [] {
        WSADATA data{};
        return ::WSAStartup(MAKEWORD(2, 2), &data) == 0;
    }();
    (void)started;
}

TestSocket& TestSocket::operator=(TestSocket&& other) noexcept {
    if (this != &other) {
        close();
        socket_ = other.socket_;
        other.socket_ = INVALID_SOCKET;
    }
    return *this;
}

void TestSocket::close() {
    if (socket_ != INVALID_SOCKET) {
        ::closesocket(socket_);
        socket_ = INVALID_SOCKET;
    }
}

std::uint16_t TestSocket::localPort() const {
    sockaddr_storage address{};
    int length = sizeof address;
    if (::getsockname(socket_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        return 0;
    }
    if (address.ss_family == AF_INET) {
        return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
    }
    return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
}

namespace {

int loopbackAddress(int family, sockaddr_storage& address) {
    std::memset(&address, 0, sizeof address);
    if (family == AF_INET) {
        auto& v4 = reinterpret_cast<sockaddr_in&>(address);
        v4.sin_family = AF_INET;
        v4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return sizeof v4;
    }
    auto& v6 = reinterpret_cast<sockaddr_in6&>(address);
    v6.sin6_family = AF_INET6;
    v6.sin6_addr = in6addr_loopback;
    return sizeof v6;
}

TestSocket boundSocket(int family, int type, int protocol) {
    ensureWinsock();
    TestSocket s(::socket(family, type, protocol));
    if (!s.valid()) {
        return s;
    }
    sockaddr_storage address{};
    const int length = loopbackAddress(family, address);
    if (::bind(s.get(), reinterpret_cast<const sockaddr*>(&address), length) != 0) {
        s.close();
    }
    return s;
}

} // namespace

TestSocket listenOnLoopback(int family) {
    TestSocket s = boundSocket(family, SOCK_STREAM, IPPROTO_TCP);
    if (s.valid() && ::listen(s.get(), 8) != 0) {
        s.close();
    }
    return s;
}

TestSocket udpOnLoopback(int family) {
    return boundSocket(family, SOCK_DGRAM, IPPROTO_UDP);
}

std::optional<ConnectedPair> connectOnLoopback(int family) {
    ConnectedPair pair;
    pair.listener = listenOnLoopback(family);
    if (!pair.listener.valid()) {
        return std::nullopt;
    }
    pair.client = TestSocket(::socket(family, SOCK_STREAM, IPPROTO_TCP));
    if (!pair.client.valid()) {
        return std::nullopt;
    }
    sockaddr_storage address{};
    const int length = loopbackAddress(family, address);
    if (family == AF_INET) {
        reinterpret_cast<sockaddr_in&>(address).sin_port = htons(pair.listener.localPort());
    } else {
        reinterpret_cast<sockaddr_in6&>(address).sin6_port = htons(pair.listener.localPort());
    }
    if (::connect(pair.client.get(), reinterpret_cast<const sockaddr*>(&address), length) != 0) {
        return std::nullopt;
    }
    pair.server = TestSocket(::accept(pair.listener.get(), nullptr, nullptr));
    if (!pair.server.valid()) {
        return std::nullopt;
    }
    return pair;
}

bool ipv6LoopbackAvailable() {
    static const bool available = listenOnLoopback(AF_INET6).valid();
    return available;
}

bool exchangesData(const ConnectedPair& pair) {
    // A bounded receive: a reset or closed connection fails instead of blocking.
    const DWORD timeoutMs = 2000;
    for (SOCKET s : {pair.client.get(), pair.server.get()}) {
        ::setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<const char*>(&timeoutMs),
                     sizeof timeoutMs);
    }
    const char ping[] = "ping";
    char received[sizeof ping] = {};
    const auto oneWay = [&](SOCKET from, SOCKET to) {
        if (::send(from, ping, sizeof ping, 0) != static_cast<int>(sizeof ping)) {
            return false;
        }
        int total = 0;
        while (total < static_cast<int>(sizeof ping)) {
            const int got = ::recv(to, received + total, sizeof ping - total, 0);
            if (got <= 0) {
                return false;
            }
            total += got;
        }
        return std::memcmp(ping, received, sizeof ping) == 0;
    };
    return oneWay(pair.client.get(), pair.server.get()) &&
           oneWay(pair.server.get(), pair.client.get());
}

std::wstring programPath(const std::string& buildPath) {
    std::wstring path;
    if (!buildPath.empty() && buildPath.front() == '/') {
        path = L"Z:";
    }
    for (const char c : buildPath) {
        path += c == '/' ? L'\\' : static_cast<wchar_t>(static_cast<unsigned char>(c));
    }
    return path;
}

std::vector<std::uint8_t> readBinaryFile(const std::string& buildPath) {
    std::vector<std::uint8_t> bytes;
    FILE* file = ::_wfopen(programPath(buildPath).c_str(), L"rb");
    if (file == nullptr) {
        return bytes;
    }
    std::uint8_t chunk[4096];
    std::size_t got = 0;
    while ((got = std::fread(chunk, 1, sizeof chunk, file)) > 0) {
        bytes.insert(bytes.end(), chunk, chunk + got);
    }
    std::fclose(file);
    return bytes;
}

std::optional<ChildProcess> ChildProcess::start(const std::wstring& exe,
                                                const std::wstring& arguments) {
    std::wstring commandLine = L"\"" + exe + L"\" " + arguments;
    STARTUPINFOW startup{};
    startup.cb = sizeof startup;
    PROCESS_INFORMATION info{};
    if (!::CreateProcessW(exe.c_str(), commandLine.data(), nullptr, nullptr, FALSE, 0, nullptr,
                          nullptr, &startup, &info)) {
        return std::nullopt;
    }
    ::CloseHandle(info.hThread);
    return ChildProcess(info.hProcess, info.dwProcessId);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : process_(other.process_), pid_(other.pid_) {
    other.process_ = nullptr;
}

ChildProcess::~ChildProcess() {
    if (process_ == nullptr) {
        return;
    }
    if (::WaitForSingleObject(process_, 0) == WAIT_TIMEOUT) {
        ::TerminateProcess(process_, 99);
        ::WaitForSingleObject(process_, 5000);
    }
    ::CloseHandle(process_);
}

std::uint64_t ChildProcess::creationTime() const {
    FILETIME created{};
    FILETIME exited{};
    FILETIME kernel{};
    FILETIME user{};
    if (!::GetProcessTimes(process_, &created, &exited, &kernel, &user)) {
        return 0;
    }
    return static_cast<std::uint64_t>(created.dwHighDateTime) << 32 | created.dwLowDateTime;
}

bool ChildProcess::waitForExit(DWORD milliseconds) const {
    return ::WaitForSingleObject(process_, milliseconds) == WAIT_OBJECT_0;
}

std::optional<DWORD> ChildProcess::exitCode() const {
    DWORD code = 0;
    if (!::GetExitCodeProcess(process_, &code) || code == STILL_ACTIVE) {
        return std::nullopt;
    }
    return code;
}

std::optional<ProgramOutput> runProgram(const std::wstring& exe, const std::wstring& arguments,
                                        DWORD timeoutMs) {
    SECURITY_ATTRIBUTES inherit{};
    inherit.nLength = sizeof inherit;
    inherit.bInheritHandle = TRUE;
    HANDLE readEnd = nullptr;
    HANDLE writeEnd = nullptr;
    if (!::CreatePipe(&readEnd, &writeEnd, &inherit, 0)) {
        return std::nullopt;
    }
    ::SetHandleInformation(readEnd, HANDLE_FLAG_INHERIT, 0);

    std::wstring commandLine = L"\"" + exe + L"\" " + arguments;
    STARTUPINFOW startup{};
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdOutput = writeEnd;
    startup.hStdError = ::GetStdHandle(STD_ERROR_HANDLE);
    startup.hStdInput = ::GetStdHandle(STD_INPUT_HANDLE);
    PROCESS_INFORMATION info{};
    const BOOL started = ::CreateProcessW(exe.c_str(), commandLine.data(), nullptr, nullptr, TRUE,
                                          0, nullptr, nullptr, &startup, &info);
    ::CloseHandle(writeEnd);
    if (!started) {
        ::CloseHandle(readEnd);
        return std::nullopt;
    }
    ::CloseHandle(info.hThread);

    // Read on a thread so a full pipe can never stall the child while we wait for it.
    ProgramOutput output;
    std::thread reader([&] {
        char chunk[4096];
        DWORD got = 0;
        while (::ReadFile(readEnd, chunk, sizeof chunk, &got, nullptr) && got > 0) {
            output.standardOutput.append(chunk, got);
        }
    });
    const bool finished = ::WaitForSingleObject(info.hProcess, timeoutMs) == WAIT_OBJECT_0;
    if (!finished) {
        ::TerminateProcess(info.hProcess, 99);
        ::WaitForSingleObject(info.hProcess, 5000);
    }
    reader.join();
    ::CloseHandle(readEnd);
    ::GetExitCodeProcess(info.hProcess, &output.exitCode);
    ::CloseHandle(info.hProcess);
    if (!finished) {
        return std::nullopt;
    }
    return output;
}

} // namespace portscope::wintest
