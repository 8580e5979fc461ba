// Writes the seeds of the fuzz targets whose inputs PortScope itself encodes (helper protocol
// frames, replay files), with the project's own encoder and writer. With
// PORTSCOPE_WRITE_FUZZ_SEEDS=DIR set, FuzzSeeds.WritesSeedsWhenAsked writes them to
// DIR/helper_protocol, DIR/replay_reader and DIR/pcapng_reader (how tests/fuzz/corpus was made);
// otherwise it is skipped. The replay seeds hold what the platform parsers read from the captured
// /proc fixtures, so their records look like a real session's.

#include "linux/host_counters.h"
#include "linux/proc_net.h"
#include "linux/proc_process.h"
#include "portscope/core/helper_protocol.h"
#include "portscope/core/pcapng.h"
#include "portscope/core/replay.h"
#include "portscope/platform/system.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <string>
#include <unistd.h>
#include <utility>
#include <vector>

namespace portscope::fuzz {
namespace {

using namespace core;
using namespace core::helper;
namespace linuxsys = platform::linuxsys;

using Seeds = std::vector<std::pair<std::string, std::string>>;

std::string readFixture(const std::string& name) {
    std::ifstream file(std::string(PORTSCOPE_LINUX_FIXTURES_DIR) + "/" + name, std::ios::binary);
    EXPECT_TRUE(file.good()) << name;
    return {std::istreambuf_iterator<char>(file), {}};
}

Snapshot fixtureSnapshot(std::int64_t seconds) {
    Snapshot snapshot;
    snapshot.steadyNs = seconds * 1'000'000'000;
    snapshot.unixMs = 1'700'000'000'000 + seconds * 1000;
    snapshot.pollDurationNs = 3'000'000;
    snapshot.sourceName = "live";
    snapshot.sockets = linuxsys::parseProcNetSockets(readFixture("net_tcp.txt"), Protocol::Tcp,
                                                     Family::V4, nullptr);
    const auto udp6 = linuxsys::parseProcNetSockets(readFixture("net_udp6.txt"), Protocol::Udp,
                                                    Family::V6, nullptr);
    snapshot.sockets.insert(snapshot.sockets.end(), udp6.begin(), udp6.end());
    for (const char* name : {"proc_stat_cat.txt", "proc_stat_name_with_spaces_and_parens.txt"}) {
        const auto stat = linuxsys::parseProcStat(readFixture(name));
        EXPECT_TRUE(stat.has_value()) << name;
        Process process;
        process.key = {stat->pid, stat->startTime};
        process.parentPid = stat->ppid;
        process.name = stat->comm;
        process.exePath = "/usr/bin/" + stat->comm;
        process.commandLine = linuxsys::parseCmdline(readFixture("proc_cmdline_spaces.bin"));
        process.uid = 1000;
        process.userName = "alice";
        snapshot.processes.push_back(process);
    }
    if (!snapshot.sockets.empty()) {
        snapshot.sockets.front().owner = snapshot.processes.front().key;
        snapshot.sockets.front().ownerStatus = OwnerStatus::Known;
        snapshot.closed.push_back(snapshot.sockets.front());
    }
    linuxsys::parseSnmp(readFixture("snmp_host_snmp.txt"), snapshot.counters, nullptr);
    snapshot.counters.present = true;
    snapshot.warnings.push_back(
        portscope::core::verbatimText("Sockets of other users' processes have no owner."));
    return snapshot;
}

std::string replayFile(const std::vector<Snapshot>& snapshots) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("portscope-fuzz-seed-" + std::to_string(::getpid()) + ".psreplay");
    {
        ReplayWriter writer(portscope::platform::createPrivateFile(path.string()), path.string());
        for (const auto& snapshot : snapshots) {
            writer.write(snapshot);
        }
    }
    std::ifstream file(path, std::ios::binary);
    std::string bytes{std::istreambuf_iterator<char>(file), {}};
    std::filesystem::remove(path);
    return bytes;
}

// The first byte of a replay_reader input: 1 lets the target correct the CRCs.
Seeds replaySeeds() {
    const std::string fixCrc(1, '\1');
    const std::string keepCrc(1, '\0');
    Snapshot empty;
    empty.sourceName = "live";
    const std::string session = replayFile({fixtureSnapshot(1), fixtureSnapshot(2)});
    return {
        {"session", fixCrc + session},
        {"session-stored-crc", keepCrc + session},
        {"empty-snapshot", fixCrc + replayFile({empty})},
        {"header-only", fixCrc + replayFile({})},
        {"truncated", fixCrc + session.substr(0, session.size() - 7)},
    };
}

// The first byte of a helper_protocol input picks the direction: 0 to the helper, 1 to the
// client.
// Sentences of the platform layer as the helper sends them: templates with numbers, text as
// it is and a nested template.
portscope::core::SystemText closeFailureInParts() {
    using namespace portscope::core;
    return systemText("Cannot close %1: %2 (%3).",
                      {systemText("the %1 connection %2 -> %3",
                                  {verbatimText("TCP"), verbatimText("10.0.0.1:5000"),
                                   verbatimText("10.0.0.2:443")}),
                       verbatimText("Operation not permitted"), numberText(12345)});
}

Snapshot withWarningInParts(Snapshot snapshot) {
    snapshot.warnings.push_back(portscope::core::systemText(
        "Owners of %1 sockets are hidden: %2",
        {portscope::core::numberText(3), portscope::core::verbatimText("needs root")}));
    return snapshot;
}

// What the eBPF sensor adds through the helper: who probed closed ports, over IPv4 and IPv6.
Snapshot withProbeSources(Snapshot snapshot) {
    snapshot.probeSources.push_back({IpAddress::v4(203, 0, 113, 9), 312, 0, 340});
    snapshot.probeSources.push_back({*IpAddress::parse("2001:db8::9"), 4, 300, 304});
    return snapshot;
}

// What a capture by socket selects: sockets, processes and listeners of both protocols.
SocketSelection sampleSocketSelection() {
    SocketSelection selection;
    selection.sockets = {42, 4242, 0x0123456789ABCDEFull};
    selection.processes = {1, 77, 31337};
    selection.listeningPorts = {{Protocol::Tcp, 22}, {Protocol::Tcp, 8080}, {Protocol::Udp, 53}};
    return selection;
}

// A sent and a received packet of one socket, the second of a socket the kernel selected
// because process 77 created it.
std::vector<BatchPacket> socketCapturePackets() {
    BatchPacket sent;
    sent.timestampNs = 1'700'000'000'000'000'000ULL;
    sent.data = std::string("\x45\x00\x00\x1c", 4) + "sent";
    sent.originalLength = 28;
    sent.cookie = 4242;
    sent.direction = pcapng::Direction::Outbound;
    BatchPacket received = sent;
    received.interface = 1;
    received.cookie = 4243;
    received.creatorPid = 77;
    received.direction = pcapng::Direction::Inbound;
    return {sent, received};
}

Seeds helperProtocolSeeds() {
    Socket connection;
    connection.state = SocketState::Established;
    connection.local = {IpAddress::v4(127, 0, 0, 1), 5000};
    connection.remote = {IpAddress::v4(127, 0, 0, 1), 80};
    connection.cookie = 42;
    Snapshot snapshot;
    snapshot.sourceName = "seed";
    connection.owner = {77, 88};
    connection.ownerStatus = OwnerStatus::Known;
    snapshot.sockets.push_back(connection);
    Process process;
    process.key = {77, 88};
    process.name = "seed";
    snapshot.processes.push_back(process);

    const std::string toHelper(1, '\0');
    const std::string toClient(1, '\1');
    return {
        {"session", toHelper + encodeFrame(1, Hello{}) + encodeFrame(2, Poll{}) +
                        encodeFrame(3, KillRequest{{77, 88}, 100}) +
                        encodeFrame(4, CloseRequest{connection}) + encodeFrame(5, Goodbye{})},
        {"hello-options", toHelper + encodeFrame(1, Hello{kVersion, kKnownHelloOptions})},
        {"oversized", toHelper + encodeHeader(MessageType::Poll, 1, kMaxRequestBytes + 1)},
        {"replies",
         toClient + encodeFrame(1, Welcome{kVersion, 100, 0}) +
             encodeFrame(2, SnapshotData{snapshot}) +
             encodeFrame(3, ActionReply{ActionCode::Done,
                                        portscope::core::verbatimText("Stopped seed (PID 77).")})},
        {"replies-in-parts",
         toClient + encodeFrame(1, Welcome{kVersion, 100, 0}) +
             encodeFrame(2, SnapshotData{withWarningInParts(snapshot)}) +
             encodeFrame(3, ActionReply{ActionCode::PermissionDenied, closeFailureInParts()})},
        {"probe-sources", toClient + encodeFrame(1, Welcome{kVersion, 100, 0}) +
                              encodeFrame(2, SnapshotData{withProbeSources(snapshot)})},
        {"changes-pending", toClient + encodeFrame(1, Welcome{kVersion, 100, 0}) +
                                encodeFrame(0, ChangesPending{}) +
                                encodeFrame(2, SnapshotData{snapshot})},
        {"error", toClient + encodeFrame(0, ErrorReply{ErrorCode::Oversized, "too big"})},
        {"capture-requests",
         toHelper + encodeFrame(1, Hello{}) +
             encodeFrame(2, StartCapture{65535, {"lo", "eth0"}, "tcp port 80"}) +
             encodeFrame(3, SetCaptureFilter{"(tcp and host 127.0.0.1 and port 5000)"}) +
             encodeFrame(4, ReadPackets{100, 4u << 20}) + encodeFrame(5, StopCapture{})},
        {"capture-replies",
         toClient + encodeFrame(2, CaptureStarted{ActionCode::Done, "", {{276, 65535, "any"}}}) +
             encodeFrame(4, PacketBatch{{{10, 1, 0}},
                                        {{0, 1'700'000'000'000'000'000ULL, 60,
                                          std::string("\x08\x00\x00\x00payload", 11)}}}) +
             encodeFrame(5, ActionReply{ActionCode::Done,
                                        portscope::core::verbatimText("capture stopped")})},
        {"socket-capture-requests",
         toHelper + encodeFrame(1, Hello{}) + encodeFrame(2, StartCapture{65535, {}, "tcp", true}) +
             encodeFrame(3, SelectSockets{sampleSocketSelection()}) +
             encodeFrame(4, SelectSockets{SocketSelection{true, {}, {}, {}}}) +
             encodeFrame(5, ReadPackets{100, 4u << 20}) + encodeFrame(6, StopCapture{})},
        {"socket-capture-replies",
         toClient +
             encodeFrame(2, CaptureStarted{ActionCode::Done,
                                           "",
                                           {{101, 65536, "lo"}, {101, 65536, "other"}}}) +
             encodeFrame(3, ActionReply{ActionCode::InvalidArgument,
                                        portscope::core::verbatimText("No capture is running.")}) +
             encodeFrame(5, PacketBatch{{{2, 0, 0}, {0, 1, 0}}, socketCapturePackets()})},
        {"sensor-select", toHelper + encodeFrame(1, Hello{}) +
                              encodeFrame(2, SensorSelect{SensorRequest::Auto}) +
                              encodeFrame(3, SensorSelect{SensorRequest::Bpf})},
        {"sensor-status",
         toClient + encodeFrame(1, Welcome{kVersion, 100, 0}) +
             encodeFrame(2, SensorStatus{SensorMode::Bpf, ""}) +
             encodeFrame(3, SensorStatus{SensorMode::Poll, "the kernel is in lockdown mode"})},
    };
}

// Files as a capture writes them: a loopback TCP packet in cooked-v2 framing with a comment,
// statistics at the end, and the same cut inside its last block.
Seeds pcapngSeeds() {
    std::string sll2(20, '\0');
    sll2[0] = 0x08;
    std::string ip(20, '\0');
    ip[0] = 0x45;
    ip[9] = 6;
    ip[12] = ip[16] = 127;
    ip[15] = ip[19] = 1;
    const std::string tcp("\x9c\x41\x1f\x90" + std::string(16, '\0') + "payload", 27);
    const std::string frame = sll2 + ip + tcp;

    std::string file;
    pcapng::appendSectionHeader(file, {"seed capture", "x86_64", "Linux", "PortScope"});
    pcapng::appendInterfaceDescription(file, {pcapng::kLinkTypeLinuxSll2, 262144, "any", ""});
    pcapng::appendEnhancedPacket(file, {0, 1'700'000'000'000'000'000ULL, frame,
                                        static_cast<std::uint32_t>(frame.size()),
                                        "PID 77 (started 2026-12-02T10:11:12Z) seed /bin/seed "
                                        "user alice: sent",
                                        pcapng::Direction::Outbound});
    pcapng::InterfaceStatistics statistics;
    statistics.received = 1;
    statistics.dropped = 0;
    statistics.comment = "capture ended";
    pcapng::appendInterfaceStatistics(file, statistics);
    return {{"capture", file}, {"cut", file.substr(0, file.size() - 9)}};
}

void writeSeeds(const std::filesystem::path& directory, const Seeds& seeds) {
    std::filesystem::create_directories(directory);
    for (const auto& [name, seed] : seeds) {
        std::ofstream(directory / (name + ".bin"), std::ios::binary) << seed;
    }
}

TEST(FuzzSeeds, WritesSeedsWhenAsked) {
    const char* directory = std::getenv("PORTSCOPE_WRITE_FUZZ_SEEDS");
    if (directory == nullptr) {
        GTEST_SKIP() << "set PORTSCOPE_WRITE_FUZZ_SEEDS=DIR to write the seed corpus";
    }
    writeSeeds(std::filesystem::path(directory) / "helper_protocol", helperProtocolSeeds());
    writeSeeds(std::filesystem::path(directory) / "replay_reader", replaySeeds());
    writeSeeds(std::filesystem::path(directory) / "pcapng_reader", pcapngSeeds());
}

} // namespace
} // namespace portscope::fuzz
