#include "portscope/core/net.h"

#include "portscope/core/text.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace portscope::core {

namespace {

std::optional<IpAddress> parseV4(std::string_view text) {
    IpAddress address;
    address.family = Family::V4;
    int part = 0;
    while (true) {
        if (part > 3 || text.empty()) {
            return std::nullopt;
        }
        unsigned value = 0;
        auto [next, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        const auto digits = static_cast<std::size_t>(next - text.data());
        if (error != std::errc{} || value > 255 || digits == 0 || digits > 3) {
            return std::nullopt;
        }
        address.bytes[part++] = static_cast<std::uint8_t>(value);
        text.remove_prefix(digits);
        if (text.empty()) {
            break;
        }
        if (text.front() != '.') {
            return std::nullopt;
        }
        text.remove_prefix(1);
    }
    if (part != 4) {
        return std::nullopt;
    }
    return address;
}

std::optional<IpAddress> parseV6(std::string_view text) {
    // Groups before and after "::"; an embedded dotted IPv4 tail counts as two groups.
    std::array<std::uint16_t, 8> head{};
    std::array<std::uint16_t, 8> tail{};
    int headCount = 0;
    int tailCount = 0;
    bool sawGap = false;
    if (text.starts_with("::")) {
        sawGap = true;
        text.remove_prefix(2);
    } else if (text.starts_with(":")) {
        return std::nullopt;
    }
    while (!text.empty()) {
        auto& groups = sawGap ? tail : head;
        int& count = sawGap ? tailCount : headCount;
        const auto separator = text.find(':');
        const auto group = text.substr(0, separator);
        if (group.find('.') != std::string_view::npos) {
            if (separator != std::string_view::npos || count > 6) {
                return std::nullopt;
            }
            const auto v4 = parseV4(group);
            if (!v4) {
                return std::nullopt;
            }
            groups[count++] = static_cast<std::uint16_t>(v4->bytes[0] << 8 | v4->bytes[1]);
            groups[count++] = static_cast<std::uint16_t>(v4->bytes[2] << 8 | v4->bytes[3]);
            text = {};
            break;
        }
        if (group.empty() || group.size() > 4 || count >= 8) {
            return std::nullopt;
        }
        unsigned value = 0;
        auto [next, error] = std::from_chars(group.data(), group.data() + group.size(), value, 16);
        if (error != std::errc{} || next != group.data() + group.size()) {
            return std::nullopt;
        }
        groups[count++] = static_cast<std::uint16_t>(value);
        if (separator == std::string_view::npos) {
            text = {};
            break;
        }
        text.remove_prefix(separator + 1);
        if (text.starts_with(":")) {
            if (sawGap) {
                return std::nullopt;
            }
            sawGap = true;
            text.remove_prefix(1);
        } else if (text.empty()) {
            return std::nullopt; // trailing single ':'
        }
    }
    const int total = headCount + tailCount;
    if ((!sawGap && total != 8) || (sawGap && total > 7)) {
        return std::nullopt;
    }
    std::array<std::uint8_t, 16> raw{};
    for (int i = 0; i < headCount; ++i) {
        raw[2 * i] = static_cast<std::uint8_t>(head[i] >> 8);
        raw[2 * i + 1] = static_cast<std::uint8_t>(head[i] & 0xff);
    }
    for (int i = 0; i < tailCount; ++i) {
        const int index = 8 - tailCount + i;
        raw[2 * index] = static_cast<std::uint8_t>(tail[i] >> 8);
        raw[2 * index + 1] = static_cast<std::uint8_t>(tail[i] & 0xff);
    }
    return IpAddress::v6(raw);
}

} // namespace

std::string_view toString(Family family) {
    return family == Family::V4 ? "IPv4" : "IPv6";
}

std::string_view toString(Protocol protocol) {
    return protocol == Protocol::Tcp ? "TCP" : "UDP";
}

std::optional<Family> parseFamily(std::string_view text) {
    const auto lower = lowerCase(text);
    if (lower == "4" || lower == "ipv4" || lower == "inet" || lower == "v4") {
        return Family::V4;
    }
    if (lower == "6" || lower == "ipv6" || lower == "inet6" || lower == "v6") {
        return Family::V6;
    }
    return std::nullopt;
}

std::optional<Protocol> parseProtocol(std::string_view text) {
    const auto lower = lowerCase(text);
    if (lower == "tcp") {
        return Protocol::Tcp;
    }
    if (lower == "udp") {
        return Protocol::Udp;
    }
    return std::nullopt;
}

IpAddress IpAddress::v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    IpAddress address;
    address.family = Family::V4;
    address.bytes[0] = a;
    address.bytes[1] = b;
    address.bytes[2] = c;
    address.bytes[3] = d;
    return address;
}

