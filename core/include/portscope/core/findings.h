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

    std::string summary;              // one sentence, naming the process and what it did
    std::string action;               // what to do about it
    std::vector<std::string> details; // further facts, one short sentence each

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
