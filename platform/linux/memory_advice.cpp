#include "linux/memory_advice.h"

#include "portscope/core/large_buffers.h"
#include "portscope/platform/system.h"

#include <cstdint>
#include <sys/mman.h>

namespace portscope::platform::linuxsys {

void adviseHugePages(const void* data, std::size_t bytes) {
    constexpr std::uintptr_t kHugePage = 2 * 1024 * 1024;
    constexpr std::size_t kWorthAdvising = 2 * kHugePage;
    if (data == nullptr || bytes < kWorthAdvising) {
        return;
    }
    const auto begin = reinterpret_cast<std::uintptr_t>(data);
    const std::uintptr_t first = (begin + kHugePage - 1) & ~(kHugePage - 1);
    const std::uintptr_t last = (begin + bytes) & ~(kHugePage - 1);
    if (last > first) {
        // Failure (no THP support, a kernel that refuses) only means ordinary pages.
        (void)::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
    }
}

} // namespace portscope::platform::linuxsys

namespace portscope::platform {

void installLargeBufferAdvice() {
    core::setLargeBufferAdvisor(&linuxsys::adviseHugePages);
}

} // namespace portscope::platform
