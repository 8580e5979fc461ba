// /proc/net/{tcp,tcp6,udp,udp6}: captured tables, malformed ones, and the live files compared
// with the netlink dump.

#include "diag_test_support.h"
#include "linux/proc_file.h"
#include "linux/proc_net.h"
#include "linux/socket_diag.h"

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <gtest/gtest.h>

namespace portscope::platform::linuxsys {
namespace {

using namespace portscope::diagtest;
namespace fs = std::filesystem;

std::vector<core::Socket> parseFixture(const std::string& name, core::Protocol protocol,
                                       core::Family family, std::vector<std::string>& errors) {
    return parseProcNetSockets(readFixtureText(name), protocol, family, &errors);
}

void expectSceneSocketsIn(const std::vector<core::Socket>& sockets, core::Protocol protocol,
                          core::Family family) {
    std::size_t expectedCount = 0;
    for (const auto& expected : loadScene()) {
        if (expected.protocol != protocol || expected.local.address.family != family) {
            continue;
        }
        ++expectedCount;
        SCOPED_TRACE(expected.label);
        const auto* socket = findSocket(sockets, protocol, expected.local, expected.remote);
        ASSERT_NE(socket, nullptr)
            << expected.local.toString() << " -> " << expected.remote.toString();
        EXPECT_EQ(socket->state, expected.state);
        EXPECT_EQ(socket->inode, expected.inode);
        EXPECT_EQ(socket->uid, 0u);
        EXPECT_EQ(socket->cookie, 0u); // /proc/net has no cookies
        EXPECT_FALSE(socket->counters.present);
    }
    EXPECT_EQ(sockets.size(), expectedCount);
}

// The good line the malformed variants below are derived from.
constexpr std::string_view kGoodLine =
    "   0: 0100007F:1F90 0100007F:9C40 01 00000010:00000020 00:00000000 00000000  1000        0 "
    "5555 1 0000000000000000 20 4 30 10 -1";

std::string withField(std::size_t index, std::string_view replacement) {
    std::vector<std::string> fields;
    std::string field;
    for (const char c : kGoodLine) {
        if (c == ' ') {
            if (!field.empty()) {
                fields.push_back(field);
            }
            field.clear();
        } else {
            field += c;
        }
    }
    fields.push_back(field);
    fields.at(index) = replacement;
    std::string line;
    for (const auto& f : fields) {
        line += (line.empty() ? "" : " ") + f;
    }
    return line;
}

// ---------------------------------------------------------------------------------------------
// Captured tables

TEST(ProcNetCaptured, TcpTableMatchesTheScene) {
    std::vector<std::string> errors;
    const auto sockets = parseFixture("net_tcp.txt", core::Protocol::Tcp, core::Family::V4, errors);
    EXPECT_TRUE(errors.empty()) << errors.front();
    expectSceneSocketsIn(sockets, core::Protocol::Tcp, core::Family::V4);
    const auto& timeWait = sceneEntry(loadScene(), "tcp4_time_wait");
    const auto* socket = findSocket(sockets, core::Protocol::Tcp, timeWait.local, timeWait.remote);
    ASSERT_NE(socket, nullptr);
    EXPECT_EQ(socket->state, core::SocketState::TimeWait);
}

TEST(ProcNetCaptured, Tcp6TableMatchesTheSceneIncludingV4Mapped) {
    std::vector<std::string> errors;
    const auto sockets =
        parseFixture("net_tcp6.txt", core::Protocol::Tcp, core::Family::V6, errors);
    EXPECT_TRUE(errors.empty()) << errors.front();
    expectSceneSocketsIn(sockets, core::Protocol::Tcp, core::Family::V6);
    const auto& mapped = sceneEntry(loadScene(), "tcp6_dual_server");
    EXPECT_TRUE(mapped.local.address.isV4Mapped());
    EXPECT_NE(findSocket(sockets, core::Protocol::Tcp, mapped.local, mapped.remote), nullptr);
}

TEST(ProcNetCaptured, UdpTablesMatchTheScene) {
    std::vector<std::string> errors;
    const auto udp4 = parseFixture("net_udp.txt", core::Protocol::Udp, core::Family::V4, errors);
    const auto udp6 = parseFixture("net_udp6.txt", core::Protocol::Udp, core::Family::V6, errors);
    EXPECT_TRUE(errors.empty()) << errors.front();
    expectSceneSocketsIn(udp4, core::Protocol::Udp, core::Family::V4);
    expectSceneSocketsIn(udp6, core::Protocol::Udp, core::Family::V6);
    for (const auto& socket : udp4) {
        EXPECT_EQ(socket.protocol, core::Protocol::Udp);
    }
}

TEST(ProcNetCaptured, ProcAndNetlinkCapturesOfTheSameSceneAgree) {
    std::vector<std::string> errors;
    const auto fromProc =
        parseFixture("net_tcp.txt", core::Protocol::Tcp, core::Family::V4, errors);
    const auto dump = readFixtureBytes("diag_tcp4.bin");
    std::vector<core::Socket> fromNetlink;
    parseDumpMessages(dump, core::Protocol::Tcp, fromNetlink);
    ASSERT_EQ(fromProc.size(), fromNetlink.size());
    for (const auto& socket : fromProc) {
        const auto* twin =
            findSocket(fromNetlink, core::Protocol::Tcp, socket.local, socket.remote);
        ASSERT_NE(twin, nullptr) << socket.local.toString();
        EXPECT_EQ(twin->state, socket.state);
        EXPECT_EQ(twin->inode, socket.inode);
        EXPECT_EQ(twin->uid, socket.uid);
    }
}

// ---------------------------------------------------------------------------------------------
// Malformed tables

TEST(ProcNetMalformed, EveryBadLineIsSkippedAndNamed) {
    std::vector<std::string> errors;
    const auto sockets =
        parseFixture("net_tcp_malformed.txt", core::Protocol::Tcp, core::Family::V4, errors);
    ASSERT_EQ(sockets.size(), 2u);
    EXPECT_EQ(sockets[0].local, (core::Endpoint{core::IpAddress::v4(127, 0, 0, 1), 8080}));
    EXPECT_EQ(sockets[0].state, core::SocketState::Listen);
    EXPECT_EQ(sockets[0].inode, 1001u);
    EXPECT_EQ(sockets[1].remote, (core::Endpoint{core::IpAddress::v4(127, 0, 0, 1), 40000}));
    EXPECT_EQ(sockets[1].state, core::SocketState::Established);
    EXPECT_EQ(sockets[1].sendQueue, 0x10u);
    EXPECT_EQ(sockets[1].receiveQueue, 0x20u);
    EXPECT_EQ(sockets[1].uid, 1000u);
    EXPECT_EQ(sockets[1].inode, 1002u);

    // Lines 3 to 13 and 16 are broken, each for its own reason (see the fixture).
    const std::vector<std::pair<int, std::string>> expected = {
        {3, "fields"}, {4, "hexadecimal"}, {5, "port"},   {6, "port"},
        {7, "state"},  {8, "TCP state"},   {9, "queues"}, {10, "uid"},
        {11, "inode"}, {12, "slot"},       {13, "8 hex"}, {16, "port"},
    };
    ASSERT_EQ(errors.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto prefix = "line " + std::to_string(expected[i].first) + ":";
        EXPECT_TRUE(errors[i].starts_with(prefix)) << errors[i] << " (wanted " << prefix << ")";
        EXPECT_NE(errors[i].find(expected[i].second), std::string::npos) << errors[i];
    }
}

TEST(ProcNetMalformed, EmptyAndHeaderOnlyTablesHoldNothing) {
    for (const auto* name : {"net_empty.txt", "net_tcp_header_only.txt"}) {
        SCOPED_TRACE(name);
        std::vector<std::string> errors;
        EXPECT_TRUE(parseFixture(name, core::Protocol::Tcp, core::Family::V4, errors).empty());
        EXPECT_TRUE(errors.empty());
    }
}

TEST(ProcNetMalformed, TheGoodLineParses) {
    std::vector<std::string> errors;
    const auto sockets =
        parseProcNetSockets(kGoodLine, core::Protocol::Tcp, core::Family::V4, &errors);
    ASSERT_EQ(sockets.size(), 1u);
    EXPECT_TRUE(errors.empty());
    EXPECT_EQ(sockets[0].inode, 5555u);
}

TEST(ProcNetMalformed, EachBrokenFieldIsRejected) {
    const std::vector<std::pair<std::size_t, std::string>> cases = {
        {1, "0100007F"},
        {1, "0100007F:"},
        {1, ":1F90"},
        {1, "0x00007F:1F90"},
        {1, "0100007F:+1F9"},
        {1, "0100007F:1F90:1"},
        {1, "0100007F0:1F90"},
        {2, "XYZ"},
        {3, "10A"},
        {3, "-1"},
        {3, "0D"},
        {4, "00000000"},
        {4, "100000000:00000000"},
        {7, "4294967296"},
        {7, "-1"},
        {9, "18446744073709551616"},
        {9, "12a"},
    };
    for (const auto& [index, replacement] : cases) {
        const auto line = withField(index, replacement);
        SCOPED_TRACE(line);
        std::vector<std::string> errors;
        const auto sockets =
            parseProcNetSockets(line, core::Protocol::Tcp, core::Family::V4, &errors);
        EXPECT_TRUE(sockets.empty());
        ASSERT_EQ(errors.size(), 1u);
        EXPECT_TRUE(errors[0].starts_with("line 1:")) << errors[0];
    }
}

TEST(ProcNetMalformed, Ipv6TableRejectsShortAddresses) {
    std::vector<std::string> errors;
    const auto sockets =
        parseProcNetSockets(kGoodLine, core::Protocol::Tcp, core::Family::V6, &errors);
    EXPECT_TRUE(sockets.empty());
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("32 hex"), std::string::npos) << errors[0];
}

TEST(ProcNetMalformed, HugeLineIsRejectedAndTheNextLineStillParses) {
    std::string text(2 * 1024 * 1024, 'A');
    text += "\n";
    text += kGoodLine;
    std::vector<std::string> errors;
    const auto sockets = parseProcNetSockets(text, core::Protocol::Tcp, core::Family::V4, &errors);
    ASSERT_EQ(sockets.size(), 1u);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_LT(errors[0].size(), 200u) << "the message quotes only the start of the line";
}

TEST(ProcNetMalformed, HugeFieldCountIsNotAProblem) {
    std::string line(kGoodLine);
    for (int i = 0; i < 100000; ++i) {
        line += " 0";
    }
    std::vector<std::string> errors;
    const auto sockets = parseProcNetSockets(line, core::Protocol::Tcp, core::Family::V4, &errors);
    EXPECT_EQ(sockets.size(), 1u);
    EXPECT_TRUE(errors.empty());
}

TEST(ProcNetMalformed, ControlCharactersAreNotCopiedIntoMessages) {
    const std::string line = std::string("   0: \x01\x02\x1b[31m\xff:1F90 ") + "x";
    std::vector<std::string> errors;
    parseProcNetSockets(line, core::Protocol::Tcp, core::Family::V4, &errors);
    ASSERT_EQ(errors.size(), 1u);
    for (const char c : errors[0]) {
        EXPECT_TRUE(c >= 0x20 && c < 0x7f) << int(static_cast<unsigned char>(c));
    }
}

TEST(ProcNetMalformed, WindowsLineEndingsAndMissingFinalNewlineAreFine) {
    const std::string text = std::string(kGoodLine) + "\r\n" + std::string(kGoodLine);
    std::vector<std::string> errors;
    const auto sockets = parseProcNetSockets(text, core::Protocol::Tcp, core::Family::V4, &errors);
    EXPECT_EQ(sockets.size(), 2u);
    EXPECT_TRUE(errors.empty()) << errors.front();
}

TEST(ProcNetMalformed, AFloodOfBadLinesIsSummarised) {
    std::string text;
    for (int i = 0; i < 10000; ++i) {
        text += "garbage\n";
    }
    std::vector<std::string> errors;
    EXPECT_TRUE(parseProcNetSockets(text, core::Protocol::Tcp, core::Family::V4, &errors).empty());
    ASSERT_LE(errors.size(), 51u);
    EXPECT_NE(errors.back().find("9950 more"), std::string::npos) << errors.back();
    // Without an error list nothing is collected, and nothing breaks.
    EXPECT_TRUE(parseProcNetSockets(text, core::Protocol::Tcp, core::Family::V4, nullptr).empty());
}

TEST(ProcNetMalformed, UdpStatesMapToBoundOrEstablished) {
    const auto close = withField(3, "07");
    const auto connected = withField(3, "01");
    const auto sockets = parseProcNetSockets(close + "\n" + connected, core::Protocol::Udp,
                                             core::Family::V4, nullptr);
    ASSERT_EQ(sockets.size(), 2u);
    EXPECT_EQ(sockets[0].state, core::SocketState::Bound);
    EXPECT_EQ(sockets[1].state, core::SocketState::Established);
}

// ---------------------------------------------------------------------------------------------
// Reading files

class ProcRootTest : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() /
                ("portscope-procnet-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(root_ / "net");
    }
    void TearDown() override {
        std::error_code ignored;
        fs::remove_all(root_, ignored);
    }
    void copyFixture(const std::string& fixture, const std::string& as) {
        fs::copy_file(fixturePath(fixture), root_ / "net" / as);
    }
    fs::path root_;
};

