#include "portscope/core/filter_query.h"

#include "portscope/core/text.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>

namespace portscope::core {

namespace {

bool isFieldNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

SocketState normalState(SocketState state) {
    // Users say SYN_RECV for both kernel flavours of a half-open connection.
    return state == SocketState::NewSynRecv ? SocketState::SynRecv : state;
}

// One alternative of a scope: term: a scope of address_scope.h, or "lan" for all of the
// local-network scopes together.
struct ScopeWanted {
    bool anyLan = false;
    AddressScope scope = AddressScope::Unspecified;
    bool matches(AddressScope actual) const { return anyLan ? isLan(actual) : actual == scope; }
};

std::optional<ScopeWanted> parseScope(std::string_view text) {
    const std::string name = lowerCase(text);
    if (name == "lan" || name == "local") {
        return ScopeWanted{true, AddressScope::Unspecified};
    }
    if (name == "internet" || name == "public") {
        return ScopeWanted{false, AddressScope::Global};
    }
    if (name == "any") {
        return ScopeWanted{false, AddressScope::Unspecified};
    }
    if (name == "linklocal") {
        return ScopeWanted{false, AddressScope::LinkLocal};
    }
    if (const auto scope = parseAddressScope(name)) {
        return ScopeWanted{false, *scope};
    }
    return std::nullopt;
}

template <typename Number>
std::optional<Number> parseNumber(std::string_view text) {
    Number value{};
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || text.empty()) {
        return std::nullopt;
    }
    return value;
}

// An inclusive range of addresses of one family, as in ip:192.168.0.1-192.168.0.100.
struct IpInterval {
    IpAddress first;
    IpAddress last;
    bool contains(const IpAddress& address) const {
        const IpAddress plain = address.unmapped();
        return plain.family == first.family && first <= plain && plain <= last;
    }
};

std::optional<IpInterval> parseIpInterval(std::string_view text) {
    const auto dash = text.find('-');
    if (dash == std::string_view::npos) {
        return std::nullopt;
    }
    const auto first = IpAddress::parse(text.substr(0, dash));
    const auto last = IpAddress::parse(text.substr(dash + 1));
    if (!first || !last || first->unmapped().family != last->unmapped().family ||
        last->unmapped() < first->unmapped()) {
        return std::nullopt;
    }
    return IpInterval{first->unmapped(), last->unmapped()};
}

enum class Field {
    Text,
    Proc,
    Pid,
    Port,
    LocalPort,
    RemotePort,
    State,
    Proto,
    Family,
    Scope,
    User,
    Host,
    Ip,
};

struct FieldName {
    std::string_view name;
    Field field;
};

constexpr std::array<FieldName, 14> kFieldNames{{
    {"proc", Field::Proc},
    {"process", Field::Proc},
    {"pid", Field::Pid},
    {"port", Field::Port},
    {"lport", Field::LocalPort},
    {"rport", Field::RemotePort},
    {"state", Field::State},
    {"proto", Field::Proto},
    {"family", Field::Family},
    {"scope", Field::Scope},
    {"user", Field::User},
    {"host", Field::Host},
    {"ip", Field::Ip},
    {"addr", Field::Ip},
}};

constexpr std::string_view kKnownFields =
    "proc, pid, port, lport, rport, state, proto, family, scope, user, host, ip";

// Every word a field name or a value may be, for "did you mean" suggestions.
constexpr std::array<std::string_view, kFieldNames.size()> kFieldWords = [] {
    std::array<std::string_view, kFieldNames.size()> words{};
    for (std::size_t i = 0; i < kFieldNames.size(); ++i) {
        words[i] = kFieldNames[i].name;
    }
    return words;
}();
constexpr std::array<std::string_view, 14> kStateWords{
    "listen", "established", "syn_sent", "syn_recv", "fin_wait1", "fin_wait2", "time_wait",
    "close",  "close_wait",  "last_ack", "closing",  "bound",     "closed",    "new_syn_recv"};
constexpr std::array<std::string_view, 8> kProtocolWords{"tcp",  "udp",  "tcp4", "tcp6",
                                                         "udp4", "udp6", "ipv4", "ipv6"};
constexpr std::array<std::string_view, 17> kScopeWords{
    "lan",        "local",         "internet", "public", "any",        "loopback",
    "link-local", "linklocal",     "private",  "cgnat",  "ula",        "internal",
    "multicast",  "documentation", "reserved", "global", "unspecified"};

std::optional<Field> fieldOf(std::string_view name) {
    const std::string lower = lowerCase(name);
    for (const auto& entry : kFieldNames) {
        if (entry.name == lower) {
            return entry.field;
        }
    }
    return std::nullopt;
}

} // namespace

