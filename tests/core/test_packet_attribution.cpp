#include "core_test_support.h"
#include "portscope/core/packet_attribution.h"

#include <gtest/gtest.h>

namespace portscope::core {
namespace {

using testing::kBaseUnixMs;

// An SLL2 frame with an IPv4 header and the first bytes of a TCP or UDP header.
std::string sll2Ipv4(std::uint8_t packetType, std::uint8_t protocol,
                     std::array<std::uint8_t, 4> source, std::uint16_t sourcePort,
                     std::array<std::uint8_t, 4> destination, std::uint16_t destinationPort) {
    std::string frame(20, '\0');
    frame[0] = 0x08; // IPv4
    frame[10] = static_cast<char>(packetType);
    std::string ip(20, '\0');
    ip[0] = 0x45;
    ip[9] = static_cast<char>(protocol);
    for (int i = 0; i < 4; ++i) {
        ip[12 + i] = static_cast<char>(source[static_cast<std::size_t>(i)]);
        ip[16 + i] = static_cast<char>(destination[static_cast<std::size_t>(i)]);
    }
    std::string ports{static_cast<char>(sourcePort >> 8), static_cast<char>(sourcePort & 0xFF),
                      static_cast<char>(destinationPort >> 8),
                      static_cast<char>(destinationPort & 0xFF)};
    return frame + ip + ports + std::string(16, '\0');
}

Connection connectionOf(ConnectionId id, Socket socket) {
    Connection connection;
    connection.id = id;
    connection.socket = std::move(socket);
    return connection;
}

ProcessRow rowOf(ProcessKey key, std::string name) {
    ProcessRow row;
    row.process = testing::processOf(key, std::move(name));
    row.process.exePath = "/usr/bin/" + row.process.name;
    row.process.userName = "alice";
    row.process.startedAtUnixMs = 1'796'206'272'000; // 2026-12-02T10:11:12Z
    return row;
}

TEST(PacketFlow, ReadsCookedV2Ethernet6AndRawHeaders) {
    const auto flow = parsePacketFlow(pcapng::kLinkTypeLinuxSll2,
                                      sll2Ipv4(4, 6, {127, 0, 0, 1}, 40000, {127, 0, 0, 2}, 80));
    ASSERT_TRUE(flow);
    EXPECT_EQ(flow->protocol, Protocol::Tcp);
    EXPECT_EQ(flow->source.toString(), "127.0.0.1:40000");
    EXPECT_EQ(flow->destination.toString(), "127.0.0.2:80");
    EXPECT_EQ(flow->direction, pcapng::Direction::Outbound);

    std::string ethernet(12, '\0');
    ethernet += std::string("\x86\xDD", 2);
    std::string ip6(40, '\0');
    ip6[0] = 0x60;
    ip6[6] = 17; // UDP
    ip6[23] = 1; // ::1
    ip6[39] = 1;
    const auto udp = parsePacketFlow(pcapng::kLinkTypeEthernet,
                                     ethernet + ip6 + std::string("\x00\x35\x12\x34", 4));
    ASSERT_TRUE(udp);
    EXPECT_EQ(udp->protocol, Protocol::Udp);
    EXPECT_EQ(udp->source.toString(), "[::1]:53");
    EXPECT_EQ(udp->destination.port, 0x1234);
    EXPECT_EQ(udp->direction, pcapng::Direction::Unknown);

    const std::string raw = sll2Ipv4(0, 17, {10, 0, 0, 1}, 1, {10, 0, 0, 2}, 2).substr(20);
    EXPECT_TRUE(parsePacketFlow(pcapng::kLinkTypeRaw, raw));
}

TEST(PacketFlow, RefusesWhatHasNoPorts) {
    auto icmp = sll2Ipv4(0, 1, {127, 0, 0, 1}, 0, {127, 0, 0, 1}, 0);
    EXPECT_FALSE(parsePacketFlow(pcapng::kLinkTypeLinuxSll2, icmp));
    auto fragment = sll2Ipv4(0, 6, {127, 0, 0, 1}, 1, {127, 0, 0, 1}, 2);
    fragment[20 + 7] = 0x10; // fragment offset 16
    EXPECT_FALSE(parsePacketFlow(pcapng::kLinkTypeLinuxSll2, fragment));
    EXPECT_FALSE(parsePacketFlow(pcapng::kLinkTypeLinuxSll2, fragment.substr(0, 30)));
    EXPECT_FALSE(parsePacketFlow(999, fragment));
}

TEST(PacketOwner, NamesPidStartTimeExecutableAndUser) {
    const auto row = rowOf({1234, 5}, "spollsv.exe");
    EXPECT_EQ(describePacketOwner(row.process),
              "PID 1234 (started 2026-12-02T10:11:12Z) spollsv.exe /usr/bin/spollsv.exe user "
              "alice");
    Process hostile = row.process;
    hostile.name = "evil\n\x1b[31m";
    hostile.userName.clear();
    hostile.uid = 1001;
    hostile.startedAtUnixMs = 0;
    EXPECT_EQ(describePacketOwner(hostile), "PID 1234 evil??[31m /usr/bin/spollsv.exe uid 1001");
}

class Attribution : public ::testing::Test {
protected:
    const ProcessKey a{100, 1};
    const ProcessKey b{200, 2};
    const ProcessKey server{300, 3};

