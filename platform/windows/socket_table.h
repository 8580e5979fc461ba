#pragma once
// The tables GetExtendedTcpTable and GetExtendedUdpTable fill in, read as plain bytes. The
// parsers are free functions over a buffer so that tests can feed them captured, synthetic and
// damaged tables; they never trust the row count the buffer declares.

#include "portscope/core/model.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace portscope::platform::winsys {

// One value per (protocol, family, table class) PortScope asks Windows for.
enum class TableKind : std::uint8_t {
    Tcp4OwnerPid,    // MIB_TCPTABLE_OWNER_PID
    Tcp4OwnerModule, // MIB_TCPTABLE_OWNER_MODULE
    Tcp6OwnerPid,    // MIB_TCP6TABLE_OWNER_PID
    Tcp6OwnerModule, // MIB_TCP6TABLE_OWNER_MODULE
    Udp4OwnerPid,    // MIB_UDPTABLE_OWNER_PID
    Udp4OwnerModule, // MIB_UDPTABLE_OWNER_MODULE
    Udp6OwnerPid,    // MIB_UDP6TABLE_OWNER_PID
    Udp6OwnerModule, // MIB_UDP6TABLE_OWNER_MODULE
    Tcp4Basic,       // MIB_TCPTABLE (GetTcpTable): no owners
    Tcp6Basic,       // MIB_TCP6TABLE (GetTcp6Table): no owners; the state comes first
};

core::Protocol protocolOf(TableKind kind);
core::Family familyOf(TableKind kind);
bool hasModuleInfo(TableKind kind);
bool hasOwner(TableKind kind);             // false for the basic tables
std::string_view toString(TableKind kind); // "MIB_TCPTABLE_OWNER_PID", ...

// Where the rows start (after DWORD dwNumEntries and any padding) and how long each row is,
// as the x64 Windows SDK lays the structures out.
struct TableLayout {
    std::size_t rowsOffset = 0;
    std::size_t rowSize = 0;
};
TableLayout layoutOf(TableKind kind);

// MIB_TCP_STATE_* (1 CLOSED ... 12 DELETE_TCB) to the core's states. Values Windows does not
// define become Unknown.
core::SocketState socketStateFromMib(std::uint32_t mibState);
// The reverse, for rows handed back to Windows; 0 for states TCP on Windows does not have
// (Unknown, Bound, NewSynRecv maps to SYN_RCVD).
std::uint32_t mibStateOf(core::SocketState state);

struct TableParseResult {
    std::uint32_t rowsDeclared = 0; // dwNumEntries as written in the buffer
    std::size_t rowsParsed = 0;     // complete rows appended to `out`
    std::string error;              // empty when every declared row was in the buffer
    bool ok() const { return error.empty(); }
};

// Appends one socket per complete row. Every field comes from the row: addresses, ports (the
// low 16 bits of the port DWORD, in network order; the high bits are documented as garbage),
// state (UDP sockets are Bound), IPv6 local scope id (as interfaceIndex), owning PID (as
// owner.pid, 0 in the basic tables, with ownerStatus NotResolved: the caller decides what a
// PID means) and, for
// *_OWNER_MODULE rows, the socket's creation time (as cookie: a FILETIME, 0 when unknown).
// A buffer too short for the row count, or declaring more rows than it holds, yields the rows
// that are complete and an error that says what was wrong.
TableParseResult parseSocketTable(std::span<const std::uint8_t> buffer, TableKind kind,
                                  std::vector<core::Socket>& out);

} // namespace portscope::platform::winsys
