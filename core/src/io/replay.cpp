#include "portscope/core/replay.h"

#include "byte_codec.h"
#include "system_text_codec.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <type_traits>

namespace portscope::core {

namespace replay {

namespace {

constexpr std::array<std::uint32_t, 256> makeCrcTable() {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t n = 0; n < 256; ++n) {
        std::uint32_t c = n;
        for (int bit = 0; bit < 8; ++bit) {
            c = (c & 1u) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        table[n] = c;
    }
    return table;
}

constexpr auto kCrcTable = makeCrcTable();

} // namespace

std::uint32_t crc32(std::string_view bytes) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (char byte : bytes) {
        crc = kCrcTable[(crc ^ static_cast<unsigned char>(byte)) & 0xFFu] ^ (crc >> 8);
    }
    return crc ^ 0xFFFFFFFFu;
}

} // namespace replay

namespace {

// Fixed encoded sizes, used to reject element counts that the remaining bytes cannot hold.
using bytes::kEndpointBytes;
constexpr std::size_t kSocketBytes =
    1 + 1 + 2 * kEndpointBytes + 8 + 8 + 4 + 4 + 4 + 4 + (1 + 8 + 8 + 8 + 4 + 4) + (4 + 8) + 1 + 8;
constexpr std::size_t kProbeSourceBytes = kEndpointBytes + 4 + 4 + 8;
constexpr std::size_t kMinProcessBytes = 4 + 8 + 4 + 4 + 4 + 1 + 4 + 4 + 4 + 8 + 4 + 8 + 4;
constexpr std::size_t kMinCounterEntryBytes = 4 + 8;
constexpr std::size_t kMinStringBytes = 4;

// What each element costs in a record's decoded budget (docs/replay-format.md): at least its
// size in memory, so the budget bounds what the reader holds. A string's bytes count on top.
constexpr std::uint64_t kDecodedSocketBytes = 160;
constexpr std::uint64_t kDecodedProcessBytes = 256;
constexpr std::uint64_t kDecodedCounterEntryBytes = 48;
constexpr std::uint64_t kDecodedWarningBytes = 64;
static_assert(sizeof(Socket) <= kDecodedSocketBytes);
static_assert(sizeof(Process) <= kDecodedProcessBytes);
static_assert(sizeof(HostCounters::all[0]) <= kDecodedCounterEntryBytes);
static_assert(sizeof(SystemText) <= kDecodedWarningBytes);
// A warning's parts (system_text_codec.h): its kind, its text and its argument count.
constexpr std::size_t kMinSystemTextBytes = 1 + kMinStringBytes + 1;

// Counts a record's list elements and decoded bytes against the per-record limits.
class RecordBudget {
public:
    // Charges `elements` list elements and `bytes` decoded bytes; an empty string while the
    // record stays within its limits, otherwise which limit it went past.
    std::string charge(std::uint64_t elements, std::uint64_t bytes) {
        elements_ += elements;
        bytes_ += bytes;
        if (elements_ > replay::kMaxRecordElements) {
            return "the record's limit of " + std::to_string(replay::kMaxRecordElements) +
                   " list elements";
        }
        if (bytes_ > replay::kMaxDecodedRecordBytes) {
            return "the record's limit of " + std::to_string(replay::kMaxDecodedRecordBytes >> 20) +
                   " MiB decoded";
        }
        return {};
    }

private:
    std::uint64_t elements_ = 0;
    std::uint64_t bytes_ = 0; // at most 2^32 elements of 256 bytes per list: no overflow
};

constexpr std::uint8_t kSnapshotCloseEventsLost = 0x01;
constexpr std::uint8_t kCountersPresent = 0x01;
constexpr std::uint8_t kCountersHasBytesSent = 0x02;

// ---------------------------------------------------------------------------------------
// Encoding

// Thrown by an Encoder that checks the budget, at the first limit the snapshot passes:
// encoding the rest would be wasted.
struct OverBudget {
    std::string reason;
};

class Encoder : public bytes::ByteWriter {
public:
    Encoder(std::string& out, bool checkBudget) : ByteWriter(out), checkBudget_(checkBudget) {}

