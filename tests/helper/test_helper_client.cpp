// The client API (platform/helper_client.h) against the real helper, against pkexec stand-ins,
// and against a scripted fake helper that misbehaves in every way a client must survive.

#include "helper_test_support.h"
#include "loopback.h"
#include "portscope/core/engine.h"
#include "portscope/platform/helper_client.h"
#include "test_process.h"

#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <mutex>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace portscope::testing {
namespace {

namespace protocol = core::helper;
using platform::ActionStatus;
using platform::HelperConnection;
using platform::HelperError;
using ::testing::HasSubstr;

bool processExists(pid_t pid) {
    return ::kill(pid, 0) == 0 || errno != ESRCH;
}

// A stand-in for pkexec: a script in a temporary directory.
class FakePkexec {
public:
    explicit FakePkexec(const std::string& body) {
        char dir[] = "/tmp/portscope-fake-pkexec-XXXXXX";
        EXPECT_NE(::mkdtemp(dir), nullptr);
        dir_ = dir;
        path_ = dir_ + "/pkexec";
        std::ofstream(path_) << "#!/bin/sh\n" << body << "\n";
        std::filesystem::permissions(path_, std::filesystem::perms::owner_all);
    }
    ~FakePkexec() { std::filesystem::remove_all(dir_); }
    const std::string& path() const { return path_; }

private:
    std::string dir_;
    std::string path_;
};

TEST(HelperClient, LaunchedHelperServesSnapshotsThroughASnapshotSource) {
    const Fd listener = tcpListener("127.0.0.1");
    const auto inode = socketInode(listener.get());
    auto helper = HelperConnection::launch(unelevated());
    EXPECT_TRUE(helper->connected());
    EXPECT_TRUE(helper->info().launchedHere);
    EXPECT_EQ(helper->info().protocolVersion, protocol::kVersion);
    EXPECT_EQ(helper->info().effectiveUid, ::geteuid());
    EXPECT_TRUE(processExists(helper->info().pid));

    auto source = platform::makeHelperSource(helper);
    EXPECT_THAT(source->name(), HasSubstr("portscope-helper"));
    EXPECT_THAT(source->name(), HasSubstr("PID " + std::to_string(helper->info().pid)));
    const auto snapshot = source->poll();
    ASSERT_TRUE(snapshot);
    EXPECT_THAT(snapshot->sourceName, HasSubstr(" via portscope-helper"));
    // Matched by inode in our namespace: as root the helper lists other namespaces too.
    const auto found =
        std::find_if(snapshot->sockets.begin(), snapshot->sockets.end(),
                     [&](const core::Socket& s) { return s.inode == inode && s.netns == 0; });
    ASSERT_NE(found, snapshot->sockets.end());
    EXPECT_EQ(found->owner.pid, ::getpid());
    const auto owner = std::find_if(snapshot->processes.begin(), snapshot->processes.end(),
                                    [&](const core::Process& p) { return p.key == found->owner; });
    ASSERT_NE(owner, snapshot->processes.end()) << "the owner's details travel too";
    EXPECT_EQ(owner->key.pid, ::getpid());
}

TEST(HelperClient, TheHelperExitsWhenTheConnectionIsDestroyed) {
    auto helper = HelperConnection::launch(unelevated());
    const pid_t pid = helper->info().pid;
    ASSERT_TRUE(processExists(pid));
    helper.reset(); // waits for the helper to exit and reaps it
    EXPECT_FALSE(processExists(pid));
}

TEST(HelperClient, DisconnectEndsTheSessionForLaterRequests) {
    auto helper = HelperConnection::launch(unelevated());
    helper->disconnect();
    EXPECT_FALSE(helper->connected());
    EXPECT_THROW(helper->poll(), HelperError);
    const auto result = helper->killProcess({1234, 5678});
    EXPECT_EQ(result.status, ActionStatus::Failed);
    EXPECT_THAT(result.message, HasSubstr("the administrator helper is not running"));
}

TEST(HelperClient, KillsThroughTheHelperOnlyTheChosenProcess) {
    const pid_t child = startChild({"sleep", "30"});
    const auto key = platform::currentProcessKey(child);
    ASSERT_TRUE(key);
    auto helper = HelperConnection::launch(unelevated());

    const auto stale = helper->killProcess({child, key->startTime + 7});
    EXPECT_EQ(stale.status, ActionStatus::ProcessChanged) << stale.message;
    EXPECT_TRUE(isAlive(child));

    const auto done = helper->killProcess(*key);
    EXPECT_EQ(done.status, ActionStatus::Done) << done.message;
    EXPECT_TRUE(waitChildExit(child, 5s));
    killChild(child);
    EXPECT_TRUE(helper->connected()) << "actions keep the session going";
    EXPECT_NO_THROW(helper->poll());
}

TEST(HelperClient, TheHelpersRefusalComesBackAsInvalidArgument) {
    auto helper = HelperConnection::launch(unelevated());
    core::Socket udp;
    udp.protocol = core::Protocol::Udp;
    udp.state = core::SocketState::Established;
    udp.local = {core::IpAddress::v4(127, 0, 0, 1), 1};
    udp.remote = {core::IpAddress::v4(127, 0, 0, 1), 2};
    udp.cookie = 5;
    const auto result = helper->closeConnection(udp);
    EXPECT_EQ(result.status, ActionStatus::InvalidArgument);
    EXPECT_THAT(result.message, HasSubstr("only TCP connections"));
}

TEST(HelperClient, AnEngineRunsOnTheHelperSource) {
    const Fd listener = tcpListener("127.0.0.1");
    const auto inode = socketInode(listener.get());
    std::mutex mutex;
    std::condition_variable arrived;
    core::UpdatePtr first;
    core::EngineEvents events;
    events.onUpdate = [&](const core::UpdatePtr& update) {
        std::lock_guard lock(mutex);
        if (!first) {
            first = update;
            arrived.notify_all();
        }
    };
    core::EngineOptions options;
    options.interval = core::Engine::kMinInterval;
    core::Engine engine(platform::makeHelperSource(HelperConnection::launch(unelevated())), options,
                        events);
    engine.start();
    {
        std::unique_lock lock(mutex);
        ASSERT_TRUE(arrived.wait_for(lock, 20s, [&] { return first != nullptr; }));
    }
    engine.stop();
    EXPECT_THAT(engine.sourceName(), HasSubstr("portscope-helper"));
    const auto found = std::find_if(
        first->connections.begin(), first->connections.end(),
        [&](const core::Connection& c) { return c.socket.inode == inode && c.socket.netns == 0; });
    ASSERT_NE(found, first->connections.end());
    EXPECT_NE(first->findProcess(found->socket.owner), nullptr);
}

TEST(HelperClient, LaunchNamesAMissingHelper) {
    auto launch = unelevated();
    launch.helperPath = "/nonexistent/portscope-helper";
    try {
        HelperConnection::launch(launch);
        FAIL() << "launch succeeded";
    } catch (const HelperError& error) {
        EXPECT_THAT(error.what(), HasSubstr("/nonexistent/portscope-helper does not exist"));
    }
}

TEST(HelperClient, LaunchNamesAMissingPkexec) {
    auto launch = unelevated();
    launch.elevate = true;
    launch.pkexecPath = "/nonexistent/pkexec";
    try {
        HelperConnection::launch(launch);
        FAIL() << "launch succeeded";
    } catch (const HelperError& error) {
        EXPECT_THAT(error.what(), HasSubstr("/nonexistent/pkexec was not found"));
        EXPECT_THAT(error.what(), HasSubstr("'pkexec' package"));
    }
}

TEST(HelperClient, LaunchExplainsARefusedAuthorization) {
    if (const auto problem = platform::elevationProblem(PORTSCOPE_HELPER_PATH); !problem.empty()) {
        GTEST_SKIP() << "pkexec may not run this build's helper: " << problem;
    }
    const FakePkexec refusing("exit 126");
    auto launch = unelevated();
    launch.elevate = true;
    launch.pkexecPath = refusing.path();
    try {
        HelperConnection::launch(launch);
        FAIL() << "launch succeeded";
    } catch (const HelperError& error) {
        EXPECT_THAT(error.what(), HasSubstr("authorization was refused or the dialog was "
                                            "dismissed"));
    }
}

TEST(HelperClient, LaunchThroughPkexecPassesTheHelpersRealPath) {
    if (const auto problem = platform::elevationProblem(PORTSCOPE_HELPER_PATH); !problem.empty()) {
        GTEST_SKIP() << "pkexec may not run this build's helper: " << problem;
    }
    // The stand-in records its arguments and then runs them, as pkexec does once authorized.
    char dir[] = "/tmp/portscope-args-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    const std::string record = std::string(dir) + "/args";
    const FakePkexec passing("echo \"$@\" > " + record + "\nexec \"$@\"");
    auto launch = unelevated();
    launch.elevate = true;
    launch.pkexecPath = passing.path();
    auto helper = HelperConnection::launch(launch);
    EXPECT_NO_THROW(helper->poll());
    std::ifstream recorded(record);
    std::string args;
    std::getline(recorded, args);
    EXPECT_EQ(args, std::filesystem::canonical(PORTSCOPE_HELPER_PATH).string());
    helper.reset();
    std::filesystem::remove_all(dir);
}

TEST(HelperClient, DefaultHelperPathHonoursTheEnvironmentOnlyWhereAllowed) {
    ::setenv("PORTSCOPE_HELPER", "/opt/elsewhere/portscope-helper", 1);
    EXPECT_EQ(platform::defaultHelperPath(true), "/opt/elsewhere/portscope-helper");
    EXPECT_NE(platform::defaultHelperPath(false), "/opt/elsewhere/portscope-helper");
    EXPECT_THAT(platform::defaultHelperPath(false), HasSubstr("portscope-helper"));
    EXPECT_EQ(platform::defaultHelperPath(),
              platform::defaultHelperPath(platform::helperOverrideAllowed()));
    ::unsetenv("PORTSCOPE_HELPER");
    EXPECT_THAT(platform::defaultHelperPath(true), HasSubstr("portscope-helper"));
}

TEST(HelperClient, PkexecIsNamedByAnAbsolutePathAndNeverLookedUpInThePath) {
    EXPECT_EQ(platform::HelperLaunch{}.pkexecPath, "/usr/bin/pkexec");

    // A "pkexec" of the user's own, first on the PATH, would fake the authorization dialog.
    char dir[] = "/tmp/portscope-path-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    const std::string marker = std::string(dir) + "/ran";
    const std::string impostor = std::string(dir) + "/pkexec";
    std::ofstream(impostor) << "#!/bin/sh\ntouch " << marker << "\nexec \"$@\"\n";
    std::filesystem::permissions(impostor, std::filesystem::perms::owner_all);
    const std::string savedPath = std::getenv("PATH") != nullptr ? std::getenv("PATH") : "";
    ::setenv("PATH", (std::string(dir) + ":" + savedPath).c_str(), 1);
    auto launch = unelevated();
    launch.elevate = true;
    launch.pkexecPath = "pkexec";
    try {
        HelperConnection::launch(launch);
        ADD_FAILURE() << "launch succeeded through a pkexec found in $PATH";
    } catch (const HelperError& error) {
        EXPECT_THAT(error.what(), HasSubstr("absolute path"));
    }
    ::setenv("PATH", savedPath.c_str(), 1);
    EXPECT_FALSE(std::filesystem::exists(marker)) << "the impostor ran";
    std::filesystem::remove_all(dir);
}

// A copy of the helper in a directory of its own that every user may enter, for changing
// the owner and mode of the copy and its directory.
class HelperCopy {
public:
    HelperCopy() {
        char dir[] = "/tmp/portscope-helper-copy-XXXXXX";
        EXPECT_NE(::mkdtemp(dir), nullptr);
        dir_ = dir;
        std::filesystem::permissions(dir_, std::filesystem::perms(0755));
        path_ = dir_ + "/portscope-helper";
        std::filesystem::copy_file(PORTSCOPE_HELPER_PATH, path_);
        std::filesystem::permissions(path_, std::filesystem::perms(0755));
    }
    ~HelperCopy() { std::filesystem::remove_all(dir_); }
    HelperCopy(const HelperCopy&) = delete;
    HelperCopy& operator=(const HelperCopy&) = delete;
    const std::string& path() const { return path_; }
    const std::string& dir() const { return dir_; }

private:
    std::string dir_;
    std::string path_;
};

TEST(HelperClient, PkexecRunsOnlyAHelperThatBelongsToRootAlone) {
    if (::geteuid() != 0) {
        GTEST_SKIP() << "needs root to give files away";
    }
    const auto nobody = nobodyUser();
    if (!nobody) {
        GTEST_SKIP() << "no user 'nobody' on this system";
    }
    const FakePkexec passing("exec \"$@\"");
    const HelperCopy copy;
    auto launch = unelevated();
    launch.elevate = true;
    launch.pkexecPath = passing.path();
    launch.helperPath = copy.path();
    const auto refusal = [&]() -> std::string {
        try {
            HelperConnection::launch(launch);
        } catch (const HelperError& error) {
            return error.what();
        }
        return "(started)";
    };
    const auto mode = [](const std::string& path, unsigned bits) {
        std::filesystem::permissions(path, std::filesystem::perms(bits));
    };

    EXPECT_EQ(refusal(), "(started)") << "root's own copy, writable by root alone";

    ASSERT_EQ(::chown(copy.path().c_str(), nobody->first, 0), 0);
    EXPECT_THAT(refusal(), HasSubstr(copy.path() + " is owned by uid " +
                                     std::to_string(nobody->first) + ", not by root"));
    ASSERT_EQ(::chown(copy.path().c_str(), 0, 0), 0);

    mode(copy.path(), 0775);
    EXPECT_THAT(refusal(), HasSubstr(copy.path() + " is writable by its group"));
    mode(copy.path(), 0757);
    EXPECT_THAT(refusal(), HasSubstr(copy.path() + " is writable by every user"));
    mode(copy.path(), 0755);

    // Whoever may write the directory may put another program in the helper's place.
    mode(copy.dir(), 0777);
    EXPECT_THAT(refusal(), HasSubstr(copy.dir() + " is writable by every user"));
    mode(copy.dir(), 0755);
    ASSERT_EQ(::chown(copy.dir().c_str(), nobody->first, nobody->second), 0);
    const std::string refused = refusal();
    EXPECT_THAT(refused, HasSubstr(copy.dir() + " is owned by uid"));
    EXPECT_THAT(refused, HasSubstr("must belong to root and be writable by no one else"));
    ASSERT_EQ(::chown(copy.dir().c_str(), 0, 0), 0);

    EXPECT_EQ(refusal(), "(started)") << "all put back";
}

TEST(HelperClient, AdoptRefusesClosedDescriptors) {
    EXPECT_THROW(HelperConnection::adopt(987, 987), HelperError);
}

// A helper played by a thread of the test: it reads each request and answers as `script`
// says, so every misbehaviour can be staged.
class FakeHelper {
public:
    using Script = std::function<std::string(const protocol::FrameHeader&, std::uint32_t index)>;

