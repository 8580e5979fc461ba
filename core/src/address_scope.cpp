#include "portscope/core/address_scope.h"

#include "portscope/core/text.h"
#include "portscope/core/translatable.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <iterator>

namespace portscope::core {

namespace {

struct ScopeName {
    AddressScope scope;
    std::string_view name;
    std::string_view description;
};

constexpr std::array<ScopeName, 11> kScopeNames{{
    {AddressScope::Unspecified, "unspecified",
     PORTSCOPE_TRANSLATABLE("CoreText", "any address (all interfaces)")},
    {AddressScope::Loopback, "loopback",
     PORTSCOPE_TRANSLATABLE("CoreText", "this machine (loopback)")},
    {AddressScope::LinkLocal, "link-local",
     PORTSCOPE_TRANSLATABLE("CoreText", "link-local (same network segment)")},
    {AddressScope::Private, "private",
     PORTSCOPE_TRANSLATABLE("CoreText", "private network (RFC 1918)")},
    {AddressScope::Cgnat, "cgnat",
     PORTSCOPE_TRANSLATABLE("CoreText", "carrier-grade NAT (shared address space)")},
    {AddressScope::UniqueLocal, "ula",
     PORTSCOPE_TRANSLATABLE("CoreText", "unique local IPv6 (private)")},
    {AddressScope::Internal, "internal",
     PORTSCOPE_TRANSLATABLE("CoreText", "internal range of your organisation")},
    {AddressScope::Multicast, "multicast",
     PORTSCOPE_TRANSLATABLE("CoreText", "multicast or broadcast")},
    {AddressScope::Documentation, "documentation",
     PORTSCOPE_TRANSLATABLE("CoreText", "documentation range (never routed)")},
    {AddressScope::Reserved, "reserved",
     PORTSCOPE_TRANSLATABLE("CoreText", "reserved or special-purpose range")},
    {AddressScope::Global, "global",
     PORTSCOPE_TRANSLATABLE("CoreText", "the Internet (global address)")},
}};

// The user's text as an error message quotes it. The message reaches terminals and logs, so
// control characters (a terminal escape sequence, say) become '?', and a long text is cut.
std::string quotedInput(std::string_view text) {
    constexpr std::size_t kMaxQuotedBytes = 80;
    std::string out = "'";
    for (const char c : text.substr(0, kMaxQuotedBytes)) {
        const auto byte = static_cast<unsigned char>(c);
        out += (byte < 0x20 || byte == 0x7f) ? '?' : c;
    }
    out += text.size() > kMaxQuotedBytes ? "...'" : "'";
    return out;
}

std::uint32_t v4Value(const IpAddress& address) {
    return static_cast<std::uint32_t>(address.bytes[0]) << 24 |
           static_cast<std::uint32_t>(address.bytes[1]) << 16 |
           static_cast<std::uint32_t>(address.bytes[2]) << 8 | address.bytes[3];
}

struct V4Prefix {
    std::uint32_t network;
    std::uint8_t length;
    AddressScope scope;
};

constexpr std::uint32_t v4(std::uint32_t a, std::uint32_t b, std::uint32_t c, std::uint32_t d) {
    return a << 24 | b << 16 | c << 8 | d;
}

// Ordered so that a more specific range comes before the wider one holding it.
constexpr V4Prefix kV4Table[] = {
    {v4(255, 255, 255, 255), 32, AddressScope::Multicast}, // limited broadcast
    {v4(127, 0, 0, 0), 8, AddressScope::Loopback},
    {v4(10, 0, 0, 0), 8, AddressScope::Private},
    {v4(172, 16, 0, 0), 12, AddressScope::Private},
    {v4(192, 168, 0, 0), 16, AddressScope::Private},
    {v4(100, 64, 0, 0), 10, AddressScope::Cgnat},
    {v4(169, 254, 0, 0), 16, AddressScope::LinkLocal},
    {v4(224, 0, 0, 0), 4, AddressScope::Multicast},
    {v4(192, 0, 2, 0), 24, AddressScope::Documentation},    // TEST-NET-1
    {v4(198, 51, 100, 0), 24, AddressScope::Documentation}, // TEST-NET-2
    {v4(203, 0, 113, 0), 24, AddressScope::Documentation},  // TEST-NET-3
    {v4(0, 0, 0, 0), 8, AddressScope::Reserved},            // "this network"
    {v4(192, 0, 0, 0), 24, AddressScope::Reserved},         // IETF protocol assignments
    {v4(198, 18, 0, 0), 15, AddressScope::Reserved},        // benchmarking
    {v4(240, 0, 0, 0), 4, AddressScope::Reserved},          // future use
    {v4(192, 88, 99, 0), 24, AddressScope::Reserved},       // deprecated 6to4 relay anycast
};

AddressScope classifyV4(std::uint32_t value) {
    if (value == 0) {
        return AddressScope::Unspecified;
    }
    // MCAST-TEST-NET sits inside multicast: check it before the wide multicast range.
    if ((value & 0xFFFFFF00u) == v4(233, 252, 0, 0)) {
        return AddressScope::Documentation;
    }
    for (const auto& prefix : kV4Table) {
        const std::uint32_t mask =
            prefix.length == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix.length);
        if ((value & mask) == prefix.network) {
            return prefix.scope;
        }
    }
    return AddressScope::Global;
}

bool v6HasPrefix(const std::array<std::uint8_t, 16>& bytes,
                 std::initializer_list<std::uint8_t> prefix, int bits) {
    int index = 0;
    for (const std::uint8_t byte : prefix) {
        const int remaining = bits - index * 8;
        if (remaining <= 0) {
            break;
        }
        const auto mask =
            static_cast<std::uint8_t>(remaining >= 8 ? 0xFF : 0xFF << (8 - remaining));
        if ((bytes[index] & mask) != (byte & mask)) {
            return false;
        }
        ++index;
    }
    return true;
}

AddressScope classifyV6(const IpAddress& address) {
    const auto& b = address.bytes;
    if (address.isUnspecified()) {
        return AddressScope::Unspecified;
    }
    if (address.isLoopback()) {
        return AddressScope::Loopback;
    }
    if (address.isV4Mapped()) {
        return classifyV4(v4Value(address.unmapped()));
    }
    if (v6HasPrefix(b, {0x00, 0x64, 0xff, 0x9b}, 32) &&
        std::all_of(b.begin() + 4, b.begin() + 12, [](std::uint8_t x) { return x == 0; })) {
        // NAT64 well-known prefix 64:ff9b::/96: the IPv4 address inside decides.
        return classifyV4(static_cast<std::uint32_t>(b[12]) << 24 |
                          static_cast<std::uint32_t>(b[13]) << 16 |
                          static_cast<std::uint32_t>(b[14]) << 8 | b[15]);
    }
    if (b[0] == 0xff) {
        return AddressScope::Multicast;
    }
    if (v6HasPrefix(b, {0xfe, 0x80}, 10)) {
        return AddressScope::LinkLocal;
    }
    if (v6HasPrefix(b, {0xfc}, 7)) {
        return AddressScope::UniqueLocal;
    }
    if (v6HasPrefix(b, {0x20, 0x01, 0x0d, 0xb8}, 32) || v6HasPrefix(b, {0x3f, 0xff}, 20)) {
        return AddressScope::Documentation;
    }
    if (v6HasPrefix(b, {0x20, 0x01, 0x00, 0x02, 0x00, 0x00}, 48)) {
        return AddressScope::Reserved; // benchmarking 2001:2::/48
    }
    if (v6HasPrefix(b, {0x20}, 3)) {
        return AddressScope::Global; // 2000::/3, global unicast
    }
    // Outside 2000::/3 nothing else is allocated for unicast (discard prefix 100::/64,
    // deprecated site-local fec0::/10, IPv4-compatible ::a.b.c.d, ...).
    return AddressScope::Reserved;
}

// Bits of `address` beyond `length` set to zero.
IpAddress masked(const IpAddress& address, int length) {
    IpAddress out = address;
    const int total = address.family == Family::V4 ? 32 : 128;
    for (int bit = length; bit < total; ++bit) {
        out.bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80 >> (bit % 8)));
    }
    return out;
}