TEST_F(ProcRootTest, ReadsAllFourTables) {
    copyFixture("net_tcp.txt", "tcp");
    copyFixture("net_tcp6.txt", "tcp6");
    copyFixture("net_udp.txt", "udp");
    copyFixture("net_udp6.txt", "udp6");
    std::vector<std::string> errors;
    const auto sockets = readProcNetSockets(root_.string(), &errors);
    EXPECT_TRUE(errors.empty()) << errors.front();
    EXPECT_EQ(sockets.size(), loadScene().size());
    for (const auto& expected : loadScene()) {
        EXPECT_NE(findSocket(sockets, expected.protocol, expected.local, expected.remote), nullptr)
            << expected.label;
    }
}

TEST_F(ProcRootTest, MissingTablesAreReportedAndTheRestRead) {
    copyFixture("net_tcp_malformed.txt", "tcp");
    copyFixture("net_udp.txt", "udp");
    std::vector<std::string> errors;
    const auto sockets = readProcNetSockets(root_.string(), &errors);
    // The malformed table's two good lines and the scene's two IPv4 UDP sockets.
    EXPECT_EQ(sockets.size(), 4u);
    const auto mentions = [&](const std::string& text) {
        return std::count_if(errors.begin(), errors.end(), [&](const std::string& e) {
            return e.find(text) != std::string::npos;
        });
    };
    EXPECT_EQ(mentions("net/tcp6"), 1);
    EXPECT_EQ(mentions("net/udp6"), 1);
    EXPECT_EQ(mentions("net/tcp line"), 12);
    EXPECT_EQ(mentions("No such file"), 2);
}

