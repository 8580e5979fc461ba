#include "portscope/core/text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace portscope::core {

char lowerAscii(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lowerCase(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), lowerAscii);
    return out;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return lowerAscii(x) == lowerAscii(y);
           });
}

bool containsIgnoringCase(std::string_view haystack, std::string_view needle) {
    if (needle.size() > haystack.size()) {
        return false;
    }
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                       [](char a, char b) { return lowerAscii(a) == lowerAscii(b); }) !=
           haystack.end();
}

bool isAsciiSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && isAsciiSpace(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && isAsciiSpace(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

std::size_t utf8SequenceLength(std::string_view text, std::size_t i) {
    const auto byteAt = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byteAt(i);
    if (lead < 0x80) {
        return 1;
    }
    // The ranges of RFC 3629: C0, C1 and F5-FF never start a sequence, and the second byte's
    // range excludes overlong forms, surrogates and code points above U+10FFFF.
    std::size_t length = 0;
    unsigned char secondMin = 0x80;
    unsigned char secondMax = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) {
            secondMin = 0xA0; // overlong
        } else if (lead == 0xED) {
            secondMax = 0x9F; // UTF-16 surrogates
        }
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) {
            secondMin = 0x90; // overlong
        } else if (lead == 0xF4) {
            secondMax = 0x8F; // above U+10FFFF
        }
    } else {
        return 0;
    }
    if (i + length > text.size()) {
        return 0;
    }
    const unsigned char second = byteAt(i + 1);
    if (second < secondMin || second > secondMax) {
        return 0;
    }
    for (std::size_t k = 2; k < length; ++k) {
        if ((byteAt(i + k) & 0xC0) != 0x80) {
            return 0;
        }
    }
    return length;
}

std::uint32_t utf8CodePoint(std::string_view text, std::size_t i, std::size_t length) {
    static constexpr unsigned char kLeadMask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    std::uint32_t codePoint = static_cast<unsigned char>(text[i]) & kLeadMask[length];
    for (std::size_t k = 1; k < length; ++k) {
        codePoint = codePoint << 6 | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    return codePoint;
}

bool isTerminalControl(std::uint32_t codePoint) {
    return codePoint < 0x20 || (codePoint >= 0x7F && codePoint <= 0x9F) ||
           (codePoint >= 0x202A && codePoint <= 0x202E) ||
           (codePoint >= 0x2066 && codePoint <= 0x2069) || codePoint == 0x2028 ||
           codePoint == 0x2029;
}

std::string terminalText(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    char escape[16];
    for (std::size_t i = 0; i < text.size();) {
        const auto length = utf8SequenceLength(text, i);
        if (length == 0) {
            std::snprintf(escape, sizeof escape, "\\x%02x", static_cast<unsigned char>(text[i]));
            out += escape;
            ++i;
            continue;
        }
        const std::uint32_t codePoint = utf8CodePoint(text, i, length);
        if (isTerminalControl(codePoint)) {
            std::snprintf(escape, sizeof escape, codePoint < 0x100 ? "\\x%02x" : "\\u%04x",
                          static_cast<unsigned>(codePoint));
            out += escape;
        } else {
            out.append(text.substr(i, length));
        }
        i += length;
    }
    return out;
}

std::string validUtf8(std::string_view text) {
    constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto length = utf8SequenceLength(text, i);
        if (length == 0) {
            out += kReplacement;
            ++i;
        } else {
            out.append(text.substr(i, length));
            i += length;
        }
    }
    return out;
}

namespace {

// Appends the display form of `text` to `out` while `out` stays within `maxBytes`; returns how
// many bytes of `text` it consumed.
std::size_t appendForDisplay(std::string& out, std::string_view text, std::size_t maxBytes) {
    std::size_t i = 0;
    while (i < text.size() && out.size() < maxBytes) {
        const auto c = static_cast<unsigned char>(text[i]);
        const std::size_t length = utf8SequenceLength(text, i);
        const bool c0Control = c < 0x20 || c == 0x7F;
        const bool c1Control =
            length == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0;
        if (length == 0 || c0Control || c1Control) {
            out.push_back('?');
            i += std::max<std::size_t>(length, 1);
            continue;
        }
        if (out.size() + length > maxBytes) {
            break; // never split a character
        }
        out.append(text.substr(i, length));
        i += length;
    }
    return i;
}

} // namespace

std::string sanitizeForDisplay(std::string_view text, std::size_t maxBytes) {
    std::string out;
    out.reserve(std::min(text.size(), maxBytes));
    appendForDisplay(out, text, maxBytes);
    return out;
}

std::string excerptForDisplay(std::string_view text, std::size_t limit) {
    std::string out;
    out.reserve(std::min(text.size(), limit) + 3);
    if (appendForDisplay(out, text, limit) < text.size()) {
        out += "...";
    }
    return out;
}

std::string formatNumber(double value, NumberPrecision precision) {
    // Enough for any double in fixed notation with a few decimals (up to ~1.8e308).
    char buffer[400];
    const auto format = precision.style == NumberPrecision::Style::Decimals
                            ? std::chars_format::fixed
                            : std::chars_format::general;
    const auto result =
        std::to_chars(buffer, buffer + sizeof buffer, value, format, precision.digits);
    if (result.ec != std::errc{}) {
        return {};
    }
    return std::string(buffer, result.ptr);
}

void appendJsonNumber(std::string& out, double value, NumberPrecision precision) {
    if (!std::isfinite(value)) {
        out += "null";
        return;
    }
    out += formatNumber(value, precision);
}

std::size_t editDistance(std::string_view a, std::string_view b) {
    // Optimal string alignment: insertions, deletions, substitutions and transpositions of
    // neighbours each cost 1 (so "scvhost" is one step from "svchost").
    constexpr std::size_t kMax = 64;
    a = a.substr(0, kMax);
    b = b.substr(0, kMax);
    std::vector<std::size_t> previous2(b.size() + 1);
    std::vector<std::size_t> previous(b.size() + 1);
    std::vector<std::size_t> current(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        previous[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                current[j] = std::min(current[j], previous2[j - 2] + 1);
            }
        }
        previous2.swap(previous);
        previous.swap(current);
    }
    return previous[b.size()];
}

std::string nearestWord(std::string_view word, std::span<const std::string_view> candidates) {
    const std::string lower = lowerCase(word);
    // Close enough to be a slip of the keyboard, and less than half the word: "xp" is not a
    // misspelt "ip", nor "bogus" a misspelt "host".
    const std::size_t allowed =
        lower.empty() ? 0 : std::min<std::size_t>(2, (lower.size() - 1) / 2);
    std::string best;
    std::size_t bestDistance = allowed + 1;
    for (const std::string_view candidate : candidates) {
        const std::size_t distance = editDistance(lower, candidate);
        if (distance < bestDistance) {
            bestDistance = distance;
            best = std::string(candidate);
        }
    }
    return best;
}

} // namespace portscope::core
