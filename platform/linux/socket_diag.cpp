#include "linux/socket_diag.h"

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <utility>

namespace portscope::platform::linuxsys {

namespace {

// The kernel sends at most about 32 KiB per dump datagram; twice that leaves headroom.
constexpr std::size_t kReceiveBufferSize = 64 * 1024;
constexpr int kEventSocketBufferBytes = 8 * 1024 * 1024;
// A dump of a million sockets takes a few thousand datagrams; this only guards against a
// kernel that never ends the reply.
constexpr std::size_t kMaxDatagramsPerDump = 1u << 20;
constexpr std::size_t kMaxStaleDatagrams = 1024;
constexpr std::uint32_t kAllStates = 0xFFFFFFFFu;

constexpr std::size_t kTcpInfoBytesSentEnd =
    offsetof(struct tcp_info, tcpi_bytes_sent) + sizeof(std::uint64_t);

template <typename T>
T readStruct(std::span<const std::uint8_t> bytes, std::size_t offset = 0) {
    T value;
    std::memcpy(&value, bytes.data() + offset, sizeof(T));
    return value;
}

std::string errnoText(int errorNumber) {
    return std::strerror(errorNumber);
}

core::Endpoint endpointFrom(std::uint8_t family, const std::uint32_t (&address)[4],
                            std::uint16_t networkPort) {
    core::Endpoint endpoint;
    if (family == AF_INET) {
        endpoint.address = core::IpAddress::v4FromNetworkOrder(address[0]);
    } else {
        std::array<std::uint8_t, 16> raw{};
        std::memcpy(raw.data(), address, raw.size());
        endpoint.address = core::IpAddress::v6(raw);
    }
    endpoint.port = ntohs(networkPort);
    return endpoint;
}

void applyTcpInfo(std::span<const std::uint8_t> payload, core::TcpCounters& counters) {
    // Older kernels send a shorter struct and newer ones a longer one; the fields we use
    // keep their offsets, and what an older kernel lacks stays zero.
    struct tcp_info info {};
    std::memcpy(&info, payload.data(), std::min(payload.size(), sizeof info));
    counters.present = true;
    counters.bytesAcked = info.tcpi_bytes_acked;
    counters.bytesReceived = info.tcpi_bytes_received;
    counters.segsIn = info.tcpi_segs_in;
    counters.segsOut = info.tcpi_segs_out;
    counters.hasBytesSent = payload.size() >= kTcpInfoBytesSentEnd;
    counters.bytesSent = counters.hasBytesSent ? info.tcpi_bytes_sent : 0;
}

// One SOCK_DIAG_BY_FAMILY message: inet_diag_msg followed by attributes.
void parseDiagMessage(std::span<const std::uint8_t> payload, core::Protocol defaultProtocol,
                      std::vector<core::Socket>& out, DumpParseResult& result) {
    if (payload.size() < sizeof(inet_diag_msg)) {
        ++result.malformed;
        return;
    }
    const auto message = readStruct<inet_diag_msg>(payload);
    if (message.idiag_family != AF_INET && message.idiag_family != AF_INET6) {
        ++result.malformed;
        return;
    }

    std::span<const std::uint8_t> tcpInfo;
    bool hasTcpInfo = false;
    std::optional<std::uint8_t> reportedProtocol;
    std::size_t offset = NLMSG_ALIGN(sizeof(inet_diag_msg));
    while (offset < payload.size()) {
        const auto remaining = payload.size() - offset;
        if (remaining < sizeof(rtattr)) {
            ++result.malformed;
            break;
        }
        const auto attribute = readStruct<rtattr>(payload, offset);
        if (attribute.rta_len < sizeof(rtattr) || attribute.rta_len > remaining) {
            ++result.malformed;
            break;
        }
        const auto data =
            payload.subspan(offset + RTA_LENGTH(0), attribute.rta_len - RTA_LENGTH(0));
        if (attribute.rta_type == INET_DIAG_INFO && !data.empty()) {
            tcpInfo = data;
            hasTcpInfo = true;
        } else if (attribute.rta_type == INET_DIAG_PROTOCOL && !data.empty()) {
            reportedProtocol = data[0];
        }
        offset += RTA_ALIGN(attribute.rta_len);
    }

    core::Protocol protocol = defaultProtocol;
    if (reportedProtocol) {
        if (*reportedProtocol == IPPROTO_TCP) {
            protocol = core::Protocol::Tcp;
        } else if (*reportedProtocol == IPPROTO_UDP) {
            protocol = core::Protocol::Udp;
        } else {
            return; // UDP-Lite, DCCP, raw: not listed by PortScope
        }
    }

    core::Socket socket;
    socket.protocol = protocol;
    socket.state = core::fromKernelState(message.idiag_state, protocol);
    socket.local = endpointFrom(message.idiag_family, message.id.idiag_src, message.id.idiag_sport);
    socket.remote =
        endpointFrom(message.idiag_family, message.id.idiag_dst, message.id.idiag_dport);
    socket.interfaceIndex = message.id.idiag_if;
    socket.cookie = static_cast<std::uint64_t>(message.id.idiag_cookie[0]) |
                    static_cast<std::uint64_t>(message.id.idiag_cookie[1]) << 32;
    socket.receiveQueue = message.idiag_rqueue;
    socket.sendQueue = message.idiag_wqueue;
    socket.uid = message.idiag_uid;
    socket.inode = message.idiag_inode;
    if (hasTcpInfo && protocol == core::Protocol::Tcp) {
        applyTcpInfo(tcpInfo, socket.counters);
    }
    out.push_back(socket);
    ++result.sockets;
}

bool setReceiveTimeout(int fd, int seconds) {
    timeval timeout{};
    timeout.tv_sec = seconds;
    return ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout) == 0;
}

void closeFd(int& fd) {
    if (fd >= 0) {
        ::close(fd);
        fd = -1;
    }
}

} // namespace

