#pragma once
// Where agent mode sends its events, and how each event is framed on the way: an output URL
// (syslog over UDP or TCP, or the systemd journal), RFC 5424 syslog messages, RFC 6587
// octet-counted framing, and journald's native datagrams. Pure functions over text; the
// sockets are the caller's.

#include "portscope/core/ecs.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace portscope::core {

struct LogTarget {
    enum class Kind : std::uint8_t { SyslogUdp, SyslogTcp, Journal };
    Kind kind = Kind::SyslogUdp;
    std::string host; // an IPv4 address, an IPv6 address without brackets, or a DNS name
    std::uint16_t port = 0;

    bool operator==(const LogTarget&) const = default;
};

inline constexpr std::uint16_t kDefaultSyslogPort = 514;

// Reads "syslog://HOST[:PORT]" (UDP), "syslog+tcp://HOST[:PORT]" or "journal". HOST is an
// IPv4 address, "[IPv6]" or a DNS name; PORT is 1-65535 and defaults to 514. Anything else
// (a path, a user, a query, a stray character) is refused: nullopt, with a sentence saying
// what is wrong in *error. The sentence quotes the input only as sanitizeForDisplay() leaves it.
std::optional<LogTarget> parseLogTarget(std::string_view text, std::string* error);

// The target as a user would write it again, such as "syslog+tcp://[::1]:6514".
std::string toString(const LogTarget& target);

// The header fields of an RFC 5424 message that are not in the event.
struct SyslogHeader {
    int facility = 3; // daemon
    std::string hostName;
    std::string appName = "portscope";
    std::int32_t processId = 0;
};

// <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - MSG, with the event's JSON as MSG and
// its class as MSGID. Header fields are cut to RFC 5424's lengths and printable ASCII ('-'
// when nothing is left), so a hostile host name cannot forge a field.
std::string syslogMessage(const SyslogHeader& header, const EcsEvent& event);

// RFC 6587 octet counting: "LENGTH SP MESSAGE", for syslog over TCP.
std::string octetCounted(std::string_view message);

// One datagram of journald's native protocol (systemd's journal socket): MESSAGE, PRIORITY,
// SYSLOG_IDENTIFIER, PORTSCOPE_EVENT, PORTSCOPE_RULE for a finding, and the event's JSON in
// PORTSCOPE_ECS. Every value is written in the length-prefixed form, so no newline in a value
// can start a field of its own.
std::string journalDatagram(const EcsEvent& event, std::string_view identifier);

} // namespace portscope::core
