#pragma once
// Which connections and findings a command prints: its filter options, as one query.

#include "portscope/core/filter_query.h"
#include "portscope/core/findings.h"
#include "portscope/core/model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace portscope::cli {

// The rows snapshot, watch and replay print. Each --filter expression and each filter flag
// becomes terms of one core::FilterQuery, so all must match; the values of a repeated flag
// are alternatives of its term (--port 80 --port 443 is port:80,443). --pid, --process and
// --port select findings too, by their process or by the ports of their sockets.
struct ConnectionFilter {
    std::vector<std::string> expressions; // --filter, each already checked
    std::vector<std::int32_t> pids;
    std::vector<std::string> processNames;
    std::vector<std::uint16_t> ports;
    std::vector<core::SocketState> states;
    std::vector<core::Protocol> protocols;
    std::vector<core::Family> families;
    core::FilterQuery query; // all of the above; built by buildQuery()

    bool empty() const { return query.empty(); }
    bool matches(const core::Connection& connection, const core::ProcessRow* owner) const {
        return query.matches(connection, owner);
    }
    void buildQuery();
};

// --pid, --process and --port select findings too; the other filters describe sockets only.
bool findingMatches(const ConnectionFilter& filter, const core::Finding& finding);

} // namespace portscope::cli