    explicit FakeHelper(Script script) : script_(std::move(script)) {
        int pair[2];
        EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), 0);
        clientFd_ = pair[0];
        helperFd_ = pair[1];
        thread_ = std::thread([this] { serve(); });
    }
    ~FakeHelper() {
        ::shutdown(helperFd_, SHUT_RDWR);
        thread_.join();
        ::close(helperFd_);
    }
    int clientFd() const { return clientFd_; }
    // The requests read so far, decoded (those that decode).
    std::vector<protocol::Message> requests() const {
        const std::lock_guard lock(mutex_);
        return requests_;
    }

    static std::string welcome(std::uint32_t id, std::uint32_t version = protocol::kVersion) {
        return protocol::encodeFrame(id, protocol::Welcome{version, 4242, 0});
    }

private:
    void serve() {
        for (std::uint32_t index = 0;; ++index) {
            char header[protocol::kHeaderSize];
            if (::recv(helperFd_, header, sizeof header, MSG_WAITALL) != sizeof header) {
                return;
            }
            const auto decoded = protocol::decodeHeader(std::string_view(header, sizeof header),
                                                        protocol::Direction::ToHelper, nullptr);
            if (!decoded) {
                return;
            }
            std::string payload(decoded->length, '\0');
            if (decoded->length > 0 &&
                ::recv(helperFd_, payload.data(), payload.size(), MSG_WAITALL) !=
                    static_cast<ssize_t>(payload.size())) {
                return;
            }
            if (auto request = protocol::decodePayload(*decoded, payload, nullptr)) {
                const std::lock_guard lock(mutex_);
                requests_.push_back(std::move(*request));
            }
            const std::string answer = script_(*decoded, index);
            if (answer == "close") {
                ::shutdown(helperFd_, SHUT_RDWR);
                return;
            }
            ::send(helperFd_, answer.data(), answer.size(), MSG_NOSIGNAL);
        }
    }

    Script script_;
    int clientFd_ = -1;
    int helperFd_ = -1;
    mutable std::mutex mutex_;
    std::vector<protocol::Message> requests_;
    std::thread thread_;
};