std::vector<std::uint8_t> buildDumpRequest(std::uint8_t family, std::uint8_t protocol,
                                           std::uint32_t stateMask, bool withTcpInfo,
                                           std::uint32_t sequence) {
    struct {
        nlmsghdr header;
        inet_diag_req_v2 request;
    } message{};
    static_assert(sizeof message == NLMSG_LENGTH(sizeof(inet_diag_req_v2)));
    message.header.nlmsg_len = sizeof message;
    message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    message.header.nlmsg_seq = sequence;
    message.request.sdiag_family = family;
    message.request.sdiag_protocol = protocol;
    message.request.idiag_states = stateMask;
    if (withTcpInfo) {
        message.request.idiag_ext = 1u << (INET_DIAG_INFO - 1);
    }
    std::vector<std::uint8_t> bytes(sizeof message);
    std::memcpy(bytes.data(), &message, sizeof message);
    return bytes;
}

namespace {

// The request older tools send (struct inet_diag_req with TCPDIAG_GETSOCK). The kernel serves
// it with the family set to AF_UNSPEC, so one walk of the TCP table returns IPv4 and IPv6.
std::vector<std::uint8_t> buildTcpBothFamiliesRequest(bool withTcpInfo, std::uint32_t sequence) {
    struct {
        nlmsghdr header;
        inet_diag_req request;
    } message{};
    static_assert(sizeof message == NLMSG_LENGTH(sizeof(inet_diag_req)));
    message.header.nlmsg_len = sizeof message;
    message.header.nlmsg_type = TCPDIAG_GETSOCK;
    message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    message.header.nlmsg_seq = sequence;
    message.request.idiag_family = AF_INET; // ignored by the kernel for a dump
    message.request.idiag_states = kAllStates;
    if (withTcpInfo) {
        message.request.idiag_ext = 1u << (INET_DIAG_INFO - 1);
    }
    std::vector<std::uint8_t> bytes(sizeof message);
    std::memcpy(bytes.data(), &message, sizeof message);
    return bytes;
}

} // namespace

std::optional<std::vector<std::uint8_t>> buildDestroyRequest(const core::Socket& socket,
                                                             std::uint32_t sequence) {
    const auto kernelState = static_cast<std::uint8_t>(socket.state);
    if (socket.protocol != core::Protocol::Tcp || kernelState < 1 || kernelState > 12 ||
        socket.local.address.family != socket.remote.address.family) {
        return std::nullopt;
    }
    struct {
        nlmsghdr header;
        inet_diag_req_v2 request;
    } message{};
    message.header.nlmsg_len = sizeof message;
    message.header.nlmsg_type = SOCK_DESTROY;
    message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    message.header.nlmsg_seq = sequence;
    auto& request = message.request;
    request.sdiag_family = socket.family() == core::Family::V4 ? AF_INET : AF_INET6;
    request.sdiag_protocol = IPPROTO_TCP;
    request.idiag_states = 1u << kernelState;
    request.id.idiag_sport = htons(socket.local.port);
    request.id.idiag_dport = htons(socket.remote.port);
    const std::size_t addressBytes = socket.family() == core::Family::V4 ? 4 : 16;
    std::memcpy(request.id.idiag_src, socket.local.address.bytes.data(), addressBytes);
    std::memcpy(request.id.idiag_dst, socket.remote.address.bytes.data(), addressBytes);
    request.id.idiag_if = socket.interfaceIndex;
    if (socket.cookie == 0) {
        // The source had no cookie (the /proc fallback): match on the 4-tuple alone.
        request.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
        request.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
    } else {
        request.id.idiag_cookie[0] = static_cast<std::uint32_t>(socket.cookie);
        request.id.idiag_cookie[1] = static_cast<std::uint32_t>(socket.cookie >> 32);
    }
    std::vector<std::uint8_t> bytes(sizeof message);
    std::memcpy(bytes.data(), &message, sizeof message);
    return bytes;
}

