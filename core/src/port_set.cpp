#include "portscope/core/port_set.h"

#include <bit>
#include <cstring>

namespace portscope::core {

PortSet::PortSet(std::initializer_list<std::uint16_t> ports) {
    for (const std::uint16_t port : ports) {
        insert(port);
    }
}

void PortSet::insertRange(std::uint16_t first, std::uint16_t last) {
    if (first > last) {
        return;
    }
    const std::size_t firstWord = first / kWordBits;
    const std::size_t lastWord = last / kWordBits;
    const std::uint64_t all = ~std::uint64_t{0};
    const std::uint64_t fromFirst = all << (first % kWordBits);
    const std::uint64_t toLast = all >> (kWordBits - 1 - last % kWordBits);
    if (firstWord == lastWord) {
        words_[firstWord] |= fromFirst & toLast;
        return;
    }
    words_[firstWord] |= fromFirst;
    // The words between are whole: one fill, however wide the range.
    std::memset(words_.data() + firstWord + 1, 0xFF,
                (lastWord - firstWord - 1) * sizeof(std::uint64_t));
    words_[lastWord] |= toLast;
}

bool PortSet::empty() const {
    for (const std::uint64_t word : words_) {
        if (word != 0) {
            return false;
        }
    }
    return true;
}

std::size_t PortSet::size() const {
    std::size_t count = 0;
    for (const std::uint64_t word : words_) {
        count += static_cast<std::size_t>(std::popcount(word));
    }
    return count;
}

std::vector<std::uint16_t> PortSet::toVector() const {
    std::vector<std::uint16_t> ports;
    for (std::size_t index = 0; index < words_.size(); ++index) {
        for (std::uint64_t word = words_[index]; word != 0; word &= word - 1) {
            ports.push_back(static_cast<std::uint16_t>(
                index * kWordBits + static_cast<std::size_t>(std::countr_zero(word))));
        }
    }
    return ports;
}

std::vector<std::pair<std::uint16_t, std::uint16_t>> PortSet::runs() const {
    std::vector<std::pair<std::uint16_t, std::uint16_t>> out;
    for (const std::uint16_t port : toVector()) {
        if (!out.empty() && out.back().second + 1u == port) {
            out.back().second = port;
        } else {
            out.emplace_back(port, port);
        }
    }
    return out;
}

std::string PortSet::toString() const {
    std::string out;
    auto append = [&out](std::uint16_t port) {
        out += out.empty() ? "" : ", ";
        out += std::to_string(port);
    };
    for (const auto& [first, last] : runs()) {
        if (last - first >= 2) {
            append(first);
            out += '-';
            out += std::to_string(last);
        } else {
            append(first);
            if (last != first) {
                append(last);
            }
        }
    }
    return out;
}

} // namespace portscope::core