// Adopts the fake helper, polls once, and returns what the client said about the failure.
std::string pollFailure(FakeHelper::Script script, std::chrono::milliseconds timeout = 5s) {
    FakeHelper fake(std::move(script));
    platform::HelperOptions options;
    options.replyTimeout = timeout;
    auto helper = HelperConnection::adopt(fake.clientFd(), fake.clientFd(), options);
    try {
        helper->poll();
    } catch (const HelperError& error) {
        EXPECT_FALSE(helper->connected());
        EXPECT_EQ(helper->failure(), error.what());
        EXPECT_THROW(helper->poll(), HelperError) << "a broken session stays broken";
        return error.what();
    }
    ADD_FAILURE() << "the poll succeeded";
    return {};
}

TEST(HelperClient, AdoptedHelperWorksWithAWellBehavedFake) {
    core::Snapshot snapshot;
    snapshot.sourceName = "fake";
    snapshot.warnings.push_back(portscope::core::verbatimText("from the fake"));
    FakeHelper fake([&](const protocol::FrameHeader& header, std::uint32_t index) {
        return index == 0
                   ? FakeHelper::welcome(header.requestId)
                   : protocol::encodeFrame(header.requestId, protocol::SnapshotData{snapshot});
    });
    auto helper = HelperConnection::adopt(fake.clientFd(), fake.clientFd());
    EXPECT_FALSE(helper->info().launchedHere);
    EXPECT_EQ(helper->info().pid, 4242);
    const auto received = helper->poll();
    EXPECT_EQ(received.sourceName, "fake");
    EXPECT_EQ(received.warnings, snapshot.warnings);
}

