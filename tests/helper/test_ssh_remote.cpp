// Another machine over SSH, for real: the system's sshd runs in a network namespace the test
// creates (ssh_server.h), and PortScope reaches it through the system's ssh client, which
// starts the just-built portscope-helper there. Each plain error is provoked the way it
// happens: an unknown or changed host key, a key the server refuses, a port nobody listens
// on, a helper that is not installed, a helper of another protocol version, and a
// connection that drops in the middle of a session.

#include "portscope/core/helper_protocol.h"
#include "portscope/platform/helper_client.h"
#include "ssh_server.h"
#include "test_process.h"

#include <arpa/inet.h>
#include <filesystem>
#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <iterator>
#include <memory>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace portscope::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

constexpr std::uint16_t kRemoteOnlyPort = 47311;

bool listensOn(const core::Snapshot& snapshot, std::uint16_t port, pid_t owner) {
    for (const auto& socket : snapshot.sockets) {
        if (socket.state == core::SocketState::Listen && socket.local.port == port &&
            (owner == 0 || socket.owner.pid == owner)) {
            return true;
        }
    }
    return false;
}

// A TCP port on this namespace's loopback that nobody listens on.
std::uint16_t closedLocalPort() {
    const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    ::bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &size);
    ::close(probe);
    return ntohs(address.sin_port);
}

class SshRemote : public ::testing::Test {
protected:
    void SetUp() override {
        if (::geteuid() != 0) {
            GTEST_SKIP() << "needs root: the test creates a network namespace and runs sshd";
        }
        server_ = std::make_unique<SshServer>();
    }

    platform::SshLaunch launch(const std::string& config) const {
        platform::SshLaunch launch;
        launch.target = *platform::SshTarget::parse(server_->target(), nullptr);
        launch.configFile = config;
        launch.remoteHelperPath = PORTSCOPE_HELPER_PATH;
        launch.handshakeTimeout = 30s;
        return launch;
    }

    // portscope-cli ARGS --ssh 127.0.0.1:2222 --ssh-config CONFIG --ssh-helper HELPER.
    ProgramResult cli(std::vector<std::string> args, const std::string& config,
                      const std::string& helper = PORTSCOPE_HELPER_PATH) const {
        args.insert(args.begin(), PORTSCOPE_CLI_PATH);
        args.insert(args.end(),
                    {"--ssh", server_->target(), "--ssh-config", config, "--ssh-helper", helper});
        return runProgram(args, 60s);
    }

    std::unique_ptr<SshServer> server_;
};

TEST_F(SshRemote, TheRemoteListingShowsAListenerThatOnlyThatMachineHas) {
    const pid_t listener = server_->startListenerInside(kRemoteOnlyPort);
    platform::HelperOptions options;
    options.source.includeOtherNamespaces = false; // each side's own network only
    auto helper =
        platform::HelperConnection::connectOverSsh(launch(server_->clientConfig()), options);
    EXPECT_EQ(helper->info().remoteHost, "127.0.0.1:2222");
    EXPECT_EQ(helper->info().effectiveUid, 0u);
    const auto remote = helper->poll();
    EXPECT_TRUE(listensOn(remote, kRemoteOnlyPort, listener));
    EXPECT_THAT(platform::makeHelperSource(helper)->name(),
                HasSubstr("portscope-helper on 127.0.0.1:2222"));

    platform::LiveSourceOptions localOptions;
    localOptions.includeOtherNamespaces = false;
    const auto local = platform::makeLiveSource(localOptions)->poll();
    ASSERT_TRUE(local);
    EXPECT_FALSE(listensOn(*local, kRemoteOnlyPort, 0)) << "the port exists only remotely";

    // The CLI shows it too, with its owner, and says which machine it shows.
    const auto result = cli({"snapshot"}, server_->clientConfig());
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_THAT(result.out, HasSubstr("127.0.0.1:" + std::to_string(kRemoteOnlyPort)));
    EXPECT_THAT(result.out, HasSubstr(std::to_string(listener)));
    EXPECT_THAT(result.err, HasSubstr("showing 127.0.0.1:2222 (over ssh)"));

    // A recording of the remote machine replays its listener.
    const std::string recording = (server_->directory() / "remote.psrec").string();
    const auto recorded = cli({"record", recording, "--count", "2"}, server_->clientConfig());
    ASSERT_EQ(recorded.exitCode, 0) << recorded.err;
    const auto replayed = runProgram({PORTSCOPE_CLI_PATH, "replay", recording, "--format", "csv"});
    ASSERT_EQ(replayed.exitCode, 0) << replayed.err;
    EXPECT_THAT(replayed.out, HasSubstr(std::to_string(kRemoteOnlyPort)));
}

