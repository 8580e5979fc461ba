// Closing one TCP connection through sock_diag's SOCK_DESTROY, as `ss -K` does. Unlike
// `ss -K`, which exits 0 even when the kernel refuses, the ACK is read and reported.

#include "common/action_result.h"
#include "linux/namespaces.h"
#include "linux/socket_diag.h"
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

using common::describeConnection;
using common::result;

ActionResult resultFromKernelError(int error, const core::Socket& socket) {
    const auto target = describeConnection(socket);
    switch (error) {
    case 0:
        return result(ActionStatus::Done, "Closed " + target + ".");
    case EPERM:
    case EACCES:
        return result(ActionStatus::PermissionDenied,
                      "Cannot close " + target +
                          ": closing another program's connection needs CAP_NET_ADMIN; let "
                          "the administrator helper do it (\"Show all processes "
                          "(administrator)…\" in the window, --elevated for portscope-cli).");
    case EOPNOTSUPP:
        return result(ActionStatus::NotSupported,
                      "Cannot close " + target +
                          ": this kernel was built without CONFIG_INET_DIAG_DESTROY, so it "
                          "cannot close connections on request.");
    case ENOENT:
        return result(ActionStatus::NotFound,
                      "Cannot close " + target + ": no such connection exists any more.");
    case ESTALE:
        // The 4-tuple matched, the cookie did not: the connection shown has closed and a new
        // one now uses the same addresses and ports. It is left alone.
        return result(ActionStatus::NotFound,
                      "Cannot close " + target +
                          ": it has closed, and another connection now uses the same addresses "
                          "and ports; that one was left open.");
    case EINVAL:
        return result(ActionStatus::InvalidArgument, "Cannot close " + target +
                                                         ": the kernel rejected the request (" +
                                                         std::strerror(error) + ").");
    default:
        return result(ActionStatus::Failed,
                      "Cannot close " + target + ": " + std::strerror(error) + ".");
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
            return result(ActionStatus::NotFound,
                          "Cannot close " + describeConnection(socket) +
                              ": its network namespace " + std::to_string(socket.netns) +
                              " no longer exists" +
                              (listError.empty() ? "" : " (" + listError + ")") + ".");
        }
        if (found->isOwn) {
            openError = openHere();
        } else {
            std::string enterError;
            if (!linuxsys::runInNetNamespace(
                    *found, [&] { openError = openHere(); }, &enterError)) {
                return result(::geteuid() == 0 ? ActionStatus::Failed
                                               : ActionStatus::PermissionDenied,
                              "Cannot close " + describeConnection(socket) +
                                  ": cannot enter its network namespace (" + enterError +
                                  "); that needs CAP_SYS_ADMIN.");
            }
        }
    }
    if (fd < 0) {
        return result(ActionStatus::Failed, "Cannot close " + describeConnection(socket) +
                                                ": no sock_diag socket (" +
                                                std::strerror(openError) + ").");
    }
    return std::nullopt;
}

} // namespace

ActionResult closeConnection(const core::Socket& socket) {
    if (socket.protocol != core::Protocol::Tcp) {
        return result(ActionStatus::InvalidArgument,
                      "Only TCP connections can be closed; " + socket.local.toString() +
                          " is a UDP socket, which has no connection to reset.");
    }
    if (socket.state == core::SocketState::Unknown || socket.state == core::SocketState::Bound) {
        return result(ActionStatus::InvalidArgument,
                      "Cannot close " + describeConnection(socket) + ": its state is unknown.");
    }
    const auto request = linuxsys::buildDestroyRequest(socket, 1);
    if (!request) {
        return result(ActionStatus::InvalidArgument,
                      "Cannot close " + describeConnection(socket) +
                          ": its local and remote addresses are of different families.");
    }

    int rawFd = -1;
    if (auto failure = openDiagSocketFor(socket, rawFd)) {
        return *failure;
    }
    NetlinkFd fd(rawFd);
    timeval timeout{};
    timeout.tv_sec = kAckTimeoutSeconds;
    if (::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout) != 0) {
        return result(ActionStatus::Failed, "Cannot close " + describeConnection(socket) +
                                                ": cannot set a receive timeout (" +
                                                std::strerror(errno) + ").");
    }

    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    ssize_t sent = -1;
    do {
        sent = ::sendto(fd.get(), request->data(), request->size(), 0,
                        reinterpret_cast<const sockaddr*>(&kernel), sizeof kernel);
    } while (sent < 0 && errno == EINTR);
    if (sent != static_cast<ssize_t>(request->size())) {
        return result(ActionStatus::Failed, "Cannot close " + describeConnection(socket) +
                                                ": the request could not be sent (" +
                                                std::strerror(sent < 0 ? errno : EMSGSIZE) + ").");
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
            const bool timedOut = errno == EAGAIN || errno == EWOULDBLOCK;
            return result(ActionStatus::Failed,
                          "Cannot tell whether " + describeConnection(socket) + " was closed: " +
                              (timedOut ? std::string("the kernel did not answer")
                                        : std::string(std::strerror(errno))) +
                              ".");
        }
        if (source.nl_pid != 0) {
            continue; // not from the kernel
        }
        std::vector<core::Socket> unexpected;
        const auto parsed = linuxsys::parseDumpMessages(
            std::span<const std::uint8_t>(reply.data(), static_cast<std::size_t>(received)),
            socket.protocol, unexpected);
        if (!parsed.done) {
            return result(ActionStatus::Failed, "Cannot tell whether " +
                                                    describeConnection(socket) +
                                                    " was closed: the kernel's answer was not "
                                                    "an acknowledgement.");
        }
        return resultFromKernelError(-parsed.error, socket);
    }
}

} // namespace portscope::platform
