// The wording of every finding. The rules hand over data (findings.h); each case below turns
// one rule's messages into the sentences users read, from English templates that a
// FindingWording translates. A template is a whole sentence or clause with %1, %2... for its
// values, never a fragment to be glued to others, so that a language can order the sentence
// its own way.

#include "portscope/core/findings_text.h"

#include "portscope/core/address_scope.h"
#include "portscope/core/text.h"
#include "portscope/core/translatable.h"
#include "portscope/core/units.h"

#include <algorithm>
#include <array>
#include <utility>

namespace portscope::core {

// ------------------------------------------------------------------------ FindingMessage

const FindingFact* FindingMessage::find(std::string_view name) const {
    for (const FindingFact& fact : facts) {
        if (fact.name == name) {
            return &fact;
        }
    }
    return nullptr;
}

std::int64_t FindingMessage::integer(std::string_view name) const {
    const FindingFact* fact = find(name);
    return fact ? fact->integer : 0;
}

double FindingMessage::real(std::string_view name) const {
    const FindingFact* fact = find(name);
    return fact ? fact->real : 0;
}

std::string_view FindingMessage::text(std::string_view name) const {
    const FindingFact* fact = find(name);
    return fact ? std::string_view(fact->text) : std::string_view();
}

namespace {

FindingMessage& add(FindingMessage& message, FindingFact fact) {
    message.facts.push_back(std::move(fact));
    return message;
}

} // namespace

FindingMessage& FindingMessage::count(std::string name, std::uint64_t value) {
    return add(*this,
               {std::move(name), FactType::Count, static_cast<std::int64_t>(value), 0, {}, {}});
}

FindingMessage& FindingMessage::port(std::string name, std::uint16_t value) {
    return add(*this, {std::move(name), FactType::Port, value, 0, {}, {}});
}

FindingMessage& FindingMessage::duration(std::string name, std::int64_t milliseconds) {
    return add(*this, {std::move(name), FactType::Duration, milliseconds, 0, {}, {}});
}

FindingMessage& FindingMessage::perSecond(std::string name, double value) {
    return add(*this, {std::move(name), FactType::PerSecond, 0, value, {}, {}});
}

FindingMessage& FindingMessage::bytes(std::string name, double value) {
    return add(*this, {std::move(name), FactType::Bytes, 0, value, {}, {}});
}

FindingMessage& FindingMessage::address(std::string name, std::string value) {
    return add(*this, {std::move(name), FactType::Address, 0, 0, std::move(value), {}});
}

FindingMessage& FindingMessage::addresses(std::string name, const std::vector<std::string>& all,
                                          std::size_t limit) {
    FindingFact fact{
        std::move(name), FactType::Addresses, static_cast<std::int64_t>(all.size()), 0, {}, {}};
    fact.items.assign(all.begin(),
                      all.begin() + static_cast<std::ptrdiff_t>(std::min(limit, all.size())));
    return add(*this, std::move(fact));
}

FindingMessage& FindingMessage::scope(std::string name, AddressScope value) {
    return add(*this, {std::move(name), FactType::Scope, 0, 0, std::string(toString(value)), {}});
}

FindingMessage& FindingMessage::text(std::string name, std::string value) {
    return add(*this, {std::move(name), FactType::Text, 0, 0, std::move(value), {}});
}

FindingMessage& FindingMessage::flag(std::string name, bool value) {
    return add(*this, {std::move(name), FactType::Flag, value ? 1 : 0, 0, {}, {}});
}

// ------------------------------------------------------------------------------ wording

std::string FindingWording::translate(const char* /*context*/, const char* english) const {
    return english;
}

std::string FindingWording::number(std::string english) const {
    return english;
}

const FindingWording& englishWording() {
    static const FindingWording english;
    return english;
}

std::string substitute(std::string_view pattern, std::initializer_list<std::string_view> args) {
    return substitute(pattern, std::span<const std::string_view>(args.begin(), args.size()),
                      std::string::npos);
}

namespace {

// The length of the UTF-8 character that starts with `lead` (1 for a byte that starts none).
std::size_t utf8Length(unsigned char lead) {
    return lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
}

} // namespace

std::string substitute(std::string_view pattern, std::span<const std::string_view> args,
                       std::size_t maxBytes) {
    std::string out;
    out.reserve(std::min(pattern.size() + 32, maxBytes));
    bool full = false;
    const auto append = [&](std::string_view piece) {
        const std::size_t room = maxBytes - std::min(out.size(), maxBytes);
        full = piece.size() > room;
        out.append(piece.substr(0, room));
    };
    for (std::size_t i = 0; i < pattern.size() && !full; ++i) {
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
    if (full && !out.empty()) {
        // Drop a last character that the limit cut in two.
        std::size_t last = out.size() - 1;
        while (last > 0 && (static_cast<unsigned char>(out[last]) & 0xC0) == 0x80) {
            --last;
        }
        if (out.size() - last < utf8Length(static_cast<unsigned char>(out[last]))) {
            out.resize(last);
        }
    }
    return out;
}

namespace {

// A name made safe for one line of text: control characters and invalid UTF-8 become '?',
// and very long names are cut between characters.
std::string safeName(std::string_view name, std::size_t limit = 64) {
    return excerptForDisplay(name, limit);
}

// One finding being worded in one language: the templates' translations and the values in
// that language's form.
class Words {
public:
    Words(const Finding& finding, const FindingWording& wording)
        : finding_(finding), wording_(wording) {}

    // `english` (a template of the "FindingText" context) translated, with its values.
    std::string say(const char* english, std::initializer_list<std::string_view> args = {}) const {
        return substitute(wording_.translate("FindingText", english), args);
    }
    // `one` when `count` is 1, otherwise `many`, said with its values: the English singular and
    // plural of one sentence, each a whole template that a language translates its own way.
    std::string sayCounted(std::int64_t count, const char* one, const char* many,
                           std::initializer_list<std::string_view> args) const {
        return say(count == 1 ? one : many, args);
    }
    std::string core(const char* english) const { return wording_.translate("CoreText", english); }

    // "nginx (PID 812)", "an unidentified process (uid 1000)", or "a process (PID 812)" when
    // the name is unknown.
    std::string processLabel() const {
        if (!finding_.process.valid()) {
            return finding_.hasUid
                       ? say(PORTSCOPE_TRANSLATABLE("FindingText",
                                                    "an unidentified process (uid %1)"),
                             {std::to_string(finding_.uid)})
                       : say(PORTSCOPE_TRANSLATABLE("FindingText", "an unidentified process"));
        }
        const std::string pid = std::to_string(finding_.process.pid);
        if (finding_.processName.empty()) {
            return say(PORTSCOPE_TRANSLATABLE("FindingText", "a process (PID %1)"), {pid});
        }
        return say(PORTSCOPE_TRANSLATABLE("FindingText", "%1 (PID %2)"),
                   {safeName(finding_.processName), pid});
    }

    // "nginx", or "the process" when the name is unknown.
    std::string processName() const {
        if (!finding_.process.valid() || finding_.processName.empty()) {
            return say(PORTSCOPE_TRANSLATABLE("FindingText", "the process"));
        }
        return safeName(finding_.processName);
    }

    std::string count(const FindingMessage& message, std::string_view name) const {
        return count(static_cast<std::uint64_t>(std::max<std::int64_t>(0, message.integer(name))));
    }
    std::string count(std::uint64_t value) const { return wording_.number(withThousands(value)); }

    // A plain integer without separators: a port, a PID, a uid.
    static std::string number(const FindingMessage& message, std::string_view name) {
        return std::to_string(message.integer(name));
    }

    std::string perSecond(double value) const { return wording_.number(formatPerSecond(value)); }

    // "port 445 (smb)", or "port 8080" when the port has no well-known service.
    std::string port(const FindingMessage& message, std::string_view name = "port") const {
        const auto value = static_cast<std::uint16_t>(message.integer(name));
        const std::string_view service = portServiceName(value);
        return service.empty()
                   ? say(PORTSCOPE_TRANSLATABLE("FindingText", "port %1"), {std::to_string(value)})
                   : say(PORTSCOPE_TRANSLATABLE("FindingText", "port %1 (%2)"),
                         {std::to_string(value), service});
    }

    std::string duration(const FindingMessage& message, std::string_view name) const {
        return duration(message.integer(name));
    }
    std::string duration(std::int64_t milliseconds) const {
        const DurationParts parts = durationParts(milliseconds);
        const std::string amount = wording_.number(parts.amount);
        switch (parts.unit) {
        case DurationParts::Unit::Seconds:
            return say(PORTSCOPE_TRANSLATABLE("FindingText", "%1 s"), {amount});
        case DurationParts::Unit::Minutes:
            return say(PORTSCOPE_TRANSLATABLE("FindingText", "%1 min"), {amount});
        case DurationParts::Unit::Hours:
            break;
        }
        return parts.minutes == 0 ? say(PORTSCOPE_TRANSLATABLE("FindingText", "%1 h"), {amount})
                                  : say(PORTSCOPE_TRANSLATABLE("FindingText", "%1 h %2 min"),
                                        {amount, std::to_string(parts.minutes)});
    }

    std::string byteAmount(double bytes) const {
        const ByteAmountParts parts = byteAmountParts(bytes);
        const std::string amount = wording_.number(parts.amount);
        switch (parts.unit) {
        case ByteAmountParts::Unit::Bytes:
            return say(PORTSCOPE_TRANSLATABLE("FindingText", "%1 bytes"), {amount});
        case ByteAmountParts::Unit::Kilobytes:
            return say(PORTSCOPE_TRANSLATABLE("FindingText", "%1 KB"), {amount});
        case ByteAmountParts::Unit::Megabytes:
            break;
        }
        return say(PORTSCOPE_TRANSLATABLE("FindingText", "%1 MB"), {amount});
    }

    // "a, b, c", or "a, b, c and 9 more" when the list was longer: a sentence that ends in
    // "..." would end in four dots.
    std::string addressList(const FindingMessage& message, std::string_view name) const {
        const FindingFact* fact = message.find(name);
        if (fact == nullptr) {
            return "";
        }
        std::string out = joined(fact->items);
        const auto total = static_cast<std::size_t>(fact->integer);
        if (total > fact->items.size()) {
            out = say(PORTSCOPE_TRANSLATABLE("FindingText", "%1 and %2 more"),
                      {out, count(total - fact->items.size())});
        }
        return out;
    }

    // "a, b, c" with the language's separator.
    std::string joined(const std::vector<std::string>& items) const {
        const std::string separator = say(PORTSCOPE_TRANSLATABLE("FindingText", ", "));
        std::string out;
        for (std::size_t i = 0; i < items.size(); ++i) {
            out += i ? separator : "";
            out += items[i];
        }
        return out;
    }

    // "TcpExt.ListenOverflows +100 (20/s), ..." for the counters that rose.
    std::string risingCounters() const {
        std::vector<std::string> rising;
        for (const EvidenceCounter& counter : finding_.counters) {
            if (counter.increase > 0) {
                rising.push_back(
                    say(PORTSCOPE_TRANSLATABLE("FindingText", "%1 +%2 (%3/s)"),
                        {counter.name, count(counter.increase), perSecond(counter.perSecond)}));
            }
        }
        return joined(rising);
    }

    const Finding& finding() const { return finding_; }

private:
    const Finding& finding_;
    const FindingWording& wording_;
};

// ---------------------------------------------------------------------------- fanout-scan

std::string fanoutSummary(const Words& w, const FindingMessage& m) {
    const std::string who = w.processLabel();
    const std::string hosts = w.count(m, "hosts");
    // When the attempts were already there as monitoring began, how long they took is
    // unknown: no duration rather than a wrong one.
    const std::string elapsed =
        m.flag("under-way-at-start")
            ? w.say(PORTSCOPE_TRANSLATABLE("FindingText", "since before monitoring began"))
            : w.say(PORTSCOPE_TRANSLATABLE("FindingText", "in %1"), {w.duration(m, "elapsed")});
    if (m.key == "fanout-scan.worm-port") {
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                            "%1 tried to connect to %2 different hosts on %3 "
                                            "%4 — typical of a network worm spreading"),
                     {who, hosts, w.port(m), elapsed});
    }
    if (m.key == "fanout-scan.one-port") {
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                            "%1 tried to connect to %2 different hosts on %3 "
                                            "%4 — typical of a network scan"),
                     {who, hosts, w.port(m), elapsed});
    }
    if (m.key == "fanout-scan.many-ports") {
        const std::string ports = Words::number(m, "ports");
        return w.sayCounted(
            m.integer("ports"),
            PORTSCOPE_TRANSLATABLE("FindingText", "%1 tried to connect to %2 different hosts on "
                                                  "%3 port %4 — typical of a network scan"),
            PORTSCOPE_TRANSLATABLE("FindingText", "%1 tried to connect to %2 different hosts on "
                                                  "%3 ports %4 — typical of a network scan"),
            {who, hosts, ports, elapsed});
    }
    return w.say(PORTSCOPE_TRANSLATABLE(
                     "FindingText",
                     "%1 tried to connect to %2 different hosts %3 — typical of a network scan"),
                 {who, hosts, elapsed});
}

