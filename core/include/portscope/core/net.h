#pragma once
// Addresses and endpoints, independent of any OS socket header.

#include <array>
#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace portscope::core {

enum class Family : std::uint8_t { V4 = 4, V6 = 6 };
enum class Protocol : std::uint8_t { Tcp = 6, Udp = 17 };

std::string_view toString(Family family);
std::string_view toString(Protocol protocol);
std::optional<Family> parseFamily(std::string_view text);     // "4", "ipv4", "6", "ipv6"
std::optional<Protocol> parseProtocol(std::string_view text); // "tcp", "udp"

// An IPv4 address is held in the first 4 bytes; the rest stay zero so that
// comparison and hashing need no special cases.
struct IpAddress {
    Family family = Family::V4;
    std::array<std::uint8_t, 16> bytes{};

    static IpAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d);
    static IpAddress v4FromNetworkOrder(std::uint32_t networkOrder);
    static IpAddress v6(const std::array<std::uint8_t, 16>& raw);
    static IpAddress anyOf(Family family);
    static std::optional<IpAddress> parse(std::string_view text);

    bool isUnspecified() const;
    bool isLoopback() const;
    // An IPv6 address of the form ::ffff:a.b.c.d, as dual-stack sockets report IPv4 peers.
    bool isV4Mapped() const;
    IpAddress unmapped() const; // the IPv4 address behind ::ffff:a.b.c.d, else itself
    std::string toString() const;

    auto operator<=>(const IpAddress&) const = default;
    bool operator==(const IpAddress&) const = default;
};

struct Endpoint {
    IpAddress address;
    std::uint16_t port = 0;

    // "1.2.3.4:80" or "[::1]:80"
    std::string toString() const;
    auto operator<=>(const Endpoint&) const = default;
    bool operator==(const Endpoint&) const = default;
};

std::size_t hashValue(const IpAddress& address);
std::size_t hashValue(const Endpoint& endpoint);

} // namespace portscope::core

template <>
struct std::hash<portscope::core::IpAddress> {
    std::size_t operator()(const portscope::core::IpAddress& a) const noexcept {
        return portscope::core::hashValue(a);
    }
};
template <>
struct std::hash<portscope::core::Endpoint> {
    std::size_t operator()(const portscope::core::Endpoint& e) const noexcept {
        return portscope::core::hashValue(e);
    }
};
