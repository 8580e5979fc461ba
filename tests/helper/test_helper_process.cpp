// The real portscope-helper, spoken to frame by frame: it answers a well-behaved client, and
// it ends the session with a clear error at the first malformed, oversized or unexpected
// message; it exits at end of input, on Goodbye, on SIGTERM and when its parent dies.

#include "helper_test_support.h"
#include "loopback.h"
#include "portscope/platform/system.h"
#include "test_process.h"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace portscope::testing {
namespace {

namespace protocol = core::helper;
using ::testing::HasSubstr;

// The Error the helper sent last, or a failure when it sent something else.
protocol::ErrorReply expectError(HelperProcess& helper) {
    auto reply = helper.readMessage();
    if (!reply || !std::holds_alternative<protocol::ErrorReply>(*reply)) {
        ADD_FAILURE() << "expected an Error frame; stderr: " << helper.errorOutput();
        return {};
    }
    return std::get<protocol::ErrorReply>(*reply);
}

TEST(HelperProcess, GreetsWithItsVersionPidAndUid) {
    HelperProcess helper;
    const auto welcome = helper.greet();
    EXPECT_EQ(welcome.version, protocol::kVersion);
    EXPECT_EQ(welcome.helperPid, helper.pid());
    EXPECT_EQ(welcome.effectiveUid, ::geteuid());
}

TEST(HelperProcess, PollsReturnSnapshotsWithOurListenerAndItsOwner) {
    const Fd listener = tcpListener("127.0.0.1");
    const auto local = localEndpoint(listener.get());
    HelperProcess helper;
    helper.greet();
    for (std::uint32_t id = 2; id < 5; ++id) {
        const auto reply = helper.exchange(id, protocol::Poll{});
        ASSERT_TRUE(reply && std::holds_alternative<protocol::SnapshotData>(*reply))
            << helper.errorOutput();
        const auto& snapshot = std::get<protocol::SnapshotData>(*reply).snapshot;
        const auto found = std::find_if(snapshot.sockets.begin(), snapshot.sockets.end(),
                                        [&](const core::Socket& s) { return s.local == local; });
        ASSERT_NE(found, snapshot.sockets.end()) << "listener " << local.toString();
        EXPECT_EQ(found->state, core::SocketState::Listen);
        EXPECT_EQ(found->owner.pid, ::getpid());
        EXPECT_EQ(found->ownerStatus, core::OwnerStatus::Known);
    }
}

TEST(HelperProcess, RequestsBeforeHelloEndTheSession) {
    HelperProcess helper;
    helper.send(5, protocol::Poll{});
    std::uint32_t id = 0;
    auto reply = helper.readMessage(10s, &id);
    ASSERT_TRUE(reply && std::holds_alternative<protocol::ErrorReply>(*reply));
    const auto& error = std::get<protocol::ErrorReply>(*reply);
    EXPECT_EQ(error.code, protocol::ErrorCode::UnexpectedMessage);
    EXPECT_THAT(error.message, HasSubstr("Poll before Hello"));
    EXPECT_EQ(id, 5u);
    EXPECT_EQ(helper.waitExit(5s), 3);
}

TEST(HelperProcess, ASecondHelloEndsTheSession) {
    HelperProcess helper;
    helper.greet();
    helper.send(2, protocol::Hello{});
    const auto error = expectError(helper);
    EXPECT_EQ(error.code, protocol::ErrorCode::UnexpectedMessage);
    EXPECT_THAT(error.message, HasSubstr("second Hello"));
    EXPECT_EQ(helper.waitExit(5s), 3);
}

TEST(HelperProcess, AnotherProtocolVersionIsRefusedByName) {
    HelperProcess helper;
    helper.send(1, protocol::Hello{protocol::kVersion + 1, 0});
    const auto error = expectError(helper);
    EXPECT_EQ(error.code, protocol::ErrorCode::UnsupportedVersion);
    EXPECT_THAT(error.message,
                HasSubstr("version " + std::to_string(protocol::kVersion + 1) +
                          ", this helper speaks version " + std::to_string(protocol::kVersion)));
    EXPECT_EQ(helper.waitExit(5s), 3);
}

TEST(HelperProcess, AnOversizedFrameEndsTheSessionWithoutReadingItsPayload) {
    HelperProcess helper;
    helper.greet();
    // Only the header is sent: the helper must answer without waiting for 64 KiB.
    helper.sendBytes(protocol::encodeHeader(protocol::MessageType::Kill, 9, 65536));
    const auto error = expectError(helper);
    EXPECT_EQ(error.code, protocol::ErrorCode::Oversized);
    EXPECT_THAT(error.message, HasSubstr("Kill frame of 65536 bytes exceeds the limit of 4096"));
    EXPECT_EQ(helper.waitExit(5s), 3);
    EXPECT_THAT(helper.errorOutput(), HasSubstr("ending the session: oversized message: Kill "
                                                "frame of 65536 bytes exceeds the limit"));
}

TEST(HelperProcess, MalformedFramesEndTheSession) {
    struct Case {
        const char* name;
        std::string bytes;
        const char* complaint;
    };
    std::string unknownType = protocol::encodeHeader(protocol::MessageType::Poll, 2, 0);
    unknownType[4] = '\x33';
    std::string reserved = protocol::encodeHeader(protocol::MessageType::Poll, 2, 0);
    reserved[6] = '\x01';
    const std::vector<Case> cases{
        {"unknown type", unknownType, "unknown message type 0x0033"},
        {"reserved bits", reserved, "reserved header bits"},
        {"a reply sent to the helper", protocol::encodeFrame(2, protocol::Welcome{}),
         "Welcome is a reply"},
        {"short kill",
         protocol::encodeHeader(protocol::MessageType::Kill, 2, 15) + std::string(15, '\x01'),
         "Kill: payload of 15 bytes; it must be 16"},
        {"poll with a payload", protocol::encodeHeader(protocol::MessageType::Poll, 2, 3) + "abc",
         "Poll: payload of 3 bytes; it must be 0"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        HelperProcess helper;
        helper.greet();
        helper.sendBytes(c.bytes);
        const auto error = expectError(helper);
        EXPECT_EQ(error.code, protocol::ErrorCode::Malformed);
        EXPECT_THAT(error.message, HasSubstr(c.complaint));
        EXPECT_EQ(helper.waitExit(5s), 3);
    }
}

TEST(HelperProcess, AFrameCutShortByEndOfInputIsMalformed) {
    HelperProcess helper;
    helper.greet();
    helper.sendBytes(protocol::encodeFrame(2, protocol::KillRequest{{10, 10}, 0}).substr(0, 20));
    helper.closeInput();
    const auto error = expectError(helper);
    EXPECT_EQ(error.code, protocol::ErrorCode::Malformed);
    EXPECT_THAT(error.message, HasSubstr("in the middle of a Kill payload"));
    EXPECT_EQ(helper.waitExit(5s), 3);
}

TEST(HelperProcess, EndOfInputEndsTheSessionQuietly) {
    HelperProcess helper;
    helper.greet();
    helper.closeInput();
    EXPECT_FALSE(helper.readFrame(5s)) << "no frame after end of input";
    EXPECT_EQ(helper.waitExit(5s), 0);
}

TEST(HelperProcess, GoodbyeEndsTheSession) {
    HelperProcess helper;
    helper.greet();
    helper.send(2, protocol::Goodbye{});
    EXPECT_EQ(helper.waitExit(5s), 0);
}

TEST(HelperProcess, SigtermEndsTheSession) {
    HelperProcess helper;
    helper.greet();
    ASSERT_EQ(::kill(helper.pid(), SIGTERM), 0);
    EXPECT_EQ(helper.waitExit(5s), 0);
    EXPECT_THAT(helper.errorOutput(), HasSubstr("ending the session on Terminated"));
}

// The helper's parent here is a child of the test that exits while the helper's input stays
// open, so only the parent-death signal can end it. The test adopts the orphan as a child
// subreaper to see how it ended.
TEST(HelperProcess, ExitsWhenItsParentDies) {
    ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    int connection[2];
    int report[2];  // the middle process tells us the helper's PID
    int release[2]; // closing our end lets the middle process exit
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, connection), 0);
    ASSERT_EQ(::pipe2(report, O_CLOEXEC), 0);
    ASSERT_EQ(::pipe2(release, O_CLOEXEC), 0);
    const std::string helperPath = PORTSCOPE_HELPER_PATH;