TEST(HelperClient, AnUnaskedChangesPendingBeforeAReplyIsPassedOver) {
    FakeHelper fake([](const protocol::FrameHeader& header, std::uint32_t index) {
        return index == 0 ? FakeHelper::welcome(header.requestId)
                          : protocol::encodeFrame(0, protocol::ChangesPending{}) +
                                protocol::encodeFrame(header.requestId,
                                                      protocol::SnapshotData{core::Snapshot{}});
    });
    auto helper = HelperConnection::adopt(fake.clientFd(), fake.clientFd());
    EXPECT_NO_THROW(helper->poll());
    EXPECT_NO_THROW(helper->poll());
    EXPECT_TRUE(helper->connected());
}

TEST(HelperClient, SurvivesAChangesPendingThatBreaksItsForm) {
    const auto failure = pollFailure([](const protocol::FrameHeader& header, std::uint32_t index) {
        return index == 0 ? FakeHelper::welcome(header.requestId)
                          : protocol::encodeHeader(protocol::MessageType::ChangesPending,
                                                   header.requestId, 0);
    });
    EXPECT_THAT(failure, HasSubstr("broke the protocol: a ChangesPending with request id 2"));
}

TEST(HelperClient, SurvivesAHelperThatAnnouncesAnOversizedReply) {
    const auto failure = pollFailure([](const protocol::FrameHeader& header, std::uint32_t index) {
        return index == 0 ? FakeHelper::welcome(header.requestId)
                          : protocol::encodeHeader(protocol::MessageType::SnapshotData,
                                                   header.requestId, protocol::kMaxReplyBytes + 1);
    });
    EXPECT_THAT(failure, HasSubstr("broke the protocol"));
    EXPECT_THAT(failure, HasSubstr("exceeds the limit of 268435456 bytes"));
}