    void string(std::string_view value) {
        // The cut string may be up to 3 bytes shorter: charging more keeps the writer's
        // budget at least as strict as the reader's.
        charge(0, std::min<std::size_t>(value.size(), replay::kMaxStringBytes));
        text(value, replay::kMaxStringBytes);
    }

    void systemText(const SystemText& text) {
        bytes::writeSystemText(*this, text, [&](std::string_view value) {
            charge(1, kDecodedWarningBytes);
            string(value);
        });
    }

    void count(std::size_t n, std::uint64_t decodedElementBytes) {
        if (n > 0xFFFFFFFFu) {
            throw std::length_error("cannot record a list of " + std::to_string(n) + " items");
        }
        charge(n, n * decodedElementBytes);
        u32(static_cast<std::uint32_t>(n));
    }

    void socket(const Socket& socket) {
        u8(static_cast<std::uint8_t>(socket.protocol));
        u8(static_cast<std::uint8_t>(socket.state));
        endpoint(socket.local);
        endpoint(socket.remote);
        u64(socket.inode);
        u64(socket.cookie);
        u32(socket.uid);
        u32(socket.interfaceIndex);
        u32(socket.receiveQueue);
        u32(socket.sendQueue);
        const TcpCounters& counters = socket.counters;
        u8((counters.present ? kCountersPresent : 0) |
           (counters.hasBytesSent ? kCountersHasBytesSent : 0));
        u64(counters.bytesAcked);
        u64(counters.bytesReceived);
        u64(counters.bytesSent);
        u32(counters.segsIn);
        u32(counters.segsOut);
        i32(socket.owner.pid);
        u64(socket.owner.startTime);
        u8(static_cast<std::uint8_t>(socket.ownerStatus));
        u64(socket.netns);
    }

    // The address travels as an endpoint whose port is always 0.
    void probeSource(const ProbeSource& source) {
        endpoint(Endpoint{source.address, 0});
        u32(source.tcpPorts);
        u32(source.udpPorts);
        u64(source.probes);
    }

    void process(const Process& process) {
        i32(process.key.pid);
        u64(process.key.startTime);
        i32(process.parentPid);
        string(process.name);
        string(process.exePath);
        boolean(process.exeDeleted);
        string(process.commandLine);
        u32(process.uid);
        string(process.userName);
        i64(process.startedAtUnixMs);
        u32(process.socketCount);
        u64(process.netns);
        string(process.detailsError);
    }

    void counters(const HostCounters& c) {
        boolean(c.present);
        for (std::uint64_t value :
             {c.tcp.activeOpens,       c.tcp.passiveOpens,        c.tcp.attemptFails,
              c.tcp.estabResets,       c.tcp.currEstab,           c.tcp.inSegs,
              c.tcp.outSegs,           c.tcp.retransSegs,         c.tcp.inErrs,
              c.tcp.outRsts,           c.udp.inDatagrams,         c.udp.noPorts,
              c.udp.inErrors,          c.udp.outDatagrams,        c.udp.receiveBufferErrors,
              c.udp.sendBufferErrors,  c.icmp.inMessages,         c.icmp.outMessages,
              c.icmp.inDestUnreachs,   c.icmp.outDestUnreachs,    c.tcpExt.listenOverflows,
              c.tcpExt.listenDrops,    c.tcpExt.reqQueueFullDrop, c.tcpExt.reqQueueFullDoCookies,
              c.tcpExt.syncookiesSent, c.tcpExt.syncookiesRecv,   c.tcpExt.syncookiesFailed,
              c.tcpExt.synRetransmits}) {
            u64(value);
        }
        count(c.all.size(), kDecodedCounterEntryBytes);
        for (const auto& [name, value] : c.all) {
            string(name);
            i64(value);
        }
    }

private:
    void charge(std::uint64_t elements, std::uint64_t bytes) {
        if (!checkBudget_) {
            return;
        }
        if (std::string over = budget_.charge(elements, bytes); !over.empty()) {
            throw OverBudget{std::move(over)};
        }
    }

