#pragma once
// The little-endian primitives shared by the replay format and the helper protocol: fixed-size
// integers, length-prefixed strings cut at a character boundary, and endpoints. Both formats
// are documented byte by byte, so they must agree on these exactly.

#include "portscope/core/net.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace portscope::core::bytes {

// Bytes of an encoded Endpoint: family, 16 address bytes, port.
inline constexpr std::size_t kEndpointBytes = 1 + 16 + 2;

class ByteWriter {
public:
    explicit ByteWriter(std::string& out) : out_(out) {}

    void u8(std::uint8_t value) { out_.push_back(static_cast<char>(value)); }
    void u16(std::uint16_t value) { little(value); }
    void u32(std::uint32_t value) { little(value); }
    void u64(std::uint64_t value) { little(value); }
    void i32(std::int32_t value) { little(static_cast<std::uint32_t>(value)); }
    void i64(std::int64_t value) { little(static_cast<std::uint64_t>(value)); }
    void boolean(bool value) { u8(value ? 1 : 0); }
    void raw(std::string_view data) { out_.append(data); }

    // A u32 length and the text, cut to at most maxBytes without splitting a UTF-8 character.
    void text(std::string_view text, std::size_t maxBytes) {
        if (text.size() > maxBytes) {
            std::size_t cut = maxBytes;
            for (int back = 0; back < 3 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80;
                 ++back) {
                --cut;
            }
            text = text.substr(0, cut);
        }
        u32(static_cast<std::uint32_t>(text.size()));
        out_.append(text);
    }

    void endpoint(const Endpoint& endpoint) {
        u8(static_cast<std::uint8_t>(endpoint.address.family));
        out_.append(reinterpret_cast<const char*>(endpoint.address.bytes.data()),
                    endpoint.address.bytes.size());
        u16(endpoint.port);
    }

private:
    template <typename Unsigned>
    void little(Unsigned value) {
        static_assert(std::is_unsigned_v<Unsigned>);
        for (std::size_t i = 0; i < sizeof(Unsigned); ++i) {
            out_.push_back(static_cast<char>(static_cast<std::uint8_t>(value >> (8 * i))));
        }
    }

    std::string& out_;
};

// Every read checks the remaining length; the first failure sticks and later reads return
// zeros, so callers check once at the end of each element. `unit` names what the bytes are
// ("record", "payload") in messages.
class ByteReader {
public:
    ByteReader(std::string_view bytes, const char* unit) : bytes_(bytes), unit_(unit) {}

    bool failed() const { return !error_.empty(); }
    const std::string& error() const { return error_; }
    std::size_t position() const { return position_; }
    std::size_t remaining() const { return bytes_.size() - position_; }

    void fail(const std::string& message) { failAt(position_, message); }
    void failAt(std::size_t at, const std::string& message) {
        if (error_.empty()) {
            error_ = message + " at " + unit_ + " byte " + std::to_string(at);
        }
    }

    std::uint8_t u8() { return little<std::uint8_t>(); }
    std::uint16_t u16() { return little<std::uint16_t>(); }
    std::uint32_t u32() { return little<std::uint32_t>(); }
    std::uint64_t u64() { return little<std::uint64_t>(); }
    std::int32_t i32() { return static_cast<std::int32_t>(little<std::uint32_t>()); }
    std::int64_t i64() { return static_cast<std::int64_t>(little<std::uint64_t>()); }

    bool boolean(const char* what) {
        const std::size_t at = position_;
        const std::uint8_t value = u8();
        if (value > 1) {
            failAt(at, std::string(what) + ": invalid boolean " + std::to_string(value));
        }
        return value == 1;
    }

    std::string_view raw(std::size_t count) {
        if (failed()) {
            return {};
        }
        if (remaining() < count) {
            failAt(position_, std::string(unit_) + " ends in the middle of a field");
            position_ = bytes_.size();
            return {};
        }
        const auto view = bytes_.substr(position_, count);
        position_ += count;
        return view;
    }

    // A length-prefixed string of at most maxBytes; `limit` describes maxBytes in messages.
    std::string text(const char* what, std::size_t maxBytes, std::string_view limit) {
        const std::size_t at = position_;
        const std::uint32_t length = u32();
        if (failed()) {
            return {};
        }
        if (length > maxBytes) {
            failAt(at, std::string(what) + ": string of " + std::to_string(length) +
                           " bytes exceeds the limit of " + std::string(limit));
            return {};
        }
        if (length > remaining()) {
            failAt(at, std::string(what) + ": string of " + std::to_string(length) +
                           " bytes runs past the end of the " + unit_);
            return {};
        }
        return std::string(raw(length));
    }

    Endpoint endpoint(const char* what) {
        Endpoint endpoint;
        const std::size_t at = position_;
        const std::uint8_t family = u8();
        const auto address = raw(16);
        endpoint.port = u16();
        if (failed()) {
            return endpoint;
        }
        std::memcpy(endpoint.address.bytes.data(), address.data(), 16);
        if (family == static_cast<std::uint8_t>(Family::V4)) {
            endpoint.address.family = Family::V4;
            for (std::size_t i = 4; i < 16; ++i) {
                if (endpoint.address.bytes[i] != 0) {
                    failAt(at, std::string(what) + ": IPv4 address with non-zero padding");
                    break;
                }
            }
        } else if (family == static_cast<std::uint8_t>(Family::V6)) {
            endpoint.address.family = Family::V6;
        } else {
            failAt(at, std::string(what) + ": unknown address family " + std::to_string(family));
        }
        return endpoint;
    }

private:
    template <typename Unsigned>
    Unsigned little() {
        const auto bytes = raw(sizeof(Unsigned));
        if (bytes.size() != sizeof(Unsigned)) {
            return 0;
        }
        Unsigned value = 0;
        for (std::size_t i = 0; i < sizeof(Unsigned); ++i) {
            value |= static_cast<Unsigned>(
                static_cast<Unsigned>(static_cast<unsigned char>(bytes[i])) << (8 * i));
        }
        return value;
    }

    std::string_view bytes_;
    const char* unit_;
    std::size_t position_ = 0;
    std::string error_;
};

} // namespace portscope::core::bytes
