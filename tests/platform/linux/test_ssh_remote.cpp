// The ssh command line and the sentences for ssh's failures, without a network: hostile
// targets never become options, and each failure ssh reports maps to its plain sentence.
// tests/helper/test_ssh_remote.cpp runs the same against a real sshd.

#include "portscope/platform/ssh_remote.h"

#include <algorithm>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace portscope::platform {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

int exitedWith(int code) {
    return code << 8; // a wait status as waitpid() reports a normal exit
}

TEST(SshTarget, ReadsUserHostAndPort) {
    auto target = SshTarget::parse("alice@build-01.example.org:2200", nullptr);
    ASSERT_TRUE(target);
    EXPECT_EQ(target->user, "alice");
    EXPECT_EQ(target->host, "build-01.example.org");
    EXPECT_EQ(target->port, 2200);
    EXPECT_EQ(target->display(), "alice@build-01.example.org:2200");
    EXPECT_EQ(target->sshCommand(), "ssh -p 2200 alice@build-01.example.org");
    EXPECT_EQ(target->knownHostsName(), "[build-01.example.org]:2200");

    target = SshTarget::parse("[fe80::1%eth0]:22", nullptr);
    ASSERT_TRUE(target);
    EXPECT_EQ(target->host, "fe80::1%eth0");
    EXPECT_EQ(target->port, 22);
    EXPECT_EQ(target->display(), "[fe80::1%eth0]:22");

    target = SshTarget::parse("::1", nullptr);
    ASSERT_TRUE(target);
    EXPECT_EQ(target->host, "::1");
    EXPECT_FALSE(target->port);
}

TEST(SshTarget, RefusesWhatSshCouldTakeForAnOptionOrAShellCouldRead) {
    for (const char* text :
         {"", "-oProxyCommand=sh", "-p", "bob@-oProxyCommand=x", "-bob@host", "@host",
          "host:", "host:0", "host:65536", "host:22x", "a b", "host;reboot", "host$(id)", "[::1",
          "[::1]x", "[::1]:", "user@", "ho`st`", "host\n"}) {
        std::string error;
        EXPECT_FALSE(SshTarget::parse(text, &error)) << text;
        EXPECT_FALSE(error.empty()) << text;
    }
}

TEST(SshArguments, EndOptionsBeforeTheHostAndPinHostKeyChecking) {
    SshLaunch launch;
    launch.target = *SshTarget::parse("alice@server:2200", nullptr);
    launch.configFile = "/tmp/cfg";
    launch.options = {"IdentityFile=/tmp/key"};
    const auto args = sshArguments(launch);
    ASSERT_GE(args.size(), 4u);
    EXPECT_EQ(args.front(), "/usr/bin/ssh");
    EXPECT_THAT(std::vector(args.end() - 3, args.end()),
                ElementsAre("--", "server", "/usr/libexec/portscope/portscope-helper"));
    EXPECT_NE(std::find(args.begin(), args.end(), "BatchMode=yes"), args.end());
    EXPECT_NE(std::find(args.begin(), args.end(), "StrictHostKeyChecking=yes"), args.end());
    EXPECT_NE(std::find(args.begin(), args.end(), "-T"), args.end());
    // Ours come before the configuration's options, and the first value wins in ssh.
    const auto strict = std::find(args.begin(), args.end(), "StrictHostKeyChecking=yes");
    const auto file = std::find(args.begin(), args.end(), "-F");
    EXPECT_LT(strict, file);
    EXPECT_TRUE(sshEnvironment(launch).empty()) << "batch mode asks nothing";

    launch.throughSudo = true;
    launch.batchMode = false;
    launch.confirmNewHostKey = true;
    launch.askpassProgram = "/usr/bin/portscope";
    const auto interactive = sshArguments(launch);
    EXPECT_THAT(
        std::vector(interactive.end() - 6, interactive.end()),
        ElementsAre("--", "server", "sudo", "-n", "--", "/usr/libexec/portscope/portscope-helper"));
    EXPECT_NE(std::find(interactive.begin(), interactive.end(), "StrictHostKeyChecking=ask"),
              interactive.end());
    EXPECT_THAT(sshEnvironment(launch),
                ElementsAre("SSH_ASKPASS=/usr/bin/portscope", "SSH_ASKPASS_REQUIRE=force",
                            "PORTSCOPE_SSH_ASKPASS=1"));
}

TEST(SshArguments, RefusesARelativeSshAHelperPathTheRemoteShellWouldReadAndBareOptions) {
    SshLaunch launch;
    launch.target = *SshTarget::parse("server", nullptr);
    EXPECT_EQ(sshLaunchProblem(launch), "");
    launch.sshPath = "ssh";
    EXPECT_THAT(sshLaunchProblem(launch), HasSubstr("absolute path"));
    launch.sshPath = "/usr/bin/ssh";
    for (const char* helper : {"portscope-helper", "/opt/x;reboot", "/opt/$(id)", "/opt/a b"}) {
        launch.remoteHelperPath = helper;
        EXPECT_THAT(sshLaunchProblem(launch), HasSubstr("remote helper")) << helper;
    }
    launch.remoteHelperPath = "/usr/libexec/portscope/portscope-helper";
    launch.options = {"-oProxyCommand"};
    EXPECT_THAT(sshLaunchProblem(launch), HasSubstr("KEY=VALUE"));
    launch.options = {"Proxy-Command=x"};
    EXPECT_THAT(sshLaunchProblem(launch), HasSubstr("KEY=VALUE"));
}

