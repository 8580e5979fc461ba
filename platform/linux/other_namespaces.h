#pragma once
// The sockets of network namespaces other than our own (containers, `ip netns`): a sock_diag
// socket is opened inside each namespace once, and then dumped on every poll, from here.

#include "common/source_conditions.h"
#include "linux/namespaces.h"
#include "portscope/core/model.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace portscope::platform::linuxsys {

class OtherNamespaceSockets {
public:
    // Appends the sockets of one namespace to `out`; false with *error when any part of the
    // dump failed (the sockets of the other parts are still appended).
    using Dump = std::function<bool(std::vector<core::Socket>& out, std::string* error)>;
    // What dumps namespace `ns` from now on; an empty Dump, with *error set, when the
    // namespace cannot be entered or no socket can be opened in it.
    using OpenDump = std::function<Dump(const NetNamespace& ns, std::string* error)>;
    using ListNamespaces = std::function<std::vector<NetNamespace>()>;

    static constexpr std::chrono::seconds kRelistEvery{10};

    // The defaults list /proc/*/ns/net and /run/netns, and open a sock_diag socket inside the
    // namespace (which needs CAP_SYS_ADMIN).
    explicit OtherNamespaceSockets(ListNamespaces list = {}, OpenDump open = {});

    // Appends the sockets of every other namespace that can be entered, each with its
    // `netns` set. Namespaces are listed again every kRelistEvery, and those refused are then
    // tried again. Sets or clears the conditions "namespaces" (some could not be entered)
    // and "namespace-dumps" (some dumps failed this poll).
    void collect(std::vector<core::Socket>& sockets, common::SourceConditions& conditions);

private:
    ListNamespaces list_;
    OpenDump open_;
    std::vector<NetNamespace> namespaces_;
    std::optional<std::chrono::steady_clock::time_point> listedAt_;
    std::map<std::uint64_t, Dump> dumps_;         // inode -> its open dump
    std::map<std::uint64_t, std::string> denied_; // inode -> why it was refused
};

} // namespace portscope::platform::linuxsys
