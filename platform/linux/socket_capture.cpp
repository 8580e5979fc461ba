// Loads the socket capture's programs (linux/bpf/capture.bpf.c) through their libbpf
// skeleton, attaches them to the root of cgroup v2, and reads their packet records.

#include "linux/socket_capture.h"

#include <sstream>

#if PORTSCOPE_BPF_SENSOR
#include "capture.skel.h"
#include "linux/bpf/capture_records.h"
#include "linux/bpf_sensor.h"
#include "linux/proc_file.h"

#include <algorithm>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <exception>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <unistd.h>
#include <unordered_map>
#endif

namespace portscope::platform::linuxsys {

std::string cgroup2MountPoint(std::string_view mountinfo) {
    // "36 35 0:30 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw": the mount point is the
    // fifth field, the file system type the first after " - ".
    std::istringstream lines{std::string(mountinfo)};
    std::string line;
    while (std::getline(lines, line)) {
        const auto separator = line.find(" - ");
        if (separator == std::string::npos) {
            continue;
        }
        std::istringstream after(line.substr(separator + 3));
        std::string type;
        after >> type;
        if (type != "cgroup2") {
            continue;
        }
        std::istringstream fields(line.substr(0, separator));
        std::string field;
        std::string root;
        for (int i = 0; i < 5 && fields >> field; ++i) {
            if (i == 3) {
                root = field;
            }
        }
        // A mount of a part of the hierarchy (root other than "/") would see part of it only.
        if (root == "/" && !field.empty() && field.front() == '/') {
            // mountinfo escapes spaces and the like as \040; such a path is not guessed at.
            if (field.find('\\') == std::string::npos) {
                return field;
            }
        }
    }
    return {};
}

#if !PORTSCOPE_BPF_SENSOR

std::unique_ptr<PacketCapture> openSocketCapture(const CaptureOptions&) {
    throw CaptureError(CaptureError::Kind::NotSupported,
                       "This build of PortScope cannot capture by socket: it was built without "
                       "the eBPF sensor (clang, bpftool, libbpf or the kernel's BTF were "
                       "missing).");
}

#else

namespace {

using Kind = CaptureError::Kind;

// Returned by the record callback to end a read once it has handed over enough packets;
// libbpf stops there, after consuming that record.
constexpr int kEnoughRead = -ECANCELED;

std::uint64_t clockNs(clockid_t clock) {
    timespec now{};
    ::clock_gettime(clock, &now);
    return static_cast<std::uint64_t>(now.tv_sec) * 1'000'000'000ULL +
           static_cast<std::uint64_t>(now.tv_nsec);
}

// The ring takes a power of two of pages, and holds a few times what wakes the reader.
std::uint32_t ringBytes(std::uint32_t wanted) {
    std::uint32_t bytes = 4 * PORTSCOPE_CAPTURE_WAKEUP_BYTES;
    while (bytes < wanted && bytes < (1u << 30)) {
        bytes <<= 1;
    }
    return bytes;
}

class SocketCapture final : public PacketCapture {
public:
    explicit SocketCapture(const CaptureOptions& options) {
        if (!options.interfaces.empty()) {
            throw CaptureError(Kind::NotSupported,
                               "A capture by socket takes the packets of every interface; it "
                               "cannot be limited to some.");
        }
        std::string mountinfo;
        readProcFile("/proc/self/mountinfo", mountinfo);
        const std::string cgroupRoot = cgroup2MountPoint(mountinfo);
        if (cgroupRoot.empty()) {
            throw CaptureError(Kind::NotSupported,
                               "Cannot capture by socket: cgroup v2 is not mounted, and the "
                               "capture's programs attach to its root.");
        }
        keepLibbpfMessagesQuiet();
        skeleton_ = portscope_capture__open();
        if (skeleton_ == nullptr) {
            fail(errno);
        }
        bpf_map__set_max_entries(skeleton_->maps.packets, ringBytes(options.bufferBytes));
        if (const int loaded = portscope_capture__load(skeleton_); loaded != 0) {
            fail(-loaded);
        }
        cgroup_ = ::open(cgroupRoot.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (cgroup_ < 0) {
            fail(errno);
        }
        // Links detach when their descriptors close: when this capture ends, or its process.
        for (bpf_program* program :
             {skeleton_->progs.capture_ingress, skeleton_->progs.capture_egress,
              skeleton_->progs.select_created_socket}) {
            bpf_link* link = bpf_program__attach_cgroup(program, cgroup_);
            if (link == nullptr) {
                fail(errno);
            }
            links_.push_back(link);
        }
        ring_ = ring_buffer__new(bpf_map__fd(skeleton_->maps.packets), &SocketCapture::onRecord,
                                 this, nullptr);
        if (ring_ == nullptr) {
            fail(errno);
        }
        listInterfaces();
    }

    ~SocketCapture() override { release(); }
    SocketCapture(const SocketCapture&) = delete;
    SocketCapture& operator=(const SocketCapture&) = delete;

    const std::vector<CapturedInterface>& interfaces() const override { return interfaces_; }

    void setFilter(const std::string& expression) override {
        filter_ = expression.empty() ? nullptr : std::make_unique<RawPacketFilter>(expression);
    }

    std::size_t read(std::chrono::milliseconds timeout, std::size_t maxPackets,
                     const std::function<void(const CapturedPacket&)>& onPacket) override {
        // Records carry CLOCK_MONOTONIC; the file wants the wall clock. The offset is taken
        // anew each read, so that a clock step moves the time stamps after it.
        realtimeOffsetNs_ = clockNs(CLOCK_REALTIME) - clockNs(CLOCK_MONOTONIC);
        reading_ = {&onPacket, maxPackets, 0, 0, nullptr};
        int result = ring_buffer__poll(ring_, static_cast<int>(timeout.count()));
        if (result == 0) {
            // No wakeup: the program wakes the reader only for a batch
            // (PORTSCOPE_CAPTURE_WAKEUP_BYTES), so a trickle is read when the wait is over.
            result = ring_buffer__consume(ring_);
        }
        const std::size_t handed = reading_.handed;
        const std::exception_ptr failure = reading_.failure;
        reading_ = {};
        if (failure) {
            std::rethrow_exception(failure); // what onPacket threw, past libbpf's C frames
        }
        if (result < 0 && result != kEnoughRead && result != -EINTR) {
            throw CaptureError(Kind::Failed, std::string("Reading captured packets failed: ") +
                                                 std::strerror(-result));
        }
        return handed;
    }

    std::vector<CaptureStatistics> statistics() override {
        std::vector<CaptureStatistics> result(interfaces_.size());
        for (std::size_t i = 0; i < result.size(); ++i) {
            result[i].received = receivedByInterface_[i];
        }
        // The kernel counts for the whole capture, not per interface: the first block says it.
        if (!result.empty()) {
            result[0].dropped = kernelCounter(PORTSCOPE_CAPTURE_DROPPED);
        }
        return result;
    }

    bool selectsBySocket() const override { return true; }

    void selectSockets(const core::SocketSelection& selection) override {
        const std::uint32_t slot = PORTSCOPE_CAPTURE_EVERY_SOCKET;
        const std::uint32_t every = selection.everySocket ? 1 : 0;
        check(bpf_map__update_elem(skeleton_->maps.capture_config, &slot, sizeof slot, &every,
                                   sizeof every, BPF_ANY));
        std::vector<std::uint32_t> ports;
        for (const auto& port : selection.listeningPorts) {
            ports.push_back(PORTSCOPE_CAPTURE_PORT_KEY(
                port.protocol == core::Protocol::Tcp ? IPPROTO_TCP : IPPROTO_UDP, port.port));
        }
        std::sort(ports.begin(), ports.end());
        std::vector<std::uint32_t> processes(selection.processes.begin(),
                                             selection.processes.end());
        // Processes and ports first: a socket created or accepted meanwhile is then selected.
        replace(skeleton_->maps.selected_processes, selectedProcesses_, processes, std::uint8_t{1});
        replace(skeleton_->maps.selected_ports, selectedPorts_, ports, std::uint8_t{1});
        replace(skeleton_->maps.selected_sockets, selectedSockets_, selection.sockets,
                std::uint8_t{1});
    }

private:
    struct Reading {
        const std::function<void(const CapturedPacket&)>* onPacket = nullptr;
        std::size_t maxPackets = 0;
        std::size_t handed = 0;
        std::size_t examined = 0; // handed over, or refused by the user's filter
        std::exception_ptr failure;
    };
    // Records one read looks at, filtered out or not: it ends however fast they come.
    static constexpr std::size_t kExaminedPerHanded = 16;

    [[noreturn]] void fail(int error) {
        release();
        const Kind kind = error == EPERM || error == EACCES ? Kind::PermissionDenied : Kind::Failed;
        throw CaptureError(
            kind, "Cannot capture by socket: " + describeBpfLoadFailure(error).english() + ".");
    }

    void release() {
        if (ring_ != nullptr) {
            ring_buffer__free(ring_);
            ring_ = nullptr;
        }
        for (bpf_link* link : links_) {
            bpf_link__destroy(link);
        }
        links_.clear();
        if (cgroup_ >= 0) {
            ::close(cgroup_);
            cgroup_ = -1;
        }
        if (skeleton_ != nullptr) {
            portscope_capture__destroy(skeleton_);
            skeleton_ = nullptr;
        }
    }

    static void check(int result) {
        if (result != 0) {
            throw CaptureError(Kind::Failed, std::string("Cannot change the captured sockets: ") +
                                                 std::strerror(errno));
        }
    }

    // Makes the map hold `wanted` of the keys this side put there (`held`), leaving the keys
    // the kernel added itself.
    template <typename Key, typename Value>
    static void replace(bpf_map* map, std::vector<Key>& held, const std::vector<Key>& wanted,
                        const Value& value) {
        std::vector<Key> gone;
        std::set_difference(held.begin(), held.end(), wanted.begin(), wanted.end(),
                            std::back_inserter(gone));
        for (const Key& key : gone) {
            bpf_map__delete_elem(map, &key, sizeof key, 0);
        }
        for (const Key& key : wanted) {
            if (!std::binary_search(held.begin(), held.end(), key) &&
                bpf_map__update_elem(map, &key, sizeof key, &value, sizeof value, BPF_NOEXIST) !=
                    0 &&
                errno != EEXIST) {
                check(-1);
            }
        }
        held = wanted;
    }

    std::uint64_t kernelCounter(std::uint32_t slot) const {
        const int cpus = libbpf_num_possible_cpus();
        if (cpus <= 0) {
            return 0;
        }
        std::vector<std::uint64_t> perCpu(static_cast<std::size_t>(cpus));
        if (bpf_map__lookup_elem(skeleton_->maps.capture_counters, &slot, sizeof slot,
                                 perCpu.data(), perCpu.size() * sizeof(std::uint64_t), 0) != 0) {
            return 0;
        }
        std::uint64_t total = 0;
        for (const auto count : perCpu) {
            total += count;
        }
        return total;
    }

    // The interfaces of this network namespace, and one for packets of any other: records
    // carry the ifindex of the socket's own namespace.
    void listInterfaces() {
        if (struct if_nameindex* names = if_nameindex()) {
            for (const struct if_nameindex* name = names; name->if_index != 0; ++name) {
                interfaceIndex_[name->if_index] = static_cast<std::uint32_t>(interfaces_.size());
                interfaces_.push_back(
                    {name->if_name, core::pcapng::kLinkTypeRaw, PORTSCOPE_CAPTURE_MAX_BYTES});
            }
            if_freenameindex(names);
        }
        otherInterface_ = static_cast<std::uint32_t>(interfaces_.size());
        interfaces_.push_back({"other", core::pcapng::kLinkTypeRaw, PORTSCOPE_CAPTURE_MAX_BYTES});
        receivedByInterface_.assign(interfaces_.size(), 0);
    }

    // No exception may cross libbpf's C frames: one is kept, and read() throws it.
    static int onRecord(void* context, void* data, std::size_t size) {
        auto* capture = static_cast<SocketCapture*>(context);
        try {
            return capture->handle(data, size);
        } catch (...) {
            capture->reading_.failure = std::current_exception();
            return kEnoughRead;
        }
    }

    // libbpf has consumed the record by the time it is handed here: the read ends after one,
    // never before it.
    int handle(const void* data, std::size_t size) {
        const bool handedOver = take(data, size);
        ++reading_.examined;
        reading_.handed += handedOver ? 1 : 0;
        return reading_.handed >= reading_.maxPackets ||
                       reading_.examined >= reading_.maxPackets * kExaminedPerHanded
                   ? kEnoughRead
                   : 0;
    }

    // Hands the record's packet over unless the user's filter refuses it; false when it did
    // not (refused, or not a record the program writes).
    bool take(const void* data, std::size_t size) {
        portscope_packet_record record{};
        if (size < sizeof record) {
            return false;
        }
        std::memcpy(&record, data, sizeof record);
        if (record.captured > size - sizeof record || record.captured > record.length) {
            return false; // not what the program writes; nothing to show of it
        }
        const auto* bytes = static_cast<const unsigned char*>(data) + sizeof record;
        const auto known = interfaceIndex_.find(record.interface);
        CapturedPacket packet;
        packet.interface = known != interfaceIndex_.end() ? known->second : otherInterface_;
        packet.data = std::string_view(reinterpret_cast<const char*>(bytes), record.captured);
        if (filter_ && !filter_->matches(packet.data, record.length)) {
            return false;
        }
        ++receivedByInterface_[packet.interface];
        packet.timestampNs = record.timestamp_ns + realtimeOffsetNs_;
        packet.originalLength = record.length;
        packet.socket = {record.cookie, static_cast<std::int32_t>(record.owner_tgid)};
        packet.direction = record.direction == PORTSCOPE_CAPTURE_INBOUND
                               ? core::pcapng::Direction::Inbound
                               : core::pcapng::Direction::Outbound;
        (*reading_.onPacket)(packet);
        return true;
    }

    portscope_capture* skeleton_ = nullptr;
    std::vector<bpf_link*> links_;
    int cgroup_ = -1;
    ring_buffer* ring_ = nullptr;
    std::vector<CapturedInterface> interfaces_;
    std::unordered_map<std::uint32_t, std::uint32_t> interfaceIndex_; // ifindex -> interface
    std::uint32_t otherInterface_ = 0;
    std::vector<std::uint64_t> receivedByInterface_;
    std::unique_ptr<RawPacketFilter> filter_;
    std::uint64_t realtimeOffsetNs_ = 0;
    Reading reading_;
    // What this side put in the selection maps, sorted.
    std::vector<std::uint64_t> selectedSockets_;
    std::vector<std::uint32_t> selectedProcesses_;
    std::vector<std::uint32_t> selectedPorts_;
};

} // namespace

std::unique_ptr<PacketCapture> openSocketCapture(const CaptureOptions& options) {
    return std::make_unique<SocketCapture>(options);
}

#endif

} // namespace portscope::platform::linuxsys
