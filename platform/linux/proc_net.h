#pragma once
// The /proc/net/{tcp,tcp6,udp,udp6} text tables: the fallback when NETLINK_SOCK_DIAG is not
// available (old kernel, missing diag modules, seccomp), and a cross-check for tests.

#include "portscope/core/model.h"

#include <string>
#include <string_view>
#include <vector>

namespace portscope::platform::linuxsys {

// Parses one table. Addresses are printed by the kernel as 32-bit words in host byte order
// (so 127.0.0.1 reads "0100007F" on little-endian machines); the text is therefore read
// as coming from this machine. Malformed lines are skipped; each is described in `errors`
// (when given) by its 1-based line number and the reason. The header line and blank lines
// are skipped silently. Sockets carry no cookie, no interface and no tcp_info.
std::vector<core::Socket> parseProcNetSockets(std::string_view text, core::Protocol protocol,
                                              core::Family family,
                                              std::vector<std::string>* errors);

// Reads net/tcp, net/tcp6, net/udp and net/udp6 under `procRoot`. With "/proc/PID" as the
// root, this lists the sockets of that process's network namespace. A missing or unreadable
// file (IPv6 disabled, for one) is reported in `errors` and the others are still read.
std::vector<core::Socket> readProcNetSockets(const std::string& procRoot = "/proc",
                                             std::vector<std::string>* errors = nullptr);

} // namespace portscope::platform::linuxsys
