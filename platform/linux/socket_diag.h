#pragma once
// NETLINK_SOCK_DIAG: the socket dump (what `ss` uses) and the socket destroy events (what
// `ss -E` uses). Message building and parsing are free functions over bytes, so tests can
// feed them captured and corrupted buffers.

#include "portscope/core/model.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace portscope::platform::linuxsys {

// One nlmsghdr + inet_diag_req_v2 asking for every socket of (family, protocol) whose
// kernel state bit is set in `stateMask`. `family` is AF_INET or AF_INET6, `protocol`
// IPPROTO_TCP or IPPROTO_UDP.
std::vector<std::uint8_t> buildDumpRequest(std::uint8_t family, std::uint8_t protocol,
                                           std::uint32_t stateMask, bool withTcpInfo,
                                           std::uint32_t sequence);

// One nlmsghdr + inet_diag_req_v2 of type SOCK_DESTROY (with NLM_F_ACK) naming exactly this
// TCP socket: its 4-tuple, interface, cookie (or "any cookie" when it has none) and state.
// Empty for anything but a TCP socket in a kernel TCP state.
std::optional<std::vector<std::uint8_t>> buildDestroyRequest(const core::Socket& socket,
                                                             std::uint32_t sequence);

struct DumpParseResult {
    bool done = false;         // NLMSG_DONE or NLMSG_ERROR ended the reply
    int error = 0;             // negative errno from NLMSG_ERROR (or a failed NLMSG_DONE)
    bool interrupted = false;  // NLM_F_DUMP_INTR: the socket tables changed during the dump
    std::size_t malformed = 0; // messages or attributes that were cut short or inconsistent
    std::size_t sockets = 0;   // sockets appended to `out`
};

// Parses a buffer of netlink messages as received from a sock_diag socket: dump replies
// and destroy events alike. Every length is checked against the buffer; a message or
// attribute that does not fit is counted in `malformed` and nothing past it is read. A
// message whose inet_diag_msg is complete is reported even if its attributes are damaged
// (it then has no tcp_info). `protocol` is used unless the message names its own with
// INET_DIAG_PROTOCOL, as destroy events do; messages of other protocols are ignored.
// Parsing stops after NLMSG_DONE or NLMSG_ERROR.
DumpParseResult parseDumpMessages(std::span<const std::uint8_t> bytes, core::Protocol protocol,
                                  std::vector<core::Socket>& out);

// A NETLINK_SOCK_DIAG socket for dumps. One request at a time; not thread-safe.
class SockDiagSocket {
public:
    static std::optional<SockDiagSocket> open(std::string* error);

    SockDiagSocket(SockDiagSocket&& other) noexcept;
    SockDiagSocket& operator=(SockDiagSocket&& other) noexcept;
    SockDiagSocket(const SockDiagSocket&) = delete;
    SockDiagSocket& operator=(const SockDiagSocket&) = delete;
    ~SockDiagSocket();

    // Appends every socket of (protocol, family) in any state, with tcp_info for TCP. A dump
    // is not an atomic snapshot: if the kernel flags it as interrupted it is taken once more,
    // and a second interrupted result is kept as it is. On failure `out` is left as it was.
    bool dump(core::Protocol protocol, core::Family family, std::vector<core::Socket>& out,
              std::string* error);

    // TCP and UDP over IPv4 and IPv6. Every dump is tried; false if any failed (the
    // sockets of the others are still appended), with the reasons joined in `error`.
    // TCP of both families is one dump where the kernel allows it (see dumpTcpBothFamilies).
    // `listTcp`, when given, lists the TCP sockets instead of the dump (the eBPF sensor's
    // iterator); when it returns false, having left `out` as it was, the dump does.
    bool dumpAll(std::vector<core::Socket>& out, std::string* error,
                 const std::function<bool(std::vector<core::Socket>&)>& listTcp = {});

    // Every TCP socket of both families in one walk of the kernel's table, through the older
    // TCPDIAG_GETSOCK request (which matches any family); a dump per family walks the whole
    // table each time, so at 100k IPv4 sockets the IPv6 dump costs a third of the IPv4 one
    // while finding nothing. False if the kernel refused; `out` is then left as it was.
    bool dumpTcpBothFamilies(std::vector<core::Socket>& out, std::string* error);

    int fd() const { return fd_; }

private:
    explicit SockDiagSocket(int fd);
    // `family` empty: both families, through the TCPDIAG_GETSOCK request (TCP only).
    bool dumpOnce(core::Protocol protocol, std::optional<core::Family> family,
                  std::vector<core::Socket>& out, bool& interrupted, std::string* error);
    bool dumpRetryingInterrupted(core::Protocol protocol, std::optional<core::Family> family,
                                 std::vector<core::Socket>& out, std::string* error);
    void discardPending();

    int fd_ = -1;
    bool bothFamiliesRefused_ = false; // the kernel refused TCPDIAG_GETSOCK once
    std::uint32_t sequence_ = 0;
    std::size_t lastDumpSize_ = 0;
    std::vector<std::uint8_t> receiveBuffer_;
};

// Subscribes to the kernel's socket destroy events for TCP and UDP over IPv4 and IPv6.
// They need no privilege, carry the 4-tuple, the cookie and the final tcp_info, but no
// inode and no owner (link them by cookie to an earlier dump).
class CloseEventListener {
public:
    static std::optional<CloseEventListener> open(std::string* error);

    CloseEventListener(CloseEventListener&& other) noexcept;
    CloseEventListener& operator=(CloseEventListener&& other) noexcept;
    CloseEventListener(const CloseEventListener&) = delete;
    CloseEventListener& operator=(const CloseEventListener&) = delete;
    ~CloseEventListener();

    // Non-blocking; poll it for POLLIN.
    int fd() const { return fd_; }

    struct DrainResult {
        std::size_t events = 0; // sockets appended to `out`
        bool lost = false;      // the kernel dropped events (ENOBUFS): do a full dump
        int error = 0;          // errno of an unexpected receive failure, 0 if none
    };
    // Reads what is queued now, without blocking, appending one Socket per event. Stops
    // after `maxReads` datagrams so a flood of closes cannot hold the caller forever; poll
    // reports the rest.
    DrainResult drain(std::vector<core::Socket>& out, std::size_t maxReads = 65536);

private:
    explicit CloseEventListener(int fd);

    int fd_ = -1;
    std::vector<std::uint8_t> receiveBuffer_;
};

} // namespace portscope::platform::linuxsys