namespace {

// The kernel reports 0 or a negative errno no lower than -MAX_ERRNO (4095). Anything else is a
// damaged message, and must not reach callers that negate it (-INT_MIN overflows).
void setKernelError(int code, DumpParseResult& result) {
    constexpr int kMaxErrno = 4095;
    if (code <= 0 && code >= -kMaxErrno) {
        result.error = code;
    } else {
        ++result.malformed;
        result.error = -EBADMSG;
    }
}

} // namespace

DumpParseResult parseDumpMessages(std::span<const std::uint8_t> bytes, core::Protocol protocol,
                                  std::vector<core::Socket>& out) {
    DumpParseResult result;
    std::size_t offset = 0;
    while (offset < bytes.size()) {
        const auto remaining = bytes.size() - offset;
        if (remaining < sizeof(nlmsghdr)) {
            ++result.malformed;
            break;
        }
        const auto header = readStruct<nlmsghdr>(bytes, offset);
        if (header.nlmsg_len < sizeof(nlmsghdr) || header.nlmsg_len > remaining) {
            ++result.malformed;
            break;
        }
        if (header.nlmsg_flags & NLM_F_DUMP_INTR) {
            result.interrupted = true;
        }
        const auto payload = bytes.subspan(offset + NLMSG_HDRLEN, header.nlmsg_len - NLMSG_HDRLEN);
        switch (header.nlmsg_type) {
        case NLMSG_DONE:
            result.done = true;
            // Since Linux 4.x the DONE message carries the dump's final status.
            if (payload.size() >= sizeof(int)) {
                const auto status = readStruct<int>(payload);
                if (status < 0) {
                    setKernelError(status, result);
                }
            }
            return result;
        case NLMSG_ERROR:
            result.done = true;
            if (payload.size() >= sizeof(int)) {
                setKernelError(readStruct<int>(payload), result);
            } else {
                ++result.malformed;
                result.error = -EBADMSG;
            }
            return result;
        case SOCK_DIAG_BY_FAMILY:
        case TCPDIAG_GETSOCK: // replies to buildTcpBothFamiliesRequest
            parseDiagMessage(payload, protocol, out, result);
            break;
        default:
            break; // NLMSG_NOOP and anything newer
        }
        offset += std::min<std::size_t>(NLMSG_ALIGN(header.nlmsg_len), remaining);
    }
    return result;
}

// ---------------------------------------------------------------------------------------------
// SockDiagSocket

SockDiagSocket::SockDiagSocket(int fd) : fd_(fd), receiveBuffer_(kReceiveBufferSize) {}

SockDiagSocket::SockDiagSocket(SockDiagSocket&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), bothFamiliesRefused_(other.bothFamiliesRefused_),
      sequence_(other.sequence_), lastDumpSize_(other.lastDumpSize_),
      receiveBuffer_(std::move(other.receiveBuffer_)) {}

SockDiagSocket& SockDiagSocket::operator=(SockDiagSocket&& other) noexcept {
    if (this != &other) {
        closeFd(fd_);
        fd_ = std::exchange(other.fd_, -1);
        bothFamiliesRefused_ = other.bothFamiliesRefused_;
        sequence_ = other.sequence_;
        lastDumpSize_ = other.lastDumpSize_;
        receiveBuffer_ = std::move(other.receiveBuffer_);
    }
    return *this;
}

SockDiagSocket::~SockDiagSocket() {
    closeFd(fd_);
}

std::optional<SockDiagSocket> SockDiagSocket::open(std::string* error) {
    const int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd < 0) {
        if (error != nullptr) {
            *error = "cannot open a NETLINK_SOCK_DIAG socket: " + errnoText(errno);
        }
        return std::nullopt;
    }
    // The kernel always answers a dump; the timeout only keeps a broken kernel from hanging
    // the poll thread.
    if (!setReceiveTimeout(fd, 5)) {
        const int saved = errno;
        ::close(fd);
        if (error != nullptr) {
            *error = "cannot set a receive timeout on the sock_diag socket: " + errnoText(saved);
        }
        return std::nullopt;
    }
    return SockDiagSocket(fd);
}