    bool checkBudget_;
    RecordBudget budget_;
};

// ---------------------------------------------------------------------------------------
// Decoding: every read checks the remaining length; the first failure sticks and all
// later reads return zeros, so the caller checks once at the end of each element.

class Decoder : public bytes::ByteReader {
public:
    explicit Decoder(std::string_view bytes) : ByteReader(bytes, "payload") {}

    std::string string(const char* what) {
        const std::size_t at = position();
        std::string value = text(what, replay::kMaxStringBytes, "1 MiB");
        charge(at, what, 0, value.size());
        return value;
    }

    SystemText systemText() {
        return bytes::readSystemText(
            *this, [&] { return string("warning text"); },
            [&](std::size_t at) { charge(at, "warning", 1, kDecodedWarningBytes); });
    }

    // An element count, rejected when the rest of the payload cannot hold that many, or
    // when that many would take the record past its decoded budget. Either way nothing has
    // been allocated for them yet.
    std::uint32_t count(const char* what, std::size_t minElementBytes,
                        std::uint64_t decodedElementBytes) {
        const std::size_t at = position();
        const std::uint32_t n = u32();
        if (!failed() && n > remaining() / minElementBytes) {
            failAt(at, std::string(what) + ": count " + std::to_string(n) +
                           " does not fit in the remaining " + std::to_string(remaining()) +
                           " bytes");
            return 0;
        }
        charge(at, what, n, n * decodedElementBytes);
        return failed() ? 0 : n;
    }

    Socket socket() {
        Socket socket;
        std::size_t at = position();
        const std::uint8_t protocol = u8();
        if (protocol == static_cast<std::uint8_t>(Protocol::Tcp)) {
            socket.protocol = Protocol::Tcp;
        } else if (protocol == static_cast<std::uint8_t>(Protocol::Udp)) {
            socket.protocol = Protocol::Udp;
        } else {
            failAt(at, "unknown protocol " + std::to_string(protocol));
        }
        at = position();
        const std::uint8_t state = u8();
        if (state > static_cast<std::uint8_t>(SocketState::Bound)) {
            failAt(at, "unknown socket state " + std::to_string(state));
        }
        socket.state = static_cast<SocketState>(state);
        socket.local = endpoint("local endpoint");
        socket.remote = endpoint("remote endpoint");
        socket.inode = u64();
        socket.cookie = u64();
        socket.uid = u32();
        socket.interfaceIndex = u32();
        socket.receiveQueue = u32();
        socket.sendQueue = u32();
        at = position();
        const std::uint8_t flags = u8();
        if ((flags & ~(kCountersPresent | kCountersHasBytesSent)) != 0) {
            failAt(at, "unknown counter flags " + std::to_string(flags));
        }
        socket.counters.present = (flags & kCountersPresent) != 0;
        socket.counters.hasBytesSent = (flags & kCountersHasBytesSent) != 0;
        socket.counters.bytesAcked = u64();
        socket.counters.bytesReceived = u64();
        socket.counters.bytesSent = u64();
        socket.counters.segsIn = u32();
        socket.counters.segsOut = u32();
        socket.owner.pid = i32();
        socket.owner.startTime = u64();
        at = position();
        const std::uint8_t ownerStatus = u8();
        if (ownerStatus > static_cast<std::uint8_t>(OwnerStatus::NotResolved)) {
            failAt(at, "unknown owner status " + std::to_string(ownerStatus));
        }
        socket.ownerStatus = static_cast<OwnerStatus>(ownerStatus);
        socket.netns = u64();
        return socket;
    }

