// End to end: portscope-cli runs as the unprivileged user `nobody`, once on its own and once
// connected (--helper-fds) to a portscope-helper that the test started as root, as pkexec
// would. Root-owned sockets get their owners only through the helper, and kill and close of
// root's processes and connections work only through it.

#include "helper_test_support.h"
#include "loopback.h"
#include "portscope/platform/system.h"
#include "socket_capture_support.h"
#include "test_process.h"

#include <arpa/inet.h>
#include <atomic>
#include <filesystem>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <map>
#include <netinet/in.h>
#include <sstream>
#include <sys/socket.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace portscope::testing {
namespace {

using ::testing::HasSubstr;

class HelperEndToEnd : public ::testing::Test {
protected:
    void SetUp() override {
        if (::geteuid() != 0) {
            GTEST_SKIP() << "needs root: the test starts the helper as root and the CLI as "
                            "nobody";
        }
        const auto user = nobodyUser();
        if (!user) {
            GTEST_SKIP() << "no user 'nobody' on this system";
        }
        nobody_.uid = user->first;
        nobody_.gid = user->second;
    }

    // portscope-cli ARGS as nobody, without a helper.
    RunResult cliAsNobody(std::vector<std::string> args) {
        args.insert(args.begin(), PORTSCOPE_CLI_PATH);
        return runProgramAs(args, nobody_);
    }

    // portscope-cli ARGS --helper-fds 3,3 as nobody, with descriptor 3 connected to a helper
    // running as root. The helper must end its session when the CLI exits.
    RunResult cliAsNobodyWithHelper(std::vector<std::string> args) {
        HelperProcess helper;
        const int connection = helper.releaseClientFd();
        args.insert(args.begin(), PORTSCOPE_CLI_PATH);
        args.insert(args.end(), {"--helper-fds", "3,3"});
        RunAs how = nobody_;
        how.descriptors = {{connection, 3}};
        auto result = runProgramAs(args, how);
        ::close(connection);
        EXPECT_EQ(helper.waitExit(5s), 0) << "helper stderr: " << helper.errorOutput();
        return result;
    }

