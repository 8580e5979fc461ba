// The capture loop every front end shares: packets from a PacketCapture, attributed to their
// processes, written as pcapng blocks within the user's limits, and a file that stays
// readable whatever ends it.

#include "portscope/core/pcapng.h"
#include "portscope/core/units.h"
#include "portscope/platform/helper_client.h"
#include "portscope/platform/packet_capture.h"
#include "portscope/platform/system.h"

#include <chrono>
#include <deque>
#include <unordered_set>

namespace portscope::platform {

namespace {

namespace pcapng = core::pcapng;

// Up to 16 MB of loopback segments (64 KB each) per read: the ring drains between reads
// (4096 packets, up to 256 MB, let it overflow while one was written).
constexpr std::size_t kPacketsPerRead = 256;
// Blocks go to the file whenever this much has gathered, while the bytes are still in the
// processor's cache, rather than in one write of up to 16 MB per read.
constexpr std::size_t kWriteBytes = 256 * 1024;
constexpr std::chrono::milliseconds kReadTimeout{100};
constexpr std::chrono::milliseconds kProgressInterval{500};
// More than the kernel's ring holds of the smallest packets, over twice the time the kernel
// fills a block of its ring before handing it over (packet_capture.cpp: 50 ms).
constexpr std::size_t kPacketsDiscardedAtStart = 1 << 20;
constexpr std::chrono::milliseconds kRingDrainTime{120};
// How far back the end note may cut packets to find room on a full disk.
constexpr std::size_t kBlocksKeptForRoom = 256;
// Room kept under --max-size for the statistics blocks that close the file.
constexpr std::uint64_t kEndBlocksReserve = 4096;

std::uint64_t nowNs() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
}

std::string isoTime(std::uint64_t ns) {
    return core::formatUtcTime(static_cast<std::int64_t>(ns / 1'000'000));
}

} // namespace

OpenedCapture openCaptureFallingBack(CaptureOptions options, HelperConnection* helper,
                                     bool fallBack) {
    const auto open = [&] {
        return helper != nullptr ? helper->openCapture(options) : openPacketCapture(options);
    };
    OpenedCapture opened;
    if (options.bySocket) {
        try {
            opened.capture = open();
            return opened;
        } catch (const CaptureError& error) {
            if (!fallBack) {
                throw;
            }
            opened.whyNotBySocket = error.what();
        }
        options.bySocket = false;
    }
    opened.capture = open();
    return opened;
}

std::optional<core::Process> localProcess(std::int32_t pid) {
    const auto key = currentProcessKey(pid);
    return key ? processDetails(*key) : std::nullopt;
}

std::string_view describe(CaptureEnd end) {
    switch (end) {
    case CaptureEnd::Stopped:
        return "stopped";
    case CaptureEnd::Duration:
        return "the duration has passed";
    case CaptureEnd::Count:
        return "the packet count was reached";
    case CaptureEnd::SizeLimit:
        return "the size limit was reached";
    case CaptureEnd::WriteFailed:
        return "writing the file failed";
    case CaptureEnd::CaptureFailed:
        return "capturing failed";
    }
    return "ended";
}

struct CaptureSession::State {
    std::unique_ptr<PacketCapture> capture;
    std::unique_ptr<CaptureOutput> output;
    CaptureSessionOptions options;
    core::PacketAttributor attributor;

    std::mutex pendingMutex;
    core::UpdatePtr pending; // the newest Update not yet learnt

    std::string appliedFilter;
    std::optional<core::SocketSelection> appliedSelection; // of a capture by socket
    bool userFilterApplied = false;                        // by a capture by socket
    std::unordered_set<std::int32_t> describedPids;        // asked of describeProcess
    core::PacketEcho echo; // the sent copies of a capture by socket, to know their echoes
    std::vector<std::string> filterProblems;
    std::deque<std::uint64_t> blockStarts; // offsets of the last blocks written
    CaptureProgress progress;

    explicit State(CaptureSessionOptions sessionOptions)
        : options(std::move(sessionOptions)),
          attributor(options.selector, options.processSelector) {
        attributor.setWholeProcesses(options.wholeProcesses);
    }

