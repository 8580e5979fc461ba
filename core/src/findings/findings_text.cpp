// The English wording of every finding. The rules hand over data (findings.h); each case
// below turns one rule's messages into the sentences users read.

#include "portscope/core/findings_text.h"

#include "portscope/core/address_scope.h"
#include "portscope/core/text.h"
#include "portscope/core/units.h"

#include <algorithm>
#include <array>

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

namespace {

// A name made safe for one line of text: control characters and invalid UTF-8 become '?',
// and very long names are cut between characters.
std::string safeName(std::string_view name, std::size_t limit = 64) {
    return excerptForDisplay(name, limit);
}

// ------------------------------------------------------------------------------- shared

// "nginx (PID 812)", "an unidentified process (uid 1000)", or "a process (PID 812)" when the
// name is unknown.
std::string processLabel(const Finding& finding) {
    if (!finding.process.valid()) {
        return finding.hasUid ? "an unidentified process (uid " + std::to_string(finding.uid) + ")"
                              : std::string("an unidentified process");
    }
    const std::string pid = "PID " + std::to_string(finding.process.pid);
    if (finding.processName.empty()) {
        return "a process (" + pid + ")";
    }
    return safeName(finding.processName) + " (" + pid + ")";
}

// "nginx", or "the process" when the name is unknown.
std::string processName(const Finding& finding) {
    if (!finding.process.valid() || finding.processName.empty()) {
        return "the process";
    }
    return safeName(finding.processName);
}

std::string count(const FindingMessage& message, std::string_view name) {
    return withThousands(
        static_cast<std::uint64_t>(std::max<std::int64_t>(0, message.integer(name))));
}

std::string number(const FindingMessage& message, std::string_view name) {
    return std::to_string(message.integer(name));
}

std::string portOf(const FindingMessage& message, std::string_view name = "port") {
    return describePort(static_cast<std::uint16_t>(message.integer(name)));
}

std::string durationOf(const FindingMessage& message, std::string_view name) {
    return formatDuration(message.integer(name));
}

// "a, b, c", or "a, b, c and 9 more" when the list was longer: a sentence that ends in "..."
// would end in four dots.
std::string addressList(const FindingMessage& message, std::string_view name) {
    const FindingFact* fact = message.find(name);
    if (fact == nullptr) {
        return "";
    }
    std::string out;
    for (std::size_t i = 0; i < fact->items.size(); ++i) {
        out += i ? ", " : "";
        out += fact->items[i];
    }
    const auto total = static_cast<std::size_t>(fact->integer);
    if (total > fact->items.size()) {
        out += " and " + withThousands(total - fact->items.size()) + " more";
    }
    return out;
}

// "TcpExt.ListenOverflows +100 (20/s), ..." for the counters that rose.
std::string risingCounters(const Finding& finding) {
    std::string out;
    for (const EvidenceCounter& counter : finding.counters) {
        if (counter.increase > 0) {
            out += out.empty() ? "" : ", ";
            out += counter.name + " +" + withThousands(counter.increase) + " (" +
                   formatPerSecond(counter.perSecond) + "/s)";
        }
    }
    return out;
}

// ---------------------------------------------------------------------------- fanout-scan

std::string fanoutSummary(const Finding& f, const FindingMessage& m) {
    const std::string head =
        processLabel(f) + " tried to connect to " + count(m, "hosts") + " different hosts";
    const std::string in = " in " + durationOf(m, "elapsed");
    if (m.key == "fanout-scan.worm-port") {
        return head + " on " + portOf(m) + in + " — typical of a network worm spreading";
    }
    if (m.key == "fanout-scan.one-port") {
        return head + " on " + portOf(m) + in + " — typical of a network scan";
    }
    if (m.key == "fanout-scan.many-ports") {
        const std::int64_t ports = m.integer("ports");
        return head + " on " + std::to_string(ports) + (ports == 1 ? " port" : " ports") + in +
               " — typical of a network scan";
    }
    return head + in + " — typical of a network scan";
}

std::string fanoutDetail(const FindingMessage& m) {
    if (m.key == "fanout-scan.ports-unknown") {
        return "The kernel did not report the ports: a connect that fails while the program "
               "waits for it forgets its port.";
    }
    if (m.key == "fanout-scan.attempts") {
        return count(m, "waiting") + " connection attempts are waiting for an answer (SYN_SENT); " +
               count(m, "failed") + " failed between two polls.";
    }
    if (m.key == "fanout-scan.hosts-tried") {
        return "Hosts tried: " + addressList(m, "hosts") + ".";
    }
    return "The kernel reported these attempts only as they closed, so the process behind them "
           "is unknown; the socket belonged to uid " +
           number(m, "uid") + ".";
}

// ------------------------------------------------------------------------------ syn-flood

std::string synFloodSummary(const Finding& f, const FindingMessage& m) {
    if (m.key == "syn-flood.half-open") {
        const std::int64_t sources = m.integer("sources");
        return processLabel(f) + " has " + count(m, "half-open") +
               " half-open connections (SYN_RECV) waiting on " + portOf(m) + " from " +
               count(m, "sources") + (sources == 1 ? " address" : " addresses") +
               " — typical of a SYN flood against this service";
    }
    const std::string rising = "The kernel's SYN-queue counters are rising (" + risingCounters(f);
    if (m.key == "syn-flood.queue-full") {
        return rising + ") and " + processLabel(f) + " has a full accept queue on " + portOf(m) +
               " — a SYN flood, or a service too slow to accept its connections";
    }
    if (m.key == "syn-flood.most-half-open") {
        return rising + ") and " + processLabel(f) + " holds the most half-open connections, on " +
               portOf(m) + " — typical of a SYN flood";
    }
    return rising + ") — this machine is probably receiving a SYN flood";
}

std::string synFloodDetail(const Finding& f, const FindingMessage& m) {
    if (m.key == "syn-flood.sources") {
        return "Sources include " + addressList(m, "sources") + ".";
    }
    if (m.key == "syn-flood.counters-rising") {
        return "The kernel's SYN-queue counters are rising too: " + risingCounters(f) + ".";
    }
    if (m.key == "syn-flood.accept-queue") {
        return "The listener's accept queue holds " + number(m, "queued") + " of " +
               number(m, "backlog") + " connections.";
    }
    return "No listener holds half-open connections right now: with SYN cookies the kernel "
           "answers a flood without keeping them.";
}

std::string synFloodAction(const FindingMessage& m) {
    if (m.key == "syn-flood.host") {
        return "Find the source with a packet capture or the firewall log; keep SYN cookies on "
               "(net.ipv4.tcp_syncookies=1) and rate-limit new connections.";
    }
    return "Find where the half-open connections come from; keep SYN cookies on "
           "(net.ipv4.tcp_syncookies=1), rate-limit new connections to port " +
           number(m, "port") +
           " in the firewall, or ask your network provider to filter the flood.";
}

// -------------------------------------------------------------------- long-lived-external

std::string longLivedSummary(const Finding& f, const FindingMessage& m) {
    const std::string age = (m.flag("open-at-start") ? "at least " : "") + durationOf(m, "age");
    std::string out;
    if (m.key == "long-lived-external.one") {
        const std::string_view service =
            portServiceName(static_cast<std::uint16_t>(m.integer("port")));
        out = processLabel(f) + " has kept a connection to " + std::string(m.text("remote")) +
              (service.empty() ? "" : " (" + std::string(service) + ")") + " open for " + age;
    } else {
        out = processLabel(f) + " has kept " + number(m, "connections") + " connections to " +
              std::string(m.text("remote")) + " open for up to " + age;
    }
    const std::string_view traffic = m.text("traffic");
    if (traffic == "beacon") {
        out += "; its traffic is low and periodic (about " +
               formatByteAmount(m.real("bytes-per-burst")) + " every " + durationOf(m, "period") +
               "), as a beacon to a control server would be";
    } else if (traffic == "low") {
        out += "; its traffic is low (" + formatByteAmount(m.real("bytes-per-second")) +
               " per second on average) but not periodic";
    } else {
        out +=
            "; it moves " + formatByteAmount(m.real("bytes-per-second")) + " per second on average";
    }
    return out;
}

std::string longLivedDetail(const FindingMessage& m) {
    if (m.key == "long-lived-external.open-at-start") {
        return "It was already open when monitoring began, so it may be older than that.";
    }
    return std::string(m.text("remote")) + " is a global (Internet) address.";
}

// --------------------------------------------------------------------------- new-listener

std::string newListenerSummary(const Finding& f, const FindingMessage& m) {
    const FindingFact* addresses = m.find("addresses");
    std::string list;
    if (addresses != nullptr) {
        const auto& items = addresses->items;
        for (std::size_t i = 0; i < items.size(); ++i) {
            list += i == 0 ? "" : (i + 1 == items.size() ? " and " : ", ");
            list += items[i];
        }
    }
    const std::string head = processLabel(f) + " started listening on " +
                             std::string(m.text("protocol")) + " " + portOf(m) + " on ";
    if (m.key == "new-listener.all-interfaces") {
        return head + "all interfaces (" + list +
               "), so every network this machine is connected to can reach it";
    }
    if (m.key == "new-listener.one-address") {
        const auto scope = parseAddressScope(m.text("scope"));
        return head + list + " only (" +
               std::string(describe(scope.value_or(AddressScope::Global))) + ")";
    }
    return head + list;
}

std::string newListenerDetail(const FindingMessage& m) {
    if (m.key == "new-listener.all-interfaces-exposed") {
        return "Listening on all interfaces is the most exposed choice: Wi-Fi, VPN and any "
               "future network included.";
    }
    return "Listening on one address limits who can connect to the networks behind that "
           "address.";
}

// ------------------------------------------------------------------------ suspicious-port

std::string_view suspiciousPortUse(std::uint16_t port) {
    switch (port) {
    case 1243:
    case 27374:
        return "the SubSeven backdoor";
    case 1337:
        return "backdoors and hacking tools (\"leet\")";
    case 2745:
        return "the Bagle worm's backdoor";
    case 3127:
        return "the MyDoom worm's backdoor";
    case 4444:
        return "Metasploit's default reverse shell and the Blaster worm";
    case 5554:
    case 9996:
        return "the Sasser worm";
    case 6666:
    case 6667:
    case 6668:
    case 6669:
    case 6697:
        return "IRC, the command channel of many bots";
    case 12345:
    case 12346:
        return "the NetBus backdoor";
    case 20034:
        return "the NetBus 2 backdoor";
    case 31337:
        return "Back Orifice and other backdoors (\"elite\")";
    case 54320:
    case 54321:
        return "the Back Orifice 2000 backdoor";
    default:
        return "";
    }
}

std::string suspiciousPortSummary(const Finding& f, const FindingMessage& m) {
    const std::string_view use = suspiciousPortUse(static_cast<std::uint16_t>(m.integer("port")));
    const std::string why = use.empty() ? "a port in your list of suspicious ports"
                                        : "a port commonly used by " + std::string(use);
    const std::string port = number(m, "port");
    if (m.key == "suspicious-port.listening") {
        return processLabel(f) + " is listening on " + std::string(m.text("protocol")) + " port " +
               port + " (" + std::string(m.text("local")) + ") — " + why;
    }
    if (m.key == "suspicious-port.connected") {
        return processLabel(f) + " is connected to " + std::string(m.text("remote")) + " — port " +
               port + " is " + why;
    }
    return processLabel(f) + " has " + number(m, "connections") + " connections to port " + port +
           " (" + std::string(m.text("remote")) + " and others) — " + why;
}

std::string suspiciousPortAction(const Finding& f, const FindingMessage& m) {
    if (m.key == "suspicious-port.listening") {
        return "Find out why " + processName(f) +
               " opens this port; if you do not know the program, end it and scan the machine "
               "for malware.";
    }
    return "Unless you use this service on purpose, end " + processName(f) +
           " and scan the machine for malware.";
}

// ----------------------------------------------------------------------- connection-surge

std::string surgeSummary(const Finding& f, const FindingMessage& m) {
    const std::string mostly =
        m.has("mostly-port") ? ", mostly to " + portOf(m, "mostly-port") : "";
    if (m.key == "connection-surge.fast") {
        return processLabel(f) + " opened " + count(m, "added") + " new connections in " +
               durationOf(m, "elapsed") + " (" + formatPerSecond(m.real("rate")) + " per second)" +
               mostly + " and now holds " + count(m, "open") +
               " sockets — a surge like this can fill a router's NAT table";
    }
    return processLabel(f) + " went from " + count(m, "lowest") + " to " + count(m, "open") +
           " open sockets within " + durationOf(m, "window") + mostly +
           " — a surge like this can fill a router's NAT table";
}

std::string surgeDetail(const FindingMessage& m) {
    return "Open sockets: " + count(m, "open") + " (lowest in the window " + count(m, "lowest") +
           "); new connections in the window: " + count(m, "added") + ".";
}

// ----------------------------------------------------------------------------- masquerade

// The reason's clause, after "nginx (PID 812)" in the summary and after "It" in a detail.
std::string masqueradeReason(const FindingMessage& m) {
    const std::string exe = safeName(m.text("exe"), 200);
    if (m.key == "masquerade.kernel-thread-name") {
        return "uses the name of a kernel thread but runs the program " + exe +
               " — real kernel threads have no program file";
    }
    if (m.key == "masquerade.imitates") {
        const std::int64_t distance = m.integer("distance");
        return "imitates the system process " + std::string(m.text("imitated")) +
               ": the names differ by " + std::to_string(distance) +
               (distance == 1 ? " letter" : " letters") + " — malware hides behind names like this";
    }
    if (m.key == "masquerade.system-name-elsewhere") {
        return "carries the name of the system process " + std::string(m.text("imitated")) +
               " but runs from " + exe + ", not from a system directory";
    }
    if (m.key == "masquerade.deleted-executable") {
        return "runs from an executable that has been deleted (" + exe +
               ") — malware deletes its file to hide; a software update that replaced the file "
               "does this too";
    }
    return "runs from " + exe + ", in " + safeName(m.text("directory")) +
           ", a directory anyone can write to";
}

std::string masqueradeDetail(const FindingMessage& m) {
    if (m.key == "masquerade.command-line") {
        return "Command line: " + safeName(m.text("command-line"), 200);
    }
    if (m.key == "masquerade.parent") {
        return "Parent process: PID " + number(m, "pid") + ".";
    }
    return "It " + masqueradeReason(m) + ".";
}

// --------------------------------------------------------------------------- inbound-scan

std::string inboundScanSummary(const FindingMessage& m) {
    return "This machine turned away " + count(m, "probes") + " probes of closed ports in " +
           durationOf(m, "elapsed") + " (TCP resets " + formatPerSecond(m.real("tcp-resets")) +
           "/s, UDP datagrams to closed ports " + formatPerSecond(m.real("udp-closed-ports")) +
           "/s, ICMP port unreachables " + formatPerSecond(m.real("icmp-unreachables")) +
           "/s) — typical of a port scan against it" +
           (m.has("source") ? ", most of them from " + std::string(m.text("source")) : "");
}

std::string inboundScanDetail(const FindingMessage& m) {
    if (m.key == "inbound-scan.source") {
        // "203.0.113.9 probed 312 closed TCP ports and 4 closed UDP ports"
        const auto ports = [&](std::string_view name, std::string_view protocol) {
            return count(m, name) + " closed " + std::string(protocol) +
                   (m.integer(name) == 1 ? " port" : " ports");
        };
        std::string text = std::string(m.text("source")) + " probed ";
        const bool tcp = m.integer("tcp-ports") > 0;
        const bool udp = m.integer("udp-ports") > 0;
        if (tcp) {
            text += ports("tcp-ports", "TCP");
        }
        if (tcp && udp) {
            text += " and ";
        }
        if (udp || !tcp) {
            text += ports("udp-ports", "UDP");
        }
        return text + " (" + count(m, "probes") +
               (m.integer("probes") == 1 ? " packet" : " packets") + " turned away).";
    }
    if (m.key == "inbound-scan.more-sources") {
        return "And " + count(m, "sources") + " more sources.";
    }
    // inbound-scan.namespace-wide
    return "These counters are kept by the kernel for the whole network namespace; they say "
           "that probes arrived, not from where.";
}

} // namespace

