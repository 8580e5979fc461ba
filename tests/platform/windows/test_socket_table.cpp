// The socket table parsers, fed synthetic tables built from the SDK's own structures, tables
// captured from GetExtendedTcpTable/GetExtendedUdpTable (under Wine 8, see fixtures/README.md),
// and damaged buffers.

#include "support/win_test_support.h"
#include "windows/socket_list.h"
#include "windows/socket_table.h"

// clang-format off
#include <winsock2.h>
#include <ws2ipdef.h>
#include <iphlpapi.h>
// clang-format on

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

namespace {

using namespace portscope;
using platform::winsys::parseSocketTable;
using platform::winsys::TableKind;

template <typename Table, typename Row>
std::vector<std::uint8_t> tableBytes(const std::vector<Row>& rows, DWORD declared) {
    std::vector<std::uint8_t> bytes(offsetof(Table, table) + rows.size() * sizeof(Row));
    std::memcpy(bytes.data(), &declared, sizeof declared);
    if (!rows.empty()) {
        std::memcpy(bytes.data() + offsetof(Table, table), rows.data(), rows.size() * sizeof(Row));
    }
    return bytes;
}

template <typename Table, typename Row>
std::vector<std::uint8_t> tableBytes(const std::vector<Row>& rows) {
    return tableBytes<Table>(rows, static_cast<DWORD>(rows.size()));
}

DWORD v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    const std::uint8_t bytes[4] = {a, b, c, d};
    DWORD value = 0;
    std::memcpy(&value, bytes, sizeof value);
    return value;
}

// Windows documents the high 16 bits of the port DWORDs as undefined: fill them with noise.
DWORD port(std::uint16_t value) {
    return htons(value) | 0xBEEF0000u;
}

void setV6(UCHAR (&field)[16], const char* text) {
    const auto address = core::IpAddress::parse(text);
    ASSERT_TRUE(address.has_value()) << text;
    std::memcpy(field, address->bytes.data(), 16);
}

core::Endpoint endpoint(const char* address, std::uint16_t portNumber) {
    return {*core::IpAddress::parse(address), portNumber};
}

TEST(SocketTable, MapsEveryMibTcpState) {
    using core::SocketState;
    const std::pair<DWORD, SocketState> expected[] = {
        {MIB_TCP_STATE_CLOSED, SocketState::Close},
        {MIB_TCP_STATE_LISTEN, SocketState::Listen},
        {MIB_TCP_STATE_SYN_SENT, SocketState::SynSent},
        {MIB_TCP_STATE_SYN_RCVD, SocketState::SynRecv},
        {MIB_TCP_STATE_ESTAB, SocketState::Established},
        {MIB_TCP_STATE_FIN_WAIT1, SocketState::FinWait1},
        {MIB_TCP_STATE_FIN_WAIT2, SocketState::FinWait2},
        {MIB_TCP_STATE_CLOSE_WAIT, SocketState::CloseWait},
        {MIB_TCP_STATE_CLOSING, SocketState::Closing},
        {MIB_TCP_STATE_LAST_ACK, SocketState::LastAck},
        {MIB_TCP_STATE_TIME_WAIT, SocketState::TimeWait},
        {MIB_TCP_STATE_DELETE_TCB, SocketState::Close},
    };
    for (const auto& [mib, state] : expected) {
        MIB_TCPROW_OWNER_PID row{};
        row.dwState = mib;
        row.dwLocalAddr = v4(127, 0, 0, 1);
        row.dwLocalPort = port(1000);
        std::vector<core::Socket> sockets;
        const auto bytes = tableBytes<MIB_TCPTABLE_OWNER_PID>(std::vector{row});
        ASSERT_TRUE(parseSocketTable(bytes, TableKind::Tcp4OwnerPid, sockets).ok());
        ASSERT_EQ(sockets.size(), 1u);
        EXPECT_EQ(sockets[0].state, state) << "MIB state " << mib;
        EXPECT_EQ(platform::winsys::socketStateFromMib(mib), state);
        if (mib != MIB_TCP_STATE_DELETE_TCB) {
            // Every state a table can report goes back to the same number for SetTcpEntry/EStats.
            EXPECT_EQ(platform::winsys::mibStateOf(state), mib);
        }
    }
    for (const std::uint32_t undefined : {0u, 13u, 100u, 0xFFFFFFFFu}) {
        EXPECT_EQ(platform::winsys::socketStateFromMib(undefined), SocketState::Unknown)
            << undefined;
    }
    EXPECT_EQ(platform::winsys::mibStateOf(SocketState::NewSynRecv), 4u);
    EXPECT_EQ(platform::winsys::mibStateOf(SocketState::Bound), 0u);
    EXPECT_EQ(platform::winsys::mibStateOf(SocketState::Unknown), 0u);
}

