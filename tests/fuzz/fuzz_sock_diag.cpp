// Fuzz target for the sock_diag reply parser. The bytes come from the kernel, but the parser
// is the one place where netlink lengths are trusted or not: every length it reads must be
// checked against the buffer, and a damaged message must be counted, not followed.
//
// Input: one byte whose low bit picks the protocol the dump was for (TCP or UDP), then the
// netlink messages as recv() returned them.

#include "fuzz_target.h"
#include "linux/socket_diag.h"

#include <span>
#include <vector>

namespace {

using namespace portscope;

constexpr std::string_view kTarget = "sock_diag";
using portscope::fuzz::require;

} // namespace

constexpr portscope::fuzz::HeapBudget kBudget{256 * 1024, 16};

PORTSCOPE_FUZZ_TARGET(sock_diag, kBudget) {
    if (size == 0) {
        return 0;
    }
    const auto protocol = (data[0] & 1u) != 0 ? core::Protocol::Udp : core::Protocol::Tcp;
    // A copy of exactly the input's length, so that AddressSanitizer sees any read past it.
    const std::vector<std::uint8_t> bytes(data + 1, data + size);
    std::vector<core::Socket> sockets(1); // a socket from an earlier buffer stays untouched
    sockets[0].inode = 77;
    const auto result = platform::linuxsys::parseDumpMessages(
        std::span<const std::uint8_t>(bytes.data(), bytes.size()), protocol, sockets);
    require(kTarget, sockets.size() == 1 + result.sockets, "sockets counted and appended disagree");
    require(kTarget, sockets[0].inode == 77, "an earlier socket was changed");
    require(kTarget, result.error <= 0 && result.error >= -4095,
            "an error outside the errno range");
    // Every socket takes at least a netlink header and an inet_diag_msg.
    require(kTarget, result.sockets * 88 <= bytes.size(), "more sockets than the bytes can hold");
    return 0;
}
