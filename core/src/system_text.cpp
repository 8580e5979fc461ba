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
    const std::vector<std::string_view> views(worded.begin(), worded.end());
    // Bounded: a text from a peer could repeat "%1" in every nested template and multiply its
    // size at each level.
    return substitute(wording.translate("SystemText", text.text.c_str()), views, kMaxWordedBytes);
}

} // namespace portscope::core
