#pragma once
// Recording and replaying snapshots. A replay file holds the snapshots a live source
// produced; running them through a fresh Tracker reproduces the Update stream of the
// session. docs/replay-format.md describes the format byte by byte.

#include "portscope/core/snapshot_source.h"
#include "portscope/core/unique_file.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace portscope::core {

namespace replay {
// "PSREPLAY", then the format version as a little-endian u32, then a reserved u32.
inline constexpr std::string_view kMagic{"PSREPLAY", 8};
inline constexpr std::uint32_t kVersion = 1;
inline constexpr std::size_t kFileHeaderSize = 16;
inline constexpr std::size_t kRecordHeaderSize = 8; // payload length, CRC-32 of the payload
inline constexpr std::uint32_t kMaxRecordBytes = 256u << 20;
inline constexpr std::uint32_t kMaxStringBytes = 1u << 20;
// What one record may cost once decoded, so that no record, however crafted, makes the
// reader hold more than its budget: list elements in all (sockets, processes, host counter
// entries, warnings), and decoded bytes as docs/replay-format.md counts them. The reader
// checks each list's count before it allocates for the list; the writer refuses a snapshot
// over either limit, so whatever it writes reads back.
inline constexpr std::uint32_t kMaxRecordElements = 4u << 20;
inline constexpr std::uint64_t kMaxDecodedRecordBytes = 512u << 20;

// CRC-32 as zlib and PNG compute it (reflected polynomial 0xEDB88320).
std::uint32_t crc32(std::string_view bytes);
} // namespace replay

// The payload of one record. A string longer than kMaxStringBytes (a huge command line) is
// cut to that length, at a UTF-8 character boundary. The decoded budget is not checked here:
// ReplayWriter::write does that.
// Where a snapshot goes decides two things:
// - Recording: each warning is its English sentence (a replay shows them in English), and
//   the eBPF sensor's probe sources are left out (a replay's findings come from its sockets
//   and counters alone).
// - Helper: the helper protocol sends each warning in its parts (core/system_text.h), so that
//   the client words it in its user's language, and the probe sources after them, so that an
//   unprivileged front end names who probes closed ports.
enum class SnapshotForm { Recording, Helper };
std::string encodeSnapshot(const Snapshot& snapshot, SnapshotForm form = SnapshotForm::Recording);
// std::nullopt when the payload is malformed; *error (if given) then says what and where.
std::optional<Snapshot> decodeSnapshot(std::string_view payload, std::string* error,
                                       SnapshotForm form = SnapshotForm::Recording);

class ReplayWriter {
public:
    // Takes over `file`, an empty file open for writing, and writes the header. The programs
    // get it from platform::createPrivateFile (owner-only, never through a symbolic link);
    // `path` names it in error messages. Throws std::runtime_error when the header cannot be
    // written.
    ReplayWriter(UniqueFile file, std::string path);
    ~ReplayWriter();
    ReplayWriter(const ReplayWriter&) = delete;
    ReplayWriter& operator=(const ReplayWriter&) = delete;

    // Appends one record and flushes it, so a crash loses at most the record in progress.
    // Throws std::runtime_error when the write fails (disk full, I/O error) or the snapshot is
    // over a record's limits; nothing is written then.
    void write(const Snapshot& snapshot);
    void flush();
    std::uint64_t recordsWritten() const { return records_; }
    const std::string& path() const { return path_; }

private:
    std::string path_;
    UniqueFile file_;
    std::uint64_t records_ = 0;
};

class ReplayReader : public SnapshotSource {
public:
    // Throws SourceError, naming the file, when it is missing or unreadable, is not a replay
    // file, or has a version this build cannot read.
    explicit ReplayReader(const std::string& path);
    ~ReplayReader() override;
    ReplayReader(const ReplayReader&) = delete;
    ReplayReader& operator=(const ReplayReader&) = delete;

    // The next snapshot; std::nullopt at the end of the file or at the first record that is
    // truncated or corrupt (error() then says which). Records before it are all delivered.
    std::optional<Snapshot> poll() override;
    // Empty after a clean end; otherwise e.g. "record 12 at byte 4567: CRC mismatch ...".
    const std::string& error() const { return error_; }
    std::uint64_t recordsRead() const { return records_; }
    std::string name() const override;
    bool isLive() const override { return false; }

private:
    std::optional<Snapshot> fail(std::string message);

    std::string path_;
    UniqueFile file_;
    std::uint64_t offset_ = 0; // byte offset of the next record
    std::uint64_t records_ = 0;
    bool ended_ = false;
    std::string error_;
    std::string payload_; // reused between records
};

} // namespace portscope::core
