#pragma once
// Reading the socket tables from Windows: GetExtendedTcpTable and GetExtendedUdpTable for
// IPv4 and IPv6, into buffers kept between polls and grown while Windows says they are too
// small (the tables grow between the size query and the copy).

#include "windows/iphlpapi_headers.h"
#include "windows/socket_table.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace portscope::platform::winsys {

// A table buffer that grows on ERROR_INSUFFICIENT_BUFFER, a bounded number of times.
class TableBuffer {
public:
    static constexpr int kMaxAttempts = 8;

    // Asks Windows for one table. Returns NO_ERROR, or the error of the last attempt
    // (ERROR_INSUFFICIENT_BUFFER when the table kept outgrowing the buffer).
    DWORD fill(TableKind kind);

    // The same loop around any call of the GetExtendedTcpTable kind: it gets the buffer (null
    // while empty) and its size, and on ERROR_INSUFFICIENT_BUFFER stores the size it needs.
    using Ask = std::function<DWORD(void* buffer, DWORD* size)>;
    DWORD fill(const Ask& ask);
    std::span<const std::uint8_t> bytes() const { return {bytes_.data(), bytes_.size()}; }
    int attemptsUsed() const { return attempts_; }

private:
    std::vector<std::uint8_t> bytes_;
    int attempts_ = 0;
};

// Lists every TCP and UDP socket, IPv4 and IPv6. Asks for the *_OWNER_MODULE tables (they
// carry each socket's creation time) and falls back to *_OWNER_PID for good when Windows
// refuses them.
//
// With `basicTcp`, TCP comes from GetTcpTable/GetTcp6Table, which name no owners. That is for
// Wine: its owner tables report PID 0 for every socket anyway, leave out sockets without an
// inode (TIME_WAIT), and search for owners for about 2 ms per socket (114 s for 50,000
// sockets, against 1 s for the basic table).
class SocketLister {
public:
    explicit SocketLister(bool basicTcp = false) : basicTcp_(basicTcp) {}

    // Appends the sockets; each table that could not be read adds a sentence to `problems`.
    void list(std::vector<core::Socket>& out, std::vector<std::string>& problems);

    bool usingModuleTables(core::Protocol protocol) const;

private:
    void listOne(core::Protocol protocol, core::Family family, std::vector<core::Socket>& out,
                 std::vector<std::string>& problems);

    TableBuffer buffers_[4]; // TCP v4, TCP v6, UDP v4, UDP v6
    bool basicTcp_ = false;
    bool tcpModuleRefused_ = false;
    bool udpModuleRefused_ = false;
};

// Whether the TCP table holds a connection with this 4-tuple in a state other than
// TIME_WAIT or CLOSED. nullopt when the table cannot be read.
std::optional<bool> tcpConnectionIsOpen(const core::Socket& socket, std::string* error);

// The row SetTcpEntry and the EStats calls take, with the socket's state. IPv4 sockets only.
MIB_TCPROW mibTcpRowOf(const core::Socket& socket);
// The same for IPv6 sockets (EStats); the local scope id comes from interfaceIndex.
MIB_TCP6ROW mibTcp6RowOf(const core::Socket& socket);

} // namespace portscope::platform::winsys