    void applyPendingUpdate() {
        core::UpdatePtr update;
        {
            std::lock_guard lock(pendingMutex);
            update = std::move(pending);
        }
        if (!update) {
            return;
        }
        attributor.update(*update);
        applyFilter();
    }

    // A socket the kernel selected for the process that created it may come before any poll
    // listed that process: it is described once, if it can be.
    void describeCreator(std::int32_t pid) {
        if (pid <= 0 || !options.describeProcess || attributor.describes(pid) ||
            !describedPids.insert(pid).second) {
            return;
        }
        if (const auto process = options.describeProcess(pid)) {
            attributor.learnProcess(*process);
        }
    }

    void applyFilter() {
        if (capture->selectsBySocket()) {
            // The kernel keeps the selected sockets' packets; the user's expression is applied
            // to those. A bad expression ends the capture (BadFilter propagates).
            if (!userFilterApplied) {
                capture->setFilter(options.userFilter);
                userFilterApplied = true;
            }
            const core::SocketSelection& selection = attributor.socketSelection();
            if (!appliedSelection || *appliedSelection != selection) {
                capture->selectSockets(selection);
                appliedSelection = selection;
            }
            return;
        }
        const std::string filter =
            core::PacketAttributor::combineFilters(attributor.processFilter(), options.userFilter);
        if (filter == appliedFilter) {
            return;
        }
        try {
            capture->setFilter(filter);
            appliedFilter = filter;
        } catch (const CaptureError& error) {
            // Too large a program for the kernel: the attribution selects instead.
            const std::string fallback = options.userFilter;
            capture->setFilter(fallback);
            appliedFilter = fallback;
            filterProblems.push_back(error.what());
        }
    }

    std::string sectionComment(std::uint64_t startNs) const {
        std::string comment = "Captured by " + options.application + " on host " +
                              options.hostName + " (" + operatingSystemDescription() +
                              "), starting " + isoTime(startNs) + ".";
        comment += options.selectionText.empty()
                       ? " Every process's packets."
                       : " Packets of the connections of: " + options.selectionText +
                             " (the capture filter follows them as they come and go).";
        if (!options.userFilter.empty()) {
            comment += " Filter: " + options.userFilter + ".";
        }
        comment += capture->selectsBySocket()
                       ? " Packets were taken where this host's sockets sent and received them, "
                         "each named after its socket (by the kernel's socket cookie); packets "
                         "no socket sent or received are not in the file."
                       : " Packets were taken from the network interfaces.";
        comment += " Each packet's comment names its process; the statistics block at the end "
                   "says when and why the capture ended, and how many packets were dropped.";
        return comment;
    }

    // Writes whole blocks; false (with `error`) when the output refused them. A batch that
    // fails is written again block by block, so that all that fits is kept.
    bool writeBlocks(const std::string& blocks, const std::vector<std::size_t>& starts,
                     std::string& error) {
        const std::uint64_t before = output->size();
        if (output->write(blocks, error)) {
            for (const std::size_t start : starts) {
                rememberBlock(before + start);
            }
            return true;
        }
        if (output->size() != before) {
            return false; // could not be cut back: nothing more may be written
        }
        for (std::size_t i = 0; i < starts.size(); ++i) {
            const std::size_t end = i + 1 < starts.size() ? starts[i + 1] : blocks.size();
            const std::uint64_t at = output->size();
            if (!output->write(std::string_view(blocks).substr(starts[i], end - starts[i]),
                               error)) {
                return false;
            }
            rememberBlock(at);
            ++progress.packets;
        }
        return false;
    }

    void rememberBlock(std::uint64_t offset) {
        blockStarts.push_back(offset);
        if (blockStarts.size() > kBlocksKeptForRoom) {
            blockStarts.pop_front();
        }
    }

