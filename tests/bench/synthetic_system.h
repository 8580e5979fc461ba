#pragma once
// A made-up system for microbenchmarks: N sockets shaped like a busy server (mostly
// established loopback pairs, some listeners, TIME_WAIT and UDP), owned by M processes,
// whose counters move on every tick and whose connections can churn. Everything is
// deterministic, so runs compare.

#include "portscope/core/model.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace portscope::bench {

class SyntheticSystem {
public:
    SyntheticSystem(std::size_t sockets, std::size_t processes) : processCount_(processes) {
        snapshot_.sourceName = "synthetic";
        snapshot_.sockets.reserve(sockets);
        for (std::size_t i = 0; i < sockets; ++i) {
            snapshot_.sockets.push_back(makeSocket(i));
        }
        for (std::size_t p = 0; p < processes; ++p) {
            core::Process process;
            process.key = keyOf(p);
            process.parentPid = 1;
            process.name = "worker-" + std::to_string(p);
            process.exePath = "/usr/sbin/worker-" + std::to_string(p);
            process.commandLine = process.exePath + " --serve --port " + std::to_string(8000 + p);
            process.uid = 1000;
            process.userName = "service";
            process.startedAtUnixMs = 1'700'000'000'000;
            snapshot_.processes.push_back(std::move(process));
        }
        snapshot_.steadyNs = 1'000'000'000;
        snapshot_.unixMs = 1'700'000'100'000;
        snapshot_.pollDurationNs = 5'000'000;
        snapshot_.counters.present = true;
    }

    const core::Snapshot& snapshot() const { return snapshot_; }

    // The next poll, one second later: every TCP counter moves; `churnFraction` of the
    // sockets close and as many new ones open in their places. Half of the closed ones are
    // also announced as close events, as the Linux source does.
    void advance(double churnFraction) {
        snapshot_.steadyNs += 1'000'000'000;
        snapshot_.unixMs += 1000;
        snapshot_.closed.clear();
        auto& sockets = snapshot_.sockets;
        for (auto& socket : sockets) {
            if (socket.counters.present) {
                socket.counters.bytesAcked += 1500;
                socket.counters.bytesReceived += 700;
                socket.counters.segsIn += 2;
                socket.counters.segsOut += 3;
            }
        }
        const auto replaced =
            static_cast<std::size_t>(churnFraction * static_cast<double>(sockets.size()));
        for (std::size_t n = 0; n < replaced && !sockets.empty(); ++n) {
            // Spread the replaced sockets over the whole list, as real churn is.
            const std::size_t i = (churnCursor_ * 7919) % sockets.size();
            ++churnCursor_;
            if (n % 2 == 0) {
                snapshot_.closed.push_back(sockets[i]);
                snapshot_.closed.back().inode = 0; // close events carry no inode
                snapshot_.closed.back().state = core::SocketState::Close;
            }
            sockets[i] = makeSocket(nextSerial_);
        }
    }

private:
    core::ProcessKey keyOf(std::size_t process) const {
        return {static_cast<std::int32_t>(1000 + process), 4242 + process};
    }

    core::Socket makeSocket(std::size_t index) {
        const std::uint64_t serial = nextSerial_++;
        core::Socket socket;
        socket.protocol = core::Protocol::Tcp;
        socket.state = core::SocketState::Established;
        socket.cookie = 0x10000 + serial;
        socket.inode = 500'000 + serial;
        socket.uid = 1000;
        socket.interfaceIndex = 1;
        const auto hostByte = static_cast<std::uint8_t>(1 + serial % 200);
        socket.local = {core::IpAddress::v4(127, 0, 0, hostByte),
                        static_cast<std::uint16_t>(20000 + serial % 40000)};
        socket.remote = {core::IpAddress::v4(127, 0, 1, hostByte),
                         static_cast<std::uint16_t>(443 + serial % 7)};
        socket.counters.present = true;
        socket.counters.hasBytesSent = true;
        socket.counters.bytesAcked = serial * 13 % 100'000;
        socket.counters.bytesReceived = serial * 7 % 100'000;
        socket.owner = keyOf(serial % processCount_);
        socket.ownerStatus = core::OwnerStatus::Known;
        const std::size_t kind = index % 100;
        if (kind == 0) {
            socket.state = core::SocketState::Listen;
            socket.remote = {core::IpAddress::anyOf(core::Family::V4), 0};
            socket.counters = {};
            socket.counters.present = true;
        } else if (kind < 6) {
            // TIME_WAIT: no inode, so no owner.
            socket.state = core::SocketState::TimeWait;
            socket.inode = 0;
            socket.owner = {};
            socket.ownerStatus = core::OwnerStatus::NoInode;
        } else if (kind == 6) {
            socket.protocol = core::Protocol::Udp;
            socket.state = core::SocketState::Bound;
            socket.remote = {core::IpAddress::anyOf(core::Family::V4), 0};
            socket.counters = {};
        }
        return socket;
    }

    std::size_t processCount_;
    core::Snapshot snapshot_;
    std::uint64_t nextSerial_ = 0;
    std::uint64_t churnCursor_ = 0;
};

} // namespace portscope::bench