TEST_F(SshRemote, KillsAProcessOnTheRemoteMachineCheckingItsStartTime) {
    const pid_t victim = server_->startListenerInside(kRemoteOnlyPort);
    // A wrong start time is refused on the remote side, and the process lives on.
    const auto refused =
        cli({"kill", std::to_string(victim), "--start-time", "1"}, server_->clientConfig());
    EXPECT_EQ(refused.exitCode, 3) << refused.out << refused.err;
    EXPECT_TRUE(isAlive(victim));

    const auto result = cli({"kill", std::to_string(victim)}, server_->clientConfig());
    EXPECT_EQ(result.exitCode, 0) << result.out << result.err;
    EXPECT_THAT(result.out, HasSubstr("on 127.0.0.1:2222"));
    EXPECT_TRUE(waitChildExit(victim, 10s)) << "the remote kill did not stop the process";
}

TEST_F(SshRemote, ADroppedConnectionEndsTheSessionSayingSo) {
    auto helper = platform::HelperConnection::connectOverSsh(launch(server_->clientConfig()));
    (void)helper->poll();
    ASSERT_GT(server_->dropConnections(), 0);
    std::string failure;
    for (int attempt = 0; attempt < 50 && failure.empty(); ++attempt) {
        try {
            (void)helper->poll();
            std::this_thread::sleep_for(100ms);
        } catch (const platform::HelperError& error) {
            failure = error.what();
        }
    }
    EXPECT_THAT(failure, HasSubstr("The connection to 127.0.0.1:2222 was lost"));
    EXPECT_FALSE(helper->connected());
}

TEST_F(SshRemote, AnUnknownHostKeyIsRefusedNotAccepted) {
    const auto config = server_->clientConfigWithUnknownHostKey();
    const auto result = cli({"snapshot"}, config);
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_THAT(result.err, HasSubstr("The host key of 127.0.0.1:2222 is not known"));
    EXPECT_THAT(result.err, HasSubstr("'ssh -p 2222 127.0.0.1'"));
    std::ifstream knownHosts(server_->directory() / "empty_known_hosts");
    EXPECT_EQ(knownHosts.peek(), std::ifstream::traits_type::eof()) << "nothing was recorded";
}

TEST_F(SshRemote, AChangedHostKeyIsRefused) {
    const auto result = cli({"snapshot"}, server_->clientConfigWithChangedHostKey());
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_THAT(result.err, HasSubstr("The host key of 127.0.0.1:2222 has changed"));
    EXPECT_THAT(result.err, HasSubstr("ssh-keygen -R [127.0.0.1]:2222"));
}

TEST_F(SshRemote, ARefusedKeyIsAnAuthenticationFailure) {
    const auto result = cli({"snapshot"}, server_->clientConfigWithWrongKey());
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_THAT(result.err, HasSubstr("Authentication to 127.0.0.1:2222 failed"));
    EXPECT_THAT(result.err, HasSubstr("Permission denied"));
}

namespace {

// An askpass program, as ssh runs it: it notes each question and answers `answer`, but only
// when started with PortScope's askpass marker in its environment.
std::string writeAskpass(const std::filesystem::path& directory, const std::string& name,
                         const std::string& answer) {
    const auto path = directory / name;
    {
        std::ofstream script(path);
        script << "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '"
               << (directory / (name + ".asked")).string() << "'\n[ \"$"
               << platform::kAskpassEnvironment << "\" = 1 ] || exit 1\nprintf '%s\\n' '" << answer
               << "'\n";
    }
    ::chmod(path.c_str(), 0700);
    return path.string();
}

std::string questionsAsked(const std::string& askpass) {
    std::ifstream asked(askpass + ".asked");
    return {std::istreambuf_iterator<char>(asked), {}};
}

} // namespace