    ProbeSource probeSource() {
        ProbeSource source;
        const std::size_t at = position();
        const Endpoint address = endpoint("probe source address");
        if (address.port != 0) {
            failAt(at, "probe source address: port " + std::to_string(address.port) +
                           " where 0 belongs");
        }
        source.address = address.address;
        source.tcpPorts = u32();
        source.udpPorts = u32();
        source.probes = u64();
        return source;
    }

    Process process() {
        Process process;
        process.key.pid = i32();
        process.key.startTime = u64();
        process.parentPid = i32();
        process.name = string("process name");
        process.exePath = string("executable path");
        process.exeDeleted = boolean("executable deleted");
        process.commandLine = string("command line");
        process.uid = u32();
        process.userName = string("user name");
        process.startedAtUnixMs = i64();
        process.socketCount = u32();
        process.netns = u64();
        process.detailsError = string("details error");
        return process;
    }

    HostCounters counters() {
        HostCounters c;
        c.present = boolean("counters present");
        for (std::uint64_t* field :
             {&c.tcp.activeOpens,       &c.tcp.passiveOpens,        &c.tcp.attemptFails,
              &c.tcp.estabResets,       &c.tcp.currEstab,           &c.tcp.inSegs,
              &c.tcp.outSegs,           &c.tcp.retransSegs,         &c.tcp.inErrs,
              &c.tcp.outRsts,           &c.udp.inDatagrams,         &c.udp.noPorts,
              &c.udp.inErrors,          &c.udp.outDatagrams,        &c.udp.receiveBufferErrors,
              &c.udp.sendBufferErrors,  &c.icmp.inMessages,         &c.icmp.outMessages,
              &c.icmp.inDestUnreachs,   &c.icmp.outDestUnreachs,    &c.tcpExt.listenOverflows,
              &c.tcpExt.listenDrops,    &c.tcpExt.reqQueueFullDrop, &c.tcpExt.reqQueueFullDoCookies,
              &c.tcpExt.syncookiesSent, &c.tcpExt.syncookiesRecv,   &c.tcpExt.syncookiesFailed,
              &c.tcpExt.synRetransmits}) {
            *field = u64();
        }
        const std::uint32_t n =
            count("host counter list", kMinCounterEntryBytes, kDecodedCounterEntryBytes);
        c.all.reserve(n);
        for (std::uint32_t i = 0; i < n && !failed(); ++i) {
            std::string name = string("host counter name");
            const std::int64_t value = i64();
            c.all.emplace_back(std::move(name), value);
        }
        return c;
    }

private:
    void charge(std::size_t at, const char* what, std::uint64_t elements, std::uint64_t bytes) {
        if (failed()) {
            return;
        }
        const std::string over = budget_.charge(elements, bytes);
        if (!over.empty()) {
            failAt(at, std::string(what) + ": " +
                           (elements > 0 ? "count " + std::to_string(elements) : "string") +
                           " takes the record past " + over);
        }
    }

    RecordBudget budget_;
};

std::vector<Socket> decodeSockets(Decoder& in, const char* what) {
    const std::uint32_t n = in.count(what, kSocketBytes, kDecodedSocketBytes);
    std::vector<Socket> sockets;
    sockets.reserve(n);
    for (std::uint32_t i = 0; i < n && !in.failed(); ++i) {
        sockets.push_back(in.socket());
    }
    return sockets;
}

std::string describeErrno(int error) {
    return error == 0 ? std::string("unexpected end of file") : std::string(std::strerror(error));
}

std::uint32_t readLittle32(const unsigned char* bytes) {
    return static_cast<std::uint32_t>(bytes[0]) | static_cast<std::uint32_t>(bytes[1]) << 8 |
           static_cast<std::uint32_t>(bytes[2]) << 16 | static_cast<std::uint32_t>(bytes[3]) << 24;
}

void writeLittle32(unsigned char* bytes, std::uint32_t value) {
    for (int i = 0; i < 4; ++i) {
        bytes[i] = static_cast<unsigned char>(value >> (8 * i));
    }
}

std::string hex32(std::uint32_t value) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "0x%08x", value);
    return buffer;
}