TEST(SshCommandLine, SetsWhatIsGivenAndKeepsTheFrontEndsDefaultsForTheRest) {
    SshLaunch launch;
    launch.options = {"ConnectTimeout=5"};
    SshCommandLine given;
    given.target = "alice@db1:2222";
    given.configFile = "/etc/portscope/ssh_config";
    given.options = {"IdentityFile=/tmp/key"};
    given.sudo = true;
    ASSERT_EQ(applySshCommandLine(given, launch), "");
    EXPECT_EQ(launch.target.display(), "alice@db1:2222");
    EXPECT_EQ(launch.configFile, "/etc/portscope/ssh_config");
    EXPECT_THAT(launch.options, ElementsAre("ConnectTimeout=5", "IdentityFile=/tmp/key"));
    EXPECT_EQ(launch.remoteHelperPath, SshLaunch{}.remoteHelperPath);
    EXPECT_TRUE(launch.throughSudo);
    EXPECT_TRUE(launch.batchMode) << "only --ssh-interactive lets ssh ask";
    EXPECT_FALSE(launch.confirmNewHostKey);

    // The desktop program's defaults ask through its own dialog; no option turns that off.
    SshLaunch desktop;
    desktop.batchMode = false;
    desktop.confirmNewHostKey = true;
    ASSERT_EQ(applySshCommandLine(SshCommandLine{}, desktop), "");
    EXPECT_FALSE(desktop.batchMode);
    EXPECT_TRUE(desktop.confirmNewHostKey);
    EXPECT_TRUE(desktop.target.host.empty());

    SshLaunch terminal;
    given.interactive = true;
    ASSERT_EQ(applySshCommandLine(given, terminal), "");
    EXPECT_FALSE(terminal.batchMode);
    EXPECT_TRUE(terminal.confirmNewHostKey);
}

TEST(SshCommandLine, ABadPortOrAMissingValueIsASentenceNamingIt) {
    const auto problemOf = [](SshCommandLine given) {
        SshLaunch launch;
        return applySshCommandLine(given, launch);
    };
    SshCommandLine given;
    given.target = "db1:65536";
    EXPECT_EQ(problemOf(given), "'65536' is not a port: use a number from 1 to 65535");
    given.target = "db1:";
    EXPECT_EQ(problemOf(given), "'' is not a port: use a number from 1 to 65535");
    given.target = "";
    EXPECT_EQ(problemOf(given), "no host given; use [user@]host[:port]");

    given.target = "db1";
    given.helperPath = "";
    EXPECT_EQ(problemOf(given), "the remote helper must be an absolute path of letters, digits "
                                "and '/._+-', not \"\"");
    given.helperPath.reset();
    given.options = {""};
    EXPECT_EQ(problemOf(given), "an ssh option must read KEY=VALUE, such as Port=2222, not \"\"");
    given.options = {"Port=2222"};
    EXPECT_EQ(problemOf(given), "");
}

class SshFailure : public ::testing::Test {
protected:
    std::string explain(int exitCode, const std::string& stderrText, bool established = false,
                        bool versionMismatch = false) const {
        SshOutcome outcome{"the helper closed the connection", exitedWith(exitCode), stderrText,
                           established, versionMismatch};
        return explainSshFailure(target_, outcome);
    }
    SshTarget target_ = *SshTarget::parse("bob@db1:2222", nullptr);
};

TEST_F(SshFailure, NamesEachWayAConnectionFails) {
    EXPECT_THAT(explain(255, "ssh: connect to host db1 port 2222: Connection refused\r\n"),
                HasSubstr("Cannot reach bob@db1:2222: Connection refused."));
    EXPECT_THAT(explain(255, "ssh: Could not resolve hostname db1: Name or service not known\n"),
                HasSubstr("Cannot reach bob@db1:2222: the name is not known."));
    EXPECT_THAT(explain(255, "bob@db1: Permission denied (publickey,password).\n"),
                HasSubstr("Authentication to bob@db1:2222 failed"));
    EXPECT_THAT(explain(255, "No ED25519 host key is known for [db1]:2222 and you have "
                             "requested strict checking.\nHost key verification failed.\n"),
                HasSubstr("The host key of bob@db1:2222 is not known"));
    EXPECT_THAT(explain(255, "@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     "
                             "@\n@@@@@@@\nHost key verification failed.\n"),
                HasSubstr("The host key of bob@db1:2222 has changed"));
    EXPECT_THAT(explain(127, "sh: 1: /usr/libexec/portscope/portscope-helper: not found\n"),
                HasSubstr("portscope-helper is not installed on bob@db1:2222"));
    EXPECT_THAT(explain(1, "sudo: a password is required\n"),
                HasSubstr("sudo on bob@db1:2222 refused"));
    EXPECT_THAT(explain(3, "", false, true), HasSubstr("Update PortScope on bob@db1:2222 to 0."));
    EXPECT_THAT(explain(255, "Connection to db1 closed by remote host.\n", true),
                HasSubstr("The connection to bob@db1:2222 was lost"));
}

TEST_F(SshFailure, QuotesSshsLastWordsSafely) {
    const auto text = explain(255, "weird \x1b[31mred\x1b[0m failure\n");
    EXPECT_THAT(text, HasSubstr("Cannot start portscope-helper on bob@db1:2222"));
    EXPECT_THAT(text, HasSubstr("ssh exited with status 255"));
    EXPECT_THAT(text, Not(HasSubstr("\x1b")));
}

} // namespace
} // namespace portscope::platform