TEST(SocketTable, ReadsTcp4OwnerPidRows) {
    MIB_TCPROW_OWNER_PID listener{};
    listener.dwState = MIB_TCP_STATE_LISTEN;
    listener.dwLocalAddr = v4(0, 0, 0, 0);
    listener.dwLocalPort = port(445);
    listener.dwOwningPid = 4;
    MIB_TCPROW_OWNER_PID established{};
    established.dwState = MIB_TCP_STATE_ESTAB;
    established.dwLocalAddr = v4(10, 0, 0, 5);
    established.dwLocalPort = port(51234);
    established.dwRemoteAddr = v4(93, 184, 216, 34);
    established.dwRemotePort = port(443);
    established.dwOwningPid = 7312;

    std::vector<core::Socket> sockets;
    const auto bytes = tableBytes<MIB_TCPTABLE_OWNER_PID>(std::vector{listener, established});
    const auto result = parseSocketTable(bytes, TableKind::Tcp4OwnerPid, sockets);
    ASSERT_TRUE(result.ok()) << result.error;
    EXPECT_EQ(result.rowsDeclared, 2u);
    EXPECT_EQ(result.rowsParsed, 2u);
    ASSERT_EQ(sockets.size(), 2u);

    EXPECT_EQ(sockets[0].protocol, core::Protocol::Tcp);
    EXPECT_EQ(sockets[0].state, core::SocketState::Listen);
    EXPECT_EQ(sockets[0].local, endpoint("0.0.0.0", 445));
    EXPECT_EQ(sockets[0].remote, endpoint("0.0.0.0", 0));
    EXPECT_EQ(sockets[0].owner.pid, 4);
    EXPECT_EQ(sockets[0].cookie, 0u) << "PID tables carry no creation time";

    EXPECT_EQ(sockets[1].state, core::SocketState::Established);
    EXPECT_EQ(sockets[1].local, endpoint("10.0.0.5", 51234));
    EXPECT_EQ(sockets[1].remote, endpoint("93.184.216.34", 443));
    EXPECT_EQ(sockets[1].owner.pid, 7312);
    EXPECT_EQ(sockets[1].owner.startTime, 0u);
    EXPECT_EQ(sockets[1].ownerStatus, core::OwnerStatus::NotResolved);
    EXPECT_FALSE(sockets[1].counters.present);
}

TEST(SocketTable, ReadsTcp4OwnerModuleRowsWithCreationTime) {
    MIB_TCPROW_OWNER_MODULE row{};
    row.dwState = MIB_TCP_STATE_CLOSE_WAIT;
    row.dwLocalAddr = v4(192, 168, 1, 20);
    row.dwLocalPort = port(50000);
    row.dwRemoteAddr = v4(192, 168, 1, 1);
    row.dwRemotePort = port(80);
    row.dwOwningPid = 999;
    row.liCreateTimestamp.QuadPart = 133000000000000000LL;
    std::fill(std::begin(row.OwningModuleInfo), std::end(row.OwningModuleInfo), ~0ULL);

    std::vector<core::Socket> sockets;
    const auto bytes = tableBytes<MIB_TCPTABLE_OWNER_MODULE>(std::vector{row, row});
    ASSERT_TRUE(parseSocketTable(bytes, TableKind::Tcp4OwnerModule, sockets).ok());
    ASSERT_EQ(sockets.size(), 2u);
    EXPECT_EQ(sockets[1].state, core::SocketState::CloseWait);
    EXPECT_EQ(sockets[1].local, endpoint("192.168.1.20", 50000));
    EXPECT_EQ(sockets[1].remote, endpoint("192.168.1.1", 80));
    EXPECT_EQ(sockets[1].owner.pid, 999);
    EXPECT_EQ(sockets[1].cookie, 133000000000000000ULL);
}

