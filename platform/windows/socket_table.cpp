#include "windows/socket_table.h"

#include <array>
#include <cstring>

#ifdef _WIN32
#include "windows/iphlpapi_headers.h"

#include <cstddef>
#endif

namespace portscope::platform::winsys {

namespace {

// Byte offsets inside one row. IPv4 rows and IPv6 rows share nothing, so they get two sets.
struct Row4Fields {
    std::size_t state, localAddress, localPort, remoteAddress, remotePort, pid, createTime;
};
struct Row6Fields {
    std::size_t localAddress, localScope, localPort, remoteAddress, remotePort, state, pid,
        createTime;
};
constexpr std::size_t kNone = static_cast<std::size_t>(-1);

constexpr Row4Fields kTcp4{0, 4, 8, 12, 16, 20, 24};
constexpr Row6Fields kTcp6{0, 16, 20, 24, 44, 48, 52, 56};
// UDP rows have no state and no remote end.
constexpr Row4Fields kUdp4{kNone, 0, 4, kNone, kNone, 8, 16};
constexpr Row6Fields kUdp6{0, 16, 20, kNone, kNone, kNone, 24, 32};
// The basic rows have no owner; MIB_TCP6ROW puts the state first.
constexpr Row4Fields kTcp4Basic{0, 4, 8, 12, 16, kNone, kNone};
constexpr Row6Fields kTcp6Basic{4, 20, 24, 28, 48, 0, kNone, kNone};

constexpr std::size_t kCountSize = 4;

#ifdef _WIN32
// The offsets above must match the SDK's structures exactly.
static_assert(offsetof(MIB_TCPROW_OWNER_MODULE, dwState) == kTcp4.state);
static_assert(offsetof(MIB_TCPROW_OWNER_MODULE, dwLocalAddr) == kTcp4.localAddress);
static_assert(offsetof(MIB_TCPROW_OWNER_MODULE, dwLocalPort) == kTcp4.localPort);
static_assert(offsetof(MIB_TCPROW_OWNER_MODULE, dwRemoteAddr) == kTcp4.remoteAddress);
static_assert(offsetof(MIB_TCPROW_OWNER_MODULE, dwRemotePort) == kTcp4.remotePort);
static_assert(offsetof(MIB_TCPROW_OWNER_MODULE, dwOwningPid) == kTcp4.pid);
static_assert(offsetof(MIB_TCPROW_OWNER_MODULE, liCreateTimestamp) == kTcp4.createTime);
static_assert(offsetof(MIB_TCPROW_OWNER_PID, dwOwningPid) == kTcp4.pid);
static_assert(offsetof(MIB_TCP6ROW_OWNER_MODULE, ucLocalAddr) == kTcp6.localAddress);
static_assert(offsetof(MIB_TCP6ROW_OWNER_MODULE, dwLocalScopeId) == kTcp6.localScope);
static_assert(offsetof(MIB_TCP6ROW_OWNER_MODULE, dwLocalPort) == kTcp6.localPort);
static_assert(offsetof(MIB_TCP6ROW_OWNER_MODULE, ucRemoteAddr) == kTcp6.remoteAddress);
static_assert(offsetof(MIB_TCP6ROW_OWNER_MODULE, dwRemotePort) == kTcp6.remotePort);
static_assert(offsetof(MIB_TCP6ROW_OWNER_MODULE, dwState) == kTcp6.state);
static_assert(offsetof(MIB_TCP6ROW_OWNER_MODULE, dwOwningPid) == kTcp6.pid);
static_assert(offsetof(MIB_TCP6ROW_OWNER_MODULE, liCreateTimestamp) == kTcp6.createTime);
static_assert(offsetof(MIB_TCP6ROW_OWNER_PID, dwOwningPid) == kTcp6.pid);
static_assert(offsetof(MIB_UDPROW_OWNER_MODULE, dwLocalAddr) == kUdp4.localAddress);
static_assert(offsetof(MIB_UDPROW_OWNER_MODULE, dwLocalPort) == kUdp4.localPort);
static_assert(offsetof(MIB_UDPROW_OWNER_MODULE, dwOwningPid) == kUdp4.pid);
static_assert(offsetof(MIB_UDPROW_OWNER_MODULE, liCreateTimestamp) == kUdp4.createTime);
static_assert(offsetof(MIB_UDPROW_OWNER_PID, dwOwningPid) == kUdp4.pid);
static_assert(offsetof(MIB_UDP6ROW_OWNER_MODULE, ucLocalAddr) == kUdp6.localAddress);
static_assert(offsetof(MIB_UDP6ROW_OWNER_MODULE, dwLocalScopeId) == kUdp6.localScope);
static_assert(offsetof(MIB_UDP6ROW_OWNER_MODULE, dwLocalPort) == kUdp6.localPort);
static_assert(offsetof(MIB_UDP6ROW_OWNER_MODULE, dwOwningPid) == kUdp6.pid);
static_assert(offsetof(MIB_UDP6ROW_OWNER_MODULE, liCreateTimestamp) == kUdp6.createTime);
static_assert(offsetof(MIB_UDP6ROW_OWNER_PID, dwOwningPid) == kUdp6.pid);
static_assert(offsetof(MIB_TCPROW, dwState) == kTcp4Basic.state);
static_assert(offsetof(MIB_TCPROW, dwRemotePort) == kTcp4Basic.remotePort);
static_assert(offsetof(MIB_TCP6ROW, State) == kTcp6Basic.state);
static_assert(offsetof(MIB_TCP6ROW, LocalAddr) == kTcp6Basic.localAddress);
static_assert(offsetof(MIB_TCP6ROW, dwLocalScopeId) == kTcp6Basic.localScope);
static_assert(offsetof(MIB_TCP6ROW, dwLocalPort) == kTcp6Basic.localPort);
static_assert(offsetof(MIB_TCP6ROW, RemoteAddr) == kTcp6Basic.remoteAddress);
static_assert(offsetof(MIB_TCP6ROW, dwRemotePort) == kTcp6Basic.remotePort);
#endif

std::uint32_t readLe32(const std::uint8_t* at) {
    return static_cast<std::uint32_t>(at[0]) | static_cast<std::uint32_t>(at[1]) << 8 |
           static_cast<std::uint32_t>(at[2]) << 16 | static_cast<std::uint32_t>(at[3]) << 24;
}

std::uint64_t readLe64(const std::uint8_t* at) {
    return static_cast<std::uint64_t>(readLe32(at)) | static_cast<std::uint64_t>(readLe32(at + 4))
                                                          << 32;
}

// Ports sit in the low 16 bits of a DWORD in network order, so the first two bytes in memory.
std::uint16_t readPort(const std::uint8_t* at) {
    return static_cast<std::uint16_t>(at[0] << 8 | at[1]);
}

core::IpAddress readV4(const std::uint8_t* at) {
    return core::IpAddress::v4(at[0], at[1], at[2], at[3]);
}

core::IpAddress readV6(const std::uint8_t* at) {
    std::array<std::uint8_t, 16> raw{};
    std::memcpy(raw.data(), at, raw.size());
    return core::IpAddress::v6(raw);
}

const Row4Fields& fields4(TableKind kind) {
    if (kind == TableKind::Tcp4Basic) {
        return kTcp4Basic;
    }
    return protocolOf(kind) == core::Protocol::Tcp ? kTcp4 : kUdp4;
}

const Row6Fields& fields6(TableKind kind) {
    if (kind == TableKind::Tcp6Basic) {
        return kTcp6Basic;
    }
    return protocolOf(kind) == core::Protocol::Tcp ? kTcp6 : kUdp6;
}

std::int32_t readPid(const std::uint8_t* row, std::size_t offset) {
    return offset == kNone ? 0 : static_cast<std::int32_t>(readLe32(row + offset));
}

void readRow(const std::uint8_t* row, TableKind kind, core::Socket& socket) {
    const bool module = hasModuleInfo(kind);
    socket.protocol = protocolOf(kind);
    if (familyOf(kind) == core::Family::V4) {
        const Row4Fields& f = fields4(kind);
        socket.local = {readV4(row + f.localAddress), readPort(row + f.localPort)};
        if (socket.protocol == core::Protocol::Tcp) {
            socket.remote = {readV4(row + f.remoteAddress), readPort(row + f.remotePort)};
            socket.state = socketStateFromMib(readLe32(row + f.state));
        } else {
            socket.remote = {core::IpAddress::anyOf(core::Family::V4), 0};
            socket.state = core::SocketState::Bound;
        }
        socket.owner.pid = readPid(row, f.pid);
        socket.cookie = module ? readLe64(row + f.createTime) : 0;
    } else {
        const Row6Fields& f = fields6(kind);
        socket.local = {readV6(row + f.localAddress), readPort(row + f.localPort)};
        socket.interfaceIndex = readLe32(row + f.localScope);
        if (socket.protocol == core::Protocol::Tcp) {
            socket.remote = {readV6(row + f.remoteAddress), readPort(row + f.remotePort)};
            socket.state = socketStateFromMib(readLe32(row + f.state));
        } else {
            socket.remote = {core::IpAddress::anyOf(core::Family::V6), 0};
            socket.state = core::SocketState::Bound;
        }
        socket.owner.pid = readPid(row, f.pid);
        socket.cookie = module ? readLe64(row + f.createTime) : 0;
    }
    socket.owner.startTime = 0;
    socket.ownerStatus = core::OwnerStatus::NotResolved;
}

} // namespace

core::Protocol protocolOf(TableKind kind) {
    switch (kind) {
    case TableKind::Tcp4OwnerPid:
    case TableKind::Tcp4OwnerModule:
    case TableKind::Tcp6OwnerPid:
    case TableKind::Tcp6OwnerModule:
    case TableKind::Tcp4Basic:
    case TableKind::Tcp6Basic:
        return core::Protocol::Tcp;
    default:
        return core::Protocol::Udp;
    }
}

core::Family familyOf(TableKind kind) {
    switch (kind) {
    case TableKind::Tcp4OwnerPid:
    case TableKind::Tcp4OwnerModule:
    case TableKind::Udp4OwnerPid:
    case TableKind::Udp4OwnerModule:
    case TableKind::Tcp4Basic:
        return core::Family::V4;
    default:
        return core::Family::V6;
    }
}

bool hasOwner(TableKind kind) {
    return kind != TableKind::Tcp4Basic && kind != TableKind::Tcp6Basic;
}

bool hasModuleInfo(TableKind kind) {
    switch (kind) {
    case TableKind::Tcp4OwnerModule:
    case TableKind::Tcp6OwnerModule:
    case TableKind::Udp4OwnerModule:
    case TableKind::Udp6OwnerModule:
        return true;
    default:
        return false;
    }
}

std::string_view toString(TableKind kind) {
    switch (kind) {
    case TableKind::Tcp4OwnerPid:
        return "MIB_TCPTABLE_OWNER_PID";
    case TableKind::Tcp4OwnerModule:
        return "MIB_TCPTABLE_OWNER_MODULE";
    case TableKind::Tcp6OwnerPid:
        return "MIB_TCP6TABLE_OWNER_PID";
    case TableKind::Tcp6OwnerModule:
        return "MIB_TCP6TABLE_OWNER_MODULE";
    case TableKind::Udp4OwnerPid:
        return "MIB_UDPTABLE_OWNER_PID";
    case TableKind::Udp4OwnerModule:
        return "MIB_UDPTABLE_OWNER_MODULE";
    case TableKind::Udp6OwnerPid:
        return "MIB_UDP6TABLE_OWNER_PID";
    case TableKind::Udp6OwnerModule:
        return "MIB_UDP6TABLE_OWNER_MODULE";
    case TableKind::Tcp4Basic:
        return "MIB_TCPTABLE";
    case TableKind::Tcp6Basic:
        return "MIB_TCP6TABLE";
    }
    return "unknown table";
}

TableLayout layoutOf(TableKind kind) {
    // The module rows hold a LARGE_INTEGER, so they are 8-aligned and start after 4 bytes of
    // padding; the PID rows hold only DWORDs and follow the count directly.
    switch (kind) {
    case TableKind::Tcp4OwnerPid:
        return {4, 24};
    case TableKind::Tcp4OwnerModule:
        return {8, 160};
    case TableKind::Tcp6OwnerPid:
        return {4, 56};
    case TableKind::Tcp6OwnerModule:
        return {8, 192};
    case TableKind::Udp4OwnerPid:
        return {4, 12};
    case TableKind::Udp4OwnerModule:
        return {8, 160};
    case TableKind::Udp6OwnerPid:
        return {4, 28};
    case TableKind::Udp6OwnerModule:
        return {8, 176};
    case TableKind::Tcp4Basic:
        return {4, 20};
    case TableKind::Tcp6Basic:
        return {4, 52};
    }
    return {};
}

#ifdef _WIN32
static_assert(offsetof(MIB_TCPTABLE_OWNER_PID, table) == 4 && sizeof(MIB_TCPROW_OWNER_PID) == 24);
static_assert(offsetof(MIB_TCPTABLE_OWNER_MODULE, table) == 8 &&
              sizeof(MIB_TCPROW_OWNER_MODULE) == 160);
static_assert(offsetof(MIB_TCP6TABLE_OWNER_PID, table) == 4 && sizeof(MIB_TCP6ROW_OWNER_PID) == 56);
static_assert(offsetof(MIB_TCP6TABLE_OWNER_MODULE, table) == 8 &&
              sizeof(MIB_TCP6ROW_OWNER_MODULE) == 192);
static_assert(offsetof(MIB_UDPTABLE_OWNER_PID, table) == 4 && sizeof(MIB_UDPROW_OWNER_PID) == 12);
static_assert(offsetof(MIB_UDPTABLE_OWNER_MODULE, table) == 8 &&
              sizeof(MIB_UDPROW_OWNER_MODULE) == 160);
static_assert(offsetof(MIB_UDP6TABLE_OWNER_PID, table) == 4 && sizeof(MIB_UDP6ROW_OWNER_PID) == 28);
static_assert(offsetof(MIB_UDP6TABLE_OWNER_MODULE, table) == 8 &&
              sizeof(MIB_UDP6ROW_OWNER_MODULE) == 176);
static_assert(offsetof(MIB_TCPTABLE, table) == 4 && sizeof(MIB_TCPROW) == 20);
static_assert(offsetof(MIB_TCP6TABLE, table) == 4 && sizeof(MIB_TCP6ROW) == 52);
static_assert(MIB_TCP_STATE_CLOSED == 1 && MIB_TCP_STATE_DELETE_TCB == 12);
#endif

core::SocketState socketStateFromMib(std::uint32_t mibState) {
    using core::SocketState;
    switch (mibState) {
    case 1: // MIB_TCP_STATE_CLOSED
        return SocketState::Close;
    case 2: // MIB_TCP_STATE_LISTEN
        return SocketState::Listen;
    case 3: // MIB_TCP_STATE_SYN_SENT
        return SocketState::SynSent;
    case 4: // MIB_TCP_STATE_SYN_RCVD
        return SocketState::SynRecv;
    case 5: // MIB_TCP_STATE_ESTAB
        return SocketState::Established;
    case 6: // MIB_TCP_STATE_FIN_WAIT1
        return SocketState::FinWait1;
    case 7: // MIB_TCP_STATE_FIN_WAIT2
        return SocketState::FinWait2;
    case 8: // MIB_TCP_STATE_CLOSE_WAIT
        return SocketState::CloseWait;
    case 9: // MIB_TCP_STATE_CLOSING
        return SocketState::Closing;
    case 10: // MIB_TCP_STATE_LAST_ACK
        return SocketState::LastAck;
    case 11: // MIB_TCP_STATE_TIME_WAIT
        return SocketState::TimeWait;
    case 12: // MIB_TCP_STATE_DELETE_TCB: a connection being torn down on request
        return SocketState::Close;
    default:
        return SocketState::Unknown;
    }
}

std::uint32_t mibStateOf(core::SocketState state) {
    using core::SocketState;
    switch (state) {
    case SocketState::Close:
        return 1;
    case SocketState::Listen:
        return 2;
    case SocketState::SynSent:
        return 3;
    case SocketState::SynRecv:
    case SocketState::NewSynRecv:
        return 4;
    case SocketState::Established:
        return 5;
    case SocketState::FinWait1:
        return 6;
    case SocketState::FinWait2:
        return 7;
    case SocketState::CloseWait:
        return 8;
    case SocketState::Closing:
        return 9;
    case SocketState::LastAck:
        return 10;
    case SocketState::TimeWait:
        return 11;
    case SocketState::Unknown:
    case SocketState::Bound:
        return 0;
    }
    return 0;
}

TableParseResult parseSocketTable(std::span<const std::uint8_t> buffer, TableKind kind,
                                  std::vector<core::Socket>& out) {
    TableParseResult result;
    const std::string table(toString(kind));
    if (buffer.size() < kCountSize) {
        result.error = table + ": the buffer holds " + std::to_string(buffer.size()) +
                       " bytes, too few for its row count";
        return result;
    }
    result.rowsDeclared = readLe32(buffer.data());
    const TableLayout layout = layoutOf(kind);
    const std::size_t rowsHeld = buffer.size() > layout.rowsOffset
                                     ? (buffer.size() - layout.rowsOffset) / layout.rowSize
                                     : 0;
    const std::size_t rows = std::min<std::size_t>(result.rowsDeclared, rowsHeld);

    out.reserve(out.size() + rows);
    const std::uint8_t* row = buffer.data() + layout.rowsOffset;
    for (std::size_t i = 0; i < rows; ++i, row += layout.rowSize) {
        core::Socket& socket = out.emplace_back();
        readRow(row, kind, socket);
    }
    result.rowsParsed = rows;
    if (rows < result.rowsDeclared) {
        result.error = table + " declares " + std::to_string(result.rowsDeclared) +
                       " rows, but its " + std::to_string(buffer.size()) +
                       "-byte buffer holds only " + std::to_string(rowsHeld);
    }
    return result;
}

} // namespace portscope::platform::winsys