std::string fanoutDetail(const Words& w, const FindingMessage& m) {
    if (m.key == "fanout-scan.ports-unknown") {
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                            "The kernel did not report the ports: a connect that "
                                            "fails while the program waits for it forgets its "
                                            "port."));
    }
    if (m.key == "fanout-scan.attempts") {
        // "0 failed" says nothing: the sentence then stops at the waiting ones.
        return m.integer("failed") == 0
                   ? w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                                  "%1 connection attempts are waiting for an "
                                                  "answer (SYN_SENT)."),
                           {w.count(m, "waiting")})
                   : w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                                  "%1 connection attempts are waiting for an "
                                                  "answer (SYN_SENT); %2 failed between two "
                                                  "polls."),
                           {w.count(m, "waiting"), w.count(m, "failed")});
    }
    if (m.key == "fanout-scan.hosts-tried") {
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText", "Hosts tried: %1."),
                     {w.addressList(m, "hosts")});
    }
    return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                        "The kernel reported these attempts only as they closed, "
                                        "so the process behind them is unknown; the socket "
                                        "belonged to uid %1."),
                 {Words::number(m, "uid")});
}

// ------------------------------------------------------------------------------ syn-flood

std::string synFloodSummary(const Words& w, const FindingMessage& m) {
    if (m.key == "syn-flood.half-open") {
        return w.sayCounted(
            m.integer("sources"),
            PORTSCOPE_TRANSLATABLE("FindingText", "%1 has %2 half-open connections (SYN_RECV) "
                                                  "waiting on %3 from %4 address — typical of a "
                                                  "SYN flood against this service"),
            PORTSCOPE_TRANSLATABLE("FindingText", "%1 has %2 half-open connections (SYN_RECV) "
                                                  "waiting on %3 from %4 addresses — typical of a "
                                                  "SYN flood against this service"),
            {w.processLabel(), w.count(m, "half-open"), w.port(m), w.count(m, "sources")});
    }
    if (m.key == "syn-flood.queue-full") {
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                            "The kernel's SYN-queue counters are rising (%1) and "
                                            "%2 has a full accept queue on %3 — a SYN flood, or a "
                                            "service too slow to accept its connections"),
                     {w.risingCounters(), w.processLabel(), w.port(m)});
    }
    if (m.key == "syn-flood.most-half-open") {
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                            "The kernel's SYN-queue counters are rising (%1) and "
                                            "%2 holds the most half-open connections, on %3 — "
                                            "typical of a SYN flood"),
                     {w.risingCounters(), w.processLabel(), w.port(m)});
    }
    return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                        "The kernel's SYN-queue counters are rising (%1) — this "
                                        "machine is probably receiving a SYN flood"),
                 {w.risingCounters()});
}

