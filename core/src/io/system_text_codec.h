#pragma once
// The wire form of a core::SystemText, shared by the snapshot codec (the helper's snapshots)
// and the helper protocol's replies (docs/helper-protocol.md):
//   text := kind:u8 string argumentCount:u8 text*argumentCount
// Arguments only follow a Template; nesting and argument counts are bounded, so a hostile
// peer cannot make the reader recurse or allocate without limit.

#include "portscope/core/system_text.h"

#include <cstdint>
#include <stdexcept>
#include <string>

namespace portscope::core::bytes {

inline constexpr int kMaxSystemTextDepth = 4;
inline constexpr std::size_t kMaxSystemTextArguments = 9; // %1...%9

// `writeString(std::string_view)` writes a string the way the caller's format does.
template <typename Writer, typename WriteString>
void writeSystemText(Writer& out, const SystemText& text, const WriteString& writeString,
                     int depth = 1) {
    if (depth > kMaxSystemTextDepth || text.arguments.size() > kMaxSystemTextArguments) {
        throw std::length_error("a text nested too deep or with too many arguments");
    }
    out.u8(static_cast<std::uint8_t>(text.kind));
    writeString(text.text);
    out.u8(static_cast<std::uint8_t>(text.arguments.size()));
    for (const SystemText& argument : text.arguments) {
        writeSystemText(out, argument, writeString, depth + 1);
    }
}

// `readString()` reads a string the way the caller's format does; `charge()` is called once
// per text before it is read, to count it against the caller's budget.
template <typename Reader, typename ReadString, typename Charge>
SystemText readSystemText(Reader& in, const ReadString& readString, const Charge& charge,
                          int depth = 1) {
    SystemText text;
    const std::size_t at = in.position();
    if (depth > kMaxSystemTextDepth) {
        in.failAt(at, "text nested deeper than " + std::to_string(kMaxSystemTextDepth));
        return text;
    }
    charge(at);
    const std::uint8_t kind = in.u8();
    if (!in.failed() && kind > static_cast<std::uint8_t>(SystemText::Kind::Number)) {
        in.failAt(at, "unknown text kind " + std::to_string(kind));
        return text;
    }
    text.kind = static_cast<SystemText::Kind>(kind);
    text.text = readString();
    const std::size_t countAt = in.position();
    const std::uint8_t arguments = in.u8();
    if (!in.failed() && (arguments > kMaxSystemTextArguments ||
                         (arguments != 0 && text.kind != SystemText::Kind::Template))) {
        in.failAt(countAt, "a text with " + std::to_string(arguments) + " arguments");
        return text;
    }
    for (std::uint8_t i = 0; i < arguments && !in.failed(); ++i) {
        text.arguments.push_back(readSystemText(in, readString, charge, depth + 1));
    }
    return text;
}

} // namespace portscope::core::bytes
