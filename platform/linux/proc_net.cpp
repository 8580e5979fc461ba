#include "linux/proc_net.h"

#include "common/capped_error_log.h"
#include "linux/proc_file.h"
#include "portscope/core/text.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

namespace portscope::platform::linuxsys {

namespace {

// Field positions in a /proc/net/{tcp,udp} line:
// sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
constexpr std::size_t kLocalField = 1;
constexpr std::size_t kRemoteField = 2;
constexpr std::size_t kStateField = 3;
constexpr std::size_t kQueuesField = 4;
constexpr std::size_t kUidField = 7;
constexpr std::size_t kInodeField = 9;
constexpr std::size_t kRequiredFields = kInodeField + 1;

bool isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\r';
}

// Splits on blanks into at most `fields.size()` views; returns how many were found
// (counting past the array, so the caller can tell a short line from a long one).
template <std::size_t N>
std::size_t splitFields(std::string_view line, std::array<std::string_view, N>& fields) {
    std::size_t count = 0;
    std::size_t pos = 0;
    while (pos < line.size()) {
        while (pos < line.size() && isBlank(line[pos])) {
            ++pos;
        }
        if (pos == line.size()) {
            break;
        }
        const auto start = pos;
        while (pos < line.size() && !isBlank(line[pos])) {
            ++pos;
        }
        if (count < N) {
            fields[count] = line.substr(start, pos - start);
        }
        ++count;
    }
    return count;
}

template <typename T>
bool parseNumber(std::string_view text, T& value, int base) {
    if (text.empty()) {
        return false;
    }
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    return error == std::errc{} && end == text.data() + text.size();
}

bool parseHexWord(std::string_view text, std::uint32_t& value) {
    return text.size() <= 8 && parseNumber(text, value, 16);
}

// "0100007F:0CEA" (IPv4) or 32 hex digits, a colon and the port (IPv6).
bool parseEndpoint(std::string_view text, core::Family family, core::Endpoint& endpoint,
                   std::string_view& reason) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) {
        reason = "address has no ':' before the port";
        return false;
    }
    const auto hexAddress = text.substr(0, colon);
    const auto hexPort = text.substr(colon + 1);
    const std::size_t expectedDigits = family == core::Family::V4 ? 8 : 32;
    if (hexAddress.size() != expectedDigits) {
        reason = family == core::Family::V4 ? "IPv4 address is not 8 hex digits"
                                            : "IPv6 address is not 32 hex digits";
        return false;
    }
    std::uint32_t port = 0;
    if (hexPort.empty() || hexPort.size() > 4 || !parseNumber(hexPort, port, 16)) {
        reason = "port is not 1 to 4 hex digits";
        return false;
    }
    // Each 8-digit word is the value of a 32-bit word as the kernel holds it in memory, so
    // its bytes in host order are the address bytes in network order.
    std::array<std::uint8_t, 16> raw{};
    for (std::size_t word = 0; word < expectedDigits / 8; ++word) {
        std::uint32_t value = 0;
        if (!parseHexWord(hexAddress.substr(word * 8, 8), value)) {
            reason = "address is not hexadecimal";
            return false;
        }
        std::memcpy(raw.data() + word * 4, &value, sizeof value);
    }
    if (family == core::Family::V4) {
        std::uint32_t networkOrder = 0;
        std::memcpy(&networkOrder, raw.data(), sizeof networkOrder);
        endpoint.address = core::IpAddress::v4FromNetworkOrder(networkOrder);
    } else {
        endpoint.address = core::IpAddress::v6(raw);
    }
    endpoint.port = static_cast<std::uint16_t>(port);
    return true;
}

bool isHeaderLine(std::string_view firstField) {
    return firstField == "sl";
}

} // namespace

