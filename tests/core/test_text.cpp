// The shared text helpers: ASCII case and white space, UTF-8 validation, display sanitising
// and number formatting.

#include "portscope/core/text.h"

#include <array>
#include <clocale>
#include <cstdio>
#include <gtest/gtest.h>
#include <limits>

using namespace portscope::core;

TEST(TextCase, FoldsAsciiOnly) {
    EXPECT_EQ(lowerCase("SSHD-Ünïcode"), "sshd-Ünïcode");
    EXPECT_EQ(lowerCase("\xC3\x89"), "\xC3\x89") << "UTF-8 bytes are never changed";
    EXPECT_TRUE(equalsIgnoringCase("LAN", "lan"));
    EXPECT_FALSE(equalsIgnoringCase("lan", "lan "));
    EXPECT_TRUE(containsIgnoringCase("/usr/lib/Firefox/firefox", "FIREFOX"));
    EXPECT_TRUE(containsIgnoringCase("anything", ""));
    EXPECT_FALSE(containsIgnoringCase("ssh", "sshd"));
}

TEST(TextTrim, DropsAsciiWhiteSpaceAtBothEnds) {
    EXPECT_EQ(trim(" \t key = value \r\n"), "key = value");
    EXPECT_EQ(trim("   "), "");
    EXPECT_EQ(trim("\xC2\xA0x"), "\xC2\xA0x") << "a no-break space is not ASCII white space";
}

TEST(Utf8, ValidSequencesHaveTheirLengthAndInvalidOnesZero) {
    EXPECT_EQ(utf8SequenceLength("a", 0), 1u);
    EXPECT_EQ(utf8SequenceLength("\xC3\xA9", 0), 2u);
    EXPECT_EQ(utf8SequenceLength("\xE4\xB8\xAD", 0), 3u);
    EXPECT_EQ(utf8SequenceLength("\xF0\x9F\x98\x80", 0), 4u);
    EXPECT_EQ(utf8SequenceLength("\x80", 0), 0u) << "stray continuation";
    EXPECT_EQ(utf8SequenceLength("\xC0\xAF", 0), 0u) << "overlong";
    EXPECT_EQ(utf8SequenceLength("\xE0\x80\xAF", 0), 0u) << "overlong";
    EXPECT_EQ(utf8SequenceLength("\xED\xA0\x80", 0), 0u) << "surrogate";
    EXPECT_EQ(utf8SequenceLength("\xF4\x90\x80\x80", 0), 0u) << "above U+10FFFF";
    EXPECT_EQ(utf8SequenceLength("\xE2\x82", 0), 0u) << "cut short";
    EXPECT_EQ(validUtf8("ok\xFFok\tx"), "ok\xEF\xBF\xBDok\tx") << "controls are kept";
}

TEST(DisplayText, ReplacesControlCharactersAndInvalidUtf8) {
    EXPECT_EQ(sanitizeForDisplay("a\tb\nc\x1b[31m", 100), "a?b?c?[31m");
    EXPECT_EQ(sanitizeForDisplay("del\x7f", 100), "del?");
    EXPECT_EQ(sanitizeForDisplay("c1\xc2\x85x", 100), "c1?x") << "U+0085 is a C1 control";
    EXPECT_EQ(sanitizeForDisplay("bad\xff", 100), "bad?");
    EXPECT_EQ(sanitizeForDisplay("\xED\xA0\x80", 100), "???") << "each invalid byte";
    EXPECT_EQ(sanitizeForDisplay("caf\xc3\xa9 \xC2\xA0", 100), "caf\xc3\xa9 \xC2\xA0");
    EXPECT_EQ(sanitizeForDisplay(std::string_view("a\0b", 3), 100), "a?b");
}

TEST(DisplayText, CutsAtACharacterBoundary) {
    EXPECT_EQ(sanitizeForDisplay("ab\xc3\xa9"
                                 "cd",
                                 3),
              "ab");
    EXPECT_EQ(sanitizeForDisplay("ab\xc3\xa9"
                                 "cd",
                                 4),
              "ab\xc3\xa9");
    EXPECT_EQ(sanitizeForDisplay("abcdef", 0), "");
    EXPECT_EQ(sanitizeForDisplay(std::string(10000, 'x'), 4096).size(), 4096u);
}

TEST(DisplayText, ExcerptsSayWhenTheyCut) {
    EXPECT_EQ(excerptForDisplay("nginx", 5), "nginx");
    EXPECT_EQ(excerptForDisplay("nginx: worker", 5), "nginx...");
    EXPECT_EQ(excerptForDisplay("a\x1b[2J", 80), "a?[2J");
    EXPECT_EQ(excerptForDisplay("ab\xc3\xa9", 3), "ab...") << "no half character";
}

TEST(NumberText, MatchesPrintfInTheCLocale) {
    const double samples[] = {0.0,     -0.0,   0.05,    0.15,  0.25,    1.0,
                              12.345,  1500.5, 99.95,   1e-7,  1.25e-5, 123456,
                              1234567, 1.5e9,  -42.125, 1e300, 0.000125};
    for (const double value : samples) {
        char fixed[512];
        char general[64];
        std::snprintf(fixed, sizeof fixed, "%.1f", value);
        std::snprintf(general, sizeof general, "%.6g", value);
        EXPECT_EQ(formatNumber(value, NumberPrecision::decimals(1)), fixed) << value;
        EXPECT_EQ(formatNumber(value, NumberPrecision::significantDigits(6)), general) << value;
    }
    std::string json;
    appendJsonNumber(json, std::numeric_limits<double>::infinity(), NumberPrecision::decimals(1));
    json += ',';
    appendJsonNumber(json, std::numeric_limits<double>::quiet_NaN(), NumberPrecision::decimals(1));
    json += ',';
    appendJsonNumber(json, 2.5, NumberPrecision::decimals(0));
    EXPECT_EQ(json, "null,null,2");
}

TEST(NumberText, IgnoresTheLocale) {
    const char* previous = std::setlocale(LC_NUMERIC, nullptr);
    const std::string saved = previous != nullptr ? previous : "C";
    // Any installed locale with a decimal comma shows the point; without one this still passes.
    for (const char* name : {"de_DE.UTF-8", "fr_FR.UTF-8", "C.UTF-8"}) {
        if (std::setlocale(LC_NUMERIC, name) != nullptr) {
            break;
        }
    }
    const std::string text = formatNumber(1.5, NumberPrecision::decimals(1));
    std::setlocale(LC_NUMERIC, saved.c_str());
    EXPECT_EQ(text, "1.5");
}

TEST(EditDistance, CountsSlipsOfTheKeyboard) {
    EXPECT_EQ(editDistance("state", "state"), 0u);
    EXPECT_EQ(editDistance("stat", "state"), 1u);
    EXPECT_EQ(editDistance("prot", "port"), 1u) << "neighbours swapped";
    EXPECT_EQ(editDistance("", "ip"), 2u);
}

TEST(NearestWord, SuggestsOnlyWhatIsNear) {
    constexpr std::array<std::string_view, 3> words{"state", "scope", "port"};
    EXPECT_EQ(nearestWord("STAT", words), "state");
    EXPECT_EQ(nearestWord("bogus", words), "");
    EXPECT_EQ(nearestWord("x", words), "") << "one letter is no basis for a guess";
}
