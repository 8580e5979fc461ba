// The heap meter and the budget check shared by the libFuzzer executables and the corpus
// replay test.

#include "fuzz_target.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>

#if defined(__SANITIZE_ADDRESS__)
#define PORTSCOPE_FUZZ_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PORTSCOPE_FUZZ_ASAN 1
#endif
#endif

#ifndef PORTSCOPE_FUZZ_ASAN
#include <malloc.h>
#endif

namespace portscope::fuzz {

namespace {

std::atomic<std::size_t> liveBytes{0};
std::atomic<std::size_t> peakBytes{0};
std::atomic<std::size_t> baselineBytes{0};

void counted(std::size_t bytes) {
    const std::size_t now = liveBytes.fetch_add(bytes, std::memory_order_relaxed) + bytes;
    std::size_t peak = peakBytes.load(std::memory_order_relaxed);
    while (now > peak && !peakBytes.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
    }
}

void released(std::size_t bytes) {
    liveBytes.fetch_sub(bytes, std::memory_order_relaxed);
}

} // namespace

std::vector<Target>& registeredTargets() {
    static std::vector<Target> targets;
    return targets;
}

void resetHeapPeak() {
    const std::size_t now = liveBytes.load(std::memory_order_relaxed);
    baselineBytes.store(now, std::memory_order_relaxed);
    peakBytes.store(now, std::memory_order_relaxed);
}

std::size_t heapPeakSinceReset() {
    const std::size_t peak = peakBytes.load(std::memory_order_relaxed);
    const std::size_t baseline = baselineBytes.load(std::memory_order_relaxed);
    return peak > baseline ? peak - baseline : 0;
}

HeapMark beginNestedHeapMeasure() {
    const HeapMark outer{peakBytes.load(std::memory_order_relaxed),
                         baselineBytes.load(std::memory_order_relaxed)};
    resetHeapPeak();
    return outer;
}

std::size_t endNestedHeapMeasure(const HeapMark& outer) {
    const std::size_t inner = heapPeakSinceReset();
    baselineBytes.store(outer.baseline, std::memory_order_relaxed);
    if (outer.peak > peakBytes.load(std::memory_order_relaxed)) {
        peakBytes.store(outer.peak, std::memory_order_relaxed);
    }
    return inner;
}

void fail(std::string_view target, std::string_view what) {
    std::fprintf(stderr, "fuzz_%.*s: %.*s\n", static_cast<int>(target.size()), target.data(),
                 static_cast<int>(what.size()), what.data());
    std::abort();
}

int runWithinBudget(const Target& target, const std::uint8_t* data, std::size_t size) {
    resetHeapPeak();
    const int result = target.entry(data, size);
    const std::size_t peak = heapPeakSinceReset();
    if (peak > target.heapBudget(size)) {
        fail(target.name, "heap budget exceeded: " + std::to_string(peak) +
                              " bytes held at once for an input of " + std::to_string(size) +
                              " bytes (budget " + std::to_string(target.heapBudget(size)) + ")");
    }
    return result;
}

} // namespace portscope::fuzz

#ifdef PORTSCOPE_FUZZ_ASAN
// The sanitizer allocator calls these on every malloc and free, operator new included.
extern "C" {
int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void*,
                                                                  std::size_t),
                                              void (*free_hook)(const volatile void*));
std::size_t __sanitizer_get_allocated_size(const volatile void* pointer);
}

namespace {
void onMalloc(const volatile void*, std::size_t size) {
    portscope::fuzz::counted(size);
}
void onFree(const volatile void* pointer) {
    if (pointer != nullptr) {
        portscope::fuzz::released(__sanitizer_get_allocated_size(pointer));
    }
}
[[maybe_unused]] const int hooksInstalled =
    __sanitizer_install_malloc_and_free_hooks(&onMalloc, &onFree);
} // namespace
#else
// Without a sanitizer, operator new is replaced. Past kHardCapBytes held at once it throws
// std::bad_alloc, so that a runaway parser fails in the test instead of exhausting the machine.
namespace {
constexpr std::size_t kHardCapBytes = std::size_t{512} << 20;

void* allocateCounted(std::size_t size) {
    if (portscope::fuzz::liveBytes.load(std::memory_order_relaxed) + size > kHardCapBytes) {
        portscope::fuzz::counted(size); // the peak shows the attempt
        portscope::fuzz::released(size);
        throw std::bad_alloc();
    }
    void* pointer = std::malloc(size == 0 ? 1 : size);
    if (pointer == nullptr) {
        throw std::bad_alloc();
    }
    portscope::fuzz::counted(malloc_usable_size(pointer));
    return pointer;
}

void releaseCounted(void* pointer) noexcept {
    if (pointer != nullptr) {
        portscope::fuzz::released(malloc_usable_size(pointer));
        std::free(pointer);
    }
}
} // namespace

void* operator new(std::size_t size) {
    return allocateCounted(size);
}
void* operator new[](std::size_t size) {
    return allocateCounted(size);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    try {
        return allocateCounted(size);
    } catch (const std::bad_alloc&) {
        return nullptr;
    }
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
    return operator new(size, std::nothrow);
}
void operator delete(void* pointer) noexcept {
    releaseCounted(pointer);
}
void operator delete[](void* pointer) noexcept {
    releaseCounted(pointer);
}
void operator delete(void* pointer, std::size_t) noexcept {
    releaseCounted(pointer);
}
void operator delete[](void* pointer, std::size_t) noexcept {
    releaseCounted(pointer);
}
void operator delete(void* pointer, const std::nothrow_t&) noexcept {
    releaseCounted(pointer);
}
void operator delete[](void* pointer, const std::nothrow_t&) noexcept {
    releaseCounted(pointer);
}
#endif
