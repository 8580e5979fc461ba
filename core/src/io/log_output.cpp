#include "portscope/core/log_output.h"

#include "portscope/core/export.h"
#include "portscope/core/net.h"
#include "portscope/core/text.h"

#include <charconv>

namespace portscope::core {

namespace {

constexpr std::size_t kMaxHostNameLength = 253; // RFC 1035, without the final dot
constexpr std::size_t kMaxLabelLength = 63;

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

bool isHostNameCharacter(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '.';
}

std::string quoted(std::string_view text) {
    return "'" + excerptForDisplay(text, 80) + "'";
}

bool fail(std::string* error, std::string message) {
    if (error != nullptr) {
        *error = std::move(message);
    }
    return false;
}

// A DNS name (letters, digits, '-' and '.', labels of 1-63 characters that do not start or end
// with '-') or, when it is made of digits and dots only, an IPv4 address.
bool checkHostName(std::string_view host, std::string* error) {
    if (host.empty()) {
        return fail(error, "no host name or address before the port");
    }
    if (host.size() > kMaxHostNameLength) {
        return fail(error, "the host name is longer than 253 characters");
    }
    bool onlyDigitsAndDots = true;
    for (const char c : host) {
        if (!isHostNameCharacter(c)) {
            return fail(error, "the host " + quoted(host) + " holds " + quoted({&c, 1}) +
                                   ", which no host name or IPv4 address has; write an IPv6 "
                                   "address in brackets, such as [::1]");
        }
        onlyDigitsAndDots = onlyDigitsAndDots && (isDigit(c) || c == '.');
    }
    if (onlyDigitsAndDots) {
        const auto address = IpAddress::parse(host);
        if (!address || address->family != Family::V4) {
            return fail(error, quoted(host) + " is not an IPv4 address");
        }
        return true;
    }
    std::size_t start = 0;
    while (start <= host.size()) {
        const auto dot = host.find('.', start);
        const auto label =
            host.substr(start, dot == std::string_view::npos ? host.npos : dot - start);
        if (label.empty() && dot != std::string_view::npos) {
            return fail(error, "the host name " + quoted(host) + " has an empty label");
        }
        if (label.size() > kMaxLabelLength) {
            return fail(error,
                        "the host name " + quoted(host) + " has a label longer than 63 characters");
        }
        if (!label.empty() && (label.front() == '-' || label.back() == '-')) {
            return fail(error,
                        "a label of the host name " + quoted(host) + " starts or ends with '-'");
        }
        if (dot == std::string_view::npos) {
            break;
        }
        start = dot + 1;
    }
    return true;
}

bool parsePort(std::string_view text, std::uint16_t* port, std::string* error) {
    if (text.empty()) {
        return fail(error, "no port after ':'");
    }
    unsigned value = 0;
    const auto [end, problem] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (problem != std::errc{} || end != text.data() + text.size() || text.size() > 5 ||
        value == 0 || value > 65535) {
        return fail(error, "the port " + quoted(text) + " is not a number from 1 to 65535");
    }
    *port = static_cast<std::uint16_t>(value);
    return true;
}

// Keeps the printable ASCII of a header field (RFC 5424 PRINTUSASCII, 33-126), cut to its
// longest length; "-" (the nil value) when nothing is left.
std::string headerField(std::string_view text, std::size_t maxLength) {
    std::string field;
    for (const char c : text) {
        if (field.size() >= maxLength) {
            break;
        }
        if (c >= 33 && c <= 126) {
            field += c;
        }
    }
    return field.empty() ? "-" : field;
}

void appendJournalField(std::string& out, std::string_view name, std::string_view value) {
    out += name;
    out += '\n';
    std::uint64_t length = value.size();
    for (int i = 0; i < 8; ++i) {
        out += static_cast<char>(length & 0xff);
        length >>= 8;
    }
    out += value;
    out += '\n';
}

} // namespace

std::optional<LogTarget> parseLogTarget(std::string_view text, std::string* error) {
    LogTarget target;
    if (text == "journal") {
        target.kind = LogTarget::Kind::Journal;
        return target;
    }
    const auto separator = text.find("://");
    if (separator == std::string_view::npos) {
        fail(error, "the output " + quoted(text) +
                        " is none of syslog://HOST:PORT (UDP), syslog+tcp://HOST:PORT or journal");
        return std::nullopt;
    }
    const auto scheme = text.substr(0, separator);
    if (scheme == "syslog") {
        target.kind = LogTarget::Kind::SyslogUdp;
    } else if (scheme == "syslog+tcp") {
        target.kind = LogTarget::Kind::SyslogTcp;
    } else {
        fail(error, "unknown output scheme " + quoted(scheme) +
                        "; use syslog:// (UDP), syslog+tcp:// or journal");
        return std::nullopt;
    }
    std::string_view rest = text.substr(separator + 3);
    std::string_view portText;
    bool hasPort = false;
    if (!rest.empty() && rest.front() == '[') {
        const auto close = rest.find(']');
        if (close == std::string_view::npos) {
            fail(error, "the IPv6 address in " + quoted(text) + " has no closing ']'");
            return std::nullopt;
        }
        const auto inside = rest.substr(1, close - 1);
        const auto address = IpAddress::parse(inside);
        if (!address || address->family != Family::V6) {
            fail(error, quoted(inside) + " in brackets is not an IPv6 address");
            return std::nullopt;
        }
        target.host = std::string(inside);
        rest = rest.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') {
                fail(error, "unexpected " + quoted(rest) +
                                " after the address; the output "
                                "takes only HOST:PORT");
                return std::nullopt;
            }
            hasPort = true;
            portText = rest.substr(1);
        }
    } else {
        const auto firstColon = rest.find(':');
        if (firstColon != std::string_view::npos &&
            rest.find(':', firstColon + 1) != std::string_view::npos) {
            fail(error, "write an IPv6 address in brackets, such as syslog+tcp://[::1]:514");
            return std::nullopt;
        }
        const auto host = rest.substr(0, firstColon);
        for (const char c : host) {
            if (c == '/' || c == '?' || c == '#' || c == '@') {
                fail(error, "the output takes only HOST:PORT, without a user, path or query: " +
                                quoted(text));
                return std::nullopt;
            }
        }
        if (!checkHostName(host, error)) {
            return std::nullopt;
        }
        target.host = std::string(host);
        if (firstColon != std::string_view::npos) {
            hasPort = true;
            portText = rest.substr(firstColon + 1);
        }
    }
    target.port = kDefaultSyslogPort;
    if (hasPort && !parsePort(portText, &target.port, error)) {
        return std::nullopt;
    }
    return target;
}

