// The Linux live source and the tracker against real loopback sockets made by the test.

#include "loopback.h"
#include "portscope/core/tracker.h"
#include "portscope/platform/system.h"
#include "test_process.h"

#include <algorithm>
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace portscope;
using namespace portscope::testing;
using namespace std::chrono_literals;

namespace {

const core::Socket* findSocket(const core::Snapshot& snapshot, core::Protocol protocol,
                               const core::Endpoint& local,
                               const core::Endpoint* remote = nullptr) {
    for (const auto& socket : snapshot.sockets) {
        if (socket.protocol == protocol && socket.local == local &&
            (!remote || socket.remote == *remote)) {
            return &socket;
        }
    }
    return nullptr;
}

const core::Connection* findConnection(const core::Update& update, const core::Endpoint& local,
                                       const core::Endpoint& remote) {
    for (const auto& connection : update.connections) {
        if (connection.socket.local == local && connection.socket.remote == remote) {
            return &connection;
        }
    }
    return nullptr;
}

class LiveSource : public ::testing::Test {
protected:
    std::unique_ptr<core::SnapshotSource> source = platform::makeLiveSource();
    core::Snapshot poll() {
        auto snapshot = source->poll();
        if (!snapshot) {
            throw std::runtime_error("the live source returned no snapshot");
        }
        return std::move(*snapshot);
    }
};

} // namespace

TEST_F(LiveSource, ListenerIsListedWithItsOwnerAndInode) {
    const Fd listener = tcpListener("127.0.0.1");
    const auto local = localEndpoint(listener.get());
    const auto snapshot = poll();
    const auto* socket = findSocket(snapshot, core::Protocol::Tcp, local);
    ASSERT_NE(socket, nullptr) << "listener " << local.toString() << " missing";
    EXPECT_EQ(socket->state, core::SocketState::Listen);
    EXPECT_EQ(socket->inode, socketInode(listener.get()));
    EXPECT_NE(socket->cookie, 0u);
    EXPECT_EQ(socket->owner.pid, getpid());
    EXPECT_EQ(socket->ownerStatus, core::OwnerStatus::Known);
    const auto process = std::find_if(snapshot.processes.begin(), snapshot.processes.end(),
                                      [](const core::Process& p) { return p.key.pid == getpid(); });
    ASSERT_NE(process, snapshot.processes.end());
    EXPECT_EQ(process->key, socket->owner);
    char self[4096] = {};
    ASSERT_GT(readlink("/proc/self/exe", self, sizeof self - 1), 0);
    EXPECT_EQ(process->exePath, self);
    EXPECT_GE(process->socketCount, 1u);
    EXPECT_TRUE(snapshot.counters.present);
}

TEST_F(LiveSource, EstablishedPairCarriesByteCountsAndRates) {
    const Fd listener = tcpListener("127.0.0.1");
    const Fd client = tcpConnect(localEndpoint(listener.get()));
    const Fd server = acceptOne(listener.get());
    const auto clientSide = localEndpoint(client.get());
    const auto serverSide = localEndpoint(server.get());

    core::Tracker tracker;
    tracker.apply(poll());
    std::this_thread::sleep_for(100ms);
    constexpr std::size_t kBytes = 300'000;
    sendAll(client.get(), kBytes);
    ASSERT_EQ(receiveExactly(server.get(), kBytes), kBytes);
    std::this_thread::sleep_for(100ms);
    const auto snapshot = poll();
    const auto update = tracker.apply(snapshot);

    const auto* sent = findConnection(*update, clientSide, serverSide);
    const auto* received = findConnection(*update, serverSide, clientSide);
    ASSERT_NE(sent, nullptr);
    ASSERT_NE(received, nullptr);
    EXPECT_EQ(sent->socket.state, core::SocketState::Established);
    // SYN and FIN count one byte each in the kernel's counters.
    EXPECT_GE(sent->bytesSent, kBytes);
    EXPECT_LE(sent->bytesSent, kBytes + 2);
    EXPECT_GE(received->bytesReceived, kBytes);
    EXPECT_LE(received->bytesReceived, kBytes + 2);
    ASSERT_TRUE(sent->hasRate);
    // The bytes moved within the interval; the rate is bytes over that interval.
    const double interval = 0.2;
    EXPECT_GT(sent->sendBytesPerSecond, kBytes / (interval * 20));
    EXPECT_GT(received->receiveBytesPerSecond, kBytes / (interval * 20));
    EXPECT_EQ(sent->receiveBytesPerSecond, 0.0);
    const auto* owner = update->findProcess(sent->socket.owner);
    ASSERT_NE(owner, nullptr);
    EXPECT_GE(owner->bytesSentTotal, kBytes);
}

