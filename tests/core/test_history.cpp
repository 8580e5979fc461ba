#include "portscope/core/history.h"

#include <deque>
#include <gtest/gtest.h>
#include <stdexcept>

namespace portscope::core {
namespace {

RateSample sampleNumber(int n) {
    return RateSample{1000 * static_cast<std::int64_t>(n), static_cast<float>(n),
                      static_cast<float>(2 * n)};
}

TEST(RateHistory, StartsEmptyWithTheRequestedCapacity) {
    RateHistory history(8);
    EXPECT_TRUE(history.empty());
    EXPECT_EQ(history.size(), 0u);
    EXPECT_EQ(history.capacity(), 8u);
    EXPECT_TRUE(history.toVector().empty());
    EXPECT_THROW(history.at(0), std::out_of_range);
}

TEST(RateHistory, DefaultCapacityIsTenMinutesAtOneSecond) {
    EXPECT_EQ(RateHistory().capacity(), 600u);
}

TEST(RateHistory, KeepsSamplesOldestFirstBelowCapacity) {
    RateHistory history(4);
    for (int n = 1; n <= 3; ++n) {
        history.push(sampleNumber(n));
    }
    ASSERT_EQ(history.size(), 3u);
    EXPECT_FALSE(history.empty());
    EXPECT_EQ(history.at(0), sampleNumber(1));
    EXPECT_EQ(history.at(2), sampleNumber(3));
    EXPECT_EQ(history.newest(), sampleNumber(3));
    EXPECT_THROW(history.at(3), std::out_of_range);
    EXPECT_EQ(history.toVector(),
              (std::vector<RateSample>{sampleNumber(1), sampleNumber(2), sampleNumber(3)}));
}

TEST(RateHistory, DropsTheOldestSampleWhenFull) {
    RateHistory history(3);
    for (int n = 1; n <= 5; ++n) {
        history.push(sampleNumber(n));
    }
    EXPECT_EQ(history.size(), 3u);
    EXPECT_EQ(history.capacity(), 3u);
    EXPECT_EQ(history.at(0), sampleNumber(3));
    EXPECT_EQ(history.newest(), sampleNumber(5));
    EXPECT_EQ(history.toVector(),
              (std::vector<RateSample>{sampleNumber(3), sampleNumber(4), sampleNumber(5)}));
}

TEST(RateHistory, MatchesABoundedQueueOverManyWraps) {
    constexpr std::size_t kCapacity = 7;
    RateHistory history(kCapacity);
    std::deque<RateSample> model;
    for (int n = 0; n < 10 * static_cast<int>(kCapacity) + 3; ++n) {
        history.push(sampleNumber(n));
        model.push_back(sampleNumber(n));
        if (model.size() > kCapacity) {
            model.pop_front();
        }
        ASSERT_EQ(history.size(), model.size());
        for (std::size_t i = 0; i < model.size(); ++i) {
            ASSERT_EQ(history.at(i), model[i]) << "after push " << n << ", index " << i;
        }
    }
}

// Updates four times a second, as early polls on a busy host bring them: the ring still
// spans ten minutes, a point a second, and ends with the latest rate.
TEST(RateHistory, UpdatesMoreOftenThanASecondStillKeepTenMinutes) {
    RateHistory history;
    constexpr std::int64_t kStepMs = 250;
    constexpr int kSamples = 20 * 60 * 4; // twenty minutes
    for (int n = 0; n < kSamples; ++n) {
        history.push(RateSample{n * kStepMs, static_cast<float>(n), 0});
    }
    const auto samples = history.toVector();
    ASSERT_EQ(samples.size(), history.capacity());
    const std::int64_t newestMs = (kSamples - 1) * kStepMs;
    EXPECT_EQ(history.newest().unixMs, newestMs);
    EXPECT_EQ(history.newest().sendBytesPerSecond, static_cast<float>(kSamples - 1));
    EXPECT_GE(newestMs - samples.front().unixMs, 10 * 60 * 1000 - 2000);
    for (std::size_t i = 1; i + 1 < samples.size(); ++i) {
        EXPECT_GE(samples[i].unixMs - samples[i - 1].unixMs, RateHistory::kSampleSpacingMs)
            << "at " << i;
    }
}

TEST(RateHistory, ClearForgetsEverySampleAndKeepsTheCapacity) {
    RateHistory history(3);
    for (int n = 1; n <= 4; ++n) {
        history.push(sampleNumber(n));
    }
    history.clear();
    EXPECT_TRUE(history.empty());
    EXPECT_EQ(history.capacity(), 3u);
    EXPECT_THROW(history.at(0), std::out_of_range);
    history.push(sampleNumber(9));
    EXPECT_EQ(history.toVector(), std::vector<RateSample>{sampleNumber(9)});
}

TEST(RateHistory, ZeroCapacityHoldsOneSampleInsteadOfFailing) {
    RateHistory history(0);
    EXPECT_EQ(history.capacity(), 1u);
    history.push(sampleNumber(1));
    history.push(sampleNumber(2));
    EXPECT_EQ(history.toVector(), std::vector<RateSample>{sampleNumber(2)});
}

TEST(RateHistory, CopiesAreIndependent) {
    RateHistory original(4);
    original.push(sampleNumber(1));
    const RateHistory copy = original;
    original.push(sampleNumber(2));
    EXPECT_EQ(copy.size(), 1u);
    EXPECT_EQ(original.size(), 2u);
}

} // namespace
} // namespace portscope::core
