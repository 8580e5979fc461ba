#pragma once
// Diffs successive snapshots into Updates: mark and sweep with tombstones, rates from
// counter deltas over steady time, totals and history.
//
// Contract:
// - apply() takes snapshots in the order they were taken; their steadyNs must not go
//   backwards (a snapshot that does is treated as taken at the previous time).
// - A connection is matched across polls by its identity (see ConnectionKey): the socket
//   cookie where the source has one, otherwise protocol, endpoints and inode. A cookie seen
//   again with different endpoints or protocol is a new connection.
// - A connection that disappears stays listed as a tombstone for `tombstoneTicks` updates.
// - Counter deltas are clamped at zero when a counter goes backwards; the first sample of a
//   socket or process gives no rate.
// - Not thread-safe: one tracker belongs to one thread (the engine's).

#include "portscope/core/update.h"

#include <cstdint>
#include <memory>
#include <unordered_map>

namespace portscope::core {

struct TrackerOptions {
    std::uint32_t tombstoneTicks = 5;
    std::size_t historyCapacity = 600;
    std::size_t processHistoryLimit = 256; // processes with history kept at once
};

struct ConnectionKey {
    Protocol protocol = Protocol::Tcp;
    Endpoint local;
    Endpoint remote;
    std::uint64_t cookie = 0;
    std::uint64_t inode = 0;
    std::uint64_t netns = 0;
    bool operator==(const ConnectionKey&) const = default;
};
ConnectionKey connectionKeyOf(const Socket& socket);

struct ConnectionKeyHash {
    std::size_t operator()(const ConnectionKey& key) const noexcept;
};

class Tracker {
public:
    explicit Tracker(TrackerOptions options = {});
    ~Tracker();
    Tracker(const Tracker&) = delete;
    Tracker& operator=(const Tracker&) = delete;

    // The update stays mutable for its builder (the engine adds findings and host names)
    // until it is published as an UpdatePtr.
    std::shared_ptr<Update> apply(const Snapshot& snapshot);

    // Sizes the tables of a tracker that has applied nothing yet for about `expectedSockets`
    // and touches their memory, so the first apply() does not pay for it. At 100k sockets
    // that is some 70 MB of page faults, which a caller can run on a spare core while the
    // first poll waits on the kernel. Must not run at the same time as apply().
    void prepare(std::size_t expectedSockets);

    // Traffic history of one process, oldest first; empty when none is kept.
    std::vector<RateSample> processHistory(const ProcessKey& key) const;
    const RateHistory& hostHistory() const;
    // Forget totals and history, as if monitoring started now; open rows stay.
    void resetTotals();

    const TrackerOptions& options() const { return options_; }

    // Rows the tracker's table has room for without allocating: its memory is about this many
    // times the size of one tracked row (a few hundred bytes). Grows with the rows held plus
    // the holes expired rows leave until a compaction; shrinks when a compaction frees room.
    std::size_t reservedRows() const;

private:
    struct State;
    TrackerOptions options_;
    std::unique_ptr<State> state_;
};

} // namespace portscope::core
