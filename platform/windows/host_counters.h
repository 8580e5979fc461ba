#pragma once
// The `netstat -s` counters on Windows: GetTcpStatisticsEx, GetUdpStatisticsEx and
// GetIcmpStatisticsEx, for IPv4 and IPv6.

#include "portscope/core/model.h"
#include "windows/iphlpapi_headers.h"

#include <optional>
#include <string>
#include <vector>

namespace portscope::platform::winsys {

// What the three calls returned for each family; a call that failed leaves its slot empty.
struct MibCounters {
    std::optional<MIB_TCPSTATS> tcp4, tcp6;
    std::optional<MIB_UDPSTATS> udp4, udp6;
    std::optional<MIB_ICMP_EX> icmp4, icmp6;
};

// Sums the families into HostCounters, whose TCP/UDP/ICMP counters (like Linux's) cover IPv4
// and IPv6 together. `all` lists "Tcp.ActiveOpens" and so on, with the Linux names where
// Linux has the same counter. Windows has no TcpExt counters (listen overflows, SYN cookies):
// those typed fields stay 0 and are absent from `all`. `present` is true when any call
// succeeded.
core::HostCounters hostCountersFrom(const MibCounters& mib);

// Calls Windows; each failed call adds a sentence to `problems`.
MibCounters readMibCounters(std::vector<std::string>& problems);

} // namespace portscope::platform::winsys
