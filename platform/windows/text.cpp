#include "windows/text.h"

#include "portscope/core/text.h"

#include <array>
#include <cstdint>

namespace portscope::platform::winsys {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

bool isHighSurrogate(char32_t unit) {
    return unit >= 0xD800 && unit <= 0xDBFF;
}
bool isLowSurrogate(char32_t unit) {
    return unit >= 0xDC00 && unit <= 0xDFFF;
}

void appendUtf8(std::string& out, char32_t code) {
    if (code < 0x80) {
        out += static_cast<char>(code);
    } else if (code < 0x800) {
        out += static_cast<char>(0xC0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
        out += static_cast<char>(0xE0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (code >> 18));
        out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    }
}

template <typename Unit>
std::string utf8FromUnits(std::basic_string_view<Unit> wide) {
    std::string out;
    out.reserve(wide.size() + wide.size() / 2);
    for (std::size_t i = 0; i < wide.size(); ++i) {
        // wchar_t is 16 bits on Windows; masking keeps the code correct where it is wider.
        const char32_t unit = static_cast<char32_t>(wide[i]) & 0xFFFF;
        if (isHighSurrogate(unit) && i + 1 < wide.size()) {
            const char32_t next = static_cast<char32_t>(wide[i + 1]) & 0xFFFF;
            if (isLowSurrogate(next)) {
                appendUtf8(out, 0x10000 + ((unit - 0xD800) << 10) + (next - 0xDC00));
                ++i;
                continue;
            }
        }
        appendUtf8(out, isHighSurrogate(unit) || isLowSurrogate(unit) ? kReplacement : unit);
    }
    return out;
}

// Decodes one UTF-8 sequence at `pos`; on invalid input consumes one byte and yields U+FFFD.
char32_t decodeUtf8(std::string_view text, std::size_t& pos) {
    const std::size_t length = core::utf8SequenceLength(text, pos);
    if (length == 0) {
        ++pos;
        return kReplacement;
    }
    // The payload bits of a lead byte, by sequence length.
    constexpr std::array<unsigned char, 5> kLeadBits{0, 0x7F, 0x1F, 0x0F, 0x07};
    char32_t code = static_cast<unsigned char>(text[pos]) & kLeadBits[length];
    for (std::size_t k = 1; k < length; ++k) {
        code = (code << 6) | (static_cast<unsigned char>(text[pos + k]) & 0x3F);
    }
    pos += length;
    return code;
}

template <typename Unit>
std::basic_string<Unit> unitsFromUtf8(std::string_view utf8) {
    std::basic_string<Unit> out;
    out.reserve(utf8.size());
    std::size_t pos = 0;
    while (pos < utf8.size()) {
        const char32_t code = decodeUtf8(utf8, pos);
        if (code >= 0x10000) {
            out += static_cast<Unit>(0xD800 + ((code - 0x10000) >> 10));
            out += static_cast<Unit>(0xDC00 + ((code - 0x10000) & 0x3FF));
        } else {
            out += static_cast<Unit>(code);
        }
    }
    return out;
}

} // namespace

std::string utf8FromWide(std::u16string_view wide) {
    return utf8FromUnits(wide);
}
std::string utf8FromWide(std::wstring_view wide) {
    return utf8FromUnits(wide);
}

std::u16string utf16FromUtf8(std::string_view utf8) {
    return unitsFromUtf8<char16_t>(utf8);
}
std::wstring wideFromUtf8(std::string_view utf8) {
    return unitsFromUtf8<wchar_t>(utf8);
}

std::string_view baseName(std::string_view path) {
    const auto slash = path.find_last_of("\\/");
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

} // namespace portscope::platform::winsys