IpAddress IpAddress::v4FromNetworkOrder(std::uint32_t networkOrder) {
    // The bytes of a network-order value sit in memory most significant first.
    IpAddress address;
    address.family = Family::V4;
    const auto* raw = reinterpret_cast<const std::uint8_t*>(&networkOrder);
    std::copy(raw, raw + 4, address.bytes.begin());
    return address;
}

IpAddress IpAddress::v6(const std::array<std::uint8_t, 16>& raw) {
    IpAddress address;
    address.family = Family::V6;
    address.bytes = raw;
    return address;
}

IpAddress IpAddress::anyOf(Family family) {
    IpAddress address;
    address.family = family;
    return address;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
        text = text.substr(1, text.size() - 2);
    }
    if (text.empty() || text.size() > 64) {
        return std::nullopt;
    }
    if (text.find(':') != std::string_view::npos) {
        return parseV6(text);
    }
    return parseV4(text);
}

bool IpAddress::isUnspecified() const {
    return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

bool IpAddress::isV4Mapped() const {
    if (family != Family::V6) {
        return false;
    }
    for (int i = 0; i < 10; ++i) {
        if (bytes[i] != 0) {
            return false;
        }
    }
    return bytes[10] == 0xff && bytes[11] == 0xff;
}

IpAddress IpAddress::unmapped() const {
    if (!isV4Mapped()) {
        return *this;
    }
    return v4(bytes[12], bytes[13], bytes[14], bytes[15]);
}

bool IpAddress::isLoopback() const {
    const IpAddress plain = unmapped();
    if (plain.family == Family::V4) {
        return plain.bytes[0] == 127;
    }
    for (int i = 0; i < 15; ++i) {
        if (plain.bytes[i] != 0) {
            return false;
        }
    }
    return plain.bytes[15] == 1;
}

std::string IpAddress::toString() const {
    char buffer[64];
    if (family == Family::V4) {
        std::snprintf(buffer, sizeof buffer, "%u.%u.%u.%u", bytes[0], bytes[1], bytes[2], bytes[3]);
        return buffer;
    }
    if (isV4Mapped()) {
        std::snprintf(buffer, sizeof buffer, "::ffff:%u.%u.%u.%u", bytes[12], bytes[13], bytes[14],
                      bytes[15]);
        return buffer;
    }
    // RFC 5952: compress the longest run (two or more) of zero groups, the first if tied.
    std::array<unsigned, 8> groups{};
    for (int i = 0; i < 8; ++i) {
        groups[i] = static_cast<unsigned>(bytes[2 * i] << 8 | bytes[2 * i + 1]);
    }
    int bestStart = -1;
    int bestLength = 0;
    for (int i = 0; i < 8;) {
        if (groups[i] != 0) {
            ++i;
            continue;
        }
        int j = i;
        while (j < 8 && groups[j] == 0) {
            ++j;
        }
        if (j - i > bestLength && j - i >= 2) {
            bestStart = i;
            bestLength = j - i;
        }
        i = j;
    }
    std::string out;
    out.reserve(40);
    for (int i = 0; i < 8; ++i) {
        if (i == bestStart) {
            out += "::";
            i += bestLength - 1;
            continue;
        }
        if (!out.empty() && out.back() != ':') {
            out += ':';
        }
        std::snprintf(buffer, sizeof buffer, "%x", groups[i]);
        out += buffer;
    }
    return out;
}

std::string Endpoint::toString() const {
    std::string out;
    if (address.family == Family::V6) {
        out = "[" + address.toString() + "]";
    } else {
        out = address.toString();
    }
    out += ':';
    out += std::to_string(port);
    return out;
}

std::size_t hashValue(const IpAddress& address) {
    // FNV-1a over the family and the sixteen bytes.
    std::uint64_t hash = 1469598103934665603ULL;
    auto mix = [&hash](std::uint8_t byte) {
        hash ^= byte;
        hash *= 1099511628211ULL;
    };
    mix(static_cast<std::uint8_t>(address.family));
    for (auto byte : address.bytes) {
        mix(byte);
    }
    return static_cast<std::size_t>(hash);
}

std::size_t hashValue(const Endpoint& endpoint) {
    return hashValue(endpoint.address) * 31u + endpoint.port;
}

} // namespace portscope::core