void SockDiagSocket::discardPending() {
    // Left over from a dump that failed half-way; they would be read as this dump's reply.
    for (std::size_t i = 0; i < kMaxStaleDatagrams; ++i) {
        if (::recv(fd_, receiveBuffer_.data(), receiveBuffer_.size(), MSG_DONTWAIT) < 0 &&
            errno != EINTR) {
            break;
        }
    }
}

bool SockDiagSocket::dumpOnce(core::Protocol protocol, std::optional<core::Family> family,
                              std::vector<core::Socket>& out, bool& interrupted,
                              std::string* error) {
    const auto describe = [&](const std::string& reason) {
        if (error != nullptr) {
            *error = "sock_diag dump of " + std::string(core::toString(protocol)) + " over " +
                     (family ? std::string(core::toString(*family)) : "IPv4 and IPv6") +
                     " failed: " + reason;
        }
        return false;
    };

    discardPending();
    const bool withTcpInfo = protocol == core::Protocol::Tcp;
    const auto request =
        family ? buildDumpRequest(*family == core::Family::V4 ? AF_INET : AF_INET6,
                                  protocol == core::Protocol::Tcp ? IPPROTO_TCP : IPPROTO_UDP,
                                  kAllStates, withTcpInfo, ++sequence_)
               : buildTcpBothFamiliesRequest(withTcpInfo, ++sequence_);
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    ssize_t sent = -1;
    do {
        sent = ::sendto(fd_, request.data(), request.size(), 0,
                        reinterpret_cast<const sockaddr*>(&kernel), sizeof kernel);
    } while (sent < 0 && errno == EINTR);
    if (sent != static_cast<ssize_t>(request.size())) {
        return describe(sent < 0 ? "cannot send the request: " + errnoText(errno)
                                 : "the request was sent only in part");
    }

    const auto start = out.size();
    const auto fail = [&](const std::string& reason) {
        out.erase(out.begin() + static_cast<std::ptrdiff_t>(start), out.end());
        return describe(reason);
    };
    for (std::size_t datagram = 0; datagram < kMaxDatagramsPerDump; ++datagram) {
        sockaddr_nl source{};
        iovec buffer{receiveBuffer_.data(), receiveBuffer_.size()};
        msghdr header{};
        header.msg_name = &source;
        header.msg_namelen = sizeof source;
        header.msg_iov = &buffer;
        header.msg_iovlen = 1;
        const auto received = ::recvmsg(fd_, &header, 0);
        if (received < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                return fail("the kernel stopped answering");
            }
            return fail("cannot receive: " + errnoText(errno));
        }
        if (header.msg_flags & MSG_TRUNC) {
            return fail("a reply did not fit the receive buffer");
        }
        if (source.nl_pid != 0) {
            continue; // not from the kernel
        }
        const auto result =
            parseDumpMessages(std::span<const std::uint8_t>(receiveBuffer_.data(),
                                                            static_cast<std::size_t>(received)),
                              protocol, out);
        interrupted = interrupted || result.interrupted;
        if (result.error != 0) {
            std::string reason = errnoText(-result.error);
            if (result.error == -ENOENT) {
                reason += " (the kernel has no sock_diag module for this protocol and family)";
            }
            return fail(reason);
        }
        if (result.malformed > 0) {
            return fail("the kernel's reply was malformed (" + std::to_string(result.malformed) +
                        " bad messages or attributes)");
        }
        if (result.done) {
            return true;
        }
    }
    return fail("the reply did not end");
}

bool SockDiagSocket::dump(core::Protocol protocol, core::Family family,
                          std::vector<core::Socket>& out, std::string* error) {
    return dumpRetryingInterrupted(protocol, family, out, error);
}

bool SockDiagSocket::dumpTcpBothFamilies(std::vector<core::Socket>& out, std::string* error) {
    if (bothFamiliesRefused_) {
        if (error != nullptr) {
            *error = "the kernel refused a TCP dump of both families before";
        }
        return false;
    }
    if (!dumpRetryingInterrupted(core::Protocol::Tcp, std::nullopt, out, error)) {
        bothFamiliesRefused_ = true;
        return false;
    }
    return true;
}

