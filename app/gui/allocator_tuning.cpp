#include "allocator_tuning.h"

#include <cstdlib> // defines __GLIBC__ with glibc

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace portscope::gui {

void returnLargeBlocksToTheSystem() {
#if defined(__GLIBC__)
    constexpr int kThreshold = 1024 * 1024;
    (void)::mallopt(M_MMAP_THRESHOLD, kThreshold); // fixed: no longer raised as blocks are freed
#endif
}

void returnFreedHeapPages() {
#if defined(__GLIBC__)
    (void)::malloc_trim(0);
#endif
}

} // namespace portscope::gui