struct PortName {
    std::uint16_t port;
    std::string_view name;
};

// Sorted by port for binary search.
constexpr PortName kPortNames[] = {
    {20, "FTP data"},
    {21, "FTP"},
    {22, "SSH"},
    {23, "Telnet"},
    {25, "SMTP"},
    {53, "DNS"},
    {67, "DHCP"},
    {68, "DHCP"},
    {69, "TFTP"},
    {80, "HTTP"},
    {88, "Kerberos"},
    {110, "POP3"},
    {111, "RPC portmapper"},
    {123, "NTP"},
    {135, "RPC"},
    {137, "NetBIOS"},
    {138, "NetBIOS"},
    {139, "NetBIOS"},
    {143, "IMAP"},
    {161, "SNMP"},
    {389, "LDAP"},
    {443, "HTTPS"},
    {445, "SMB"},
    {465, "SMTPS"},
    {514, "syslog"},
    {587, "SMTP submission"},
    {631, "IPP printing"},
    {636, "LDAPS"},
    {853, "DNS over TLS"},
    {993, "IMAPS"},
    {995, "POP3S"},
    {1080, "SOCKS proxy"},
    {1433, "Microsoft SQL Server"},
    {1723, "PPTP VPN"},
    {1883, "MQTT"},
    {1900, "SSDP/UPnP"},
    {2375, "Docker API"},
    {3306, "MySQL"},
    {3389, "RDP"},
    {4444, "Metasploit default"},
    {5060, "SIP"},
    {5353, "mDNS"},
    {5432, "PostgreSQL"},
    {5900, "VNC"},
    {5985, "WinRM"},
    {6379, "Redis"},
    {6667, "IRC"},
    {8080, "HTTP alternate"},
    {8443, "HTTPS alternate"},
    {9200, "Elasticsearch"},
    {27017, "MongoDB"},
    {31337, "Back Orifice"},
};
static_assert(std::is_sorted(std::begin(kPortNames), std::end(kPortNames),
                             [](const PortName& a, const PortName& b) { return a.port < b.port; }));

} // namespace

