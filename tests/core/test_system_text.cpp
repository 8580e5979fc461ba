// The platform layer's sentences in parts: worded in English for programs and in a front
// end's language for users, and bounded whatever a peer sends.

#include "portscope/core/findings_text.h"
#include "portscope/core/system_text.h"

#include <gtest/gtest.h>
#include <map>
#include <string>

namespace portscope::core {
namespace {

// A language whose translations are a table, with the separators of a locale that groups
// with '.'.
class TableWording final : public FindingWording {
public:
    std::map<std::string, std::string> table;
    std::string translate(const char* context, const char* english) const override {
        EXPECT_STREQ(context, "SystemText");
        const auto found = table.find(english);
        return found == table.end() ? english : found->second;
    }
    std::string number(std::string english) const override {
        for (char& c : english) {
            c = c == ',' ? '.' : c;
        }
        return english;
    }
};

SystemText closeFailure() {
    return systemText("Cannot close %1: %2 (%3 tries).",
                      {systemText("the %1 connection %2 -> %3",
                                  {verbatimText("TCP"), verbatimText("10.0.0.1:5000"),
                                   verbatimText("10.0.0.2:443")}),
                       verbatimText("Operation not permitted"), numberText(12345)});
}

TEST(SystemText, EnglishIsTheTemplatesFilledIn) {
    EXPECT_EQ(closeFailure().english(),
              "Cannot close the TCP connection 10.0.0.1:5000 -> 10.0.0.2:443: Operation not "
              "permitted (12,345 tries).");
    EXPECT_TRUE(SystemText{}.empty());
    EXPECT_FALSE(verbatimText("x").empty());
}

TEST(SystemText, AWordingTranslatesEveryTemplateAndItsNumbersButNotVerbatimText) {
    TableWording wording;
    wording.table["Cannot close %1: %2 (%3 tries)."] = "%1 を切断できません: %2 (%3 回)。";
    wording.table["the %1 connection %2 -> %3"] = "%1 接続 %2 → %3";
    // A verbatim text is never looked up.
    wording.table["Operation not permitted"] = "wrong";
    EXPECT_EQ(wordSystemText(closeFailure(), wording),
              "TCP 接続 10.0.0.1:5000 → 10.0.0.2:443 を切断できません: Operation not permitted "
              "(12.345 回)。");
}

TEST(SystemText, AnArgumentHoldingPlaceholdersIsLeftAlone) {
    const SystemText text = systemText("%1 and %2", {verbatimText("%2"), verbatimText("b")});
    EXPECT_EQ(text.english(), "%2 and b");
    // A placeholder without an argument stays as written; digits that are no number too.
    EXPECT_EQ(systemText("%1 %3", {verbatimText("a")}).english(), "a %3");
    const SystemText notANumber{SystemText::Kind::Number, "12x", {}};
    EXPECT_EQ(notANumber.english(), "12x");
}

TEST(SystemText, RepeatedPlaceholdersCannotBlowUpTheWordedText) {
    // Each level would multiply the size by 2,000 without the bound.
    std::string repeat;
    for (int i = 0; i < 2000; ++i) {
        repeat += "%1é";
    }
    SystemText text = verbatimText("x");
    for (int depth = 0; depth < 4; ++depth) {
        text = systemText(repeat.c_str(), {text});
    }
    const std::string worded = text.english();
    EXPECT_LE(worded.size(), kMaxWordedBytes);
    EXPECT_GE(worded.size(), kMaxWordedBytes - 3);
    // Cut at a character boundary: the last character is whole.
    EXPECT_NE(static_cast<unsigned char>(worded.back()) & 0xC0, 0xC0);
    EXPECT_TRUE(worded.ends_with("x") || worded.ends_with("é")) << worded.substr(worded.size() - 4);
}

} // namespace
} // namespace portscope::core