TEST(SocketTable, ReadsTcp6RowsWithScope) {
    MIB_TCP6ROW_OWNER_PID pidRow{};
    setV6(pidRow.ucLocalAddr, "fe80::1");
    pidRow.dwLocalScopeId = 7;
    pidRow.dwLocalPort = port(22);
    setV6(pidRow.ucRemoteAddr, "fe80::abcd:1");
    pidRow.dwRemoteScopeId = 7;
    pidRow.dwRemotePort = port(60001);
    pidRow.dwState = MIB_TCP_STATE_FIN_WAIT2;
    pidRow.dwOwningPid = 1500;

    std::vector<core::Socket> sockets;
    auto bytes = tableBytes<MIB_TCP6TABLE_OWNER_PID>(std::vector{pidRow});
    ASSERT_TRUE(parseSocketTable(bytes, TableKind::Tcp6OwnerPid, sockets).ok());

    MIB_TCP6ROW_OWNER_MODULE moduleRow{};
    setV6(moduleRow.ucLocalAddr, "2001:db8::10");
    moduleRow.dwLocalPort = port(8443);
    setV6(moduleRow.ucRemoteAddr, "::ffff:192.0.2.9");
    moduleRow.dwRemotePort = port(40000);
    moduleRow.dwState = MIB_TCP_STATE_SYN_RCVD;
    moduleRow.dwOwningPid = 1600;
    moduleRow.liCreateTimestamp.QuadPart = 42;
    bytes = tableBytes<MIB_TCP6TABLE_OWNER_MODULE>(std::vector{moduleRow});
    ASSERT_TRUE(parseSocketTable(bytes, TableKind::Tcp6OwnerModule, sockets).ok());

    ASSERT_EQ(sockets.size(), 2u) << "the second table is appended to the first";
    EXPECT_EQ(sockets[0].family(), core::Family::V6);
    EXPECT_EQ(sockets[0].local, endpoint("fe80::1", 22));
    EXPECT_EQ(sockets[0].remote, endpoint("fe80::abcd:1", 60001));
    EXPECT_EQ(sockets[0].interfaceIndex, 7u);
    EXPECT_EQ(sockets[0].state, core::SocketState::FinWait2);
    EXPECT_EQ(sockets[0].owner.pid, 1500);

    EXPECT_EQ(sockets[1].local, endpoint("2001:db8::10", 8443));
    EXPECT_EQ(sockets[1].remote, endpoint("::ffff:192.0.2.9", 40000));
    EXPECT_TRUE(sockets[1].remote.address.isV4Mapped());
    EXPECT_EQ(sockets[1].state, core::SocketState::SynRecv);
    EXPECT_EQ(sockets[1].owner.pid, 1600);
    EXPECT_EQ(sockets[1].cookie, 42u);
}

