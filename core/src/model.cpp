#include "portscope/core/model.h"

#include "hash_mix.h"
#include "portscope/core/text.h"
#include "portscope/core/translatable.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>

namespace portscope::core {

namespace {

struct StateName {
    SocketState state;
    std::string_view name;
};

constexpr std::array<StateName, 14> kStateNames{{
    {SocketState::Unknown, "UNKNOWN"},
    {SocketState::Established, "ESTABLISHED"},
    {SocketState::SynSent, "SYN_SENT"},
    {SocketState::SynRecv, "SYN_RECV"},
    {SocketState::FinWait1, "FIN_WAIT1"},
    {SocketState::FinWait2, "FIN_WAIT2"},
    {SocketState::TimeWait, "TIME_WAIT"},
    {SocketState::Close, "CLOSE"},
    {SocketState::CloseWait, "CLOSE_WAIT"},
    {SocketState::LastAck, "LAST_ACK"},
    {SocketState::Listen, "LISTEN"},
    {SocketState::Closing, "CLOSING"},
    {SocketState::NewSynRecv, "SYN_RECV"},
    {SocketState::Bound, "BOUND"},
}};

} // namespace

std::string_view toString(SocketState state) {
    for (const auto& entry : kStateNames) {
        if (entry.state == state) {
            return entry.name;
        }
    }
    return "UNKNOWN";
}

std::optional<SocketState> parseSocketState(std::string_view text) {
    std::string normal;
    normal.reserve(text.size());
    for (char c : text) {
        if (c == '-') {
            c = '_';
        }
        normal += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    // Common spellings that differ from netstat's.
    if (normal == "LISTENING" || normal == "LISTEN") {
        return SocketState::Listen;
    }
    if (normal == "ESTAB") {
        return SocketState::Established;
    }
    if (normal == "FIN_WAIT_1") {
        return SocketState::FinWait1;
    }
    if (normal == "FIN_WAIT_2") {
        return SocketState::FinWait2;
    }
    if (normal == "UNCONN") {
        return SocketState::Bound;
    }
    for (const auto& entry : kStateNames) {
        if (entry.name == normal) {
            return entry.state;
        }
    }
    return std::nullopt;
}

SocketState fromKernelState(std::uint8_t kernelState, Protocol protocol) {
    if (protocol == Protocol::Udp) {
        // UDP sockets reuse TCP_ESTABLISHED for a connected socket and TCP_CLOSE otherwise.
        return kernelState == 1 ? SocketState::Established : SocketState::Bound;
    }
    if (kernelState >= 1 && kernelState <= 12) {
        return static_cast<SocketState>(kernelState);
    }
    return SocketState::Unknown;
}

std::string_view toString(SensorMode mode) {
    switch (mode) {
    case SensorMode::Poll:
        return "poll";
    case SensorMode::Bpf:
        return "bpf";
    case SensorMode::Unknown:
        break;
    }
    return "unknown";
}

std::string_view toString(OwnerStatus status) {
    switch (status) {
    case OwnerStatus::Known:
        return "known";
    case OwnerStatus::Listener:
        return "listener";
    case OwnerStatus::NoInode:
        return "no-process";
    case OwnerStatus::PermissionDenied:
        return "permission-denied";
    case OwnerStatus::NotFound:
        return "not-found";
    case OwnerStatus::NotResolved:
        return "not-resolved";
    }
    return "not-resolved";
}

std::string_view describe(OwnerStatus status) {
    switch (status) {
    case OwnerStatus::Known:
        return PORTSCOPE_TRANSLATABLE("CoreText", "Owner known.");
    case OwnerStatus::Listener:
        return PORTSCOPE_TRANSLATABLE(
            "CoreText",
            "A pending connection; credited to the process that owns the listening socket.");
    case OwnerStatus::NoInode:
        return PORTSCOPE_TRANSLATABLE(
            "CoreText", "Held by the kernel (TIME_WAIT or a pending request); no process owns it.");
    case OwnerStatus::PermissionDenied:
        return PORTSCOPE_TRANSLATABLE(
            "CoreText", "Owner hidden: another user's process. Run elevated to see it.");
    case OwnerStatus::NotFound:
        return PORTSCOPE_TRANSLATABLE(
            "CoreText", "Owner not found: the process may have exited or passed the socket on.");
    case OwnerStatus::NotResolved:
        return PORTSCOPE_TRANSLATABLE("CoreText", "Owner lookup is switched off.");
    }
    return "";
}

} // namespace portscope::core

namespace portscope::core {

std::size_t ProcessKeyHash::operator()(const ProcessKey& key) const noexcept {
    return static_cast<std::size_t>(
        hashCombine(hashCombine(0, static_cast<std::uint32_t>(key.pid)), key.startTime));
}

bool isListening(const Socket& socket) {
    if (socket.state == SocketState::Listen) {
        return true;
    }
    return socket.protocol == Protocol::Udp && socket.state == SocketState::Bound &&
           socket.remote.port == 0 && socket.remote.address.isUnspecified();
}

Family effectiveFamily(const Socket& socket) {
    if (!socket.remote.address.isUnspecified()) {
        return socket.remote.address.unmapped().family;
    }
    return socket.local.address.unmapped().family;
}

} // namespace portscope::core
