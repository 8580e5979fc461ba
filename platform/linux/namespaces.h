#pragma once
// Network namespaces: finding them, and running code inside one (to open a netlink socket
// that then keeps reporting that namespace's sockets).

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace portscope::platform::linuxsys {

struct NetNamespace {
    std::uint64_t inode = 0;            // what Socket::netns and Process::netns hold
    std::int32_t representativePid = 0; // a process inside it; 0 when only a name holds it
    std::string name;                   // its name in /run/netns (`ip netns`), if any
    std::string path;                   // what to open to enter it
    bool isOwn = false;                 // the namespace PortScope itself runs in
};

// Distinct namespaces of all processes we may inspect (/PROCROOT/PID/ns/net) plus the named
// ones in `namedDirectory`. Ours comes first, then the others by inode. *error says why the
// list may be incomplete (the process directory could not be read).
std::vector<NetNamespace> listNetNamespaces(std::string_view procRoot,
                                            std::string_view namedDirectory,
                                            std::string* error = nullptr);
// The same with the named namespaces of `ip netns` in /run/netns.
std::vector<NetNamespace> listNetNamespaces(std::string_view procRoot = "/proc",
                                            std::string* error = nullptr);

// Opens ns.path and checks that it still is namespace ns.inode (a representative process may
// have exited and its PID been reused). Returns the fd, or -1 with *error set.
int openNetNamespace(const NetNamespace& ns, std::string* error);

// Runs `work` on a new thread that first joined the network namespace `nsFd` (needs
// CAP_SYS_ADMIN). Our other threads stay where they are. Returns false with *error set when
// the namespace could not be entered; an exception thrown by `work` is rethrown here.
bool runInNetNamespace(int nsFd, const std::function<void()>& work, std::string* error);
// The same after openNetNamespace(ns).
bool runInNetNamespace(const NetNamespace& ns, const std::function<void()>& work,
                       std::string* error);

} // namespace portscope::platform::linuxsys
