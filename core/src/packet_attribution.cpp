#include "portscope/core/packet_attribution.h"

#include "hash_mix.h"
#include "portscope/core/text.h"

#include <algorithm>
#include <cstdio>
#include <set>

namespace portscope::core {

namespace {

constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
constexpr std::uint16_t kEtherTypeIpv6 = 0x86DD;
constexpr std::uint16_t kEtherTypeVlan = 0x8100;
constexpr std::uint8_t kIpProtocolTcp = 6;
constexpr std::uint8_t kIpProtocolUdp = 17;
constexpr std::uint8_t kLinuxPacketOutgoing = 4;
// Above this many terms the filter names ports only, and above it again there is none: the
// kernel's filter programs are limited to 4096 instructions.
constexpr std::size_t kMaxFilterTerms = 300;
constexpr std::size_t kMaxLabelBytes = 1024;

std::uint16_t big16(std::string_view bytes, std::size_t at) {
    return static_cast<std::uint16_t>((static_cast<unsigned char>(bytes[at]) << 8) |
                                      static_cast<unsigned char>(bytes[at + 1]));
}

pcapng::Direction linuxPacketDirection(std::uint8_t packetType) {
    return packetType == kLinuxPacketOutgoing ? pcapng::Direction::Outbound
                                              : pcapng::Direction::Inbound;
}

std::optional<PacketFlow> parseTransport(std::uint8_t protocol, std::string_view transport,
                                         PacketFlow flow) {
    if ((protocol != kIpProtocolTcp && protocol != kIpProtocolUdp) || transport.size() < 4) {
        return std::nullopt;
    }
    flow.protocol = protocol == kIpProtocolTcp ? Protocol::Tcp : Protocol::Udp;
    flow.source.port = big16(transport, 0);
    flow.destination.port = big16(transport, 2);
    return flow;
}

std::optional<PacketFlow> parseIpv4(std::string_view ip, PacketFlow flow) {
    if (ip.size() < 20) {
        return std::nullopt;
    }
    const std::size_t headerBytes = (static_cast<unsigned char>(ip[0]) & 0x0Fu) * 4u;
    const bool laterFragment = (big16(ip, 6) & 0x1FFFu) != 0;
    if (headerBytes < 20 || headerBytes > ip.size() || laterFragment) {
        return std::nullopt;
    }
    auto address = [&](std::size_t at) {
        return IpAddress::v4(
            static_cast<std::uint8_t>(ip[at]), static_cast<std::uint8_t>(ip[at + 1]),
            static_cast<std::uint8_t>(ip[at + 2]), static_cast<std::uint8_t>(ip[at + 3]));
    };
    flow.source.address = address(12);
    flow.destination.address = address(16);
    return parseTransport(static_cast<std::uint8_t>(ip[9]), ip.substr(headerBytes), flow);
}

std::optional<PacketFlow> parseIpv6(std::string_view ip, PacketFlow flow) {
    if (ip.size() < 40) {
        return std::nullopt;
    }
    auto address = [&](std::size_t at) {
        std::array<std::uint8_t, 16> raw{};
        std::copy_n(ip.begin() + static_cast<std::ptrdiff_t>(at), 16, raw.begin());
        return IpAddress::v6(raw);
    };
    flow.source.address = address(8);
    flow.destination.address = address(24);
    auto next = static_cast<std::uint8_t>(ip[6]);
    std::size_t at = 40;
    // Hop-by-hop, routing, destination options and a first fragment come before the ports.
    for (int header = 0; header < 8; ++header) {
        if (next == 0 || next == 43 || next == 60) {
            if (at + 8 > ip.size()) {
                return std::nullopt;
            }
            const auto nextAt = at + (static_cast<unsigned char>(ip[at + 1]) + 1u) * 8u;
            next = static_cast<std::uint8_t>(ip[at]);
            at = nextAt;
        } else if (next == 44) {
            if (at + 8 > ip.size() || (big16(ip, at + 2) & 0xFFF8u) != 0) {
                return std::nullopt; // a later fragment has no ports
            }
            next = static_cast<std::uint8_t>(ip[at]);
            at += 8;
        } else {
            break;
        }
    }
    if (at > ip.size()) {
        return std::nullopt;
    }
    return parseTransport(next, ip.substr(at), flow);
}

std::optional<PacketFlow> parseNetwork(std::uint16_t etherType, std::string_view ip,
                                       PacketFlow flow) {
    if (etherType == kEtherTypeIpv4) {
        return parseIpv4(ip, flow);
    }
    if (etherType == kEtherTypeIpv6) {
        return parseIpv6(ip, flow);
    }
    return std::nullopt;
}

std::optional<PacketFlow> parseByVersion(std::string_view ip, PacketFlow flow) {
    if (ip.empty()) {
        return std::nullopt;
    }
    const unsigned version = static_cast<unsigned char>(ip[0]) >> 4;
    return parseNetwork(version == 4   ? kEtherTypeIpv4
                        : version == 6 ? kEtherTypeIpv6
                                       : 0,
                        ip, flow);
}

std::string hostTerm(const IpAddress& address) {
    return "host " + address.toString();
}

} // namespace

std::string formatUtcTime(std::int64_t unixMs) {
    const std::int64_t seconds = unixMs / 1000;
    std::int64_t days = seconds / 86400;
    std::int64_t secondOfDay = seconds % 86400;
    if (secondOfDay < 0) {
        secondOfDay += 86400;
        --days;
    }
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const std::int64_t dayOfEra = days - era * 146097;
    const std::int64_t yearOfEra =
        (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const std::int64_t dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const std::int64_t monthIndex = (5 * dayOfYear + 2) / 153;
    const std::int64_t day = dayOfYear - (153 * monthIndex + 2) / 5 + 1;
    const std::int64_t month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
    const std::int64_t year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    char text[96];
    std::snprintf(text, sizeof text, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ",
                  static_cast<long long>(year), static_cast<long long>(month),
                  static_cast<long long>(day), static_cast<long long>(secondOfDay / 3600),
                  static_cast<long long>(secondOfDay / 60 % 60),
                  static_cast<long long>(secondOfDay % 60));
    return text;
}

std::optional<PacketFlow> parsePacketFlow(std::uint16_t linkType, std::string_view packet) {
    PacketFlow flow;
    switch (linkType) {
    case pcapng::kLinkTypeLinuxSll2:
        if (packet.size() < 20) {
            return std::nullopt;
        }
        flow.direction = linuxPacketDirection(static_cast<std::uint8_t>(packet[10]));
        return parseNetwork(big16(packet, 0), packet.substr(20), flow);
    case pcapng::kLinkTypeLinuxSll:
        if (packet.size() < 16) {
            return std::nullopt;
        }
        flow.direction = linuxPacketDirection(static_cast<std::uint8_t>(big16(packet, 0)));
        return parseNetwork(big16(packet, 14), packet.substr(16), flow);
    case pcapng::kLinkTypeEthernet: {
        if (packet.size() < 14) {
            return std::nullopt;
        }
        std::uint16_t etherType = big16(packet, 12);
        std::size_t at = 14;
        if (etherType == kEtherTypeVlan && packet.size() >= 18) {
            etherType = big16(packet, 16);
            at = 18;
        }
        return parseNetwork(etherType, packet.substr(at), flow);
    }
    case pcapng::kLinkTypeRaw:
        return parseByVersion(packet, flow);
    case pcapng::kLinkTypeLoopbackNull:
        return packet.size() < 4 ? std::nullopt : parseByVersion(packet.substr(4), flow);
    default:
        return std::nullopt;
    }
}

std::string describePacketOwner(const Process& process) {
    std::string label = "PID " + std::to_string(process.key.pid);
    if (process.startedAtUnixMs > 0) {
        label += " (started " + formatUtcTime(process.startedAtUnixMs) + ")";
    }
    if (!process.name.empty()) {
        label += ' ' + sanitizeForDisplay(process.name, 256);
    }
    if (!process.exePath.empty()) {
        label += ' ' + sanitizeForDisplay(process.exePath, 512);
    }
    label += process.userName.empty() ? " uid " + std::to_string(process.uid)
                                      : " user " + sanitizeForDisplay(process.userName, 128);
    return label.substr(0, kMaxLabelBytes);
}

std::uint64_t PacketEcho::signature(std::string_view packet) {
    // FNV-1a over the bytes that stay the same from socket to socket.
    std::uint64_t hash = 14695981039346656037ULL;
    const auto mix = [&](std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < std::min(to, packet.size()); ++i) {
            hash = (hash ^ static_cast<unsigned char>(packet[i])) * 1099511628211ULL;
        }
    };
    if (packet.empty()) {
        return hash;
    }
    const unsigned version = static_cast<unsigned char>(packet[0]) >> 4;
    std::size_t transport = 0;
    std::uint8_t protocol = 0;
    if (version == 4 && packet.size() >= 20) {
        transport = (static_cast<unsigned char>(packet[0]) & 0x0f) * 4u;
        protocol = static_cast<std::uint8_t>(packet[9]);
        mix(0, 8);   // version, length, identification, fragment
        mix(9, 10);  // protocol (not TTL, nor the header checksum)
        mix(12, 20); // addresses
    } else if (version == 6 && packet.size() >= 40) {
        transport = 40;
        protocol = static_cast<std::uint8_t>(packet[6]);
        mix(0, 7);  // version, class, flow, length, next header (not the hop limit)
        mix(8, 40); // addresses
    } else {
        mix(0, packet.size());
        return hash;
    }
    // The transport header and the start of the payload, without the transport checksum.
    const std::size_t checksum = protocol == 6 ? transport + 16 : transport + 6;
    mix(transport, checksum);
    mix(checksum + 2, transport + 64);
    return hash;
}

void PacketEcho::sent(std::string_view ipPacket) {
    const std::uint64_t key = signature(ipPacket);
    order_.push_back(key);
    remembered_.insert(key);
    if (order_.size() > kRemembered) {
        // Taken already, it is not there any more.
        if (const auto oldest = remembered_.find(order_.front()); oldest != remembered_.end()) {
            remembered_.erase(oldest);
        }
        order_.pop_front();
    }
}

bool PacketEcho::takeEcho(std::string_view ipPacket) {
    const auto found = remembered_.find(signature(ipPacket));
    if (found == remembered_.end()) {
        return false;
    }
    remembered_.erase(found); // its entry in order_ goes when it comes to the front
    return true;
}

struct PacketAttributor::Owner {
    std::string label;
};

std::size_t PacketAttributor::FlowKeyHash::operator()(const FlowKey& key) const noexcept {
    return static_cast<std::size_t>(
        hashCombine(hashCombine(static_cast<std::uint64_t>(key.protocol), hashValue(key.local)),
                    hashValue(key.remote)));
}

std::size_t PacketAttributor::PortKeyHash::operator()(const PortKey& key) const noexcept {
    return static_cast<std::size_t>(
        hashCombine(static_cast<std::uint64_t>(key.protocol), key.port));
}

PacketAttributor::PacketAttributor(Selector selector, ProcessSelector processSelector,
                                   std::int64_t retentionMs)
    : selector_(std::move(selector)), processSelector_(std::move(processSelector)),
      retentionMs_(retentionMs), filter_(selector_ ? std::string(kNothing) : "") {
    socketSelection_.everySocket = !selector_;
}

bool PacketAttributor::update(const Update& update) {
    std::unordered_map<ProcessKey, std::shared_ptr<const Owner>, ProcessKeyHash> owners;
    ownersByPid_.clear();
    for (const ProcessRow& row : update.processes) {
        auto owner = std::make_shared<const Owner>(Owner{describePacketOwner(row.process)});
        ownersByPid_[row.process.key.pid] = owner;
        owners.emplace(row.process.key, std::move(owner));
    }
    for (const Connection& connection : update.connections) {
        const Socket& socket = connection.socket;
        Entry entry;
        if (socket.owner.valid()) {
            if (const auto found = owners.find(socket.owner); found != owners.end()) {
                entry.owner = found->second;
            }
        }
        entry.selected = !selector_ || selector_(connection, update.findProcess(socket.owner));
        entry.lastSeenUnixMs = update.unixMs;
        // A capture by socket is handed the selected sockets' packets only (and those of
        // sockets the kernel selected itself, named by their creator or flow): the others'
        // cookies would cost a hash entry each at every poll for nothing.
        if (socket.cookie != 0 && entry.selected) {
            sockets_[socket.cookie] = entry;
        } else if (socket.cookie != 0) {
            sockets_.erase(socket.cookie); // no longer chosen (its state changed, say)
        }
        const Endpoint local{socket.local.address.unmapped(), socket.local.port};
        if (isListening(socket)) {
            auto& listeners = listeners_[PortKey{socket.protocol, local.port}];
            const auto same = std::find_if(listeners.begin(), listeners.end(), [&](const auto& l) {
                return l.address == local.address && l.entry.owner == entry.owner;
            });
            if (same != listeners.end()) {
                same->entry = entry;
            } else {
                listeners.push_back({local.address, entry});
            }
        } else {
            const FlowKey key{socket.protocol, local,
                              Endpoint{socket.remote.address.unmapped(), socket.remote.port}};
            flows_[key] = entry;
        }
    }
    const std::int64_t oldest = update.unixMs - retentionMs_;
    std::erase_if(flows_, [&](const auto& flow) { return flow.second.lastSeenUnixMs < oldest; });
    std::erase_if(sockets_,
                  [&](const auto& socket) { return socket.second.lastSeenUnixMs < oldest; });
    for (auto it = listeners_.begin(); it != listeners_.end();) {
        std::erase_if(it->second,
                      [&](const Listener& l) { return l.entry.lastSeenUnixMs < oldest; });
        it = it->second.empty() ? listeners_.erase(it) : std::next(it);
    }
    localAddresses_.clear();
    for (const auto& flow : flows_) {
        localAddresses_.push_back(flow.first.local.address);
    }
    std::sort(localAddresses_.begin(), localAddresses_.end());
    localAddresses_.erase(std::unique(localAddresses_.begin(), localAddresses_.end()),
                          localAddresses_.end());
    std::string filter = buildFilter();
    SocketSelection selection = buildSocketSelection(update);
    const bool changed = filter != filter_ || selection != socketSelection_;
    filter_ = std::move(filter);
    socketSelection_ = std::move(selection);
    return changed;
}

bool PacketAttributor::describes(std::int32_t pid) const {
    return ownersByPid_.contains(pid) || learntProcesses_.contains(pid);
}

void PacketAttributor::learnProcess(const Process& process) {
    learntProcesses_[process.key.pid] =
        std::make_shared<const Owner>(Owner{describePacketOwner(process)});
}

namespace {
void sortUnique(std::vector<std::int32_t>& pids) {
    std::sort(pids.begin(), pids.end());
    pids.erase(std::unique(pids.begin(), pids.end()), pids.end());
}
} // namespace

void PacketAttributor::setWholeProcesses(std::vector<ProcessKey> processes) {
    wholeProcesses_ = std::move(processes);
    if (!socketSelection_.everySocket) {
        for (const ProcessKey& key : wholeProcesses_) {
            socketSelection_.processes.push_back(key.pid);
        }
        sortUnique(socketSelection_.processes);
    }
}

SocketSelection PacketAttributor::buildSocketSelection(const Update& update) const {
    SocketSelection selection;
    if (!selector_) {
        selection.everySocket = true;
        return selection;
    }
    for (const auto& [cookie, entry] : sockets_) {
        if (entry.selected) {
            selection.sockets.push_back(cookie);
        }
    }
    for (const auto& [key, listeners] : listeners_) {
        // Only TCP accepts connections of its own; a UDP listener's datagrams are its socket's.
        const bool selected = std::any_of(listeners.begin(), listeners.end(),
                                          [](const Listener& l) { return l.entry.selected; });
        if (key.protocol == Protocol::Tcp && selected) {
            selection.listeningPorts.push_back({key.protocol, key.port});
        }
    }
    for (const ProcessKey& key : wholeProcesses_) {
        // Once a poll shows the PID with another start time, the process has gone and its PID
        // serves another: that one is not chosen.
        const ProcessRow* listed = update.findProcess(key);
        const bool reused =
            listed == nullptr && key.startTime != 0 &&
            std::any_of(update.processes.begin(), update.processes.end(),
                        [&](const ProcessRow& row) { return row.process.key.pid == key.pid; });
        if (!reused) {
            selection.processes.push_back(key.pid);
        }
    }
    if (processSelector_) {
        for (const ProcessRow& row : update.processes) {
            if (processSelector_(row)) {
                selection.processes.push_back(row.process.key.pid);
            }
        }
    }
    std::sort(selection.sockets.begin(), selection.sockets.end());
    std::sort(selection.listeningPorts.begin(), selection.listeningPorts.end());
    sortUnique(selection.processes);
    return selection;
}

const PacketAttributor::Entry* PacketAttributor::findSocket(const PacketSocket& socket,
                                                            Entry* created) const {
    if (socket.cookie != 0) {
        if (const auto found = sockets_.find(socket.cookie); found != sockets_.end()) {
            return &found->second;
        }
    }
    if (socket.creatorPid <= 0) {
        return nullptr;
    }
    // A socket the kernel selected because a selected process created it, before a poll
    // listed it: the process is named as the last poll described it.
    if (const auto owner = ownersByPid_.find(socket.creatorPid); owner != ownersByPid_.end()) {
        created->owner = owner->second;
    } else if (const auto learnt = learntProcesses_.find(socket.creatorPid);
               learnt != learntProcesses_.end()) {
        created->owner = learnt->second;
    } else {
        created->owner =
            std::make_shared<const Owner>(Owner{"PID " + std::to_string(socket.creatorPid)});
    }
    created->selected = true;
    return created;
}

const PacketAttributor::Entry* PacketAttributor::findLocal(Protocol protocol, const Endpoint& local,
                                                           const Endpoint& remote) const {
    if (const auto found = flows_.find(FlowKey{protocol, local, remote}); found != flows_.end()) {
        return &found->second;
    }
    const auto listeners = listeners_.find(PortKey{protocol, local.port});
    if (listeners == listeners_.end()) {
        return nullptr;
    }
    const Entry* wildcard = nullptr;
    for (const Listener& listener : listeners->second) {
        if (listener.address == local.address) {
            return &listener.entry;
        }
        // A listener on every address: only for an address that is this host's, which a
        // packet's remote end usually is not; loopback and the addresses of known
        // connections are.
        if (listener.address.isUnspecified() && wildcard == nullptr) {
            const bool localAddress =
                local.address.isLoopback() ||
                std::binary_search(localAddresses_.begin(), localAddresses_.end(), local.address);
            if (localAddress) {
                wildcard = &listener.entry;
            }
        }
    }
    return wildcard;
}

PacketAttributor::Attribution PacketAttributor::attribute(const PacketFlow& flow,
                                                          const PacketSocket& socket) const {
    const Endpoint source{flow.source.address.unmapped(), flow.source.port};
    const Endpoint destination{flow.destination.address.unmapped(), flow.destination.port};
    // The socket a capture by socket took the packet from is one end, by its direction; the
    // other end, and both ends of any other packet, are found by address and port.
    Entry created;
    const Entry* own =
        flow.direction == pcapng::Direction::Unknown ? nullptr : findSocket(socket, &created);
    const bool sent = flow.direction == pcapng::Direction::Outbound;
    const Entry* sender = own && sent ? own : findLocal(flow.protocol, source, destination);
    const Entry* receiver = own && !sent ? own : findLocal(flow.protocol, destination, source);
    const Owner* sendingOwner = sender ? sender->owner.get() : nullptr;
    const Owner* receivingOwner = receiver ? receiver->owner.get() : nullptr;

    Attribution result;
    result.owned = sendingOwner != nullptr || receivingOwner != nullptr;
    if (!result.owned) {
        result.comment = "no process owns this packet (a connection that has ended, such as "
                         "TIME_WAIT, a reply of the kernel, or one not yet listed)";
        // A capture by socket of chosen connections is handed such a packet only when its
        // socket shares a chosen listener's port (in another network namespace, say): not
        // theirs. Every other capture keeps it, so that nothing of the chosen is lost.
        result.selected = socket.cookie == 0 || !selector_;
        return result;
    }
    result.selected = (sender && sender->selected) || (receiver && receiver->selected);
    // A selected sender here may have had its copy taken as it sent the packet, naming the
    // receiver too; the caller checks that it was (PacketEcho).
    const bool bySocket = socket.cookie != 0;
    result.duplicate = bySocket && flow.direction == pcapng::Direction::Inbound &&
                       sender != nullptr && sender != own && sender->selected;
    result.echoExpected =
        bySocket && sent && receiver != nullptr && receiver != own && receiver->selected;
    if (sendingOwner == receivingOwner) {
        result.comment = sendingOwner->label + ": sent and received";
    } else if (sendingOwner && receivingOwner) {
        result.comment = sendingOwner->label + ": sent; " + receivingOwner->label + ": received";
    } else if (sendingOwner) {
        result.comment = sendingOwner->label + ": sent";
    } else {
        result.comment = receivingOwner->label + ": received";
    }
    return result;
}

std::string PacketAttributor::buildFilter() const {
    if (!selector_) {
        return {};
    }
    auto protocolName = [](Protocol protocol) { return protocol == Protocol::Tcp ? "tcp" : "udp"; };
    std::set<std::string> terms;
    std::set<std::string> portTerms;
    for (const auto& [key, entry] : flows_) {
        if (!entry.selected) {
            continue;
        }
        const std::string protocol = protocolName(key.protocol);
        terms.insert("(" + protocol + " and " + hostTerm(key.local.address) + " and " +
                     hostTerm(key.remote.address) + " and port " + std::to_string(key.local.port) +
                     " and port " + std::to_string(key.remote.port) + ")");
        portTerms.insert("(" + protocol + " port " + std::to_string(key.local.port) + ")");
    }
    for (const auto& [key, listeners] : listeners_) {
        for (const Listener& listener : listeners) {
            if (!listener.entry.selected) {
                continue;
            }
            const std::string port =
                "(" + std::string(protocolName(key.protocol)) + " port " + std::to_string(key.port);
            terms.insert(port + (listener.address.isUnspecified()
                                     ? ")"
                                     : " and " + hostTerm(listener.address) + ")"));
            portTerms.insert(port + ")");
        }
    }
    const std::set<std::string>& chosen = terms.size() <= kMaxFilterTerms ? terms : portTerms;
    if (chosen.size() > kMaxFilterTerms) {
        return {}; // the attribution selects the packets instead
    }
    if (chosen.empty()) {
        return std::string(kNothing);
    }
    std::string filter;
    for (const auto& term : chosen) {
        filter += filter.empty() ? term : " or " + term;
    }
    return filter;
}

std::string PacketAttributor::combineFilters(const std::string& processFilter,
                                             const std::string& userFilter) {
    if (processFilter.empty()) {
        return userFilter;
    }
    if (userFilter.empty()) {
        return processFilter;
    }
    return "(" + processFilter + ") and (" + userFilter + ")";
}

} // namespace portscope::core