TEST(SocketTable, ReadsUdpRowsOfBothFamiliesAndClasses) {
    MIB_UDPROW_OWNER_PID udp4{};
    udp4.dwLocalAddr = v4(127, 0, 0, 1);
    udp4.dwLocalPort = port(53);
    udp4.dwOwningPid = 2000;
    MIB_UDPROW_OWNER_MODULE udp4Module{};
    udp4Module.dwLocalAddr = v4(0, 0, 0, 0);
    udp4Module.dwLocalPort = port(5353);
    udp4Module.dwOwningPid = 2001;
    udp4Module.liCreateTimestamp.QuadPart = 77;
    udp4Module.dwFlags = 1;
    MIB_UDP6ROW_OWNER_PID udp6{};
    setV6(udp6.ucLocalAddr, "::1");
    udp6.dwLocalPort = port(123);
    udp6.dwOwningPid = 2002;
    MIB_UDP6ROW_OWNER_MODULE udp6Module{};
    setV6(udp6Module.ucLocalAddr, "fe80::2");
    udp6Module.dwLocalScopeId = 3;
    udp6Module.dwLocalPort = port(546);
    udp6Module.dwOwningPid = 2003;
    udp6Module.liCreateTimestamp.QuadPart = 78;

    std::vector<core::Socket> sockets;
    ASSERT_TRUE(parseSocketTable(tableBytes<MIB_UDPTABLE_OWNER_PID>(std::vector{udp4}),
                                 TableKind::Udp4OwnerPid, sockets)
                    .ok());
    ASSERT_TRUE(parseSocketTable(tableBytes<MIB_UDPTABLE_OWNER_MODULE>(std::vector{udp4Module}),
                                 TableKind::Udp4OwnerModule, sockets)
                    .ok());
    ASSERT_TRUE(parseSocketTable(tableBytes<MIB_UDP6TABLE_OWNER_PID>(std::vector{udp6}),
                                 TableKind::Udp6OwnerPid, sockets)
                    .ok());
    ASSERT_TRUE(parseSocketTable(tableBytes<MIB_UDP6TABLE_OWNER_MODULE>(std::vector{udp6Module}),
                                 TableKind::Udp6OwnerModule, sockets)
                    .ok());
    ASSERT_EQ(sockets.size(), 4u);
    for (const auto& socket : sockets) {
        EXPECT_EQ(socket.protocol, core::Protocol::Udp);
        EXPECT_EQ(socket.state, core::SocketState::Bound);
        EXPECT_EQ(socket.remote.port, 0);
        EXPECT_TRUE(socket.remote.address.isUnspecified());
        EXPECT_EQ(socket.remote.address.family, socket.local.address.family);
    }
    EXPECT_EQ(sockets[0].local, endpoint("127.0.0.1", 53));
    EXPECT_EQ(sockets[0].owner.pid, 2000);
    EXPECT_EQ(sockets[1].local, endpoint("0.0.0.0", 5353));
    EXPECT_EQ(sockets[1].owner.pid, 2001);
    EXPECT_EQ(sockets[1].cookie, 77u);
    EXPECT_EQ(sockets[2].local, endpoint("::1", 123));
    EXPECT_EQ(sockets[2].owner.pid, 2002);
    EXPECT_EQ(sockets[3].local, endpoint("fe80::2", 546));
    EXPECT_EQ(sockets[3].interfaceIndex, 3u);
    EXPECT_EQ(sockets[3].owner.pid, 2003);
    EXPECT_EQ(sockets[3].cookie, 78u);
}

TEST(SocketTable, ReadsTheBasicTablesWithoutOwners) {
    MIB_TCPROW row4{};
    row4.dwState = MIB_TCP_STATE_TIME_WAIT;
    row4.dwLocalAddr = v4(127, 0, 0, 1);
    row4.dwLocalPort = port(40000);
    row4.dwRemoteAddr = v4(127, 0, 0, 2);
    row4.dwRemotePort = port(80);
    MIB_TCP6ROW row6{};
    row6.State = MIB_TCP_STATE_SYN_SENT;
    const auto local = *core::IpAddress::parse("fe80::5");
    const auto remote = *core::IpAddress::parse("2001:db8::77");
    std::memcpy(&row6.LocalAddr, local.bytes.data(), 16);
    row6.dwLocalScopeId = 9;
    row6.dwLocalPort = port(50505);
    std::memcpy(&row6.RemoteAddr, remote.bytes.data(), 16);
    row6.dwRemotePort = port(443);

    std::vector<core::Socket> sockets;
    ASSERT_TRUE(
        parseSocketTable(tableBytes<MIB_TCPTABLE>(std::vector{row4}), TableKind::Tcp4Basic, sockets)
            .ok());
    ASSERT_TRUE(parseSocketTable(tableBytes<MIB_TCP6TABLE>(std::vector{row6}), TableKind::Tcp6Basic,
                                 sockets)
                    .ok());
    ASSERT_EQ(sockets.size(), 2u);
    EXPECT_EQ(sockets[0].state, core::SocketState::TimeWait);
    EXPECT_EQ(sockets[0].local, endpoint("127.0.0.1", 40000));
    EXPECT_EQ(sockets[0].remote, endpoint("127.0.0.2", 80));
    EXPECT_EQ(sockets[0].owner.pid, 0);
    EXPECT_EQ(sockets[1].state, core::SocketState::SynSent);
    EXPECT_EQ(sockets[1].local, (core::Endpoint{local, 50505}));
    EXPECT_EQ(sockets[1].remote, (core::Endpoint{remote, 443}));
    EXPECT_EQ(sockets[1].interfaceIndex, 9u);
    EXPECT_EQ(sockets[1].owner.pid, 0);
    EXPECT_FALSE(platform::winsys::hasOwner(TableKind::Tcp6Basic));
    EXPECT_TRUE(platform::winsys::hasOwner(TableKind::Udp6OwnerPid));
}