    const pid_t middle = ::fork();
    ASSERT_GE(middle, 0);
    if (middle == 0) {
        // fork() copied every descriptor; the middle process keeps only its own ends.
        ::close(release[1]);
        ::close(report[0]);
        ::close(connection[0]);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, connection[1], 0);
        posix_spawn_file_actions_adddup2(&actions, connection[1], 1);
        char* argv[] = {const_cast<char*>(helperPath.c_str()), nullptr};
        pid_t helper = 0;
        if (::posix_spawn(&helper, argv[0], &actions, nullptr, argv, environ) != 0) {
            ::_exit(1);
        }
        if (::write(report[1], &helper, sizeof helper) != sizeof helper) {
            ::_exit(1);
        }
        char byte = 0;
        while (::read(release[0], &byte, 1) < 0 && errno == EINTR) {
        }
        ::_exit(0); // the helper is orphaned now, with its input still open
    }
    ::close(connection[1]);
    ::close(report[1]);
    ::close(release[0]);
    pid_t helperPid = 0;
    ASSERT_EQ(::read(report[0], &helperPid, sizeof helperPid),
              static_cast<ssize_t>(sizeof helperPid));
    ::close(report[0]);

    // The handshake proves the helper has armed its parent-death signal.
    ::send(connection[0], protocol::encodeFrame(1, protocol::Hello{}).data(),
           protocol::kHeaderSize + 16, MSG_NOSIGNAL);
    pollfd ready{connection[0], POLLIN, 0};
    ASSERT_EQ(::poll(&ready, 1, 10000), 1) << "no Welcome from the helper";

    ::close(release[1]);
    int status = 0;
    ASSERT_EQ(::waitpid(middle, &status, 0), middle);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    bool exited = false;
    for (int i = 0; i < 500 && !exited; ++i) {
        exited = ::waitpid(helperPid, &status, WNOHANG) == helperPid;
        if (!exited) {
            std::this_thread::sleep_for(10ms);
        }
    }
    if (!exited) {
        ::kill(helperPid, SIGKILL);
        ::waitpid(helperPid, &status, 0);
    }
    ::close(connection[0]);
    ::prctl(PR_SET_CHILD_SUBREAPER, 0);
    ASSERT_TRUE(exited) << "the helper outlived its parent by 5 s";
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "it should end the session cleanly on the parent-death signal";
}