std::string synFloodDetail(const Words& w, const FindingMessage& m) {
    if (m.key == "syn-flood.sources") {
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText", "Sources include %1."),
                     {w.addressList(m, "sources")});
    }
    if (m.key == "syn-flood.counters-rising") {
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                            "The kernel's SYN-queue counters are rising too: "
                                            "%1."),
                     {w.risingCounters()});
    }
    if (m.key == "syn-flood.accept-queue") {
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                            "The listener's accept queue holds %1 of %2 "
                                            "connections."),
                     {Words::number(m, "queued"), Words::number(m, "backlog")});
    }
    return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                        "No listener holds half-open connections right now: with "
                                        "SYN cookies the kernel answers a flood without keeping "
                                        "them."));
}

std::string synFloodAction(const Words& w, const FindingMessage& m) {
    if (m.key == "syn-flood.host") {
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                            "Find the source with a packet capture or the "
                                            "firewall log; keep SYN cookies on "
                                            "(net.ipv4.tcp_syncookies=1) and rate-limit new "
                                            "connections."));
    }
    return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                        "Find where the half-open connections come from; keep "
                                        "SYN cookies on (net.ipv4.tcp_syncookies=1), rate-limit "
                                        "new connections to port %1 in the firewall, or ask your "
                                        "network provider to filter the flood."),
                 {Words::number(m, "port")});
}

