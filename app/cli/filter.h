#pragma once
// The CLI's row filters (--pid, --process, --port, --state, --proto, --family).

#include "portscope/core/update.h"

#include <optional>
#include <string>
#include <vector>

namespace portscope::cli {

struct ConnectionFilter {
    std::vector<std::int32_t> pids;
    std::vector<std::string> processNames; // case-insensitive substrings of name or exe path
    std::vector<std::uint16_t> ports;      // local or remote
    std::vector<core::SocketState> states;
    std::optional<core::Protocol> protocol;
    std::optional<core::Family> family;

    bool empty() const;
    bool matches(const core::Connection& connection, const core::ProcessRow* owner) const;
};

} // namespace portscope::cli