    RunAs nobody_;
};

// The CSV rows of `portscope-cli snapshot --format csv`, keyed by column name.
std::vector<std::map<std::string, std::string>> csvRows(const std::string& text) {
    auto split = [](std::string line) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back(); // CSV lines end in CRLF
        }
        std::vector<std::string> fields;
        std::stringstream stream(line);
        std::string field;
        while (std::getline(stream, field, ',')) {
            fields.push_back(field);
        }
        if (!line.empty() && line.back() == ',') {
            fields.emplace_back();
        }
        return fields;
    };
    std::stringstream lines(text);
    std::string line;
    std::getline(lines, line);
    const auto names = split(line);
    std::vector<std::map<std::string, std::string>> rows;
    while (std::getline(lines, line)) {
        const auto fields = split(line);
        if (fields.size() != names.size()) {
            continue; // a quoted field with a comma; not one of our rows
        }
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < names.size(); ++i) {
            row[names[i]] = fields[i];
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

// The row of the listener with this socket inode in our own network namespace (a helper
// running as root also lists other namespaces, where the same port may be in use).
std::map<std::string, std::string> listenerRow(const RunResult& result, int listenerFd) {
    const std::string inode = std::to_string(socketInode(listenerFd));
    for (auto& row : csvRows(result.out)) {
        if (row["inode"] == inode && row["netns"] == "0") {
            return row;
        }
    }
    ADD_FAILURE() << "no row for socket inode " << inode << " in:\n" << result.out << result.err;
    return {};
}

TEST_F(HelperEndToEnd, RootOwnedSocketsGetTheirOwnersOnlyThroughTheHelper) {
    const Fd listener = tcpListener("127.0.0.1"); // owned by this root process
    const auto port = localEndpoint(listener.get()).port;
    const std::vector<std::string> args{"snapshot", "--format", "csv", "--port",
                                        std::to_string(port)};

    const auto alone = cliAsNobody(args);
    ASSERT_EQ(alone.exitCode, 0) << alone.err;
    auto row = listenerRow(alone, listener.get());
    EXPECT_EQ(row["owner_status"], "permission-denied");
    EXPECT_EQ(row["pid"], "");

    const auto helped = cliAsNobodyWithHelper(args);
    ASSERT_EQ(helped.exitCode, 0) << helped.err;
    row = listenerRow(helped, listener.get());
    EXPECT_EQ(row["owner_status"], "known");
    EXPECT_EQ(row["pid"], std::to_string(::getpid()));
    EXPECT_EQ(row["user"], "root");
}

TEST_F(HelperEndToEnd, WatchStreamsTheHelpersData) {
    const Fd listener = tcpListener("127.0.0.1");
    const auto port = localEndpoint(listener.get()).port;
    const auto helped = cliAsNobodyWithHelper(
        {"watch", "--count", "2", "--interval", "0.25", "--port", std::to_string(port)});
    ASSERT_EQ(helped.exitCode, 0) << helped.err;
    EXPECT_THAT(helped.out, HasSubstr("\"event\":\"added\""));
    EXPECT_THAT(helped.out, HasSubstr("\"pid\":" + std::to_string(::getpid())));
    EXPECT_THAT(helped.out, HasSubstr("\"sequence\":2"));
}

TEST_F(HelperEndToEnd, KillOfARootProcessWorksOnlyThroughTheHelper) {
    const pid_t child = startChild({"sleep", "60"}); // runs as root
    const auto key = platform::currentProcessKey(child);
    ASSERT_TRUE(key);
    const std::string pid = std::to_string(child);
    const std::string startTime = std::to_string(key->startTime);

    const auto alone = cliAsNobody({"kill", pid, "--start-time", startTime});
    EXPECT_EQ(alone.exitCode, 4) << alone.out << alone.err; // permission denied
    EXPECT_THAT(alone.err, HasSubstr("Not allowed to stop"));
    EXPECT_TRUE(isAlive(child));

    const auto stale =
        cliAsNobodyWithHelper({"kill", pid, "--start-time", std::to_string(key->startTime + 1)});
    EXPECT_EQ(stale.exitCode, 3) << stale.out << stale.err; // refused: another process
    EXPECT_TRUE(isAlive(child));

    const auto helped = cliAsNobodyWithHelper({"kill", pid, "--start-time", startTime});
    EXPECT_EQ(helped.exitCode, 0) << helped.out << helped.err;
    EXPECT_THAT(helped.out, HasSubstr("Stopped sleep (PID " + pid + ")"));
    EXPECT_TRUE(waitChildExit(child, 5s));
    killChild(child);
}

TEST_F(HelperEndToEnd, CloseOfARootConnectionWorksOnlyThroughTheHelper) {
    const Fd listener = tcpListener("127.0.0.1");
    const Fd client = tcpConnect(localEndpoint(listener.get()));
    const Fd server = acceptOne(listener.get());
    const std::vector<std::string> args{"close", "--local", localEndpoint(client.get()).toString(),
                                        "--remote", peerEndpoint(client.get()).toString()};

    const auto alone = cliAsNobody(args);
    EXPECT_EQ(alone.exitCode, 4) << alone.out << alone.err; // needs CAP_NET_ADMIN
    // The advice is the helper, never a capability on the program file.
    EXPECT_THAT(alone.err, HasSubstr("--elevated"));
    EXPECT_THAT(alone.err, ::testing::Not(HasSubstr("grant")));
    char byte = 0;
    EXPECT_EQ(::recv(client.get(), &byte, 1, MSG_DONTWAIT), -1);
    EXPECT_EQ(errno, EAGAIN) << "the connection is still open";

    const auto helped = cliAsNobodyWithHelper(args);
    EXPECT_EQ(helped.exitCode, 0) << helped.out << helped.err;
    EXPECT_THAT(helped.out, HasSubstr("Closed the TCP connection"));
    EXPECT_EQ(::recv(client.get(), &byte, 1, 0), -1);
    EXPECT_EQ(errno, ECONNABORTED);
}

// The test's own (root's) connection moves data while `nobody` captures it through the helper;
// the file is nobody's and private, and every packet names this process.
TEST_F(HelperEndToEnd, CaptureWorksOnlyThroughTheHelperAndWritesAPrivateFile) {
    const auto directory = std::filesystem::temp_directory_path() /
                           ("portscope-helper-capture-" + std::to_string(::getpid()));
    std::filesystem::create_directories(directory);
    ASSERT_EQ(::chown(directory.c_str(), *nobody_.uid, nobody_.gid), 0);
    const Fd listener = tcpListener("127.0.0.1");
    const auto port = localEndpoint(listener.get()).port;
    const Fd client = tcpConnect(localEndpoint(listener.get()));
    const Fd server = acceptOne(listener.get());
    std::atomic<bool> sending{true};
    std::thread sender([&] {
        // Bounded: 30 s at most, or until the capture is over.
        for (int i = 0; i < 3000 && sending; ++i) {
            (void)!::send(client.get(), "CAPTURED-BY-NOBODY", 18, MSG_NOSIGNAL);
            char buffer[64];
            (void)!::recv(server.get(), buffer, sizeof buffer, MSG_DONTWAIT);
            std::this_thread::sleep_for(10ms);
        }
    });
    const std::string file = (directory / "helper.pcapng").string();
    const auto refused =
        cliAsNobody({"capture", "-w", file, "--port", std::to_string(port), "--duration", "1"});
    EXPECT_EQ(refused.exitCode, 4) << refused.err;
    EXPECT_THAT(refused.err, HasSubstr("CAP_NET_RAW"));
    EXPECT_FALSE(std::filesystem::exists(file));

    const auto captured = cliAsNobodyWithHelper(
        {"capture", "-w", file, "--port", std::to_string(port), "--duration", "2"});
    sending = false;
    sender.join();
    EXPECT_EQ(captured.exitCode, 0) << captured.err;
    struct stat status {};
    ASSERT_EQ(::stat(file.c_str(), &status), 0);
    EXPECT_EQ(status.st_mode & 0777, 0600u);
    EXPECT_EQ(status.st_uid, *nobody_.uid);
    const auto tshark = runProgram({"tshark", "-r", file, "-T", "fields", "-e", "frame.comment"});
    EXPECT_EQ(tshark.exitCode, 0) << tshark.err;
    std::stringstream lines(tshark.out);
    std::string line;
    int packets = 0;
    while (std::getline(lines, line)) {
        ++packets;
        EXPECT_THAT(line, HasSubstr("PID " + std::to_string(::getpid()) + " ")) << line;
    }
    EXPECT_GT(packets, 50);
    // Where this machine can, the helper took them by socket (the CLI asks for it when
    // connections are chosen), and the file says so.
    const auto section = runProgram({"capinfos", "-k", file});
    EXPECT_EQ(section.out.find("sockets sent and received") != std::string::npos,
              canCaptureBySocket())
        << section.out;
    std::filesystem::remove_all(directory);
}

TEST_F(HelperEndToEnd, ABrokenHelperConnectionIsAClearCliError) {
    int pair[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), 0);
    ::close(pair[1]); // nobody answers
    RunAs how = nobody_;
    how.descriptors = {{pair[0], 3}};
    const auto result = runProgramAs({PORTSCOPE_CLI_PATH, "snapshot", "--helper-fds", "3,3"}, how);
    ::close(pair[0]);
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_THAT(result.err, HasSubstr("The helper on descriptors 3,3 did not answer"));

    const auto badFds = cliAsNobody({"snapshot", "--helper-fds", "3"});
    EXPECT_EQ(badFds.exitCode, 2);
    EXPECT_THAT(badFds.err, HasSubstr("--helper-fds expects READFD,WRITEFD"));
}

} // namespace
} // namespace portscope::testing

