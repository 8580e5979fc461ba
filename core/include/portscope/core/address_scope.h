#pragma once
// What kind of network an address belongs to (loopback, LAN, Internet...), and the service
// usually found behind a port. Used by the rules, the GUI's scope column and exports.

#include "portscope/core/net.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portscope::core {

enum class AddressScope : std::uint8_t {
    Unspecified = 0, // 0.0.0.0 and ::, as listeners on every interface report
    Loopback,        // 127.0.0.0/8, ::1
    LinkLocal,       // 169.254.0.0/16, fe80::/10
    Private,         // RFC 1918: 10/8, 172.16/12, 192.168/16
    Cgnat,           // RFC 6598 shared address space 100.64.0.0/10 (carrier-grade NAT)
    UniqueLocal,     // IPv6 ULA fc00::/7
    Internal,        // a range the user declared as their organisation's own (counts as LAN)
    Multicast,       // 224.0.0.0/4, ff00::/8, and the broadcast address 255.255.255.255
    Documentation,   // TEST-NET-1/2/3, 2001:db8::/32, 3fff::/20: never routed
    Reserved,        // benchmarking, "this network", future use and other special ranges
    Global,          // everything else: the Internet
};

// Stable lower-case names used in exports, filters and the config file: "unspecified",
// "loopback", "link-local", "private", "cgnat", "ula", "internal", "multicast",
// "documentation", "reserved", "global".
std::string_view toString(AddressScope scope);
std::optional<AddressScope> parseAddressScope(std::string_view text); // case-insensitive
// A short phrase for people, such as "private network (RFC 1918)".
std::string_view describe(AddressScope scope);
// The local network side: link-local, private, CGNAT, ULA and declared internal ranges.
bool isLan(AddressScope scope);

// An address prefix such as 10.0.0.0/8 or fd00::/8. A bare address is a /32 or /128.
struct AddressRange {
    IpAddress network; // host bits are zero
    std::uint8_t prefixLength = 0;

    // Accepts "a.b.c.d/len", "ipv6/len" or a bare address; rejects host bits set after the
    // prefix ("10.0.0.1/8") because that usually hides a typing mistake.
    static std::optional<AddressRange> parse(std::string_view text, std::string* error = nullptr);
    // An IPv4 range also matches the same address written as ::ffff:a.b.c.d.
    bool contains(const IpAddress& address) const;
    std::string toString() const;
    bool operator==(const AddressRange&) const = default;
};

// The built-in table alone (IANA special-purpose registries).
AddressScope builtInScope(const IpAddress& address);

// Classification with the user's declared ranges: a declared range wins over the built-in
// table, and among declared ranges the longest prefix wins. Internal ranges classify as
// AddressScope::Internal; external ranges as AddressScope::Global (useful for a lab that
// uses reserved addresses as its "Internet"). Cheap enough to call for every socket.
class ScopeClassifier {
public:
    ScopeClassifier() = default;
    ScopeClassifier(std::vector<AddressRange> internal, std::vector<AddressRange> external);

    AddressScope classify(const IpAddress& address) const;
    const std::vector<AddressRange>& internalRanges() const { return internal_; }
    const std::vector<AddressRange>& externalRanges() const { return external_; }

private:
    std::vector<AddressRange> internal_;
    std::vector<AddressRange> external_;
};

// The service usually behind a well-known port: "SMB" for 445, "RDP" for 3389... Empty
// when the port has no well-known use.
std::string_view portServiceName(std::uint16_t port);
// "port 445 (SMB)" or "port 50123".
std::string describePort(std::uint16_t port);

} // namespace portscope::core