// -------------------------------------------------------------------- long-lived-external

std::string longLivedSummary(const Words& w, const FindingMessage& m) {
    const std::string age =
        m.flag("open-at-start")
            ? w.say(PORTSCOPE_TRANSLATABLE("FindingText", "at least %1"), {w.duration(m, "age")})
            : w.duration(m, "age");
    const std::string remote(m.text("remote"));
    std::string out;
    if (m.key == "long-lived-external.one") {
        const std::string_view service =
            portServiceName(static_cast<std::uint16_t>(m.integer("port")));
        out = service.empty()
                  ? w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                                 "%1 has kept a connection to %2 open for %3"),
                          {w.processLabel(), remote, age})
                  : w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                                 "%1 has kept a connection to %2 (%3) open for "
                                                 "%4"),
                          {w.processLabel(), remote, service, age});
    } else {
        out = w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                           "%1 has kept %2 connections to %3 open for up to %4"),
                    {w.processLabel(), Words::number(m, "connections"), remote, age});
    }
    const std::string_view traffic = m.text("traffic");
    if (traffic == "beacon") {
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                            "%1; its traffic is low and periodic (about %2 every "
                                            "%3), as a beacon to a control server would be"),
                     {out, w.byteAmount(m.real("bytes-per-burst")), w.duration(m, "period")});
    }
    if (traffic == "low") {
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                            "%1; its traffic is low (%2 per second on average) "
                                            "but not periodic"),
                     {out, w.byteAmount(m.real("bytes-per-second"))});
    }
    return w.say(PORTSCOPE_TRANSLATABLE("FindingText", "%1; it moves %2 per second on average"),
                 {out, w.byteAmount(m.real("bytes-per-second"))});
}