    Update updateAt(std::int64_t unixMs) {
        Update update;
        update.unixMs = unixMs;
        update.processes = {rowOf(a, "a"), rowOf(b, "b"), rowOf(server, "server")};
        update.connections = {
            connectionOf(1, testing::tcpSocket(1, 40001, 8080, a)),
            connectionOf(2, testing::tcpSocket(2, 8080, 40001, server)),
            connectionOf(3, testing::tcpSocket(3, 40002, 9090, b)),
            connectionOf(4, testing::tcpListener(4, 8080, server)),
        };
        return update;
    }

    static PacketFlow tcp(std::uint16_t from, std::uint16_t to) {
        return PacketFlow{Protocol::Tcp,
                          {IpAddress::v4(127, 0, 0, 1), from},
                          {IpAddress::v4(127, 0, 0, 1), to},
                          pcapng::Direction::Inbound};
    }
};

TEST_F(Attribution, NamesSenderAndReceiverOfALoopbackPacket) {
    PacketAttributor attributor(nullptr);
    attributor.update(updateAt(kBaseUnixMs));
    const auto sent = attributor.attribute(tcp(40001, 8080));
    EXPECT_TRUE(sent.owned);
    EXPECT_TRUE(sent.selected);
    EXPECT_EQ(sent.comment,
              "PID 100 (started 2026-12-02T10:11:12Z) a /usr/bin/a user alice: sent; PID 300 "
              "(started 2026-12-02T10:11:12Z) server /usr/bin/server user alice: received");
    EXPECT_TRUE(attributor.processFilter().empty());
}

TEST_F(Attribution, SelectsOnlyTheChosenProcessAndFiltersOnItsConnections) {
    PacketAttributor attributor([&](const Connection& connection, const ProcessRow*) {
        return connection.socket.owner == a;
    });
    EXPECT_EQ(attributor.processFilter(), PacketAttributor::kNothing);
    EXPECT_TRUE(attributor.update(updateAt(kBaseUnixMs)));
    EXPECT_EQ(attributor.processFilter(),
              "(tcp and host 127.0.0.1 and host 127.0.0.1 and port 40001 and port 8080)");
    EXPECT_FALSE(attributor.update(updateAt(kBaseUnixMs + 1000)));
    EXPECT_TRUE(attributor.attribute(tcp(8080, 40001)).selected);
    const auto ofB = attributor.attribute(tcp(40002, 9090));
    EXPECT_TRUE(ofB.owned);
    EXPECT_FALSE(ofB.selected);
    EXPECT_EQ(PacketAttributor::combineFilters(attributor.processFilter(), "tcp[13] & 2 != 0"),
              "((tcp and host 127.0.0.1 and host 127.0.0.1 and port 40001 and port 8080)) and "
              "(tcp[13] & 2 != 0)");
}

TEST_F(Attribution, AConnectionTooNewToBeListedGoesToItsListener) {
    PacketAttributor attributor(
        [&](const Connection& c, const ProcessRow*) { return c.socket.owner == server; });
    attributor.update(updateAt(kBaseUnixMs));
    const auto toListener = attributor.attribute(tcp(45555, 8080));
    EXPECT_TRUE(toListener.selected);
    EXPECT_NE(toListener.comment.find("PID 300"), std::string::npos);
    EXPECT_NE(toListener.comment.find(": received"), std::string::npos);
    EXPECT_NE(attributor.processFilter().find("(tcp port 8080)"), std::string::npos);
    // A wildcard listener does not claim a remote host's port.
    PacketFlow outbound = tcp(45555, 8080);
    outbound.destination.address = IpAddress::v4(192, 0, 2, 1);
    outbound.source.address = IpAddress::v4(192, 0, 2, 2);
    EXPECT_FALSE(attributor.attribute(outbound).owned);
}

TEST_F(Attribution, AClosedConnectionIsKnownForTheRetentionAndUnownedAfter) {
    PacketAttributor attributor(nullptr, {}, 10'000);
    attributor.update(updateAt(kBaseUnixMs));
    Update later = updateAt(kBaseUnixMs + 5'000);
    later.connections.erase(later.connections.begin()); // a's connection is gone
    attributor.update(later);
    EXPECT_NE(attributor.attribute(tcp(40001, 8080)).comment.find("PID 100"), std::string::npos);
    later.unixMs = kBaseUnixMs + 11'000;
    attributor.update(later);
    const auto after = attributor.attribute(tcp(40001, 8080));
    EXPECT_EQ(after.comment.find("PID 100"), std::string::npos);
    EXPECT_NE(after.comment.find("PID 300"), std::string::npos); // the server's side remains
    const auto nobody = attributor.attribute(tcp(1, 2));
    EXPECT_FALSE(nobody.owned);
    EXPECT_TRUE(nobody.selected);
    EXPECT_NE(nobody.comment.find("no process owns this packet"), std::string::npos);
}

// A capture by socket names the socket each packet came from: its cookie says whose it is,
// even where addresses and ports alone would say otherwise.
TEST_F(Attribution, ACaptureBySocketNamesTheSocketByItsCookie) {
    PacketAttributor attributor(nullptr);
    attributor.update(updateAt(kBaseUnixMs));
    PacketFlow sent = tcp(40001, 8080);
    sent.direction = pcapng::Direction::Outbound;
    EXPECT_EQ(attributor.attribute(sent, {1, 0}).comment,
              "PID 100 (started 2026-12-02T10:11:12Z) a /usr/bin/a user alice: sent; PID 300 "
              "(started 2026-12-02T10:11:12Z) server /usr/bin/server user alice: received");
    // The same ports, but the kernel says b's socket sent it (b reused the port since the poll).
    const auto ofB = attributor.attribute(sent, {3, 0});
    EXPECT_EQ(ofB.comment.find("PID 100"), std::string::npos) << ofB.comment;
    EXPECT_NE(ofB.comment.find("PID 200 (started 2026-12-02T10:11:12Z) b /usr/bin/b user alice: "
                               "sent"),
              std::string::npos)
        << ofB.comment;
    // A socket no poll has listed yet, which the kernel selected because b created it.
    PacketFlow fresh = tcp(40100, 7070);
    fresh.direction = pcapng::Direction::Outbound;
    const auto created = attributor.attribute(fresh, {99, 200});
    EXPECT_TRUE(created.owned);
    EXPECT_TRUE(created.selected);
    EXPECT_EQ(created.comment,
              "PID 200 (started 2026-12-02T10:11:12Z) b /usr/bin/b user alice: sent");
    // A process that has not been polled at all is still named by its PID.
    EXPECT_EQ(attributor.attribute(fresh, {99, 4242}).comment, "PID 4242: sent");
    // Without a direction the cookie cannot say which end it is: addresses decide.
    fresh.direction = pcapng::Direction::Unknown;
    EXPECT_FALSE(attributor.attribute(fresh, {99, 200}).owned);
}

TEST_F(Attribution, TheKernelSelectionHoldsSelectedSocketsListeningPortsAndProcesses) {
    PacketAttributor everything(nullptr);
    EXPECT_TRUE(everything.socketSelection().everySocket);
    everything.update(updateAt(kBaseUnixMs));
    EXPECT_TRUE(everything.socketSelection().everySocket);
    EXPECT_TRUE(everything.socketSelection().sockets.empty());

    PacketAttributor ofServer(
        [&](const Connection& c, const ProcessRow*) { return c.socket.owner == server; },
        [&](const ProcessRow& row) { return row.process.key == server; });
    EXPECT_FALSE(ofServer.socketSelection().everySocket);
    EXPECT_TRUE(ofServer.socketSelection().sockets.empty()); // nothing before the first poll
    EXPECT_TRUE(ofServer.update(updateAt(kBaseUnixMs)));
    const SocketSelection& selection = ofServer.socketSelection();
    EXPECT_EQ(selection.sockets, (std::vector<std::uint64_t>{2, 4}));
    EXPECT_EQ(selection.listeningPorts,
              (std::vector<SocketSelection::Port>{{Protocol::Tcp, 8080}}));
    EXPECT_EQ(selection.processes, (std::vector<std::int32_t>{300}));
    EXPECT_FALSE(ofServer.update(updateAt(kBaseUnixMs + 1000)));

    // Selected by connection alone (no process selector): no process is captured whole.
    PacketAttributor ofConnection(
        [&](const Connection& c, const ProcessRow*) { return c.socket.cookie == 3; });
    ofConnection.update(updateAt(kBaseUnixMs));
    EXPECT_EQ(ofConnection.socketSelection().sockets, (std::vector<std::uint64_t>{3}));
    EXPECT_TRUE(ofConnection.socketSelection().processes.empty());
    EXPECT_TRUE(ofConnection.socketSelection().listeningPorts.empty());
}

// A process captured whole may hold no socket at a poll, so no Update lists it: its PID is in
// the kernel's selection from the start, and its description can be learnt apart.
TEST_F(Attribution, AWholeProcessIsSelectedBeforeAnyPollAndNamedOnceDescribed) {
    const ProcessKey whole{555, 9};
    PacketAttributor attributor(
        [&](const Connection& c, const ProcessRow*) { return c.socket.owner == whole; },
        [&](const ProcessRow& row) { return row.process.key == whole; });
    attributor.setWholeProcesses({whole});
    EXPECT_EQ(attributor.socketSelection().processes, (std::vector<std::int32_t>{555}));
    attributor.update(updateAt(kBaseUnixMs)); // 555 holds nothing here
    EXPECT_EQ(attributor.socketSelection().processes, (std::vector<std::int32_t>{555}));
    EXPECT_FALSE(attributor.describes(555));
    PacketFlow sent = tcp(40100, 7070);
    sent.direction = pcapng::Direction::Outbound;
    EXPECT_EQ(attributor.attribute(sent, {77, 555}).comment, "PID 555: sent");
    attributor.learnProcess(rowOf({555, 9}, "late").process);
    EXPECT_TRUE(attributor.describes(555));
    EXPECT_EQ(attributor.attribute(sent, {77, 555}).comment,
              "PID 555 (started 2026-12-02T10:11:12Z) late /usr/bin/late user alice: sent");
    attributor.update(updateAt(kBaseUnixMs + 1000)); // an Update does not forget it
    EXPECT_TRUE(attributor.describes(555));
    EXPECT_EQ(attributor.socketSelection().processes, (std::vector<std::int32_t>{555}));

    // The process is gone and another took its PID: that one is not captured.
    Update reused = updateAt(kBaseUnixMs + 2000);
    reused.processes.push_back(rowOf({555, 10}, "stranger"));
    attributor.update(reused);
    EXPECT_TRUE(attributor.socketSelection().processes.empty());
}

// A capture by socket of chosen connections may be handed a packet of a socket that only
// shares a chosen listener's port (in a container, say): no chosen process owns it, and it
// is not kept. A capture from the interfaces keeps what no process owns.
TEST_F(Attribution, ACaptureBySocketKeepsNoPacketThatNoChosenProcessOwns) {
    PacketAttributor ofServer(
        [&](const Connection& c, const ProcessRow*) { return c.socket.owner == server; });
    ofServer.update(updateAt(kBaseUnixMs));
    PacketFlow elsewhere{Protocol::Tcp,
                         {IpAddress::v4(192, 0, 2, 7), 50000},
                         {IpAddress::v4(10, 99, 0, 2), 8080},
                         pcapng::Direction::Inbound};
    const auto bySocket = ofServer.attribute(elsewhere, {4242, 0});
    EXPECT_FALSE(bySocket.owned);
    EXPECT_FALSE(bySocket.selected);
    EXPECT_TRUE(ofServer.attribute(elsewhere).selected);
}

// A socket that stops matching the choice (its state changed, say) is no longer kept.
TEST_F(Attribution, ASocketNoLongerChosenLeavesTheKernelSelection) {
    PacketAttributor established([&](const Connection& c, const ProcessRow*) {
        return c.socket.state == SocketState::Established;
    });
    established.update(updateAt(kBaseUnixMs));
    EXPECT_EQ(established.socketSelection().sockets, (std::vector<std::uint64_t>{1, 2, 3}));
    Update later = updateAt(kBaseUnixMs + 1000);
    later.connections[0].socket.state = SocketState::CloseWait;
    established.update(later);
    EXPECT_EQ(established.socketSelection().sockets, (std::vector<std::uint64_t>{2, 3}));
}

TEST(PacketEcho, KnowsTheReceivedCopyOfASentPacketOnceWhateverItsTtlAndChecksums) {
    std::string sent(20 + 20 + 8, '\0');
    sent[0] = 0x45;
    sent[8] = 64; // TTL
    sent[9] = 6;  // TCP
    sent[12] = sent[16] = 127;
    sent[15] = sent[19] = 1;
    sent[24] = 0x12; // sequence number
    sent.replace(40, 8, "PAYLOAD!");
    PacketEcho echo;
    echo.sent(sent);
    std::string received = sent;
    received[8] = 63;                   // one hop later
    received[10] = received[11] = 0x7f; // another header checksum
    received[36] = received[37] = 0x55; // another TCP checksum
    std::string other = sent;
    other[24] = 0x13; // the next segment
    EXPECT_FALSE(echo.takeEcho(other));
    EXPECT_TRUE(echo.takeEcho(received));
    EXPECT_FALSE(echo.takeEcho(received)) << "an echo is taken once";
    // Only the last kRemembered sent packets are remembered.
    echo.sent(sent);
    for (std::size_t i = 0; i < PacketEcho::kRemembered; ++i) {
        std::string filler = other;
        filler[28] = static_cast<char>(i);
        filler[29] = static_cast<char>(i >> 8);
        echo.sent(filler);
    }
    EXPECT_FALSE(echo.takeEcho(received));
}

// Between two sockets of this host, a capture by socket takes a packet as it is sent and again
// as it is received; the second copy is dropped when the first was taken.
TEST_F(Attribution, TheReceivedCopyOfAPacketWhoseSenderIsCapturedIsADuplicate) {
    PacketFlow received = tcp(40001, 8080);
    received.direction = pcapng::Direction::Inbound;
    PacketFlow sent = received;
    sent.direction = pcapng::Direction::Outbound;

    PacketAttributor everything(nullptr);
    everything.update(updateAt(kBaseUnixMs));
    EXPECT_TRUE(everything.attribute(received, {2, 0}).duplicate);
    EXPECT_FALSE(everything.attribute(received, {2, 0}).echoExpected);
    EXPECT_FALSE(everything.attribute(sent, {1, 0}).duplicate);
    EXPECT_TRUE(everything.attribute(sent, {1, 0}).echoExpected); // the server is captured too
    EXPECT_FALSE(everything.attribute(received).duplicate);       // not a capture by socket
    EXPECT_FALSE(everything.attribute(sent).echoExpected);

    PacketAttributor ofServer(
        [&](const Connection& c, const ProcessRow*) { return c.socket.owner == server; });
    ofServer.update(updateAt(kBaseUnixMs));
    const auto fromA = ofServer.attribute(received, {2, 0});
    EXPECT_FALSE(fromA.duplicate); // a is not captured: this is the only copy
    EXPECT_TRUE(fromA.selected);
    // The server's reply to a: a's socket takes no copy, so none is remembered for it.
    PacketFlow reply{Protocol::Tcp,
                     {IpAddress::v4(127, 0, 0, 1), 8080},
                     {IpAddress::v4(127, 0, 0, 1), 40001},
                     pcapng::Direction::Outbound};
    EXPECT_FALSE(ofServer.attribute(reply, {2, 0}).echoExpected);
}

} // namespace
} // namespace portscope::core
