#pragma once
// Text helpers shared by every layer. Case folding and white space are ASCII only and
// independent of the C locale (the GUI changes it at start-up), so a filter, a config key or
// a protocol name compares the same everywhere.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace portscope::core {

char lowerAscii(char c);
std::string lowerCase(std::string_view text);
bool equalsIgnoringCase(std::string_view a, std::string_view b);
bool containsIgnoringCase(std::string_view haystack, std::string_view needle);
bool isAsciiSpace(char c); // space, \t, \n, \v, \f, \r
std::string_view trim(std::string_view text);

// Damerau-Levenshtein (optimal string alignment) distance: insertions, deletions,
// substitutions and swaps of neighbours each cost 1. Looks at the first 64 bytes of each.
std::size_t editDistance(std::string_view a, std::string_view b);
// The candidate `word` (any case) is most likely a slip for: the nearest by editDistance,
// within two edits and less than half the word; empty when none is that near. Candidates are
// lower case; the first of equally near ones wins.
std::string nearestWord(std::string_view word, std::span<const std::string_view> candidates);

// Length of the valid UTF-8 sequence starting at text[i] (1 to 4), or 0 when the bytes there
// are not one: a stray continuation byte, an overlong form, a UTF-16 surrogate, a code point
// above U+10FFFF, or a sequence cut short. Requires i < text.size().
std::size_t utf8SequenceLength(std::string_view text, std::size_t i);

// The code point of the valid sequence of `length` bytes at text[i], as utf8SequenceLength()
// measured it.
std::uint32_t utf8CodePoint(std::string_view text, std::size_t i, std::size_t length);

// Whether a terminal would act on the code point instead of showing it: C0 controls (tab and
// newline included), DEL, C1 controls, bidi embeddings, overrides and isolates, and the line
// and paragraph separators U+2028 and U+2029.
bool isTerminalControl(std::uint32_t codePoint);

// Text safe to write to a terminal, for every line the CLI prints: each terminal control
// becomes a visible escape such as \x1b or \u202e, and each byte of invalid UTF-8 becomes
// \xNN. Everything else is kept.
std::string terminalText(std::string_view text);

// `text` with each byte that starts no valid UTF-8 sequence replaced by U+FFFD; everything
// else, control characters included, is kept. For output formats that escape for themselves.
std::string validUtf8(std::string_view text);

// Makes untrusted text (process names, command lines, paths, user names) safe to show: control
// characters (C0, DEL and C1) and each byte of invalid UTF-8 become '?'; valid UTF-8 is kept.
// The result holds at most `maxBytes` bytes and never ends inside a character.
std::string sanitizeForDisplay(std::string_view text, std::size_t maxBytes);

// sanitizeForDisplay() cut to `limit` bytes, with "..." added when something was cut: for
// quoting untrusted text inside a sentence.
std::string excerptForDisplay(std::string_view text, std::size_t limit);

// How a number is written: a fixed count of decimals ("%.1f": 12.5) or of significant digits
// ("%.6g": 0.000125, 1.5e+09).
struct NumberPrecision {
    enum class Style { Decimals, SignificantDigits };
    Style style = Style::Decimals;
    int digits = 1; // 0 to 17

    static constexpr NumberPrecision decimals(int digits) { return {Style::Decimals, digits}; }
    static constexpr NumberPrecision significantDigits(int digits) {
        return {Style::SignificantDigits, digits};
    }
};

// `value` as printf writes it with the given precision in the C locale, whatever the locale.
std::string formatNumber(double value, NumberPrecision precision);
// The same as a JSON number, appended to `out`; NaN and infinities become null.
void appendJsonNumber(std::string& out, double value, NumberPrecision precision);

} // namespace portscope::core
