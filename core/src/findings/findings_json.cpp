#include "portscope/core/address_scope.h"
#include "portscope/core/export.h"
#include "portscope/core/findings.h"
#include "portscope/core/text.h"

#include <cmath>
#include <cstdio>

namespace portscope::core {

std::string_view toString(Severity severity) {
    switch (severity) {
    case Severity::Info:
        return "info";
    case Severity::Low:
        return "low";
    case Severity::Medium:
        return "medium";
    case Severity::High:
        return "high";
    }
    return "info";
}

namespace {

// Magnitudes and rates keep six significant digits: 0.000125, 1.5e+09.
constexpr auto kFindingNumberPrecision = NumberPrecision::significantDigits(6);

void appendSocket(std::string& out, const EvidenceSocket& socket) {
    out += "{\"connection_id\":" + std::to_string(socket.connection);
    out += ",\"protocol\":";
    out += jsonString(toString(socket.protocol));
    out += ",\"state\":";
    out += jsonString(toString(socket.state));
    out += ",\"local_address\":" + jsonString(socket.local.address.toString());
    out += ",\"local_port\":" + std::to_string(socket.local.port);
    out += ",\"remote_address\":" + jsonString(socket.remote.address.toString());
    out += ",\"remote_port\":" + std::to_string(socket.remote.port);
    out += ",\"remote_scope\":";
    out += jsonString(toString(socket.remoteScope));
    out += ",\"open\":";
    out += socket.open ? "true" : "false";
    out += ",\"short_lived\":";
    out += socket.shortLived ? "true" : "false";
    out += ",\"netns\":" + std::to_string(socket.netns) + "}";
}

} // namespace

std::string findingJson(const Finding& finding) {
    std::string out = "{\"id\":" + std::to_string(finding.id);
    out += ",\"rule\":" + jsonString(finding.ruleId);
    out += ",\"severity\":";
    out += jsonString(toString(finding.severity));
    out += ",\"subject\":" + jsonString(finding.subject);
    if (finding.process.valid()) {
        out += ",\"pid\":" + std::to_string(finding.process.pid);
        out += ",\"process_start\":" + std::to_string(finding.process.startTime);
        out += ",\"process\":" + jsonString(finding.processName);
        out += ",\"exe\":" + jsonString(finding.exePath);
    } else {
        out += ",\"pid\":null,\"process_start\":null,\"process\":null,\"exe\":null";
    }
    out += ",\"uid\":" + (finding.hasUid ? std::to_string(finding.uid) : std::string("null"));
    out += ",\"summary\":" + jsonString(finding.summary);
    out += ",\"action\":" + jsonString(finding.action);
    out += ",\"details\":[";
    for (std::size_t i = 0; i < finding.details.size(); ++i) {
        out += i ? "," : "";
        out += jsonString(finding.details[i]);
    }
    out += "],\"first_seen\":" + jsonString(formatUnixMs(finding.firstSeenUnixMs));
    out += ",\"last_seen\":" + jsonString(formatUnixMs(finding.lastSeenUnixMs));
    out += ",\"revision\":" + std::to_string(finding.revision);
    out += ",\"magnitude\":";
    appendJsonNumber(out, finding.magnitude, kFindingNumberPrecision);
    out += ",\"sockets_total\":" + std::to_string(finding.socketsTotal);
    out += ",\"sockets\":[";
    for (std::size_t i = 0; i < finding.sockets.size(); ++i) {
        out += i ? "," : "";
        appendSocket(out, finding.sockets[i]);
    }
    out += "],\"counters\":[";
    for (std::size_t i = 0; i < finding.counters.size(); ++i) {
        const EvidenceCounter& counter = finding.counters[i];
        out += i ? "," : "";
        out += "{\"name\":" + jsonString(counter.name);
        out += ",\"value\":" + std::to_string(counter.value);
        out += ",\"increase\":" + std::to_string(counter.increase);
        out += ",\"rate\":";
        appendJsonNumber(out, counter.perSecond, kFindingNumberPrecision);
        out += "}";
    }
    out += "]}";
    return out;
}

} // namespace portscope::core