std::string longLivedDetail(const Words& w, const FindingMessage& m) {
    if (m.key == "long-lived-external.open-at-start") {
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                            "It was already open when monitoring began, so it "
                                            "may be older than that."));
    }
    return w.say(PORTSCOPE_TRANSLATABLE("FindingText", "%1 is a global (Internet) address."),
                 {m.text("remote")});
}

// --------------------------------------------------------------------------- new-listener

std::string newListenerSummary(const Words& w, const FindingMessage& m) {
    const FindingFact* addresses = m.find("addresses");
    std::string list;
    if (addresses != nullptr && !addresses->items.empty()) {
        const auto& items = addresses->items;
        list = items.size() == 1
                   ? items.front()
                   : w.say(PORTSCOPE_TRANSLATABLE("FindingText", "%1 and %2"),
                           {w.joined({items.begin(), items.end() - 1}), items.back()});
    }
    const std::string who = w.processLabel();
    const std::string_view protocol = m.text("protocol");
    if (m.key == "new-listener.all-interfaces") {
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                            "%1 started listening on %2 %3 on all interfaces "
                                            "(%4), so every network this machine is connected to "
                                            "can reach it"),
                     {who, protocol, w.port(m), list});
    }
    if (m.key == "new-listener.one-address") {
        const auto scope = parseAddressScope(m.text("scope"));
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText", "%1 started listening on %2 %3 on %4 "
                                                           "only (%5)"),
                     {who, protocol, w.port(m), list,
                      w.core(describe(scope.value_or(AddressScope::Global)).data())});
    }
    return w.say(PORTSCOPE_TRANSLATABLE("FindingText", "%1 started listening on %2 %3 on %4"),
                 {who, protocol, w.port(m), list});
}

std::string newListenerDetail(const Words& w, const FindingMessage& m) {
    if (m.key == "new-listener.all-interfaces-exposed") {
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                            "Listening on all interfaces is the most exposed "
                                            "choice: Wi-Fi, VPN and any future network "
                                            "included."));
    }
    return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                        "Listening on one address limits who can connect to the "
                                        "networks behind that address."));
}

// ------------------------------------------------------------------------ suspicious-port

// What a suspicious port is known for, as an English template; nullptr for none.
const char* suspiciousPortUse(std::uint16_t port) {
    switch (port) {
    case 1243:
    case 27374:
        return PORTSCOPE_TRANSLATABLE("FindingText", "the SubSeven backdoor");
    case 1337:
        return PORTSCOPE_TRANSLATABLE("FindingText", "backdoors and hacking tools (\"leet\")");
    case 2745:
        return PORTSCOPE_TRANSLATABLE("FindingText", "the Bagle worm's backdoor");
    case 3127:
        return PORTSCOPE_TRANSLATABLE("FindingText", "the MyDoom worm's backdoor");
    case 4444:
        return PORTSCOPE_TRANSLATABLE("FindingText",
                                      "Metasploit's default reverse shell and the Blaster worm");
    case 5554:
    case 9996:
        return PORTSCOPE_TRANSLATABLE("FindingText", "the Sasser worm");
    case 6666:
    case 6667:
    case 6668:
    case 6669:
    case 6697:
        return PORTSCOPE_TRANSLATABLE("FindingText", "IRC, the command channel of many bots");
    case 12345:
    case 12346:
        return PORTSCOPE_TRANSLATABLE("FindingText", "the NetBus backdoor");
    case 20034:
        return PORTSCOPE_TRANSLATABLE("FindingText", "the NetBus 2 backdoor");
    case 31337:
        return PORTSCOPE_TRANSLATABLE("FindingText",
                                      "Back Orifice and other backdoors (\"elite\")");
    case 54320:
    case 54321:
        return PORTSCOPE_TRANSLATABLE("FindingText", "the Back Orifice 2000 backdoor");
    default:
        return nullptr;
    }
}