    // The statistics blocks that close the file; on a full disk, the last packets make room.
    void writeEnd(CaptureResult& result, std::uint64_t startNs) {
        const auto statistics = capture->statistics();
        const std::uint64_t endNs = nowNs();
        auto endBlocks = [&](std::uint64_t removed) {
            std::string blocks;
            for (std::size_t i = 0; i < capture->interfaces().size(); ++i) {
                pcapng::InterfaceStatistics block;
                block.interfaceId = static_cast<std::uint32_t>(i);
                block.timestampNs = endNs;
                block.startNs = startNs;
                block.endNs = endNs;
                if (i < statistics.size()) {
                    block.received = statistics[i].received;
                    block.dropped = statistics[i].dropped + statistics[i].droppedByInterface;
                }
                if (i == 0) {
                    block.delivered = progress.packets;
                    block.comment = "Capture ended at " + isoTime(endNs) + ": " + result.message +
                                    " " + std::to_string(progress.packets) + " packets written, " +
                                    std::to_string(progress.dropped) +
                                    " dropped by the kernel for lack of buffer space, " +
                                    std::to_string(progress.unowned) + " owned by no process.";
                    for (const auto& problem : filterProblems) {
                        block.comment += " " + problem + ".";
                    }
                    if (removed > 0) {
                        block.comment += " The last " + std::to_string(removed) +
                                         " packets were removed to make room for this note.";
                    }
                }
                pcapng::appendInterfaceStatistics(blocks, block);
            }
            return blocks;
        };
        std::string error;
        std::uint64_t removed = 0;
        // Bounded: at most the remembered blocks are given up, then the note is left out.
        while (true) {
            if (output->write(endBlocks(removed), error)) {
                return;
            }
            if (blockStarts.empty() || !output->truncate(blockStarts.back())) {
                result.message += " The closing note did not fit.";
                return;
            }
            blockStarts.pop_back();
            ++removed;
            --progress.packets;
            progress.bytes = output->size();
        }
    }
};

CaptureSession::CaptureSession(std::unique_ptr<PacketCapture> capture,
                               std::unique_ptr<CaptureOutput> output, CaptureSessionOptions options)
    : state_(std::make_unique<State>(std::move(options))) {
    state_->capture = std::move(capture);
    state_->output = std::move(output);
    // Until the first Update names the connections, the kernel keeps no packet:
    // unfiltered, the ring filled with every packet of the system while the first poll ran
    // (a second at 100,000 sockets) and overflowed, thousands of drops before the capture
    // had begun. A filter the kernel refuses is said by run(), which sets it again.
    try {
        state_->applyFilter();
        if (state_->options.selector && !state_->capture->selectsBySocket()) {
            // And what the ring took before is let go, so that the file begins where the
            // connections are first known rather than holding a gap from the first poll. The
            // kernel hands over the block it was filling only when its time is up.
            const auto until = std::chrono::steady_clock::now() + kRingDrainTime;
            while (std::chrono::steady_clock::now() < until) {
                state_->capture->read(kRingDrainTime / 2, kPacketsDiscardedAtStart,
                                      [](const CapturedPacket&) {});
            }
        }
    } catch (const CaptureError&) {
    }
}

CaptureSession::~CaptureSession() = default;

void CaptureSession::learn(core::UpdatePtr update) {
    std::lock_guard lock(state_->pendingMutex);
    state_->pending = std::move(update);
}

