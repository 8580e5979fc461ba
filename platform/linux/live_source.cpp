// The Linux snapshot source: composes the sock_diag dump, close events, owner mapping,
// process details, other network namespaces and host counters into one Snapshot per poll.

#include "common/process_details_cache.h"
#include "common/source_conditions.h"
#include "linux/bpf_sensor.h"
#include "linux/change_watcher.h"
#include "linux/host_counters.h"
#include "linux/memory_advice.h"
#include "linux/other_namespaces.h"
#include "linux/owners.h"
#include "linux/proc_file.h"
#include "linux/proc_net.h"
#include "linux/socket_diag.h"
#include "portscope/core/translatable.h"
#include "portscope/platform/system.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstring>
#include <exception>
#include <iterator>
#include <string_view>
#include <sys/stat.h>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>

namespace portscope::platform {

namespace {

using Clock = std::chrono::steady_clock;
using linuxsys::readProcFile;

// The value after `key` on the line that starts with `section` ("TCP: inuse 5 orphan 0 tw 2"),
// or 0.
std::size_t sockstatValue(std::string_view text, std::string_view section, std::string_view key) {
    for (std::size_t start = 0; start < text.size();) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        std::string_view line = text.substr(start, end - start);
        start = end + 1;
        if (!line.starts_with(section)) {
            continue;
        }
        const std::size_t at = line.find(key);
        if (at == std::string_view::npos) {
            return 0;
        }
        line.remove_prefix(at + key.size());
        std::size_t value = 0;
        std::from_chars(line.data(), line.data() + line.size(), value);
        return value;
    }
    return 0;
}

// The first few lines of a small /proc file, or nothing: the estimate below is only a hint.
std::string readHead(const std::string& path) {
    std::string text;
    readProcFile(path, text, 4096);
    return text;
}

// How many TCP and UDP sockets the dump will list, from the kernel's own counters: the first
// poll reserves that much at once instead of growing the list (and copying it) a dozen times.
std::size_t estimateSocketCount() {
    const std::string v4 = readHead("/proc/net/sockstat");
    const std::string v6 = readHead("/proc/net/sockstat6");
    const std::size_t tcp =
        std::max(sockstatValue(v4, "TCP:", " alloc "),
                 sockstatValue(v4, "TCP:", " inuse ") + sockstatValue(v6, "TCP6:", " inuse "));
    return tcp + sockstatValue(v4, "TCP:", " tw ") + sockstatValue(v4, "UDP:", " inuse ") +
           sockstatValue(v6, "UDP6:", " inuse ");
}

using core::systemText;
using core::verbatimText;

class LinuxLiveSource final : public core::SnapshotSource {
public:
    explicit LinuxLiveSource(const LiveSourceOptions& options)
        : options_(options), owners_(options.fullOwnerRescanEvery) {
        std::string error;
        if (!options_.forceProcFallback) {
            diag_ = linuxsys::SockDiagSocket::open(&error);
            if (!diag_) {
                conditions_.set(
                    "netlink",
                    systemText(PORTSCOPE_TRANSLATABLE(
                                   "SystemText",
                                   "Netlink socket diagnostics are unavailable (%1); reading "
                                   "/proc/net instead, so byte counters and rates are missing."),
                               {verbatimText(error)}));
            }
        }
        if (options_.listenForCloseEvents) {
            closeEvents_ = linuxsys::CloseEventListener::open(&error);
            if (!closeEvents_) {
                conditions_.set(
                    "close-events",
                    systemText(PORTSCOPE_TRANSLATABLE(
                                   "SystemText",
                                   "Connections that open and close between two polls may be "
                                   "missed: the kernel's close events are unavailable (%1)."),
                               {verbatimText(error)}));
            }
        }
        if (options_.sensor != SensorChoice::Poll) {
            openSensor();
        }
    }

