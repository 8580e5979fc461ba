// Fuzz target for the parsers of /proc text: the socket tables (net/tcp, tcp6, udp, udp6), the
// counters (net/snmp, net/netstat), a process's stat, status, cmdline, exe link,
// /proc/stat's btime and /proc/self/mountinfo (where cgroup v2 is, for the socket capture). Process
// names and command lines are chosen by whoever starts the process, so these parsers read text
// another user wrote.
//
// Input: one byte that picks the parser (its value modulo the number of parsers), then the
// text.

#include "fuzz_target.h"
#include "linux/host_counters.h"
#include "linux/proc_net.h"
#include "linux/proc_process.h"
#include "linux/socket_capture.h"
#include "portscope/core/text.h"

#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace portscope;
using namespace portscope::platform::linuxsys;

constexpr std::string_view kTarget = "proc_text";
using portscope::fuzz::require;

// What PortScope shows of untrusted text: no control characters, and valid UTF-8.
bool isDisplaySafe(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x20 || byte == 0x7f) {
            return false;
        }
        std::size_t length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2;
        if (byte >= 0x80 && (byte < 0xC2 || byte > 0xF4)) {
            return false;
        }
        if (i + length > text.size()) {
            return false;
        }
        for (std::size_t k = 1; k < length; ++k) {
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0u) != 0x80u) {
                return false;
            }
        }
        i += length;
    }
    return true;
}

void socketTable(std::string_view text, core::Protocol protocol, core::Family family) {
    std::vector<std::string> errors;
    const auto sockets = parseProcNetSockets(text, protocol, family, &errors);
    for (const auto& socket : sockets) {
        require(kTarget, socket.protocol == protocol, "a socket of another protocol");
        require(kTarget, socket.local.address.family == family, "a socket of another family");
    }
    for (const auto& error : errors) {
        require(kTarget, !error.empty(), "an empty error");
    }
}

void counters(std::string_view text, bool netstat) {
    core::HostCounters counters;
    std::vector<std::string> errors;
    (netstat ? parseNetstat : parseSnmp)(text, counters, &errors);
    for (const auto& error : errors) {
        require(kTarget, !error.empty(), "an empty error");
    }
}

void stat(std::string_view text) {
    const auto parsed = parseProcStat(text);
    const auto startTime = parseProcStatStartTime(text);
    require(kTarget, parsed.has_value() == startTime.has_value(),
            "stat and its start time disagree on whether the text is valid");
    if (parsed) {
        require(kTarget, parsed->startTime == *startTime, "stat and its start time disagree");
    }
}

void commandLine(std::string_view raw) {
    const std::string line = parseCmdline(raw);
    require(kTarget, line.size() <= kMaxCommandLineBytes, "a command line over the cap");
    require(kTarget, isDisplaySafe(line), "a command line unsafe to display");
    const std::string shown = core::sanitizeForDisplay(raw, 100);
    require(kTarget, shown.size() <= 100, "a display text over its cap");
    require(kTarget, isDisplaySafe(shown), "a display text unsafe to display");
}

void mountinfo(std::string_view text) {
    const std::string mountPoint = cgroup2MountPoint(text);
    require(kTarget, mountPoint.empty() || mountPoint.front() == '/',
            "a cgroup mount point that is not an absolute path");
    require(kTarget, mountPoint.size() <= text.size(), "a mount point longer than the text");
    require(kTarget, mountPoint.find('\n') == std::string::npos, "a mount point across lines");
}

} // namespace

constexpr portscope::fuzz::HeapBudget kBudget{256 * 1024, 64};

PORTSCOPE_FUZZ_TARGET(proc_text, kBudget) {
    if (size == 0) {
        return 0;
    }
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    switch (data[0] % 11) {
    case 0:
        socketTable(text, core::Protocol::Tcp, core::Family::V4);
        break;
    case 1:
        socketTable(text, core::Protocol::Tcp, core::Family::V6);
        break;
    case 2:
        socketTable(text, core::Protocol::Udp, core::Family::V4);
        break;
    case 3:
        socketTable(text, core::Protocol::Udp, core::Family::V6);
        break;
    case 4:
        counters(text, false);
        break;
    case 5:
        counters(text, true);
        break;
    case 6:
        stat(text);
        break;
    case 7:
        parseStatusUid(text);
        parseBootTime(text);
        break;
    case 8:
        commandLine(text);
        break;
    case 10:
        mountinfo(text);
        break;
    default: {
        const auto link = parseExeLink(text);
        require(kTarget, link.path.size() <= text.size(), "an exe path longer than its link");
        break;
    }
    }
    return 0;
}
