// The conditions map and the snapshot stamp that every live source shares.

#include "common/source_conditions.h"

#include <chrono>
#include <gtest/gtest.h>
#include <string>
#include <thread>
#include <vector>

namespace {

using portscope::core::Snapshot;
using portscope::platform::common::SourceConditions;
using portscope::platform::common::stampSnapshot;

std::vector<std::string> english(const std::vector<portscope::core::SystemText>& texts) {
    std::vector<std::string> out;
    for (const auto& text : texts) {
        out.push_back(text.english());
    }
    return out;
}

TEST(SourceConditionsTest, EachConditionIsListedOnceUntilCleared) {
    SourceConditions conditions;
    EXPECT_TRUE(conditions.empty());
    conditions.set("owners", "first");
    conditions.set("dump", "dump failed");
    conditions.set("owners", "second");
    ASSERT_NE(conditions.find("owners"), nullptr);
    EXPECT_EQ(conditions.find("owners")->english(), "second");

    std::vector<portscope::core::SystemText> warnings{portscope::core::verbatimText("kept")};
    conditions.appendTo(warnings);
    // Ordered by key, so every snapshot lists them in the same order.
    EXPECT_EQ(english(warnings), (std::vector<std::string>{"kept", "dump failed", "second"}));

    conditions.clear("dump");
    conditions.clear("never set");
    EXPECT_EQ(conditions.find("dump"), nullptr);
    warnings.clear();
    conditions.appendTo(warnings);
    EXPECT_EQ(english(warnings), (std::vector<std::string>{"second"}));
}

TEST(SourceConditionsTest, SetOrClearNamesTheFirstProblemAndCountsTheRest) {
    SourceConditions conditions;
    conditions.setOrClear("tables", {"TCP table: access denied"});
    EXPECT_EQ(conditions.find("tables")->english(), "TCP table: access denied");
    conditions.setOrClear("tables", {"one", "two", "three"});
    EXPECT_EQ(conditions.find("tables")->english(), "one (and 2 more problems)");
    // In parts, so that a front end words it: the template, the problem as it is, the count.
    EXPECT_EQ(conditions.find("tables")->text, "%1 (and %2 more problems)");
    conditions.setOrClear("tables", {});
    EXPECT_EQ(conditions.find("tables"), nullptr);
    EXPECT_TRUE(conditions.empty());
}

TEST(SourceConditionsTest, StampCarriesWarningsAndTimes) {
    SourceConditions conditions;
    conditions.set("netlink", "no netlink");
    const auto started = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    Snapshot snapshot;
    const auto beforeMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
    stampSnapshot(snapshot, conditions, started);
    EXPECT_EQ(english(snapshot.warnings), (std::vector<std::string>{"no netlink"}));
    EXPECT_GE(snapshot.pollDurationNs, 5'000'000);
    EXPECT_GE(snapshot.unixMs, beforeMs);
    EXPECT_GE(
        snapshot.steadyNs,
        std::chrono::duration_cast<std::chrono::nanoseconds>(started.time_since_epoch()).count() +
            snapshot.pollDurationNs);
}

} // namespace