void encodeInto(std::string& out, const Snapshot& snapshot, bool checkBudget, SnapshotForm form) {
    Encoder enc(out, checkBudget);
    enc.i64(snapshot.steadyNs);
    enc.i64(snapshot.unixMs);
    enc.i64(snapshot.pollDurationNs);
    enc.u8(snapshot.closeEventsLost ? kSnapshotCloseEventsLost : 0);
    enc.string(snapshot.sourceName);
    enc.count(snapshot.sockets.size(), kDecodedSocketBytes);
    for (const Socket& socket : snapshot.sockets) {
        enc.socket(socket);
    }
    enc.count(snapshot.closed.size(), kDecodedSocketBytes);
    for (const Socket& socket : snapshot.closed) {
        enc.socket(socket);
    }
    enc.count(snapshot.processes.size(), kDecodedProcessBytes);
    for (const Process& process : snapshot.processes) {
        enc.process(process);
    }
    enc.counters(snapshot.counters);
    enc.count(snapshot.warnings.size(), kDecodedWarningBytes);
    for (const SystemText& warning : snapshot.warnings) {
        if (form == SnapshotForm::Helper) {
            enc.systemText(warning);
        } else {
            enc.string(warning.english());
        }
    }
    if (form == SnapshotForm::Helper) {
        enc.count(snapshot.probeSources.size(), sizeof(ProbeSource));
        for (const ProbeSource& source : snapshot.probeSources) {
            enc.probeSource(source);
        }
    }
}

// Encodes `snapshot`. With `overBudget`, stops at the first record limit the snapshot
// passes, says which there and returns nothing.
std::string encode(const Snapshot& snapshot, std::string* overBudget,
                   SnapshotForm form = SnapshotForm::Recording) {
    std::string out;
    out.reserve(64 + (snapshot.sockets.size() + snapshot.closed.size()) * kSocketBytes +
                snapshot.processes.size() * (kMinProcessBytes + 128) +
                snapshot.counters.all.size() * 32);
    try {
        encodeInto(out, snapshot, overBudget != nullptr, form);
    } catch (const OverBudget& over) {
        // Thrown only when checking, that is with `overBudget`; the test keeps GCC from
        // warning about a null pointer in encodeSnapshot()'s inlined copy.
        if (overBudget != nullptr) {
            *overBudget = over.reason;
        }
        return {};
    }
    return out;
}

} // namespace

std::string encodeSnapshot(const Snapshot& snapshot, SnapshotForm form) {
    return encode(snapshot, nullptr, form);
}

