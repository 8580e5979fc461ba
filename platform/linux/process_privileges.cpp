// Capabilities through the raw capget/capset system calls and prctl: two 64-bit masks need
// no library.

#include "portscope/platform/process_privileges.h"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <linux/capability.h>
#include <stdexcept>
#include <string>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace portscope::platform {

namespace {

// Bounds the walk over the bounding set: capability numbers fit in the 64-bit masks.
constexpr int kCapabilityBits = 64;

struct CapabilitySets {
    std::uint64_t effective = 0;
    std::uint64_t permitted = 0;
    std::uint64_t inheritable = 0;
};

[[noreturn]] void throwErrno(const std::string& what) {
    throw std::runtime_error(what + ": " + std::strerror(errno));
}

std::uint64_t join(std::uint32_t low, std::uint32_t high) {
    return (static_cast<std::uint64_t>(high) << 32) | low;
}

CapabilitySets readCapabilities() {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3]{};
    if (::syscall(SYS_capget, &header, data) != 0) {
        throwErrno("cannot read this process's capabilities (capget)");
    }
    return {join(data[0].effective, data[1].effective), join(data[0].permitted, data[1].permitted),
            join(data[0].inheritable, data[1].inheritable)};
}

void writeCapabilities(const CapabilitySets& sets) {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3]{};
    for (int half = 0; half < 2; ++half) {
        const int shift = 32 * half;
        data[half].effective = static_cast<std::uint32_t>(sets.effective >> shift);
        data[half].permitted = static_cast<std::uint32_t>(sets.permitted >> shift);
        data[half].inheritable = static_cast<std::uint32_t>(sets.inheritable >> shift);
    }
    if (::syscall(SYS_capset, &header, data) != 0) {
        throwErrno("cannot set this process's capabilities (capset)");
    }
}

std::string hexMask(std::uint64_t mask) {
    char text[24];
    std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(mask));
    return text;
}

bool singleThreaded() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);) {
        if (line.rfind("Threads:", 0) == 0) {
            return std::stoi(line.substr(8)) == 1;
        }
    }
    return true; // no /proc: nothing to say otherwise
}

} // namespace

std::string inheritedPrivilegeProblem() {
    const uid_t user = ::getuid();
    if (user != 0) {
        CapabilitySets sets;
        try {
            sets = readCapabilities();
        } catch (const std::runtime_error& error) {
            return error.what();
        }
        if (sets.effective != 0 || sets.permitted != 0) {
            return "it runs as uid " + std::to_string(user) + " with capabilities (effective " +
                   hexMask(sets.effective) + ", permitted " + hexMask(sets.permitted) +
                   ") that a file capability, a setuid bit or the program that started it gave it";
        }
    }
    // Real root with file capabilities is not in this mode; a setgid program is.
    if (::getauxval(AT_SECURE) != 0) {
        return "it was started in secure-execution mode, which a setuid or setgid bit or a file "
               "capability on its program file causes";
    }
    return {};
}

void restrictCapabilities(std::span<const int> keep) {
    if (!singleThreaded()) {
        throw std::runtime_error("capabilities can only be dropped while the process has one "
                                 "thread; another would keep them all");
    }
    std::uint64_t wanted = 0;
    for (const int capability : keep) {
        if (capability < 0 || capability >= kCapabilityBits) {
            throw std::invalid_argument("no such capability: " + std::to_string(capability));
        }
        wanted |= std::uint64_t{1} << capability;
    }
    CapabilitySets sets = readCapabilities();
    const std::uint64_t kept = wanted & sets.permitted;

    // The bounding set limits what any later execve could give back; emptying it takes
    // CAP_SETPCAP. Without that capability the process has nothing worth keeping from an
    // execve, and no_new_privs below stops setuid and file capabilities there anyway.
    constexpr std::uint64_t setpcap = std::uint64_t{1} << CAP_SETPCAP;
    if ((sets.permitted & setpcap) != 0) {
        sets.effective |= setpcap;
        writeCapabilities(sets);
        for (int capability = 0; capability < kCapabilityBits; ++capability) {
            const int present = ::prctl(PR_CAPBSET_READ, capability, 0, 0, 0);
            if (present < 0) {
                break; // EINVAL: past the kernel's last capability
            }
            if (present == 1 && (kept & (std::uint64_t{1} << capability)) == 0 &&
                ::prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0) {
                throwErrno("cannot drop capability " + std::to_string(capability) +
                           " from the bounding set");
            }
        }
    }
    // Kernels before 4.3 have no ambient set, and then nothing to clear.
    if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) {
        throwErrno("cannot clear the ambient capabilities");
    }
    writeCapabilities({kept, kept, 0});
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        throwErrno("cannot set no_new_privs");
    }
    const CapabilitySets now = readCapabilities();
    if (now.effective != kept || now.permitted != kept || now.inheritable != 0) {
        throw std::runtime_error("the kernel kept capabilities " + hexMask(now.permitted) +
                                 " where " + hexMask(kept) + " were asked for");
    }
}

} // namespace portscope::platform
