// Cost of labelling one captured packet: parsing its headers, finding its owner among the
// known connections (by flow, or by its socket's cookie for a capture by socket), and
// encoding its pcapng block with the comment. Run with
// tests/bench/run-all.sh or directly (release preset); docs/performance.md has the numbers.

#include "portscope/core/packet_attribution.h"
#include "portscope/core/pcapng.h"

#include <benchmark/benchmark.h>
#include <string>
#include <vector>

namespace {

using namespace portscope::core;

// An SLL2 frame of a loopback TCP segment from port `from` to port `to`, 1448 bytes long.
std::string frameOf(std::uint16_t from, std::uint16_t to) {
    std::string frame(20, '\0');
    frame[0] = 0x08;
    std::string ip(20, '\0');
    ip[0] = 0x45;
    ip[9] = 6;
    ip[12] = ip[16] = 127;
    ip[15] = ip[19] = 1;
    std::string tcp(20, '\0');
    tcp[0] = static_cast<char>(from >> 8);
    tcp[1] = static_cast<char>(from & 0xFF);
    tcp[2] = static_cast<char>(to >> 8);
    tcp[3] = static_cast<char>(to & 0xFF);
    return frame + ip + tcp + std::string(1408, 'x');
}

// `flows` loopback connections of 100 processes, as one Update.
Update updateWith(std::int64_t flows) {
    Update update;
    update.unixMs = 1'700'000'000'000;
    for (int pid = 1; pid <= 100; ++pid) {
        ProcessRow row;
        row.process.key = {pid, 1};
        row.process.name = "process-" + std::to_string(pid);
        row.process.exePath = "/usr/bin/" + row.process.name;
        row.process.userName = "alice";
        update.processes.push_back(row);
    }
    for (std::int64_t i = 0; i < flows; ++i) {
        Connection connection;
        connection.id = static_cast<ConnectionId>(i + 1);
        connection.socket.state = SocketState::Established;
        connection.socket.local = {IpAddress::v4(127, 0, 0, 1),
                                   static_cast<std::uint16_t>(10000 + i % 50000)};
        connection.socket.remote = {IpAddress::v4(127, 0, static_cast<std::uint8_t>(i / 50000), 2),
                                    80};
        connection.socket.owner = {static_cast<std::int32_t>(1 + i % 100), 1};
        connection.socket.cookie = static_cast<std::uint64_t>(i + 1);
        update.connections.push_back(connection);
    }
    return update;
}

void attributeAndEncode(benchmark::State& state) {
    PacketAttributor attributor(
        [](const Connection& c, const ProcessRow*) { return c.socket.owner.pid == 7; });
    attributor.update(updateWith(state.range(0)));
    // Packets of 64 different known flows, both directions.
    std::vector<std::string> frames;
    for (int i = 0; i < 64; ++i) {
        const auto port = static_cast<std::uint16_t>(10000 + i * 97);
        frames.push_back(i % 2 == 0 ? frameOf(port, 80) : frameOf(80, port));
    }
    std::string out;
    std::size_t next = 0;
    for (auto _ : state) {
        const std::string& frame = frames[next++ % frames.size()];
        const auto flow = parsePacketFlow(pcapng::kLinkTypeLinuxSll2, frame);
        const auto attribution = attributor.attribute(*flow);
        out.clear();
        pcapng::appendEnhancedPacket(out, {0, 1, frame, static_cast<std::uint32_t>(frame.size()),
                                           attribution.comment, flow->direction});
        benchmark::DoNotOptimize(out.data());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(attributeAndEncode)->Arg(1000)->Arg(100000);

// The same for a capture by socket: raw IP packets, each with its socket's cookie and its
// direction, so the owner is found by cookie and the other end by its flow.
void attributeBySocketAndEncode(benchmark::State& state) {
    PacketAttributor attributor(
        [](const Connection& c, const ProcessRow*) { return c.socket.owner.pid == 7; });
    attributor.update(updateWith(state.range(0)));
    struct Taken {
        std::string packet;
        PacketSocket socket;
        pcapng::Direction direction;
    };
    // The kernel hands over the selected sockets' packets: 64 connections of process 7.
    std::vector<Taken> taken;
    for (int k = 0; k < 64; ++k) {
        const int connection = 6 + 100 * k; // owned by process 7 in updateWith()
        const auto port = static_cast<std::uint16_t>(10000 + connection % 50000);
        const bool sent = k % 2 == 0;
        const std::string frame = sent ? frameOf(port, 80) : frameOf(80, port);
        taken.push_back({frame.substr(20),
                         {static_cast<std::uint64_t>(connection + 1), 0},
                         sent ? pcapng::Direction::Outbound : pcapng::Direction::Inbound});
    }
    std::string out;
    std::size_t next = 0;
    for (auto _ : state) {
        const Taken& packet = taken[next++ % taken.size()];
        auto flow = parsePacketFlow(pcapng::kLinkTypeRaw, packet.packet);
        flow->direction = packet.direction;
        const auto attribution = attributor.attribute(*flow, packet.socket);
        out.clear();
        pcapng::appendEnhancedPacket(out, {0, 1, packet.packet,
                                           static_cast<std::uint32_t>(packet.packet.size()),
                                           attribution.comment, flow->direction});
        benchmark::DoNotOptimize(out.data());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(attributeBySocketAndEncode)->Arg(1000)->Arg(100000);

void attributorUpdate(benchmark::State& state) {
    const Update update = updateWith(state.range(0));
    PacketAttributor attributor(
        [](const Connection& c, const ProcessRow*) { return c.socket.owner.pid == 7; });
    for (auto _ : state) {
        attributor.update(update);
        benchmark::DoNotOptimize(attributor.processFilter().data());
    }
}
BENCHMARK(attributorUpdate)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