TEST(SocketTable, RejectsBuffersTooShortForTheCount) {
    for (const auto kind : {TableKind::Tcp4OwnerPid, TableKind::Udp6OwnerModule}) {
        std::vector<core::Socket> sockets;
        const auto empty = parseSocketTable({}, kind, sockets);
        EXPECT_FALSE(empty.ok());
        EXPECT_NE(empty.error.find("0 bytes"), std::string::npos) << empty.error;
        const std::uint8_t three[3] = {1, 0, 0};
        const auto short3 = parseSocketTable(three, kind, sockets);
        EXPECT_FALSE(short3.ok());
        EXPECT_EQ(short3.rowsParsed, 0u);
        EXPECT_TRUE(sockets.empty());
    }
}

TEST(SocketTable, AcceptsAnEmptyTable) {
    // Windows answers an empty MODULE table with just the count and its padding, and an empty
    // PID table with the count alone.
    std::vector<core::Socket> sockets;
    const std::uint8_t countOnly[4] = {0, 0, 0, 0};
    EXPECT_TRUE(parseSocketTable(countOnly, TableKind::Tcp4OwnerModule, sockets).ok());
    EXPECT_TRUE(parseSocketTable(countOnly, TableKind::Udp4OwnerPid, sockets).ok());
    EXPECT_TRUE(sockets.empty());
}

TEST(SocketTable, KeepsTheCompleteRowsWhenTheCountOverstatesTheBuffer) {
    MIB_TCPROW_OWNER_PID row{};
    row.dwState = MIB_TCP_STATE_ESTAB;
    row.dwLocalAddr = v4(127, 0, 0, 1);
    row.dwLocalPort = port(1);
    row.dwOwningPid = 10;
    auto bytes = tableBytes<MIB_TCPTABLE_OWNER_PID>(std::vector{row, row}, 5);
    bytes.resize(bytes.size() + sizeof(row) - 1); // a third row, cut one byte short
    std::vector<core::Socket> sockets;
    const auto result = parseSocketTable(bytes, TableKind::Tcp4OwnerPid, sockets);
    EXPECT_FALSE(result.ok());
    EXPECT_EQ(result.rowsDeclared, 5u);
    EXPECT_EQ(result.rowsParsed, 2u);
    EXPECT_EQ(sockets.size(), 2u);
    EXPECT_NE(result.error.find("declares 5 rows"), std::string::npos) << result.error;
    EXPECT_NE(result.error.find("holds only 2"), std::string::npos) << result.error;
}

TEST(SocketTable, SurvivesAHugeDeclaredCount) {
    MIB_TCP6ROW_OWNER_MODULE row{};
    row.dwState = MIB_TCP_STATE_LISTEN;
    const auto bytes = tableBytes<MIB_TCP6TABLE_OWNER_MODULE>(std::vector{row}, 0xFFFFFFFFu);
    std::vector<core::Socket> sockets;
    const auto result = parseSocketTable(bytes, TableKind::Tcp6OwnerModule, sockets);
    EXPECT_FALSE(result.ok());
    EXPECT_EQ(result.rowsDeclared, 0xFFFFFFFFu);
    EXPECT_EQ(result.rowsParsed, 1u);
    ASSERT_EQ(sockets.size(), 1u);
    EXPECT_EQ(sockets[0].state, core::SocketState::Listen);
}

TEST(SocketTable, ACountWithNoRoomForRowsYieldsNothing) {
    // One row declared, but the buffer ends inside the padding before the first row.
    const std::uint8_t bytes[6] = {1, 0, 0, 0, 0, 0};
    std::vector<core::Socket> sockets;
    const auto result = parseSocketTable(bytes, TableKind::Udp4OwnerModule, sockets);
    EXPECT_FALSE(result.ok());
    EXPECT_EQ(result.rowsParsed, 0u);
    EXPECT_TRUE(sockets.empty());
}