TEST(HelperProcess, KillNeedsTheRightStartTime) {
    const pid_t child = startChild({"sleep", "30"});
    const auto key = platform::currentProcessKey(child);
    ASSERT_TRUE(key);
    HelperProcess helper;
    helper.greet();

    auto answer = [&](std::uint32_t id, const protocol::KillRequest& request) {
        const auto reply = helper.exchange(id, request);
        EXPECT_TRUE(reply && std::holds_alternative<protocol::ActionReply>(*reply))
            << helper.errorOutput();
        return reply ? std::get<protocol::ActionReply>(*reply) : protocol::ActionReply{};
    };
    const auto withoutStartTime = answer(2, {{child, 0}, 1000});
    EXPECT_EQ(withoutStartTime.code, protocol::ActionCode::InvalidArgument);
    EXPECT_THAT(withoutStartTime.message.english(), HasSubstr("lacks the process start time"));
    EXPECT_TRUE(isAlive(child));

    const auto stale = answer(3, {{child, key->startTime + 1}, 1000});
    EXPECT_EQ(stale.code, protocol::ActionCode::ProcessChanged);
    EXPECT_TRUE(isAlive(child));

    const auto overlongWait = answer(4, {*key, protocol::kMaxKillWaitMs + 1});
    EXPECT_EQ(overlongWait.code, protocol::ActionCode::InvalidArgument);
    EXPECT_TRUE(isAlive(child));

    const auto done = answer(5, {*key, 2000});
    EXPECT_EQ(done.code, protocol::ActionCode::Done) << done.message.english();
    EXPECT_TRUE(waitChildExit(child, 5s));
    killChild(child);
    EXPECT_THAT(helper.errorOutput(), HasSubstr("stop PID " + std::to_string(child)));
}