TEST_F(LiveSource, ConnectsToAFullBacklogStayInSynSent) {
    // Backlog 1 and never accepting: once the accept queue is full the kernel drops SYNs,
    // so later connects wait in SYN_SENT.
    const Fd listener = tcpListener("127.0.0.1", 1);
    const auto target = localEndpoint(listener.get());
    std::vector<Fd> clients;
    for (int i = 0; i < 8; ++i) {
        clients.push_back(tcpConnectNonBlocking(target));
    }
    std::this_thread::sleep_for(200ms);
    const auto snapshot = poll();
    int synSent = 0;
    for (const auto& socket : snapshot.sockets) {
        if (socket.protocol == core::Protocol::Tcp && socket.remote == target &&
            socket.state == core::SocketState::SynSent) {
            ++synSent;
            EXPECT_EQ(socket.owner.pid, getpid());
        }
    }
    EXPECT_GE(synSent, 1);
}

TEST_F(LiveSource, UdpSocketsAreListedBoundAndConnected) {
    const Fd bound = udpSocket("127.0.0.1");
    const Fd peer = udpSocket("127.0.0.1");
    const auto boundAt = localEndpoint(bound.get());
    const auto peerAt = localEndpoint(peer.get());
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(boundAt.port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(connect(peer.get(), reinterpret_cast<sockaddr*>(&to), sizeof to), 0);
    const auto snapshot = poll();
    const auto* unconnected = findSocket(snapshot, core::Protocol::Udp, boundAt);
    ASSERT_NE(unconnected, nullptr);
    EXPECT_EQ(unconnected->state, core::SocketState::Bound);
    EXPECT_EQ(unconnected->owner.pid, getpid());
    const auto* connected = findSocket(snapshot, core::Protocol::Udp, peerAt);
    ASSERT_NE(connected, nullptr);
    EXPECT_EQ(connected->state, core::SocketState::Established);
    EXPECT_EQ(connected->remote, boundAt);
    EXPECT_FALSE(connected->counters.present) << "the kernel keeps no byte counters for UDP";
}

TEST_F(LiveSource, Ipv6LoopbackListenerAndConnection) {
    Fd listener;
    try {
        listener = tcpListener("::1");
    } catch (const std::exception& error) {
        GTEST_SKIP() << "IPv6 is disabled on this machine: " << error.what();
    }
    const Fd client = tcpConnect(localEndpoint(listener.get()));
    const Fd server = acceptOne(listener.get());
    const auto snapshot = poll();
    const auto* listening =
        findSocket(snapshot, core::Protocol::Tcp, localEndpoint(listener.get()));
    ASSERT_NE(listening, nullptr);
    EXPECT_EQ(listening->state, core::SocketState::Listen);
    EXPECT_EQ(listening->family(), core::Family::V6);
    const auto clientAt = localEndpoint(client.get());
    const auto serverAt = localEndpoint(server.get());
    const auto* established = findSocket(snapshot, core::Protocol::Tcp, clientAt, &serverAt);
    ASSERT_NE(established, nullptr);
    EXPECT_EQ(established->state, core::SocketState::Established);
    EXPECT_EQ(established->local.address.toString(), "::1");
    EXPECT_EQ(established->owner.pid, getpid());
}

TEST_F(LiveSource, ConnectionBetweenTwoPollsIsStillReported) {
    const Fd listener = tcpListener("127.0.0.1");
    core::Tracker tracker;
    tracker.apply(poll());

    core::Endpoint clientAt;
    core::Endpoint serverAt;
    {
        const Fd client = tcpConnect(localEndpoint(listener.get()));
        const Fd server = acceptOne(listener.get());
        clientAt = localEndpoint(client.get());
        serverAt = localEndpoint(server.get());
        sendAll(client.get(), 5000);
        ASSERT_EQ(receiveExactly(server.get(), 5000), 5000u);
    } // both ends close here, before the next poll
    std::this_thread::sleep_for(100ms);

    const auto update = tracker.apply(poll());
    const auto* closed = findConnection(*update, clientAt, serverAt);
    ASSERT_NE(closed, nullptr) << "the short-lived connection " << clientAt.toString() << " -> "
                               << serverAt.toString() << " was missed";
    EXPECT_TRUE(closed->shortLived);
    EXPECT_FALSE(closed->open);
    EXPECT_NE(std::find(update->added.begin(), update->added.end(), closed->id),
              update->added.end());
    EXPECT_NE(std::find(update->removed.begin(), update->removed.end(), closed->id),
              update->removed.end());
    EXPECT_GE(closed->bytesSent, 5000u) << "the close event carries the final counters";
}

TEST_F(LiveSource, ProcFallbackListsTheSameListener) {
    platform::LiveSourceOptions options;
    options.forceProcFallback = true;
    options.listenForCloseEvents = false;
    auto fallback = platform::makeLiveSource(options);
    const Fd listener = tcpListener("127.0.0.1");
    const auto snapshot = fallback->poll();
    ASSERT_TRUE(snapshot);
    const auto* socket = findSocket(*snapshot, core::Protocol::Tcp, localEndpoint(listener.get()));
    ASSERT_NE(socket, nullptr);
    EXPECT_EQ(socket->state, core::SocketState::Listen);
    EXPECT_EQ(socket->inode, socketInode(listener.get()));
    EXPECT_EQ(socket->owner.pid, getpid());
}

// A capture of one process reads only its sockets, through its descriptors: another process's
// listener is left out, and no process but the chosen one is read.
TEST(LiveSourceOfProcesses, ListsOnlyTheSocketsOfTheChosenProcesses) {
    int portPipe[2];
    ASSERT_EQ(::pipe(portPipe), 0);
    const pid_t other = ::fork();
    ASSERT_GE(other, 0);
    if (other == 0) {
        const Fd listener = tcpListener("127.0.0.1");
        const auto port = localEndpoint(listener.get()).port;
        (void)!::write(portPipe[1], &port, sizeof port);
        ::sleep(60); // until the test kills it
        ::_exit(0);
    }
    std::uint16_t portOfOther = 0;
    const bool gotPort = ::read(portPipe[0], &portOfOther, sizeof portOfOther) ==
                         static_cast<ssize_t>(sizeof portOfOther);
    ::close(portPipe[0]);
    ::close(portPipe[1]);
    const Fd listener = tcpListener("127.0.0.1");
    const Fd client = tcpConnect(localEndpoint(listener.get()));
    const Fd server = acceptOne(listener.get());

    platform::LiveSourceOptions options;
    options.onlyProcesses = {::getpid()};
    auto snapshot = platform::makeLiveSource(options)->poll();
    killChild(other);
    ASSERT_TRUE(gotPort);
    ASSERT_TRUE(snapshot.has_value());
    for (const Fd* fd : {&listener, &client, &server}) {
        const auto local = localEndpoint(fd->get());
        const auto found = std::find_if(
            snapshot->sockets.begin(), snapshot->sockets.end(),
            [&](const core::Socket& socket) { return socket.inode == socketInode(fd->get()); });
        ASSERT_NE(found, snapshot->sockets.end()) << local.toString();
        EXPECT_EQ(found->owner.pid, ::getpid());
        EXPECT_EQ(found->ownerStatus, core::OwnerStatus::Known);
    }
    for (const auto& socket : snapshot->sockets) {
        EXPECT_EQ(socket.owner.pid, ::getpid()) << socket.local.toString();
        EXPECT_NE(socket.local.port, portOfOther) << "the other process's listener is listed";
    }
    ASSERT_EQ(snapshot->processes.size(), 1u);
    EXPECT_EQ(snapshot->processes[0].key.pid, ::getpid());
}