AddressScope socketScope(const Socket& socket, const ScopeClassifier* classifier) {
    const IpAddress& address =
        socket.remote.address.isUnspecified() ? socket.local.address : socket.remote.address;
    return classifier != nullptr ? classifier->classify(address) : builtInScope(address);
}

struct FilterQuery::Term {
    Field field = Field::Text;
    bool negated = false;
    std::vector<std::string> texts; // lower case
    std::vector<std::pair<std::uint32_t, std::uint32_t>> numberRanges;
    std::vector<SocketState> states;
    bool matchesClosed = false; // state:closed: tombstones
    std::vector<std::pair<std::optional<Protocol>, std::optional<Family>>> protocols;
    std::vector<Family> families;
    std::vector<ScopeWanted> scopes;
    std::vector<std::uint32_t> uids;
    std::vector<AddressRange> networks;
    std::vector<IpInterval> intervals;

    bool inRanges(std::uint32_t value) const {
        return std::any_of(numberRanges.begin(), numberRanges.end(), [&](const auto& range) {
            return value >= range.first && value <= range.second;
        });
    }

    bool anyText(std::string_view haystack) const {
        return std::any_of(texts.begin(), texts.end(), [&](const std::string& needle) {
            return containsIgnoringCase(haystack, needle);
        });
    }

    bool positiveMatch(const Connection& connection, const ProcessRow* owner) const {
        const Socket& socket = connection.socket;
        switch (field) {
        case Field::Text: {
            if (owner != nullptr &&
                (anyText(owner->process.name) || anyText(owner->process.exePath))) {
                return true;
            }
            if (anyText(connection.remoteHostName) || anyText(socket.local.toString()) ||
                anyText(socket.remote.toString())) {
                return true;
            }
            return socket.owner.pid > 0 &&
                   std::any_of(texts.begin(), texts.end(), [&](const std::string& text) {
                       return parseNumber<std::int32_t>(text) == socket.owner.pid;
                   });
        }
        case Field::Proc:
            return owner != nullptr &&
                   (anyText(owner->process.name) || anyText(owner->process.exePath));
        case Field::Pid:
            return socket.owner.pid > 0 && inRanges(static_cast<std::uint32_t>(socket.owner.pid));
        case Field::Port:
            return inRanges(socket.local.port) || inRanges(socket.remote.port);
        case Field::LocalPort:
            return inRanges(socket.local.port);
        case Field::RemotePort:
            return inRanges(socket.remote.port);
        case Field::State:
            if (matchesClosed && !connection.open) {
                return true;
            }
            return std::any_of(states.begin(), states.end(), [&](SocketState state) {
                return normalState(state) == normalState(socket.state);
            });
        case Field::Proto: {
            const Family family = effectiveFamily(socket);
            return std::any_of(protocols.begin(), protocols.end(), [&](const auto& wanted) {
                return (!wanted.first || *wanted.first == socket.protocol) &&
                       (!wanted.second || *wanted.second == family);
            });
        }
        case Field::Family:
            return std::find(families.begin(), families.end(), effectiveFamily(socket)) !=
                   families.end();
        case Field::Scope: {
            const AddressScope scope = socketScope(socket);
            return std::any_of(scopes.begin(), scopes.end(),
                               [&](const ScopeWanted& wanted) { return wanted.matches(scope); });
        }
        case Field::User: {
            const std::uint32_t uid = owner != nullptr ? owner->process.uid : socket.uid;
            if (std::find(uids.begin(), uids.end(), uid) != uids.end()) {
                return true;
            }
            return owner != nullptr && !owner->process.userName.empty() &&
                   anyText(owner->process.userName);
        }
        case Field::Host:
            if (!connection.remoteHostName.empty() && anyText(connection.remoteHostName)) {
                return true;
            }
            return !socket.remote.address.isUnspecified() &&
                   anyText(socket.remote.address.toString());
        case Field::Ip: {
            auto either = [&](const auto& range) {
                return range.contains(socket.local.address) ||
                       (!socket.remote.address.isUnspecified() &&
                        range.contains(socket.remote.address));
            };
            return std::any_of(networks.begin(), networks.end(), either) ||
                   std::any_of(intervals.begin(), intervals.end(), either);
        }
        }
        return false;
    }

    bool matches(const Connection& connection, const ProcessRow* owner) const {
        return positiveMatch(connection, owner) != negated;
    }
};