std::string toString(const LogTarget& target) {
    if (target.kind == LogTarget::Kind::Journal) {
        return "journal";
    }
    std::string text = target.kind == LogTarget::Kind::SyslogTcp ? "syslog+tcp://" : "syslog://";
    const bool v6 = target.host.find(':') != std::string::npos;
    text += v6 ? "[" + target.host + "]" : target.host;
    return text + ":" + std::to_string(target.port);
}

std::string syslogMessage(const SyslogHeader& header, const EcsEvent& event) {
    const int facility = header.facility >= 0 && header.facility <= 23 ? header.facility : 3;
    const int severity =
        event.syslogSeverity >= 0 && event.syslogSeverity <= 7 ? event.syslogSeverity : 6;
    std::string message = "<" + std::to_string(facility * 8 + severity) + ">1 ";
    const std::string time = formatUnixMs(event.unixMs);
    message += time.empty() ? "-" : time;
    message += ' ';
    message += headerField(header.hostName, 255);
    message += ' ';
    message += headerField(header.appName, 48);
    message += ' ';
    message += header.processId > 0 ? std::to_string(header.processId) : "-";
    message += ' ';
    message += headerField(toString(event.eventClass), 32);
    message += " - ";
    message += event.json;
    return message;
}

std::string octetCounted(std::string_view message) {
    std::string frame = std::to_string(message.size());
    frame += ' ';
    frame += message;
    return frame;
}

std::string journalDatagram(const EcsEvent& event, std::string_view identifier) {
    std::string datagram;
    datagram.reserve(2 * event.json.size() + 256);
    appendJournalField(datagram, "MESSAGE", validUtf8(event.message));
    const int severity =
        event.syslogSeverity >= 0 && event.syslogSeverity <= 7 ? event.syslogSeverity : 6;
    appendJournalField(datagram, "PRIORITY", std::to_string(severity));
    appendJournalField(datagram, "SYSLOG_IDENTIFIER", identifier);
    appendJournalField(datagram, "PORTSCOPE_EVENT", toString(event.eventClass));
    if (!event.ruleId.empty()) {
        appendJournalField(datagram, "PORTSCOPE_RULE", validUtf8(event.ruleId));
    }
    appendJournalField(datagram, "PORTSCOPE_ECS", event.json);
    return datagram;
}

} // namespace portscope::core
