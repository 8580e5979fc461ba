#pragma once
// A set of port numbers as 65,536 bits: 8 KiB whatever it holds, so a config that lists
// every port, or lists it many times over, costs no more than one that lists a few.

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace portscope::core {

class PortSet {
public:
    PortSet() = default;
    PortSet(std::initializer_list<std::uint16_t> ports);

    bool contains(std::uint16_t port) const {
        return (words_[port / kWordBits] >> (port % kWordBits) & 1u) != 0;
    }
    void insert(std::uint16_t port) {
        words_[port / kWordBits] |= std::uint64_t{1} << (port % kWordBits);
    }
    // Every port from first to last, both included; nothing when first > last.
    void insertRange(std::uint16_t first, std::uint16_t last);
    void clear() { words_.fill(0); }

    bool empty() const;
    std::size_t size() const;
    // Ascending.
    std::vector<std::uint16_t> toVector() const;
    // Ascending runs of consecutive ports, each as (first, last).
    std::vector<std::pair<std::uint16_t, std::uint16_t>> runs() const;
    // "22, 23, 135-139, 445": a run of three or more ports as a range, as the config file
    // writes it.
    std::string toString() const;

    bool operator==(const PortSet&) const = default;

private:
    static constexpr std::size_t kWordBits = 64;
    std::array<std::uint64_t, 65536 / kWordBits> words_{};
};

} // namespace portscope::core
