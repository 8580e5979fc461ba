// Runs the libFuzzer target over its seeds and over every one-byte change of them, so the
// target and the decoder's invariants are exercised by every build, with or without clang.
// With PORTSCOPE_WRITE_FUZZ_SEEDS=DIR set, the seeds are also written there as files (how
// tests/fuzz/corpus was made).

#include "portscope/core/helper_protocol.h"
#include "portscope/core/replay.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace portscope::core::helper {
namespace {

int runTarget(const std::string& input) {
    return LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()),
                                  input.size());
}

std::vector<std::pair<std::string, std::string>> seeds() {
    Socket connection;
    connection.state = SocketState::Established;
    connection.local = {IpAddress::v4(127, 0, 0, 1), 5000};
    connection.remote = {IpAddress::v4(127, 0, 0, 1), 80};
    connection.cookie = 42;
    Snapshot snapshot;
    snapshot.sourceName = "seed";
    connection.owner = {77, 88};
    connection.ownerStatus = OwnerStatus::Known;
    snapshot.sockets.push_back(connection);
    Process process;
    process.key = {77, 88};
    process.name = "seed";
    snapshot.processes.push_back(process);

    const std::string toHelper(1, '\0');
    const std::string toClient(1, '\1');
    return {
        {"session", toHelper + encodeFrame(1, Hello{}) + encodeFrame(2, Poll{}) +
                        encodeFrame(3, KillRequest{{77, 88}, 100}) +
                        encodeFrame(4, CloseRequest{connection}) + encodeFrame(5, Goodbye{})},
        {"hello-options", toHelper + encodeFrame(1, Hello{kVersion, kKnownHelloOptions})},
        {"oversized", toHelper + encodeHeader(MessageType::Poll, 1, kMaxRequestBytes + 1)},
        {"replies", toClient + encodeFrame(1, Welcome{kVersion, 100, 0}) +
                        encodeFrame(2, SnapshotData{snapshot}) +
                        encodeFrame(3, ActionReply{ActionCode::Done, "Stopped seed (PID 77)."})},
        {"error", toClient + encodeFrame(0, ErrorReply{ErrorCode::Oversized, "too big"})},
    };
}

TEST(FuzzRegression, SeedsAndEveryOneByteChangeOfThemPass) {
    std::size_t inputs = 0;
    for (const auto& [name, seed] : seeds()) {
        ASSERT_EQ(runTarget(seed), 0) << name;
        ++inputs;
        for (std::size_t at = 0; at < seed.size(); ++at) {
            for (const unsigned char value : {0x00u, 0xFFu, 0x80u, 0x01u}) {
                std::string mutated = seed;
                mutated[at] = static_cast<char>(static_cast<unsigned char>(mutated[at]) ^ value);
                runTarget(mutated);
                ++inputs;
            }
            runTarget(seed.substr(0, at));
            ++inputs;
        }
    }
    EXPECT_GT(inputs, 1000u);
}

TEST(FuzzRegression, StoredCorpusPasses) {
    const std::filesystem::path corpus = PORTSCOPE_FUZZ_CORPUS_DIR;
    ASSERT_TRUE(std::filesystem::is_directory(corpus)) << corpus;
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
        std::ifstream file(entry.path(), std::ios::binary);
        const std::string input{std::istreambuf_iterator<char>(file), {}};
        EXPECT_EQ(runTarget(input), 0) << entry.path();
        ++files;
    }
    EXPECT_GE(files, seeds().size());
}

TEST(FuzzRegression, WritesSeedsWhenAsked) {
    const char* directory = std::getenv("PORTSCOPE_WRITE_FUZZ_SEEDS");
    if (directory == nullptr) {
        GTEST_SKIP() << "set PORTSCOPE_WRITE_FUZZ_SEEDS=DIR to write the seed corpus";
    }
    std::filesystem::create_directories(directory);
    for (const auto& [name, seed] : seeds()) {
        std::ofstream(std::filesystem::path(directory) / (name + ".bin"), std::ios::binary) << seed;
    }
}

} // namespace
} // namespace portscope::core::helper
