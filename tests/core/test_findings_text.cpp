// The wording of findings: every sentence goes through the FindingWording, so a front end
// can translate all of it, and the English wording stays what it was.

#include "portscope/core/findings_text.h"

#include <gtest/gtest.h>
#include <string>

namespace portscope::core {
namespace {

// Wraps each template in brackets and writes numbers with a visible group separator, so a
// test can see that no English was glued on outside the templates.
class BracketWording final : public FindingWording {
public:
    std::string translate(const char* context, const char* english) const override {
        contexts += std::string(context) + ' ';
        return "[" + std::string(english) + "]";
    }
    std::string number(std::string english) const override {
        for (char& c : english) {
            c = c == ',' ? '\'' : c;
        }
        return english;
    }
    mutable std::string contexts;
};

Finding scanFinding() {
    Finding finding;
    finding.ruleId = std::string(rules::kFanoutScan);
    finding.process = ProcessKey{812, 5};
    finding.processName = "wormy";
    finding.headline.key = "fanout-scan.one-port";
    finding.headline.count("hosts", 1234).port("port", 445).duration("elapsed", 7'500'000);
    FindingMessage hosts;
    hosts.key = "fanout-scan.hosts-tried";
    hosts.addresses("hosts", {"10.0.0.1", "10.0.0.2", "10.0.0.3"}, 2);
    finding.evidence.push_back(hosts);
    return finding;
}

TEST(FindingText, EverySentenceIsATemplateOfTheWording) {
    const BracketWording wording;
    const FindingText text = renderFindingText(scanFinding(), wording);
    EXPECT_EQ(text.summary, "[[wormy (PID 812)] tried to connect to 1'234 different hosts on "
                            "[port 445 (SMB)] [in [2 h 5 min]] — typical of a network scan]");
    ASSERT_EQ(text.details.size(), 1u);
    EXPECT_EQ(text.details.front(), "[Hosts tried: [10.0.0.1[, ]10.0.0.2 and 1 more].]");
    EXPECT_EQ(text.action.front(), '[');
    EXPECT_EQ(text.action.back(), ']');
    EXPECT_EQ(wording.contexts.find("CoreText"), std::string::npos);
}

TEST(FindingText, EnglishIsTheDefaultWording) {
    const FindingText text = renderFindingText(scanFinding());
    EXPECT_EQ(text.summary, "wormy (PID 812) tried to connect to 1,234 different hosts on port "
                            "445 (SMB) in 2 h 5 min — typical of a network scan");
    EXPECT_EQ(text.details.front(), "Hosts tried: 10.0.0.1, 10.0.0.2 and 1 more.");
    EXPECT_EQ(wordDuration(90'000, englishWording()), "90 s");
}

TEST(FindingText, SubstituteFillsEachPlaceholderOnceInOnePass) {
    EXPECT_EQ(substitute("%2 before %1", {"a", "b"}), "b before a");
    // An argument that holds a placeholder is not expanded again.
    EXPECT_EQ(substitute("%1 and %2", {"%2", "x"}), "%2 and x");
    // A placeholder without an argument, and a lone %, stay as written.
    EXPECT_EQ(substitute("%1 of %3 at 50%", {"one"}), "one of %3 at 50%");
}

} // namespace
} // namespace portscope::core