FindingText renderFindingText(const Finding& f) {
    FindingText text;
    const FindingMessage& m = f.headline;
    const std::string_view rule = f.ruleId;
    if (rule == rules::kFanoutScan) {
        text.summary = fanoutSummary(f, m);
        text.action = "Unless " + processName(f) +
                      " is a scanner you run on purpose, disconnect this machine from the network, "
                      "end the process and check the machine with an up-to-date malware scanner.";
        for (const FindingMessage& detail : f.evidence) {
            text.details.push_back(fanoutDetail(detail));
        }
    } else if (rule == rules::kSynFlood) {
        text.summary = synFloodSummary(f, m);
        text.action = synFloodAction(m);
        for (const FindingMessage& detail : f.evidence) {
            text.details.push_back(synFloodDetail(f, detail));
        }
    } else if (rule == rules::kLongLivedExternal) {
        text.summary = longLivedSummary(f, m);
        text.action = "If you do not know why " + processName(f) +
                      " keeps this connection open, look the address up (whois, reputation "
                      "services); a program you do not recognise that beacons like this should "
                      "be ended and the machine scanned.";
        for (const FindingMessage& detail : f.evidence) {
            text.details.push_back(longLivedDetail(detail));
        }
    } else if (rule == rules::kNewListener) {
        text.summary = newListenerSummary(f, m);
        text.action = "If you did not expect " + processName(f) +
                      " to accept connections, stop it or block port " + number(m, "port") +
                      " in the firewall; a service that only this machine uses should listen on "
                      "127.0.0.1.";
        for (const FindingMessage& detail : f.evidence) {
            text.details.push_back(newListenerDetail(detail));
        }
    } else if (rule == rules::kSuspiciousPort) {
        text.summary = suspiciousPortSummary(f, m);
        text.action = suspiciousPortAction(f, m);
    } else if (rule == rules::kConnectionSurge) {
        text.summary = surgeSummary(f, m);
        text.action = "If " + processName(f) +
                      " should not open this many connections, end it: a worm or a misbehaving "
                      "program can exhaust the router's NAT table and cut the whole network off.";
        for (const FindingMessage& detail : f.evidence) {
            text.details.push_back(surgeDetail(detail));
        }
    } else if (rule == rules::kMasquerade) {
        text.summary = processLabel(f) + " " + masqueradeReason(m);
        text.action = "Check the program file (its path, hash and signature) and the parent that "
                      "started it; if it is not a program you installed, end it and scan the "
                      "machine.";
        for (const FindingMessage& detail : f.evidence) {
            text.details.push_back(masqueradeDetail(detail));
        }
    } else if (rule == rules::kInboundScan) {
        text.summary = inboundScanSummary(m);
        text.action = "Find the scanning address with a packet capture or the firewall log and "
                      "block it; make sure only the services you need are listening.";
        for (const FindingMessage& detail : f.evidence) {
            text.details.push_back(inboundScanDetail(detail));
        }
    }
    return text;
}

} // namespace portscope::core
