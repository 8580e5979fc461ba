// Fuzz target for the pcapng reader and the packet header parser: a capture file comes from
// anywhere (a colleague's capture, Wireshark, another tool), and the tests and the flow parser
// read it. The reader must end every file, however damaged, with the blocks before the damage
// and a reason; what it accepts must re-encode to blocks it reads the same way.

#include "fuzz_target.h"
#include "portscope/core/packet_attribution.h"
#include "portscope/core/pcapng.h"

#include <string>

namespace {

using namespace portscope::core;

constexpr std::string_view kTarget = "pcapng_reader";
using portscope::fuzz::hasControlCharacters;
using portscope::fuzz::require;

// A packet the reader accepted, written again, reads back with the same bytes and comment.
void checkReencoding(const pcapng::ReadPacket& packet) {
    std::string file;
    pcapng::appendSectionHeader(file, {});
    pcapng::appendInterfaceDescription(file, {});
    const std::string_view comment =
        packet.comments.empty() ? std::string_view() : std::string_view(packet.comments[0]);
    pcapng::appendEnhancedPacket(file, {0, packet.timestamp, packet.data, packet.originalLength,
                                        comment, pcapng::Direction::Inbound});
    const auto again = pcapng::readFile(file);
    require(kTarget, again.error.empty(), "a re-encoded packet does not read back");
    require(kTarget, again.packets.size() == 1, "a re-encoded packet is not one packet");
    require(kTarget, again.packets[0].data == packet.data, "a re-encoded packet has other bytes");
    require(kTarget, again.packets[0].timestamp == packet.timestamp,
            "a re-encoded time stamp differs");
    require(kTarget,
            comment.empty()
                ? again.packets[0].comments.empty()
                : again.packets[0].comments.size() == 1 && again.packets[0].comments[0] == comment,
            "a re-encoded comment differs");
}

} // namespace

// The reader keeps at most 64 packets of a file; each is held with its comments once more.
constexpr portscope::fuzz::HeapBudget kBudget{512 * 1024, 8};

PORTSCOPE_FUZZ_TARGET(pcapng_reader, kBudget) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const auto read = pcapng::readFile(bytes, 64);
    require(kTarget, read.bytesRead <= bytes.size(), "read past the end");
    require(kTarget, read.bytesRead % 4 == 0, "a block boundary that is not 32-bit aligned");
    require(kTarget,
            read.error.empty() == (read.bytesRead == bytes.size() && !read.sections.empty()),
            "an error without damage, or damage without an error");
    // A reason is for people to read: it may quote numbers from the file, never its bytes.
    require(kTarget, !hasControlCharacters(read.error), "a control character in the reason");
    require(kTarget, read.packets.size() <= 64, "more packets than asked for");
    for (const auto& packet : read.packets) {
        require(kTarget, packet.data.size() <= packet.originalLength,
                "more bytes than the packet had");
        checkReencoding(packet);
        // The flow parser reads every captured frame, whatever its link type claims.
        for (const std::uint16_t linkType :
             {pcapng::kLinkTypeLinuxSll2, pcapng::kLinkTypeLinuxSll, pcapng::kLinkTypeEthernet,
              pcapng::kLinkTypeRaw, pcapng::kLinkTypeLoopbackNull}) {
            if (const auto flow = parsePacketFlow(linkType, packet.data)) {
                require(kTarget, flow->source.address.family == flow->destination.address.family,
                        "a flow between two address families");
            }
        }
    }
    return 0;
}
