// Bracket matching in text that holds double-quoted strings (JSON, C++ sources), for tests that
// pick pieces out of a program's output or the project's sources. Header-only, so that the
// Windows suites, which do not link the Linux test-support library, can use it too.
#pragma once

#include <cstddef>
#include <string_view>

namespace portscope::testing {

// Where the bracket at `open` ('(', '[' or '{') is closed, looking no further than `limit`
// characters from `open`; std::string_view::npos when it is not closed there. Only brackets of
// the same kind count, and none inside a double-quoted string, whose backslash escapes are
// honoured: a quote or a brace in a string does not end it.
inline std::size_t closingBracket(std::string_view text, std::size_t open,
                                  std::size_t limit = std::string_view::npos) {
    if (open >= text.size()) {
        return std::string_view::npos;
    }
    const char opening = text[open];
    const char closing = opening == '(' ? ')' : opening == '[' ? ']' : '}';
    const std::size_t end = limit < text.size() - open ? open + limit : text.size();
    int depth = 0;
    bool inString = false;
    for (std::size_t i = open; i < end; ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                inString = false;
            }
        } else if (c == '"') {
            inString = true;
        } else if (c == opening) {
            ++depth;
        } else if (c == closing && --depth == 0) {
            return i;
        }
    }
    return std::string_view::npos;
}

} // namespace portscope::testing
