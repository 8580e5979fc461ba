#pragma once
// The one snapshot source the tests script: each poll asks a function for the next snapshot.
// Tests differ in what they play (a list, a scan that grows every second, a queue another
// thread fills), not in how a source is polled, so only the function is theirs.

#include "portscope/core/snapshot_source.h"

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace portscope::test {

class FunctionSource final : public core::SnapshotSource {
public:
    // Called with the poll's number, counted from 1; std::nullopt ends the source, and a
    // core::SourceError thrown from it fails the source, as a live one may.
    using NextSnapshot = std::function<std::optional<core::Snapshot>(int poll)>;

    FunctionSource(NextSnapshot next, std::string name, bool live = true)
        : next_(std::move(next)), name_(std::move(name)), live_(live) {}

    // Plays `snapshots` once, in order, then ends.
    static std::unique_ptr<FunctionSource> playing(std::vector<core::Snapshot> snapshots,
                                                   std::string name = "list", bool live = true) {
        auto list = std::make_shared<const std::vector<core::Snapshot>>(std::move(snapshots));
        return std::make_unique<FunctionSource>(
            [list](int poll) -> std::optional<core::Snapshot> {
                const auto index = static_cast<std::size_t>(poll - 1);
                if (index >= list->size()) {
                    return std::nullopt;
                }
                return (*list)[index];
            },
            std::move(name), live);
    }

    std::optional<core::Snapshot> poll() override { return next_(++polls_); }
    std::string name() const override { return name_; }
    bool isLive() const override { return live_; }

    // How often poll() was called; safe to read from another thread.
    int polls() const { return polls_.load(); }

private:
    NextSnapshot next_;
    std::string name_;
    bool live_;
    std::atomic<int> polls_{0};
};

} // namespace portscope::test
