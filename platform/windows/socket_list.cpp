#include "windows/socket_list.h"

#include "windows/win32.h"

#include <cstring>
#include <limits>

namespace portscope::platform::winsys {

namespace {

DWORD addressFamily(core::Family family) {
    return family == core::Family::V4 ? AF_INET : AF_INET6;
}

TableKind kindFor(core::Protocol protocol, core::Family family, bool module, bool basic) {
    if (protocol == core::Protocol::Tcp && basic) {
        return family == core::Family::V4 ? TableKind::Tcp4Basic : TableKind::Tcp6Basic;
    }
    if (protocol == core::Protocol::Tcp) {
        if (family == core::Family::V4) {
            return module ? TableKind::Tcp4OwnerModule : TableKind::Tcp4OwnerPid;
        }
        return module ? TableKind::Tcp6OwnerModule : TableKind::Tcp6OwnerPid;
    }
    if (family == core::Family::V4) {
        return module ? TableKind::Udp4OwnerModule : TableKind::Udp4OwnerPid;
    }
    return module ? TableKind::Udp6OwnerModule : TableKind::Udp6OwnerPid;
}

DWORD askWindows(TableKind kind, void* buffer, DWORD* size) {
    if (kind == TableKind::Tcp4Basic) {
        ULONG length = *size;
        const DWORD error = ::GetTcpTable(static_cast<PMIB_TCPTABLE>(buffer), &length, FALSE);
        *size = length;
        return error;
    }
    if (kind == TableKind::Tcp6Basic) {
        ULONG length = *size;
        const DWORD error = ::GetTcp6Table(static_cast<PMIB_TCP6TABLE>(buffer), &length, FALSE);
        *size = length;
        return error;
    }
    const ULONG family = addressFamily(familyOf(kind));
    if (protocolOf(kind) == core::Protocol::Tcp) {
        const TCP_TABLE_CLASS tableClass =
            hasModuleInfo(kind) ? TCP_TABLE_OWNER_MODULE_ALL : TCP_TABLE_OWNER_PID_ALL;
        return ::GetExtendedTcpTable(buffer, size, FALSE, family, tableClass, 0);
    }
    const UDP_TABLE_CLASS tableClass =
        hasModuleInfo(kind) ? UDP_TABLE_OWNER_MODULE : UDP_TABLE_OWNER_PID;
    return ::GetExtendedUdpTable(buffer, size, FALSE, family, tableClass, 0);
}

// Windows reports these when a table class or an address family is not available at all.
bool isRefusal(DWORD error) {
    return error == ERROR_INVALID_PARAMETER || error == ERROR_NOT_SUPPORTED;
}

std::uint32_t networkOrderV4(const core::IpAddress& address) {
    std::uint32_t value = 0;
    std::memcpy(&value, address.bytes.data(), sizeof value);
    return value;
}

DWORD networkOrderPort(std::uint16_t port) {
    return ::htons(port);
}

} // namespace

DWORD TableBuffer::fill(TableKind kind) {
    return fill([kind](void* buffer, DWORD* size) { return askWindows(kind, buffer, size); });
}

DWORD TableBuffer::fill(const Ask& ask) {
    DWORD error = ERROR_INSUFFICIENT_BUFFER;
    for (attempts_ = 1; attempts_ <= kMaxAttempts; ++attempts_) {
        const std::size_t capacity =
            std::min<std::size_t>(bytes_.size(), std::numeric_limits<DWORD>::max());
        DWORD size = static_cast<DWORD>(capacity);
        error = ask(bytes_.empty() ? nullptr : bytes_.data(), &size);
        if (error != ERROR_INSUFFICIENT_BUFFER) {
            break;
        }
        if (size <= capacity) {
            // Windows asked for no more than we have; grow anyway so the loop makes progress.
            size = static_cast<DWORD>(capacity + 4096);
        }
        // Head room for sockets opened before the next call.
        bytes_.resize(static_cast<std::size_t>(size) + size / 8 + 1024);
    }
    return error;
}

void SocketLister::list(std::vector<core::Socket>& out, std::vector<std::string>& problems) {
    listOne(core::Protocol::Tcp, core::Family::V4, out, problems);
    listOne(core::Protocol::Tcp, core::Family::V6, out, problems);
    listOne(core::Protocol::Udp, core::Family::V4, out, problems);
    listOne(core::Protocol::Udp, core::Family::V6, out, problems);
}

bool SocketLister::usingModuleTables(core::Protocol protocol) const {
    if (protocol == core::Protocol::Tcp) {
        return !basicTcp_ && !tcpModuleRefused_;
    }
    return !udpModuleRefused_;
}

void SocketLister::listOne(core::Protocol protocol, core::Family family,
                           std::vector<core::Socket>& out, std::vector<std::string>& problems) {
    const int slot = (protocol == core::Protocol::Tcp ? 0 : 2) + (family == core::Family::V6);
    TableBuffer& buffer = buffers_[slot];
    bool& moduleRefused = protocol == core::Protocol::Tcp ? tcpModuleRefused_ : udpModuleRefused_;

    TableKind kind = kindFor(protocol, family, !moduleRefused, basicTcp_);
    DWORD error = buffer.fill(kind);
    if (error != NO_ERROR && isRefusal(error) && hasModuleInfo(kind)) {
        const TableKind fallback = kindFor(protocol, family, false, false);
        const DWORD fallbackError = buffer.fill(fallback);
        if (fallbackError == NO_ERROR) {
            moduleRefused = true;
            kind = fallback;
        }
        error = fallbackError;
    }
    if (error != NO_ERROR) {
        if (family == core::Family::V6 && isRefusal(error)) {
            return; // IPv6 is not installed: there are no IPv6 sockets to miss
        }
        problems.push_back("The " + std::string(core::toString(protocol)) + " IPv" +
                           (family == core::Family::V4 ? "4" : "6") +
                           " socket table could not be read: " + errorText(error) + ".");
        return;
    }
    const auto parsed = parseSocketTable(buffer.bytes(), kind, out);
    if (!parsed.ok()) {
        problems.push_back("Part of a socket table was unreadable: " + parsed.error + ".");
    }
}

std::optional<bool> tcpConnectionIsOpen(const core::Socket& socket, std::string* error) {
    TableBuffer buffer;
    // The basic tables: owners are not needed here, and finding them is the slow part.
    const TableKind kind =
        socket.family() == core::Family::V4 ? TableKind::Tcp4Basic : TableKind::Tcp6Basic;
    if (const DWORD status = buffer.fill(kind); status != NO_ERROR) {
        if (error != nullptr) {
            *error = errorText(status);
        }
        return std::nullopt;
    }
    std::vector<core::Socket> sockets;
    parseSocketTable(buffer.bytes(), kind, sockets);
    for (const auto& candidate : sockets) {
        if (candidate.local == socket.local && candidate.remote == socket.remote &&
            candidate.state != core::SocketState::TimeWait &&
            candidate.state != core::SocketState::Close) {
            return true;
        }
    }
    return false;
}

MIB_TCPROW mibTcpRowOf(const core::Socket& socket) {
    MIB_TCPROW row{};
    row.dwState = mibStateOf(socket.state);
    row.dwLocalAddr = networkOrderV4(socket.local.address);
    row.dwLocalPort = networkOrderPort(socket.local.port);
    row.dwRemoteAddr = networkOrderV4(socket.remote.address);
    row.dwRemotePort = networkOrderPort(socket.remote.port);
    return row;
}

MIB_TCP6ROW mibTcp6RowOf(const core::Socket& socket) {
    MIB_TCP6ROW row{};
    row.State = static_cast<MIB_TCP_STATE>(mibStateOf(socket.state));
    std::memcpy(&row.LocalAddr, socket.local.address.bytes.data(), sizeof row.LocalAddr);
    row.dwLocalScopeId = socket.interfaceIndex;
    row.dwLocalPort = networkOrderPort(socket.local.port);
    std::memcpy(&row.RemoteAddr, socket.remote.address.bytes.data(), sizeof row.RemoteAddr);
    row.dwRemotePort = networkOrderPort(socket.remote.port);
    // A link-local peer is reached through the same interface as the local end.
    const auto& remote = socket.remote.address.bytes;
    if (remote[0] == 0xfe && (remote[1] & 0xc0) == 0x80) {
        row.dwRemoteScopeId = socket.interfaceIndex;
    }
    return row;
}

} // namespace portscope::platform::winsys
