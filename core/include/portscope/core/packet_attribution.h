#pragma once
// Which process a captured packet belongs to. A packet's addresses and ports are matched
// against the connections the tracker reports, open and recently closed (short-lived ones
// from close events included), and against listeners and bound UDP sockets for connections
// too new to be listed. The same connections give the capture filter that keeps the kernel's
// copy small when only some processes are captured.

#include "portscope/core/net.h"
#include "portscope/core/pcapng.h"
#include "portscope/core/update.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace portscope::core {

// The transport flow of one packet, read from its link-layer, IP and TCP/UDP headers.
struct PacketFlow {
    Protocol protocol = Protocol::Tcp;
    Endpoint source;
    Endpoint destination;
    pcapng::Direction direction = pcapng::Direction::Unknown; // from the link layer, if it says
};

// Reads the flow of a packet captured with `linkType` (pcapng.h's kLinkType*). Nullopt for
// anything but TCP and UDP over IPv4 or IPv6 with whole headers (ARP, ICMP, a later fragment).
std::optional<PacketFlow> parsePacketFlow(std::uint16_t linkType, std::string_view packet);

// 2026-12-02T10:11:12Z: a Unix time in milliseconds as UTC, to the second, in ISO 8601. It
// uses the proleptic Gregorian calendar and no C library time zone state.
std::string formatUtcTime(std::int64_t unixMs);

// "PID 1234 (started 2026-12-02T10:11:12Z) name /path/to/exe user alice": a process as a
// packet comment names it. Its texts are made safe to show (no control characters).
std::string describePacketOwner(const Process& process);

// The socket a capture by socket took a packet from (platform's PacketCapture::selectsBySocket).
struct PacketSocket {
    std::uint64_t cookie = 0; // 0: the capture does not know the socket
    // The process the kernel saw create the socket, for one it selected before any poll named
    // it; 0 otherwise.
    std::int32_t creatorPid = 0;
};

// What a capture by socket keeps in the kernel: the packets of these sockets, of the sockets
// these processes create from now on, and of the connections accepted on these ports.
struct SocketSelection {
    bool everySocket = false;
    std::vector<std::uint64_t> sockets;  // cookies, sorted
    std::vector<std::int32_t> processes; // PIDs, sorted
    struct Port {
        Protocol protocol = Protocol::Tcp;
        std::uint16_t port = 0;
        auto operator<=>(const Port&) const = default;
    };
    std::vector<Port> listeningPorts; // sorted
    bool operator==(const SocketSelection&) const = default;
};

// Recognises the received copy of a packet that a capture by socket took as it was sent: the
// same IP packet, whatever the way between may change (TTL, hop limit, checksums). Remembers
// the last kRemembered sent packets; the received copy follows its sent one within the same
// ring, so no more are needed.
class PacketEcho {
public:
    static constexpr std::size_t kRemembered = 8192;
    void sent(std::string_view ipPacket);
    // True, once, when `ipPacket` is a remembered sent packet.
    bool takeEcho(std::string_view ipPacket);

private:
    static std::uint64_t signature(std::string_view ipPacket);
    std::deque<std::uint64_t> order_;
    std::unordered_multiset<std::uint64_t> remembered_;
};

// Says for each packet whose it is, and builds the capture filter of the selected connections.
class PacketAttributor {
public:
    // A filter that passes no packet. libpcap refuses one it can prove empty ("tcp and not
    // tcp"), so this is a length no frame has.
    static constexpr const char* kNothing = "less 1";

    // Which connections to capture; null captures every connection.
    using Selector = std::function<bool(const Connection&, const ProcessRow* owner)>;
    // Which processes are captured whole, for a capture by socket to select their new sockets
    // as they are created; null when the selection is not by process.
    using ProcessSelector = std::function<bool(const ProcessRow&)>;

