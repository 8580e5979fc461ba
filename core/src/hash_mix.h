#pragma once
// The hash mixing step of core's hash tables.

#include <cstdint>

namespace portscope::core {

// One multiply-xorshift round per word: cheap, and good enough to spread cookies, PIDs and
// addresses that differ in a few low bits over the buckets.
inline std::uint64_t hashCombine(std::uint64_t seed, std::uint64_t value) {
    seed ^= value + 0x9e3779b97f4a7c15ULL;
    seed *= 0xff51afd7ed558ccdULL;
    return seed ^ (seed >> 32);
}

} // namespace portscope::core