std::string_view toString(AddressScope scope) {
    for (const auto& entry : kScopeNames) {
        if (entry.scope == scope) {
            return entry.name;
        }
    }
    return "global";
}

std::optional<AddressScope> parseAddressScope(std::string_view text) {
    text = trim(text);
    for (const auto& entry : kScopeNames) {
        if (equalsIgnoringCase(entry.name, text)) {
            return entry.scope;
        }
    }
    if (equalsIgnoringCase(text, "lan")) {
        return AddressScope::Private;
    }
    return std::nullopt;
}

std::string_view describe(AddressScope scope) {
    for (const auto& entry : kScopeNames) {
        if (entry.scope == scope) {
            return entry.description;
        }
    }
    return "";
}

bool isLan(AddressScope scope) {
    switch (scope) {
    case AddressScope::LinkLocal:
    case AddressScope::Private:
    case AddressScope::Cgnat:
    case AddressScope::UniqueLocal:
    case AddressScope::Internal:
        return true;
    default:
        return false;
    }
}

std::optional<AddressRange> AddressRange::parse(std::string_view text, std::string* error) {
    auto fail = [&](std::string message) -> std::optional<AddressRange> {
        if (error) {
            *error = std::move(message);
        }
        return std::nullopt;
    };
    text = trim(text);
    const auto slash = text.find('/');
    const auto addressText = trim(text.substr(0, slash));
    const auto address = IpAddress::parse(addressText);
    if (!address) {
        return fail(quotedInput(addressText) + " is not an IPv4 or IPv6 address");
    }
    const int maxLength = address->family == Family::V4 ? 32 : 128;
    int length = maxLength;
    if (slash != std::string_view::npos) {
        const auto lengthText = trim(text.substr(slash + 1));
        auto [end, ec] =
            std::from_chars(lengthText.data(), lengthText.data() + lengthText.size(), length);
        if (ec != std::errc{} || end != lengthText.data() + lengthText.size() || length < 0 ||
            length > maxLength) {
            return fail("prefix length " + quotedInput(lengthText) + " must be 0 to " +
                        std::to_string(maxLength));
        }
    }
    AddressRange range;
    range.network = masked(*address, length);
    range.prefixLength = static_cast<std::uint8_t>(length);
    if (range.network != *address) {
        return fail(quotedInput(text) + " has bits set after the /" + std::to_string(length) +
                    " prefix; did you mean " + range.toString() + "?");
    }
    return range;
}

bool AddressRange::contains(const IpAddress& address) const {
    const IpAddress candidate = address.isV4Mapped() ? address.unmapped() : address;
    if (candidate.family != network.family) {
        return false;
    }
    return masked(candidate, prefixLength) == network;
}

std::string AddressRange::toString() const {
    return network.toString() + "/" + std::to_string(prefixLength);
}

AddressScope builtInScope(const IpAddress& address) {
    if (address.family == Family::V4) {
        return classifyV4(v4Value(address));
    }
    return classifyV6(address);
}

ScopeClassifier::ScopeClassifier(std::vector<AddressRange> internal,
                                 std::vector<AddressRange> external)
    : internal_(std::move(internal)), external_(std::move(external)) {}

AddressScope ScopeClassifier::classify(const IpAddress& address) const {
    if (internal_.empty() && external_.empty()) {
        return builtInScope(address);
    }
    int best = -1;
    AddressScope bestScope = AddressScope::Global;
    for (const auto& range : internal_) {
        if (range.prefixLength > best && range.contains(address)) {
            best = range.prefixLength;
            bestScope = AddressScope::Internal;
        }
    }
    for (const auto& range : external_) {
        // On a tie the external declaration wins: it is the more cautious reading.
        if (range.prefixLength >= best && range.contains(address)) {
            best = range.prefixLength;
            bestScope = AddressScope::Global;
        }
    }
    return best >= 0 ? bestScope : builtInScope(address);
}

std::string_view portServiceName(std::uint16_t port) {
    const auto* it = std::lower_bound(
        std::begin(kPortNames), std::end(kPortNames), port,
        [](const PortName& entry, std::uint16_t wanted) { return entry.port < wanted; });
    if (it == std::end(kPortNames) || it->port != port) {
        return {};
    }
    return it->name;
}

std::string describePort(std::uint16_t port) {
    std::string out = "port " + std::to_string(port);
    const auto service = portServiceName(port);
    if (!service.empty()) {
        out += " (";
        out += service;
        out += ')';
    }
    return out;
}

} // namespace portscope::core