std::string suspiciousPortSummary(const Words& w, const FindingMessage& m) {
    const char* use = suspiciousPortUse(static_cast<std::uint16_t>(m.integer("port")));
    const std::string why =
        use == nullptr ? w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                                      "a port in your list of suspicious ports"))
                       : w.say(PORTSCOPE_TRANSLATABLE("FindingText", "a port commonly used by %1"),
                               {w.say(use)});
    const std::string port = Words::number(m, "port");
    if (m.key == "suspicious-port.listening") {
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText", "%1 is listening on %2 port %3 (%4) — "
                                                           "%5"),
                     {w.processLabel(), m.text("protocol"), port, m.text("local"), why});
    }
    if (m.key == "suspicious-port.connected") {
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText", "%1 is connected to %2 — port %3 is %4"),
                     {w.processLabel(), m.text("remote"), port, why});
    }
    return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                        "%1 has %2 connections to port %3 (%4 and others) — %5"),
                 {w.processLabel(), Words::number(m, "connections"), port, m.text("remote"), why});
}

std::string suspiciousPortAction(const Words& w, const FindingMessage& m) {
    if (m.key == "suspicious-port.listening") {
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                            "Find out why %1 opens this port; if you do not know "
                                            "the program, end it and scan the machine for "
                                            "malware."),
                     {w.processName()});
    }
    return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                        "Unless you use this service on purpose, end %1 and scan "
                                        "the machine for malware."),
                 {w.processName()});
}

// ----------------------------------------------------------------------- connection-surge

std::string surgeSummary(const Words& w, const FindingMessage& m) {
    const std::string mostly = m.has("mostly-port")
                                   ? w.say(PORTSCOPE_TRANSLATABLE("FindingText", ", mostly to %1"),
                                           {w.port(m, "mostly-port")})
                                   : "";
    if (m.key == "connection-surge.fast") {
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                            "%1 opened %2 new connections in %3 (%4 per "
                                            "second)%5 and now holds %6 sockets — a surge like "
                                            "this can fill a router's NAT table"),
                     {w.processLabel(), w.count(m, "added"), w.duration(m, "elapsed"),
                      w.perSecond(m.real("rate")), mostly, w.count(m, "open")});
    }
    return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                        "%1 went from %2 to %3 open sockets within %4%5 — a surge "
                                        "like this can fill a router's NAT table"),
                 {w.processLabel(), w.count(m, "lowest"), w.count(m, "open"),
                  w.duration(m, "window"), mostly});
}

std::string surgeDetail(const Words& w, const FindingMessage& m) {
    return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                        "Open sockets: %1 (lowest in the window %2); new "
                                        "connections in the window: %3."),
                 {w.count(m, "open"), w.count(m, "lowest"), w.count(m, "added")});
}

// ----------------------------------------------------------------------------- masquerade

// The reason's clause, after "nginx (PID 812)" in the summary and after "It" in a detail.
std::string masqueradeReason(const Words& w, const FindingMessage& m) {
    const std::string exe = safeName(m.text("exe"), 200);
    if (m.key == "masquerade.kernel-thread-name") {
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                            "uses the name of a kernel thread but runs the "
                                            "program %1 — real kernel threads have no program "
                                            "file"),
                     {exe});
    }
    if (m.key == "masquerade.imitates") {
        return w.sayCounted(
            m.integer("distance"),
            PORTSCOPE_TRANSLATABLE("FindingText", "imitates the system process %1: the names "
                                                  "differ by %2 letter — malware hides behind "
                                                  "names like this"),
            PORTSCOPE_TRANSLATABLE("FindingText", "imitates the system process %1: the names "
                                                  "differ by %2 letters — malware hides behind "
                                                  "names like this"),
            {m.text("imitated"), Words::number(m, "distance")});
    }
    if (m.key == "masquerade.system-name-elsewhere") {
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                            "carries the name of the system process %1 but runs "
                                            "from %2, not from a system directory"),
                     {m.text("imitated"), exe});
    }
    if (m.key == "masquerade.deleted-executable") {
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                            "runs from an executable that has been deleted (%1) — "
                                            "malware deletes its file to hide; a software update "
                                            "that replaced the file does this too"),
                     {exe});
    }
    return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                        "runs from %1, in %2, a directory anyone can write to"),
                 {exe, safeName(m.text("directory"))});
}

