#pragma once
// Fixed-size rings of rate samples, for traffic graphs.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace portscope::core {

struct RateSample {
    std::int64_t unixMs = 0;
    float sendBytesPerSecond = 0;
    float receiveBytesPerSecond = 0;
    bool operator==(const RateSample&) const = default;
};

class RateHistory {
public:
    // Samples kept at most one a second: 600 of them are ten minutes however often updates
    // come (a sub-second interval, early polls on new connections).
    static constexpr std::int64_t kSampleSpacingMs = 1000;
    explicit RateHistory(std::size_t capacity = 600);

    // Appends `sample`, or, while the newest sample is less than kSampleSpacingMs after the
    // one before it, takes the newest one's place: the graph keeps a point a second and its
    // last point is always the latest rate.
    void push(const RateSample& sample);
    void clear();
    std::size_t size() const { return count_; }
    std::size_t capacity() const { return samples_.size(); }
    bool empty() const { return count_ == 0; }
    // index 0 is the oldest sample kept
    const RateSample& at(std::size_t index) const;
    const RateSample& newest() const { return at(count_ - 1); }
    std::vector<RateSample> toVector() const;

private:
    std::vector<RateSample> samples_;
    std::size_t start_ = 0;
    std::size_t count_ = 0;
};

} // namespace portscope::core
