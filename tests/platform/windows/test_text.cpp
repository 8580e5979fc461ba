// UTF-16 <-> UTF-8 at the platform boundary, and text made safe to show.

#include "windows/text.h"

// clang-format off
#include <windows.h>
// clang-format on

#include <gtest/gtest.h>

namespace {

using namespace portscope::platform::winsys;

TEST(WideText, ConvertsAsciiBmpAndAstralCharacters) {
    EXPECT_EQ(utf8FromWide(std::wstring_view(L"")), "");
    EXPECT_EQ(utf8FromWide(std::wstring_view(L"svchost.exe")), "svchost.exe");
    EXPECT_EQ(utf8FromWide(std::wstring_view(L"caf\u00e9")), "caf\xc3\xa9");
    EXPECT_EQ(utf8FromWide(std::wstring_view(L"\u4e2d\u6587")), "\xe4\xb8\xad\xe6\x96\x87");
    // U+1F600 is a surrogate pair in UTF-16 and four bytes in UTF-8.
    const wchar_t pair[] = {0xD83D, 0xDE00, 0};
    EXPECT_EQ(utf8FromWide(std::wstring_view(pair)), "\xf0\x9f\x98\x80");
}

TEST(WideText, ReplacesUnpairedSurrogates) {
    // NTFS allows names with unpaired surrogates; each becomes U+FFFD, nothing is dropped.
    const wchar_t loneHigh[] = {L'a', 0xD800, L'b', 0};
    EXPECT_EQ(utf8FromWide(std::wstring_view(loneHigh)), "a\xef\xbf\xbd"
                                                         "b");
    const wchar_t loneLow[] = {0xDC00, L'x', 0};
    EXPECT_EQ(utf8FromWide(std::wstring_view(loneLow)), "\xef\xbf\xbdx");
    const wchar_t highAtEnd[] = {L'x', 0xDBFF, 0};
    EXPECT_EQ(utf8FromWide(std::wstring_view(highAtEnd)), "x\xef\xbf\xbd");
    const wchar_t twoHighs[] = {0xD800, 0xD83D, 0xDE00, 0};
    EXPECT_EQ(utf8FromWide(std::wstring_view(twoHighs)), "\xef\xbf\xbd\xf0\x9f\x98\x80");
}

TEST(WideText, KeepsEmbeddedNulsTheViewContains) {
    const wchar_t withNul[] = {L'a', 0, L'b'};
    EXPECT_EQ(utf8FromWide(std::wstring_view(withNul, 3)), std::string("a\0b", 3));
}

TEST(WideText, AgreesWithWindowsOnValidText) {
    const std::wstring samples[] = {
        L"C:\\Program Files\\PortScope\\portscope-cli.exe",
        L"\u00fcber \u00e9t\u00e9 \u0416\u0443\u043a",
        L"\u65e5\u672c\u8a9e\u306e\u30d1\u30b9",
        std::wstring{0xD83D, 0xDE80, L' ', 0xD834, 0xDD1E},
    };
    for (const auto& sample : samples) {
        const int length =
            ::WideCharToMultiByte(CP_UTF8, 0, sample.data(), static_cast<int>(sample.size()),
                                  nullptr, 0, nullptr, nullptr);
        ASSERT_GT(length, 0);
        std::string expected(static_cast<std::size_t>(length), '\0');
        ::WideCharToMultiByte(CP_UTF8, 0, sample.data(), static_cast<int>(sample.size()),
                              expected.data(), length, nullptr, nullptr);
        EXPECT_EQ(utf8FromWide(sample), expected);
        EXPECT_EQ(wideFromUtf8(expected), sample) << "round trip";
    }
}

TEST(WideText, ReplacesEachInvalidUtf8SequenceOnce) {
    const std::u16string replacement(1, u'\uFFFD');
    EXPECT_EQ(utf16FromUtf8("\xff"), replacement);
    EXPECT_EQ(utf16FromUtf8("\xc3"), replacement) << "truncated two-byte sequence";
    EXPECT_EQ(utf16FromUtf8("\xe4\xb8"), u"\uFFFD\uFFFD") << "truncated: each byte replaced";
    EXPECT_EQ(utf16FromUtf8("\xc0\x80"), u"\uFFFD\uFFFD") << "overlong NUL";
    EXPECT_EQ(utf16FromUtf8("\xed\xa0\x80"), u"\uFFFD\uFFFD\uFFFD") << "encoded surrogate";
    EXPECT_EQ(utf16FromUtf8("\xf4\x90\x80\x80"), u"\uFFFD\uFFFD\uFFFD\uFFFD") << "> U+10FFFF";
    EXPECT_EQ(utf16FromUtf8("a\x80z"), u"a\uFFFDz") << "stray continuation byte";
    EXPECT_EQ(utf16FromUtf8("\xf0\x9f\x98\x80"), u"\U0001F600");
}

// sanitizeForDisplay is core's: tests/core/test_text.cpp covers it.

TEST(DisplayText, BaseNameHandlesBothSeparators) {
    EXPECT_EQ(baseName("C:\\Windows\\System32\\svchost.exe"), "svchost.exe");
    EXPECT_EQ(baseName("Z:/work/app.exe"), "app.exe");
    EXPECT_EQ(baseName("System"), "System");
    EXPECT_EQ(baseName("C:\\dir\\"), "");
}

} // namespace