    std::optional<core::Snapshot> poll() override {
        const auto started = Clock::now();
        core::Snapshot snapshot;
        snapshot.sourceName = name();
        const std::size_t expected =
            lastSocketCount_ != 0 ? lastSocketCount_ : estimateSocketCount();
        snapshot.sockets.reserve(expected + expected / 8 + 64);
        linuxsys::adviseHugePages(snapshot.sockets.data(),
                                  snapshot.sockets.capacity() * sizeof(core::Socket));

        // On the first poll every process has to be read to find the owners, which costs as
        // much as the dump: both run at once, on two threads.
        std::thread ownerWalk;
        std::exception_ptr ownerWalkFailure;
        if (options_.resolveOwners && options_.onlyProcesses.empty() && lastSocketCount_ == 0) {
            try {
                ownerWalk = std::thread([this, &ownerWalkFailure, expected] {
                    try {
                        owners_.prewalk(expected);
                    } catch (...) {
                        ownerWalkFailure = std::current_exception();
                    }
                });
            } catch (const std::system_error&) {
                // No thread to be had: resolveOwners() below walks after the dump instead.
            }
        }
        collectSockets(snapshot);
        collectCloseEvents(snapshot);
        drainSensor(snapshot);
        if (changeWatcher_) {
            changeWatcher_->rearm(); // what the kernel queues from now on is news
        }
        if (options_.includeOtherNamespaces) {
            otherNamespaces_.collect(snapshot.sockets, conditions_);
        }
        if (ownerWalk.joinable()) {
            ownerWalk.join();
            if (ownerWalkFailure) {
                std::rethrow_exception(ownerWalkFailure);
            }
        }
        if (!options_.onlyProcesses.empty()) {
            keepOnlyProcesses(snapshot);
        } else if (options_.resolveOwners) {
            resolveOwners(snapshot);
        }
        if (sensor_) {
            addUdpCounts(snapshot);
            forgetClosed(snapshot);
        }
        std::vector<std::string> counterErrors;
        snapshot.counters = linuxsys::readHostCounters("/proc", &counterErrors);
        if (!snapshot.counters.present) {
            conditions_.set("counters",
                            systemText(PORTSCOPE_TRANSLATABLE(
                                "SystemText", "Host counters (/proc/net/snmp) cannot be read.")));
        }

        lastSocketCount_ = snapshot.sockets.size();
        common::stampSnapshot(snapshot, conditions_, started);
        for (core::SystemText* warning : {&sensorLossWarning_, &sensorProbeLossWarning_}) {
            if (!warning->empty()) {
                snapshot.warnings.push_back(std::exchange(*warning, {}));
            }
        }
        snapshot.sensor = sensor();
        return snapshot;
    }

    core::SensorMode sensor() const override {
        return sensor_ ? core::SensorMode::Bpf : core::SensorMode::Poll;
    }

    // The sensor's state changes wake a waiter on its ring buffer (docs/sensor.md).
    bool announceChanges(std::function<void()> onChanges) override {
        if (!changeWatcher_) {
            return false;
        }
        changeWatcher_->setCallback(std::move(onChanges));
        return true;
    }

    std::string name() const override {
        std::string name = diag_ ? "linux netlink" : "linux /proc/net";
        return sensor_ ? name + " + eBPF" : name;
    }

    std::size_t expectedSocketCount() const override {
        return lastSocketCount_ != 0 ? lastSocketCount_ : estimateSocketCount();
    }

private:
    void collectSockets(core::Snapshot& snapshot) {
        if (diag_) {
            std::string error;
            if (diag_->dumpAll(snapshot.sockets, &error, tcpLister_)) {
                conditions_.clear("dump");
                return;
            }
            if (!snapshot.sockets.empty()) {
                // Some families failed (IPv6 disabled, say); the rest are good.
                conditions_.set(
                    "dump", systemText(PORTSCOPE_TRANSLATABLE(
                                           "SystemText", "Part of the socket list is missing: %1"),
                                       {verbatimText(error)}));
                return;
            }
            conditions_.set(
                "dump",
                systemText(
                    PORTSCOPE_TRANSLATABLE(
                        "SystemText",
                        "The netlink dump failed (%1); reading /proc/net instead for this poll."),
                    {verbatimText(error)}));
        }
        std::vector<std::string> errors;
        snapshot.sockets = linuxsys::readProcNetSockets("/proc", &errors);
        if (!errors.empty()) {
            conditions_.set("procnet",
                            systemText(PORTSCOPE_TRANSLATABLE(
                                           "SystemText", "Some of /proc/net could not be read: %1"),
                                       {verbatimText(errors.front())}));
        } else {
            conditions_.clear("procnet");
        }
    }

