// The capped list of parse problems shared by the /proc/net and SNMP parsers.

#include "common/capped_error_log.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace {

using portscope::platform::common::CappedErrorLog;

TEST(CappedErrorLogTest, KeepsTheFirstProblemsAndCountsTheRest) {
    std::vector<std::string> errors;
    {
        CappedErrorLog log(&errors, "snmp", " more problems were not listed", 2);
        log.add(3, "bad value");
        log.add(7, "no header", std::string("Tcp:\x01 1 2", 9));
        log.add(9, "left out");
        log.add(11, "left out too");
        EXPECT_EQ(errors.size(), 2u) << "the summary comes when the log ends";
    }
    EXPECT_EQ(errors, (std::vector<std::string>{"snmp line 3: bad value",
                                                "snmp line 7: no header ('Tcp:? 1 2')",
                                                "snmp: 2 more problems were not listed"}));
}

TEST(CappedErrorLogTest, WithoutSourceOrOverflowThereIsNoSummary) {
    std::vector<std::string> errors;
    {
        CappedErrorLog log(&errors, "", " more malformed lines were skipped");
        log.add(1, "too short", std::string(100, 'x'));
    }
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0], "line 1: too short ('" + std::string(48, 'x') + "...')");
}

TEST(CappedErrorLogTest, ANullListCollectsNothing) {
    CappedErrorLog log(nullptr, "netstat", " more problems were not listed", 0);
    log.add(1, "ignored"); // must not crash
}

} // namespace