std::string masqueradeDetail(const Words& w, const FindingMessage& m) {
    if (m.key == "masquerade.command-line") {
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText", "Command line: %1"),
                     {safeName(m.text("command-line"), 200)});
    }
    if (m.key == "masquerade.parent") {
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText", "Parent process: PID %1."),
                     {Words::number(m, "pid")});
    }
    return w.say(PORTSCOPE_TRANSLATABLE("FindingText", "It %1."), {masqueradeReason(w, m)});
}

// --------------------------------------------------------------------------- inbound-scan

std::string inboundScanSummary(const Words& w, const FindingMessage& m) {
    const std::vector<std::string> rates{
        w.count(m, "probes"), w.duration(m, "elapsed"), w.perSecond(m.real("tcp-resets")),
        w.perSecond(m.real("udp-closed-ports")), w.perSecond(m.real("icmp-unreachables"))};
    if (m.has("source")) {
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                            "This machine turned away %1 probes of closed ports "
                                            "in %2 (TCP resets %3/s, UDP datagrams to closed "
                                            "ports %4/s, ICMP port unreachables %5/s) — typical "
                                            "of a port scan against it, most of them from %6"),
                     {rates[0], rates[1], rates[2], rates[3], rates[4], m.text("source")});
    }
    return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                        "This machine turned away %1 probes of closed ports in %2 "
                                        "(TCP resets %3/s, UDP datagrams to closed ports %4/s, "
                                        "ICMP port unreachables %5/s) — typical of a port scan "
                                        "against it"),
                 {rates[0], rates[1], rates[2], rates[3], rates[4]});
}

// "312 closed TCP ports", "1 closed UDP port".
std::string closedPorts(const Words& w, const FindingMessage& m, std::string_view name, bool tcp) {
    const std::int64_t ports = m.integer(name);
    const std::string count = w.count(m, name);
    return tcp ? w.sayCounted(ports, PORTSCOPE_TRANSLATABLE("FindingText", "%1 closed TCP port"),
                              PORTSCOPE_TRANSLATABLE("FindingText", "%1 closed TCP ports"), {count})
               : w.sayCounted(ports, PORTSCOPE_TRANSLATABLE("FindingText", "%1 closed UDP port"),
                              PORTSCOPE_TRANSLATABLE("FindingText", "%1 closed UDP ports"),
                              {count});
}

std::string inboundScanDetail(const Words& w, const FindingMessage& m) {
    if (m.key == "inbound-scan.source") {
        // "203.0.113.9 probed 312 closed TCP ports and 4 closed UDP ports (316 packets turned
        // away)."
        const bool tcp = m.integer("tcp-ports") > 0;
        const bool udp = m.integer("udp-ports") > 0;
        std::string ports;
        if (tcp && udp) {
            ports = w.say(
                PORTSCOPE_TRANSLATABLE("FindingText", "%1 and %2"),
                {closedPorts(w, m, "tcp-ports", true), closedPorts(w, m, "udp-ports", false)});
        } else {
            ports =
                tcp ? closedPorts(w, m, "tcp-ports", true) : closedPorts(w, m, "udp-ports", false);
        }
        return w.sayCounted(
            m.integer("probes"),
            PORTSCOPE_TRANSLATABLE("FindingText", "%1 probed %2 (%3 packet turned away)."),
            PORTSCOPE_TRANSLATABLE("FindingText", "%1 probed %2 (%3 packets turned away)."),
            {m.text("source"), ports, w.count(m, "probes")});
    }
    if (m.key == "inbound-scan.more-sources") {
        return w.say(PORTSCOPE_TRANSLATABLE("FindingText", "And %1 more sources."),
                     {w.count(m, "sources")});
    }
    // inbound-scan.namespace-wide
    return w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                        "These counters are kept by the kernel for the whole "
                                        "network namespace; they say that probes arrived, not "
                                        "from where."));
}

