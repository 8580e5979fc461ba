// Closing one TCP connection through sock_diag's SOCK_DESTROY, as `ss -K` does. Unlike
// `ss -K`, which exits 0 even when the kernel refuses, the ACK is read and reported.

#include "common/action_result.h"
#include "linux/namespaces.h"
#include "linux/socket_diag.h"
#include "portscope/core/translatable.h"
#include "portscope/platform/system.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <optional>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace portscope::platform {

namespace {

constexpr int kAckTimeoutSeconds = 2;

class NetlinkFd {
public:
    explicit NetlinkFd(int fd) : fd_(fd) {}
    NetlinkFd(const NetlinkFd&) = delete;
    NetlinkFd& operator=(const NetlinkFd&) = delete;
    ~NetlinkFd() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    int get() const { return fd_; }

private:
    int fd_;
};

using common::connectionText;
using common::result;
using core::verbatimText;

std::string errnoText(int error) {
    return std::strerror(error);
}

ActionResult resultFromKernelError(int error, const core::Socket& socket) {
    const auto target = connectionText(socket);
    switch (error) {
    case 0:
        return result(ActionStatus::Done, PORTSCOPE_TRANSLATABLE("SystemText", "Closed %1."),
                      {target});
    case EPERM:
    case EACCES:
        return result(
            ActionStatus::PermissionDenied,
            PORTSCOPE_TRANSLATABLE("SystemText",
                                   "Cannot close %1: closing another program's connection needs "
                                   "CAP_NET_ADMIN; let the administrator helper do it (\"Show all "
                                   "processes (administrator)…\" in the window, --elevated for "
                                   "portscope-cli)."),
            {target});
    case EOPNOTSUPP:
        return result(ActionStatus::NotSupported,
                      PORTSCOPE_TRANSLATABLE(
                          "SystemText",
                          "Cannot close %1: this kernel was built without "
                          "CONFIG_INET_DIAG_DESTROY, so it cannot close connections on request."),
                      {target});
    case ENOENT:
        return result(ActionStatus::NotFound,
                      PORTSCOPE_TRANSLATABLE(
                          "SystemText", "Cannot close %1: no such connection exists any more."),
                      {target});
    case ESTALE:
        // The 4-tuple matched, the cookie did not: the connection shown has closed and a new
        // one now uses the same addresses and ports. It is left alone.
        return result(ActionStatus::NotFound,
                      PORTSCOPE_TRANSLATABLE("SystemText",
                                             "Cannot close %1: it has closed, and another "
                                             "connection now uses the same addresses and "
                                             "ports; that one was left open."),
                      {target});
    case EINVAL:
        return result(ActionStatus::InvalidArgument,
                      PORTSCOPE_TRANSLATABLE(
                          "SystemText", "Cannot close %1: the kernel rejected the request (%2)."),
                      {target, verbatimText(errnoText(error))});
    default:
        return result(ActionStatus::Failed,
                      PORTSCOPE_TRANSLATABLE("SystemText", "Cannot close %1: %2."),
                      {target, verbatimText(errnoText(error))});
    }
}

// A sock_diag socket in the network namespace the connection lives in: SOCK_DESTROY only
// looks in the caller's namespace, and a container often has connections with the very same
// addresses and ports as the host.
std::optional<ActionResult> openDiagSocketFor(const core::Socket& socket, int& fd) {
    const auto openHere = [&fd] {
        fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
        return fd >= 0 ? 0 : errno;
    };
    int openError = 0;
    if (socket.netns == 0) {
        openError = openHere();
    } else {
        std::string listError;
        const auto namespaces = linuxsys::listNetNamespaces("/proc", &listError);
        const auto found = std::find_if(namespaces.begin(), namespaces.end(),
                                        [&](const auto& ns) { return ns.inode == socket.netns; });
        if (found == namespaces.end()) {
            if (listError.empty()) {
                return result(ActionStatus::NotFound,
                              PORTSCOPE_TRANSLATABLE(
                                  "SystemText",
                                  "Cannot close %1: its network namespace %2 no longer exists."),
                              {connectionText(socket), verbatimText(std::to_string(socket.netns))});
            }
            return result(ActionStatus::NotFound,
                          PORTSCOPE_TRANSLATABLE(
                              "SystemText",
                              "Cannot close %1: its network namespace %2 no longer exists (%3)."),
                          {connectionText(socket), verbatimText(std::to_string(socket.netns)),
                           verbatimText(listError)});
        }
        if (found->isOwn) {
            openError = openHere();
        } else {
            std::string enterError;
            if (!linuxsys::runInNetNamespace(
                    *found, [&] { openError = openHere(); }, &enterError)) {
                return result(::geteuid() == 0 ? ActionStatus::Failed
                                               : ActionStatus::PermissionDenied,
                              PORTSCOPE_TRANSLATABLE("SystemText",
                                                     "Cannot close %1: cannot enter its network "
                                                     "namespace (%2); that needs CAP_SYS_ADMIN."),
                              {connectionText(socket), verbatimText(enterError)});
            }
        }
    }
    if (fd < 0) {
        return result(
            ActionStatus::Failed,
            PORTSCOPE_TRANSLATABLE("SystemText", "Cannot close %1: no sock_diag socket (%2)."),
            {connectionText(socket), verbatimText(errnoText(openError))});
    }
    return std::nullopt;
}

} // namespace

