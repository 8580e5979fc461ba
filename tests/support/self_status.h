// Fields of /proc/self/status, for the tests and benchmarks that watch their own memory.
#pragma once

#include <cstdio>
#include <cstring>

namespace portscope::testing {

// The value in kB of a field such as "VmRSS:" or "VmHWM:"; -1 when it cannot be read.
inline long selfStatusKb(const char* field) {
    long kb = -1;
    if (FILE* status = std::fopen("/proc/self/status", "re")) {
        char line[256];
        const std::size_t length = std::strlen(field);
        while (std::fgets(line, sizeof line, status) != nullptr) {
            if (std::strncmp(line, field, length) == 0 &&
                std::sscanf(line + length, " %ld kB", &kb) == 1) {
                break;
            }
        }
        std::fclose(status);
    }
    return kb;
}

// Resident memory of this process in kB; -1 when it cannot be read.
inline long residentKb() {
    return selfStatusKb("VmRSS:");
}

} // namespace portscope::testing
