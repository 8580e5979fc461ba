#include "portscope/core/ecs.h"

#include "portscope/core/export.h"
#include "portscope/core/findings_text.h"
#include "portscope/core/text.h"

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace portscope::core {

namespace {

// A JSON object built field by field. ECS nests its fields ("process": {"pid": ...}); an
// object with no fields is left out by its parent, so absent facts never appear as {}.
class JsonObject {
public:
    JsonObject& text(std::string_view key, std::string_view value) {
        return raw(key, jsonString(value));
    }
    // Left out when empty: ECS leaves unknown fields out rather than sending "".
    JsonObject& textIfAny(std::string_view key, std::string_view value) {
        return value.empty() ? *this : text(key, value);
    }
    JsonObject& number(std::string_view key, std::int64_t value) {
        return raw(key, std::to_string(value));
    }
    JsonObject& texts(std::string_view key, std::initializer_list<std::string_view> values) {
        std::string list = "[";
        for (const auto value : values) {
            list += list.size() > 1 ? "," : "";
            list += jsonString(value);
        }
        return raw(key, list + "]");
    }
    JsonObject& object(std::string_view key, const JsonObject& value) {
        return value.fields_.empty() ? *this : raw(key, value.json());
    }
    JsonObject& raw(std::string_view key, std::string_view json) {
        fields_ += fields_.empty() ? "" : ",";
        fields_ += jsonString(key);
        fields_ += ':';
        fields_ += json;
        return *this;
    }
    std::string json() const { return "{" + fields_ + "}"; }

private:
    std::string fields_;
};

JsonObject endpointObject(const Endpoint& endpoint) {
    JsonObject object;
    object.text("ip", endpoint.address.toString()).number("port", endpoint.port);
    return object;
}

bool hasPeer(const Endpoint& remote) {
    return !(remote.address.isUnspecified() && remote.port == 0);
}

JsonObject processObject(const ProcessKey& key, std::string_view name, std::string_view exe,
                         const ProcessRow* owner) {
    JsonObject process;
    if (!key.valid()) {
        return process;
    }
    process.number("pid", key.pid).textIfAny("name", name).textIfAny("executable", exe);
    if (owner != nullptr) {
        if (owner->process.startedAtUnixMs > 0) {
            process.text("start", formatUnixMs(owner->process.startedAtUnixMs));
        }
        process.textIfAny("command_line", owner->process.commandLine);
        if (owner->process.parentPid > 0) {
            process.object("parent", JsonObject().number("pid", owner->process.parentPid));
        }
    }
    return process;
}

JsonObject userObject(const ProcessRow* owner, bool hasUid, std::uint32_t uid) {
    JsonObject user;
    if (owner != nullptr) {
        user.textIfAny("name", owner->process.userName);
        user.text("id", std::to_string(owner->process.uid));
    } else if (hasUid) {
        user.text("id", std::to_string(uid));
    }
    return user;
}

// The fields every event starts with, in the order a reader scanning a log expects them.
JsonObject commonFields(std::int64_t unixMs, const EcsHost& host) {
    JsonObject event;
    event.text("@timestamp", formatUnixMs(unixMs));
    event.object("ecs", JsonObject().text("version", kEcsVersion));
    event.object("host", JsonObject().textIfAny("name", host.name));
    event.object("observer", JsonObject()
                                 .text("vendor", "PortScope")
                                 .text("product", "PortScope")
                                 .text("type", "host-monitor"));
    return event;
}

int syslogSeverityOf(Severity severity) {
    switch (severity) {
    case Severity::High:
        return 3; // error
    case Severity::Medium:
        return 4; // warning
    case Severity::Low:
        return 5; // notice
    case Severity::Info:
        return 6; // informational
    }
    return 6;
}

// ECS event.severity is a number; a larger one is more severe.
int ecsSeverityOf(Severity severity) {
    switch (severity) {
    case Severity::High:
        return 73;
    case Severity::Medium:
        return 47;
    case Severity::Low:
        return 21;
    case Severity::Info:
        return 1;
    }
    return 1;
}

std::string_view findingAction(FindingChange change) {
    switch (change) {
    case FindingChange::Raised:
        return "finding-raised";
    case FindingChange::Updated:
        return "finding-updated";
    case FindingChange::Cleared:
        return "finding-cleared";
    }
    return "finding-raised";
}

} // namespace

std::string_view toString(EventClass eventClass) {
    switch (eventClass) {
    case EventClass::Finding:
        return "finding";
    case EventClass::Connection:
        return "connection";
    case EventClass::Warning:
        return "warning";
    case EventClass::Dropped:
        return "dropped";
    case EventClass::Heartbeat:
        return "heartbeat";
    }
    return "connection";
}

EcsEvent ecsFindingEvent(const Finding& finding, FindingChange change, const ProcessRow* owner,
                         std::int64_t unixMs, const EcsHost& host) {
    JsonObject event = commonFields(unixMs, host);
    const bool aboutProcess = finding.ruleId == rules::kMasquerade;
    JsonObject what;
    what.text("kind", "alert")
        .texts("category",
               aboutProcess
                   ? std::initializer_list<std::string_view>{"process", "intrusion_detection"}
                   : std::initializer_list<std::string_view>{"network", "intrusion_detection"})
        .texts("type", {"info"})
        .text("action", findingAction(change))
        .text("module", "portscope")
        .text("dataset", "portscope.findings")
        .number("severity", ecsSeverityOf(finding.severity))
        .text("id", std::to_string(finding.id) + "." + std::to_string(finding.revision));
    if (finding.firstSeenUnixMs > 0) {
        what.text("start", formatUnixMs(finding.firstSeenUnixMs));
    }
    if (change == FindingChange::Cleared && finding.lastSeenUnixMs > 0) {
        what.text("end", formatUnixMs(finding.lastSeenUnixMs));
    }
    event.object("event", what);
    event.object("rule", JsonObject()
                             .text("id", finding.ruleId)
                             .text("name", ruleTitle(finding.ruleId))
                             .text("ruleset", "portscope-findings"));
    event.text("message", finding.summary);
    event.object("process",
                 processObject(finding.process, finding.processName, finding.exePath, owner));
    event.object("user", userObject(owner, finding.hasUid, finding.uid));
    if (!finding.sockets.empty()) {
        // The most recent socket behind the finding; the rest are in portscope.sockets_total.
        const EvidenceSocket& socket = finding.sockets.front();
        event.object("source", endpointObject(socket.local));
        if (hasPeer(socket.remote)) {
            event.object("destination", endpointObject(socket.remote));
        }
        event.object(
            "network",
            JsonObject()
                .text("transport", lowerCase(toString(socket.protocol)))
                .text("type", socket.local.address.family == Family::V4 ? "ipv4" : "ipv6"));
    }
    JsonObject details;
    details.number("finding_id", finding.id)
        .number("revision", finding.revision)
        .text("severity", toString(finding.severity))
        .text("subject", finding.subject)
        .text("action", finding.action)
        .number("sockets_total", static_cast<std::int64_t>(finding.socketsTotal));
    std::string list = "[";
    for (const auto& detail : finding.details) {
        list += list.size() > 1 ? "," : "";
        list += jsonString(detail);
    }
    details.raw("details", list + "]");
    event.object("portscope", details);
    return {EventClass::Finding,
            change == FindingChange::Cleared ? 6 : syslogSeverityOf(finding.severity),
            unixMs,
            finding.ruleId,
            finding.summary,
            event.json()};
}

EcsEvent ecsConnectionEvent(const Connection& connection, RowChange change, const ProcessRow* owner,
                            std::int64_t unixMs, const EcsHost& host) {
    const Socket& socket = connection.socket;
    std::string_view type = "change";
    std::string_view action = "connection-changed";
    if (change == RowChange::Added) {
        type = "start";
        action = isListening(socket) ? "listener-opened" : "connection-opened";
    } else if (change == RowChange::Closed) {
        type = "end";
        action = isListening(socket) ? "listener-closed" : "connection-closed";
    }
    JsonObject event = commonFields(unixMs, host);
    event.object("event", JsonObject()
                              .text("kind", "event")
                              .texts("category", {"network"})
                              .texts("type", {"connection", type})
                              .text("action", action)
                              .text("module", "portscope")
                              .text("dataset", "portscope.connections"));
    const std::string name = owner != nullptr ? owner->process.name : "";
    std::string message = std::string(toString(socket.protocol)) + " " + socket.local.toString();
    if (hasPeer(socket.remote)) {
        message += " -> " + socket.remote.toString();
    }
    message += " " + std::string(toString(socket.state));
    if (socket.owner.valid()) {
        message += " pid " + std::to_string(socket.owner.pid);
        if (!name.empty()) {
            message += " (" + name + ")";
        }
    }
    event.text("message", message);
    event.object("process", processObject(socket.owner, name,
                                          owner != nullptr ? owner->process.exePath : "", owner));
    event.object("user", userObject(owner, true, socket.uid));
    event.object("source", endpointObject(socket.local));
    if (hasPeer(socket.remote)) {
        event.object("destination", endpointObject(socket.remote));
    }
    event.object("network",
                 JsonObject()
                     .text("transport", lowerCase(toString(socket.protocol)))
                     .text("type", effectiveFamily(socket) == Family::V4 ? "ipv4" : "ipv6"));
    JsonObject details;
    details.number("connection_id", static_cast<std::int64_t>(connection.id))
        .text("state", toString(socket.state));
    if (!connection.remoteHostName.empty()) {
        details.text("remote_host", connection.remoteHostName);
    }
    if (connection.shortLived) {
        details.raw("short_lived", "true");
    }
    if (socket.netns != 0) {
        details.number("netns", static_cast<std::int64_t>(socket.netns));
    }
    event.object("portscope", details);
    return {EventClass::Connection, 6, unixMs, {}, message, event.json()};
}

EcsEvent ecsWarningEvent(std::string_view warning, std::int64_t unixMs, const EcsHost& host) {
    JsonObject event = commonFields(unixMs, host);
    event.object("event", JsonObject()
                              .text("kind", "event")
                              .texts("category", {"host"})
                              .texts("type", {"info"})
                              .text("action", "monitoring-limited")
                              .text("module", "portscope")
                              .text("dataset", "portscope.agent"));
    event.text("message", warning);
    return {EventClass::Warning, 4, unixMs, {}, std::string(warning), event.json()};
}

EcsEvent ecsDroppedEvent(std::uint64_t count, std::int64_t unixMs, const EcsHost& host) {
    JsonObject event = commonFields(unixMs, host);
    event.object("event", JsonObject()
                              .text("kind", "event")
                              .texts("category", {"host"})
                              .texts("type", {"info"})
                              .text("action", "events-dropped")
                              .text("module", "portscope")
                              .text("dataset", "portscope.agent"));
    const std::string message = std::to_string(count) + (count == 1 ? " event" : " events") +
                                " dropped: the log receiver was unreachable for longer than "
                                "the queue could hold";
    event.text("message", message);
    event.object("portscope",
                 JsonObject().number("dropped_events", static_cast<std::int64_t>(count)));
    return {EventClass::Dropped, 4, unixMs, {}, message, event.json()};
}

EcsEvent ecsHeartbeatEvent(const AgentHealth& health, std::int64_t unixMs, const EcsHost& host) {
    JsonObject event = commonFields(unixMs, host);
    event.object("event", JsonObject()
                              .text("kind", "state")
                              .texts("category", {"host"})
                              .texts("type", {"info"})
                              .text("action", "agent-heartbeat")
                              .text("module", "portscope")
                              .text("dataset", "portscope.agent"));
    const std::string message = "PortScope agent running: " + std::to_string(health.sent) +
                                " events sent, " + std::to_string(health.dropped) + " dropped, " +
                                std::to_string(health.queued) + " queued";
    event.text("message", message);
    event.object("portscope",
                 JsonObject()
                     .number("sent_events", static_cast<std::int64_t>(health.sent))
                     .number("dropped_events_total", static_cast<std::int64_t>(health.dropped))
                     .number("reconnects", static_cast<std::int64_t>(health.reconnects))
                     .number("queued_events", static_cast<std::int64_t>(health.queued)));
    return {EventClass::Heartbeat, 6, unixMs, {}, message, event.json()};
}

} // namespace portscope::core
