// Reading the live socket tables: the buffer that grows while the table grows, and both ways of
// listing TCP (the owner tables, and the basic tables used under Wine).

#include "support/win_test_support.h"
#include "windows/socket_list.h"
#include "windows/win32.h"

#include <algorithm>
#include <cstring>
#include <gtest/gtest.h>

namespace {

using namespace portscope;
using platform::winsys::SocketLister;
using platform::winsys::TableBuffer;
using platform::winsys::TableKind;

bool contains(const std::vector<core::Socket>& sockets, core::Protocol protocol,
              const core::Endpoint& local, core::SocketState state) {
    return std::any_of(sockets.begin(), sockets.end(), [&](const core::Socket& s) {
        return s.protocol == protocol && s.local == local && s.state == state;
    });
}

std::size_t tcpSocketsOnThisMachine() {
    TableBuffer buffer;
    if (buffer.fill(TableKind::Tcp4Basic) != NO_ERROR) {
        return 0;
    }
    std::vector<core::Socket> sockets;
    platform::winsys::parseSocketTable(buffer.bytes(), TableKind::Tcp4Basic, sockets);
    return sockets.size();
}

TEST(TableBuffer, GrowsFromNothingToTheWholeTable) {
    TableBuffer buffer;
    EXPECT_TRUE(buffer.bytes().empty());
    ASSERT_EQ(buffer.fill(TableKind::Tcp4Basic), static_cast<DWORD>(NO_ERROR));
    EXPECT_GE(buffer.attemptsUsed(), 2) << "the first call only asks for the size";
    EXPECT_LE(buffer.attemptsUsed(), TableBuffer::kMaxAttempts);
    std::vector<core::Socket> sockets;
    EXPECT_TRUE(
        platform::winsys::parseSocketTable(buffer.bytes(), TableKind::Tcp4Basic, sockets).ok());
    // A second fill reuses the buffer, which has head room.
    ASSERT_EQ(buffer.fill(TableKind::Tcp4Basic), static_cast<DWORD>(NO_ERROR));
    EXPECT_EQ(buffer.attemptsUsed(), 1);
}

TEST(TableBuffer, KeepsUpWithATableThatGrowsBetweenCalls) {
    // Each call finds 100 more bytes of table than the buffer it was given can hold, as when
    // sockets open faster than the caller reallocates.
    TableBuffer buffer;
    std::vector<DWORD> offered;
    DWORD tableSize = 40;
    const auto growing = [&](void* data, DWORD* size) -> DWORD {
        offered.push_back(*size);
        if (*size < tableSize) {
            *size = tableSize;
            tableSize += 100;
            return ERROR_INSUFFICIENT_BUFFER;
        }
        std::memset(data, 0, tableSize);
        return NO_ERROR;
    };
    ASSERT_EQ(buffer.fill(growing), static_cast<DWORD>(NO_ERROR));
    // The buffer got head room beyond what was asked for, so it caught up.
    EXPECT_LE(buffer.attemptsUsed(), 3);
    EXPECT_EQ(offered.front(), 0u) << "the first call only asks for the size";
    EXPECT_GE(buffer.bytes().size(), tableSize);
}

TEST(TableBuffer, GivesUpOnATableThatAlwaysOutgrowsIt) {
    TableBuffer buffer;
    int calls = 0;
    const auto runaway = [&](void*, DWORD* size) -> DWORD {
        ++calls;
        *size = *size * 4 + 4096;
        return ERROR_INSUFFICIENT_BUFFER;
    };
    EXPECT_EQ(buffer.fill(runaway), static_cast<DWORD>(ERROR_INSUFFICIENT_BUFFER));
    EXPECT_EQ(calls, TableBuffer::kMaxAttempts);
}

TEST(TableBuffer, GrowsEvenWhenTheSizeAskedForIsNoBigger) {
    // A call that says "too small" without asking for more must not loop on one size.
    TableBuffer buffer;
    std::vector<DWORD> offered;
    const auto stubborn = [&](void*, DWORD* size) -> DWORD {
        offered.push_back(*size);
        if (offered.size() < 3) {
            return ERROR_INSUFFICIENT_BUFFER; // size left as it was
        }
        return NO_ERROR;
    };
    ASSERT_EQ(buffer.fill(stubborn), static_cast<DWORD>(NO_ERROR));
    ASSERT_EQ(offered.size(), 3u);
    EXPECT_LT(offered[0], offered[1]);
    EXPECT_LT(offered[1], offered[2]);
}

TEST(TableBuffer, PassesOtherErrorsOn) {
    TableBuffer buffer;
    EXPECT_EQ(buffer.fill([](void*, DWORD*) -> DWORD { return ERROR_NOT_SUPPORTED; }),
              static_cast<DWORD>(ERROR_NOT_SUPPORTED));
    EXPECT_EQ(buffer.attemptsUsed(), 1);
}

TEST(TableBuffer, ListsManyNewConnections) {
    std::vector<wintest::ConnectedPair> pairs;
    for (int i = 0; i < 200; ++i) {
        auto pair = wintest::connectOnLoopback(AF_INET);
        ASSERT_TRUE(pair.has_value());
        pairs.push_back(std::move(*pair));
    }
    TableBuffer buffer;
    ASSERT_EQ(buffer.fill(TableKind::Tcp4Basic), static_cast<DWORD>(NO_ERROR));
    std::vector<core::Socket> sockets;
    const auto parsed =
        platform::winsys::parseSocketTable(buffer.bytes(), TableKind::Tcp4Basic, sockets);
    EXPECT_TRUE(parsed.ok()) << parsed.error;
    for (const auto& pair : pairs) {
        EXPECT_TRUE(contains(sockets, core::Protocol::Tcp,
                             {core::IpAddress::v4(127, 0, 0, 1), pair.client.localPort()},
                             core::SocketState::Established));
    }
}

void expectListsOwnSockets(SocketLister& lister) {
    auto listener = wintest::listenOnLoopback(AF_INET);
    auto udp = wintest::udpOnLoopback(AF_INET);
    ASSERT_TRUE(listener.valid() && udp.valid());
    std::vector<core::Socket> sockets;
    std::vector<std::string> problems;
    lister.list(sockets, problems);
    EXPECT_TRUE(problems.empty()) << problems.front();
    EXPECT_TRUE(contains(sockets, core::Protocol::Tcp,
                         {core::IpAddress::v4(127, 0, 0, 1), listener.localPort()},
                         core::SocketState::Listen));
    EXPECT_TRUE(contains(sockets, core::Protocol::Udp,
                         {core::IpAddress::v4(127, 0, 0, 1), udp.localPort()},
                         core::SocketState::Bound));
}

TEST(SocketLister, ListsThroughTheOwnerTables) {
    if (platform::winsys::isRunningUnderWine() && tcpSocketsOnThisMachine() > 5000) {
        GTEST_SKIP() << "Wine's owner tables take about 2 ms per socket, and this machine has "
                     << tcpSocketsOnThisMachine() << " TCP sockets";
    }
    SocketLister lister(false);
    expectListsOwnSockets(lister);
    EXPECT_TRUE(lister.usingModuleTables(core::Protocol::Tcp));
    EXPECT_TRUE(lister.usingModuleTables(core::Protocol::Udp));
}

TEST(SocketLister, ListsThroughTheBasicTables) {
    SocketLister lister(true);
    expectListsOwnSockets(lister);
    EXPECT_FALSE(lister.usingModuleTables(core::Protocol::Tcp));
}

TEST(SocketLister, FindsWhetherAConnectionIsOpen) {
    auto pair = wintest::connectOnLoopback(AF_INET);
    ASSERT_TRUE(pair.has_value());
    core::Socket socket;
    socket.state = core::SocketState::Established;
    socket.local = {core::IpAddress::v4(127, 0, 0, 1), pair->client.localPort()};
    socket.remote = {core::IpAddress::v4(127, 0, 0, 1), pair->listener.localPort()};
    std::string error;
    EXPECT_EQ(platform::winsys::tcpConnectionIsOpen(socket, &error), true) << error;
    pair->client.close();
    pair->server.close();
    // The side that closed first lingers in TIME_WAIT or FIN_WAIT; give it a bounded moment.
    std::optional<bool> open;
    for (int attempt = 0; attempt < 50; ++attempt) {
        open = platform::winsys::tcpConnectionIsOpen(socket, &error);
        if (open == false) {
            break;
        }
        ::Sleep(100);
    }
    EXPECT_EQ(open, false);
}

} // namespace
