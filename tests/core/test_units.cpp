#include "portscope/core/units.h"

#include <gtest/gtest.h>
#include <limits>

using namespace portscope::core;

TEST(Units, DurationsReadLikeAPerson) {
    EXPECT_EQ(formatDuration(0), "0 s");
    EXPECT_EQ(formatDuration(1500), "1.5 s");
    EXPECT_EQ(formatDuration(10'000), "10 s");
    EXPECT_EQ(formatDuration(119'000), "119 s");
    EXPECT_EQ(formatDuration(30 * 60'000), "30 min");
    EXPECT_EQ(formatDuration(2 * 3'600'000), "2 h");
    EXPECT_EQ(formatDuration(3 * 3'600'000 + 5 * 60'000), "3 h 5 min");
    EXPECT_EQ(formatDuration(-5), "0 s");
}

TEST(Units, BytesAndRatesInPowersOf1024) {
    EXPECT_EQ(formatBytes(512), "512 B");
    EXPECT_EQ(formatBytes(1536), "1.5 KB");
    EXPECT_EQ(formatBytes(5ull << 40), "5.0 TB");
    EXPECT_EQ(formatRate(3.0 * 1024 * 1024), "3.0 MB/s");
    EXPECT_EQ(formatRate(-5), "0 B/s");
    EXPECT_EQ(formatRate(std::numeric_limits<double>::infinity()), "0 B/s");
}

TEST(Units, ByteAmountsInsideSentences) {
    EXPECT_EQ(formatByteAmount(120), "120 bytes");
    EXPECT_EQ(formatByteAmount(3.4 * 1024), "3.4 KB");
    EXPECT_EQ(formatByteAmount(1.25 * 1024 * 1024), "1.2 MB");
}

TEST(Units, EventRatesInSentencesAndColumns) {
    EXPECT_EQ(formatPerSecond(480.4), "480");
    EXPECT_EQ(formatPerSecond(3), "3");
    EXPECT_EQ(formatPerSecond(2.5), "2.5");
    EXPECT_EQ(formatPerSecondColumn(3), "3.0");
    EXPECT_EQ(formatPerSecondColumn(2.5), "2.5");
    EXPECT_EQ(formatPerSecondColumn(-150.4), "-150");
    EXPECT_EQ(formatPerSecondColumn(1e300).size(), 301u);
}

TEST(Units, CountsWithThousandsSeparators) {
    EXPECT_EQ(withThousands(0), "0");
    EXPECT_EQ(withThousands(999), "999");
    EXPECT_EQ(withThousands(12'345), "12,345");
    EXPECT_EQ(withThousands(1'234'567), "1,234,567");
}
