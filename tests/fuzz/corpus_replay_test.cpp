// Replays every fuzz target's stored corpus, and every one-byte change of each input, through
// the target in a normal build (any compiler, no libFuzzer). Each input must keep the target's
// invariants (a broken one aborts, naming the input below), throw nothing, and stay within the
// heap budget (fuzz_target.h) and the time budget.

#include "fuzz_target.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>

namespace portscope::fuzz {
namespace {

// As -timeout=2 in the libFuzzer smoke runs: a parser of these small inputs that takes seconds
// has a quadratic (or worse) path.
constexpr std::chrono::milliseconds kInputTimeBudget{2000};
// Inputs up to this size get every position changed; larger ones this many positions, spread
// evenly, plus every position of the first kAlwaysMutatedPrefix bytes (headers).
constexpr std::size_t kMutatedPositions = 512;
constexpr std::size_t kAlwaysMutatedPrefix = 64;
constexpr std::size_t kMaxReportedFailures = 10;

// What runs now, for the abort handler: an invariant that breaks aborts the whole test program.
char currentInput[512] = "";

void describeCurrentInput(const std::string& description) {
    const std::size_t length = std::min(description.size(), sizeof currentInput - 1);
    std::memcpy(currentInput, description.data(), length);
    currentInput[length] = '\0';
}

extern "C" void reportInputAndDie(int signalNumber) {
    constexpr char prefix[] = "\nfuzz corpus replay: the process died while running ";
    [[maybe_unused]] auto ignored = write(STDERR_FILENO, prefix, sizeof prefix - 1);
    ignored = write(STDERR_FILENO, currentInput, std::strlen(currentInput));
    ignored = write(STDERR_FILENO, "\n", 1);
    std::signal(signalNumber, SIG_DFL);
    std::raise(signalNumber);
}

struct Cost {
    std::size_t heapPeak = 0;
    std::chrono::nanoseconds time{0};
    std::string exception; // what escaped the target, if anything
};

Cost measure(const Target& target, const std::string& input) {
    Cost cost;
    resetHeapPeak();
    const auto start = std::chrono::steady_clock::now();
    try {
        target.entry(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
    } catch (const std::exception& error) {
        cost.exception = error.what();
    } catch (...) {
        cost.exception = "an exception of unknown type";
    }
    cost.time = std::chrono::steady_clock::now() - start;
    cost.heapPeak = heapPeakSinceReset();
    return cost;
}

// Empty when the input stayed within its budgets; otherwise what it went over.
std::string overBudget(const Target& target, std::size_t inputSize, const Cost& cost,
                       std::chrono::nanoseconds timeBudget) {
    std::ostringstream out;
    if (!cost.exception.empty()) {
        out << "threw " << cost.exception << "; ";
    }
    if (cost.heapPeak > target.heapBudget(inputSize)) {
        out << "held " << cost.heapPeak << " heap bytes at once (budget "
            << target.heapBudget(inputSize) << " for " << inputSize << " input bytes); ";
    }
    if (cost.time > timeBudget) {
        out << "took " << std::chrono::duration_cast<std::chrono::milliseconds>(cost.time).count()
            << " ms (budget "
            << std::chrono::duration_cast<std::chrono::milliseconds>(timeBudget).count()
            << " ms); ";
    }
    return out.str();
}

std::vector<std::size_t> positionsToMutate(std::size_t size) {
    std::vector<std::size_t> positions;
    if (size <= kMutatedPositions) {
        for (std::size_t at = 0; at < size; ++at) {
            positions.push_back(at);
        }
        return positions;
    }
    for (std::size_t at = 0; at < kAlwaysMutatedPrefix; ++at) {
        positions.push_back(at);
    }
    for (std::size_t i = 0; i < kMutatedPositions; ++i) {
        positions.push_back(kAlwaysMutatedPrefix +
                            i * (size - kAlwaysMutatedPrefix) / kMutatedPositions);
    }
    return positions;
}

// The input, then per position: the byte set to 0, its low bit, its high bit and all its bits
// flipped, and the input cut just before it.
template <typename Visit>
void forEachMutation(const std::string& input, Visit&& visit) {
    visit(input, std::string("as stored"));
    for (const std::size_t at : positionsToMutate(input.size())) {
        const auto original = static_cast<unsigned char>(input[at]);
        for (const unsigned value : {0x00u, original ^ 0x01u, original ^ 0x80u, original ^ 0xFFu}) {
            if (value == original) {
                continue; // a zero byte set to zero
            }
            std::string mutated = input;
            mutated[at] = static_cast<char>(value);
            visit(mutated, "byte " + std::to_string(at) + " set to " + std::to_string(value));
        }
        visit(input.substr(0, at), "cut to " + std::to_string(at) + " bytes");
    }
}

std::string readFile(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(file), {}};
}

std::vector<std::string> declaredTargetNames() {
    std::vector<std::string> names;
    std::istringstream list(PORTSCOPE_FUZZ_TARGET_NAMES);
    std::string name;
    while (std::getline(list, name, ',')) {
        names.push_back(name);
    }
    return names;
}

const Target* findTarget(std::string_view name) {
    for (const auto& target : registeredTargets()) {
        if (target.name == name) {
            return &target;
        }
    }
    return nullptr;
}

class FuzzCorpus : public testing::TestWithParam<std::string> {};

TEST_P(FuzzCorpus, InputsAndTheirOneByteChangesStayWithinBudget) {
    const Target* target = findTarget(GetParam());
    ASSERT_NE(target, nullptr) << "fuzz_" << GetParam() << ".cpp is not linked into this test";
    const std::filesystem::path corpus =
        std::filesystem::path(PORTSCOPE_FUZZ_CORPORA_DIR) / GetParam();
    ASSERT_TRUE(std::filesystem::is_directory(corpus)) << corpus;

    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
        files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    ASSERT_FALSE(files.empty()) << "no seeds in " << corpus;

    for (const int signalNumber : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) {
        std::signal(signalNumber, reportInputAndDie);
    }
    std::size_t inputs = 0;
    std::size_t failures = 0;
    for (const auto& file : files) {
        const std::string seed = readFile(file);
        forEachMutation(seed, [&](const std::string& input, const std::string& mutation) {
            if (failures >= kMaxReportedFailures) {
                return;
            }
            describeCurrentInput(GetParam() + " " + file.filename().string() + " (" + mutation +
                                 ")");
            ++inputs;
            const auto cost = measure(*target, input);
            const auto problem = overBudget(*target, input.size(), cost, kInputTimeBudget);
            if (!problem.empty()) {
                ++failures;
                ADD_FAILURE() << currentInput << ": " << problem;
            }
        });
    }
    EXPECT_GT(inputs, files.size()) << "every input has one-byte changes";
}

INSTANTIATE_TEST_SUITE_P(Targets, FuzzCorpus, testing::ValuesIn(declaredTargetNames()),
                         [](const testing::TestParamInfo<std::string>& info) {
                             return info.param;
                         });

TEST(FuzzCorpusSetup, EveryLinkedTargetIsDeclared) {
    const auto declared = declaredTargetNames();
    for (const auto& target : registeredTargets()) {
        EXPECT_NE(std::find(declared.begin(), declared.end(), target.name), declared.end())
            << target.name;
    }
    EXPECT_EQ(registeredTargets().size(), declared.size());
}

// The budget checks themselves, against parsers that misbehave on purpose.
int holdsEightMebibytes(const std::uint8_t*, std::size_t) {
    std::vector<char> table(8u << 20, '\1');
    return table[table.size() / 2] == '\1' ? 0 : 1;
}

int holdsLittle(const std::uint8_t* data, std::size_t size) {
    std::string copy(reinterpret_cast<const char*>(data), size);
    return copy.empty() ? 1 : 0;
}

int sleepsFiftyMilliseconds(const std::uint8_t*, std::size_t) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return 0;
}

int throwsOutOfRange(const std::uint8_t*, std::size_t) {
    throw std::out_of_range("index 7");
}

TEST(FuzzBudget, FlagsAParserThatHoldsFarMoreHeapThanItsInputJustifies) {
    const Target expanding{"expanding", &holdsEightMebibytes, {256 * 1024, 16}};
    const std::string input = "ports = 1-65535\n";
    const auto problem =
        overBudget(expanding, input.size(), measure(expanding, input), kInputTimeBudget);
    EXPECT_NE(problem.find("heap bytes at once"), std::string::npos) << problem;

    const Target frugal{"frugal", &holdsLittle, {256 * 1024, 16}};
    EXPECT_EQ(overBudget(frugal, input.size(), measure(frugal, input), kInputTimeBudget), "");
}

TEST(FuzzBudget, FlagsASlowInput) {
    const Target slow{"slow", &sleepsFiftyMilliseconds, {}};
    const auto cost = measure(slow, "x");
    EXPECT_NE(overBudget(slow, 1, cost, std::chrono::milliseconds(10)).find("took"),
              std::string::npos);
    EXPECT_EQ(overBudget(slow, 1, cost, std::chrono::seconds(10)), "");
}

TEST(FuzzBudget, FlagsAnEscapedException) {
    const Target throwing{"throwing", &throwsOutOfRange, {}};
    EXPECT_NE(overBudget(throwing, 1, measure(throwing, "x"), kInputTimeBudget).find("index 7"),
              std::string::npos);
}

TEST(FuzzBudget, ChangesEveryPositionOfSmallInputsAndASampleOfLargeOnes) {
    std::size_t small = 0;
    forEachMutation(std::string(10, 'a'), [&](const std::string&, const std::string&) { ++small; });
    EXPECT_EQ(small, 1u + 10u * 5u);
    std::size_t large = 0;
    forEachMutation(std::string(100'000, 'a'),
                    [&](const std::string&, const std::string&) { ++large; });
    EXPECT_EQ(large, 1u + (kAlwaysMutatedPrefix + kMutatedPositions) * 5u);
}

} // namespace
} // namespace portscope::fuzz