namespace portscope::testing {
namespace {

// The eBPF sensor needs root; the unprivileged CLI gets it only through the helper.
TEST_F(HelperEndToEnd, TheEbpfSensorReachesTheUnprivilegedCliOnlyThroughTheHelper) {
    if (::access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
        GTEST_SKIP() << "the kernel has no BTF (/sys/kernel/btf/vmlinux) for the eBPF sensor";
    }
    const auto refused = cliAsNobody({"watch", "--count", "1", "--sensor", "bpf"});
    EXPECT_EQ(refused.exitCode, 1);
    EXPECT_THAT(refused.err, HasSubstr("The eBPF sensor cannot run: loading eBPF programs needs "
                                       "root"));
    const auto polled = cliAsNobody({"watch", "--count", "1", "--port", "1"});
    ASSERT_EQ(polled.exitCode, 0) << polled.err;
    EXPECT_THAT(polled.out, HasSubstr("\"sensor\":\"poll\""));
    EXPECT_THAT(polled.out, HasSubstr("Polling only, without the eBPF sensor"));

    // A UDP socket of root's that sends while the helper watches: its bytes are counted.
    const Fd receiver = udpSocket("127.0.0.1");
    const auto target = localEndpoint(receiver.get());
    Fd sender = udpSocket("127.0.0.1");
    const auto senderPort = localEndpoint(sender.get()).port;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(target.port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(sender.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    std::atomic<bool> stop{false};
    std::thread traffic([&] {
        const std::string datagram(500, 'x');
        for (int i = 0; i < 4000 && !stop.load(); ++i) { // at most 4 s
            (void)::send(sender.get(), datagram.data(), datagram.size(), 0);
            std::this_thread::sleep_for(1ms);
        }
    });
    const auto helped =
        cliAsNobodyWithHelper({"watch", "--count", "3", "--interval", "0.25", "--sensor", "bpf",
                               "--port", std::to_string(senderPort)});
    stop = true;
    traffic.join();
    ASSERT_EQ(helped.exitCode, 0) << helped.err;
    EXPECT_THAT(helped.out, HasSubstr("\"sensor\":\"bpf\""));
    EXPECT_THAT(helped.out, ::testing::Not(HasSubstr("\"sensor\":\"poll\"")));
    EXPECT_THAT(helped.out, ::testing::ContainsRegex("\"bytes_sent\":[1-9]"))
        << "the UDP socket's bytes are counted through the helper:\n"
        << helped.out;
}

} // namespace
} // namespace portscope::testing
