// Fuzz target for the Windows socket tables (GetExtendedTcpTable and friends), read as bytes.
// The parser is free of Windows headers, so it is fuzzed on Linux; the layouts it assumes are
// checked against the SDK's structures by static_asserts in the Windows build.
//
// Input: one byte that picks the table kind (its value modulo the number of kinds), then the
// buffer as Windows filled it.

#include "fuzz_target.h"
#include "windows/socket_table.h"

#include <vector>

namespace {

using namespace portscope;
using namespace portscope::platform::winsys;

constexpr std::string_view kTarget = "windows_socket_table";
using portscope::fuzz::require;

constexpr int kTableKinds = static_cast<int>(TableKind::Tcp6Basic) + 1;

} // namespace

constexpr portscope::fuzz::HeapBudget kBudget{256 * 1024, 16};

PORTSCOPE_FUZZ_TARGET(windows_socket_table, kBudget) {
    if (size == 0) {
        return 0;
    }
    const auto kind = static_cast<TableKind>(data[0] % kTableKinds);
    // A copy of exactly the input's length, so that AddressSanitizer sees any read past it.
    const std::vector<std::uint8_t> buffer(data + 1, data + size);
    std::vector<core::Socket> sockets;
    const auto result = parseSocketTable(buffer, kind, sockets);
    require(kTarget, sockets.size() == result.rowsParsed, "rows counted and appended disagree");
    require(kTarget, result.rowsParsed <= result.rowsDeclared, "more rows than declared");
    require(kTarget,
            result.ok() == (result.rowsParsed == result.rowsDeclared && buffer.size() >= 4),
            "ok() disagrees with the rows");
    const auto layout = layoutOf(kind);
    require(kTarget,
            result.rowsParsed == 0 ||
                layout.rowsOffset + result.rowsParsed * layout.rowSize <= buffer.size(),
            "rows read past the buffer");
    for (const auto& socket : sockets) {
        require(kTarget, socket.protocol == protocolOf(kind), "a socket of another protocol");
        require(kTarget, socket.family() == familyOf(kind), "a socket of another family");
        require(kTarget, hasOwner(kind) || socket.owner.pid == 0,
                "an owner from a table without owners");
    }
    return 0;
}
