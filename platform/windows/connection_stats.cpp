#include "windows/connection_stats.h"

#include "windows/socket_list.h"
#include "windows/win32.h"

#include <limits>

namespace portscope::platform::winsys {

namespace {

std::uint32_t clamp32(ULONG64 value) {
    return static_cast<std::uint32_t>(
        std::min<ULONG64>(value, std::numeric_limits<std::uint32_t>::max()));
}

ULONG enableCollection(const core::Socket& socket) {
    TCP_ESTATS_DATA_RW_v0 settings{};
    settings.EnableCollection = TRUE;
    auto* raw = reinterpret_cast<PUCHAR>(&settings);
    if (socket.family() == core::Family::V4) {
        MIB_TCPROW row = mibTcpRowOf(socket);
        return ::SetPerTcpConnectionEStats(&row, TcpConnectionEstatsData, raw, 0, sizeof settings,
                                           0);
    }
    MIB_TCP6ROW row = mibTcp6RowOf(socket);
    return ::SetPerTcp6ConnectionEStats(&row, TcpConnectionEstatsData, raw, 0, sizeof settings, 0);
}

ULONG readData(const core::Socket& socket, TCP_ESTATS_DATA_ROD_v0& data) {
    auto* raw = reinterpret_cast<PUCHAR>(&data);
    if (socket.family() == core::Family::V4) {
        MIB_TCPROW row = mibTcpRowOf(socket);
        return ::GetPerTcpConnectionEStats(&row, TcpConnectionEstatsData, nullptr, 0, 0, nullptr, 0,
                                           0, raw, 0, sizeof data);
    }
    MIB_TCP6ROW row = mibTcp6RowOf(socket);
    return ::GetPerTcp6ConnectionEStats(&row, TcpConnectionEstatsData, nullptr, 0, 0, nullptr, 0, 0,
                                        raw, 0, sizeof data);
}

} // namespace

core::TcpCounters countersFromEstats(const TCP_ESTATS_DATA_ROD_v0& data) {
    core::TcpCounters counters;
    counters.present = true;
    counters.hasBytesSent = true;
    counters.bytesAcked = data.ThruBytesAcked;
    counters.bytesReceived = data.ThruBytesReceived;
    counters.bytesSent = data.DataBytesOut;
    counters.segsIn = clamp32(data.SegsIn);
    counters.segsOut = clamp32(data.SegsOut);
    return counters;
}

bool hasEstats(core::SocketState state) {
    switch (state) {
    case core::SocketState::Established:
    case core::SocketState::SynSent:
    case core::SocketState::SynRecv:
    case core::SocketState::FinWait1:
    case core::SocketState::FinWait2:
    case core::SocketState::CloseWait:
    case core::SocketState::Closing:
    case core::SocketState::LastAck:
        return true;
    default:
        return false;
    }
}

std::size_t
ConnectionStatistics::ConnectionIdHash::operator()(const ConnectionId& id) const noexcept {
    return core::hashValue(id.local) * 31 + core::hashValue(id.remote);
}

ConnectionStatistics::ConnectionStatistics(std::string unavailableReason)
    : unavailableReason_(std::move(unavailableReason)) {}

void ConnectionStatistics::collect(std::vector<core::Socket>& sockets) {
    if (!unavailableReason_.empty()) {
        return;
    }
    stillOpen_.clear();
    stillOpen_.reserve(enabled_.size() + 64);
    for (auto& socket : sockets) {
        if (socket.protocol != core::Protocol::Tcp || !hasEstats(socket.state)) {
            continue;
        }
        const ConnectionId id{socket.local, socket.remote};
        const bool alreadyEnabled = enabled_.count(id) != 0;
        if (!readOne(socket, alreadyEnabled)) {
            if (!unavailableReason_.empty()) {
                enabled_.clear();
                return;
            }
            continue;
        }
        stillOpen_.insert(id);
    }
    // Connections that closed are forgotten; Windows drops their statistics with them.
    enabled_.swap(stillOpen_);
}

bool ConnectionStatistics::readOne(core::Socket& socket, bool alreadyEnabled) {
    if (!alreadyEnabled) {
        const ULONG error = enableCollection(socket);
        if (error == ERROR_ACCESS_DENIED) {
            unavailableReason_ = "Per-connection byte counts and rates are unavailable: Windows "
                                 "refused to collect TCP statistics (" +
                                 errorText(error) + "). Run PortScope as administrator.";
            return false;
        }
        if (error != NO_ERROR) {
            return false; // closed meanwhile, or not a connection EStats knows
        }
    }
    TCP_ESTATS_DATA_ROD_v0 data{};
    if (readData(socket, data) != NO_ERROR) {
        return false;
    }
    socket.counters = countersFromEstats(data);
    return true;
}

} // namespace portscope::platform::winsys