TEST(HelperClient, SurvivesAReplyToAnotherRequest) {
    const auto failure = pollFailure([](const protocol::FrameHeader& header, std::uint32_t index) {
        return index == 0 ? FakeHelper::welcome(header.requestId)
                          : protocol::encodeFrame(header.requestId + 1,
                                                  protocol::SnapshotData{core::Snapshot{}});
    });
    EXPECT_THAT(failure, HasSubstr("a reply to request 3 came while request 2 was waiting"));
}

TEST(HelperClient, SurvivesAReplyOfTheWrongType) {
    const auto failure = pollFailure([](const protocol::FrameHeader& header, std::uint32_t index) {
        return index == 0 ? FakeHelper::welcome(header.requestId)
                          : protocol::encodeFrame(
                                header.requestId,
                                protocol::ActionReply{protocol::ActionCode::Done,
                                                      portscope::core::verbatimText("?")});
    });
    EXPECT_THAT(failure, HasSubstr("it sent ActionReply where Snapshot was due"));
}

TEST(HelperClient, SurvivesAMalformedSnapshot) {
    const auto failure = pollFailure([](const protocol::FrameHeader& header, std::uint32_t index) {
        if (index == 0) {
            return FakeHelper::welcome(header.requestId);
        }
        return protocol::encodeHeader(protocol::MessageType::SnapshotData, header.requestId, 5) +
               "short";
    });
    EXPECT_THAT(failure, HasSubstr("broke the protocol: Snapshot:"));
}

