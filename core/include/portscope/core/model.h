#pragma once
// The value types every layer shares: what a platform reports in one poll.

#include "portscope/core/net.h"
#include "portscope/core/system_text.h"

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace portscope::core {

// Numbered as the Linux kernel numbers them, so the Linux backend needs no table;
// other platforms map their states onto these.
enum class SocketState : std::uint8_t {
    Unknown = 0,
    Established = 1,
    SynSent = 2,
    SynRecv = 3,
    FinWait1 = 4,
    FinWait2 = 5,
    TimeWait = 6,
    Close = 7,
    CloseWait = 8,
    LastAck = 9,
    Listen = 10,
    Closing = 11,
    NewSynRecv = 12, // a request socket; shown to users as SYN_RECV
    Bound = 13,      // UDP socket with no peer (what the kernel reports as CLOSE)
};

// "ESTABLISHED", "SYN_SENT", ... as netstat spells them.
std::string_view toString(SocketState state);
std::optional<SocketState> parseSocketState(std::string_view text); // case-insensitive, '-' or '_'
SocketState fromKernelState(std::uint8_t kernelState, Protocol protocol);

// Why a socket has no owner. A socket is never dropped for lack of one.
enum class OwnerStatus : std::uint8_t {
    Known = 0,
    Listener,         // a SYN_RECV request, credited to the process owning the listener
    NoInode,          // TIME_WAIT and request sockets belong to no process
    PermissionDenied, // /proc/PID/fd of another user cannot be read without privileges
    NotFound,         // the owner went away, or the fd walk did not reach it yet
    NotResolved,      // owner lookup was switched off
};
std::string_view toString(OwnerStatus status);
std::string_view describe(OwnerStatus status); // a sentence for users

// A process is identified by PID plus an OS start-time token (Linux: clock ticks since
// boot from /proc/PID/stat; Windows: FILETIME), so a recycled PID is never confused
// with the process that held it before.
struct ProcessKey {
    std::int32_t pid = 0;
    std::uint64_t startTime = 0;

    bool valid() const { return pid > 0; }
    auto operator<=>(const ProcessKey&) const = default;
    bool operator==(const ProcessKey&) const = default;
};

struct ProcessKeyHash {
    std::size_t operator()(const ProcessKey& key) const noexcept;
};

struct TcpCounters {
    bool present = false;         // tcp_info was reported for this socket
    bool hasBytesSent = false;    // bytes_sent needs kernel 4.19+
    std::uint64_t bytesAcked = 0; // what the peer confirmed: our "sent" figure
    std::uint64_t bytesReceived = 0;
    std::uint64_t bytesSent = 0; // includes retransmissions
    std::uint32_t segsIn = 0;
    std::uint32_t segsOut = 0;
    bool operator==(const TcpCounters&) const = default;
};

// Fields are ordered so that the small ones share padding: the tracker and every update hold
// one Socket per row, so each 8 bytes here are about 1 MB per 100k rows in each copy.
struct Socket {
    Protocol protocol = Protocol::Tcp;
    SocketState state = SocketState::Unknown;
    OwnerStatus ownerStatus = OwnerStatus::NotResolved; // why `owner` is unknown, if it is
    Endpoint local;
    Endpoint remote;
    std::uint64_t inode = 0;
    std::uint64_t cookie = 0; // kernel socket cookie; 0 when the source has none
    std::uint32_t uid = 0;
    std::uint32_t interfaceIndex = 0;
    std::uint32_t receiveQueue = 0;
    std::uint32_t sendQueue = 0;
    TcpCounters counters;
    ProcessKey owner;        // pid 0 when unknown; ownerStatus says why
    std::uint64_t netns = 0; // network namespace inode; 0 means the monitor's own namespace

    Family family() const { return local.address.family; } // of the socket as opened
    bool operator==(const Socket&) const = default;
};

// A socket waiting for peers. For TCP that is state LISTEN. A UDP socket listens when it is
// bound to a port and not connected: state Bound (the kernel reports TCP_CLOSE for it), with
// no peer. The other UDP state, Established, is a connected socket: it takes datagrams from
// its one peer only, so it is a client, not a listener. A UDP socket whose state is Unknown
// (a source that could not tell) is not counted as listening either. The listener counts,
// the Show > Listening switch and the findings rules all ask this one function.
bool isListening(const Socket& socket);

// The address family a user means: a dual-stack IPv6 socket talking to an IPv4 peer through
// ::ffff:a.b.c.d (or bound to an IPv4-mapped address) carries IPv4 traffic, so it is IPv4.
// The peer decides when there is one, else the local address. Filters (family:4, --family 4,
// proto:tcp4) and the IPv4/IPv6 switches use this; Socket::family() is the family the socket
// was opened with, as exports report it.
Family effectiveFamily(const Socket& socket);

struct Process {
    ProcessKey key;
    std::int32_t parentPid = 0;
    std::string name;
    std::string exePath; // without the " (deleted)" suffix; see exeDeleted
    bool exeDeleted = false;
    std::string commandLine; // arguments joined by spaces
    std::uint32_t uid = 0;
    std::string userName;
    std::int64_t startedAtUnixMs = 0; // 0 when unknown
    std::uint32_t socketCount = 0;
    std::uint64_t netns = 0;
    std::string detailsError; // empty when every detail could be read
    bool operator==(const Process&) const = default;
};

// The `netstat -s` counters the rules need, typed, plus every counter as read.
struct HostCounters {
    bool present = false;
    struct {
        std::uint64_t activeOpens = 0, passiveOpens = 0, attemptFails = 0, estabResets = 0,
                      currEstab = 0, inSegs = 0, outSegs = 0, retransSegs = 0, inErrs = 0,
                      outRsts = 0;
    } tcp;
    struct {
        std::uint64_t inDatagrams = 0, noPorts = 0, inErrors = 0, outDatagrams = 0,
                      receiveBufferErrors = 0, sendBufferErrors = 0;
    } udp;
    struct {
        std::uint64_t inMessages = 0, outMessages = 0, inDestUnreachs = 0, outDestUnreachs = 0;
    } icmp;
    struct {
        std::uint64_t listenOverflows = 0, listenDrops = 0, reqQueueFullDrop = 0,
                      reqQueueFullDoCookies = 0, syncookiesSent = 0, syncookiesRecv = 0,
                      syncookiesFailed = 0, synRetransmits = 0;
    } tcpExt;
    // "Tcp.OutRsts" -> value, in the order the source listed them.
    std::vector<std::pair<std::string, std::int64_t>> all;
};

// Probes of closed ports that this host turned away since the previous snapshot, from one
// source address: TCP segments answered with a reset by no socket, UDP datagrams no socket
// wanted. Only the eBPF sensor sees them (docs/sensor.md).
// A snapshot names at most this many sources: a flood of forged addresses must not make it
// grow without bound.
inline constexpr std::size_t kMaxProbeSourcesPerSnapshot = 4096;
struct ProbeSource {
    IpAddress address;
    std::uint32_t tcpPorts = 0; // distinct closed TCP ports probed
    std::uint32_t udpPorts = 0; // distinct closed UDP ports probed
    std::uint64_t probes = 0;   // packets turned away
    bool operator==(const ProbeSource&) const = default;
};

// How a live source learns of sockets (docs/sensor.md): by polling the socket tables, or by
// kernel events from the eBPF sensor with the polls as a consistency check. Unknown for a
// replay and for sources that cannot tell.
enum class SensorMode : std::uint8_t { Unknown = 0, Poll, Bpf };
std::string_view toString(SensorMode mode); // "unknown", "poll", "bpf"

// One poll of the system. Times are nanoseconds of a steady clock (for rates) and Unix
// milliseconds (for display); a replayed snapshot carries the times it was recorded with.
struct Snapshot {
    std::int64_t steadyNs = 0;
    std::int64_t unixMs = 0;
    std::int64_t pollDurationNs = 0;
    std::vector<Socket> sockets;
    // Sockets that closed since the previous poll, as the OS announced them (Linux destroy
    // events), with their final counters. Some may also have been seen open earlier.
    std::vector<Socket> closed;
    std::vector<Process> processes; // the owners of sockets in `sockets` and `closed`
    HostCounters counters;
    // Plain-language notes on what cannot be seen, repeated in every snapshot while they
    // hold (a view shows them as a banner; a stream says each once), in parts so that a front
    // end words them in its user's language.
    std::vector<SystemText> warnings;
    bool closeEventsLost = false; // the OS dropped close events; a full dump recovered
    std::string sourceName;
    SensorMode sensor = SensorMode::Unknown;
    std::vector<ProbeSource> probeSources; // eBPF sensor only; not recorded in replays
};

} // namespace portscope::core
