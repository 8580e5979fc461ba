// portscope-cli in Japanese: --lang and the locale choose the language of the findings in
// the table and stats output; JSON stays English whatever the language.

#include "cli_test_support.h"
#include "loopback.h"
#include "portscope/platform/system.h"
#include "test_process.h"

#include <chrono>
#include <cstdlib>
#include <gtest/gtest.h>
#include <optional>
#include <unistd.h>

using namespace portscope;
using namespace portscope::testing;

namespace {

const std::string kPid = std::to_string(getpid());

// Sets the locale variables for one test and restores them after.
class LocaleEnvironment {
public:
    LocaleEnvironment(const char* lcAll, const char* lang, const char* language) {
        for (const char* name : kNames) {
            const char* value = std::getenv(name);
            saved_.emplace_back(name, value ? std::optional<std::string>(value) : std::nullopt);
            ::unsetenv(name);
        }
        set("LC_ALL", lcAll);
        set("LANG", lang);
        set("LANGUAGE", language);
    }
    ~LocaleEnvironment() {
        for (const auto& [name, value] : saved_) {
            value ? ::setenv(name, value->c_str(), 1) : ::unsetenv(name);
        }
    }
    LocaleEnvironment(const LocaleEnvironment&) = delete;
    LocaleEnvironment& operator=(const LocaleEnvironment&) = delete;

private:
    static void set(const char* name, const char* value) {
        if (value != nullptr) {
            ::setenv(name, value, 1);
        }
    }
    static constexpr const char* kNames[] = {"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"};
    std::vector<std::pair<const char*, std::optional<std::string>>> saved_;
};

std::string suspiciousPortConfig(TempDir& dir, std::uint16_t port) {
    return dir.write("findings.conf", "[suspicious-port]\nports = " + std::to_string(port) +
                                          "\n[masquerade]\nenabled = false\n");
}

const std::string kJapaneseWhy = "不審なポートの一覧に登録されたポートです";
const std::string kEnglishWhy = "in your list of suspicious ports";

} // namespace

TEST(CliLanguage, LangJaWordsTheFindingsOfTheTableInJapaneseAndJsonStaysEnglish) {
    const LocaleEnvironment english("C", nullptr, nullptr);
    const Fd listener = tcpListener("127.0.0.1");
    const auto port = localEndpoint(listener.get()).port;
    TempDir dir;
    const auto config = suspiciousPortConfig(dir, port);

    const auto table = runCli({"snapshot", "--lang", "ja", "--config", config, "--pid", kPid});
    ASSERT_EQ(table.exitCode, cli::kExitOk) << table.err;
    EXPECT_NE(table.out.find("待ち受けています。" + kJapaneseWhy), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("対処: "), std::string::npos) << table.out;
    EXPECT_EQ(table.out.find(kEnglishWhy), std::string::npos) << table.out;

    const auto json =
        runCli({"snapshot", "--lang", "ja", "--format", "json", "--config", config, "--pid", kPid});
    ASSERT_EQ(json.exitCode, cli::kExitOk) << json.err;
    EXPECT_NE(json.out.find(kEnglishWhy), std::string::npos) << json.out;
    EXPECT_EQ(json.out.find(kJapaneseWhy), std::string::npos) << json.out;

    const auto none = runCli({"snapshot", "--lang", "ja", "--pid", kPid, "--config",
                              dir.write("quiet.conf", "[suspicious-port]\nenabled = no\n"
                                                      "[masquerade]\nenabled = no\n")});
    ASSERT_EQ(none.exitCode, cli::kExitOk) << none.err;
    EXPECT_NE(none.out.find("\n検出結果はありません。\n"), std::string::npos) << none.out;
}

TEST(CliLanguage, TheLocaleChoosesTheLanguageUnlessLangOverridesIt) {
    const Fd listener = tcpListener("127.0.0.1");
    const auto port = localEndpoint(listener.get()).port;
    TempDir dir;
    const auto config = suspiciousPortConfig(dir, port);
    const std::vector<std::string> snapshot{"snapshot", "--config", config, "--pid", kPid};
    auto withLang = [&](const char* language) {
        std::vector<std::string> args = snapshot;
        args.insert(args.end(), {"--lang", language});
        return args;
    };
    {
        const LocaleEnvironment japanese(nullptr, "ja_JP.UTF-8", nullptr);
        EXPECT_NE(runCli(snapshot).out.find(kJapaneseWhy), std::string::npos);
        EXPECT_NE(runCli(withLang("en")).out.find(kEnglishWhy), std::string::npos);
    }
    {
        // LC_ALL wins over LANG; LANGUAGE lists choices, but not for the C locale.
        const LocaleEnvironment cLocale("C.UTF-8", "ja_JP.UTF-8", "ja");
        EXPECT_NE(runCli(snapshot).out.find(kEnglishWhy), std::string::npos);
    }
    {
        const LocaleEnvironment listed("de_DE.UTF-8", nullptr, "fr:ja:en");
        EXPECT_NE(runCli(snapshot).out.find(kJapaneseWhy), std::string::npos);
    }
    {
        const LocaleEnvironment unknown("de_DE.UTF-8", nullptr, nullptr);
        EXPECT_NE(runCli(snapshot).out.find(kEnglishWhy), std::string::npos);
    }
}

TEST(CliLanguage, AnUnknownLanguageIsAUsageErrorListingTheKnownOnes) {
    const auto run = runCli({"snapshot", "--lang", "xx"});
    EXPECT_EQ(run.exitCode, cli::kExitUsage);
    EXPECT_NE(run.err.find("--lang must be one of en, ja, not 'xx'"), std::string::npos) << run.err;
}

TEST(CliLanguage, StatsSaysItsHeadingInJapanese) {
    const LocaleEnvironment english("C", nullptr, nullptr);
    const auto run = runCli({"stats", "--interval", "0.25", "--lang", "ja"});
    ASSERT_EQ(run.exitCode, cli::kExitOk) << run.err;
    EXPECT_NE(run.out.find("netstat -s カウンター ("), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("秒あたりの増加率"), std::string::npos) << run.out;
}

// What the platform layer says about a kill is worded in the output's language too.
TEST(CliLanguage, KillSaysWhatItDidInJapanese) {
    const LocaleEnvironment english("C", nullptr, nullptr);
    const pid_t child = startChild({"sleep", "30"});
    const auto key = platform::currentProcessKey(child);
    ASSERT_TRUE(key);
    const auto killed = runCli({"kill", std::to_string(child), "--start-time",
                                std::to_string(key->startTime), "--lang", "ja"});
    EXPECT_EQ(killed.exitCode, cli::kExitOk) << killed.err;
    EXPECT_NE(killed.out.find("sleep (PID " + std::to_string(child) + ") を終了しました。"),
              std::string::npos)
        << killed.out;
    EXPECT_TRUE(waitChildExit(child, std::chrono::seconds(5)));
    killChild(child);
}