// What the desktop program does with a key that has a passphrase: ssh asks through
// SSH_ASKPASS (the program itself, in its askpass mode; a script here), and the answer unlocks
// the key for the real sshd.
TEST_F(SshRemote, AKeysPassphraseIsAskedThroughAskpass) {
    auto launch = this->launch(server_->clientConfigWithPassphraseKey());
    launch.batchMode = false;
    launch.askpassProgram =
        writeAskpass(server_->directory(), "askpass", SshServer::kKeyPassphrase);
    auto helper = platform::HelperConnection::connectOverSsh(launch);
    EXPECT_FALSE(helper->poll().sockets.empty());
    EXPECT_THAT(questionsAsked(launch.askpassProgram), HasSubstr("passphrase"));
}

TEST_F(SshRemote, AWrongPassphraseIsAnAuthenticationFailure) {
    auto launch = this->launch(server_->clientConfigWithPassphraseKey());
    launch.batchMode = false;
    launch.askpassProgram = writeAskpass(server_->directory(), "wrong_askpass", "not it");
    try {
        platform::HelperConnection::connectOverSsh(launch);
        ADD_FAILURE() << "a wrong passphrase opened the session";
    } catch (const platform::HelperError& error) {
        EXPECT_THAT(error.what(), HasSubstr("Authentication to 127.0.0.1:2222 failed"));
    }
    EXPECT_THAT(questionsAsked(launch.askpassProgram), HasSubstr("passphrase"));
}

TEST_F(SshRemote, InBatchModeAPassphraseIsNeverAskedFor) {
    auto launch = this->launch(server_->clientConfigWithPassphraseKey());
    launch.askpassProgram = writeAskpass(server_->directory(), "unused_askpass", "unused");
    EXPECT_THROW(platform::HelperConnection::connectOverSsh(launch), platform::HelperError);
    EXPECT_EQ(questionsAsked(launch.askpassProgram), "");
}

TEST_F(SshRemote, AHostNobodyAnswersOnIsUnreachable) {
    const std::string target = "127.0.0.1:" + std::to_string(closedLocalPort());
    const auto result = runProgram({PORTSCOPE_CLI_PATH, "snapshot", "--ssh", target, "--ssh-config",
                                    server_->clientConfig(), "--ssh-option", "ProxyCommand=none"},
                                   60s);
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_THAT(result.err, HasSubstr("Cannot reach " + target + ": Connection refused."));
}

TEST_F(SshRemote, AMissingHelperSaysToInstallPortScopeThere) {
    const auto result =
        cli({"snapshot"}, server_->clientConfig(), "/nonexistent/portscope/portscope-helper");
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_THAT(result.err, HasSubstr("portscope-helper is not installed on 127.0.0.1:2222"));
}

TEST_F(SshRemote, AnotherProtocolVersionAsksToUpdateTheRemoteMachine) {
    // What an older or newer helper answers to our Hello.
    const auto dir = server_->directory();
    {
        std::ofstream reply(dir / "old_helper_reply", std::ios::binary);
        reply << core::helper::encodeFrame(
            0, core::helper::ErrorReply{core::helper::ErrorCode::UnsupportedVersion,
                                        "the client speaks protocol version 1, this helper "
                                        "speaks version 2"});
    }
    const auto fake = dir / "old-portscope-helper";
    {
        std::ofstream script(fake);
        script << "#!/bin/sh\nexec cat " << (dir / "old_helper_reply").string() << "\n";
    }
    ::chmod(fake.c_str(), 0755);
    const auto result = cli({"snapshot"}, server_->clientConfig(), fake.string());
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_THAT(result.err, HasSubstr("Update PortScope on 127.0.0.1:2222 to 0."));
    EXPECT_THAT(result.err, HasSubstr("this helper speaks version 2"));
}

TEST_F(SshRemote, HostileTargetsNeverReachSsh) {
    for (const std::string target :
         {"-oProxyCommand=touch /tmp/portscope-pwned", "root@-p1", "a b", "host;reboot", "-l"}) {
        const auto result = runProgram({PORTSCOPE_CLI_PATH, "snapshot", "--ssh", target}, 30s);
        EXPECT_EQ(result.exitCode, 2) << target;
        EXPECT_THAT(result.err, HasSubstr("--ssh:")) << target;
    }
    EXPECT_NE(::access("/tmp/portscope-pwned", F_OK), 0);
}

} // namespace
} // namespace portscope::testing
