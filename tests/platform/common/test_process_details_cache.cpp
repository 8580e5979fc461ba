// The owners' details cache every backend uses, with a reader that counts its calls.

#include "common/process_details_cache.h"

#include <chrono>
#include <gtest/gtest.h>
#include <map>
#include <optional>
#include <string>

namespace {

using portscope::core::Process;
using portscope::core::ProcessKey;
using portscope::platform::common::ProcessDetailsCache;

TEST(ProcessDetailsCacheTest, ReadsEachProcessOnceAndForgetsFormerOwners) {
    std::map<ProcessKey, int> reads;
    ProcessDetailsCache cache([&](const ProcessKey& key) -> std::optional<Process> {
        ++reads[key];
        if (key.pid == 666) {
            return std::nullopt; // exited before it could be read
        }
        Process process;
        process.key = key;
        process.name = "p" + std::to_string(key.pid);
        return process;
    });
    const ProcessKey a{10, 1}, b{20, 2}, gone{666, 3};

    auto processes = cache.collect({{a, 3}, {b, 1}, {gone, 2}});
    ASSERT_EQ(processes.size(), 3u);
    EXPECT_EQ(processes[0].name, "p10");
    EXPECT_EQ(processes[0].socketCount, 3u);
    EXPECT_EQ(processes[1].socketCount, 1u);
    EXPECT_EQ(processes[2].key, gone);
    EXPECT_FALSE(processes[2].detailsError.empty());
    EXPECT_EQ(cache.readsDone(), 3u);

    processes = cache.collect({{a, 5}, {gone, 1}});
    EXPECT_EQ(reads[a], 1);    // cached
    EXPECT_EQ(reads[gone], 2); // failures are tried again
    EXPECT_EQ(processes[0].socketCount, 5u);
    EXPECT_EQ(cache.size(), 1u); // b no longer owns sockets

    cache.collect({{b, 1}});
    EXPECT_EQ(reads[b], 2);
}

TEST(ProcessDetailsCacheTest, EntriesAreReadAgainAfterTheirAge) {
    // An exec keeps PID and start time but changes the name.
    int reads = 0;
    const auto reader = [&](const ProcessKey& key) -> std::optional<Process> {
        Process process;
        process.key = key;
        process.name = ++reads == 1 ? "bash" : "server";
        return process;
    };
    const ProcessKey key{30, 3};
    ProcessDetailsCache everyTime(reader, std::chrono::seconds(0));
    EXPECT_EQ(everyTime.collect({{key, 1}})[0].name, "bash");
    EXPECT_EQ(everyTime.collect({{key, 1}})[0].name, "server");
    EXPECT_EQ(reads, 2);

    reads = 0;
    ProcessDetailsCache hourly(reader, std::chrono::hours(1));
    EXPECT_EQ(hourly.collect({{key, 1}})[0].name, "bash");
    EXPECT_EQ(hourly.collect({{key, 1}, {key, 4}})[1].socketCount, 4u);
    EXPECT_EQ(reads, 1);

    reads = 0;
    ProcessDetailsCache forever(reader, std::chrono::steady_clock::duration::max());
    EXPECT_EQ(forever.collect({{key, 1}})[0].name, "bash");
    EXPECT_EQ(forever.collect({{key, 1}})[0].name, "bash");
    EXPECT_EQ(reads, 1);
}

TEST(ProcessDetailsCacheTest, AKeyWithoutStartTimeIsReadEveryTimeAndNeverKept) {
    // Start time 0: the OS would not say when the process started, so the same key may name
    // a later process with the same PID.
    int reads = 0;
    ProcessDetailsCache cache([&](const ProcessKey& key) -> std::optional<Process> {
        Process process;
        process.key = key;
        process.name = "read " + std::to_string(++reads);
        return process;
    });
    const ProcessKey unknownStart{40, 0};
    auto processes = cache.collect({{unknownStart, 2}});
    ASSERT_EQ(processes.size(), 1u);
    EXPECT_EQ(processes[0].name, "read 1");
    EXPECT_EQ(processes[0].socketCount, 2u);
    EXPECT_EQ(cache.size(), 0u);
    processes = cache.collect({{unknownStart, 1}});
    EXPECT_EQ(processes[0].name, "read 2");
    EXPECT_EQ(processes[0].socketCount, 1u);
    EXPECT_EQ(cache.readsDone(), 2u);
}

} // namespace
