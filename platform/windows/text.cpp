#include "windows/text.h"

#include <algorithm>
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
    const auto lead = static_cast<unsigned char>(text[pos]);
    if (lead < 0x80) {
        ++pos;
        return lead;
    }
    std::size_t length = 0;
    char32_t code = 0;
    char32_t minimum = 0;
    if ((lead & 0xE0) == 0xC0) {
        length = 2;
        code = lead & 0x1F;
        minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        code = lead & 0x0F;
        minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        code = lead & 0x07;
        minimum = 0x10000;
    } else {
        ++pos;
        return kReplacement;
    }
    if (pos + length > text.size()) {
        ++pos;
        return kReplacement;
    }
    for (std::size_t k = 1; k < length; ++k) {
        const auto continuation = static_cast<unsigned char>(text[pos + k]);
        if ((continuation & 0xC0) != 0x80) {
            ++pos;
            return kReplacement;
        }
        code = (code << 6) | (continuation & 0x3F);
    }
    if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
        ++pos;
        return kReplacement;
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

std::string sanitizeForDisplay(std::string_view utf8, std::size_t maxBytes) {
    std::string out;
    out.reserve(std::min(utf8.size(), maxBytes));
    std::size_t pos = 0;
    while (pos < utf8.size()) {
        const std::size_t start = pos;
        const char32_t code = decodeUtf8(utf8, pos);
        const bool control = code < 0x20 || (code >= 0x7F && code <= 0x9F);
        const std::size_t before = out.size();
        if (control) {
            out += '?';
        } else if (code == kReplacement) {
            appendUtf8(out, kReplacement);
        } else {
            out.append(utf8.substr(start, pos - start));
        }
        if (out.size() > maxBytes) {
            out.resize(before);
            break;
        }
    }
    return out;
}

std::string_view baseName(std::string_view path) {
    const auto slash = path.find_last_of("\\/");
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

} // namespace portscope::platform::winsys
