#pragma once
// The pcapng file format (draft-ietf-opsawg-pcapng): the blocks PortScope writes when it
// captures packets, and a reader of them. libpcap writes only the older pcap format, which
// has no place for a comment per packet, so the blocks are encoded here.
//
// The encoders write little-endian blocks, every option padded to 32 bits, each block ending
// with its total length again. The reader takes either byte order, checks every length
// against the bytes that remain, and stops at the first damaged block with a reason; what it
// read before stays valid. Both are pure and OS-free so that tests and the fuzzer share them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portscope::core::pcapng {

inline constexpr std::uint32_t kSectionHeaderType = 0x0A0D0D0A;
inline constexpr std::uint32_t kInterfaceDescriptionType = 0x00000001;
inline constexpr std::uint32_t kInterfaceStatisticsType = 0x00000005;
inline constexpr std::uint32_t kEnhancedPacketType = 0x00000006;
inline constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;

// Link types (www.tcpdump.org/linktypes.html) that PortScope captures with.
inline constexpr std::uint16_t kLinkTypeEthernet = 1;
inline constexpr std::uint16_t kLinkTypeRaw = 101;        // an IPv4 or IPv6 header first
inline constexpr std::uint16_t kLinkTypeLinuxSll = 113;   // Linux "cooked" v1
inline constexpr std::uint16_t kLinkTypeLinuxSll2 = 276;  // Linux "cooked" v2: the "any" device
inline constexpr std::uint16_t kLinkTypeLoopbackNull = 0; // BSD loopback

// An option's value is at most this long (its length field is 16 bits); a longer comment is
// cut at a UTF-8 character boundary.
inline constexpr std::size_t kMaxOptionBytes = 65532;
// A block the reader accepts; a larger length is damage, not a packet.
inline constexpr std::uint32_t kMaxBlockBytes = 16u << 20;

// epb_flags bits 0-1.
enum class Direction : std::uint8_t { Unknown = 0, Inbound = 1, Outbound = 2 };

struct SectionHeader {
    std::string comment;     // opt_comment
    std::string hardware;    // shb_hardware
    std::string os;          // shb_os
    std::string application; // shb_userappl
};

struct InterfaceDescription {
    std::uint16_t linkType = kLinkTypeEthernet;
    std::uint32_t snapLength = 262144;
    std::string name;        // if_name
    std::string description; // if_description
    // Time stamps of this interface are in nanoseconds (if_tsresol 9).
};

struct EnhancedPacket {
    std::uint32_t interfaceId = 0;
    std::uint64_t timestampNs = 0; // since the Unix epoch
    std::string_view data;         // the captured bytes
    std::uint32_t originalLength = 0;
    std::string_view comment; // opt_comment; none when empty
    Direction direction = Direction::Unknown;
};

struct InterfaceStatistics {
    std::uint32_t interfaceId = 0;
    std::uint64_t timestampNs = 0;
    std::optional<std::uint64_t> startNs;   // isb_starttime
    std::optional<std::uint64_t> endNs;     // isb_endtime
    std::optional<std::uint64_t> received;  // isb_ifrecv
    std::optional<std::uint64_t> dropped;   // isb_ifdrop
    std::optional<std::uint64_t> delivered; // isb_usrdeliv
    std::string comment;
};

// Each appends one complete block to `out`.
void appendSectionHeader(std::string& out, const SectionHeader& header);
void appendInterfaceDescription(std::string& out, const InterfaceDescription& interface);
void appendEnhancedPacket(std::string& out, const EnhancedPacket& packet);
void appendInterfaceStatistics(std::string& out, const InterfaceStatistics& statistics);

// What readFile() found, in file order per kind.
struct ReadPacket {
    std::uint32_t interfaceId = 0;
    std::uint64_t timestamp = 0; // in the units of its interface's if_tsresol
    std::string data;
    std::uint32_t originalLength = 0;
    std::vector<std::string> comments;
    std::optional<std::uint32_t> flags;
};
struct ReadInterface {
    std::uint16_t linkType = 0;
    std::uint32_t snapLength = 0;
    std::string name;
    std::optional<std::uint8_t> timestampResolution; // if_tsresol as stored
};
struct ReadStatistics {
    std::uint32_t interfaceId = 0;
    std::vector<std::string> comments;
    std::optional<std::uint64_t> received;
    std::optional<std::uint64_t> dropped;
};
struct ReadSection {
    bool bigEndian = false;
    std::vector<std::string> comments;
    std::string hardware, os, application;
};
struct ReadResult {
    std::vector<ReadSection> sections;
    std::vector<ReadInterface> interfaces; // of the current (last) section
    std::vector<ReadPacket> packets;
    std::vector<ReadStatistics> statistics;
    std::size_t otherBlocks = 0; // block types this reader skips
    std::size_t bytesRead = 0;   // up to the end of the last good block
    std::string error;           // empty when every byte was a well-formed block
};

// Reads at most `maxPackets` packets (the rest of the file is checked but not kept).
ReadResult readFile(std::string_view bytes, std::size_t maxPackets = SIZE_MAX);

} // namespace portscope::core::pcapng
