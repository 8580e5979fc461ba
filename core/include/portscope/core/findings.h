#pragma once
// Findings: behaviour worth a user's attention (a process scanning the network, a SYN flood,
// a process imitating a system process...), explained in plain words with the evidence
// behind them. The rules that raise them live in findings_engine.h; these are the values
// every view shares, carried in each Update.

#include "portscope/core/address_scope.h"
#include "portscope/core/model.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace portscope::core {

enum class Severity : std::uint8_t { Info = 0, Low, Medium, High };
std::string_view toString(Severity severity); // "info", "low", "medium", "high"

// Stable rule IDs; documented in docs/findings.md.
namespace rules {
inline constexpr std::string_view kFanoutScan = "fanout-scan";
inline constexpr std::string_view kSynFlood = "syn-flood";
inline constexpr std::string_view kLongLivedExternal = "long-lived-external";
inline constexpr std::string_view kNewListener = "new-listener";
inline constexpr std::string_view kSuspiciousPort = "suspicious-port";
inline constexpr std::string_view kConnectionSurge = "connection-surge";
inline constexpr std::string_view kMasquerade = "masquerade";
inline constexpr std::string_view kInboundScan = "inbound-scan";
} // namespace rules

// Assigned when a finding is raised; never reused within one findings engine.
using FindingId = std::uint64_t;

// A socket behind a finding, as it was when last seen.
struct EvidenceSocket {
    std::uint64_t connection = 0; // the tracker's ConnectionId; the row may have expired since
    Protocol protocol = Protocol::Tcp;
    SocketState state = SocketState::Unknown;
    Endpoint local;
    Endpoint remote;
    bool open = true;
    bool shortLived = false; // known only from the kernel's close event
    std::uint64_t netns = 0;
    AddressScope remoteScope = AddressScope::Unspecified; // with the user's declared ranges
    bool operator==(const EvidenceSocket&) const = default;
};

// One typed value a finding's sentences quote: "hosts" = 12 (a count), "port" = 445, "window"
// = 10 s. The values are data; only renderFindingText() (findings_text.h) turns them into
// English, so another front end can word them in another language.
enum class FactType : std::uint8_t {
    Count,     // integer
    Port,      // integer, 0-65535
    Duration,  // integer milliseconds
    PerSecond, // real: events per second
    Bytes,     // real: bytes, or bytes per second where the name says so
    Address,   // text: an IP address, or an endpoint "address:port"
    Addresses, // items: the first addresses of a list; integer: how many in all
    Scope,     // text: an AddressScope's stable name ("private")
    Text,      // text: a protocol, program path, process name or command line, unescaped
    Flag,      // integer 0 or 1
};

struct FindingFact {
    std::string name;
    FactType type = FactType::Count;
    std::int64_t integer = 0;
    double real = 0;
    std::string text;
    std::vector<std::string> items;
    bool operator==(const FindingFact&) const = default;
};

// One sentence of a finding as data: which sentence (key, stable, such as
// "fanout-scan.one-port") and the facts it quotes.
struct FindingMessage {
    std::string key;
    std::vector<FindingFact> facts;

    const FindingFact* find(std::string_view name) const;
    bool has(std::string_view name) const { return find(name) != nullptr; }
    std::int64_t integer(std::string_view name) const;  // 0 when absent
    double real(std::string_view name) const;           // 0 when absent
    std::string_view text(std::string_view name) const; // "" when absent
    bool flag(std::string_view name) const { return integer(name) != 0; }

    FindingMessage& count(std::string name, std::uint64_t value);
    FindingMessage& port(std::string name, std::uint16_t value);
    FindingMessage& duration(std::string name, std::int64_t milliseconds);
    FindingMessage& perSecond(std::string name, double value);
    FindingMessage& bytes(std::string name, double value);
    FindingMessage& address(std::string name, std::string value);
    // At most `limit` of them are kept; the count of all is kept too.
    FindingMessage& addresses(std::string name, const std::vector<std::string>& all,
                              std::size_t limit);
    FindingMessage& scope(std::string name, AddressScope value);
    FindingMessage& text(std::string name, std::string value);
    FindingMessage& flag(std::string name, bool value);

    bool operator==(const FindingMessage&) const = default;
};

// A host counter behind a finding (netstat -s name such as "Tcp.OutRsts").
struct EvidenceCounter {
    std::string name;
    std::uint64_t value = 0;    // as last read
    std::uint64_t increase = 0; // over the rule's window
    double perSecond = 0;       // over the rule's window
    bool operator==(const EvidenceCounter&) const = default;
};

struct Finding {
    FindingId id = 0;
    std::string ruleId; // one of rules::k...
    // What the finding is about within its rule and process ("port 445", "203.0.113.7",
    // "tcp 0.0.0.0:8080"); rule, process and subject together identify a finding.
    std::string subject;
    Severity severity = Severity::Medium;

    // The process it concerns; pid 0 for a finding about the whole host, or when the
    // owner could not be identified (then `uid` may say whose it was).
    ProcessKey process;
    std::string processName;
    std::string exePath;
    bool hasUid = false;
    std::uint32_t uid = 0;

    // What the rule found, as data: the summary's sentence with its facts, and one message
    // per further fact (the evidence behind it).
    FindingMessage headline;
    std::vector<FindingMessage> evidence;

    // The English text of the above, from renderFindingText(); what JSON, CSV, HTML, the CLI
    // and the GUI show.
    std::string summary;              // one sentence, naming the process and what it did
    std::string action;               // what to do about it
    std::vector<std::string> details; // one short sentence per evidence message

    std::vector<EvidenceSocket> sockets; // at most kMaxEvidenceSockets, the most recent first
    std::size_t socketsTotal = 0;        // how many sockets are behind it in all
    std::vector<EvidenceCounter> counters;

    // The measure the rule compares with its threshold (distinct hosts, SYN_RECV sockets,
    // minutes open...). A finding is re-announced when it grows materially.
    double magnitude = 0;
    std::int64_t firstSeenUnixMs = 0;
    std::int64_t lastSeenUnixMs = 0; // the last update in which the rule still saw it
    std::uint32_t revision = 1;      // 1 when raised; +1 each time it is re-announced

    static constexpr std::size_t kMaxEvidenceSockets = 20;

    bool concernsHost() const { return !process.valid(); }
    bool operator==(const Finding&) const = default;
};

// One netstat -s counter with its rate over the last update interval, for the statistics
// view. `findings` lists the rule IDs of active findings that cite the counter.
struct CounterRate {
    std::string name; // "Tcp.OutRsts"
    std::int64_t value = 0;
    bool hasRate = false; // false on the first sample and after a gap in the counters
    double perSecond = 0;
    std::vector<std::string> findings;
    bool flagged() const { return !findings.empty(); }
    bool operator==(const CounterRate&) const = default;
};

// A JSON object for one finding; field names are listed in docs/findings.md and are stable.
std::string findingJson(const Finding& finding);

} // namespace portscope::core
