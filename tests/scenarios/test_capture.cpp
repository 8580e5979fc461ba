// portscope-cli capture against real loopback traffic of processes the test starts: what
// tshark reads from the file, per packet comment and payload.

#include "loopback.h"
#include "portscope/core/packet_attribution.h"
#include "portscope/core/pcapng.h"
#include "portscope/platform/packet_capture.h"
#include "socket_capture_support.h"
#include "test_process.h"

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <gtest/gtest.h>
#include <iterator>
#include <map>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <set>
#include <sstream>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace portscope;
using namespace portscope::testing;
using namespace std::chrono_literals;

namespace {

const std::string kCli = PORTSCOPE_CLI_PATH;

// A child that runs `body` and exits; the test kills it by its PID when done. Whatever the
// body throws ends the child, never returns into the test framework.
pid_t forkChild(const std::function<void()>& body) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        try {
            body();
        } catch (...) {
            ::_exit(1);
        }
        ::_exit(0);
    }
    if (pid < 0) {
        throw std::runtime_error("fork failed");
    }
    return pid;
}

class Children {
public:
    ~Children() {
        for (const pid_t pid : pids_) {
            killChild(pid);
        }
    }
    pid_t start(const std::function<void()>& body) {
        pids_.push_back(forkChild(body));
        return pids_.back();
    }

private:
    std::vector<pid_t> pids_;
};

// Writes numbered messages "TAG-0001|" to `fd` every `pause`, until killed (or 60 s).
void sendMessages(int fd, const std::string& tag, std::chrono::milliseconds pause) {
    for (int i = 1; i <= 9999 && i * pause.count() < 60'000; ++i) {
        char message[32];
        const int length = std::snprintf(message, sizeof message, "%s-%04d|", tag.c_str(), i);
        if (::send(fd, message, static_cast<std::size_t>(length), MSG_NOSIGNAL) != length) {
            return;
        }
        std::this_thread::sleep_for(pause);
    }
}

// Reads and discards until the peer closes.
void drain(int fd) {
    char buffer[4096];
    while (::recv(fd, buffer, sizeof buffer, 0) > 0) {
    }
}

std::string fromHex(const std::string& hex) {
    std::string bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        if (hex[i] == ':') {
            --i;
            continue;
        }
        bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    return bytes;
}

struct TsharkPacket {
    std::string comment;
    int sourcePort = 0;
    int destinationPort = 0;
    std::string payload;
};

std::vector<TsharkPacket> parseTsharkFields(const std::string& text) {
    std::vector<TsharkPacket> packets;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        std::vector<std::string> fields;
        std::size_t start = 0;
        while (true) {
            const auto tab = line.find('\t', start);
            fields.push_back(line.substr(start, tab - start));
            if (tab == std::string::npos) {
                break;
            }
            start = tab + 1;
        }
        fields.resize(4);
        TsharkPacket packet;
        packet.comment = fields[0];
        packet.sourcePort = fields[1].empty() ? 0 : std::stoi(fields[1]);
        packet.destinationPort = fields[2].empty() ? 0 : std::stoi(fields[2]);
        packet.payload = fromHex(fields[3]);
        packets.push_back(packet);
    }
    return packets;
}

const std::vector<std::string> kTsharkFields{"-T", "fields",      "-e", "frame.comment",
                                             "-e", "tcp.srcport", "-e", "tcp.dstport",
                                             "-e", "tcp.payload"};

// tshark's reading of a capture file; fails the test when tshark reports an error.
std::vector<TsharkPacket> readWithTshark(const std::string& path) {
    std::vector<std::string> argv{"tshark", "-r", path};
    argv.insert(argv.end(), kTsharkFields.begin(), kTsharkFields.end());
    const auto result = runProgram(argv);
    EXPECT_EQ(result.exitCode, 0) << result.err;
    EXPECT_EQ(result.err.find("appears to"), std::string::npos) << result.err;
    return parseTsharkFields(result.out);
}