    // A connection stays known this long after it was last listed, so that its last packets
    // (FIN, ACK, TIME_WAIT's retransmissions) are still attributed.
    explicit PacketAttributor(Selector selector, ProcessSelector processSelector = {},
                              std::int64_t retentionMs = 30'000);

    // Processes captured whole from now on, whether or not a poll lists them (a process that
    // holds no socket yet is in no Update): in socketSelection().processes until a poll lists
    // their PID with another start time (a start time of 0 is never contradicted).
    void setWholeProcesses(std::vector<ProcessKey> processes);

    // Whether a packet of a socket this process created would name more than its PID, and
    // the process's description for when no Update lists it (it held no socket at the polls).
    bool describes(std::int32_t pid) const;
    void learnProcess(const Process& process);

    // Learns the connections of an Update. Returns true when the capture filter changed.
    bool update(const Update& update);

    struct Attribution {
        std::string comment;   // the owners with what they did ("sent", "received")
        bool owned = false;    // some process owns the packet
        bool selected = false; // it belongs to a selected connection, or to no process
        // A capture by socket may take this packet twice, as its selected sender sends it and
        // as its selected receiver receives it. `echoExpected` marks the sent copy, whose
        // received copy will follow; `duplicate` the received copy of a sent one (PacketEcho
        // tells whether that was written).
        bool echoExpected = false;
        bool duplicate = false;
    };
    // `socket` is the socket a capture by socket took the packet from; the packet's direction
    // then says which end it is.
    Attribution attribute(const PacketFlow& flow, const PacketSocket& socket = {}) const;

    // A pcap-filter expression for the selected connections and listeners; empty when every
    // connection is selected. kNothing while none is known.
    const std::string& processFilter() const { return filter_; }

    // What a capture by socket keeps in the kernel: every socket when every connection is
    // selected, else the selected connections' and listeners' sockets, the listeners' ports,
    // and the processes the ProcessSelector chose.
    const SocketSelection& socketSelection() const { return socketSelection_; }

    // `processFilter()` and the user's own expression together.
    static std::string combineFilters(const std::string& processFilter,
                                      const std::string& userFilter);

    std::size_t knownFlows() const { return flows_.size(); }

private:
    struct Owner;
    struct FlowKey {
        Protocol protocol = Protocol::Tcp;
        Endpoint local;
        Endpoint remote;
        bool operator==(const FlowKey&) const = default;
    };
    struct FlowKeyHash {
        std::size_t operator()(const FlowKey& key) const noexcept;
    };
    struct Entry {
        std::shared_ptr<const Owner> owner; // null: no process is known to own it
        bool selected = false;
        std::int64_t lastSeenUnixMs = 0;
    };
    struct PortKey {
        Protocol protocol = Protocol::Tcp;
        std::uint16_t port = 0;
        bool operator==(const PortKey&) const = default;
    };
    struct PortKeyHash {
        std::size_t operator()(const PortKey& key) const noexcept;
    };
    struct Listener {
        IpAddress address; // unspecified: every local address
        Entry entry;
    };

    const Entry* findLocal(Protocol protocol, const Endpoint& local, const Endpoint& remote) const;
    // The entry of the socket a capture by socket named: by cookie, else by the process the
    // kernel saw create it (into *created). Null when neither is known.
    const Entry* findSocket(const PacketSocket& socket, Entry* created) const;
    std::string buildFilter() const;
    SocketSelection buildSocketSelection(const Update& update) const;

    Selector selector_;
    ProcessSelector processSelector_;
    std::int64_t retentionMs_;
    std::unordered_map<FlowKey, Entry, FlowKeyHash> flows_;
    std::unordered_map<std::uint64_t, Entry> sockets_; // selected ones by cookie, listeners too
    std::unordered_map<std::int32_t, std::shared_ptr<const Owner>> ownersByPid_;
    std::unordered_map<std::int32_t, std::shared_ptr<const Owner>> learntProcesses_;
    SocketSelection socketSelection_;
    std::vector<ProcessKey> wholeProcesses_;
    std::unordered_map<PortKey, std::vector<Listener>, PortKeyHash> listeners_;
    std::vector<IpAddress> localAddresses_; // sorted: this host's, from its connections
    std::string filter_;
};

} // namespace portscope::core
