#pragma once
// A sentence of the platform layer for users (a snapshot's warning, why a kill or a close
// failed) in parts, the way findings have them: an English template marked with
// PORTSCOPE_TRANSLATABLE("SystemText", ...) and the arguments for its %1...%9. A front end
// words it in the user's language through a FindingWording; files and streams for programs
// take english(). Arguments are texts of their own: a number, a piece that is never
// translated (an OS error message, a path, an address) or a translatable sentence.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace portscope::core {

class FindingWording;

struct SystemText {
    // The wire values of the helper protocol; fixed.
    enum class Kind : unsigned char {
        Verbatim = 0, // `text` as it is, in every language
        Template = 1, // `text` is an English template, translated in context "SystemText"
        Number = 2,   // `text` is an integer in digits, written with the language's separators
    };
    Kind kind = Kind::Verbatim;
    std::string text;
    std::vector<SystemText> arguments; // for %1...%9 of a Template

    std::string english() const;
    bool empty() const { return text.empty() && arguments.empty(); }
    bool operator==(const SystemText&) const = default;
};

// `english` must be a PORTSCOPE_TRANSLATABLE("SystemText", ...) literal.
SystemText systemText(const char* english, std::vector<SystemText> arguments = {});
SystemText verbatimText(std::string text);
SystemText numberText(std::uint64_t value);

// `text` in the wording's language; nested templates are translated too. A worded template
// is cut at kMaxWordedBytes (at a character boundary), however its parts repeat.
inline constexpr std::size_t kMaxWordedBytes = 16384;
std::string wordSystemText(const SystemText& text, const FindingWording& wording);

} // namespace portscope::core