TEST(SocketTable, RowsBuiltForWindowsCarryTheSocketBack) {
    core::Socket socket;
    socket.state = core::SocketState::Established;
    socket.local = endpoint("127.0.0.1", 50123);
    socket.remote = endpoint("192.0.2.77", 8080);
    const MIB_TCPROW row = platform::winsys::mibTcpRowOf(socket);
    EXPECT_EQ(row.dwState, static_cast<DWORD>(MIB_TCP_STATE_ESTAB));
    MIB_TCPROW_OWNER_PID owned{};
    std::memcpy(&owned, &row, sizeof row);
    std::vector<core::Socket> parsed;
    ASSERT_TRUE(parseSocketTable(tableBytes<MIB_TCPTABLE_OWNER_PID>(std::vector{owned}),
                                 TableKind::Tcp4OwnerPid, parsed)
                    .ok());
    ASSERT_EQ(parsed.size(), 1u);
    EXPECT_EQ(parsed[0].local, socket.local);
    EXPECT_EQ(parsed[0].remote, socket.remote);
    EXPECT_EQ(parsed[0].state, socket.state);

    core::Socket socket6;
    socket6.state = core::SocketState::LastAck;
    socket6.local = endpoint("fe80::10", 4000);
    socket6.remote = endpoint("fe80::20", 5000);
    socket6.interfaceIndex = 12;
    const MIB_TCP6ROW row6 = platform::winsys::mibTcp6RowOf(socket6);
    EXPECT_EQ(row6.State, MIB_TCP_STATE_LAST_ACK);
    EXPECT_EQ(std::memcmp(&row6.LocalAddr, socket6.local.address.bytes.data(), 16), 0);
    EXPECT_EQ(row6.dwLocalScopeId, 12u);
    EXPECT_EQ(row6.dwRemoteScopeId, 12u) << "a link-local peer shares the local interface";
    EXPECT_EQ(ntohs(static_cast<u_short>(row6.dwLocalPort)), 4000);
    EXPECT_EQ(ntohs(static_cast<u_short>(row6.dwRemotePort)), 5000);
}

// --- Tables captured from GetExtended{Tcp,Udp}Table (fixtures/README.md says how).

struct SceneSocket {
    std::string table; // tcp4, tcp6, udp4, udp6
    core::SocketState state;
    core::Endpoint local;
    core::Endpoint remote;
};

std::vector<SceneSocket> readScene() {
    const auto bytes = wintest::readBinaryFile(PORTSCOPE_WINDOWS_FIXTURES_DIR "/scene.txt");
    std::istringstream in(std::string(bytes.begin(), bytes.end()));
    std::vector<SceneSocket> scene;
    std::string table, state, localAddress, remoteAddress;
    unsigned localPort = 0, remotePort = 0;
    while (in >> table >> state >> localAddress >> localPort >> remoteAddress >> remotePort) {
        scene.push_back({table, *core::parseSocketState(state),
                         endpoint(localAddress.c_str(), static_cast<std::uint16_t>(localPort)),
                         endpoint(remoteAddress.c_str(), static_cast<std::uint16_t>(remotePort))});
    }
    return scene;
}

std::vector<core::Socket> parseFixture(TableKind kind) {
    const std::string path = std::string(PORTSCOPE_WINDOWS_FIXTURES_DIR) + "/" +
                             std::string(platform::winsys::toString(kind)) + ".bin";
    const auto bytes = wintest::readBinaryFile(path);
    EXPECT_FALSE(bytes.empty()) << "missing fixture " << path;
    std::vector<core::Socket> sockets;
    const auto result = parseSocketTable(bytes, kind, sockets);
    EXPECT_TRUE(result.ok()) << result.error;
    EXPECT_EQ(result.rowsParsed, result.rowsDeclared);
    return sockets;
}