ActionResult closeConnection(const core::Socket& socket) {
    if (socket.protocol != core::Protocol::Tcp) {
        return result(ActionStatus::InvalidArgument,
                      PORTSCOPE_TRANSLATABLE("SystemText",
                                             "Only TCP connections can be closed; %1 is a UDP "
                                             "socket, which has no connection to reset."),
                      {verbatimText(socket.local.toString())});
    }
    if (socket.state == core::SocketState::Unknown || socket.state == core::SocketState::Bound) {
        return result(
            ActionStatus::InvalidArgument,
            PORTSCOPE_TRANSLATABLE("SystemText", "Cannot close %1: its state is unknown."),
            {connectionText(socket)});
    }
    const auto request = linuxsys::buildDestroyRequest(socket, 1);
    if (!request) {
        return result(ActionStatus::InvalidArgument,
                      PORTSCOPE_TRANSLATABLE("SystemText",
                                             "Cannot close %1: its local and remote addresses "
                                             "are of different families."),
                      {connectionText(socket)});
    }

    int rawFd = -1;
    if (auto failure = openDiagSocketFor(socket, rawFd)) {
        return *failure;
    }
    NetlinkFd fd(rawFd);
    timeval timeout{};
    timeout.tv_sec = kAckTimeoutSeconds;
    if (::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout) != 0) {
        return result(ActionStatus::Failed,
                      PORTSCOPE_TRANSLATABLE("SystemText",
                                             "Cannot close %1: cannot set a receive timeout (%2)."),
                      {connectionText(socket), verbatimText(errnoText(errno))});
    }

    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    ssize_t sent = -1;
    do {
        sent = ::sendto(fd.get(), request->data(), request->size(), 0,
                        reinterpret_cast<const sockaddr*>(&kernel), sizeof kernel);
    } while (sent < 0 && errno == EINTR);
    if (sent != static_cast<ssize_t>(request->size())) {
        return result(
            ActionStatus::Failed,
            PORTSCOPE_TRANSLATABLE("SystemText",
                                   "Cannot close %1: the request could not be sent (%2)."),
            {connectionText(socket), verbatimText(errnoText(sent < 0 ? errno : EMSGSIZE))});
    }

    std::array<std::uint8_t, 4096> reply{};
    while (true) {
        sockaddr_nl source{};
        socklen_t sourceLength = sizeof source;
        const auto received = ::recvfrom(fd.get(), reply.data(), reply.size(), 0,
                                         reinterpret_cast<sockaddr*>(&source), &sourceLength);
        if (received < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                return result(ActionStatus::Failed,
                              PORTSCOPE_TRANSLATABLE("SystemText",
                                                     "Cannot tell whether %1 was closed: the "
                                                     "kernel did not answer."),
                              {connectionText(socket)});
            }
            return result(
                ActionStatus::Failed,
                PORTSCOPE_TRANSLATABLE("SystemText", "Cannot tell whether %1 was closed: %2."),
                {connectionText(socket), verbatimText(errnoText(errno))});
        }
        if (source.nl_pid != 0) {
            continue; // not from the kernel
        }
        std::vector<core::Socket> unexpected;
        const auto parsed = linuxsys::parseDumpMessages(
            std::span<const std::uint8_t>(reply.data(), static_cast<std::size_t>(received)),
            socket.protocol, unexpected);
        if (!parsed.done) {
            return result(ActionStatus::Failed,
                          PORTSCOPE_TRANSLATABLE("SystemText",
                                                 "Cannot tell whether %1 was closed: the kernel's "
                                                 "answer was not an acknowledgement."),
                          {connectionText(socket)});
        }
        return resultFromKernelError(-parsed.error, socket);
    }
}

} // namespace portscope::platform
