#include "windows/host_counters.h"

#include "windows/win32.h"

namespace portscope::platform::winsys {

namespace {

// ICMP message types that mean "destination unreachable".
constexpr int kIcmp4DestUnreachable = 3;
constexpr int kIcmp6DestUnreachable = 1;

template <typename Stats, typename Field>
std::optional<std::uint64_t> sum(const std::optional<Stats>& v4, const std::optional<Stats>& v6,
                                 Field field) {
    if (!v4 && !v6) {
        return std::nullopt;
    }
    std::uint64_t total = 0;
    if (v4) {
        total += field(*v4);
    }
    if (v6) {
        total += field(*v6);
    }
    return total;
}

void record(core::HostCounters& counters, std::string name, std::optional<std::uint64_t> value,
            std::uint64_t* typed = nullptr) {
    if (!value) {
        return;
    }
    if (typed != nullptr) {
        *typed = *value;
    }
    counters.all.emplace_back(std::move(name), static_cast<std::int64_t>(*value));
}

} // namespace

core::HostCounters hostCountersFrom(const MibCounters& mib) {
    core::HostCounters c;
    c.present = mib.tcp4 || mib.tcp6 || mib.udp4 || mib.udp6 || mib.icmp4 || mib.icmp6;
    c.all.reserve(32);

    const auto tcp = [&](auto field) { return sum(mib.tcp4, mib.tcp6, field); };
    record(c, "Tcp.ActiveOpens", tcp([](const MIB_TCPSTATS& s) { return s.dwActiveOpens; }),
           &c.tcp.activeOpens);
    record(c, "Tcp.PassiveOpens", tcp([](const MIB_TCPSTATS& s) { return s.dwPassiveOpens; }),
           &c.tcp.passiveOpens);
    record(c, "Tcp.AttemptFails", tcp([](const MIB_TCPSTATS& s) { return s.dwAttemptFails; }),
           &c.tcp.attemptFails);
    record(c, "Tcp.EstabResets", tcp([](const MIB_TCPSTATS& s) { return s.dwEstabResets; }),
           &c.tcp.estabResets);
    record(c, "Tcp.CurrEstab", tcp([](const MIB_TCPSTATS& s) { return s.dwCurrEstab; }),
           &c.tcp.currEstab);
    record(c, "Tcp.InSegs", tcp([](const MIB_TCPSTATS& s) { return s.dwInSegs; }), &c.tcp.inSegs);
    record(c, "Tcp.OutSegs", tcp([](const MIB_TCPSTATS& s) { return s.dwOutSegs; }),
           &c.tcp.outSegs);
    record(c, "Tcp.RetransSegs", tcp([](const MIB_TCPSTATS& s) { return s.dwRetransSegs; }),
           &c.tcp.retransSegs);
    record(c, "Tcp.InErrs", tcp([](const MIB_TCPSTATS& s) { return s.dwInErrs; }), &c.tcp.inErrs);
    record(c, "Tcp.OutRsts", tcp([](const MIB_TCPSTATS& s) { return s.dwOutRsts; }),
           &c.tcp.outRsts);
    record(c, "Tcp.NumConns", tcp([](const MIB_TCPSTATS& s) { return s.dwNumConns; }));

    const auto udp = [&](auto field) { return sum(mib.udp4, mib.udp6, field); };
    record(c, "Udp.InDatagrams", udp([](const MIB_UDPSTATS& s) { return s.dwInDatagrams; }),
           &c.udp.inDatagrams);
    record(c, "Udp.NoPorts", udp([](const MIB_UDPSTATS& s) { return s.dwNoPorts; }),
           &c.udp.noPorts);
    record(c, "Udp.InErrors", udp([](const MIB_UDPSTATS& s) { return s.dwInErrors; }),
           &c.udp.inErrors);
    record(c, "Udp.OutDatagrams", udp([](const MIB_UDPSTATS& s) { return s.dwOutDatagrams; }),
           &c.udp.outDatagrams);
    record(c, "Udp.NumAddrs", udp([](const MIB_UDPSTATS& s) { return s.dwNumAddrs; }));

    const auto icmp = [&](auto field) { return sum(mib.icmp4, mib.icmp6, field); };
    record(c, "Icmp.InMsgs", icmp([](const MIB_ICMP_EX& s) { return s.icmpInStats.dwMsgs; }),
           &c.icmp.inMessages);
    record(c, "Icmp.InErrors", icmp([](const MIB_ICMP_EX& s) { return s.icmpInStats.dwErrors; }));
    record(c, "Icmp.OutMsgs", icmp([](const MIB_ICMP_EX& s) { return s.icmpOutStats.dwMsgs; }),
           &c.icmp.outMessages);
    record(c, "Icmp.OutErrors", icmp([](const MIB_ICMP_EX& s) { return s.icmpOutStats.dwErrors; }));
    // The type numbers differ between ICMPv4 and ICMPv6, so the two are added by hand.
    const auto unreachable = [&](bool incoming) -> std::optional<std::uint64_t> {
        if (!mib.icmp4 && !mib.icmp6) {
            return std::nullopt;
        }
        std::uint64_t total = 0;
        if (mib.icmp4) {
            const auto& stats = incoming ? mib.icmp4->icmpInStats : mib.icmp4->icmpOutStats;
            total += stats.rgdwTypeCount[kIcmp4DestUnreachable];
        }
        if (mib.icmp6) {
            const auto& stats = incoming ? mib.icmp6->icmpInStats : mib.icmp6->icmpOutStats;
            total += stats.rgdwTypeCount[kIcmp6DestUnreachable];
        }
        return total;
    };
    record(c, "Icmp.InDestUnreachs", unreachable(true), &c.icmp.inDestUnreachs);
    record(c, "Icmp.OutDestUnreachs", unreachable(false), &c.icmp.outDestUnreachs);
    return c;
}

MibCounters readMibCounters(std::vector<std::string>& problems) {
    MibCounters mib;
    const auto call = [&](auto& slot, auto function, ULONG family, const char* name) {
        typename std::remove_reference_t<decltype(slot)>::value_type value{};
        const ULONG error = function(&value, family);
        if (error == NO_ERROR) {
            slot = value;
        } else if (!(family == AF_INET6 &&
                     (error == ERROR_NOT_SUPPORTED || error == ERROR_INVALID_PARAMETER))) {
            // IPv6 not installed is not a problem; anything else is.
            problems.push_back(std::string(name) + (family == AF_INET ? " (IPv4)" : " (IPv6)") +
                               " failed: " + errorText(error) + ".");
        }
    };
    call(mib.tcp4, ::GetTcpStatisticsEx, AF_INET, "GetTcpStatisticsEx");
    call(mib.tcp6, ::GetTcpStatisticsEx, AF_INET6, "GetTcpStatisticsEx");
    call(mib.udp4, ::GetUdpStatisticsEx, AF_INET, "GetUdpStatisticsEx");
    call(mib.udp6, ::GetUdpStatisticsEx, AF_INET6, "GetUdpStatisticsEx");
    call(mib.icmp4, ::GetIcmpStatisticsEx, AF_INET, "GetIcmpStatisticsEx");
    call(mib.icmp6, ::GetIcmpStatisticsEx, AF_INET6, "GetIcmpStatisticsEx");
    return mib;
}

} // namespace portscope::platform::winsys