TEST(HelperClient, ReportsTheHelpersErrorMessage) {
    const auto failure = pollFailure([](const protocol::FrameHeader& header, std::uint32_t index) {
        return index == 0
                   ? FakeHelper::welcome(header.requestId)
                   : protocol::encodeFrame(header.requestId,
                                           protocol::ErrorReply{protocol::ErrorCode::SourceFailed,
                                                                "netlink went away"});
    });
    EXPECT_THAT(failure, HasSubstr("ended the session (system source failed): netlink went away"));
}

TEST(HelperClient, TimesOutOnASilentHelper) {
    const auto failure = pollFailure(
        [](const protocol::FrameHeader& header, std::uint32_t index) {
            return index == 0 ? FakeHelper::welcome(header.requestId) : std::string();
        },
        300ms);
    EXPECT_THAT(failure, HasSubstr("did not answer in time"));
}

TEST(HelperClient, NoticesAHelperThatHangsUp) {
    const auto failure = pollFailure([](const protocol::FrameHeader& header, std::uint32_t index) {
        return index == 0 ? FakeHelper::welcome(header.requestId) : std::string("close");
    });
    EXPECT_THAT(failure, HasSubstr("the helper closed the connection"));
}

TEST(HelperClient, NoticesAnAnswerCutShort) {
    const auto failure = pollFailure(
        [](const protocol::FrameHeader& header, std::uint32_t index) {
            if (index == 0) {
                return FakeHelper::welcome(header.requestId);
            }
            return protocol::encodeHeader(protocol::MessageType::SnapshotData, header.requestId,
                                          1000) +
                   "partial";
        },
        500ms);
    EXPECT_THAT(failure, HasSubstr("Incomplete answer from the helper"));
}

