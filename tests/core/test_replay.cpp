#include "bounded_run.h"
#include "core_test_support.h"
#include "fake_sources.h"
#include "portscope/core/recording_source.h"
#include "portscope/core/replay.h"
#include "portscope/core/tracker.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <random>
#include <unistd.h>

namespace portscope::core {
namespace {

namespace fs = std::filesystem;
using testing::processOf;
using testing::snapshotAt;
using testing::tcpSocket;
using testing::udpSocket;
using testing::withBytes;

// ---------------------------------------------------------------------------------------
// Helpers

class TempDir {
public:
    TempDir() {
        const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
        path_ = fs::temp_directory_path() /
                ("portscope-replay-" + std::to_string(::getpid()) + "-" + test->name());
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ignored; // a leftover temp dir is not worth failing a test over
        fs::remove_all(path_, ignored);
    }
    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    fs::path path_;
};

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The programs create recordings with platform::createPrivateFile; core tests need no more.
UniqueFile createFile(const std::string& path) {
    UniqueFile file(std::fopen(path.c_str(), "wb"));
    if (!file) {
        throw std::runtime_error("cannot create " + path);
    }
    return file;
}

void writeAll(const std::string& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string little32(std::uint32_t value) {
    std::string out(4, '\0');
    for (int i = 0; i < 4; ++i) {
        out[i] = static_cast<char>(value >> (8 * i));
    }
    return out;
}

std::string fileHeader(std::uint32_t version = replay::kVersion) {
    return std::string(replay::kMagic) + little32(version) + little32(0);
}

std::string record(std::string_view payload) {
    return little32(static_cast<std::uint32_t>(payload.size())) + little32(replay::crc32(payload)) +
           std::string(payload);
}

std::vector<std::uint64_t> typedCounters(const HostCounters& c) {
    return {c.tcp.activeOpens,       c.tcp.passiveOpens,        c.tcp.attemptFails,
            c.tcp.estabResets,       c.tcp.currEstab,           c.tcp.inSegs,
            c.tcp.outSegs,           c.tcp.retransSegs,         c.tcp.inErrs,
            c.tcp.outRsts,           c.udp.inDatagrams,         c.udp.noPorts,
            c.udp.inErrors,          c.udp.outDatagrams,        c.udp.receiveBufferErrors,
            c.udp.sendBufferErrors,  c.icmp.inMessages,         c.icmp.outMessages,
            c.icmp.inDestUnreachs,   c.icmp.outDestUnreachs,    c.tcpExt.listenOverflows,
            c.tcpExt.listenDrops,    c.tcpExt.reqQueueFullDrop, c.tcpExt.reqQueueFullDoCookies,
            c.tcpExt.syncookiesSent, c.tcpExt.syncookiesRecv,   c.tcpExt.syncookiesFailed,
            c.tcpExt.synRetransmits};
}

void expectSameSnapshot(const Snapshot& a, const Snapshot& b) {
    EXPECT_EQ(a.steadyNs, b.steadyNs);
    EXPECT_EQ(a.unixMs, b.unixMs);
    EXPECT_EQ(a.pollDurationNs, b.pollDurationNs);
    EXPECT_EQ(a.sockets, b.sockets);
    EXPECT_EQ(a.closed, b.closed);
    EXPECT_EQ(a.processes, b.processes);
    EXPECT_EQ(a.counters.present, b.counters.present);
    EXPECT_EQ(typedCounters(a.counters), typedCounters(b.counters));
    EXPECT_EQ(a.counters.all, b.counters.all);
    EXPECT_EQ(a.warnings, b.warnings);
    EXPECT_EQ(a.closeEventsLost, b.closeEventsLost);
    EXPECT_EQ(a.sourceName, b.sourceName);
}

// Every field set, none to its default, with awkward strings.
Snapshot richSnapshot(bool withHugeString = true) {
    Snapshot snapshot;
    snapshot.steadyNs = 987'654'321'012'345;
    snapshot.unixMs = -1'234; // before 1970: signed values must survive
    snapshot.pollDurationNs = 4'500'000;
    snapshot.closeEventsLost = true;
    snapshot.sourceName = "linux sock_diag \xE2\x9C\x93 \xF0\x9F\x9A\x80";

    Socket v4;
    v4.protocol = Protocol::Tcp;
    v4.state = SocketState::CloseWait;
    v4.local = Endpoint{IpAddress::v4(10, 1, 2, 3), 443};
    v4.remote = Endpoint{IpAddress::v4(192, 168, 255, 254), 65535};
    v4.inode = 0xFFFF'FFFF'FFFF'FFFFull;
    v4.cookie = 0x0123'4567'89AB'CDEFull;
    v4.uid = 4'294'967'294u;
    v4.interfaceIndex = 7;
    v4.receiveQueue = 11;
    v4.sendQueue = 4'000'000'000u;
    v4.counters = TcpCounters{true, true, 1ull << 40, 3, 0xFFFF'FFFF'FFFF'FFF0ull, 17, 19};
    v4.owner = ProcessKey{-5, 0xDEAD'BEEF'0000'0001ull};
    v4.ownerStatus = OwnerStatus::PermissionDenied;
    v4.netns = 4026531993;
    snapshot.sockets.push_back(v4);

    Socket v6;
    v6.protocol = Protocol::Udp;
    v6.state = SocketState::Bound;
    v6.local = Endpoint{*IpAddress::parse("fe80::1:2:3:4"), 53};
    v6.remote = Endpoint{*IpAddress::parse("2001:db8::ff"), 1};
    v6.inode = 1;
    v6.cookie = 2;
    v6.uid = 3;
    v6.interfaceIndex = 4;
    v6.receiveQueue = 5;
    v6.sendQueue = 6;
    v6.counters = TcpCounters{false, true, 7, 8, 9, 10, 11};
    v6.owner = ProcessKey{12, 13};
    v6.ownerStatus = OwnerStatus::Listener;
    v6.netns = 14;
    snapshot.sockets.push_back(v6);
    // One socket for every state and owner status, so each enum value is carried.
    for (std::uint8_t state = 0; state <= static_cast<std::uint8_t>(SocketState::Bound); ++state) {
        Socket socket = tcpSocket(1000 + state, 40000, state);
        socket.state = static_cast<SocketState>(state);
        socket.ownerStatus = static_cast<OwnerStatus>(state % 6);
        snapshot.sockets.push_back(socket);
    }

    Socket closed = v4;
    closed.inode = 0;
    closed.state = SocketState::TimeWait;
    closed.counters.present = true;
    closed.counters.hasBytesSent = false;
    snapshot.closed.push_back(closed);

    Process odd;
    odd.key = ProcessKey{2'147'483'647, 0xFFFF'FFFF'FFFF'FFFFull};
    odd.parentPid = -1;
    odd.name = std::string("a\0b", 3) + "\xFF\xFE";                       // NUL and invalid UTF-8
    odd.exePath = "/opt/\xE5\xB7\xA5\xE5\x85\xB7/bin/t\xC3\xB6\xC3\xB6l"; // CJK and umlauts
    odd.exeDeleted = true;
    odd.commandLine = "t\xC3\xB6\xC3\xB6l --flag=\"x y\"\n\t\r;DROP TABLE";
    odd.uid = 65534;
    odd.userName = "n\xC3\xB8"
                   "body";
    odd.startedAtUnixMs = -42;
    odd.socketCount = 3;
    odd.netns = 99;
    odd.detailsError = "Permission denied reading /proc/1/exe";
    snapshot.processes.push_back(odd);
    if (withHugeString) {
        Process huge = processOf(ProcessKey{77, 78}, "huge");
        huge.commandLine = std::string(replay::kMaxStringBytes, 'x'); // exactly the limit
        snapshot.processes.push_back(huge);
    }
    Process empty;
    empty.key = ProcessKey{1, 1};
    snapshot.processes.push_back(empty);

    HostCounters& counters = snapshot.counters;
    counters.present = true;
    std::uint64_t next = 1;
    for (std::uint64_t* field : {&counters.tcp.activeOpens,
                                 &counters.tcp.passiveOpens,
                                 &counters.tcp.attemptFails,
                                 &counters.tcp.estabResets,
                                 &counters.tcp.currEstab,
                                 &counters.tcp.inSegs,
                                 &counters.tcp.outSegs,
                                 &counters.tcp.retransSegs,
                                 &counters.tcp.inErrs,
                                 &counters.tcp.outRsts,
                                 &counters.udp.inDatagrams,
                                 &counters.udp.noPorts,
                                 &counters.udp.inErrors,
                                 &counters.udp.outDatagrams,
                                 &counters.udp.receiveBufferErrors,
                                 &counters.udp.sendBufferErrors,
                                 &counters.icmp.inMessages,
                                 &counters.icmp.outMessages,
                                 &counters.icmp.inDestUnreachs,
                                 &counters.icmp.outDestUnreachs,
                                 &counters.tcpExt.listenOverflows,
                                 &counters.tcpExt.listenDrops,
                                 &counters.tcpExt.reqQueueFullDrop,
                                 &counters.tcpExt.reqQueueFullDoCookies,
                                 &counters.tcpExt.syncookiesSent,
                                 &counters.tcpExt.syncookiesRecv,
                                 &counters.tcpExt.syncookiesFailed,
                                 &counters.tcpExt.synRetransmits}) {
        *field = next * 1'000'003;
        ++next;
    }
    counters.all = {{"Tcp.OutRsts", 22}, {"", -1}, {"TcpExt.\xE2\x82\xAC", INT64_MIN}};

    snapshot.warnings = {portscope::core::verbatimText(""),
                         portscope::core::verbatimText("\xE2\x9A\xA0 close events were lost"),
                         portscope::core::verbatimText("line one\nline two")};
    return snapshot;
}

// A small snapshot with one TCP IPv4 socket; layoutOffsets below follow
// docs/replay-format.md for it.
Snapshot oneSocketSnapshot() {
    Snapshot snapshot;
    snapshot.steadyNs = 1;
    snapshot.unixMs = 2;
    snapshot.pollDurationNs = 3;
    snapshot.sockets.push_back(tcpSocket(5, 40000, 80));
    return snapshot;
}

namespace layout {
constexpr std::size_t kFlags = 24;
constexpr std::size_t kSourceNameLength = 25;
constexpr std::size_t kSocketCount = 29;
constexpr std::size_t kSocket = 33;
constexpr std::size_t kProtocol = kSocket;
constexpr std::size_t kState = kSocket + 1;
constexpr std::size_t kLocalFamily = kSocket + 2;
constexpr std::size_t kLocalAddress = kSocket + 3;
constexpr std::size_t kCounterFlags = kSocket + 72;
constexpr std::size_t kOwnerStatus = kSocket + 117;
constexpr std::size_t kSocketSize = 126;
constexpr std::size_t kCountersPresent = kSocket + kSocketSize + 4 + 4;
constexpr std::size_t kTotal = kCountersPresent + 1 + 28 * 8 + 4 + 4;
} // namespace layout

// ---------------------------------------------------------------------------------------
// Codec

TEST(ReplayCodec, Crc32MatchesTheStandardCheckValue) {
    EXPECT_EQ(replay::crc32("123456789"), 0xCBF43926u);
    EXPECT_EQ(replay::crc32(""), 0u);
}

TEST(ReplayCodec, RichSnapshotRoundTripsExactly) {
    const Snapshot original = richSnapshot();
    const std::string payload = encodeSnapshot(original);
    std::string error;
    const auto decoded = decodeSnapshot(payload, &error);
    ASSERT_TRUE(decoded) << error;
    EXPECT_TRUE(error.empty());
    expectSameSnapshot(*decoded, original);
    EXPECT_EQ(encodeSnapshot(*decoded), payload);
}

TEST(ReplayCodec, EmptySnapshotRoundTrips) {
    const Snapshot original;
    const auto decoded = decodeSnapshot(encodeSnapshot(original), nullptr);
    ASSERT_TRUE(decoded);
    expectSameSnapshot(*decoded, original);
}

TEST(ReplayCodec, EncodingFollowsTheDocumentedLayout) {
    const std::string payload = encodeSnapshot(oneSocketSnapshot());
    ASSERT_EQ(payload.size(), layout::kTotal);
    EXPECT_EQ(payload.substr(0, 8), std::string("\x01\0\0\0\0\0\0\0", 8)) << "little-endian";
    EXPECT_EQ(payload[layout::kFlags], 0);
    EXPECT_EQ(payload.substr(layout::kSocketCount, 4), little32(1));
    EXPECT_EQ(payload[layout::kProtocol], 6);
    EXPECT_EQ(payload[layout::kState], 1);
    EXPECT_EQ(payload[layout::kLocalFamily], 4);
    EXPECT_EQ(payload.substr(layout::kLocalAddress, 4), std::string("\x7f\0\0\x01", 4));
    EXPECT_EQ(payload[layout::kCounterFlags], 1) << "counters present, no bytes_sent";
    EXPECT_EQ(payload[layout::kOwnerStatus], static_cast<char>(OwnerStatus::NotFound));
}

TEST(ReplayCodec, OverlongStringIsCutAtACharacterBoundary) {
    Snapshot snapshot;
    // Two-byte characters shifted by one, so the limit falls inside a character.
    snapshot.sourceName = "x";
    for (std::size_t i = 0; i < replay::kMaxStringBytes / 2 + 10; ++i) {
        snapshot.sourceName += "\xC3\xA9";
    }
    const auto decoded = decodeSnapshot(encodeSnapshot(snapshot), nullptr);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->sourceName.size(), replay::kMaxStringBytes - 1);
    EXPECT_EQ(decoded->sourceName, snapshot.sourceName.substr(0, replay::kMaxStringBytes - 1));
}

std::string decodeError(std::string payload) {
    std::string error;
    const auto decoded = decodeSnapshot(payload, &error);
    EXPECT_FALSE(decoded);
    EXPECT_FALSE(error.empty());
    return error;
}

TEST(ReplayCodec, RejectsInvalidValuesWithAClearMessage) {
    const std::string good = encodeSnapshot(oneSocketSnapshot());
    ASSERT_TRUE(decodeSnapshot(good, nullptr));
    auto patched = [&](std::size_t offset, char value) {
        std::string bytes = good;
        bytes[offset] = value;
        return bytes;
    };
    EXPECT_NE(decodeError(patched(layout::kProtocol, 9)).find("unknown protocol 9"),
              std::string::npos);
    EXPECT_NE(decodeError(patched(layout::kState, 99)).find("unknown socket state 99"),
              std::string::npos);
    EXPECT_NE(decodeError(patched(layout::kLocalFamily, 5)).find("unknown address family 5"),
              std::string::npos);
    EXPECT_NE(decodeError(patched(layout::kLocalAddress + 4, 1)).find("non-zero padding"),
              std::string::npos);
    EXPECT_NE(decodeError(patched(layout::kCounterFlags, 0x40)).find("unknown counter flags"),
              std::string::npos);
    EXPECT_NE(decodeError(patched(layout::kOwnerStatus, 50)).find("unknown owner status 50"),
              std::string::npos);
    EXPECT_NE(decodeError(patched(layout::kFlags, 2)).find("unknown snapshot flags"),
              std::string::npos);
    EXPECT_NE(decodeError(patched(layout::kCountersPresent, 2)).find("invalid boolean"),
              std::string::npos);
    const std::string located = decodeError(patched(layout::kProtocol, 9));
    EXPECT_NE(located.find("at payload byte " + std::to_string(layout::kProtocol)),
              std::string::npos)
        << located;
}

TEST(ReplayCodec, RejectsLengthsAndCountsTheRecordCannotHold) {
    const std::string good = encodeSnapshot(oneSocketSnapshot());
    auto withWord = [&](std::size_t offset, std::uint32_t value) {
        std::string bytes = good;
        bytes.replace(offset, 4, little32(value));
        return bytes;
    };
    EXPECT_NE(decodeError(withWord(layout::kSourceNameLength, replay::kMaxStringBytes + 1))
                  .find("exceeds the limit of 1 MiB"),
              std::string::npos);
    EXPECT_NE(decodeError(withWord(layout::kSourceNameLength, 1000)).find("runs past the end"),
              std::string::npos);
    EXPECT_NE(decodeError(withWord(layout::kSocketCount, 0xFFFFFFFFu)).find("does not fit"),
              std::string::npos);
    EXPECT_NE(decodeError(withWord(layout::kSocketCount, 3)).find("does not fit"),
              std::string::npos);
    EXPECT_NE(decodeError(good + "x").find("1 unexpected bytes after the snapshot"),
              std::string::npos);
}

// An empty snapshot whose list at `countOffset` claims `count` all-zero elements of
// `elementBytes` each, as small as the format allows: the count fits the payload's size, but
// decoded, the elements take several times as much memory.
std::string payloadOfZeroElements(std::size_t countOffset, std::uint32_t count,
                                  std::size_t elementBytes) {
    std::string payload = encodeSnapshot(Snapshot{});
    payload.replace(countOffset, 4, little32(count));
    payload.insert(countOffset + 4, std::size_t{count} * elementBytes, '\0');
    return payload;
}

constexpr std::size_t kEmptyProcessCount = 37; // an empty snapshot's process count
constexpr std::size_t kMinProcessBytes = 61;   // a process with every string empty

std::string warningsPayload(std::uint32_t count) {
    return payloadOfZeroElements(encodeSnapshot(Snapshot{}).size() - 4, count, 4);
}

TEST(ReplayCodec, ElementCountsWithinTheBudgetDecode) {
    const auto processes =
        decodeSnapshot(payloadOfZeroElements(kEmptyProcessCount, 1000, kMinProcessBytes), nullptr);
    ASSERT_TRUE(processes) << "the layout of the crafted payloads is right";
    EXPECT_EQ(processes->processes.size(), 1000u);
    const auto warnings = decodeSnapshot(warningsPayload(1000), nullptr);
    ASSERT_TRUE(warnings);
    EXPECT_EQ(warnings->warnings.size(), 1000u);
}

// Counts that fit their record's size, but whose elements would take gigabytes once decoded,
// are refused at the count, before anything is allocated for them.
TEST(ReplayCodec, CountsPastTheRecordBudgetAreRefusedWithoutAllocating) {
    if (!portscope::testing::kCanRunBounded) {
        GTEST_SKIP() << "needs fork";
    }
    // 16 MiB of payload that decodes to 128 MiB of empty strings.
    const std::string manyWarnings = warningsPayload(replay::kMaxRecordElements + 1);
    // 128 MiB of payload that decodes to 470 MiB of processes.
    const std::uint32_t processCount =
        static_cast<std::uint32_t>(replay::kMaxDecodedRecordBytes / 256 + 1);
    const std::string manyProcesses =
        payloadOfZeroElements(kEmptyProcessCount, processCount, kMinProcessBytes);
    ASSERT_LT(manyProcesses.size(), replay::kMaxRecordBytes);

    const auto result = portscope::testing::runBounded(
        [&] {
            std::string warningsError;
            std::string processesError;
            const bool refused = !decodeSnapshot(manyWarnings, &warningsError) &&
                                 !decodeSnapshot(manyProcesses, &processesError);
            const bool clear =
                warningsError ==
                    "warning list: count 4194305 takes the record past the record's limit of "
                    "4194304 list elements at payload byte 270" &&
                processesError ==
                    "process list: count 2097153 takes the record past the record's limit of "
                    "512 MiB decoded at payload byte 37";
            if (!refused || !clear) {
                std::fprintf(stderr, "warnings: %s\nprocesses: %s\n", warningsError.c_str(),
                             processesError.c_str());
            }
            return refused && clear;
        },
        64, 5);
    EXPECT_TRUE(result.ok) << result.why;
}

TEST(ReplayCodec, EveryTruncationOfAPayloadIsRejected) {
    const std::string payload = encodeSnapshot(richSnapshot(false));
    for (std::size_t length = 0; length < payload.size(); ++length) {
        std::string error;
        ASSERT_FALSE(decodeSnapshot(std::string_view(payload).substr(0, length), &error))
            << "length " << length;
        ASSERT_FALSE(error.empty());
    }
}

TEST(ReplayCodec, RandomCorruptionNeverCrashesAndAcceptedPayloadsAreCanonical) {
    Snapshot snapshot = oneSocketSnapshot();
    snapshot.closed.push_back(udpSocket(9, 53));
    snapshot.processes.push_back(processOf(ProcessKey{3, 4}, "daemon"));
    snapshot.warnings.push_back(portscope::core::verbatimText("w"));
    snapshot.counters.all.emplace_back("Udp.InErrors", 5);
    const std::string good = encodeSnapshot(snapshot);
    std::mt19937 random(7);
    int accepted = 0;
    for (int round = 0; round < 5000; ++round) {
        std::string bytes = good;
        const int flips = 1 + static_cast<int>(random() % 4);
        for (int i = 0; i < flips; ++i) {
            bytes[random() % bytes.size()] ^= static_cast<char>(1u << (random() % 8));
        }
        std::string error;
        const auto decoded = decodeSnapshot(bytes, &error);
        if (decoded) {
            ++accepted;
            // Every byte is meaningful and checked, so what decodes re-encodes identically.
            ASSERT_EQ(encodeSnapshot(*decoded), bytes) << "round " << round;
        } else {
            ASSERT_FALSE(error.empty());
        }
    }
    EXPECT_GT(accepted, 0) << "flips inside plain numbers should decode";
}

// ---------------------------------------------------------------------------------------
// Files

std::vector<Snapshot> sessionSnapshots() {
    const ProcessKey web{100, 1};
    std::vector<Snapshot> snapshots;
    snapshots.push_back(snapshotAt(0, {withBytes(tcpSocket(1, 40001, 80, web), 0, 0)}, {},
                                   {processOf(web, "web")}));
    snapshots.push_back(snapshotAt(1, {withBytes(tcpSocket(1, 40001, 80, web), 500, 20),
                                       withBytes(tcpSocket(2, 40002, 80, web), 10, 0)}));
    snapshots.push_back(snapshotAt(
        2, {withBytes(tcpSocket(2, 40002, 80, web), 90, 0)},
        {withBytes(tcpSocket(1, 40001, 80), 700, 20), withBytes(tcpSocket(3, 40003, 80), 5, 5)}));
    snapshots.push_back(richSnapshot());
    snapshots.back().steadyNs = 3'000'000'000;
    snapshots.push_back(snapshotAt(4, {udpSocket(4, 5353, web)}));
    return snapshots;
}

TEST(ReplayFile, WriterAndReaderRoundTripRecordsInOrder) {
    TempDir dir;
    const std::string path = dir.file("session.psreplay");
    const auto snapshots = sessionSnapshots();
    {
        ReplayWriter writer(createFile(path), path);
        for (const auto& snapshot : snapshots) {
            writer.write(snapshot);
        }
        EXPECT_EQ(writer.recordsWritten(), snapshots.size());
    }
    ReplayReader reader(path);
    EXPECT_FALSE(reader.isLive());
    EXPECT_NE(reader.name().find(path), std::string::npos);
    for (const auto& expected : snapshots) {
        const auto snapshot = reader.poll();
        ASSERT_TRUE(snapshot) << reader.error();
        expectSameSnapshot(*snapshot, expected);
    }
    EXPECT_FALSE(reader.poll());
    EXPECT_EQ(reader.error(), "");
    EXPECT_EQ(reader.recordsRead(), snapshots.size());
    EXPECT_FALSE(reader.poll()) << "the end stays the end";
}

TEST(ReplayFile, FileFollowsTheDocumentedLayout) {
    TempDir dir;
    const std::string path = dir.file("layout.psreplay");
    const Snapshot snapshot = oneSocketSnapshot();
    {
        ReplayWriter writer(createFile(path), path);
        writer.write(snapshot);
    }
    const std::string payload = encodeSnapshot(snapshot);
    EXPECT_EQ(readAll(path), fileHeader() + record(payload));
    EXPECT_EQ(fileHeader().substr(0, 12), std::string("PSREPLAY\x01\0\0\0", 12));
}

TEST(ReplayFile, EveryRecordIsOnDiskBeforeWriteReturns) {
    TempDir dir;
    const std::string path = dir.file("live.psreplay");
    ReplayWriter writer(createFile(path), path);
    const auto snapshots = sessionSnapshots();
    writer.write(snapshots[0]);
    writer.write(snapshots[1]);
    // The writer is still open, as in a session that crashes now.
    ReplayReader reader(path);
    ASSERT_TRUE(reader.poll());
    ASSERT_TRUE(reader.poll());
    EXPECT_FALSE(reader.poll());
    EXPECT_EQ(reader.error(), "");
}

TEST(ReplayFile, HeaderOnlyFileEndsCleanly) {
    TempDir dir;
    const std::string path = dir.file("none.psreplay");
    { ReplayWriter writer(createFile(path), path); }
    ReplayReader reader(path);
    EXPECT_FALSE(reader.poll());
    EXPECT_EQ(reader.error(), "");
    EXPECT_EQ(reader.recordsRead(), 0u);
}

TEST(ReplayFile, TruncationAnywhereInTheLastRecordKeepsEveryEarlierRecord) {
    TempDir dir;
    const std::string full = dir.file("full.psreplay");
    std::vector<Snapshot> snapshots = sessionSnapshots();
    snapshots.erase(snapshots.begin() + 3); // the rich one is large; keep this loop quick
    {
        ReplayWriter writer(createFile(full), full);
        for (const auto& snapshot : snapshots) {
            writer.write(snapshot);
        }
    }
    const std::string bytes = readAll(full);
    const std::size_t lastRecordSize =
        replay::kRecordHeaderSize + encodeSnapshot(snapshots.back()).size();
    const std::size_t lastStart = bytes.size() - lastRecordSize;
    const std::string cut = dir.file("cut.psreplay");
    for (std::size_t length = lastStart; length < bytes.size(); ++length) {
        writeAll(cut, std::string_view(bytes).substr(0, length));
        ReplayReader reader(cut);
        for (std::size_t i = 0; i + 1 < snapshots.size(); ++i) {
            const auto snapshot = reader.poll();
            ASSERT_TRUE(snapshot) << "cut at " << length << ": " << reader.error();
            ASSERT_EQ(snapshot->steadyNs, snapshots[i].steadyNs);
        }
        ASSERT_FALSE(reader.poll());
        ASSERT_EQ(reader.recordsRead(), snapshots.size() - 1);
        if (length == lastStart) {
            EXPECT_EQ(reader.error(), "") << "a file cut between records is complete";
        } else {
            const std::string expected = "record " + std::to_string(snapshots.size()) +
                                         " at byte " + std::to_string(lastStart) + ": truncated";
            ASSERT_EQ(reader.error().rfind(expected, 0), 0u)
                << "cut at " << length << ": " << reader.error();
        }
    }
}

TEST(ReplayFile, CorruptPayloadStopsAtThatRecordWithACrcError) {
    TempDir dir;
    const std::string path = dir.file("crc.psreplay");
    const auto snapshots = sessionSnapshots();
    {
        ReplayWriter writer(createFile(path), path);
        for (const auto& snapshot : snapshots) {
            writer.write(snapshot);
        }
    }
    std::string bytes = readAll(path);
    const std::size_t secondStart =
        replay::kFileHeaderSize + replay::kRecordHeaderSize + encodeSnapshot(snapshots[0]).size();
    bytes[secondStart + replay::kRecordHeaderSize + 3] ^= 0x10;
    writeAll(path, bytes);

    ReplayReader reader(path);
    ASSERT_TRUE(reader.poll());
    EXPECT_FALSE(reader.poll());
    EXPECT_FALSE(reader.poll());
    EXPECT_EQ(reader.recordsRead(), 1u);
    EXPECT_EQ(reader.error().rfind(
                  "record 2 at byte " + std::to_string(secondStart) + ": CRC mismatch", 0),
              0u)
        << reader.error();
}

TEST(ReplayFile, OversizedRecordLengthIsRejectedWithoutReadingIt) {
    TempDir dir;
    const std::string path = dir.file("huge.psreplay");
    const std::string first = record(encodeSnapshot(oneSocketSnapshot()));
    for (std::uint32_t length : {0xFFFFFFFFu, replay::kMaxRecordBytes + 1}) {
        writeAll(path, fileHeader() + first + little32(length) + little32(0) + "tail");
        ReplayReader reader(path);
        ASSERT_TRUE(reader.poll());
        EXPECT_FALSE(reader.poll());
        EXPECT_NE(reader.error().find("record 2 at byte " +
                                      std::to_string(replay::kFileHeaderSize + first.size())),
                  std::string::npos)
            << reader.error();
        EXPECT_NE(reader.error().find("exceeds the limit of 256 MiB"), std::string::npos)
            << reader.error();
    }
    // Within the limit but longer than the file: a truncated record, not a huge allocation.
    writeAll(path, fileHeader() + first + little32(replay::kMaxRecordBytes) + little32(0) + "tail");
    ReplayReader reader(path);
    ASSERT_TRUE(reader.poll());
    EXPECT_FALSE(reader.poll());
    EXPECT_NE(reader.error().find("truncated record"), std::string::npos) << reader.error();
}

TEST(ReplayFile, MalformedPayloadWithValidCrcIsReported) {
    TempDir dir;
    const std::string path = dir.file("malformed.psreplay");
    std::string payload = encodeSnapshot(oneSocketSnapshot());
    payload[layout::kProtocol] = 9;
    writeAll(path, fileHeader() + record(encodeSnapshot(oneSocketSnapshot())) + record(payload));
    ReplayReader reader(path);
    ASSERT_TRUE(reader.poll());
    EXPECT_FALSE(reader.poll());
    EXPECT_NE(reader.error().find("record 2"), std::string::npos) << reader.error();
    EXPECT_NE(reader.error().find("malformed snapshot: unknown protocol 9"), std::string::npos)
        << reader.error();
}

void expectSourceError(const std::string& path, const std::string& fragment) {
    try {
        ReplayReader reader(path);
        ADD_FAILURE() << "opening " << path << " should fail";
    } catch (const SourceError& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find(path), std::string::npos) << message;
        EXPECT_NE(message.find(fragment), std::string::npos) << message;
    }
}

TEST(ReplayFile, ReaderRejectsFilesThatAreNotReplays) {
    TempDir dir;
    const std::string path = dir.file("bad.psreplay");

    expectSourceError(dir.file("missing.psreplay"), "No such file or directory");

    writeAll(path, "");
    expectSourceError(path, "is empty");

    writeAll(path, "GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00 and more");
    expectSourceError(path, "not a PortScope replay file");

    writeAll(path, "PSRE");
    expectSourceError(path, "truncated");

    writeAll(path, "PSREPLAY\x01");
    expectSourceError(path, "truncated");

    writeAll(path, fileHeader(2) + record(encodeSnapshot(oneSocketSnapshot())));
    expectSourceError(path, "version 2");

    writeAll(path, fileHeader(0));
    expectSourceError(path, "version 0");

    expectSourceError(dir.file(""), "Cannot read");
}

TEST(ReplayFile, WriterNeedsAnOpenFile) {
    try {
        ReplayWriter writer(UniqueFile{}, "session.psreplay");
        ADD_FAILURE() << "a writer without a file should be refused";
    } catch (const std::invalid_argument& error) {
        EXPECT_NE(std::string(error.what()).find("session.psreplay"), std::string::npos)
            << error.what();
    }
}

TEST(ReplayFile, WriterReportsAFullDisk) {
    if (!fs::exists("/dev/full")) {
        GTEST_SKIP() << "/dev/full is not available";
    }
    try {
        ReplayWriter writer(createFile("/dev/full"), "/dev/full");
        writer.write(richSnapshot());
        ADD_FAILURE() << "writing to /dev/full should fail";
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find("No space left on device"), std::string::npos)
            << error.what();
    }
}

TEST(ReplayFile, ARecordThatDecodesFarLargerThanItsSizeIsRefusedInBoundedMemory) {
    if (!portscope::testing::kCanRunBounded) {
        GTEST_SKIP() << "needs fork";
    }
    TempDir dir;
    const std::string path = dir.file("hostile.psreplay");
    writeAll(path, fileHeader() + record(encodeSnapshot(oneSocketSnapshot())) +
                       record(warningsPayload(replay::kMaxRecordElements + 1)));
    const auto result = portscope::testing::runBounded(
        [&] {
            ReplayReader reader(path);
            const bool firstRead = reader.poll().has_value();
            const bool secondRefused = !reader.poll().has_value();
            const std::string& error = reader.error();
            const bool refused =
                firstRead && secondRefused && reader.recordsRead() == 1 &&
                error.starts_with("record 2 at byte ") &&
                error.find("malformed snapshot: warning list: count 4194305 takes the record "
                           "past the record's limit of 4194304 list elements") != std::string::npos;
            if (!refused) {
                std::fprintf(stderr, "reader error: %s\n", error.c_str());
            }
            return refused;
        },
        64, 5);
    EXPECT_TRUE(result.ok) << result.why;
}

TEST(ReplayFile, WriterRefusesASnapshotPastTheRecordBudgetAndWritesNothing) {
    TempDir dir;
    const std::string path = dir.file("refused.psreplay");
    Snapshot huge;
    huge.warnings.resize(replay::kMaxRecordElements + 1);
    ReplayWriter writer(createFile(path), path);
    writer.write(oneSocketSnapshot());
    const auto sizeBefore = fs::file_size(path);
    try {
        writer.write(huge);
        ADD_FAILURE() << "a snapshot past the budget should be refused";
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find("limit of 4194304 list elements"),
                  std::string::npos)
            << error.what();
        EXPECT_NE(std::string(error.what()).find(path), std::string::npos) << error.what();
    }
    EXPECT_EQ(fs::file_size(path), sizeBefore);
    writer.write(oneSocketSnapshot()); // the file goes on after a refused snapshot
    ReplayReader reader(path);
    EXPECT_TRUE(reader.poll());
    EXPECT_TRUE(reader.poll());
    EXPECT_FALSE(reader.poll());
    EXPECT_EQ(reader.error(), "");
}

// ---------------------------------------------------------------------------------------
// Replaying reproduces the session

TEST(Replay, AFreshTrackerReproducesTheUpdateStream) {
    TempDir dir;
    const std::string path = dir.file("session.psreplay");
    const auto snapshots = sessionSnapshots();
    std::vector<UpdatePtr> live;
    {
        Tracker tracker(TrackerOptions{.tombstoneTicks = 2});
        ReplayWriter writer(createFile(path), path);
        for (const auto& snapshot : snapshots) {
            writer.write(snapshot);
            live.push_back(tracker.apply(snapshot));
        }
    }
    Tracker replayTracker(TrackerOptions{.tombstoneTicks = 2});
    ReplayReader reader(path);
    std::size_t index = 0;
    while (auto snapshot = reader.poll()) {
        ASSERT_LT(index, live.size());
        const auto replayed = replayTracker.apply(*snapshot);
        testing::expectSameUpdate(*replayed, *live[index]);
        ++index;
    }
    EXPECT_EQ(reader.error(), "");
    EXPECT_EQ(index, live.size());
}

TEST(Replay, RecordingSourcePassesSnapshotsThroughAndRecordsThem) {
    TempDir dir;
    const std::string path = dir.file("recorded.psreplay");
    const auto snapshots = sessionSnapshots();
    {
        RecordingSource source(portscope::test::FunctionSource::playing(snapshots),
                               createFile(path), path);
        EXPECT_EQ(source.name(), "list (recording)");
        EXPECT_TRUE(source.isLive());
        for (const auto& expected : snapshots) {
            const auto snapshot = source.poll();
            ASSERT_TRUE(snapshot);
            expectSameSnapshot(*snapshot, expected);
        }
        EXPECT_FALSE(source.poll());
        EXPECT_EQ(source.recordsWritten(), snapshots.size());
    }
    ReplayReader reader(path);
    for (const auto& expected : snapshots) {
        const auto snapshot = reader.poll();
        ASSERT_TRUE(snapshot) << reader.error();
        expectSameSnapshot(*snapshot, expected);
    }
    EXPECT_FALSE(reader.poll());
    EXPECT_EQ(reader.error(), "");
}

// A source that knows how many sockets its next poll lists, as the Linux source does.
class SizedSource final : public SnapshotSource {
public:
    explicit SizedSource(std::vector<Snapshot> snapshots) : snapshots_(std::move(snapshots)) {}
    std::optional<Snapshot> poll() override {
        if (next_ >= snapshots_.size()) {
            return std::nullopt;
        }
        return snapshots_[next_++];
    }
    std::string name() const override { return "sized"; }
    std::size_t expectedSocketCount() const override { return 4242; }

private:
    std::vector<Snapshot> snapshots_;
    std::size_t next_ = 0;
};

TEST(Replay, RecordingSourceRecordsOnlyWhileAWriterIsAttached) {
    TempDir dir;
    const std::string path = dir.file("middle.psreplay");
    const auto snapshots = sessionSnapshots();
    ASSERT_GE(snapshots.size(), 3u);
    RecordingSource source(std::make_unique<SizedSource>(snapshots));
    EXPECT_EQ(source.expectedSocketCount(), 4242u) << "the tracker sizes its tables from it";
    EXPECT_FALSE(source.recording());
    EXPECT_EQ(source.name(), "sized");
    ASSERT_TRUE(source.poll()); // before the recording: not written
    source.attach(std::make_unique<ReplayWriter>(createFile(path), path));
    EXPECT_EQ(source.name(), "sized (recording)");
    ASSERT_TRUE(source.poll());
    EXPECT_EQ(source.recordsWritten(), 1u);
    auto writer = source.detach();
    ASSERT_NE(writer, nullptr);
    EXPECT_FALSE(source.recording());
    ASSERT_TRUE(source.poll()); // after it: not written
    writer.reset();

    ReplayReader reader(path);
    const auto recorded = reader.poll();
    ASSERT_TRUE(recorded) << reader.error();
    expectSameSnapshot(*recorded, snapshots[1]);
    EXPECT_FALSE(reader.poll());
    EXPECT_EQ(reader.error(), "");
}

// A writer whose header went to `path` and whose records go to /dev/full, as when the disk
// fills during a recording.
std::unique_ptr<ReplayWriter> writerThatFillsUp(const std::string& path) {
    UniqueFile file = createFile(path);
    std::FILE* stream = file.get();
    auto writer = std::make_unique<ReplayWriter>(std::move(file), path);
    std::FILE* full = std::fopen("/dev/full", "wb");
    EXPECT_NE(full, nullptr);
    if (full != nullptr) {
        EXPECT_GE(::dup2(::fileno(full), ::fileno(stream)), 0);
        std::fclose(full);
    }
    return writer;
}

TEST(Replay, RecordingSourceStopsAtAWriteErrorAndSaysWhy) {
    if (!fs::exists("/dev/full")) {
        GTEST_SKIP() << "/dev/full is not available";
    }
    TempDir dir;
    const auto snapshots = sessionSnapshots();
    std::string reported;
    RecordingSource handled(portscope::test::FunctionSource::playing(snapshots),
                            [&](const std::string& message) { reported = message; });
    handled.attach(writerThatFillsUp(dir.file("handled.psreplay")));
    ASSERT_TRUE(handled.poll()) << "the session goes on; only the recording stops";
    EXPECT_NE(reported.find("No space left on device"), std::string::npos) << reported;
    EXPECT_FALSE(handled.recording());
    ASSERT_TRUE(handled.poll());

    // Without a handler (portscope-cli record), the failure ends the session.
    RecordingSource unhandled(portscope::test::FunctionSource::playing(snapshots));
    unhandled.attach(writerThatFillsUp(dir.file("unhandled.psreplay")));
    EXPECT_THROW(unhandled.poll(), SourceError);
    EXPECT_FALSE(unhandled.recording());
}

} // namespace
} // namespace portscope::core
