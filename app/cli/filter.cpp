#include "filter.h"

#include <algorithm>
#include <cctype>

namespace portscope::cli {

namespace {

bool containsIgnoringCase(std::string_view haystack, std::string_view needle) {
    const auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                                [](char a, char b) {
                                    return std::tolower(static_cast<unsigned char>(a)) ==
                                           std::tolower(static_cast<unsigned char>(b));
                                });
    return it != haystack.end();
}

bool sameState(core::SocketState a, core::SocketState b) {
    // Users say SYN_RECV for both kernel flavours of a half-open connection.
    auto normal = [](core::SocketState s) {
        return s == core::SocketState::NewSynRecv ? core::SocketState::SynRecv : s;
    };
    return normal(a) == normal(b);
}

} // namespace

bool ConnectionFilter::empty() const {
    return pids.empty() && processNames.empty() && ports.empty() && states.empty() && !protocol &&
           !family;
}

bool ConnectionFilter::matches(const core::Connection& connection,
                               const core::ProcessRow* owner) const {
    const auto& socket = connection.socket;
    if (protocol && socket.protocol != *protocol) {
        return false;
    }
    if (family && socket.family() != *family) {
        return false;
    }
    if (!pids.empty() && std::find(pids.begin(), pids.end(), socket.owner.pid) == pids.end()) {
        return false;
    }
    if (!ports.empty() && std::none_of(ports.begin(), ports.end(), [&](std::uint16_t port) {
            return socket.local.port == port || socket.remote.port == port;
        })) {
        return false;
    }
    if (!states.empty() && std::none_of(states.begin(), states.end(), [&](core::SocketState s) {
            return sameState(s, socket.state);
        })) {
        return false;
    }
    if (!processNames.empty()) {
        if (!owner) {
            return false;
        }
        const auto& process = owner->process;
        if (std::none_of(processNames.begin(), processNames.end(), [&](const std::string& name) {
                return containsIgnoringCase(process.name, name) ||
                       containsIgnoringCase(process.exePath, name);
            })) {
            return false;
        }
    }
    return true;
}

} // namespace portscope::cli