std::vector<core::Socket> parseProcNetSockets(std::string_view text, core::Protocol protocol,
                                              core::Family family,
                                              std::vector<std::string>* errors) {
    std::vector<core::Socket> sockets;
    sockets.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
    common::CappedErrorLog log(errors, "",
                               " more malformed lines were skipped without being listed");

    std::array<std::string_view, kRequiredFields> fields{};
    std::size_t lineNumber = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto newline = text.find('\n', pos);
        const auto end = newline == std::string_view::npos ? text.size() : newline;
        const auto line = text.substr(pos, end - pos);
        pos = end + 1;
        ++lineNumber;

        const auto fieldCount = splitFields(line, fields);
        if (fieldCount == 0 || isHeaderLine(fields[0])) {
            continue;
        }
        if (fieldCount < kRequiredFields) {
            log.add(lineNumber,
                    "has " + std::to_string(fieldCount) + " fields, needs at least " +
                        std::to_string(kRequiredFields),
                    line);
            continue;
        }
        if (fields[0].back() != ':') {
            log.add(lineNumber, "does not start with a slot number and ':'", fields[0]);
            continue;
        }

        core::Socket socket;
        socket.protocol = protocol;
        std::string_view reason;
        if (!parseEndpoint(fields[kLocalField], family, socket.local, reason)) {
            log.add(lineNumber, "local " + std::string(reason), fields[kLocalField]);
            continue;
        }
        if (!parseEndpoint(fields[kRemoteField], family, socket.remote, reason)) {
            log.add(lineNumber, "remote " + std::string(reason), fields[kRemoteField]);
            continue;
        }

        std::uint32_t kernelState = 0;
        if (fields[kStateField].size() > 2 || !parseNumber(fields[kStateField], kernelState, 16)) {
            log.add(lineNumber, "state is not a 2-digit hex number", fields[kStateField]);
            continue;
        }
        socket.state = core::fromKernelState(static_cast<std::uint8_t>(kernelState), protocol);
        if (socket.state == core::SocketState::Unknown) {
            log.add(lineNumber, "state is not a TCP state", fields[kStateField]);
            continue;
        }

        const auto queues = fields[kQueuesField];
        const auto queueColon = queues.find(':');
        if (queueColon == std::string_view::npos ||
            !parseHexWord(queues.substr(0, queueColon), socket.sendQueue) ||
            !parseHexWord(queues.substr(queueColon + 1), socket.receiveQueue)) {
            log.add(lineNumber, "queues are not 'tx:rx' in hex", queues);
            continue;
        }
        if (!parseNumber(fields[kUidField], socket.uid, 10)) {
            log.add(lineNumber, "uid is not a decimal number", fields[kUidField]);
            continue;
        }
        if (!parseNumber(fields[kInodeField], socket.inode, 10)) {
            log.add(lineNumber, "inode is not a decimal number", fields[kInodeField]);
            continue;
        }
        sockets.push_back(socket);
    }
    return sockets;
}

std::vector<core::Socket> readProcNetSockets(const std::string& procRoot,
                                             std::vector<std::string>* errors) {
    struct Table {
        const char* name;
        core::Protocol protocol;
        core::Family family;
    };
    static constexpr std::array<Table, 4> kTables{{
        {"tcp", core::Protocol::Tcp, core::Family::V4},
        {"tcp6", core::Protocol::Tcp, core::Family::V6},
        {"udp", core::Protocol::Udp, core::Family::V4},
        {"udp6", core::Protocol::Udp, core::Family::V6},
    }};

    std::vector<core::Socket> sockets;
    std::string contents;
    std::vector<std::string> tableErrors;
    for (const auto& table : kTables) {
        const auto path = procRoot + "/net/" + table.name;
        if (const int error = readProcFile(path, contents); error != 0) {
            if (errors != nullptr) {
                errors->push_back(procFileError(path, error));
            }
            continue;
        }
        tableErrors.clear();
        auto parsed = parseProcNetSockets(contents, table.protocol, table.family,
                                          errors != nullptr ? &tableErrors : nullptr);
        if (sockets.empty()) {
            sockets = std::move(parsed);
        } else {
            sockets.insert(sockets.end(), parsed.begin(), parsed.end());
        }
        for (auto& message : tableErrors) {
            errors->push_back(path + " " + message);
        }
    }
    return sockets;
}

} // namespace portscope::platform::linuxsys