std::optional<Snapshot> decodeSnapshot(std::string_view payload, std::string* error,
                                       SnapshotForm form) {
    Decoder in(payload);
    Snapshot snapshot;
    snapshot.steadyNs = in.i64();
    snapshot.unixMs = in.i64();
    snapshot.pollDurationNs = in.i64();
    const std::size_t flagsAt = in.position();
    const std::uint8_t flags = in.u8();
    if ((flags & ~kSnapshotCloseEventsLost) != 0) {
        in.failAt(flagsAt, "unknown snapshot flags " + std::to_string(flags));
    }
    snapshot.closeEventsLost = (flags & kSnapshotCloseEventsLost) != 0;
    snapshot.sourceName = in.string("source name");
    snapshot.sockets = decodeSockets(in, "socket list");
    snapshot.closed = decodeSockets(in, "closed socket list");
    const std::uint32_t processCount =
        in.count("process list", kMinProcessBytes, kDecodedProcessBytes);
    snapshot.processes.reserve(processCount);
    for (std::uint32_t i = 0; i < processCount && !in.failed(); ++i) {
        snapshot.processes.push_back(in.process());
    }
    snapshot.counters = in.counters();
    const bool parts = form == SnapshotForm::Helper;
    const std::uint32_t warningCount =
        parts ? in.count("warning list", kMinSystemTextBytes, 0)
              : in.count("warning list", kMinStringBytes, kDecodedWarningBytes);
    snapshot.warnings.reserve(warningCount);
    for (std::uint32_t i = 0; i < warningCount && !in.failed(); ++i) {
        snapshot.warnings.push_back(parts ? in.systemText() : verbatimText(in.string("warning")));
    }
    if (form == SnapshotForm::Helper) {
        const std::uint32_t sourceCount =
            in.count("probe source list", kProbeSourceBytes, sizeof(ProbeSource));
        if (sourceCount > kMaxProbeSourcesPerSnapshot) {
            in.fail("probe source list: count " + std::to_string(sourceCount) +
                    " exceeds the limit of " + std::to_string(kMaxProbeSourcesPerSnapshot));
        }
        snapshot.probeSources.reserve(in.failed() ? 0 : sourceCount);
        for (std::uint32_t i = 0; i < sourceCount && !in.failed(); ++i) {
            snapshot.probeSources.push_back(in.probeSource());
        }
    }
    if (!in.failed() && in.remaining() != 0) {
        in.fail(std::to_string(in.remaining()) + " unexpected bytes after the snapshot");
    }
    if (in.failed()) {
        if (error != nullptr) {
            *error = in.error();
        }
        return std::nullopt;
    }
    return snapshot;
}

// ---------------------------------------------------------------------------------------

ReplayWriter::ReplayWriter(UniqueFile file, std::string path)
    : path_(std::move(path)), file_(std::move(file)) {
    if (!file_) {
        throw std::invalid_argument("ReplayWriter needs an open file for '" + path_ + "'");
    }
    unsigned char header[replay::kFileHeaderSize] = {};
    std::memcpy(header, replay::kMagic.data(), replay::kMagic.size());
    writeLittle32(header + 8, replay::kVersion);
    writeLittle32(header + 12, 0); // reserved
    errno = 0;
    if (std::fwrite(header, 1, sizeof header, file_.get()) != sizeof header) {
        throw std::runtime_error("Cannot write replay file '" + path_ +
                                 "': " + describeErrno(errno));
    }
    flush();
}

ReplayWriter::~ReplayWriter() = default;

void ReplayWriter::write(const Snapshot& snapshot) {
    std::string overBudget;
    const std::string payload = encode(snapshot, &overBudget);
    if (!overBudget.empty()) {
        throw std::runtime_error("Cannot record this snapshot in '" + path_ + "': it goes past " +
                                 overBudget);
    }
    if (payload.size() > replay::kMaxRecordBytes) {
        throw std::runtime_error("Cannot record a snapshot of " + std::to_string(payload.size()) +
                                 " bytes in '" + path_ + "': the limit is 256 MiB per record");
    }
    unsigned char header[replay::kRecordHeaderSize];
    writeLittle32(header, static_cast<std::uint32_t>(payload.size()));
    writeLittle32(header + 4, replay::crc32(payload));
    errno = 0;
    if (std::fwrite(header, 1, sizeof header, file_.get()) != sizeof header ||
        std::fwrite(payload.data(), 1, payload.size(), file_.get()) != payload.size()) {
        throw std::runtime_error("Cannot write replay file '" + path_ +
                                 "': " + describeErrno(errno));
    }
    flush();
    ++records_;
}

void ReplayWriter::flush() {
    errno = 0;
    if (std::fflush(file_.get()) != 0) {
        throw std::runtime_error("Cannot write replay file '" + path_ +
                                 "': " + describeErrno(errno));
    }
}

// ---------------------------------------------------------------------------------------

