#include "portscope/core/large_buffers.h"

#include <atomic>

namespace portscope::core {

namespace {
std::atomic<LargeBufferAdvisor> installedAdvisor{nullptr};
} // namespace

void setLargeBufferAdvisor(LargeBufferAdvisor advisor) {
    installedAdvisor.store(advisor, std::memory_order_release);
}

void adviseLargeBuffer(const void* data, std::size_t bytes) {
    if (const auto advisor = installedAdvisor.load(std::memory_order_acquire)) {
        advisor(data, bytes);
    }
}

} // namespace portscope::core