namespace {

// Reads one query left to right. Every error names the byte range it concerns.
class QueryParser {
public:
    explicit QueryParser(std::string_view text) : text_(text) {}

    bool run(std::vector<FilterQuery::Term>& terms, FilterQueryError& error) {
        while (true) {
            while (pos_ < text_.size() && isAsciiSpace(text_[pos_])) {
                ++pos_;
            }
            if (pos_ >= text_.size()) {
                return true;
            }
            FilterQuery::Term term;
            if (!parseTerm(term, error)) {
                return false;
            }
            terms.push_back(std::move(term));
        }
    }

private:
    struct Value {
        std::string text;
        std::size_t position = 0;
        std::size_t length = 0;
        bool quoted = false;
    };

    static bool fail(FilterQueryError& error, FilterErrorKind kind, std::size_t position,
                     std::size_t length, std::string_view subject = {},
                     std::string suggestion = {}) {
        error.kind = kind;
        error.position = position;
        error.length = std::max<std::size_t>(length, 1);
        error.subject = std::string(subject);
        error.suggestion = std::move(suggestion);
        return false;
    }

    std::size_t wordEnd(std::size_t from) const {
        std::size_t end = from;
        while (end < text_.size() && !isAsciiSpace(text_[end])) {
            ++end;
        }
        return end;
    }

    // A quoted string starting at pos_ (which holds '"'); \" and \\ are escapes. In a field's
    // value a comma may follow the closing quote: another alternative comes next.
    bool readQuoted(Value& value, FilterQueryError& error, bool commaMayFollow) {
        const std::size_t open = pos_;
        ++pos_;
        while (pos_ < text_.size()) {
            const char c = text_[pos_];
            if (c == '\\' && pos_ + 1 < text_.size() &&
                (text_[pos_ + 1] == '"' || text_[pos_ + 1] == '\\')) {
                value.text += text_[pos_ + 1];
                pos_ += 2;
                continue;
            }
            if (c == '"') {
                ++pos_;
                if (pos_ < text_.size() && !isAsciiSpace(text_[pos_]) &&
                    !(commaMayFollow && text_[pos_] == ',')) {
                    return fail(error,
                                commaMayFollow ? FilterErrorKind::TextAfterQuoteInValue
                                               : FilterErrorKind::TextAfterQuote,
                                open, wordEnd(pos_) - open);
                }
                value.position = open;
                value.length = pos_ - open;
                value.quoted = true;
                return true;
            }
            value.text += c;
            ++pos_;
        }
        return fail(error, FilterErrorKind::UnclosedQuote, open, text_.size() - open);
    }

    bool readValue(Value& value, FilterQueryError& error) {
        if (pos_ < text_.size() && text_[pos_] == '"') {
            return readQuoted(value, error, false);
        }
        const std::size_t end = wordEnd(pos_);
        value.text = std::string(text_.substr(pos_, end - pos_));
        value.position = pos_;
        value.length = end - pos_;
        pos_ = end;
        return true;
    }

    // A field's value up to the next white space: alternatives separated by commas, each plain
    // or quoted, as in port:80,443 or proc:"my app","x, y".
    bool readAlternatives(std::vector<Value>& parts, FilterQueryError& error) {
        while (true) { // each pass consumes a comma or returns
            Value part;
            if (pos_ < text_.size() && text_[pos_] == '"') {
                if (!readQuoted(part, error, true)) {
                    return false;
                }
            } else {
                std::size_t end = pos_;
                while (end < text_.size() && !isAsciiSpace(text_[end]) && text_[end] != ',') {
                    ++end;
                }
                part.text = std::string(text_.substr(pos_, end - pos_));
                part.position = pos_;
                part.length = end - pos_;
                pos_ = end;
            }
            parts.push_back(std::move(part));
            if (pos_ >= text_.size() || text_[pos_] != ',') {
                return true;
            }
            ++pos_;
        }
    }

