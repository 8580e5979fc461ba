// portscope-helper: the privileged half of PortScope. Started as root (through pkexec) by the
// GUI or by portscope-cli --elevated, it reads the system and acts on it for them, speaking
// the protocol of docs/helper-protocol.md on its standard input and output.

#include "helper_session.h"
#include "portscope/core/helper_protocol.h"
#include "portscope/platform/process_privileges.h"

#include <array>
#include <boost/asio/io_context.hpp>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <linux/capability.h>
#include <string_view>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

constexpr std::string_view kUsage =
    R"usage(Usage: portscope-helper [--help | --version]

The privileged helper of PortScope. It is started by PortScope (the toolbar action "Show all
processes (administrator)") or by portscope-cli --elevated, normally through pkexec, and
speaks a binary protocol (--version names its version) on its standard input and output.
It is not meant to be run by hand.

Exit status: 0 the session ended normally, 1 failure, 2 usage, 3 the client broke the
protocol.
)usage";

// Everything the helper does as root, and nothing more. It keeps uid 0 (files of root's
// own are read as their owner); docs/helper-protocol.md says what each one is for.
constexpr std::array kRetainedCapabilities{
    CAP_DAC_READ_SEARCH, // other users' /proc/PID/fd directories
    CAP_SYS_PTRACE,      // their descriptors, executables and namespace files
    CAP_KILL,            // stopping their processes
    CAP_NET_ADMIN,       // SOCK_DESTROY, the socket-close event groups, cgroup attach
    CAP_SYS_ADMIN,       // setns() into other network namespaces; bpf() (capture by socket)
    CAP_NET_RAW,         // packet capture (StartCapture)
};

// The live source for a session, opened with full rights; then every capability but the
// ones above goes, before the first request is answered.
std::unique_ptr<portscope::core::SnapshotSource>
openSourceAndDropPrivileges(const portscope::platform::LiveSourceOptions& options) {
    auto source = portscope::platform::makeLiveSource(options);
    try {
        portscope::platform::restrictCapabilities(kRetainedCapabilities);
    } catch (const std::exception& error) {
        throw std::runtime_error(std::string("cannot drop privileges: ") + error.what());
    }
    return source;
}

// A copy of `fd` above the standard descriptors, closed on exec.
int duplicateAside(int fd) {
    return ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
}

} // namespace

int main(int argc, char** argv) {
    namespace helper = portscope::helper;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::cout << kUsage;
            return helper::kExitSessionEnded;
        }
        if (arg == "--version") {
            std::cout << "portscope-helper 0.1.0 (protocol version "
                      << portscope::core::helper::kVersion << ")\n";
            return helper::kExitSessionEnded;
        }
        std::cerr << "portscope-helper: unknown argument '" << arg << "'\n\n" << kUsage;
        return helper::kExitUsage;
    }
    if (::isatty(STDIN_FILENO) == 1) {
        std::cerr << "portscope-helper: standard input is a terminal; this program speaks a "
                     "binary protocol and is started by PortScope.\n\n"
                  << kUsage;
        return helper::kExitUsage;
    }

    // A write to a client that went away must end the session, not kill us mid-write.
    std::signal(SIGPIPE, SIG_IGN);
    ::umask(077);
    if (::chdir("/") != 0) {
        helper::logLine(std::string("cannot change to /: ") + std::strerror(errno));
    }

    // The protocol moves to private descriptors; stray output then lands on stderr instead
    // of corrupting a frame.
    const int requestFd = duplicateAside(STDIN_FILENO);
    const int replyFd = duplicateAside(STDOUT_FILENO);
    if (requestFd < 0 || replyFd < 0) {
        helper::logLine(std::string("cannot take over standard input and output: ") +
                        std::strerror(errno));
        return helper::kExitFailure;
    }
    const int devNull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (devNull < 0 || ::dup2(devNull, STDIN_FILENO) < 0 ||
        ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
        helper::logLine(std::string("cannot detach standard input and output: ") +
                        std::strerror(errno));
        return helper::kExitFailure;
    }
    ::close(devNull);

    try {
        boost::asio::io_context io;
        helper::Session session(io, requestFd, replyFd, openSourceAndDropPrivileges);
        // SIGTERM is handled by the session from here on, so the parent-death signal ends the
        // session cleanly. A parent that died before the request took effect is noticed by
        // the change of parent.
        session.start();
        const pid_t parent = ::getppid();
        if (::prctl(PR_SET_PDEATHSIG, SIGTERM) != 0) {
            helper::logLine(std::string("cannot ask for the parent-death signal: ") +
                            std::strerror(errno));
            return helper::kExitFailure;
        }
        if (::getppid() != parent) {
            helper::logLine("the parent process has already ended");
            return helper::kExitSessionEnded;
        }
        io.run();
        return session.exitStatus();
    } catch (const std::exception& error) {
        helper::logLine(error.what());
        return helper::kExitFailure;
    }
}
