#pragma once
// Thresholds of the findings rules and the user's address ranges, with a small INI-style
// file format documented in docs/findings.md:
//
//   [fanout-scan]
//   hosts = 10
//   window = 10s
//   [scope]
//   internal = 10.20.0.0/16, fd12:3456::/48
//
// A bad value never stops PortScope: it is reported with the key that holds it, and that
// key keeps its default while every good key applies. A list holds at most
// kMaxConfigListItems items, and at most kMaxConfigProblems problems are listed one by one,
// so no file of the 1 MiB allowed costs more than a few megabytes to read.

#include "portscope/core/address_scope.h"
#include "portscope/core/port_set.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace portscope::core {

using Milliseconds = std::chrono::milliseconds;

inline constexpr std::size_t kMaxConfigBytes = 1 << 20;
inline constexpr std::size_t kMaxConfigListItems = 1024;
inline constexpr std::size_t kMaxConfigProblems = 100;

struct FindingsGeneralConfig {
    // How long a finding stays listed after its rule last saw the condition.
    Milliseconds clearAfter{30'000};
    // A finding is re-announced when its magnitude grew by this factor since it was last
    // announced (or its severity rose).
    double updateGrowth = 1.5;
};

struct ScopeConfig {
    std::vector<AddressRange> internal; // the organisation's own ranges: count as LAN
    std::vector<AddressRange> external; // ranges to treat as the Internet
};

struct FanoutScanConfig {
    bool enabled = true;
    std::uint32_t hosts = 10; // distinct remote hosts
    Milliseconds window{10'000};
    // Ports worms spread through; a scan of one of them is rated high.
    PortSet wormPorts{22, 23, 135, 139, 445, 1433, 3389, 5900};
};

struct SynFloodConfig {
    bool enabled = true;
    std::uint32_t synRecv = 50; // half-open connections on one listener
    // Increase per second of TCPReqQFullDrop + TCPReqQFullDoCookies + SyncookiesSent +
    // ListenOverflows, averaged over `window`.
    double counterRate = 20;
    Milliseconds window{5'000};
};

struct LongLivedExternalConfig {
    bool enabled = true;
    Milliseconds minAge{30 * 60'000};
    double lowRate = 256; // bytes per second, both directions, below which traffic is "low"
};

struct NewListenerConfig {
    bool enabled = true;
    bool udp = true; // also UDP sockets bound without a peer
    // UDP ports at or above this are ephemeral client ports, not services.
    std::uint32_t udpPortBelow = 32768;
};

struct SuspiciousPortConfig {
    bool enabled = true;
    PortSet ports{1243, 1337, 2745,  3127,  4444,  5554,  6666,  6667,  6668, 6669,
                  6697, 9996, 12345, 12346, 20034, 27374, 31337, 54320, 54321};
};

struct ConnectionSurgeConfig {
    bool enabled = true;
    std::uint32_t openIncrease = 1000; // more open sockets than `window` ago
    double newPerSecond = 100;         // new connections per second, averaged over `window`
    Milliseconds window{10'000};
};

struct MasqueradeConfig {
    bool enabled = true;
    // Further names to protect, beside the built-in Windows and Linux system processes.
    std::vector<std::string> names;
    // Edit distance at which a name of 8 or more characters counts as an imitation;
    // shorter names allow 1.
    std::uint32_t maxDistance = 2;
    // Directories anyone can write to; an executable inside one is flagged. A prefix match,
    // case-insensitive; an entry starting with '*' matches anywhere in the path.
    std::vector<std::string> writableDirs{
        "/tmp/",       "/var/tmp/",           "/dev/shm/",           "/run/shm/",
        "/var/crash/", "C:\\Windows\\Temp\\", "C:\\Users\\Public\\", "*\\AppData\\Local\\Temp\\"};
};

struct InboundScanConfig {
    bool enabled = true;
    // Per second, averaged over `window`.
    double outRsts = 50;          // Tcp.OutRsts: resets sent for connections to closed ports
    double udpNoPorts = 50;       // Udp.NoPorts: datagrams to closed UDP ports
    double icmpUnreachables = 50; // Icmp.OutDestUnreachs
    Milliseconds window{5'000};
};

struct FindingsConfig {
    FindingsGeneralConfig general;
    ScopeConfig scope;
    FanoutScanConfig fanoutScan;
    SynFloodConfig synFlood;
    LongLivedExternalConfig longLivedExternal;
    NewListenerConfig newListener;
    SuspiciousPortConfig suspiciousPort;
    ConnectionSurgeConfig connectionSurge;
    MasqueradeConfig masquerade;
    InboundScanConfig inboundScan;

    ScopeClassifier classifier() const { return ScopeClassifier(scope.internal, scope.external); }
};

// A problem found while reading a config: the key ("fanout-scan.hosts"; empty for a line
// that is not a key at all), where, and a sentence that says what is wrong and what stays in
// force.
struct ConfigProblem {
    std::string key;
    std::size_t line = 0; // 0 when the problem is not tied to a line
    std::string message;
};

struct FindingsConfigLoad {
    FindingsConfig config;
    std::vector<ConfigProblem> problems;
    bool ok() const { return problems.empty(); }
};

FindingsConfigLoad parseFindingsConfig(std::string_view text);
// A file that cannot be read is a problem too; the defaults stay in force.
FindingsConfigLoad loadFindingsConfig(const std::string& path);
// "FILE line 12: fanout-scan.hosts: ..." for a message to users.
std::string formatProblem(const ConfigProblem& problem, std::string_view source);
// The documented config with every key at its default; parsing it gives the defaults.
std::string defaultFindingsConfigText();

} // namespace portscope::core
