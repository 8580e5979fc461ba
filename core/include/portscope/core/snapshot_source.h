#pragma once
// The one interface every platform backend and the replay reader implement.

#include "portscope/core/model.h"

#include <cstddef>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

namespace portscope::core {

// Porting contract:
// - poll() is called from one thread at a time (the engine's), never concurrently.
// - It returns a complete snapshot, or std::nullopt when the source has ended (a replay
//   file has no more records). A live source never ends; it reports what it could not see
//   in Snapshot::warnings instead of failing.
// - It may throw SourceError for a failure that makes further polls pointless.
class SnapshotSource {
public:
    virtual ~SnapshotSource() = default;
    virtual std::optional<Snapshot> poll() = 0;
    virtual std::string name() const = 0;
    // A live source reflects the system now; a replay source does not.
    virtual bool isLive() const { return true; }
    // About how many sockets the next poll() will list, from cheap counters; 0 when the
    // source cannot tell. Lets a caller size its tables while the poll runs.
    virtual std::size_t expectedSocketCount() const { return 0; }
    // The sensor a live source reads with (docs/sensor.md); Unknown for a replay.
    virtual SensorMode sensor() const { return SensorMode::Unknown; }

    // A source that learns of new and closed connections between polls (the eBPF sensor)
    // calls `onChanges` when it has, so that the engine polls early instead of waiting for
    // its timer. The call comes from a thread of the source's own, at most once between two
    // polls, and must not block; an empty function stops the calls. Returns false, and never
    // calls, when the source cannot tell (the default).
    virtual bool announceChanges(std::function<void()> onChanges) {
        (void)onChanges;
        return false;
    }
};

class SourceError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace portscope::core
