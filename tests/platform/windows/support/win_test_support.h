#pragma once
// Real loopback sockets and child processes for the Windows tests. Only loopback addresses
// are used, every loop is bounded, and only processes a test started are stopped.

// clang-format off
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
// clang-format on

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace portscope::wintest {

// WSAStartup for the whole test program; safe to call repeatedly.
void ensureWinsock();

class TestSocket {
public:
    TestSocket() = default;
    explicit TestSocket(SOCKET s) : socket_(s) {}
    TestSocket(TestSocket&& other) noexcept : socket_(other.socket_) {
        other.socket_ = INVALID_SOCKET;
    }
    TestSocket& operator=(TestSocket&& other) noexcept;
    TestSocket(const TestSocket&) = delete;
    TestSocket& operator=(const TestSocket&) = delete;
    ~TestSocket() { close(); }

    SOCKET get() const { return socket_; }
    bool valid() const { return socket_ != INVALID_SOCKET; }
    void close();
    std::uint16_t localPort() const;

private:
    SOCKET socket_ = INVALID_SOCKET;
};

// A TCP socket listening on 127.0.0.1 (or ::1) on a port the system picks.
TestSocket listenOnLoopback(int family);
// A UDP socket bound to 127.0.0.1 (or ::1).
TestSocket udpOnLoopback(int family);

// A connected pair over loopback: `client` connected to a listener, `server` accepted.
struct ConnectedPair {
    TestSocket listener;
    TestSocket client;
    TestSocket server;
};
std::optional<ConnectedPair> connectOnLoopback(int family);

bool ipv6LoopbackAvailable();

// True when `socket` can still carry a few bytes each way.
bool exchangesData(const ConnectedPair& pair);

// A path the test program can open. Build paths are Unix paths when cross-compiling; Wine
// maps the Unix root to drive Z:.
std::wstring programPath(const std::string& buildPath);
std::vector<std::uint8_t> readBinaryFile(const std::string& buildPath);

// A process started by a test. It is terminated (by its handle, never by name) when the object
// goes away, unless it has exited.
class ChildProcess {
public:
    static std::optional<ChildProcess> start(const std::wstring& exe,
                                             const std::wstring& arguments);
    ChildProcess(ChildProcess&& other) noexcept;
    ChildProcess& operator=(ChildProcess&&) = delete;
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    ~ChildProcess();

    HANDLE handle() const { return process_; }
    DWORD pid() const { return pid_; }
    std::uint64_t creationTime() const;
    bool waitForExit(DWORD milliseconds) const;
    std::optional<DWORD> exitCode() const;

private:
    ChildProcess(HANDLE process, DWORD pid) : process_(process), pid_(pid) {}
    HANDLE process_ = nullptr;
    DWORD pid_ = 0;
};

// Runs a program to completion with its standard output captured; nullopt when it could not be
// started or did not finish within `timeoutMs`.
struct ProgramOutput {
    DWORD exitCode = 0;
    std::string standardOutput;
};
std::optional<ProgramOutput> runProgram(const std::wstring& exe, const std::wstring& arguments,
                                        DWORD timeoutMs);

} // namespace portscope::wintest
