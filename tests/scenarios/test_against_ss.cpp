// Differential test: on the same machine state, every socket `ss -tuanpe` lists is in our
// snapshot with the same state, ports, inode and owner.

#include "loopback.h"
#include "portscope/platform/system.h"
#include "test_process.h"

#include <gtest/gtest.h>
#include <map>
#include <sstream>
#include <thread>
#include <unistd.h>

using namespace portscope;
using namespace portscope::testing;
using namespace std::chrono_literals;

namespace {

struct SsSocket {
    std::string netid;
    std::string state;
    std::uint16_t localPort = 0;
    std::uint16_t remotePort = 0;
    std::uint64_t inode = 0;
    std::uint64_t cookie = 0;
    std::vector<int> pids;
    std::string line;
};

std::uint16_t portOf(const std::string& endpoint) {
    const auto colon = endpoint.rfind(':');
    const auto port = endpoint.substr(colon + 1);
    return port == "*" ? 0 : static_cast<std::uint16_t>(std::stoul(port));
}

// Parses `ss -tuanpe` lines such as
//   tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=5,fd=3)) ino:1454 sk:d cgroup:/ <->
std::vector<SsSocket> runSs() {
    const auto result = runProgram({"ss", "-tuanpe"});
    if (result.exitCode != 0) {
        throw std::runtime_error("ss failed: " + result.err);
    }
    std::vector<SsSocket> sockets;
    std::istringstream lines(result.out);
    std::string line;
    std::getline(lines, line); // header
    while (std::getline(lines, line)) {
        std::istringstream fields(line);
        SsSocket socket;
        std::string receiveQueue, sendQueue, local, remote;
        if (!(fields >> socket.netid >> socket.state >> receiveQueue >> sendQueue >> local >>
              remote)) {
            continue;
        }
        socket.localPort = portOf(local);
        socket.remotePort = portOf(remote);
        socket.line = line;
        std::string extra;
        while (fields >> extra) {
            if (extra.starts_with("ino:")) {
                socket.inode = std::stoull(extra.substr(4));
            } else if (extra.starts_with("sk:")) {
                socket.cookie = std::stoull(extra.substr(3), nullptr, 16);
            } else if (extra.starts_with("users:")) {
                for (auto at = extra.find("pid="); at != std::string::npos;
                     at = extra.find("pid=", at + 4)) {
                    socket.pids.push_back(std::stoi(extra.substr(at + 4)));
                }
            }
        }
        if (socket.netid == "tcp" || socket.netid == "udp") {
            sockets.push_back(socket);
        }
    }
    return sockets;
}

std::string normalState(const std::string& ssState) {
    const auto parsed = core::parseSocketState(ssState);
    return parsed ? std::string(core::toString(*parsed)) : ssState;
}

} // namespace

TEST(AgainstSs, EverySocketSsListsIsInOurSnapshot) {
    // Some load of every kind, all on loopback.
    std::vector<Fd> keep;
    const Fd listener = tcpListener("127.0.0.1");
    for (int i = 0; i < 5; ++i) {
        keep.push_back(tcpConnect(localEndpoint(listener.get())));
        keep.push_back(acceptOne(listener.get()));
    }
    {
        // The side that closes first lingers in TIME_WAIT with no inode.
        Fd client = tcpConnect(localEndpoint(listener.get()));
        Fd server = acceptOne(listener.get());
        client.reset();
        std::this_thread::sleep_for(50ms);
    }
    keep.push_back(udpSocket("127.0.0.1"));
    try {
        keep.push_back(tcpListener("::1"));
        keep.push_back(udpSocket("::1"));
    } catch (const std::exception&) {
        // IPv6 disabled; the IPv4 load is still compared.
    }

    auto source = platform::makeLiveSource();
    const auto before = runSs();
    const auto snapshot = source->poll();
    const auto after = runSs();
    ASSERT_TRUE(snapshot);

    // Only sockets that ss saw unchanged before and after our poll are compared.
    std::map<std::pair<std::uint64_t, std::uint64_t>, SsSocket> stable;
    for (const auto& s : before) {
        stable[{s.inode, s.cookie}] = s;
    }
    std::map<std::pair<std::uint64_t, std::uint64_t>, SsSocket> compared;
    for (const auto& s : after) {
        const auto found = stable.find({s.inode, s.cookie});
        if (found != stable.end() && found->second.state == s.state) {
            compared[{s.inode, s.cookie}] = s;
        }
    }
    ASSERT_GE(compared.size(), 13u) << "the load above should be visible to ss";

    std::size_t withOwner = 0;
    for (const auto& [key, expected] : compared) {
        const core::Socket* ours = nullptr;
        for (const auto& socket : snapshot->sockets) {
            if (socket.cookie == expected.cookie && socket.inode == expected.inode &&
                socket.netns == 0) {
                ours = &socket;
                break;
            }
        }
        ASSERT_NE(ours, nullptr) << "missing: " << expected.line;
        EXPECT_EQ(std::string(core::toString(ours->state)), normalState(expected.state))
            << expected.line;
        EXPECT_EQ(ours->local.port, expected.localPort) << expected.line;
        EXPECT_EQ(ours->remote.port, expected.remotePort) << expected.line;
        EXPECT_EQ(std::string(core::toString(ours->protocol)),
                  expected.netid == "tcp" ? "TCP" : "UDP");
        if (!expected.pids.empty()) {
            ++withOwner;
            EXPECT_NE(std::find(expected.pids.begin(), expected.pids.end(), ours->owner.pid),
                      expected.pids.end())
                << "owner " << ours->owner.pid << " differs: " << expected.line;
            EXPECT_EQ(ours->ownerStatus, core::OwnerStatus::Known) << expected.line;
        }
        if (expected.inode == 0 && expected.state == "TIME-WAIT") {
            EXPECT_EQ(ours->ownerStatus, core::OwnerStatus::NoInode);
        }
    }
    EXPECT_GE(withOwner, 11u) << "our own sockets have owners ss can name";
}