CaptureResult CaptureSession::run(const std::function<bool()>& stopRequested,
                                  const std::function<void(const CaptureProgress&)>& onProgress) {
    State& state = *state_;
    CaptureResult result;
    const std::uint64_t startNs = nowNs();
    const auto started = std::chrono::steady_clock::now();
    auto lastProgress = started;

    std::string header;
    pcapng::appendSectionHeader(header, {state.sectionComment(startNs), "",
                                         operatingSystemDescription(), state.options.application});
    for (const auto& interface : state.capture->interfaces()) {
        pcapng::appendInterfaceDescription(
            header, {interface.linkType, interface.snapLength, interface.name, ""});
    }
    std::string error;
    if (!state.output->write(header, error)) {
        result.end = CaptureEnd::WriteFailed;
        result.message = error;
        return result;
    }
    std::string batch;
    std::vector<std::size_t> starts;
    std::uint64_t batchPackets = 0;
    bool finished = false;
    // Writes what has gathered; a write that fails ends the capture.
    const auto flush = [&] {
        if (batch.empty()) {
            return;
        }
        if (state.writeBlocks(batch, starts, error)) {
            state.progress.packets += batchPackets;
        } else {
            result.end = CaptureEnd::WriteFailed;
            result.message = error;
            finished = true;
        }
        batch.clear();
        starts.clear();
        batchPackets = 0;
    };
    // Bounded by the user's limits and stop request; each turn waits at most kReadTimeout.
    while (!finished) {
        if (stopRequested && stopRequested()) {
            result.end = CaptureEnd::Stopped;
            break;
        }
        if (state.options.duration &&
            std::chrono::steady_clock::now() - started >= *state.options.duration) {
            result.end = CaptureEnd::Duration;
            break;
        }
        try {
            // A filter the capture refuses, or a helper that went away, ends the capture.
            state.applyPendingUpdate();
            state.applyFilter();
            state.capture->read(kReadTimeout, kPacketsPerRead, [&](const CapturedPacket& packet) {
                if (finished) {
                    return;
                }
                const auto& interfaces = state.capture->interfaces();
                const std::uint16_t linkType = packet.interface < interfaces.size()
                                                   ? interfaces[packet.interface].linkType
                                                   : 0;
                auto flow = core::parsePacketFlow(linkType, packet.data);
                core::PacketAttributor::Attribution attribution;
                if (flow) {
                    if (flow->direction == pcapng::Direction::Unknown) {
                        flow->direction = packet.direction; // a capture by socket knows it
                    }
                    state.describeCreator(packet.socket.creatorPid);
                    attribution = state.attributor.attribute(*flow, packet.socket);
                    if (attribution.echoExpected) {
                        state.echo.sent(packet.data);
                    } else if (attribution.duplicate && state.echo.takeEcho(packet.data)) {
                        return; // its sender's copy is in the file, naming both ends
                    }
                } else {
                    attribution.comment = "not TCP or UDP: no process is named";
                    attribution.selected = true;
                }
                if (!attribution.selected) {
                    ++state.progress.skipped;
                    return;
                }
                const std::size_t start = batch.size();
                pcapng::appendEnhancedPacket(batch,
                                             {packet.interface, packet.timestampNs, packet.data,
                                              packet.originalLength, attribution.comment,
                                              flow ? flow->direction : pcapng::Direction::Unknown});
                if (state.options.maxBytes &&
                    state.output->size() + batch.size() + kEndBlocksReserve >
                        *state.options.maxBytes) {
                    batch.resize(start);
                    result.end = CaptureEnd::SizeLimit;
                    finished = true;
                    return;
                }
                starts.push_back(start);
                ++batchPackets;
                state.progress.unowned += attribution.owned ? 0 : 1;
                if (state.options.maxPackets &&
                    state.progress.packets + batchPackets >= *state.options.maxPackets) {
                    result.end = CaptureEnd::Count;
                    finished = true;
                }
                if (batch.size() >= kWriteBytes) {
                    flush();
                }
            });
        } catch (const CaptureError& failure) {
            result.end = CaptureEnd::CaptureFailed;
            result.message = failure.what();
            finished = true;
        }
        flush();
        state.progress.bytes = state.output->size();
        const auto now = std::chrono::steady_clock::now();
        if (onProgress && (now - lastProgress >= kProgressInterval || finished)) {
            std::uint64_t dropped = 0;
            for (const auto& statistics : state.capture->statistics()) {
                dropped += statistics.dropped + statistics.droppedByInterface;
            }
            state.progress.dropped = dropped;
            onProgress(state.progress);
            lastProgress = now;
        }
    }
    state.progress.dropped = 0;
    for (const auto& statistics : state.capture->statistics()) {
        state.progress.dropped += statistics.dropped + statistics.droppedByInterface;
    }
    if (result.message.empty()) {
        result.message = "Capture ended: " + std::string(describe(result.end)) + ".";
    } else {
        result.message = "Capture ended: " + std::string(describe(result.end)) + ": " +
                         result.message + ". The file holds every packet written before.";
    }
    state.writeEnd(result, startNs);
    state.progress.bytes = state.output->size();
    result.progress = state.progress;
    if (onProgress) {
        onProgress(state.progress);
    }
    return result;
}

} // namespace portscope::platform
