#pragma once
// The capture by socket (platform/packet_capture.h's CaptureOptions::bySocket) in tests: whether
// this machine can do it, reading what it takes, and the scenario every way of opening one
// (directly, through the helper) must pass. Header-only: it needs the platform library, which
// not every user of the test support links.

#include "loopback.h"
#include "portscope/platform/packet_capture.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <gtest/gtest.h>
#include <string>
#include <sys/socket.h>
#include <vector>

namespace portscope::testing {

// True when a capture by socket opens; otherwise false with the reason in *whyNot. A failure
// other than NotSupported or PermissionDenied is a defect and propagates.
inline bool canCaptureBySocket(std::string* whyNot = nullptr) {
    try {
        platform::CaptureOptions options;
        options.bySocket = true;
        platform::openPacketCapture(options);
        return true;
    } catch (const platform::CaptureError& error) {
        if (error.kind != platform::CaptureError::Kind::NotSupported &&
            error.kind != platform::CaptureError::Kind::PermissionDenied) {
            throw;
        }
        if (whyNot != nullptr) {
            *whyNot = error.what();
        }
        return false;
    }
}

// A packet as a capture by socket handed it over.
struct TakenPacket {
    core::PacketSocket socket;
    core::pcapng::Direction direction = core::pcapng::Direction::Unknown;
    std::string data;
    std::uint32_t originalLength = 0;
    std::string interface;
};

inline bool anyCarries(const std::vector<TakenPacket>& packets, const std::string& payload) {
    return std::any_of(packets.begin(), packets.end(), [&](const TakenPacket& packet) {
        return packet.data.find(payload) != std::string::npos;
    });
}

// Reads for up to `limit`, until `enough` says so; returns all that was taken.
inline std::vector<TakenPacket>
readUntil(platform::PacketCapture& capture,
          const std::function<bool(const std::vector<TakenPacket>&)>& enough,
          std::chrono::milliseconds limit = std::chrono::seconds(5)) {
    std::vector<TakenPacket> taken;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline && !enough(taken)) {
        capture.read(std::chrono::milliseconds(100), 1000,
                     [&](const platform::CapturedPacket& packet) {
                         taken.push_back({packet.socket, packet.direction, std::string(packet.data),
                                          packet.originalLength,
                                          capture.interfaces().at(packet.interface).name});
                     });
    }
    return taken;
}

// Two loopback connections, one selected by its cookie: only its packets arrive, each with its
// cookie, its direction and its interface, whole and starting at the IP header; after an
// empty selection, none does.
inline void expectOnlyTheSelectedSocketsPackets(platform::PacketCapture& capture) {
    ASSERT_TRUE(capture.selectsBySocket());
    const Fd listener = tcpListener("127.0.0.1");
    const Fd client = tcpConnect(localEndpoint(listener.get()));
    const Fd server = acceptOne(listener.get());
    const Fd noiseClient = tcpConnect(localEndpoint(listener.get()));
    const Fd noiseServer = acceptOne(listener.get());
    const std::uint64_t cookie = socketCookie(client.get());
    core::SocketSelection selection;
    selection.sockets = {cookie};
    capture.selectSockets(selection);

    ASSERT_EQ(::send(noiseClient.get(), "NOISE-ONE", 9, 0), 9);
    ASSERT_EQ(::send(client.get(), "SELECTED-REQUEST", 16, 0), 16);
    ASSERT_EQ(receiveExactly(server.get(), 16), 16u);
    ASSERT_EQ(::send(server.get(), "SELECTED-ANSWER", 15, 0), 15);
    ASSERT_EQ(receiveExactly(client.get(), 15), 15u);
    ASSERT_EQ(::send(noiseServer.get(), "NOISE-TWO", 9, 0), 9);
    ASSERT_EQ(receiveExactly(noiseClient.get(), 9), 9u);

    const auto packets = readUntil(capture, [](const auto& taken) {
        return anyCarries(taken, "SELECTED-REQUEST") && anyCarries(taken, "SELECTED-ANSWER");
    });
    EXPECT_TRUE(anyCarries(packets, "SELECTED-REQUEST"));
    EXPECT_TRUE(anyCarries(packets, "SELECTED-ANSWER"));
    EXPECT_FALSE(anyCarries(packets, "NOISE")) << "an unselected socket's packet came through";
    for (const auto& packet : packets) {
        EXPECT_EQ(packet.socket.cookie, cookie);
        EXPECT_EQ(packet.socket.creatorPid, 0); // selected by this side, not by the kernel
        EXPECT_EQ(packet.interface, "lo");
        EXPECT_EQ(packet.data.size(), packet.originalLength);
        ASSERT_FALSE(packet.data.empty());
        EXPECT_EQ(static_cast<unsigned char>(packet.data[0]) >> 4, 4) << "an IPv4 header first";
        if (packet.data.find("SELECTED-REQUEST") != std::string::npos) {
            EXPECT_EQ(packet.direction, core::pcapng::Direction::Outbound);
        } else if (packet.data.find("SELECTED-ANSWER") != std::string::npos) {
            EXPECT_EQ(packet.direction, core::pcapng::Direction::Inbound);
        } else {
            EXPECT_NE(packet.direction, core::pcapng::Direction::Unknown);
        }
    }

    capture.selectSockets({});
    ASSERT_EQ(::send(client.get(), "AFTER-DESELECT", 14, 0), 14);
    ASSERT_EQ(receiveExactly(server.get(), 14), 14u);
    const auto after = readUntil(
        capture, [](const auto&) { return false; }, std::chrono::milliseconds(500));
    EXPECT_FALSE(anyCarries(after, "AFTER-DESELECT"));
}

} // namespace portscope::testing