    bool parseTerm(FilterQuery::Term& term, FilterQueryError& error) {
        const std::size_t termStart = pos_;
        if (text_[pos_] == '-' || text_[pos_] == '!') {
            term.negated = true;
            ++pos_;
            if (pos_ >= text_.size() || isAsciiSpace(text_[pos_])) {
                return fail(error, FilterErrorKind::NothingToNegate, termStart, 1,
                            text_.substr(termStart, 1));
            }
        }

        std::size_t nameEnd = pos_;
        while (nameEnd < text_.size() && isFieldNameChar(text_[nameEnd])) {
            ++nameEnd;
        }
        const bool looksLikeField =
            nameEnd > pos_ && nameEnd < text_.size() && text_[nameEnd] == ':';
        if (!looksLikeField) {
            Value value;
            if (!readValue(value, error)) {
                return false;
            }
            term.field = Field::Text;
            term.texts.push_back(lowerCase(value.text));
            return true;
        }

        const std::string_view name = text_.substr(pos_, nameEnd - pos_);
        const auto field = fieldOf(name);
        if (!field) {
            const std::size_t end = wordEnd(pos_);
            const std::string_view word = text_.substr(pos_, end - pos_);
            // An IPv6 address such as "dead::1" or "fe80::1" is text, not a field name.
            if (word.find("::") != std::string_view::npos || IpAddress::parse(word)) {
                term.field = Field::Text;
                term.texts.push_back(lowerCase(word));
                pos_ = end;
                return true;
            }
            return fail(error, FilterErrorKind::UnknownField, pos_, nameEnd + 1 - pos_, name,
                        nearestWord(name, kFieldWords));
        }
        term.field = *field;
        pos_ = nameEnd + 1;

        const std::size_t valueStart = pos_;
        std::vector<Value> alternatives;
        if (!readAlternatives(alternatives, error)) {
            return false;
        }
        if (alternatives.size() == 1 && alternatives[0].text.empty()) {
            error.example = example(*field);
            return fail(error, FilterErrorKind::MissingValue, termStart, pos_ - termStart, name);
        }
        for (const Value& part : alternatives) {
            if (part.text.empty()) {
                return fail(error, FilterErrorKind::EmptyAlternative, valueStart, pos_ - valueStart,
                            name);
            }
            if (!parseAlternative(term, part, error)) {
                return false;
            }
        }
        return true;
    }

    static std::string example(Field field) {
        switch (field) {
        case Field::Proc:
            return "proc:sshd";
        case Field::Pid:
            return "pid:1234";
        case Field::Port:
            return "port:443";
        case Field::LocalPort:
            return "lport:22";
        case Field::RemotePort:
            return "rport:80,443";
        case Field::State:
            return "state:listen";
        case Field::Proto:
            return "proto:tcp";
        case Field::Family:
            return "family:6";
        case Field::Scope:
            return "scope:internet";
        case Field::User:
            return "user:root";
        case Field::Host:
            return "host:example.org";
        case Field::Ip:
            return "ip:10.0.0.0/8";
        case Field::Text:
            break;
        }
        return "text";
    }

    // `malformed` and `outOfRange` are the error kinds for this kind of number.
    static bool parseNumberRange(const Value& part, std::uint32_t max, FilterErrorKind malformed,
                                 FilterErrorKind outOfRange,
                                 std::pair<std::uint32_t, std::uint32_t>& range,
                                 FilterQueryError& error) {
        const std::string_view text = part.text;
        const auto dash = text.find('-');
        const auto low = parseNumber<std::uint32_t>(text.substr(0, dash));
        const auto high = dash == std::string_view::npos
                              ? low
                              : parseNumber<std::uint32_t>(text.substr(dash + 1));
        error.maximum = max;
        if (!low || !high) {
            return fail(error, malformed, part.position, part.length, part.text);
        }
        if (*low > max || *high > max) {
            return fail(error, outOfRange, part.position, part.length, part.text);
        }
        if (*high < *low) {
            error.low = *high;
            error.high = *low;
            return fail(error, FilterErrorKind::BackwardsRange, part.position, part.length,
                        part.text);
        }
        range = {*low, *high};
        return true;
    }

