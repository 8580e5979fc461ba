#include "portscope/core/pcapng.h"

#include "byte_codec.h"

#include <algorithm>

namespace portscope::core::pcapng {

namespace {

constexpr std::uint16_t kOptionEnd = 0;
constexpr std::uint16_t kOptionComment = 1;
constexpr std::uint16_t kShbHardware = 2;
constexpr std::uint16_t kShbOs = 3;
constexpr std::uint16_t kShbUserApplication = 4;
constexpr std::uint16_t kIfName = 2;
constexpr std::uint16_t kIfDescription = 3;
constexpr std::uint16_t kIfTimestampResolution = 9;
constexpr std::uint16_t kEpbFlags = 2;
constexpr std::uint16_t kIsbStartTime = 2;
constexpr std::uint16_t kIsbEndTime = 3;
constexpr std::uint16_t kIsbReceived = 4;
constexpr std::uint16_t kIsbDropped = 5;
constexpr std::uint16_t kIsbDelivered = 8;
constexpr std::uint8_t kNanoseconds = 9;

std::size_t paddedLength(std::size_t length) {
    return (length + 3) & ~std::size_t{3};
}

// A UTF-8 text cut to at most kMaxOptionBytes without splitting a character.
std::string_view optionText(std::string_view text) {
    if (text.size() <= kMaxOptionBytes) {
        return text;
    }
    std::size_t cut = kMaxOptionBytes;
    for (int back = 0; back < 3 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80; ++back) {
        --cut;
    }
    return text.substr(0, cut);
}

// Writes a block: its header is reserved first, and the lengths are filled in by finish().
class BlockWriter {
public:
    BlockWriter(std::string& out, std::uint32_t type) : out_(out), start_(out.size()), write_(out) {
        write_.u32(type);
        write_.u32(0); // total length, set in finish()
    }

    bytes::ByteWriter& body() { return write_; }

    void option(std::uint16_t code, std::string_view value) {
        write_.u16(code);
        write_.u16(static_cast<std::uint16_t>(value.size()));
        write_.raw(value);
        out_.append(paddedLength(value.size()) - value.size(), '\0');
        hasOptions_ = true;
    }
    void textOption(std::uint16_t code, std::string_view text) {
        if (!text.empty()) {
            option(code, optionText(text));
        }
    }
    void u64Option(std::uint16_t code, std::uint64_t value) {
        std::string encoded;
        bytes::ByteWriter(encoded).u64(value);
        option(code, encoded);
    }
    // A time stamp as the format stores it: the high 32 bits first, each little-endian.
    void timestampOption(std::uint16_t code, std::uint64_t value) {
        std::string encoded;
        bytes::ByteWriter writer(encoded);
        writer.u32(static_cast<std::uint32_t>(value >> 32));
        writer.u32(static_cast<std::uint32_t>(value));
        option(code, encoded);
    }

    void finish() {
        if (hasOptions_) {
            write_.u16(kOptionEnd);
            write_.u16(0);
        }
        const auto total = static_cast<std::uint32_t>(out_.size() - start_ + 4);
        write_.u32(total);
        for (int i = 0; i < 4; ++i) {
            out_[start_ + 4 + i] = static_cast<char>((total >> (8 * i)) & 0xFFu);
        }
    }

private:
    std::string& out_;
    std::size_t start_;
    bytes::ByteWriter write_;
    bool hasOptions_ = false;
};

void writeTimestamp(bytes::ByteWriter& writer, std::uint64_t timestamp) {
    writer.u32(static_cast<std::uint32_t>(timestamp >> 32));
    writer.u32(static_cast<std::uint32_t>(timestamp));
}

// Reads integers in the byte order of the section being read.
class Reader {
public:
    Reader(std::string_view bytes, bool bigEndian) : bytes_(bytes), bigEndian_(bigEndian) {}

    bool has(std::size_t count) const { return bytes_.size() - position_ >= count; }
    std::size_t position() const { return position_; }
    std::size_t remaining() const { return bytes_.size() - position_; }

    std::uint16_t u16() { return static_cast<std::uint16_t>(integer(2)); }
    std::uint32_t u32() { return static_cast<std::uint32_t>(integer(4)); }
    std::uint64_t u64() { return integer(8); }
    std::string_view take(std::size_t count) {
        const auto taken = bytes_.substr(position_, count);
        position_ += count;
        return taken;
    }
    void skip(std::size_t count) { position_ += count; }

private:
    std::uint64_t integer(std::size_t width) {
        std::uint64_t value = 0;
        for (std::size_t i = 0; i < width; ++i) {
            const auto byte = static_cast<std::uint64_t>(
                static_cast<unsigned char>(bytes_[position_ + (bigEndian_ ? i : width - 1 - i)]));
            value = (value << 8) | byte;
        }
        position_ += width;
        return value;
    }