std::string readFile(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(file), {}};
}

// The numbers of consecutive "TAG-NNNN|" messages in `stream`; empty unless every byte is one.
std::vector<int> messageNumbers(const std::string& stream, const std::string& tag) {
    std::vector<int> numbers;
    const std::size_t size = tag.size() + 6;
    for (std::size_t at = 0; at < stream.size(); at += size) {
        const std::string message = stream.substr(at, size);
        if (message.size() != size || message.compare(0, tag.size() + 1, tag + "-") != 0 ||
            message.back() != '|') {
            return {};
        }
        numbers.push_back(std::stoi(message.substr(tag.size() + 1, 4)));
    }
    return numbers;
}

class CaptureFixture : public ::testing::Test {
protected:
    void SetUp() override {
        directory = std::filesystem::temp_directory_path() /
                    ("portscope-capture-" + std::to_string(::getpid()) + "-" +
                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(directory);
        std::filesystem::create_directories(directory);
    }
    void TearDown() override {
        if (!tmpfs.empty()) {
            ::umount2(tmpfs.c_str(), MNT_DETACH);
        }
        std::filesystem::remove_all(directory);
    }

    // A server that accepts connections and reads them; returns its port.
    std::uint16_t startSink(Children& children) {
        Fd listener = tcpListener("127.0.0.1");
        const auto port = localEndpoint(listener.get()).port;
        children.start([&] {
            // Until killed; acceptOne() gives up after 5 s without a client.
            for (int i = 0; i < 64; ++i) {
                try {
                    Fd connection = acceptOne(listener.get());
                    std::thread([fd = connection.release()] {
                        drain(fd);
                        ::close(fd);
                    }).detach();
                } catch (const std::exception&) {
                }
            }
        });
        return port;
    }

    // A process that connects to `port` and sends numbered messages tagged `tag`.
    pid_t startSender(Children& children, std::uint16_t port, const std::string& tag) {
        return children.start([port, tag] {
            Fd connection = tcpConnect({core::IpAddress::v4(127, 0, 0, 1), port});
            const int one = 1;
            ::setsockopt(connection.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            sendMessages(connection.get(), tag, 20ms);
        });
    }

    std::filesystem::path directory;
    std::string tmpfs;
};

class Capture : public CaptureFixture {};

// The same captures from the network interfaces (libpcap, --sensor poll) and by socket (the
// eBPF programs, --sensor bpf).
class CaptureByMethod : public CaptureFixture, public ::testing::WithParamInterface<std::string> {
protected:
    void SetUp() override {
        CaptureFixture::SetUp();
        if (std::string whyNot; GetParam() == "bpf" && !canCaptureBySocket(&whyNot)) {
            GTEST_SKIP() << "this machine cannot capture by socket: " << whyNot;
        }
    }

    // `argv` with the method's --sensor after "capture".
    ProgramResult runCapture(std::vector<std::string> argv) const {
        argv.insert(argv.begin() + 2, {"--sensor", GetParam()});
        return runProgram(argv);
    }

    // The capture file says how its packets were taken.
    void expectMethodIn(const std::string& file) const {
        const auto read = core::pcapng::readFile(readFile(file));
        ASSERT_FALSE(read.sections.empty());
        ASSERT_FALSE(read.sections[0].comments.empty());
        const std::string& comment = read.sections[0].comments[0];
        const bool bySocket =
            comment.find("where this host's sockets sent and received") != std::string::npos;
        EXPECT_EQ(bySocket, GetParam() == "bpf") << comment;
    }
};

INSTANTIATE_TEST_SUITE_P(Methods, CaptureByMethod, ::testing::Values("poll", "bpf"),
                         [](const auto& info) {
                             return info.param == "bpf" ? "BySocket" : "FromInterfaces";
                         });

TEST_P(CaptureByMethod, APidCaptureHoldsEveryPacketOfItsConnectionsWithItsPidAndNoneOfOthers) {
    Children children;
    const auto sinkPort = startSink(children);
    // A sends on a connection and also listens: a connection to its listener that opens and
    // closes within one poll must be captured and named after A too.
    int portPipe[2];
    ASSERT_EQ(::pipe(portPipe), 0);
    const pid_t a = children.start([&] {
        Fd listener = tcpListener("127.0.0.1");
        const auto port = localEndpoint(listener.get()).port;
        (void)!::write(portPipe[1], &port, sizeof port);
        std::thread([fd = listener.get()] {
            for (int i = 0; i < 4; ++i) {
                Fd shortLived = acceptOne(fd);
                char buffer[64];
                const auto n = ::recv(shortLived.get(), buffer, sizeof buffer, 0);
                if (n > 0) {
                    (void)!::send(shortLived.get(), "SHORT-REPLY", 11, MSG_NOSIGNAL);
                }
            }
        }).detach();
        Fd connection = tcpConnect({core::IpAddress::v4(127, 0, 0, 1), sinkPort});
        const int one = 1;
        ::setsockopt(connection.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sendMessages(connection.get(), "AAAA", 20ms);
    });
    std::uint16_t listenerOfA = 0;
    ASSERT_EQ(::read(portPipe[0], &listenerOfA, sizeof listenerOfA),
              static_cast<ssize_t>(sizeof listenerOfA));
    ::close(portPipe[0]);
    ::close(portPipe[1]);
    const pid_t b = startSender(children, sinkPort, "BBBB");
    // Noise: a third process talking to itself.
    children.start([] {
        Fd listener = tcpListener("127.0.0.1");
        Fd client = tcpConnect(localEndpoint(listener.get()));
        Fd server = acceptOne(listener.get());
        std::thread([fd = server.get()] { drain(fd); }).detach();
        sendMessages(client.get(), "NNNN", 10ms);
    });
    // A short-lived client of A's listener, well inside the capture and between two polls.
    children.start([listenerOfA] {
        std::this_thread::sleep_for(2200ms);
        Fd connection = tcpConnect({core::IpAddress::v4(127, 0, 0, 1), listenerOfA});
        (void)!::send(connection.get(), "SHORT-HELLO", 11, MSG_NOSIGNAL);
        char buffer[64];
        (void)!::recv(connection.get(), buffer, sizeof buffer, 0);
    });
    std::this_thread::sleep_for(300ms);

    const std::string file = (directory / "a.pcapng").string();
    const auto capture = runCapture({kCli, "capture", "-w", file, "--pid", std::to_string(a),
                                     "--duration", "4", "--interval", "1"});
    ASSERT_EQ(capture.exitCode, 0) << capture.err;
    EXPECT_NE(capture.err.find("Capture ended: the duration has passed."), std::string::npos)
        << capture.err;
    struct stat status {};
    ASSERT_EQ(::stat(file.c_str(), &status), 0);
    EXPECT_EQ(status.st_mode & 0777, 0600u);

    expectMethodIn(file);
    const auto packets = readWithTshark(file);
    ASSERT_GT(packets.size(), 50u);
    const std::string pidOfA = "PID " + std::to_string(a) + " ";
    std::string streamOfA;
    std::string shortLived;
    for (const auto& packet : packets) {
        EXPECT_NE(packet.comment.find(pidOfA), std::string::npos) << packet.comment;
        EXPECT_EQ(packet.comment.find("PID " + std::to_string(b) + " "), std::string::npos);
        EXPECT_EQ(packet.payload.find("BBBB"), std::string::npos);
        EXPECT_EQ(packet.payload.find("NNNN"), std::string::npos);
        if (packet.destinationPort == sinkPort) {
            streamOfA += packet.payload;
        }
        if (packet.sourcePort == listenerOfA || packet.destinationPort == listenerOfA) {
            shortLived += packet.payload;
        }
    }
    // Every message A sent while the capture ran, in order, with no gap and no other bytes.
    const auto numbers = messageNumbers(streamOfA, "AAAA");
    ASSERT_GT(numbers.size(), 100u) << streamOfA.substr(0, 200);
    for (std::size_t i = 1; i < numbers.size(); ++i) {
        ASSERT_EQ(numbers[i], numbers[i - 1] + 1)
            << "a message is missing after " << numbers[i - 1];
    }
    EXPECT_EQ(shortLived, "SHORT-HELLOSHORT-REPLY");
}

// A capture by PID polls the whole system rarely and looks at the process's own sockets
// often: a connection it opens during the capture is in the kernel's filter long before the
// next poll, so its first bytes are captured and named after it.
TEST_P(CaptureByMethod, AConnectionOpenedDuringAPidCaptureIsCapturedFromItsFirstMessage) {
    Children children;
    const auto sinkPort = startSink(children);
    const pid_t a = children.start([sinkPort] {
        // After the capture's first poll (at start), before its second (--interval 2).
        std::this_thread::sleep_for(2500ms);
        Fd connection = tcpConnect({core::IpAddress::v4(127, 0, 0, 1), sinkPort});
        const int one = 1;
        ::setsockopt(connection.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        // Polling every 2 s, the connection would enter the filter only about 4 s in.
        std::this_thread::sleep_for(1200ms);
        sendMessages(connection.get(), "LATE", 20ms);
    });
    const std::string file = (directory / "late.pcapng").string();
    const auto capture = runCapture({kCli, "capture", "-w", file, "--pid", std::to_string(a),
                                     "--duration", "5", "--interval", "2"});
    ASSERT_EQ(capture.exitCode, 0) << capture.err;
    expectMethodIn(file);

    std::string stream;
    for (const auto& packet : readWithTshark(file)) {
        if (packet.destinationPort == sinkPort && !packet.payload.empty()) {
            EXPECT_NE(packet.comment.find("PID " + std::to_string(a) + " "), std::string::npos)
                << packet.comment;
            stream += packet.payload;
        }
    }
    const auto numbers = messageNumbers(stream, "LATE");
    ASSERT_GT(numbers.size(), 10u) << stream.substr(0, 200);
    EXPECT_EQ(numbers.front(), 1) << "the first messages of the new connection are missing";
    for (std::size_t i = 1; i < numbers.size(); ++i) {
        ASSERT_EQ(numbers[i], numbers[i - 1] + 1)
            << "a message is missing after " << numbers[i - 1];
    }
}

TEST_P(CaptureByMethod, StandardOutputPipesIntoTshark) {
    Children children;
    const auto sinkPort = startSink(children);
    const pid_t sender = startSender(children, sinkPort, "PIPE");
    std::this_thread::sleep_for(300ms);

    int pipeFds[2];
    ASSERT_EQ(::pipe(pipeFds), 0);
    const std::string tsharkOut = (directory / "tshark.txt").string();
    const pid_t cli = forkChild([&] {
        ::dup2(pipeFds[1], STDOUT_FILENO);
        ::close(pipeFds[0]);
        ::close(pipeFds[1]);
        const std::string pid = std::to_string(sender);
        ::execl(kCli.c_str(), kCli.c_str(), "capture", "--sensor", GetParam().c_str(), "-w", "-",
                "--pid", pid.c_str(), "--duration", "2", static_cast<char*>(nullptr));
        ::_exit(127);
    });
    const pid_t tshark = forkChild([&] {
        ::dup2(pipeFds[0], STDIN_FILENO);
        const int out = ::open(tsharkOut.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(out, STDOUT_FILENO);
        ::close(pipeFds[0]);
        ::close(pipeFds[1]);
        std::vector<std::string> args{"tshark", "-r", "-"};
        args.insert(args.end(), kTsharkFields.begin(), kTsharkFields.end());
        std::vector<char*> argv;
        for (auto& arg : args) {
            argv.push_back(arg.data());
        }
        argv.push_back(nullptr);
        ::execvp("tshark", argv.data());
        ::_exit(127);
    });
    ::close(pipeFds[0]);
    ::close(pipeFds[1]);
    int cliStatus = 0;
    int tsharkStatus = 0;
    ASSERT_EQ(::waitpid(cli, &cliStatus, 0), cli);
    ASSERT_EQ(::waitpid(tshark, &tsharkStatus, 0), tshark);
    EXPECT_EQ(cliStatus, 0);
    EXPECT_EQ(tsharkStatus, 0);
    const auto packets = parseTsharkFields(readFile(tsharkOut));
    ASSERT_GT(packets.size(), 20u);
    std::string stream;
    for (const auto& packet : packets) {
        EXPECT_NE(packet.comment.find("PID " + std::to_string(sender) + " "), std::string::npos);
        stream += packet.destinationPort == sinkPort ? packet.payload : "";
    }
    EXPECT_GT(messageNumbers(stream, "PIPE").size(), 20u);
}

TEST_P(CaptureByMethod, ASizeLimitStopsAtTheLimitWithAReadableFile) {
    Children children;
    const auto sinkPort = startSink(children);
    // Fast enough to pass 1 MB within seconds.
    children.start([sinkPort] {
        Fd connection = tcpConnect({core::IpAddress::v4(127, 0, 0, 1), sinkPort});
        const std::string chunk(1000, 'x');
        for (int i = 0; i < 100'000; ++i) {
            if (::send(connection.get(), chunk.data(), chunk.size(), MSG_NOSIGNAL) < 0) {
                return;
            }
            std::this_thread::sleep_for(100us);
        }
    });
    const std::string file = (directory / "limited.pcapng").string();
    const auto capture =
        runCapture({kCli, "capture", "-w", file, "--port", std::to_string(sinkPort), "--max-size",
                    "1", "--duration", "30"});
    ASSERT_EQ(capture.exitCode, 0) << capture.err;
    EXPECT_NE(capture.err.find("the size limit was reached"), std::string::npos) << capture.err;
    const auto size = std::filesystem::file_size(file);
    EXPECT_LE(size, 1'000'000u);
    EXPECT_GT(size, 900'000u);
    expectMethodIn(file);
    EXPECT_GT(readWithTshark(file).size(), 10u);
    const auto read = core::pcapng::readFile(readFile(file));
    EXPECT_EQ(read.error, "");
    ASSERT_FALSE(read.statistics.empty());
    EXPECT_NE(read.statistics[0].comments.at(0).find("the size limit was reached"),
              std::string::npos);
}

TEST_P(CaptureByMethod, AFullDiskStopsTheCaptureAndLeavesAReadableFileWithAClosingNote) {
    tmpfs = (directory / "small").string();
    std::filesystem::create_directories(tmpfs);
    ASSERT_EQ(::mount("tmpfs", tmpfs.c_str(), "tmpfs", 0, "size=1m"), 0) << std::strerror(errno);
    Children children;
    const auto sinkPort = startSink(children);
    children.start([sinkPort] {
        Fd connection = tcpConnect({core::IpAddress::v4(127, 0, 0, 1), sinkPort});
        const std::string chunk(700, 'y');
        for (int i = 0; i < 100'000; ++i) {
            if (::send(connection.get(), chunk.data(), chunk.size(), MSG_NOSIGNAL) < 0) {
                return;
            }
            std::this_thread::sleep_for(200us);
        }
    });
    const std::string file = tmpfs + "/full.pcapng";
    const auto capture = runCapture(
        {kCli, "capture", "-w", file, "--port", std::to_string(sinkPort), "--duration", "30"});
    EXPECT_EQ(capture.exitCode, 1) << capture.err;
    EXPECT_NE(capture.err.find("No space left on device"), std::string::npos) << capture.err;
    // Loopback segments grow to 64 KB when the reader lags, so the count varies with load.
    const auto packets = readWithTshark(file);
    EXPECT_GT(packets.size(), 10u);
    const auto read = core::pcapng::readFile(readFile(file));
    EXPECT_EQ(read.error, "");
    ASSERT_FALSE(read.statistics.empty());
    EXPECT_NE(read.statistics[0].comments.at(0).find("No space left on device"), std::string::npos);
}

TEST_F(Capture, CtrlCEndsWithACompleteFile) {
    const std::string file = (directory / "interrupted.pcapng").string();
    const pid_t cli = startChild({kCli, "capture", "-w", file, "--interfaces", "lo"});
    Children children;
    const auto sinkPort = startSink(children);
    startSender(children, sinkPort, "CTRL");
    std::this_thread::sleep_for(2s);
    ASSERT_EQ(::kill(cli, SIGINT), 0);
    ASSERT_TRUE(waitChildExit(cli, 10s));
    const auto packets = readWithTshark(file);
    EXPECT_GT(packets.size(), 10u);
    const auto read = core::pcapng::readFile(readFile(file));
    EXPECT_EQ(read.error, "");
    ASSERT_EQ(read.interfaces.size(), 1u);
    EXPECT_EQ(read.interfaces[0].name, "lo");
    ASSERT_EQ(read.statistics.size(), 1u);
    EXPECT_NE(read.statistics[0].comments.at(0).find("stopped"), std::string::npos);
}

// Only a capture by socket sees a process's connection that opens and closes between two
// polls on its own initiative, and a new socket's first datagram: the kernel selects each
// socket the process creates, and the packet names the process.
TEST_P(CaptureByMethod, AProcesssShortLivedConnectionAndFirstDatagramAreCapturedBySocket) {
    if (GetParam() != "bpf") {
        GTEST_SKIP() << "from the interfaces, a connection no poll saw is not in the filter";
    }
    Children children;
    const auto sinkPort = startSink(children);
    Fd receiver = udpSocket("127.0.0.1");
    const auto datagramPort = localEndpoint(receiver.get()).port;
    const pid_t a = children.start([sinkPort, datagramPort, &receiver] {
        receiver.reset(); // the test's socket, not the process's
        // Well after the capture's first poll, long before its second (--interval 10).
        std::this_thread::sleep_for(1500ms);
        {
            Fd connection = tcpConnect({core::IpAddress::v4(127, 0, 0, 1), sinkPort});
            (void)!::send(connection.get(), "SHORT-LIVED-OUT", 15, MSG_NOSIGNAL);
        }
        Fd datagram = udpSocket("127.0.0.1");
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(datagramPort);
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        (void)!::sendto(datagram.get(), "FIRST-DATAGRAM", 14, 0, reinterpret_cast<sockaddr*>(&to),
                        sizeof to);
        std::this_thread::sleep_for(10s);
    });
    const std::string file = (directory / "short.pcapng").string();
    const auto capture = runCapture({kCli, "capture", "-w", file, "--pid", std::to_string(a),
                                     "--duration", "3", "--interval", "10"});
    ASSERT_EQ(capture.exitCode, 0) << capture.err;
    expectMethodIn(file);
    const auto read = core::pcapng::readFile(readFile(file));
    ASSERT_EQ(read.error, "");
    // The process is named in full although no poll listed it with a socket.
    const std::string named = "PID " + std::to_string(a) + " (started ";
    bool sawConnection = false;
    bool sawDatagram = false;
    for (const auto& packet : read.packets) {
        ASSERT_FALSE(packet.comments.empty());
        EXPECT_EQ(packet.comments[0].rfind(named, 0), 0u) << packet.comments[0];
        sawConnection |= packet.data.find("SHORT-LIVED-OUT") != std::string::npos;
        if (packet.data.find("FIRST-DATAGRAM") != std::string::npos) {
            sawDatagram = true;
            EXPECT_NE(packet.comments[0].find(": sent"), std::string::npos) << packet.comments[0];
        }
    }
    EXPECT_TRUE(sawConnection);
    EXPECT_TRUE(sawDatagram);
    const auto tshark = readWithTshark(file);
    EXPECT_EQ(tshark.size(), read.packets.size());
}

// Between two captured processes of this host, the kernel hands a packet over twice, as one
// sends it and as the other receives it; the file holds it once, naming both.
TEST_P(CaptureByMethod, APacketBetweenTwoCapturedProcessesIsWrittenOnceNamingBoth) {
    Children children;
    int portPipe[2];
    ASSERT_EQ(::pipe(portPipe), 0);
    const pid_t sink = children.start([&] {
        Fd listener = tcpListener("127.0.0.1");
        const auto port = localEndpoint(listener.get()).port;
        (void)!::write(portPipe[1], &port, sizeof port);
        Fd connection = acceptOne(listener.get());
        drain(connection.get());
    });
    std::uint16_t sinkPort = 0;
    ASSERT_EQ(::read(portPipe[0], &sinkPort, sizeof sinkPort),
              static_cast<ssize_t>(sizeof sinkPort));
    ::close(portPipe[0]);
    ::close(portPipe[1]);
    const pid_t sender = startSender(children, sinkPort, "BOTH");
    std::this_thread::sleep_for(300ms);
    const std::string file = (directory / "both.pcapng").string();
    const auto capture =
        runCapture({kCli, "capture", "-w", file, "--pid", std::to_string(sender), "--pid",
                    std::to_string(sink), "--duration", "2", "--interval", "1"});
    ASSERT_EQ(capture.exitCode, 0) << capture.err;
    expectMethodIn(file);
    std::map<int, int> copies; // message number -> packets that carry it
    for (const auto& packet : readWithTshark(file)) {
        if (packet.payload.empty()) {
            continue;
        }
        EXPECT_NE(packet.comment.find("PID " + std::to_string(sender) + " "), std::string::npos)
            << packet.comment;
        EXPECT_NE(packet.comment.find("PID " + std::to_string(sink) + " "), std::string::npos)
            << packet.comment;
        for (const int number : messageNumbers(packet.payload, "BOTH")) {
            ++copies[number];
        }
    }
    ASSERT_GT(copies.size(), 20u);
    for (const auto& [number, count] : copies) {
        EXPECT_EQ(count, 1) << "message " << number;
    }
}

// Until the selected processes have a connection, the kernel filter must pass nothing; libpcap
// refuses an expression it can prove empty, and a refused filter would capture everything.
TEST(CaptureFilter, TheFilterOfNoConnectionCompiles) {
    EXPECT_EQ(platform::captureFilterProblem(core::PacketAttributor::kNothing), "");
    EXPECT_NE(platform::captureFilterProblem("tcp and not tcp"), "");
    EXPECT_NE(platform::captureFilterProblem("port nonsense"), "");
}

TEST_F(Capture, RefusesALinkABadFilterAndAMissingFile) {
    const std::string target = (directory / "target").string();
    std::ofstream(target) << "keep";
    const std::string link = (directory / "link.pcapng").string();
    std::filesystem::create_symlink(target, link);
    const auto throughLink = runProgram({kCli, "capture", "-w", link, "--duration", "1"});
    EXPECT_EQ(throughLink.exitCode, 1);
    EXPECT_NE(throughLink.err.find("symbolic link"), std::string::npos) << throughLink.err;
    EXPECT_EQ(readFile(target), "keep");

    const auto badFilter = runProgram(
        {kCli, "capture", "-w", (directory / "x").string(), "--filter", "port nonsense"});
    EXPECT_EQ(badFilter.exitCode, 2);
    EXPECT_NE(badFilter.err.find("--filter:"), std::string::npos) << badFilter.err;
    EXPECT_FALSE(std::filesystem::exists(directory / "x"));

    const auto noFile = runProgram({kCli, "capture", "--duration", "1"});
    EXPECT_EQ(noFile.exitCode, 2);
    EXPECT_NE(noFile.err.find("-w FILE"), std::string::npos);
}

} // namespace
