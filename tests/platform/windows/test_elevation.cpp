// "Restart as administrator": argument quoting, and the launch through ShellExecuteEx("runas").

#include "support/win_test_support.h"
#include "windows/elevated_launch.h"
#include "windows/elevation.h"
#include "windows/text.h"

// clang-format off
#include <windows.h>
#include <shellapi.h>
// clang-format on

#include <gtest/gtest.h>

namespace {

using namespace portscope;
using namespace portscope::platform::winsys;

// What a program started with this command line would see in argv[1..].
std::vector<std::wstring> parsedBack(const std::wstring& arguments) {
    const std::wstring line = L"program.exe " + arguments;
    int count = 0;
    wchar_t** argv = ::CommandLineToArgvW(line.c_str(), &count);
    std::vector<std::wstring> parsed;
    for (int i = 1; argv != nullptr && i < count; ++i) {
        parsed.emplace_back(argv[i]);
    }
    ::LocalFree(argv);
    return parsed;
}

TEST(Elevation, QuotedArgumentsSurviveCommandLineToArgv) {
    const std::vector<std::wstring> arguments = {
        L"plain",
        L"with space",
        L"",
        L"say \"hi\"",
        L"C:\\Program Files\\",
        L"trailing\\\\",
        L"\\\\server\\share",
        L"back\\\"slash",
        L"tab\there",
        L"\u00fcber \u65e5\u672c",
    };
    EXPECT_EQ(parsedBack(joinArguments(arguments)), arguments);
    EXPECT_EQ(quoteArgument(L"plain"), L"plain");
    EXPECT_EQ(quoteArgument(L""), L"\"\"");
    EXPECT_EQ(quoteArgument(L"a b\\"), L"\"a b\\\\\"");
}

TEST(Elevation, LaunchStartsTheProgram) {
    // Under Wine every user is an administrator and "runas" simply starts the program; on
    // Windows this shows the UAC prompt, so it runs only where no prompt can appear.
    if (!isRunningUnderWine() && !isElevated()) {
        GTEST_SKIP() << "would show a UAC prompt";
    }
    const std::wstring exe = wintest::programPath(PORTSCOPE_TEST_CHILD_PATH);
    auto launch = launchElevated(exe, L"30");
    ASSERT_EQ(launch.result.status, platform::ActionStatus::Done) << launch.result.message;
    ASSERT_TRUE(launch.process);
    EXPECT_EQ(::WaitForSingleObject(launch.process.get(), 200), static_cast<DWORD>(WAIT_TIMEOUT))
        << "the child sleeps for 30 s";
    // Stop the process this test started, through its own handle.
    ASSERT_TRUE(::TerminateProcess(launch.process.get(), 3));
    EXPECT_EQ(::WaitForSingleObject(launch.process.get(), 5000), static_cast<DWORD>(WAIT_OBJECT_0));
}

TEST(Elevation, ALaunchThatCannotStartSaysWhy) {
    auto launch = launchElevated(L"Z:\\no\\such\\program-portscope.exe", L"");
    EXPECT_NE(launch.result.status, platform::ActionStatus::Done);
    EXPECT_FALSE(launch.process);
    EXPECT_NE(launch.result.message.find("program-portscope.exe"), std::string::npos)
        << launch.result.message;
}

} // namespace