    void collectCloseEvents(core::Snapshot& snapshot) {
        if (!closeEvents_) {
            return;
        }
        // Events read during the last owner search belong to this interval.
        snapshot.closed.insert(snapshot.closed.end(), std::make_move_iterator(heldClosed_.begin()),
                               std::make_move_iterator(heldClosed_.end()));
        heldClosed_.clear();
        snapshot.closeEventsLost = std::exchange(heldCloseEventsLost_, false);
        drainCloseEvents(snapshot.closed, snapshot.closeEventsLost);
    }

    void drainCloseEvents(std::vector<core::Socket>& into, bool& lost) {
        const auto result = closeEvents_->drain(into);
        if (result.lost) {
            // The dump above already holds everything still open; what was lost is only
            // the closes we could not see, so the tracker's sweep covers them.
            lost = true;
        }
        if (result.error != 0) {
            conditions_.set(
                "close-events",
                systemText(PORTSCOPE_TRANSLATABLE("SystemText",
                                                  "Reading the kernel's close events failed (%1)."),
                           {verbatimText(std::strerror(result.error))}));
        }
    }

    void resolveOwners(core::Snapshot& snapshot) {
        // New sockets that closed again since the dump need no owner search; the close
        // events tell which: those drained after the dump, then any that arrived since. The
        // latter are held for the next snapshot, where they would have been read anyway, so
        // the tracker sees every event in the same poll as before.
        bool fedSnapshot = false;
        std::size_t fedHeld = heldClosed_.size();
        const auto closedSince = [&](std::vector<std::uint64_t>& cookies) {
            if (!fedSnapshot) {
                fedSnapshot = true;
                for (const core::Socket& closed : snapshot.closed) {
                    cookies.push_back(closed.cookie);
                }
            }
            drainCloseEvents(heldClosed_, heldCloseEventsLost_);
            for (; fedHeld < heldClosed_.size(); ++fedHeld) {
                cookies.push_back(heldClosed_[fedHeld].cookie);
            }
        };
        auto owners = closeEvents_ ? owners_.resolve(snapshot.sockets, closedSince)
                                   : owners_.resolve(snapshot.sockets);
        std::unordered_map<core::ProcessKey, std::string, core::ProcessKeyHash> sensedNames;
        if (sensor_) {
            addSensedOwners(snapshot, owners, sensedNames);
        }
        snapshot.processes = details_.collect(owners);
        for (core::Process& process : snapshot.processes) {
            // A process that connected and exited between two polls can no longer be read; the
            // name the kernel had for it is better than none.
            const auto sensed = sensedNames.find(process.key);
            if (process.name.empty() && sensed != sensedNames.end()) {
                process.name = sensed->second;
            }
        }
        const auto warning = owners_.hiddenOwnersWarning();
        if (warning.empty()) {
            conditions_.clear("owners");
        } else {
            conditions_.set("owners", warning);
        }
    }

    // Keeps the sockets of options_.onlyProcesses, each credited to the process whose
    // descriptors hold it (one listing per process, not a walk of every process). Sockets
    // without an inode (TIME_WAIT, requests) belong to no process and go too.
    void keepOnlyProcesses(core::Snapshot& snapshot) {
        std::unordered_map<std::uint64_t, core::ProcessKey> ownerOfInode;
        std::vector<linuxsys::OwnerCount> owners;
        for (const auto pid : options_.onlyProcesses) {
            const auto key = currentProcessKey(pid);
            const auto sockets = key ? socketsOfProcess(pid) : std::nullopt;
            if (!sockets) {
                continue; // gone, or not ours to read
            }
            for (const auto inode : *sockets) {
                ownerOfInode.emplace(inode, *key);
            }
            owners.push_back({*key, 0});
        }
        std::erase_if(snapshot.sockets, [&](core::Socket& socket) {
            const auto owner = ownerOfInode.find(socket.inode);
            if (socket.inode == 0 || owner == ownerOfInode.end()) {
                return true;
            }
            socket.owner = owner->second;
            socket.ownerStatus = core::OwnerStatus::Known;
            for (auto& count : owners) {
                count.sockets += count.key == owner->second ? 1 : 0;
            }
            return false;
        });
        snapshot.processes = details_.collect(owners);
    }