TEST(HelperClient, RefusesAHelperOfAnotherVersion) {
    FakeHelper fake([](const protocol::FrameHeader& header, std::uint32_t) {
        return FakeHelper::welcome(header.requestId, 9);
    });
    try {
        HelperConnection::adopt(fake.clientFd(), fake.clientFd());
        FAIL() << "adopt succeeded";
    } catch (const HelperError& error) {
        EXPECT_THAT(error.what(), HasSubstr("protocol version 9, this program version " +
                                            std::to_string(protocol::kVersion)));
    }
}

TEST(HelperClient, ActionFailuresOfTheTransportBecomeFailedResults) {
    FakeHelper fake([](const protocol::FrameHeader& header, std::uint32_t index) {
        return index == 0 ? FakeHelper::welcome(header.requestId) : std::string("close");
    });
    auto helper = HelperConnection::adopt(fake.clientFd(), fake.clientFd());
    const auto result = helper->killProcess({100, 200});
    EXPECT_EQ(result.status, ActionStatus::Failed);
    EXPECT_THAT(result.message, HasSubstr("Cannot stop PID 100"));
    EXPECT_THAT(result.message, HasSubstr("closed the connection"));
    EXPECT_FALSE(helper->connected());
}

TEST(HelperClient, StatusAndOptionMappingsAreInverse) {
    for (int raw = 0; raw <= static_cast<int>(protocol::ActionCode::Failed); ++raw) {
        const auto code = static_cast<protocol::ActionCode>(raw);
        EXPECT_EQ(platform::toActionCode(platform::toActionStatus(code)), code);
    }
    for (std::uint32_t bits = 0; bits <= protocol::kLiveSourceHelloOptions; ++bits) {
        EXPECT_EQ(platform::helloOptionsOf(platform::liveSourceOptionsOf(bits)), bits);
    }
    EXPECT_EQ(platform::helloOptionsOf(platform::LiveSourceOptions{}), 0u);
}

} // namespace
} // namespace portscope::testing

