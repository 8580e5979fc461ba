// The GUI's allocator tuning: freed memory that glibc keeps resident inside its heap goes
// back to the system when asked.

#include "allocator_tuning.h"
#include "self_status.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <gtest/gtest.h>
#include <vector>

namespace portscope::gui {
namespace {

using portscope::testing::residentKb;

TEST(AllocatorTuning, FreedHeapMemoryBelowABlockInUseGoesBackToTheSystem) {
#if defined(__SANITIZE_ADDRESS__)
    GTEST_SKIP() << "the address sanitizer's allocator replaces glibc's heap";
#elif !defined(__GLIBC__)
    GTEST_SKIP() << "only glibc keeps freed heap memory resident";
#else
    // 64 MB in blocks far below the mmap threshold, so they come from the heap, then one
    // block above them that stays in use: freeing the others leaves free memory that
    // glibc does not trim on its own, as the GUI's first updates leave it.
    constexpr std::size_t kBlockBytes = 4096;
    constexpr std::size_t kBlocks = 64 * 1024 * 1024 / kBlockBytes;
    std::vector<void*> blocks(kBlocks);
    for (void*& block : blocks) {
        block = std::malloc(kBlockBytes);
        ASSERT_NE(block, nullptr);
        std::memset(block, 1, kBlockBytes);
    }
    void* stillInUse = std::malloc(kBlockBytes);
    ASSERT_NE(stillInUse, nullptr);
    std::memset(stillInUse, 1, kBlockBytes);
    for (void* block : blocks) {
        std::free(block);
    }

    const long freedButResident = residentKb();
    returnFreedHeapPages();
    const long afterReturning = residentKb();
    std::free(stillInUse);
    ASSERT_GT(freedButResident, 0);
    EXPECT_GT(freedButResident - afterReturning, 32 * 1024)
        << "resident before " << freedButResident << " kB, after " << afterReturning << " kB";
#endif
}

} // namespace
} // namespace portscope::gui