    void openSensor() {
        core::SystemText whyNot;
        core::SystemText partial;
        sensor_ = linuxsys::BpfSensor::open(&whyNot, &partial, options_.sensorEventBufferBytes);
        struct stat netns {};
        if (::stat("/proc/thread-self/ns/net", &netns) == 0) {
            ownNetns_ = netns.st_ino;
        }
        if (!sensor_) {
            if (options_.sensor == SensorChoice::Bpf) {
                throw core::SourceError("The eBPF sensor cannot run: " + whyNot.english() + ".");
            }
            conditions_.set(
                "sensor",
                systemText(PORTSCOPE_TRANSLATABLE(
                               "SystemText",
                               "Polling only, without the eBPF sensor: %1. A connection refused "
                               "between two polls shows no process, and UDP shows no byte counts."),
                           {std::move(whyNot)}));
        } else if (!partial.empty()) {
            conditions_.set("sensor", partial);
        }
        if (sensor_ && sensor_->changeDescriptor() >= 0) {
            changeWatcher_ = std::make_unique<linuxsys::ChangeWatcher>(sensor_->changeDescriptor(),
                                                                       [] { return true; });
        }
        if (sensor_ && options_.sensorListsTcp && sensor_->listsTcpSockets()) {
            // Where the iterator fails (memory, a signal) the poll dumps TCP as without it.
            tcpLister_ = [sensor = sensor_.get()](std::vector<core::Socket>& sockets) {
                return sensor->listTcpSockets(sockets);
            };
        }
        if (sensor_ && options_.sensorListsOwners && sensor_->listsSocketHolders() &&
            inInitialPidNamespace()) {
            // A failed listing (the iterator refused, memory) makes the resolver walk /proc.
            owners_.setSocketHolderSource([sensor = sensor_.get()](auto& holders) {
                return sensor->listSocketHolders(holders);
            });
        }
    }

    // The iterator names processes by their PIDs in the initial namespace, as /proc does only
    // there (the kernel gives that namespace's inode a fixed number, PROC_PID_INIT_INO).
    static bool inInitialPidNamespace() {
        constexpr ino_t kInitialPidNamespaceInode = 0xEFFFFFFCU;
        struct stat pidns {};
        return ::stat("/proc/self/ns/pid", &pidns) == 0 &&
               pidns.st_ino == kInitialPidNamespaceInode;
    }

    // Reads the sensor's state changes. When its ring buffer overflowed, what the lost changes
    // would have taught (the peer of a refused connect) is gone: this poll walks every process
    // again, and the overflow is said once.
    void drainSensor(core::Snapshot& snapshot) {
        if (!sensor_) {
            return;
        }
        const auto drained = sensor_->drain();
        // The host counters the inbound-scan rule reads are this namespace's, and so are the
        // probes it names.
        snapshot.probeSources = sensor_->takeProbeSources(ownNetns_);
        if (drained.lostProbes != 0) {
            sensorProbeLossWarning_ = systemText(
                PORTSCOPE_TRANSLATABLE(
                    "SystemText",
                    "The eBPF sensor could not count every probe of a closed port (%1 missed); the "
                    "port counts of the sources named by inbound-scan are lower bounds."),
                {core::numberText(drained.lostProbes)});
        }
        if (drained.lost != 0) {
            owners_.requestFullRescan();
            sensorLossWarning_ = systemText(PORTSCOPE_TRANSLATABLE(
                "SystemText",
                "The eBPF sensor's event buffer overflowed and some connection events were lost; "
                "PortScope re-read every socket and process to catch up."));
        }
        if (drained.error != 0) {
            conditions_.set(
                "sensor-read",
                systemText(PORTSCOPE_TRANSLATABLE("SystemText",
                                                  "Reading the eBPF sensor's events failed (%1)."),
                           {verbatimText(std::strerror(drained.error))}));
        } else {
            conditions_.clear("sensor-read");
        }
    }

