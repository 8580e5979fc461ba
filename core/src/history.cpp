#include "portscope/core/history.h"

#include <stdexcept>
#include <string>

namespace portscope::core {

RateHistory::RateHistory(std::size_t capacity) : samples_(capacity == 0 ? 1 : capacity) {}

void RateHistory::push(const RateSample& sample) {
    // The newest sample stands in for its second until it is kSampleSpacingMs after the one
    // before it; then it stays, and the next sample is appended.
    if (count_ >= 2 && newest().unixMs - at(count_ - 2).unixMs < kSampleSpacingMs) {
        samples_[(start_ + count_ - 1) % samples_.size()] = sample;
        return;
    }
    const std::size_t slot = (start_ + count_) % samples_.size();
    samples_[slot] = sample;
    if (count_ < samples_.size()) {
        ++count_;
    } else {
        // Full: the oldest sample was just overwritten.
        start_ = (start_ + 1) % samples_.size();
    }
}

void RateHistory::clear() {
    start_ = 0;
    count_ = 0;
}

const RateSample& RateHistory::at(std::size_t index) const {
    if (index >= count_) {
        throw std::out_of_range("RateHistory::at: index " + std::to_string(index) +
                                " is past the " + std::to_string(count_) + " samples kept");
    }
    return samples_[(start_ + index) % samples_.size()];
}

std::vector<RateSample> RateHistory::toVector() const {
    std::vector<RateSample> out;
    out.reserve(count_);
    for (std::size_t i = 0; i < count_; ++i) {
        out.push_back(samples_[(start_ + i) % samples_.size()]);
    }
    return out;
}

} // namespace portscope::core
