#pragma once
// The query language of the GUI's filter bar, and the address scopes it can ask for.
//
//   firefox                 free text: process name, exe path, addresses, host name, PID
//   "my app"                quoted free text (spaces kept; \" and \\ escape inside quotes)
//   port:443  port:135-139  local or remote port, a single port or an inclusive range
//   lport:22  rport:80,443  local / remote port; a comma separates alternatives
//   proc:"my app","x, y"    alternatives may be quoted
//   pid:1234  proc:ssh      process id (or range), process name or exe path substring
//   state:listen  proto:tcp  family:6  scope:internet  user:root  host:example.org  ip:10.0.0.0/8
//   scope: takes lan (every local-network scope), internet (= global), any (= unspecified)
//   and each name address_scope.h defines (loopback, link-local, private, ula, multicast...)
//   -state:time_wait  !proc:chrome   a leading '-' or '!' negates a term
//
// Terms are combined with AND. Text comparisons ignore ASCII case. Parsing never throws;
// a malformed query yields an error with the byte position of the offending term and, where
// one is near, the word the user probably meant.

#include "portscope/core/address_scope.h"
#include "portscope/core/update.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portscope::core {

// The scope of a connection: the remote address decides; without one (listeners,
// unconnected UDP) the local one does. `classifier` (may be null) adds the user's ranges.
AddressScope socketScope(const Socket& socket, const ScopeClassifier* classifier = nullptr);

// What is wrong with a query, in parts, so that the GUI can word it in the user's language;
// `message` is the English sentence the CLI prints (filterErrorMessage()).
enum class FilterErrorKind : std::uint8_t {
    NothingToNegate,       // subject: the '-' or '!' that stands alone
    TextAfterQuote,        // a closing quote is followed by more of the same word
    TextAfterQuoteInValue, // the same inside a field's value, where a comma may follow
    UnclosedQuote,
    UnknownField,     // subject: the name before ':'; suggestion: the nearest known field
    MissingValue,     // subject: the field name; example: a complete term
    EmptyAlternative, // subject: the field name
    NotAPort,         // subject: the value; maximum: 65535
    PortOutOfRange,
    NotAProcessId, // subject: the value; maximum: the largest process id
    ProcessIdOutOfRange,
    BackwardsRange,  // subject: the value; low, high: its ends in the right order
    UnknownState,    // subject: the value; suggestion: the nearest state
    UnknownProtocol, // subject: the value; suggestion: the nearest protocol
    UnknownFamily,   // subject: the value
    UnknownScope,    // subject: the value; suggestion: the nearest scope
    BadAddressRange, // subject: the value
    BadAddress,      // subject: the value; detail: why, in English (may be empty)
};

struct FilterQueryError {
    FilterErrorKind kind = FilterErrorKind::UnknownField;
    std::size_t position = 0; // byte offset into the query where the bad term starts
    std::size_t length = 0;   // bytes of the bad term
    std::string subject;      // the text at fault, as typed
    std::string suggestion;   // what the user probably meant ("state"), or empty
    std::string example;      // MissingValue: a term that works, such as "state:listen"
    std::uint32_t low = 0;    // BackwardsRange: the range as it should be written
    std::uint32_t high = 0;
    std::uint32_t maximum = 0; // the number kinds: the largest value allowed
    std::string detail;        // BadAddress: the address parser's reason
    std::string message;       // the whole sentence, in English
};

// The field names the language knows, for a sentence listing them.
std::string_view knownFilterFields();
// The English sentence for `error` from its parts.
std::string filterErrorMessage(const FilterQueryError& error);
// 1 + the number of characters (UTF-8 code points) before `byteOffset` in `text`: where an
// error is, counted as a person counts along the line.
std::size_t characterNumber(std::string_view text, std::size_t byteOffset);

class FilterQuery {
public:
    struct Term;

    FilterQuery(); // the empty query: matches everything
    ~FilterQuery();
    FilterQuery(const FilterQuery&);
    FilterQuery& operator=(const FilterQuery&);
    FilterQuery(FilterQuery&&) noexcept;
    FilterQuery& operator=(FilterQuery&&) noexcept;

    // std::nullopt when the query is malformed; *error (if given) then says where and why.
    static std::optional<FilterQuery> parse(std::string_view text,
                                            FilterQueryError* error = nullptr);

    bool empty() const;
    const std::string& text() const { return text_; }
    // `owner` may be null: the connection has no known process.
    bool matches(const Connection& connection, const ProcessRow* owner) const;

private:
    std::string text_;
    std::vector<Term> terms_;
};

// `value` in quotes, with '"' and '\\' escaped: one alternative of a field's value taken
// literally, spaces and commas included (proc:"my app").
std::string quotedFilterValue(std::string_view value);

// The quick show/hide switches next to the filter bar. Each one, when false, hides the
// connections it names.
struct VisibilityToggles {
    bool tcp = true;
    bool udp = true;
    bool ipv4 = true;
    bool ipv6 = true;
    bool listening = true;
    bool loopback = true;
    bool timeWait = true;

    bool showsEverything() const {
        return tcp && udp && ipv4 && ipv6 && listening && loopback && timeWait;
    }
    bool accepts(const Connection& connection) const;
    bool operator==(const VisibilityToggles&) const = default;
};

} // namespace portscope::core