namespace portscope::testing {
namespace {

namespace protocol = core::helper;
using platform::CaptureError;
using platform::HelperConnection;
using ::testing::HasSubstr;

// A helper that runs a capture by socket of two interfaces and hands over one packet of
// socket 4242, sent, per read.
std::string socketCaptureAnswer(const protocol::FrameHeader& header, std::uint32_t index) {
    if (index == 0) {
        return protocol::encodeFrame(header.requestId, protocol::Welcome{protocol::kVersion, 1, 0});
    }
    switch (header.type) {
    case protocol::MessageType::StartCapture:
        return protocol::encodeFrame(
            header.requestId,
            protocol::CaptureStarted{
                protocol::ActionCode::Done, "", {{101, 65536, "lo"}, {101, 65536, "other"}}});
    case protocol::MessageType::ReadPackets: {
        protocol::BatchPacket packet;
        packet.interface = 1;
        packet.originalLength = 4;
        packet.data = "data";
        packet.cookie = 4242;
        packet.creatorPid = 77;
        packet.direction = core::pcapng::Direction::Outbound;
        return protocol::encodeFrame(header.requestId, protocol::PacketBatch{{{}, {}}, {packet}});
    }
    default:
        return protocol::encodeFrame(header.requestId,
                                     protocol::ActionReply{protocol::ActionCode::Done, {}});
    }
}

TEST(HelperClientSocketCapture, SendsTheSelectionSortedAndDeliversEachPacketsSocket) {
    FakeHelper fake(socketCaptureAnswer);
    auto helper = HelperConnection::adopt(fake.clientFd(), fake.clientFd());
    platform::CaptureOptions options;
    options.bySocket = true;
    auto capture = helper->openCapture(options);
    EXPECT_TRUE(capture->selectsBySocket());
    const auto start = std::get<protocol::StartCapture>(fake.requests().back());
    EXPECT_TRUE(start.bySocket);
    EXPECT_EQ(start.filter, "") << "a capture by socket keeps nothing until its selection";

    core::SocketSelection selection;
    selection.sockets = {9, 3, 3};
    selection.processes = {0, 5, -1, 5};
    selection.listeningPorts = {
        {core::Protocol::Udp, 53}, {core::Protocol::Tcp, 0}, {core::Protocol::Tcp, 80}};
    capture->selectSockets(selection);
    const auto sent = std::get<protocol::SelectSockets>(fake.requests().back()).selection;
    EXPECT_EQ(sent.sockets, (std::vector<std::uint64_t>{3, 9}));
    EXPECT_EQ(sent.processes, (std::vector<std::int32_t>{5}));
    EXPECT_EQ(sent.listeningPorts, (std::vector<core::SocketSelection::Port>{
                                       {core::Protocol::Tcp, 80}, {core::Protocol::Udp, 53}}));

    std::vector<platform::CapturedPacket> packets;
    capture->read(0ms, 10,
                  [&](const platform::CapturedPacket& packet) { packets.push_back(packet); });
    ASSERT_EQ(packets.size(), 1u);
    EXPECT_EQ(packets[0].interface, 1u);
    EXPECT_EQ(packets[0].socket.cookie, 4242u);
    EXPECT_EQ(packets[0].socket.creatorPid, 77);
    EXPECT_EQ(packets[0].direction, core::pcapng::Direction::Outbound);
}

TEST(HelperClientSocketCapture, RefusesWhatTheProtocolCannotCarryBeforeSendingIt) {
    FakeHelper fake(socketCaptureAnswer);
    auto helper = HelperConnection::adopt(fake.clientFd(), fake.clientFd());
    platform::CaptureOptions options;
    options.bySocket = true;
    options.interfaces = {"lo"};
    try {
        helper->openCapture(options);
        ADD_FAILURE() << "a capture by socket on named interfaces was sent";
    } catch (const CaptureError& error) {
        EXPECT_EQ(error.kind, CaptureError::Kind::NotSupported);
    }
    options.interfaces.clear();
    auto capture = helper->openCapture(options);
    const std::size_t requests = fake.requests().size();
    core::SocketSelection tooLarge;
    for (std::uint64_t cookie = 1; cookie <= protocol::kMaxSelectedSockets + 1; ++cookie) {
        tooLarge.sockets.push_back(cookie);
    }
    try {
        capture->selectSockets(tooLarge);
        ADD_FAILURE() << "a selection over the protocol's limits was sent";
    } catch (const CaptureError& error) {
        EXPECT_THAT(error.what(), HasSubstr("16385 sockets"));
        EXPECT_THAT(error.what(), HasSubstr("larger than the helper takes"));
    }
    EXPECT_EQ(fake.requests().size(), requests);
    EXPECT_TRUE(helper->connected()) << "the session goes on";
}

} // namespace
} // namespace portscope::testing
