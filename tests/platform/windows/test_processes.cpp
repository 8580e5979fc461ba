// Process identity (PID + creation time) and details, read from this test program and from a
// child it starts.

#include "portscope/platform/system.h"
#include "support/win_test_support.h"
#include "windows/processes.h"
#include "windows/text.h"
#include "windows/win32.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <gtest/gtest.h>

namespace {

using namespace portscope;
using namespace portscope::platform::winsys;

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::uint64_t ownCreationTime() {
    FILETIME created{}, exited{}, kernel{}, user{};
    EXPECT_TRUE(::GetProcessTimes(::GetCurrentProcess(), &created, &exited, &kernel, &user));
    return fileTimeValue(created);
}

// A PID no process can have: Windows hands out multiples of 4, far below this.
constexpr std::int32_t kUnusedPid = 0x7FFFFFF0;

TEST(Processes, IdentityIsPidPlusCreationTime) {
    const auto pid = static_cast<std::int32_t>(::GetCurrentProcessId());
    const auto identity = identifyProcess(pid);
    ASSERT_TRUE(identity.opened()) << errorText(identity.openError);
    EXPECT_EQ(identity.key.pid, pid);
    EXPECT_EQ(identity.key.startTime, ownCreationTime());
    EXPECT_EQ(platform::currentProcessKey(pid), identity.key);
}

TEST(Processes, AMissingProcessHasExited) {
    const auto identity = identifyProcess(kUnusedPid);
    EXPECT_FALSE(identity.opened());
    EXPECT_TRUE(identity.exited()) << errorText(identity.openError);
    EXPECT_FALSE(platform::currentProcessKey(kUnusedPid).has_value());
    EXPECT_FALSE(platform::processDetails({kUnusedPid, 1}).has_value());
}

TEST(Processes, StartTimeBecomesUnixTime) {
    const auto identity = identifyProcess(static_cast<std::int32_t>(::GetCurrentProcessId()));
    const auto details = readProcessDetails(identity, nullptr);
    const auto nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    EXPECT_LE(details.startedAtUnixMs, nowMs);
    EXPECT_GT(details.startedAtUnixMs, nowMs - 24LL * 3600 * 1000) << "started within a day";
    EXPECT_EQ(unixMsFromFileTime(116444736000000000ULL), 0);
    EXPECT_EQ(unixMsFromFileTime(116444736000000000ULL + 10000), 1);
    EXPECT_EQ(unixMsFromFileTime(5), 0) << "before 1970 is not a time PortScope can show";
}

TEST(Processes, DetailsOfAChildNameItsExeArgumentsParentAndUser) {
    const std::wstring exe = wintest::programPath(PORTSCOPE_TEST_CHILD_PATH);
    // An argument outside ASCII checks the UTF-16 to UTF-8 conversion of command lines.
    auto child = wintest::ChildProcess::start(exe, L"30 \u00fcber-\u65e5\u672c");
    ASSERT_TRUE(child.has_value()) << "cannot start " << utf8FromWide(exe);

    const auto key = platform::currentProcessKey(static_cast<std::int32_t>(child->pid()));
    ASSERT_TRUE(key.has_value());
    EXPECT_EQ(key->startTime, child->creationTime());
    const auto details = platform::processDetails(*key);
    ASSERT_TRUE(details.has_value());

    EXPECT_EQ(details->key, *key);
    EXPECT_EQ(lower(details->name), "windows_test_child.exe");
    EXPECT_EQ(lower(std::string(baseName(details->exePath))), "windows_test_child.exe");
    EXPECT_NE(details->exePath.find(':'), std::string::npos) << "a full path: " << details->exePath;
    EXPECT_NE(details->commandLine.find("30 \xc3\xbc"
                                        "ber-\xe6\x97\xa5\xe6\x9c\xac"),
              std::string::npos)
        << details->commandLine;
    EXPECT_EQ(details->parentPid, static_cast<std::int32_t>(::GetCurrentProcessId()));
    EXPECT_FALSE(details->userName.empty());
    EXPECT_TRUE(details->detailsError.empty()) << details->detailsError;
}

TEST(Processes, DetailsRefuseARecycledIdentity) {
    const auto pid = static_cast<std::int32_t>(::GetCurrentProcessId());
    const auto key = platform::currentProcessKey(pid);
    ASSERT_TRUE(key.has_value());
    EXPECT_TRUE(platform::processDetails(*key).has_value());
    EXPECT_FALSE(platform::processDetails({pid, key->startTime + 1}).has_value())
        << "another start time is another process";
}

TEST(Processes, CommandLineOfThisProcessMatchesWindows) {
    std::string error;
    const std::string commandLine = readCommandLine(::GetCurrentProcess(), &error);
    EXPECT_TRUE(error.empty()) << error;
    EXPECT_EQ(commandLine, sanitizeForDisplay(utf8FromWide(std::wstring_view(::GetCommandLineW())),
                                              kMaxCommandLineBytes));
}

TEST(Processes, ListHoldsThisProcessAndItsParent) {
    std::string error;
    const auto list = listProcesses(&error);
    ASSERT_TRUE(error.empty()) << error;
    const auto self = list.find(static_cast<std::int32_t>(::GetCurrentProcessId()));
    ASSERT_NE(self, list.end());
    EXPECT_EQ(lower(self->second.exeName), "platform_windows_tests.exe");
}

TEST(Processes, ReservedPidsHaveWindowsNames) {
    EXPECT_EQ(reservedProcessName(0), "System Idle Process");
    EXPECT_EQ(reservedProcessName(4), "System");
    EXPECT_FALSE(reservedProcessName(8).has_value());
}

TEST(Processes, AnUnopenableProcessSaysWhy) {
    ProcessIdentity denied;
    denied.key = {4, 0};
    denied.openError = ERROR_ACCESS_DENIED;
    const auto details = readProcessDetails(denied, nullptr);
    EXPECT_EQ(details.name, "System");
    EXPECT_EQ(details.detailsError.rfind("details unavailable: ", 0), 0u) << details.detailsError;
    EXPECT_NE(details.detailsError.find("(error 5)"), std::string::npos) << details.detailsError;
    EXPECT_NE(details.detailsError.find("administrator"), std::string::npos);
    EXPECT_TRUE(details.exePath.empty());
}

TEST(Win32, ErrorTextNamesTheCode) {
    const std::string text = errorText(ERROR_ACCESS_DENIED);
    EXPECT_NE(text.find("(error 5)"), std::string::npos) << text;
    EXPECT_NE(text.back(), '\n');
    EXPECT_NE(errorText(0xDEADBEEF).find("(error 3735928559)"), std::string::npos);
}

TEST(Win32, WineIsDetectedByItsRegistryKeyToo) {
    // Wine creates HKCU\Software\Wine in every prefix; Windows has no such key.
    HKEY key = nullptr;
    const bool wineKey =
        ::RegOpenKeyExW(HKEY_CURRENT_USER, L"Software\\Wine", 0, KEY_READ, &key) == ERROR_SUCCESS;
    if (key != nullptr) {
        ::RegCloseKey(key);
    }
    EXPECT_EQ(isRunningUnderWine(), wineKey);
}

} // namespace
