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

// A finding of `rule` whose headline (or, with `asEvidence`, whose one piece of evidence) is
// `message`.
Finding findingWith(std::string_view rule, FindingMessage message, bool asEvidence = false) {
    Finding finding;
    finding.ruleId = std::string(rule);
    finding.process = ProcessKey{812, 5};
    finding.processName = "wormy";
    if (asEvidence) {
        finding.evidence.push_back(std::move(message));
    } else {
        finding.headline = std::move(message);
    }
    return finding;
}

TEST(FindingText, ACountOfOneTakesTheSingularTemplateAndAnyOtherThePlural) {
    const auto manyPorts = [](std::uint64_t ports) {
        FindingMessage m;
        m.key = "fanout-scan.many-ports";
        m.count("hosts", 12).count("ports", ports).duration("elapsed", 30'000);
        return renderFindingText(findingWith(rules::kFanoutScan, m)).summary;
    };
    EXPECT_EQ(manyPorts(1), "wormy (PID 812) tried to connect to 12 different hosts on 1 port in "
                            "30 s — typical of a network scan");
    EXPECT_EQ(manyPorts(2), "wormy (PID 812) tried to connect to 12 different hosts on 2 ports "
                            "in 30 s — typical of a network scan");

    const auto halfOpen = [](std::uint64_t sources) {
        FindingMessage m;
        m.key = "syn-flood.half-open";
        m.count("half-open", 300).port("port", 8080).count("sources", sources);
        return renderFindingText(findingWith(rules::kSynFlood, m)).summary;
    };
    EXPECT_EQ(halfOpen(1),
              "wormy (PID 812) has 300 half-open connections (SYN_RECV) waiting on "
              "port 8080 (HTTP alternate) from 1 address — typical of a SYN flood against this "
              "service");
    EXPECT_EQ(halfOpen(0),
              "wormy (PID 812) has 300 half-open connections (SYN_RECV) waiting on "
              "port 8080 (HTTP alternate) from 0 addresses — typical of a SYN flood against this "
              "service");

    const auto imitates = [](std::uint64_t distance) {
        FindingMessage m;
        m.key = "masquerade.imitates";
        m.text("imitated", "sshd").count("distance", distance);
        return renderFindingText(findingWith(rules::kMasquerade, m)).summary;
    };
    EXPECT_EQ(imitates(1), "wormy (PID 812) imitates the system process sshd: the names differ "
                           "by 1 letter — malware hides behind names like this");
    EXPECT_EQ(imitates(2), "wormy (PID 812) imitates the system process sshd: the names differ "
                           "by 2 letters — malware hides behind names like this");

    const auto probed = [](std::uint64_t tcpPorts, std::uint64_t udpPorts, std::uint64_t probes) {
        FindingMessage m;
        m.key = "inbound-scan.source";
        m.text("source", "203.0.113.9")
            .count("tcp-ports", tcpPorts)
            .count("udp-ports", udpPorts)
            .count("probes", probes);
        return renderFindingText(findingWith(rules::kInboundScan, m, true)).details.at(0);
    };
    EXPECT_EQ(probed(0, 1, 1), "203.0.113.9 probed 1 closed UDP port (1 packet turned away).");
    EXPECT_EQ(probed(1, 2, 3),
              "203.0.113.9 probed 1 closed TCP port and 2 closed UDP ports (3 packets turned "
              "away).");
    EXPECT_EQ(probed(2, 0, 2), "203.0.113.9 probed 2 closed TCP ports (2 packets turned away).");
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