TEST(HelperProcess, CloseNeedsTheExactConnection) {
    const Fd listener = tcpListener("127.0.0.1");
    const Fd client = tcpConnect(localEndpoint(listener.get()));
    const Fd server = acceptOne(listener.get());
    HelperProcess helper;
    helper.greet();

    const auto snapshotReply = helper.exchange(2, protocol::Poll{});
    ASSERT_TRUE(snapshotReply && std::holds_alternative<protocol::SnapshotData>(*snapshotReply));
    const auto& sockets = std::get<protocol::SnapshotData>(*snapshotReply).snapshot.sockets;
    const auto found = std::find_if(sockets.begin(), sockets.end(), [&](const core::Socket& s) {
        return s.local == localEndpoint(client.get()) && s.remote == peerEndpoint(client.get());
    });
    ASSERT_NE(found, sockets.end());

    auto answer = [&](std::uint32_t id, const core::Socket& socket) {
        const auto reply = helper.exchange(id, protocol::CloseRequest{socket});
        EXPECT_TRUE(reply && std::holds_alternative<protocol::ActionReply>(*reply));
        return reply ? std::get<protocol::ActionReply>(*reply) : protocol::ActionReply{};
    };
    core::Socket withoutCookie = *found;
    withoutCookie.cookie = 0;
    EXPECT_EQ(answer(3, withoutCookie).code, protocol::ActionCode::InvalidArgument);
    // All ones is the kernel's "no cookie" in both halves: it would close by 4-tuple alone.
    core::Socket allOnesCookie = *found;
    allOnesCookie.cookie = ~std::uint64_t{0};
    const auto allOnes = answer(30, allOnesCookie);
    EXPECT_EQ(allOnes.code, protocol::ActionCode::InvalidArgument) << allOnes.message.english();
    char pending = 0;
    EXPECT_EQ(::recv(client.get(), &pending, 1, MSG_DONTWAIT), -1);
    EXPECT_EQ(errno, EAGAIN) << "the connection is still open";
    core::Socket wrongCookie = *found;
    wrongCookie.cookie ^= 0x5555;
    const auto stale = answer(4, wrongCookie);
    if (stale.code == protocol::ActionCode::PermissionDenied) {
        GTEST_SKIP() << "closing connections needs CAP_NET_ADMIN: " << stale.message.english();
    }
    EXPECT_EQ(stale.code, protocol::ActionCode::NotFound) << stale.message.english();
    // The reason arrives in parts, for the client to word in its user's language.
    EXPECT_EQ(stale.message.kind, core::SystemText::Kind::Template);
    // The kernel says ESTALE or, before Linux 6.x, ENOENT for a cookie that does not match.
    EXPECT_THAT(stale.message.text, HasSubstr("Cannot close %1: "));
    ASSERT_EQ(stale.message.arguments.size(), 1u);
    EXPECT_EQ(stale.message.arguments[0].text, "the %1 connection %2 -> %3");

    const auto done = answer(5, *found);
    ASSERT_EQ(done.code, protocol::ActionCode::Done) << done.message.english();
    char byte = 0;
    EXPECT_EQ(::recv(client.get(), &byte, 1, 0), -1);
    EXPECT_EQ(errno, ECONNABORTED) << "the closed socket reports the abort";
}

TEST(HelperProcess, EndsAtOnceOnEmptyInputAndRefusesATerminal) {
    // runProgramAs gives the program /dev/null as stdin: end of input at once.
    const auto empty = runProgramAs({PORTSCOPE_HELPER_PATH}, {});
    EXPECT_EQ(empty.exitCode, 0) << empty.err;
    EXPECT_EQ(empty.out, "") << "nothing is written without a request";

    const int terminal = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    ASSERT_GE(terminal, 0);
    ASSERT_EQ(::grantpt(terminal), 0);
    ASSERT_EQ(::unlockpt(terminal), 0);
    const int secondary = ::open(::ptsname(terminal), O_RDWR | O_NOCTTY | O_CLOEXEC);
    ASSERT_GE(secondary, 0);
    RunAs onTerminal;
    onTerminal.descriptors = {{secondary, 0}};
    const auto interactive = runProgramAs({PORTSCOPE_HELPER_PATH}, onTerminal);
    ::close(secondary);
    ::close(terminal);
    EXPECT_EQ(interactive.exitCode, 2);
    EXPECT_THAT(interactive.err, HasSubstr("standard input is a terminal"));
}

TEST(HelperProcess, AnswersVersionAndRefusesUnknownArguments) {
    const auto unknown = runProgramAs({PORTSCOPE_HELPER_PATH, "--bogus"}, {});
    EXPECT_EQ(unknown.exitCode, 2);
    EXPECT_THAT(unknown.err, HasSubstr("unknown argument '--bogus'"));

    const auto version = runProgramAs({PORTSCOPE_HELPER_PATH, "--version"}, {});
    EXPECT_EQ(version.exitCode, 0);
    EXPECT_THAT(version.out, HasSubstr("protocol version " + std::to_string(protocol::kVersion)));
}

} // namespace
} // namespace portscope::testing