ReplayReader::ReplayReader(const std::string& path) : path_(path) {
    errno = 0;
    file_.reset(std::fopen(path.c_str(), "rb"));
    if (!file_) {
        throw SourceError("Cannot open replay file '" + path + "': " + describeErrno(errno));
    }
    unsigned char header[replay::kFileHeaderSize];
    errno = 0;
    const std::size_t got = std::fread(header, 1, sizeof header, file_.get());
    if (std::ferror(file_.get()) != 0) {
        throw SourceError("Cannot read replay file '" + path + "': " + describeErrno(errno));
    }
    if (got == 0) {
        throw SourceError("Replay file '" + path + "' is empty");
    }
    const std::size_t magicBytes = std::min(got, replay::kMagic.size());
    if (std::memcmp(header, replay::kMagic.data(), magicBytes) != 0) {
        throw SourceError("'" + path + "' is not a PortScope replay file (wrong magic bytes)");
    }
    if (got < sizeof header) {
        throw SourceError("Replay file '" + path + "' is truncated: its header has " +
                          std::to_string(got) + " of " + std::to_string(sizeof header) + " bytes");
    }
    const std::uint32_t version = readLittle32(header + 8);
    if (version != replay::kVersion) {
        throw SourceError("Replay file '" + path + "' has format version " +
                          std::to_string(version) + "; this build reads version " +
                          std::to_string(replay::kVersion));
    }
    offset_ = sizeof header;
}

ReplayReader::~ReplayReader() = default;

std::string ReplayReader::name() const {
    return "replay:" + path_;
}

std::optional<Snapshot> ReplayReader::fail(std::string message) {
    ended_ = true;
    error_ = "record " + std::to_string(records_ + 1) + " at byte " + std::to_string(offset_) +
             ": " + message;
    return std::nullopt;
}

std::optional<Snapshot> ReplayReader::poll() {
    if (ended_) {
        return std::nullopt;
    }
    std::FILE* file = file_.get();
    unsigned char header[replay::kRecordHeaderSize];
    errno = 0;
    const std::size_t got = std::fread(header, 1, sizeof header, file);
    if (std::ferror(file) != 0) {
        return fail("read error: " + describeErrno(errno));
    }
    if (got == 0) {
        ended_ = true; // a clean end: the last record was complete
        return std::nullopt;
    }
    if (got < sizeof header) {
        return fail("truncated record header (" + std::to_string(got) + " of " +
                    std::to_string(sizeof header) + " bytes)");
    }
    const std::uint32_t length = readLittle32(header);
    const std::uint32_t storedCrc = readLittle32(header + 4);
    if (length > replay::kMaxRecordBytes) {
        return fail("record length " + std::to_string(length) + " exceeds the limit of 256 MiB");
    }
    // Read in slices so that a corrupt length on a short file does not allocate the full
    // amount up front.
    constexpr std::size_t kSlice = 1u << 20;
    payload_.clear();
    while (payload_.size() < length) {
        const std::size_t before = payload_.size();
        const std::size_t want = std::min<std::size_t>(kSlice, length - before);
        payload_.resize(before + want);
        errno = 0;
        const std::size_t read = std::fread(payload_.data() + before, 1, want, file);
        if (read < want) {
            payload_.resize(before + read);
            if (std::ferror(file) != 0) {
                return fail("read error: " + describeErrno(errno));
            }
            return fail("truncated record: payload of " + std::to_string(length) +
                        " bytes, but only " + std::to_string(payload_.size()) +
                        " remain in the file");
        }
    }
    const std::uint32_t actualCrc = replay::crc32(payload_);
    if (actualCrc != storedCrc) {
        return fail("CRC mismatch (stored " + hex32(storedCrc) + ", computed " + hex32(actualCrc) +
                    ")");
    }
    std::string decodeError;
    auto snapshot = decodeSnapshot(payload_, &decodeError);
    if (!snapshot) {
        return fail("malformed snapshot: " + decodeError);
    }
    offset_ += sizeof header + length;
    ++records_;
    return snapshot;
}

} // namespace portscope::core