TEST(ProcNetRead, MissingFileIsAnErrorNotACrash) {
    std::string contents = "stale";
    const std::string path = "/nonexistent/portscope/net/tcp";
    const int error = readProcFile(path, contents);
    EXPECT_EQ(error, ENOENT);
    EXPECT_TRUE(contents.empty());
    const std::string message = procFileError(path, error);
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find("No such file"), std::string::npos) << message;
}

TEST(ProcNetRead, ADirectoryIsAReadErrorWithNothingRead) {
    std::string contents = "stale";
    EXPECT_EQ(readProcFile("/proc/self", contents), EISDIR);
    EXPECT_TRUE(contents.empty());
}

TEST(ProcNetRead, ReadsFilesLargerThanOneChunk) {
    const auto path = fs::temp_directory_path() / ("portscope-big-" + std::to_string(::getpid()));
    std::string big;
    while (big.size() < 700 * 1024) {
        big += std::string(kGoodLine) + "\n";
    }
    {
        std::ofstream out(path, std::ios::binary);
        out << big;
    }
    std::string contents;
    EXPECT_EQ(readProcFile(path.string(), contents), 0);
    EXPECT_EQ(contents, big);
    // The cap is exact, also when it falls inside a read.
    EXPECT_EQ(readProcFile(path.string(), contents, 5000), 0);
    EXPECT_EQ(contents, big.substr(0, 5000));
    fs::remove(path);
}