    // Credits sockets whose owner the /proc walk did not find to the process the sensor saw
    // using them, and gives closed sockets their process and the peer port their last state
    // change had. The sensor's start time keeps a reused PID from being taken for the process
    // that held it before.
    void addSensedOwners(
        core::Snapshot& snapshot, std::vector<linuxsys::OwnerCount>& owners,
        std::unordered_map<core::ProcessKey, std::string, core::ProcessKeyHash>& sensedNames) {
        std::unordered_map<core::ProcessKey, std::size_t, core::ProcessKeyHash> ownerIndex;
        for (std::size_t i = 0; i < owners.size(); ++i) {
            ownerIndex.emplace(owners[i].key, i);
        }
        const auto credit = [&](core::Socket& socket, bool open) {
            // One map lookup (a system call) per socket that needs it: an open socket only when
            // its owner is unknown, a closed one also when its peer port is lost.
            if (socket.cookie == 0 || (socket.owner.valid() && (open || socket.remote.port != 0))) {
                return;
            }
            const auto sensed = sensor_->lookup(socket.cookie);
            if (!sensed) {
                return;
            }
            if (socket.remote.port == 0 && sensed->remote &&
                sensed->remote->address == socket.remote.address) {
                socket.remote.port = sensed->remote->port;
            }
            if (socket.owner.valid() || !sensed->owner.valid()) {
                return;
            }
            socket.owner = sensed->owner;
            socket.ownerStatus = core::OwnerStatus::Known;
            sensedNames.try_emplace(sensed->owner, sensed->command);
            const auto [it, inserted] = ownerIndex.try_emplace(sensed->owner, owners.size());
            if (inserted) {
                owners.push_back({sensed->owner, 0});
            }
            owners[it->second].sockets += open ? 1 : 0;
        };
        for (core::Socket& socket : snapshot.sockets) {
            credit(socket, true);
        }
        for (core::Socket& socket : snapshot.closed) {
            credit(socket, false);
        }
    }

    // UDP keeps no byte counters of its own; the sensor counts what sendmsg and recvmsg moved.
    void addUdpCounts(core::Snapshot& snapshot) const {
        const auto count = [&](core::Socket& socket) {
            if (socket.protocol != core::Protocol::Udp || socket.cookie == 0) {
                return;
            }
            // A socket that has moved nothing yet counts as zero, so its first bytes show a rate.
            const auto bytes = sensor_->udpBytes(socket.cookie).value_or(linuxsys::UdpByteCounts{});
            socket.counters.present = true;
            socket.counters.hasBytesSent = true;
            socket.counters.bytesAcked = bytes.sent;
            socket.counters.bytesSent = bytes.sent;
            socket.counters.bytesReceived = bytes.received;
        };
        if (!sensor_->countsUdp()) {
            return;
        }
        for (core::Socket& socket : snapshot.sockets) {
            count(socket);
        }
        for (core::Socket& socket : snapshot.closed) {
            count(socket);
        }
    }

    void forgetClosed(const core::Snapshot& snapshot) {
        for (const core::Socket& socket : snapshot.closed) {
            if (socket.cookie != 0) {
                sensor_->forget(socket.cookie);
            }
        }
    }

    LiveSourceOptions options_;
    std::optional<linuxsys::SockDiagSocket> diag_;
    std::optional<linuxsys::CloseEventListener> closeEvents_;
    std::vector<core::Socket> heldClosed_; // read during the owner search, for the next poll
    bool heldCloseEventsLost_ = false;
    linuxsys::OwnerResolver owners_;
    common::ProcessDetailsCache details_;
    linuxsys::OtherNamespaceSockets otherNamespaces_;
    common::SourceConditions conditions_;
    std::size_t lastSocketCount_ = 0;
    std::unique_ptr<linuxsys::BpfSensor> sensor_;
    core::SystemText sensorLossWarning_;      // said with the next snapshot only
    core::SystemText sensorProbeLossWarning_; // likewise
    std::uint64_t ownNetns_ = 0;              // the namespace this source was opened in
    // The sensor's tcp iterator, which polls use for TCP instead of the dump; empty without.
    std::function<bool(std::vector<core::Socket>&)> tcpLister_;
    // Waits on the sensor's ring buffer; declared after sensor_ so that it stops first.
    std::unique_ptr<linuxsys::ChangeWatcher> changeWatcher_;
};

} // namespace

std::unique_ptr<core::SnapshotSource> makeLiveSource(const LiveSourceOptions& options) {
    return std::make_unique<LinuxLiveSource>(options);
}

} // namespace portscope::platform
