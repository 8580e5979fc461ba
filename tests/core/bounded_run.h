#pragma once
// Runs a piece of work in a forked child with bounded memory and time, for the tests that
// guard against inputs that cost far more than their size. Bounds are generous: they catch
// gigabytes and minutes, not a slow machine.

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <exception>
#include <functional>
#include <new>
#include <string>

#if defined(__unix__)
#include <csignal>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

#if defined(__SANITIZE_ADDRESS__)
#define PORTSCOPE_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PORTSCOPE_TEST_ASAN 1
#endif
#endif

namespace portscope::testing {

// True where runBounded works (it needs fork).
inline constexpr bool kCanRunBounded =
#if defined(__unix__)
    true;
#else
    false;
#endif

struct BoundedResult {
    bool ok = false;
    std::string why; // empty when ok
};

#if defined(__unix__)
namespace detail {
enum BoundedExit : int {
    kBoundedOk = 0,
    kBoundedFalse = 10,
    kBoundedOutOfMemory = 11,
    kBoundedThrew = 12,
    kBoundedTooMuchMemory = 13,
    kBoundedTooSlow = 14,
};

inline long peakResidentKiB() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss; // KiB on Linux
}

// Bytes of address space the process has mapped now.
inline unsigned long long mappedBytes() {
    unsigned long long pages = 0;
    if (std::FILE* statm = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(statm, "%llu", &pages) != 1) {
            pages = 0;
        }
        std::fclose(statm);
    }
    return pages * static_cast<unsigned long long>(sysconf(_SC_PAGESIZE));
}
} // namespace detail
#endif

// Runs `work` in a child process. It fails when the work returns false or throws, when the
// child's peak resident memory grows by more than `memoryMiB`, or when it takes longer than
// `seconds`. The child's address space may also grow by only a few times `memoryMiB`, so a
// runaway allocation fails fast instead of taking the machine's memory (not under
// AddressSanitizer, which maps terabytes of shadow memory).
inline BoundedResult runBounded(const std::function<bool()>& work, unsigned memoryMiB,
                                unsigned seconds) {
#if defined(__unix__)
    using namespace detail;
    std::fflush(nullptr);
    const pid_t child = fork();
    if (child < 0) {
        return {false, "fork failed"};
    }
    if (child == 0) {
#if !defined(PORTSCOPE_TEST_ASAN)
        const unsigned long long limit = mappedBytes() + 4ull * memoryMiB * (1ull << 20);
        const rlimit addressSpace{limit, limit};
        setrlimit(RLIMIT_AS, &addressSpace);
#endif
        alarm(seconds * 2); // a hard stop well past the measured bound
        const long residentBefore = peakResidentKiB();
        const auto start = std::chrono::steady_clock::now();
        int code = kBoundedOk;
        try {
            code = work() ? kBoundedOk : kBoundedFalse;
        } catch (const std::bad_alloc&) {
            code = kBoundedOutOfMemory;
        } catch (...) {
            code = kBoundedThrew;
        }
        const auto took = std::chrono::steady_clock::now() - start;
        if (code == kBoundedOk && peakResidentKiB() - residentBefore > 1024L * memoryMiB) {
            code = kBoundedTooMuchMemory;
        }
        if (code == kBoundedOk && took > std::chrono::seconds(seconds)) {
            code = kBoundedTooSlow;
        }
        _exit(code);
    }
    int status = 0;
    pid_t waited = -1;
    do {
        waited = waitpid(child, &status, 0);
    } while (waited < 0 && errno == EINTR);
    if (waited != child) {
        return {false, "waitpid failed"};
    }
    const std::string bounds =
        std::to_string(memoryMiB) + " MiB and " + std::to_string(seconds) + " s";
    if (WIFSIGNALED(status)) {
        return {false, "killed by signal " + std::to_string(WTERMSIG(status)) +
                           (WTERMSIG(status) == SIGALRM ? " (it ran far past " + bounds + ")"
                                                        : std::string())};
    }
    switch (WEXITSTATUS(status)) {
    case kBoundedOk:
        return {true, ""};
    case kBoundedFalse:
        return {false, "the work reported failure"};
    case kBoundedOutOfMemory:
        return {false, "ran out of memory (bounds " + bounds + ")"};
    case kBoundedThrew:
        return {false, "the work threw an exception"};
    case kBoundedTooMuchMemory:
        return {false,
                "peak resident memory grew by more than " + std::to_string(memoryMiB) + " MiB"};
    case kBoundedTooSlow:
        return {false, "took longer than " + std::to_string(seconds) + " s"};
    default:
        return {false, "exited with status " + std::to_string(WEXITSTATUS(status))};
    }
#else
    (void)work;
    (void)memoryMiB;
    (void)seconds;
    return {false, "runBounded needs fork"};
#endif
}

} // namespace portscope::testing