    static bool parseAlternative(FilterQuery::Term& term, const Value& part,
                                 FilterQueryError& error) {
        const std::string lower = lowerCase(part.text);
        switch (term.field) {
        case Field::Text:
        case Field::Proc:
        case Field::Host:
            term.texts.push_back(lower);
            return true;
        case Field::User:
            if (const auto uid = parseNumber<std::uint32_t>(lower)) {
                term.uids.push_back(*uid);
            } else {
                term.texts.push_back(lower);
            }
            return true;
        case Field::Pid: {
            std::pair<std::uint32_t, std::uint32_t> range;
            if (!parseNumberRange(
                    part, static_cast<std::uint32_t>(std::numeric_limits<std::int32_t>::max()),
                    FilterErrorKind::NotAProcessId, FilterErrorKind::ProcessIdOutOfRange, range,
                    error)) {
                return false;
            }
            term.numberRanges.push_back(range);
            return true;
        }
        case Field::Port:
        case Field::LocalPort:
        case Field::RemotePort: {
            std::pair<std::uint32_t, std::uint32_t> range;
            if (!parseNumberRange(part, 65535, FilterErrorKind::NotAPort,
                                  FilterErrorKind::PortOutOfRange, range, error)) {
                return false;
            }
            term.numberRanges.push_back(range);
            return true;
        }
        case Field::State:
            if (lower == "closed") {
                term.matchesClosed = true;
                return true;
            }
            if (const auto state = parseSocketState(lower)) {
                term.states.push_back(*state);
                return true;
            }
            return fail(error, FilterErrorKind::UnknownState, part.position, part.length, part.text,
                        nearestWord(part.text, kStateWords));
        case Field::Proto: {
            static constexpr std::array<std::pair<std::string_view, std::pair<int, int>>, 8> kNames{
                {
                    {"tcp", {6, 0}},
                    {"udp", {17, 0}},
                    {"tcp4", {6, 4}},
                    {"tcp6", {6, 6}},
                    {"udp4", {17, 4}},
                    {"udp6", {17, 6}},
                    {"ipv4", {0, 4}},
                    {"ipv6", {0, 6}},
                }};
            for (const auto& [protoName, ids] : kNames) {
                if (protoName == lower) {
                    std::optional<Protocol> protocol;
                    std::optional<Family> family;
                    if (ids.first != 0) {
                        protocol = static_cast<Protocol>(ids.first);
                    }
                    if (ids.second != 0) {
                        family = static_cast<Family>(ids.second);
                    }
                    term.protocols.emplace_back(protocol, family);
                    return true;
                }
            }
            return fail(error, FilterErrorKind::UnknownProtocol, part.position, part.length,
                        part.text, nearestWord(part.text, kProtocolWords));
        }
        case Field::Family:
            if (const auto family = parseFamily(lower)) {
                term.families.push_back(*family);
                return true;
            }
            return fail(error, FilterErrorKind::UnknownFamily, part.position, part.length,
                        part.text);
        case Field::Scope:
            if (const auto scope = parseScope(lower)) {
                term.scopes.push_back(*scope);
                return true;
            }
            return fail(error, FilterErrorKind::UnknownScope, part.position, part.length, part.text,
                        nearestWord(part.text, kScopeWords));
        case Field::Ip: {
            if (part.text.find('-') != std::string::npos) {
                if (const auto interval = parseIpInterval(part.text)) {
                    term.intervals.push_back(*interval);
                    return true;
                }
                return fail(error, FilterErrorKind::BadAddressRange, part.position, part.length,
                            part.text);
            }
            std::string reason;
            if (const auto network = AddressRange::parse(part.text, &reason)) {
                term.networks.push_back(*network);
                return true;
            }
            error.detail = reason;
            return fail(error, FilterErrorKind::BadAddress, part.position, part.length, part.text);
        }
        }
        return false; // every field is handled above
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

} // namespace

FilterQuery::FilterQuery() = default;
FilterQuery::~FilterQuery() = default;
FilterQuery::FilterQuery(const FilterQuery&) = default;
FilterQuery& FilterQuery::operator=(const FilterQuery&) = default;
FilterQuery::FilterQuery(FilterQuery&&) noexcept = default;
FilterQuery& FilterQuery::operator=(FilterQuery&&) noexcept = default;

std::optional<FilterQuery> FilterQuery::parse(std::string_view text, FilterQueryError* error) {
    FilterQuery query;
    FilterQueryError localError;
    QueryParser parser(text);
    if (!parser.run(query.terms_, localError)) {
        localError.message = filterErrorMessage(localError);
        if (error != nullptr) {
            *error = std::move(localError);
        }
        return std::nullopt;
    }
    query.text_ = std::string(text);
    return query;
}

std::string_view knownFilterFields() {
    return kKnownFields;
}

std::string filterErrorMessage(const FilterQueryError& error) {
    const std::string& subject = error.subject;
    const std::string quoted = "'" + subject + "'";
    const std::string didYouMean =
        error.suggestion.empty() ? std::string() : " Did you mean " + error.suggestion;
    const std::string maximum = std::to_string(error.maximum);
    switch (error.kind) {
    case FilterErrorKind::NothingToNegate:
        return quoted + " must be followed by the term to exclude, e.g. -state:time_wait.";
    case FilterErrorKind::TextAfterQuote:
        return "Put a space after the closing quote before the next term.";
    case FilterErrorKind::TextAfterQuoteInValue:
        return "Put a space (next term) or a comma (another alternative) after the closing "
               "quote.";
    case FilterErrorKind::UnclosedQuote:
        return "The quote opened here is never closed; add a closing \".";
    case FilterErrorKind::UnknownField:
        return "Unknown field '" + subject + ":'." +
               (didYouMean.empty() ? std::string() : didYouMean + ":?") +
               " Known fields: " + std::string(kKnownFields) +
               ". To search for text containing ':', put it in quotes.";
    case FilterErrorKind::MissingValue:
        return "'" + subject + ":' needs a value, e.g. " + error.example + ".";
    case FilterErrorKind::EmptyAlternative:
        return "'" + subject + ":' has an empty alternative; remove the extra comma.";
    case FilterErrorKind::NotAPort:
        return quoted + " is not a port (0-" + maximum + ") or a range such as 135-139.";
    case FilterErrorKind::PortOutOfRange:
        return quoted + " is out of range: a port lies within 0-" + maximum + ".";
    case FilterErrorKind::NotAProcessId:
        return quoted + " is not a process id (0-" + maximum + ") or a range such as 100-200.";
    case FilterErrorKind::ProcessIdOutOfRange:
        return quoted + " is out of range: a process id lies within 0-" + maximum + ".";
    case FilterErrorKind::BackwardsRange:
        return "The range " + subject + " is backwards; write " + std::to_string(error.low) + "-" +
               std::to_string(error.high) + ".";
    case FilterErrorKind::UnknownState:
        return quoted + " is not a socket state." +
               (!didYouMean.empty()
                    ? didYouMean + "?"
                    : " Use listen, established, syn_sent, syn_recv, fin_wait1, fin_wait2, "
                      "time_wait, close_wait, last_ack, closing, bound, or closed for "
                      "connections that have gone.");
    case FilterErrorKind::UnknownProtocol:
        return quoted + " is not a protocol." +
               (!didYouMean.empty() ? didYouMean + "?"
                                    : " Use tcp, udp, tcp4, tcp6, udp4 or udp6.");
    case FilterErrorKind::UnknownFamily:
        return quoted + " is not an address family. Use 4, 6, ipv4 or ipv6.";
    case FilterErrorKind::UnknownScope:
        return quoted + " is not a scope." +
               (!didYouMean.empty() ? didYouMean + "?"
                                    : " Use loopback, lan, link-local, private, ula, multicast, "
                                      "internet or any.");
    case FilterErrorKind::BadAddressRange:
        return quoted + " is not a range of addresses: write the lower address first, both of "
                        "one family, e.g. 192.168.0.1-192.168.0.100.";
    case FilterErrorKind::BadAddress:
        return quoted +
               " is not an IP address, a network such as 10.0.0.0/8, or a range such as "
               "192.168.0.1-192.168.0.100" +
               (error.detail.empty() ? std::string(".") : " (" + error.detail + ").");
    }
    return "The filter does not parse.";
}

std::size_t characterNumber(std::string_view text, std::size_t byteOffset) {
    std::size_t number = 1;
    for (std::size_t i = 0; i < byteOffset && i < text.size(); ++i) {
        // Continuation bytes of UTF-8 do not start a character.
        number += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 ? 1 : 0;
    }
    return number;
}

std::string quotedFilterValue(std::string_view value) {
    std::string out = "\"";
    for (const char c : value) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    out += '"';
    return out;
}

bool FilterQuery::empty() const {
    return terms_.empty();
}

bool FilterQuery::matches(const Connection& connection, const ProcessRow* owner) const {
    return std::all_of(terms_.begin(), terms_.end(),
                       [&](const Term& term) { return term.matches(connection, owner); });
}

bool VisibilityToggles::accepts(const Connection& connection) const {
    const Socket& socket = connection.socket;
    if (!tcp && socket.protocol == Protocol::Tcp) {
        return false;
    }
    if (!udp && socket.protocol == Protocol::Udp) {
        return false;
    }
    if (!ipv4 || !ipv6) {
        const Family family = effectiveFamily(socket);
        if ((!ipv4 && family == Family::V4) || (!ipv6 && family == Family::V6)) {
            return false;
        }
    }
    if (!listening && isListening(socket)) {
        return false;
    }
    if (!loopback && socketScope(socket) == AddressScope::Loopback) {
        return false;
    }
    if (!timeWait && socket.state == SocketState::TimeWait) {
        return false;
    }
    return true;
}

} // namespace portscope::core
