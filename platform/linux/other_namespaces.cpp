#include "linux/other_namespaces.h"

#include "linux/socket_diag.h"
#include "portscope/core/translatable.h"

#include <algorithm>
#include <memory>
#include <unistd.h>
#include <utility>

namespace portscope::platform::linuxsys {

namespace {

OtherNamespaceSockets::Dump openSockDiagIn(const NetNamespace& ns, std::string* error) {
    std::optional<SockDiagSocket> socket;
    std::string openError;
    const int nsFd = openNetNamespace(ns, error);
    const bool entered =
        nsFd >= 0 && runInNetNamespace(
                         nsFd, [&] { socket = SockDiagSocket::open(&openError); }, error);
    if (nsFd >= 0) {
        ::close(nsFd);
    }
    if (!entered) {
        return {};
    }
    if (!socket) {
        *error = std::move(openError);
        return {};
    }
    // The socket stays in the namespace it was created in, whichever thread uses it.
    auto shared = std::make_shared<SockDiagSocket>(std::move(*socket));
    return [shared](std::vector<core::Socket>& out, std::string* dumpError) {
        return shared->dumpAll(out, dumpError);
    };
}

} // namespace

OtherNamespaceSockets::OtherNamespaceSockets(ListNamespaces list, OpenDump open)
    : list_(std::move(list)), open_(std::move(open)) {
    if (!list_) {
        list_ = [] { return listNetNamespaces(); };
    }
    if (!open_) {
        open_ = &openSockDiagIn;
    }
}

void OtherNamespaceSockets::collect(std::vector<core::Socket>& sockets,
                                    common::SourceConditions& conditions) {
    const auto now = std::chrono::steady_clock::now();
    if (!listedAt_ || now - *listedAt_ > kRelistEvery) {
        listedAt_ = now;
        namespaces_ = list_();
        denied_.clear(); // try those again, privileges may have changed
    }
    std::map<std::uint64_t, std::string> failedDumps; // inode -> why
    for (const auto& ns : namespaces_) {
        if (ns.isOwn || denied_.count(ns.inode)) {
            continue;
        }
        auto found = dumps_.find(ns.inode);
        if (found == dumps_.end()) {
            std::string error;
            Dump dump = open_(ns, &error);
            if (!dump) {
                denied_[ns.inode] = std::move(error);
                continue;
            }
            found = dumps_.emplace(ns.inode, std::move(dump)).first;
        }
        const auto before = sockets.size();
        std::string error;
        if (!found->second(sockets, &error)) {
            failedDumps[ns.inode] = std::move(error);
        }
        for (auto i = before; i < sockets.size(); ++i) {
            sockets[i].netns = ns.inode;
        }
    }
    // Forget namespaces that have gone.
    std::erase_if(dumps_, [&](const auto& entry) {
        return std::none_of(namespaces_.begin(), namespaces_.end(),
                            [&](const auto& ns) { return ns.inode == entry.first; });
    });

    if (denied_.empty()) {
        conditions.clear("namespaces");
    } else {
        conditions.set(
            "namespaces",
            core::systemText(
                PORTSCOPE_TRANSLATABLE("SystemText",
                                       "Sockets in %1 other network namespace(s) "
                                       "(containers) are not shown: %2. Run as root to see "
                                       "them."),
                {core::numberText(denied_.size()), core::verbatimText(denied_.begin()->second)}));
    }
    if (failedDumps.empty()) {
        conditions.clear("namespace-dumps");
    } else {
        const auto& [inode, error] = *failedDumps.begin();
        conditions.set("namespace-dumps",
                       core::systemText(
                           PORTSCOPE_TRANSLATABLE(
                               "SystemText", "Sockets in %1 other network namespace(s) "
                                             "(containers) may be missing: the dump of namespace "
                                             "%2 failed (%3)."),
                           {core::numberText(failedDumps.size()),
                            core::verbatimText(std::to_string(inode)), core::verbatimText(error)}));
    }
}

} // namespace portscope::platform::linuxsys