    std::string_view bytes_;
    std::size_t position_ = 0;
    bool bigEndian_;
};

struct Option {
    std::uint16_t code = 0;
    std::string_view value;
};

// Reads the options that fill `bytes` (the part of a block body after its fixed fields).
// False with a reason when one runs past the end or the end-of-options is followed by more.
bool readOptions(std::string_view bytes, bool bigEndian, std::vector<Option>& options,
                 std::string& error) {
    Reader reader(bytes, bigEndian);
    while (reader.remaining() > 0) {
        if (!reader.has(4)) {
            error = "an option header is cut short";
            return false;
        }
        const std::uint16_t code = reader.u16();
        const std::uint16_t length = reader.u16();
        if (code == kOptionEnd) {
            // Some writers pad after the end of options; only zero bytes may follow.
            const auto rest = reader.take(reader.remaining());
            if (length != 0 || std::any_of(rest.begin(), rest.end(), [](char c) { return c; })) {
                error = "bytes after the end of options";
                return false;
            }
            return true;
        }
        if (!reader.has(paddedLength(length))) {
            error = "option " + std::to_string(code) + " runs past the end of its block";
            return false;
        }
        options.push_back({code, reader.take(length)});
        reader.skip(paddedLength(length) - length);
    }
    return true;
}

std::optional<std::uint64_t> u64Value(std::string_view value, bool bigEndian) {
    if (value.size() != 8) {
        return std::nullopt;
    }
    return Reader(value, bigEndian).u64();
}

} // namespace

void appendSectionHeader(std::string& out, const SectionHeader& header) {
    BlockWriter block(out, kSectionHeaderType);
    block.body().u32(kByteOrderMagic);
    block.body().u16(1);  // major version
    block.body().u16(0);  // minor version
    block.body().i64(-1); // section length: not given, as the file is written as a stream
    block.textOption(kOptionComment, header.comment);
    block.textOption(kShbHardware, header.hardware);
    block.textOption(kShbOs, header.os);
    block.textOption(kShbUserApplication, header.application);
    block.finish();
}

void appendInterfaceDescription(std::string& out, const InterfaceDescription& interface) {
    BlockWriter block(out, kInterfaceDescriptionType);
    block.body().u16(interface.linkType);
    block.body().u16(0); // reserved
    block.body().u32(interface.snapLength);
    block.textOption(kIfName, interface.name);
    block.textOption(kIfDescription, interface.description);
    block.option(kIfTimestampResolution,
                 std::string_view(reinterpret_cast<const char*>(&kNanoseconds), 1));
    block.finish();
}

void appendEnhancedPacket(std::string& out, const EnhancedPacket& packet) {
    out.reserve(out.size() + 32 + paddedLength(packet.data.size()) +
                paddedLength(packet.comment.size()) + 24);
    BlockWriter block(out, kEnhancedPacketType);
    auto& body = block.body();
    body.u32(packet.interfaceId);
    writeTimestamp(body, packet.timestampNs);
    body.u32(static_cast<std::uint32_t>(packet.data.size()));
    body.u32(std::max(packet.originalLength, static_cast<std::uint32_t>(packet.data.size())));
    body.raw(packet.data);
    out.append(paddedLength(packet.data.size()) - packet.data.size(), '\0');
    block.textOption(kOptionComment, packet.comment);
    if (packet.direction != Direction::Unknown) {
        std::string flags;
        bytes::ByteWriter(flags).u32(static_cast<std::uint32_t>(packet.direction));
        block.option(kEpbFlags, flags);
    }
    block.finish();
}

void appendInterfaceStatistics(std::string& out, const InterfaceStatistics& statistics) {
    BlockWriter block(out, kInterfaceStatisticsType);
    block.body().u32(statistics.interfaceId);
    writeTimestamp(block.body(), statistics.timestampNs);
    block.textOption(kOptionComment, statistics.comment);
    if (statistics.startNs) {
        block.timestampOption(kIsbStartTime, *statistics.startNs);
    }
    if (statistics.endNs) {
        block.timestampOption(kIsbEndTime, *statistics.endNs);
    }
    if (statistics.received) {
        block.u64Option(kIsbReceived, *statistics.received);
    }
    if (statistics.dropped) {
        block.u64Option(kIsbDropped, *statistics.dropped);
    }
    if (statistics.delivered) {
        block.u64Option(kIsbDelivered, *statistics.delivered);
    }
    block.finish();
}

ReadResult readFile(std::string_view bytes, std::size_t maxPackets) {
    ReadResult result;
    bool bigEndian = false;
    std::size_t at = 0;
    std::size_t packetsSeen = 0;
    auto fail = [&](const std::string& why) {
        result.error = why + " (block at byte " + std::to_string(at) + ")";
        return result;
    };
    while (at < bytes.size()) {
        const std::string_view rest = bytes.substr(at);
        if (rest.size() < 12) {
            return fail("the file ends inside a block header");
        }
        // A section header says its byte order; the type reads the same either way.
        Reader peek(rest, bigEndian);
        const std::uint32_t type = peek.u32();
        if (type == kSectionHeaderType) {
            const std::string_view magic = rest.substr(8, 4);
            if (magic == std::string_view("\x4D\x3C\x2B\x1A", 4)) {
                bigEndian = false;
            } else if (magic == std::string_view("\x1A\x2B\x3C\x4D", 4)) {
                bigEndian = true;
            } else {
                return fail("a section header with an unknown byte-order magic");
            }
        } else if (result.sections.empty()) {
            return fail("the file does not start with a section header");
        }
        Reader header(rest, bigEndian);
        header.skip(4);
        const std::uint32_t total = header.u32();
        if (total < 12 || total % 4 != 0 || total > kMaxBlockBytes) {
            return fail("a block length of " + std::to_string(total) +
                        " bytes (blocks are a multiple of 4, 12 bytes or more)");
        }
        if (total > rest.size()) {
            return fail("the file ends inside a block of " + std::to_string(total) + " bytes");
        }
        Reader trailer(rest.substr(total - 4, 4), bigEndian);
        if (trailer.u32() != total) {
            return fail("a block whose trailing length differs from its leading one");
        }
        const std::string_view body = rest.substr(8, total - 12);
        Reader reader(body, bigEndian);
        std::vector<Option> options;
        std::string optionError;
        auto readOptionsAfter = [&](std::size_t fixed) {
            return readOptions(body.substr(fixed), bigEndian, options, optionError);
        };
        switch (type) {
        case kSectionHeaderType: {
            if (body.size() < 16) {
                return fail("a section header shorter than its fixed fields");
            }
            reader.skip(4);
            const std::uint16_t major = reader.u16();
            if (major != 1) {
                return fail("a section of pcapng version " + std::to_string(major));
            }
            if (!readOptionsAfter(16)) {
                return fail(optionError);
            }
            ReadSection section;
            section.bigEndian = bigEndian;
            for (const auto& option : options) {
                if (option.code == kOptionComment) {
                    section.comments.emplace_back(option.value);
                } else if (option.code == kShbHardware) {
                    section.hardware = option.value;
                } else if (option.code == kShbOs) {
                    section.os = option.value;
                } else if (option.code == kShbUserApplication) {
                    section.application = option.value;
                }
            }
            result.sections.push_back(std::move(section));
            result.interfaces.clear(); // interface ids count from 0 in each section
            break;
        }
        case kInterfaceDescriptionType: {
            if (body.size() < 8) {
                return fail("an interface description shorter than its fixed fields");
            }
            ReadInterface interface;
            interface.linkType = reader.u16();
            reader.skip(2);
            interface.snapLength = reader.u32();
            if (!readOptionsAfter(8)) {
                return fail(optionError);
            }
            for (const auto& option : options) {
                if (option.code == kIfName) {
                    interface.name = option.value;
                } else if (option.code == kIfTimestampResolution && option.value.size() == 1) {
                    interface.timestampResolution = static_cast<std::uint8_t>(option.value[0]);
                }
            }
            result.interfaces.push_back(std::move(interface));
            break;
        }
        case kEnhancedPacketType: {
            if (body.size() < 20) {
                return fail("a packet block shorter than its fixed fields");
            }
            ReadPacket packet;
            packet.interfaceId = reader.u32();
            packet.timestamp = static_cast<std::uint64_t>(reader.u32()) << 32;
            packet.timestamp |= reader.u32();
            const std::uint32_t captured = reader.u32();
            packet.originalLength = reader.u32();
            if (packet.interfaceId >= result.interfaces.size()) {
                return fail("a packet of interface " + std::to_string(packet.interfaceId) +
                            ", which was not described");
            }
            if (paddedLength(captured) > reader.remaining()) {
                return fail("a packet's captured length runs past the end of its block");
            }
            if (captured > packet.originalLength) {
                return fail("a packet with more bytes captured than it had");
            }
            const auto data = reader.take(captured);
            if (!readOptionsAfter(20 + paddedLength(captured))) {
                return fail(optionError);
            }
            if (packetsSeen++ >= maxPackets) {
                break;
            }
            packet.data = data;
            for (const auto& option : options) {
                if (option.code == kOptionComment) {
                    packet.comments.emplace_back(option.value);
                } else if (option.code == kEpbFlags && option.value.size() == 4) {
                    packet.flags = Reader(option.value, bigEndian).u32();
                }
            }
            result.packets.push_back(std::move(packet));
            break;
        }
        case kInterfaceStatisticsType: {
            if (body.size() < 12) {
                return fail("a statistics block shorter than its fixed fields");
            }
            ReadStatistics statistics;
            statistics.interfaceId = reader.u32();
            if (statistics.interfaceId >= result.interfaces.size()) {
                return fail("statistics of interface " + std::to_string(statistics.interfaceId) +
                            ", which was not described");
            }
            if (!readOptionsAfter(12)) {
                return fail(optionError);
            }
            for (const auto& option : options) {
                if (option.code == kOptionComment) {
                    statistics.comments.emplace_back(option.value);
                } else if (option.code == kIsbReceived) {
                    statistics.received = u64Value(option.value, bigEndian);
                } else if (option.code == kIsbDropped) {
                    statistics.dropped = u64Value(option.value, bigEndian);
                }
            }
            result.statistics.push_back(std::move(statistics));
            break;
        }
        default:
            ++result.otherBlocks;
            break;
        }
        at += total;
        result.bytesRead = at;
    }
    if (result.sections.empty()) {
        result.error = "the file is empty";
    }
    return result;
}

} // namespace portscope::core::pcapng