// ---------------------------------------------------------------------------------------------
// Live

TEST(ProcNetLive, ListenerInProcMatchesTheNetlinkDump) {
    const auto listener = tcpListener(core::Family::V4);
    const auto local = localEndpoint(listener.get());
    const core::Endpoint any{core::IpAddress::v4(0, 0, 0, 0), 0};

    std::string text;
    ASSERT_EQ(readProcFile("/proc/net/tcp", text), 0);
    std::string error;
    std::vector<std::string> errors;
    const auto fromProc = parseProcNetSockets(text, core::Protocol::Tcp, core::Family::V4, &errors);
    EXPECT_TRUE(errors.empty()) << errors.front();

    auto diag = SockDiagSocket::open(&error);
    ASSERT_TRUE(diag.has_value()) << error;
    std::vector<core::Socket> fromNetlink;
    ASSERT_TRUE(diag->dump(core::Protocol::Tcp, core::Family::V4, fromNetlink, &error)) << error;

    const auto* proc = findSocket(fromProc, core::Protocol::Tcp, local, any);
    const auto* netlink = findSocket(fromNetlink, core::Protocol::Tcp, local, any);
    ASSERT_NE(proc, nullptr);
    ASSERT_NE(netlink, nullptr);
    EXPECT_EQ(proc->state, core::SocketState::Listen);
    EXPECT_EQ(proc->state, netlink->state);
    EXPECT_EQ(proc->inode, socketInode(listener.get()));
    EXPECT_EQ(proc->inode, netlink->inode);
    EXPECT_EQ(proc->uid, netlink->uid);
    EXPECT_EQ(proc->uid, ::geteuid());
}

TEST(ProcNetLive, ReaderFindsSocketsOfEveryTable) {
    const auto tcp4 = tcpListener(core::Family::V4);
    const auto tcp6 = tcpListener(core::Family::V6);
    const auto udp4 = boundSocket(core::Family::V4, SOCK_DGRAM);
    const auto udp6 = boundSocket(core::Family::V6, SOCK_DGRAM);
    std::vector<std::string> errors;
    // /proc/self names this process's network namespace, the same as /proc here.
    const auto sockets = readProcNetSockets("/proc/self", &errors);
    EXPECT_TRUE(errors.empty()) << errors.front();
    for (const auto* fd : {&tcp4, &tcp6, &udp4, &udp6}) {
        const auto inode = socketInode(fd->get());
        const auto found = std::find_if(sockets.begin(), sockets.end(),
                                        [&](const auto& s) { return s.inode == inode; });
        ASSERT_NE(found, sockets.end()) << localEndpoint(fd->get()).toString();
        EXPECT_EQ(found->local, localEndpoint(fd->get()));
    }
}

} // namespace
} // namespace portscope::platform::linuxsys
