// Fuzz target for the replay reader: a replay file comes from anywhere (a colleague's
// recording, a download), and the reader must end every file, however damaged, with the
// records before the damage and a reason.
//
// Input: one flag byte, then the file. With bit 0 of the flag set, the target first writes the
// right CRC-32 into every record header it can find, so that changed payloads reach the
// snapshot decoder instead of stopping at the checksum.

#include "fuzz_target.h"
#include "portscope/core/replay.h"

#include <string>
#include <sys/mman.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace {

using namespace portscope::core;

constexpr std::string_view kTarget = "replay_reader";
using portscope::fuzz::require;

void writeLittle32(std::string& bytes, std::size_t at, std::uint32_t value) {
    for (int i = 0; i < 4; ++i) {
        bytes[at + i] = static_cast<char>((value >> (8 * i)) & 0xFFu);
    }
}

std::uint32_t readLittle32(const std::string& bytes, std::size_t at) {
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
        value |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
    }
    return value;
}

// Calls visit(headerOffset, payload) for every complete record.
template <typename Visit>
void forEachRecord(const std::string& file, Visit&& visit) {
    std::size_t at = replay::kFileHeaderSize;
    while (at + replay::kRecordHeaderSize <= file.size()) {
        const std::uint32_t length = readLittle32(file, at);
        const std::size_t payloadAt = at + replay::kRecordHeaderSize;
        if (length > file.size() - payloadAt) {
            return;
        }
        visit(at, std::string_view(file).substr(payloadAt, length));
        at = payloadAt + length;
    }
}

void fixChecksums(std::string& file) {
    std::vector<std::pair<std::size_t, std::uint32_t>> checksums;
    forEachRecord(file, [&](std::size_t at, std::string_view payload) {
        checksums.emplace_back(at + 4, replay::crc32(payload));
    });
    for (const auto& [at, crc] : checksums) {
        writeLittle32(file, at, crc);
    }
}

// A snapshot's decoded form is larger than its encoding (a socket is a few dozen bytes on disk
// and a struct in memory), but only by a bounded factor: a record must not make the reader hold
// many times its own size, whatever counts it declares.
constexpr std::size_t kDecodedBytesPerPayloadByte = 16;
constexpr std::size_t kDecodeFixedBytes = 16 * 1024;

void checkDecodeCost(const std::string& file) {
    forEachRecord(file, [](std::size_t, std::string_view payload) {
        const std::size_t peak = portscope::fuzz::heapPeakOf([&] {
            std::string error;
            decodeSnapshot(payload, &error);
        });
        if (peak > kDecodeFixedBytes + kDecodedBytesPerPayloadByte * payload.size()) {
            portscope::fuzz::fail("replay_reader",
                                  "decoding a record of " + std::to_string(payload.size()) +
                                      " bytes held " + std::to_string(peak) + " heap bytes");
        }
    });
}

// The file lives in memory (memfd); the reader opens it by path like any other.
class MemoryFile {
public:
    explicit MemoryFile(const std::string& contents)
        : fd_(memfd_create("fuzz-replay", MFD_CLOEXEC)) {
        require(kTarget, fd_ >= 0, "memfd_create failed");
        std::size_t written = 0;
        while (written < contents.size()) {
            const auto n = write(fd_, contents.data() + written, contents.size() - written);
            require(kTarget, n > 0, "writing the memory file failed");
            written += static_cast<std::size_t>(n);
        }
    }
    ~MemoryFile() { close(fd_); }
    MemoryFile(const MemoryFile&) = delete;
    MemoryFile& operator=(const MemoryFile&) = delete;
    std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }

private:
    int fd_;
};

void checkCanonical(const Snapshot& snapshot) {
    // What the decoder accepts re-encodes into bytes that decode to the same snapshot.
    const std::string encoded = encodeSnapshot(snapshot);
    std::string error;
    const auto again = decodeSnapshot(encoded, &error);
    require(kTarget, again.has_value(), "a decoded snapshot does not decode after re-encoding");
    require(kTarget, encodeSnapshot(*again) == encoded,
            "re-encoding a decoded snapshot is not stable");
}

} // namespace

constexpr portscope::fuzz::HeapBudget kBudget{(1u << 20) + 256 * 1024, 24};

PORTSCOPE_FUZZ_TARGET(replay_reader, kBudget) {
    if (size == 0) {
        return 0;
    }
    std::string file(reinterpret_cast<const char*>(data + 1), size - 1);
    if ((data[0] & 1u) != 0) {
        fixChecksums(file);
    }
    const MemoryFile memory(file);
    std::optional<ReplayReader> reader;
    try {
        reader.emplace(memory.path());
    } catch (const SourceError& error) {
        require(kTarget, std::string_view(error.what()).size() > 0,
                "a rejected file without a reason");
        return 0;
    }
    // Every record takes at least its header, so a reader that returns more is looping.
    const std::size_t maxRecords = file.size() / replay::kRecordHeaderSize + 1;
    std::size_t records = 0;
    while (auto snapshot = reader->poll()) {
        require(kTarget, ++records <= maxRecords, "more records than the file can hold");
        checkCanonical(*snapshot);
    }
    require(kTarget, reader->recordsRead() == records,
            "recordsRead disagrees with the records returned");
    require(kTarget, !reader->poll().has_value(), "a record after the end");
    checkDecodeCost(file);
    return 0;
}