using DetailWords = std::string (*)(const Words&, const FindingMessage&);

std::vector<std::string> detailsOf(const Words& w, DetailWords detail) {
    std::vector<std::string> out;
    for (const FindingMessage& message : w.finding().evidence) {
        out.push_back(detail(w, message));
    }
    return out;
}

} // namespace

std::string wordDuration(std::int64_t milliseconds, const FindingWording& wording) {
    const Finding none;
    return Words(none, wording).duration(milliseconds);
}

std::string ruleTitle(std::string_view ruleId) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kTitles{{
        {rules::kFanoutScan, "Outbound fan-out scan"},
        {rules::kSynFlood, "SYN flood"},
        {rules::kLongLivedExternal, "Long-lived external connection"},
        {rules::kNewListener, "New listener"},
        {rules::kSuspiciousPort, "Connection on a suspicious port"},
        {rules::kConnectionSurge, "Connection surge"},
        {rules::kMasquerade, "Process imitating a system process"},
        {rules::kInboundScan, "Inbound port scan"},
    }};
    for (const auto& [id, title] : kTitles) {
        if (id == ruleId) {
            return std::string(title);
        }
    }
    return std::string(ruleId);
}

FindingText renderFindingText(const Finding& f, const FindingWording& wording) {
    const Words w(f, wording);
    FindingText text;
    const FindingMessage& m = f.headline;
    const std::string_view rule = f.ruleId;
    if (rule == rules::kFanoutScan) {
        text.summary = fanoutSummary(w, m);
        text.action = w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                                   "Unless %1 is a scanner you run on purpose, "
                                                   "disconnect this machine from the network, end "
                                                   "the process and check the machine with an "
                                                   "up-to-date malware scanner."),
                            {w.processName()});
        text.details = detailsOf(w, fanoutDetail);
    } else if (rule == rules::kSynFlood) {
        text.summary = synFloodSummary(w, m);
        text.action = synFloodAction(w, m);
        text.details = detailsOf(w, synFloodDetail);
    } else if (rule == rules::kLongLivedExternal) {
        text.summary = longLivedSummary(w, m);
        text.action = w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                                   "If you do not know why %1 keeps this "
                                                   "connection open, look the address up (whois, "
                                                   "reputation services); a program you do not "
                                                   "recognise that beacons like this should be "
                                                   "ended and the machine scanned."),
                            {w.processName()});
        text.details = detailsOf(w, longLivedDetail);
    } else if (rule == rules::kNewListener) {
        text.summary = newListenerSummary(w, m);
        text.action = w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                                   "If you did not expect %1 to accept "
                                                   "connections, stop it or block port %2 in the "
                                                   "firewall; a service that only this machine "
                                                   "uses should listen on 127.0.0.1."),
                            {w.processName(), Words::number(m, "port")});
        text.details = detailsOf(w, newListenerDetail);
    } else if (rule == rules::kSuspiciousPort) {
        text.summary = suspiciousPortSummary(w, m);
        text.action = suspiciousPortAction(w, m);
    } else if (rule == rules::kConnectionSurge) {
        text.summary = surgeSummary(w, m);
        text.action = w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                                   "If %1 should not open this many connections, "
                                                   "end it: a worm or a misbehaving program can "
                                                   "exhaust the router's NAT table and cut the "
                                                   "whole network off."),
                            {w.processName()});
        text.details = detailsOf(w, surgeDetail);
    } else if (rule == rules::kMasquerade) {
        text.summary = w.say(PORTSCOPE_TRANSLATABLE("FindingText", "%1 %2"),
                             {w.processLabel(), masqueradeReason(w, m)});
        text.action = w.say(PORTSCOPE_TRANSLATABLE("FindingText",
                                                   "Check the program file (its path, hash and "
                                                   "signature) and the parent that started it; if "
                                                   "it is not a program you installed, end it and "
                                                   "scan the machine."));
        text.details = detailsOf(w, masqueradeDetail);
    } else if (rule == rules::kInboundScan) {
        text.summary = inboundScanSummary(w, m);
        text.action =
            w.say(PORTSCOPE_TRANSLATABLE("FindingText", "Find the scanning address with a packet "
                                                        "capture or the firewall log and block it; "
                                                        "make sure only the services you need are "
                                                        "listening."));
        text.details = detailsOf(w, inboundScanDetail);
    }
    return text;
}

} // namespace portscope::core