bool SockDiagSocket::dumpRetryingInterrupted(core::Protocol protocol,
                                             std::optional<core::Family> family,
                                             std::vector<core::Socket>& out, std::string* error) {
    const auto start = out.size();
    bool interrupted = false;
    if (!dumpOnce(protocol, family, out, interrupted, error)) {
        return false;
    }
    if (interrupted) {
        out.erase(out.begin() + static_cast<std::ptrdiff_t>(start), out.end());
        interrupted = false;
        return dumpOnce(protocol, family, out, interrupted, error);
    }
    return true;
}

bool SockDiagSocket::dumpAll(std::vector<core::Socket>& out, std::string* error,
                             const std::function<bool(std::vector<core::Socket>&)>& listTcp) {
    out.reserve(out.size() + lastDumpSize_ + lastDumpSize_ / 8);
    const auto start = out.size();
    bool ok = true;
    std::string failures;
    // A kernel that refuses the one-walk request (none known; it is older than sock_diag)
    // gets the dump per family, for good.
    const bool tcpDone = (listTcp && listTcp(out)) || dumpTcpBothFamilies(out, nullptr);
    for (const auto protocol : {core::Protocol::Tcp, core::Protocol::Udp}) {
        for (const auto family : {core::Family::V4, core::Family::V6}) {
            if (protocol == core::Protocol::Tcp && tcpDone) {
                continue;
            }
            std::string reason;
            if (!dump(protocol, family, out, &reason)) {
                ok = false;
                if (!failures.empty()) {
                    failures += "; ";
                }
                failures += reason;
            }
        }
    }
    lastDumpSize_ = out.size() - start;
    if (!ok && error != nullptr) {
        *error = std::move(failures);
    }
    return ok;
}

// ---------------------------------------------------------------------------------------------
// CloseEventListener

CloseEventListener::CloseEventListener(int fd) : fd_(fd), receiveBuffer_(kReceiveBufferSize) {}

CloseEventListener::CloseEventListener(CloseEventListener&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), receiveBuffer_(std::move(other.receiveBuffer_)) {}

CloseEventListener& CloseEventListener::operator=(CloseEventListener&& other) noexcept {
    if (this != &other) {
        closeFd(fd_);
        fd_ = std::exchange(other.fd_, -1);
        receiveBuffer_ = std::move(other.receiveBuffer_);
    }
    return *this;
}

CloseEventListener::~CloseEventListener() {
    closeFd(fd_);
}

std::optional<CloseEventListener> CloseEventListener::open(std::string* error) {
    int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_SOCK_DIAG);
    if (fd < 0) {
        if (error != nullptr) {
            *error = "cannot open a NETLINK_SOCK_DIAG socket for close events: " + errnoText(errno);
        }
        return std::nullopt;
    }
    // Bursts of closes arrive faster than a poll loop reads; a big buffer makes ENOBUFS (and
    // the full dump it forces) rare. FORCE needs CAP_NET_ADMIN; without it the kernel caps
    // SO_RCVBUF at net.core.rmem_max, which is still better than the default.
    const int bufferBytes = kEventSocketBufferBytes;
    if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bufferBytes, sizeof bufferBytes) != 0) {
        // Best effort: the default buffer works, it only overflows sooner.
        (void)::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufferBytes, sizeof bufferBytes);
    }
    sockaddr_nl address{};
    address.nl_family = AF_NETLINK;
    for (const unsigned group : {SKNLGRP_INET_TCP_DESTROY, SKNLGRP_INET_UDP_DESTROY,
                                 SKNLGRP_INET6_TCP_DESTROY, SKNLGRP_INET6_UDP_DESTROY}) {
        address.nl_groups |= 1u << (group - 1);
    }
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        const int saved = errno;
        closeFd(fd);
        if (error != nullptr) {
            *error = "cannot subscribe to socket destroy events: " + errnoText(saved);
        }
        return std::nullopt;
    }
    return CloseEventListener(fd);
}

CloseEventListener::DrainResult CloseEventListener::drain(std::vector<core::Socket>& out,
                                                          std::size_t maxReads) {
    DrainResult result;
    for (std::size_t read = 0; read < maxReads; ++read) {
        const auto received = ::recv(fd_, receiveBuffer_.data(), receiveBuffer_.size(), 0);
        if (received < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == ENOBUFS) {
                // The socket stays usable after an overrun; keep reading what is queued.
                result.lost = true;
                continue;
            }
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                result.error = errno;
            }
            break;
        }
        // The protocol of each event comes from its INET_DIAG_PROTOCOL attribute.
        const auto parsed =
            parseDumpMessages(std::span<const std::uint8_t>(receiveBuffer_.data(),
                                                            static_cast<std::size_t>(received)),
                              core::Protocol::Tcp, out);
        result.events += parsed.sockets;
    }
    return result;
}

} // namespace portscope::platform::linuxsys
