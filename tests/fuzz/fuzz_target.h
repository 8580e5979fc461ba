#pragma once
// How a fuzz target is written. Each fuzz_NAME.cpp defines its entry with
//
//   constexpr portscope::fuzz::HeapBudget kBudget{FIXED_BYTES, BYTES_PER_INPUT_BYTE};
//   PORTSCOPE_FUZZ_TARGET(NAME, kBudget) { ...data, size...; return 0; }
//
// Built as a libFuzzer executable (PORTSCOPE_LIBFUZZER defined), that is the
// LLVMFuzzerTestOneInput of the program. Built into fuzz_corpus_tests (any compiler), every
// target registers itself under its name instead, so one test binary holds all of them and
// replays each one's corpus (corpus_replay_test.cpp).
//
// Both ways, one input must stay within a heap budget: the most heap it holds at once while
// parsing may be FIXED_BYTES plus BYTES_PER_INPUT_BYTE for every input byte. A parser whose
// memory grows faster than its input (a short line that expands to a large table) breaks it
// even with small inputs, which is how such a blow-up is found long before it costs gigabytes.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace portscope::fuzz {

using Entry = int (*)(const std::uint8_t* data, std::size_t size);

struct HeapBudget {
    // What a parser may hold whatever its input: stdio buffers, a first reserve().
    std::size_t fixedBytes = 256 * 1024;
    // What each input byte may cost: the parsed form of a line, a message per bad line.
    std::size_t bytesPerInputByte = 0;
};

struct Target {
    std::string_view name;
    Entry entry = nullptr;
    HeapBudget budget;

    std::size_t heapBudget(std::size_t inputSize) const {
        return budget.fixedBytes + budget.bytesPerInputByte * inputSize;
    }
};

// Every target linked into this program, in no particular order.
std::vector<Target>& registeredTargets();

struct Registration {
    Registration(std::string_view name, Entry entry, HeapBudget budget) {
        registeredTargets().push_back({name, entry, budget});
    }
};

// The most heap held at once since the last reset, in bytes (fuzz_budget.cpp). Counted through
// the sanitizer allocator's hooks under AddressSanitizer, else by replacing operator new.
void resetHeapPeak();
std::size_t heapPeakSinceReset();

struct HeapMark {
    std::size_t peak = 0;
    std::size_t baseline = 0;
};
HeapMark beginNestedHeapMeasure();
std::size_t endNestedHeapMeasure(const HeapMark& outer);

// The most heap `step` held at once, measured inside a larger measurement without disturbing it.
template <typename Step>
std::size_t heapPeakOf(Step&& step) {
    const HeapMark outer = beginNestedHeapMeasure();
    step();
    return endNestedHeapMeasure(outer);
}

// A broken invariant is a crash, so that libFuzzer keeps the input; the corpus replay test
// names the input it was running when the process aborted.
[[noreturn]] void fail(std::string_view target, std::string_view what);

// Fails `target` with `what` unless `condition` holds: how a target states an invariant.
inline void require(std::string_view target, bool condition, std::string_view what) {
    if (!condition) {
        fail(target, what);
    }
}

// Whether `text` holds a control character (C0 or DEL): text a parser hands on to a
// terminal or a log must not.
inline bool hasControlCharacters(std::string_view text) {
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            return true;
        }
    }
    return false;
}

// Runs one input and aborts when it went over the target's heap budget.
int runWithinBudget(const Target& target, const std::uint8_t* data, std::size_t size);

} // namespace portscope::fuzz

#ifdef PORTSCOPE_LIBFUZZER
#define PORTSCOPE_FUZZ_TARGET(name, budget)                                                        \
    static int portscopeFuzz_##name(const std::uint8_t* data, std::size_t size);                   \
    extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {            \
        static const ::portscope::fuzz::Target target{#name, &portscopeFuzz_##name, budget};       \
        return ::portscope::fuzz::runWithinBudget(target, data, size);                             \
    }                                                                                              \
    static int portscopeFuzz_##name(const std::uint8_t* data, std::size_t size)
#else
#define PORTSCOPE_FUZZ_TARGET(name, budget)                                                        \
    static int portscopeFuzz_##name(const std::uint8_t* data, std::size_t size);                   \
    static const ::portscope::fuzz::Registration portscopeFuzzRegistration_##name{                 \
        #name, &portscopeFuzz_##name, budget};                                                     \
    static int portscopeFuzz_##name(const std::uint8_t* data, std::size_t size)
#endif
