#include "portscope/core/pcapng.h"

#include <gtest/gtest.h>

namespace portscope::core::pcapng {
namespace {

std::uint32_t little32(const std::string& bytes, std::size_t at) {
    std::uint32_t value = 0;
    for (int i = 3; i >= 0; --i) {
        value = (value << 8) | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
    }
    return value;
}

std::string sampleFile() {
    std::string file;
    appendSectionHeader(file, {"host h, 3 bytes", "x86_64", "Linux 6.18", "PortScope 0.1.0"});
    appendInterfaceDescription(file, {kLinkTypeLinuxSll2, 65535, "any", ""});
    appendEnhancedPacket(file, {0, 1'700'000'000'123'456'789ULL, "abcde", 60,
                                "PID 7 (started 2026-12-02T10:11:12Z) a /bin/a user alice: sent",
                                Direction::Outbound});
    appendEnhancedPacket(file, {0, 1'700'000'001'000'000'000ULL, "", 0, "", Direction::Unknown});
    InterfaceStatistics statistics;
    statistics.received = 10;
    statistics.dropped = 3;
    statistics.comment = "capture ended: Ctrl+C";
    appendInterfaceStatistics(file, statistics);
    return file;
}

TEST(Pcapng, EveryBlockIsAlignedAndEndsWithItsLength) {
    const std::string file = sampleFile();
    ASSERT_EQ(file.size() % 4, 0u);
    std::size_t at = 0;
    int blocks = 0;
    while (at < file.size()) {
        const std::uint32_t total = little32(file, at + 4);
        ASSERT_EQ(total % 4, 0u) << "block at " << at;
        ASSERT_LE(at + total, file.size());
        EXPECT_EQ(little32(file, at + total - 4), total);
        at += total;
        ++blocks;
    }
    EXPECT_EQ(blocks, 5);
    EXPECT_EQ(little32(file, 8), kByteOrderMagic);
}

TEST(Pcapng, ReadsBackWhatWasWritten) {
    const auto read = readFile(sampleFile());
    ASSERT_EQ(read.error, "");
    ASSERT_EQ(read.sections.size(), 1u);
    EXPECT_EQ(read.sections[0].comments, std::vector<std::string>{"host h, 3 bytes"});
    EXPECT_EQ(read.sections[0].os, "Linux 6.18");
    EXPECT_EQ(read.sections[0].application, "PortScope 0.1.0");
    ASSERT_EQ(read.interfaces.size(), 1u);
    EXPECT_EQ(read.interfaces[0].linkType, kLinkTypeLinuxSll2);
    EXPECT_EQ(read.interfaces[0].name, "any");
    EXPECT_EQ(read.interfaces[0].timestampResolution, std::optional<std::uint8_t>(9));
    ASSERT_EQ(read.packets.size(), 2u);
    EXPECT_EQ(read.packets[0].data, "abcde");
    EXPECT_EQ(read.packets[0].originalLength, 60u);
    EXPECT_EQ(read.packets[0].timestamp, 1'700'000'000'123'456'789ULL);
    ASSERT_EQ(read.packets[0].comments.size(), 1u);
    EXPECT_EQ(read.packets[0].comments[0],
              "PID 7 (started 2026-12-02T10:11:12Z) a /bin/a user alice: sent");
    EXPECT_EQ(read.packets[0].flags, std::optional<std::uint32_t>(2));
    EXPECT_TRUE(read.packets[1].comments.empty());
    EXPECT_FALSE(read.packets[1].flags.has_value());
    ASSERT_EQ(read.statistics.size(), 1u);
    EXPECT_EQ(read.statistics[0].received, std::optional<std::uint64_t>(10));
    EXPECT_EQ(read.statistics[0].dropped, std::optional<std::uint64_t>(3));
    EXPECT_EQ(read.statistics[0].comments[0], "capture ended: Ctrl+C");
}

TEST(Pcapng, OptionValuesArePaddedWithZerosToFourBytes) {
    std::string block;
    appendEnhancedPacket(block, {0, 0, "x", 1, "ab", Direction::Unknown});
    // 28 header and fixed bytes, 4 of data, option 4 + 4, end of options 4, trailer 4.
    ASSERT_EQ(block.size(), 48u);
    EXPECT_EQ(block.substr(28, 4), std::string("x\0\0\0", 4));
    EXPECT_EQ(block.substr(32, 8), std::string("\x01\0\x02\0ab\0\0", 8));
    EXPECT_EQ(block.substr(40, 4), std::string(4, '\0'));
}

TEST(Pcapng, ALongCommentIsCutAtACharacterBoundary) {
    std::string comment(kMaxOptionBytes - 1, 'a');
    comment += "\xC3\xA9\xC3\xA9"; // é é: the cut falls inside the first
    std::string block;
    appendEnhancedPacket(block, {0, 0, "", 0, comment, Direction::Unknown});
    std::string file;
    appendSectionHeader(file, {});
    appendInterfaceDescription(file, {});
    file += block;
    const auto read = readFile(file);
    ASSERT_EQ(read.error, "");
    ASSERT_EQ(read.packets.size(), 1u);
    EXPECT_EQ(read.packets[0].comments[0], std::string(kMaxOptionBytes - 1, 'a'));
}

TEST(Pcapng, ACutFileKeepsTheBlocksBeforeTheCutAndSaysWhere) {
    const std::string file = sampleFile();
    const auto read = readFile(std::string_view(file).substr(0, file.size() - 6));
    EXPECT_NE(read.error.find("ends inside a block"), std::string::npos) << read.error;
    EXPECT_EQ(read.packets.size(), 2u);
    EXPECT_TRUE(read.statistics.empty());
    EXPECT_EQ(read.bytesRead, file.size() - little32(file, file.size() - 4));
}

TEST(Pcapng, RefusesDamage) {
    std::string file = sampleFile();
    EXPECT_NE(readFile(file.substr(28)).error.find("does not start with a section header"),
              std::string::npos);
    std::string badTrailer = file;
    badTrailer[file.size() - 1] = 1;
    EXPECT_NE(readFile(badTrailer).error.find("trailing length"), std::string::npos);
    std::string packetOfUnknownInterface;
    appendSectionHeader(packetOfUnknownInterface, {});
    appendEnhancedPacket(packetOfUnknownInterface, {0, 0, "x", 1, "", Direction::Unknown});
    EXPECT_NE(readFile(packetOfUnknownInterface).error.find("not described"), std::string::npos);
    EXPECT_EQ(readFile("").error, "the file is empty");
}

TEST(Pcapng, ReadsABigEndianSection) {
    // A section header of a big-endian writer, with no options, then an interface.
    const std::string file("\x0A\x0D\x0D\x0A\x00\x00\x00\x1C\x1A\x2B\x3C\x4D\x00\x01\x00\x00"
                           "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x00\x00\x00\x1C"
                           "\x00\x00\x00\x01\x00\x00\x00\x14\x00\x01\x00\x00\x00\x00\xFF\xFF"
                           "\x00\x00\x00\x14",
                           48);
    const auto read = readFile(file);
    ASSERT_EQ(read.error, "");
    ASSERT_EQ(read.sections.size(), 1u);
    EXPECT_TRUE(read.sections[0].bigEndian);
    ASSERT_EQ(read.interfaces.size(), 1u);
    EXPECT_EQ(read.interfaces[0].linkType, kLinkTypeEthernet);
    EXPECT_EQ(read.interfaces[0].snapLength, 65535u);
}

} // namespace
} // namespace portscope::core::pcapng