constexpr TableKind kAllKinds[] = {
    TableKind::Tcp4OwnerPid,    TableKind::Tcp4OwnerModule, TableKind::Tcp6OwnerPid,
    TableKind::Tcp6OwnerModule, TableKind::Udp4OwnerPid,    TableKind::Udp4OwnerModule,
    TableKind::Udp6OwnerPid,    TableKind::Udp6OwnerModule, TableKind::Tcp4Basic,
    TableKind::Tcp6Basic,
};

std::string tableOf(TableKind kind) {
    return std::string(core::toString(platform::winsys::protocolOf(kind)) == "TCP" ? "tcp"
                                                                                   : "udp") +
           (platform::winsys::familyOf(kind) == core::Family::V4 ? "4" : "6");
}

TEST(SocketTableCaptured, EverySocketOfTheSceneIsInItsTable) {
    const auto scene = readScene();
    ASSERT_EQ(scene.size(), 6u) << "scene.txt lists two TCP sockets and one UDP socket per family";
    for (const auto kind : kAllKinds) {
        const auto sockets = parseFixture(kind);
        std::size_t matched = 0;
        for (const auto& expected : scene) {
            if (expected.table != tableOf(kind)) {
                continue;
            }
            const auto found = std::find_if(sockets.begin(), sockets.end(), [&](const auto& s) {
                return s.local == expected.local && s.remote == expected.remote;
            });
            ASSERT_NE(found, sockets.end())
                << platform::winsys::toString(kind) << " lacks " << expected.local.toString();
            EXPECT_EQ(found->state, expected.state) << expected.local.toString();
            EXPECT_EQ(found->protocol, platform::winsys::protocolOf(kind));
            ++matched;
        }
        EXPECT_GT(matched, 0u) << platform::winsys::toString(kind);
    }
}

TEST(SocketTableCaptured, PidAndModuleClassesListTheSameSockets) {
    const std::pair<TableKind, TableKind> pairs[] = {
        {TableKind::Tcp4OwnerPid, TableKind::Tcp4OwnerModule},
        {TableKind::Tcp6OwnerPid, TableKind::Tcp6OwnerModule},
        {TableKind::Udp4OwnerPid, TableKind::Udp4OwnerModule},
        {TableKind::Udp6OwnerPid, TableKind::Udp6OwnerModule},
    };
    for (const auto& [pidKind, moduleKind] : pairs) {
        const auto byPid = parseFixture(pidKind);
        const auto byModule = parseFixture(moduleKind);
        ASSERT_EQ(byPid.size(), byModule.size()) << platform::winsys::toString(pidKind);
        for (std::size_t i = 0; i < byPid.size(); ++i) {
            EXPECT_EQ(byPid[i].local, byModule[i].local);
            EXPECT_EQ(byPid[i].remote, byModule[i].remote);
            EXPECT_EQ(byPid[i].state, byModule[i].state);
            EXPECT_EQ(byPid[i].owner.pid, byModule[i].owner.pid);
        }
    }
}

TEST(SocketTableCaptured, EveryTruncationOfACapturedTableIsHandled) {
    for (const auto kind : {TableKind::Tcp4OwnerModule, TableKind::Tcp6OwnerPid,
                            TableKind::Udp6OwnerModule, TableKind::Tcp6Basic}) {
        const std::string path = std::string(PORTSCOPE_WINDOWS_FIXTURES_DIR) + "/" +
                                 std::string(platform::winsys::toString(kind)) + ".bin";
        const auto bytes = wintest::readBinaryFile(path);
        ASSERT_GT(bytes.size(), 8u);
        const auto layout = platform::winsys::layoutOf(kind);
        const auto full = parseFixture(kind);
        for (std::size_t length = 0; length < bytes.size(); ++length) {
            std::vector<core::Socket> sockets;
            const auto result = parseSocketTable(std::span(bytes.data(), length), kind, sockets);
            const std::size_t complete =
                length > layout.rowsOffset ? (length - layout.rowsOffset) / layout.rowSize : 0;
            ASSERT_EQ(result.rowsParsed, std::min(complete, full.size())) << "length " << length;
            ASSERT_FALSE(result.ok()) << "length " << length;
            for (std::size_t i = 0; i < sockets.size(); ++i) {
                EXPECT_EQ(sockets[i], full[i]);
            }
        }
    }
}

} // namespace
