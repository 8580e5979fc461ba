#include "linux/host_counters.h"

#include "common/capped_error_log.h"
#include "linux/proc_file.h"
#include "portscope/core/text.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <optional>

namespace portscope::platform::linuxsys {

namespace {

struct TypedCounter {
    std::string_view group;
    std::string_view name;
    std::uint64_t* (*field)(core::HostCounters&);
};

// The names as the kernel prints them, mapped onto HostCounters.
const std::array<TypedCounter, 28> kTypedCounters{{
    {"Tcp", "ActiveOpens", [](core::HostCounters& c) { return &c.tcp.activeOpens; }},
    {"Tcp", "PassiveOpens", [](core::HostCounters& c) { return &c.tcp.passiveOpens; }},
    {"Tcp", "AttemptFails", [](core::HostCounters& c) { return &c.tcp.attemptFails; }},
    {"Tcp", "EstabResets", [](core::HostCounters& c) { return &c.tcp.estabResets; }},
    {"Tcp", "CurrEstab", [](core::HostCounters& c) { return &c.tcp.currEstab; }},
    {"Tcp", "InSegs", [](core::HostCounters& c) { return &c.tcp.inSegs; }},
    {"Tcp", "OutSegs", [](core::HostCounters& c) { return &c.tcp.outSegs; }},
    {"Tcp", "RetransSegs", [](core::HostCounters& c) { return &c.tcp.retransSegs; }},
    {"Tcp", "InErrs", [](core::HostCounters& c) { return &c.tcp.inErrs; }},
    {"Tcp", "OutRsts", [](core::HostCounters& c) { return &c.tcp.outRsts; }},
    {"Udp", "InDatagrams", [](core::HostCounters& c) { return &c.udp.inDatagrams; }},
    {"Udp", "NoPorts", [](core::HostCounters& c) { return &c.udp.noPorts; }},
    {"Udp", "InErrors", [](core::HostCounters& c) { return &c.udp.inErrors; }},
    {"Udp", "OutDatagrams", [](core::HostCounters& c) { return &c.udp.outDatagrams; }},
    {"Udp", "RcvbufErrors", [](core::HostCounters& c) { return &c.udp.receiveBufferErrors; }},
    {"Udp", "SndbufErrors", [](core::HostCounters& c) { return &c.udp.sendBufferErrors; }},
    {"Icmp", "InMsgs", [](core::HostCounters& c) { return &c.icmp.inMessages; }},
    {"Icmp", "OutMsgs", [](core::HostCounters& c) { return &c.icmp.outMessages; }},
    {"Icmp", "InDestUnreachs", [](core::HostCounters& c) { return &c.icmp.inDestUnreachs; }},
    {"Icmp", "OutDestUnreachs", [](core::HostCounters& c) { return &c.icmp.outDestUnreachs; }},
    {"TcpExt", "ListenOverflows", [](core::HostCounters& c) { return &c.tcpExt.listenOverflows; }},
    {"TcpExt", "ListenDrops", [](core::HostCounters& c) { return &c.tcpExt.listenDrops; }},
    {"TcpExt", "TCPReqQFullDrop", [](core::HostCounters& c) { return &c.tcpExt.reqQueueFullDrop; }},
    {"TcpExt", "TCPReqQFullDoCookies",
     [](core::HostCounters& c) { return &c.tcpExt.reqQueueFullDoCookies; }},
    {"TcpExt", "SyncookiesSent", [](core::HostCounters& c) { return &c.tcpExt.syncookiesSent; }},
    {"TcpExt", "SyncookiesRecv", [](core::HostCounters& c) { return &c.tcpExt.syncookiesRecv; }},
    {"TcpExt", "SyncookiesFailed",
     [](core::HostCounters& c) { return &c.tcpExt.syncookiesFailed; }},
    {"TcpExt", "TCPSynRetrans", [](core::HostCounters& c) { return &c.tcpExt.synRetransmits; }},
}};

std::uint64_t* typedField(core::HostCounters& counters, std::string_view group,
                          std::string_view name) {
    for (const auto& counter : kTypedCounters) {
        if (counter.group == group && counter.name == name) {
            return counter.field(counters);
        }
    }
    return nullptr;
}

bool isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\r';
}

void splitFields(std::string_view text, std::vector<std::string_view>& fields) {
    fields.clear();
    std::size_t pos = 0;
    while (pos < text.size()) {
        while (pos < text.size() && isBlank(text[pos])) {
            ++pos;
        }
        const auto start = pos;
        while (pos < text.size() && !isBlank(text[pos])) {
            ++pos;
        }
        if (pos > start) {
            fields.push_back(text.substr(start, pos - start));
        }
    }
}

// Counters are unsigned 64-bit in the kernel, except a few signed ones such as Tcp MaxConn
// (-1 for "no limit").
struct CounterValue {
    std::int64_t asSigned = 0;
    std::optional<std::uint64_t> asUnsigned; // empty for negative values
};

std::optional<CounterValue> parseCounterValue(std::string_view text) {
    const auto* begin = text.data();
    const auto* end = text.data() + text.size();
    CounterValue value;
    if (!text.empty() && text.front() == '-') {
        const auto [next, error] = std::from_chars(begin, end, value.asSigned);
        if (error != std::errc{} || next != end) {
            return std::nullopt;
        }
        return value;
    }
    std::uint64_t unsignedValue = 0;
    const auto [next, error] = std::from_chars(begin, end, unsignedValue);
    if (text.empty() || error != std::errc{} || next != end) {
        return std::nullopt;
    }
    value.asUnsigned = unsignedValue;
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    value.asSigned = static_cast<std::int64_t>(std::min(unsignedValue, kMax));
    return value;
}

std::string quoted(std::string_view text) {
    constexpr std::size_t kMaxShown = 40;
    return "'" + core::excerptForDisplay(text, kMaxShown) + "'";
}

struct PendingHeader {
    std::string_view group;
    std::vector<std::string_view> names;
    std::size_t lineNumber = 0;
    bool active = false;
};

void storeValues(const PendingHeader& header, const std::vector<std::string_view>& values,
                 std::size_t lineNumber, core::HostCounters& counters,
                 common::CappedErrorLog& log) {
    if (values.size() != header.names.size()) {
        log.add(lineNumber, quoted(header.group) + " has " + std::to_string(header.names.size()) +
                                " names on line " + std::to_string(header.lineNumber) + " but " +
                                std::to_string(values.size()) + " values");
        return;
    }
    std::string qualified;
    for (std::size_t i = 0; i < values.size(); ++i) {
        qualified.assign(header.group);
        qualified += '.';
        qualified += header.names[i];
        const auto value = parseCounterValue(values[i]);
        if (!value) {
            log.add(lineNumber,
                    quoted(qualified) + " value " + quoted(values[i]) + " is not a number");
            continue;
        }
        if (auto* field = typedField(counters, header.group, header.names[i])) {
            if (value->asUnsigned) {
                *field = *value->asUnsigned;
            } else {
                log.add(lineNumber, quoted(qualified) + " is negative (" + std::string(values[i]) +
                                        ") but is a counter");
            }
        }
        counters.all.emplace_back(qualified, value->asSigned);
    }
}

void parseCounterPairs(std::string_view text, core::HostCounters& counters,
                       std::vector<std::string>* errors, std::string_view source) {
    common::CappedErrorLog log(errors, std::string(source), " more problems were not listed");
    PendingHeader header;
    std::vector<std::string_view> fields;
    fields.reserve(256);
    header.names.reserve(256);

    const auto reportUnpaired = [&] {
        log.add(header.lineNumber, quoted(header.group) + " header has no value line after it");
    };

    std::size_t lineNumber = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto newline = text.find('\n', pos);
        const auto end = newline == std::string_view::npos ? text.size() : newline;
        const auto line = text.substr(pos, end - pos);
        pos = end + 1;
        ++lineNumber;

        if (std::all_of(line.begin(), line.end(), isBlank)) {
            continue;
        }
        const auto colon = line.find(':');
        const auto group =
            colon == std::string_view::npos ? std::string_view{} : line.substr(0, colon);
        if (group.empty() || group.find_first_of(" \t") != std::string_view::npos) {
            log.add(lineNumber, "does not start with 'Group:' " + quoted(line));
            continue;
        }
        splitFields(line.substr(colon + 1), fields);

        if (header.active && header.group == group) {
            storeValues(header, fields, lineNumber, counters, log);
            header.active = false;
            continue;
        }
        if (header.active) {
            reportUnpaired();
            header.active = false;
        }
        if (!fields.empty() && parseCounterValue(fields.front())) {
            log.add(lineNumber, quoted(group) + " values have no header line");
            continue;
        }
        header.group = group;
        header.names.assign(fields.begin(), fields.end());
        header.lineNumber = lineNumber;
        header.active = true;
    }
    if (header.active) {
        reportUnpaired();
    }
}

} // namespace

void parseSnmp(std::string_view text, core::HostCounters& counters,
               std::vector<std::string>* errors) {
    parseCounterPairs(text, counters, errors, "snmp");
}

void parseNetstat(std::string_view text, core::HostCounters& counters,
                  std::vector<std::string>* errors) {
    parseCounterPairs(text, counters, errors, "netstat");
}

core::HostCounters readHostCounters(const std::string& procRoot, std::vector<std::string>* errors) {
    core::HostCounters counters;
    counters.all.reserve(512);
    std::string contents;
    const auto read = [&](const std::string& path) {
        const int error = readProcFile(path, contents);
        if (error != 0 && errors != nullptr) {
            errors->push_back(procFileError(path, error));
        }
        return error == 0;
    };
    if (read(procRoot + "/net/snmp")) {
        parseSnmp(contents, counters, errors);
        counters.present = true;
    }
    if (read(procRoot + "/net/netstat")) {
        parseNetstat(contents, counters, errors);
        counters.present = true;
    }
    return counters;
}

} // namespace portscope::platform::linuxsys
