#include "portscope/core/system_text.h"

#include "portscope/core/findings_text.h"
#include "portscope/core/units.h"

#include <algorithm>
#include <charconv>
#include <string_view>
#include <utility>

namespace portscope::core {

SystemText systemText(const char* english, std::vector<SystemText> arguments) {
    return SystemText{SystemText::Kind::Template, english, std::move(arguments)};
}

SystemText verbatimText(std::string text) {
    return SystemText{SystemText::Kind::Verbatim, std::move(text), {}};
}

SystemText numberText(std::uint64_t value) {
    return SystemText{SystemText::Kind::Number, std::to_string(value), {}};
}

std::string SystemText::english() const {
    return wordSystemText(*this, englishWording());
}

namespace {

// `pattern` with %1...%9 replaced, as substitute() does, but never longer than kMaxWordedBytes:
// a text from a peer could otherwise repeat "%1" in every nested template and multiply its
// size at each level.
std::string substituteBounded(std::string_view pattern, const std::vector<std::string>& args) {
    std::string out;
    const auto append = [&](std::string_view piece) {
        out.append(piece.substr(0, kMaxWordedBytes + 1 - std::min(out.size(), kMaxWordedBytes)));
    };
    for (std::size_t i = 0; i < pattern.size() && out.size() <= kMaxWordedBytes; ++i) {
        const char c = pattern[i];
        if (c == '%' && i + 1 < pattern.size() && pattern[i + 1] >= '1' && pattern[i + 1] <= '9') {
            const auto index = static_cast<std::size_t>(pattern[i + 1] - '1');
            if (index < args.size()) {
                append(args[index]);
                ++i;
                continue;
            }
        }
        append(std::string_view(&c, 1));
    }
    if (out.size() > kMaxWordedBytes) {
        // Cut before the character that crosses the limit.
        std::size_t cut = kMaxWordedBytes;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) {
            --cut;
        }
        out.resize(cut);
    }
    return out;
}

} // namespace

std::string wordSystemText(const SystemText& text, const FindingWording& wording) {
    switch (text.kind) {
    case SystemText::Kind::Verbatim:
        return text.text;
    case SystemText::Kind::Number: {
        std::uint64_t value = 0;
        const char* end = text.text.data() + text.text.size();
        const auto [stop, error] = std::from_chars(text.text.data(), end, value);
        // Digits from a peer that are not a number are shown as they came.
        return error == std::errc{} && stop == end ? wording.number(withThousands(value))
                                                   : text.text;
    }
    case SystemText::Kind::Template:
        break;
    }
    std::vector<std::string> worded;
    worded.reserve(text.arguments.size());
    for (const SystemText& argument : text.arguments) {
        worded.push_back(wordSystemText(argument, wording));
    }
    return substituteBounded(wording.translate("SystemText", text.text.c_str()), worded);
}

} // namespace portscope::core
