#include "connection_filter.h"

#include "portscope/core/text.h"

#include <algorithm>
#include <stdexcept>

namespace portscope::cli {

namespace {

template <typename Value, typename Format>
std::string termOf(std::string_view field, const std::vector<Value>& values, Format format) {
    std::string term;
    for (const auto& value : values) {
        term += term.empty() ? std::string(field) + ":" : ",";
        term += format(value);
    }
    return term;
}

} // namespace

void ConnectionFilter::buildQuery() {
    std::vector<std::string> terms = expressions;
    auto number = [](auto value) { return std::to_string(value); };
    terms.push_back(termOf("pid", pids, number));
    terms.push_back(termOf("proc", processNames, core::quotedFilterValue));
    terms.push_back(termOf("port", ports, number));
    terms.push_back(termOf("state", states, [](core::SocketState state) {
        return core::lowerCase(core::toString(state));
    }));
    terms.push_back(termOf("proto", protocols, [](core::Protocol protocol) {
        return core::lowerCase(core::toString(protocol));
    }));
    terms.push_back(termOf("family", families, [](core::Family family) {
        return family == core::Family::V4 ? "4" : "6";
    }));
    std::string text;
    for (const auto& term : terms) {
        if (!term.empty()) {
            text += text.empty() ? "" : " ";
            text += term;
        }
    }
    core::FilterQueryError error;
    auto parsed = core::FilterQuery::parse(text, &error);
    if (!parsed) {
        throw std::logic_error("the filter flags gave the query '" + text +
                               "', which does not parse: " + error.message);
    }
    query = std::move(*parsed);
}

bool findingMatches(const ConnectionFilter& filter, const core::Finding& finding) {
    if (!filter.pids.empty() && std::find(filter.pids.begin(), filter.pids.end(),
                                          finding.process.pid) == filter.pids.end()) {
        return false;
    }
    if (!filter.processNames.empty() &&
        std::none_of(filter.processNames.begin(), filter.processNames.end(),
                     [&](const std::string& name) {
                         return core::containsIgnoringCase(finding.processName, name) ||
                                core::containsIgnoringCase(finding.exePath, name);
                     })) {
        return false;
    }
    if (!filter.ports.empty() &&
        std::none_of(finding.sockets.begin(), finding.sockets.end(),
                     [&](const core::EvidenceSocket& socket) {
                         return std::find_if(filter.ports.begin(), filter.ports.end(),
                                             [&](std::uint16_t port) {
                                                 return socket.local.port == port ||
                                                        socket.remote.port == port;
                                             }) != filter.ports.end();
                     })) {
        return false;
    }
    return true;
}

} // namespace portscope::cli
