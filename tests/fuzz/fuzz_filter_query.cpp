// Fuzz target for the filter-bar query language. Queries are typed (and pasted) by users, and
// also come from saved settings and the command line; parsing must never throw, a rejected
// query must point at a term inside it, and a parsed query must match rows without failing.

#include "fuzz_target.h"
#include "portscope/core/filter_query.h"

#include <array>
#include <string_view>

namespace {

using namespace portscope::core;

constexpr std::string_view kTarget = "filter_query";
using portscope::fuzz::require;

// A few rows of different kinds, so that every term type compares against real values.
struct Rows {
    std::array<Connection, 3> connections;
    ProcessRow owner;

    Rows() {
        auto& listener = connections[0].socket;
        listener.protocol = Protocol::Tcp;
        listener.state = SocketState::Listen;
        listener.local = {IpAddress::v4(0, 0, 0, 0), 22};
        listener.owner = {812, 4000};

        auto& established = connections[1].socket;
        established.protocol = Protocol::Tcp;
        established.state = SocketState::Established;
        established.local = {IpAddress::v4(192, 168, 1, 20), 51234};
        established.remote = {IpAddress::v4(93, 184, 216, 34), 443};
        connections[1].remoteHostName = "example.org";

        auto& udp = connections[2].socket;
        udp.protocol = Protocol::Udp;
        udp.state = SocketState::Bound;
        udp.local = {*IpAddress::parse("fe80::1"), 5353};
        connections[2].open = false;

        owner.process.key = {812, 4000};
        owner.process.name = "sshd";
        owner.process.exePath = "/usr/sbin/sshd";
        owner.process.commandLine = "sshd: /usr/sbin/sshd -D";
        owner.process.userName = "root";
    }
};

} // namespace

constexpr portscope::fuzz::HeapBudget kBudget{256 * 1024, 128};

PORTSCOPE_FUZZ_TARGET(filter_query, kBudget) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    FilterQueryError error;
    const auto query = FilterQuery::parse(text, &error);
    if (!query) {
        require(kTarget, !error.message.empty(), "a rejected query without a message");
        require(kTarget,
                error.position <= text.size() && error.length <= text.size() - error.position,
                "an error outside the query");
        return 0;
    }
    require(kTarget, query->text() == text, "the query does not keep its text");
    static const Rows rows;
    for (const Connection& connection : rows.connections) {
        query->matches(connection, &rows.owner);
        query->matches(connection, nullptr);
    }
    // The empty query matches everything.
    require(kTarget, !query->empty() || query->matches(rows.connections[0], nullptr),
            "an empty query that hides a row");
    return 0;
}
