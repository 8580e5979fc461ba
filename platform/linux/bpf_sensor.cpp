// Loads the eBPF sensor's programs (linux/bpf/sensor.bpf.c) through their libbpf skeleton and
// keeps what their state changes told, by socket cookie.

#include "linux/bpf_sensor.h"

#include "portscope/core/translatable.h"

#include <cerrno>
#include <unistd.h>

#if PORTSCOPE_BPF_SENSOR
#include "linux/bpf/sensor_events.h"
#include "sensor.skel.h"

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#endif

namespace portscope::platform::linuxsys {

std::uint64_t BpfSensor::startTicksFromBoottimeNs(std::uint64_t nanoseconds) {
    // The kernel divides the same way (nsec_to_clock_t), so the two agree to the tick.
    static const long ticksPerSecond = sysconf(_SC_CLK_TCK);
    const std::uint64_t nanosecondsPerTick =
        1'000'000'000ULL / static_cast<std::uint64_t>(ticksPerSecond > 0 ? ticksPerSecond : 100);
    return nanoseconds / nanosecondsPerTick;
}

#if !PORTSCOPE_BPF_SENSOR

struct BpfSensor::Impl {};

bool BpfSensor::built() {
    return false;
}

std::unique_ptr<BpfSensor> BpfSensor::open(core::SystemText* whyNot, core::SystemText*,
                                           std::uint32_t) {
    *whyNot = core::systemText(PORTSCOPE_TRANSLATABLE(
        "SystemText", "this build of PortScope has no eBPF sensor (it was built without clang, "
                      "bpftool, libbpf or the kernel's BTF)"));
    return nullptr;
}

BpfSensor::BpfSensor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
BpfSensor::~BpfSensor() = default;
BpfSensor::DrainResult BpfSensor::drain() {
    return {};
}
int BpfSensor::changeDescriptor() const {
    return -1;
}
std::optional<SensedSocket> BpfSensor::lookup(std::uint64_t) const {
    return std::nullopt;
}
std::optional<UdpByteCounts> BpfSensor::udpBytes(std::uint64_t) const {
    return std::nullopt;
}
bool BpfSensor::countsUdp() const {
    return false;
}
std::vector<core::ProbeSource> BpfSensor::takeProbeSources(std::uint64_t) {
    return {};
}
bool BpfSensor::seesProbes() const {
    return false;
}
void BpfSensor::forget(std::uint64_t) {}
bool BpfSensor::listsSocketHolders() const {
    return false;
}
bool BpfSensor::listSocketHolders(std::vector<SocketHolder>&) const {
    errno = ENOTSUP;
    return false;
}
bool BpfSensor::listsTcpSockets() const {
    return false;
}
bool BpfSensor::listTcpSockets(std::vector<core::Socket>&) const {
    errno = ENOTSUP;
    return false;
}

#else

namespace {

// What state changes taught about a socket that its owner map entry does not hold: the peer,
// which a refused connect has lost by the time its socket is destroyed.
struct Learnt {
    std::optional<core::Endpoint> remote;
};

// libbpf reports through a print callback; its last warning explains a failed load better
// than errno alone, and nothing of it goes to the terminal of a user who asked for `auto`.
std::mutex libbpfMessageMutex;
std::string libbpfLastWarning;

int keepLibbpfWarning(enum libbpf_print_level level, const char* format, va_list args) {
    if (level == LIBBPF_DEBUG) {
        return 0;
    }
    char line[512];
    const int written = std::vsnprintf(line, sizeof line, format, args);
    std::lock_guard lock(libbpfMessageMutex);
    libbpfLastWarning.assign(line);
    while (!libbpfLastWarning.empty() && libbpfLastWarning.back() == '\n') {
        libbpfLastWarning.pop_back();
    }
    return written;
}

std::string readFirstLine(const char* path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

// A sentence saying why loading failed with `error`, in the user's terms.
core::SystemText loadFailureText(int error) {
    using core::systemText;
    using core::verbatimText;
    if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
        return systemText(PORTSCOPE_TRANSLATABLE(
            "SystemText", "the kernel has no BTF type information (/sys/kernel/btf/vmlinux is "
                          "missing; it needs CONFIG_DEBUG_INFO_BTF)"));
    }
    if (error == EPERM || error == EACCES) {
        const std::string lockdown = readFirstLine("/sys/kernel/security/lockdown");
        if (lockdown.find("[integrity]") != std::string::npos ||
            lockdown.find("[confidentiality]") != std::string::npos) {
            return systemText(PORTSCOPE_TRANSLATABLE(
                "SystemText",
                "the kernel is in lockdown mode, which forbids loading eBPF programs"));
        }
        if (geteuid() != 0) {
            return systemText(PORTSCOPE_TRANSLATABLE(
                "SystemText", "loading eBPF programs needs root (CAP_BPF and CAP_PERFMON); the "
                              "administrator helper has them"));
        }
        return systemText(PORTSCOPE_TRANSLATABLE(
            "SystemText", "the kernel refused to load eBPF programs (permission denied), although "
                          "this is root: a security policy or a container may forbid them"));
    }
    std::lock_guard lock(libbpfMessageMutex);
    if (!libbpfLastWarning.empty()) {
        return systemText(
            PORTSCOPE_TRANSLATABLE("SystemText", "the kernel refused the eBPF programs (%1): %2"),
            {verbatimText(std::strerror(error)), verbatimText(libbpfLastWarning)});
    }
    return systemText(
        PORTSCOPE_TRANSLATABLE("SystemText", "the kernel refused the eBPF programs (%1)"),
        {verbatimText(std::strerror(error))});
}

core::Endpoint endpointOf(const std::uint8_t* bytes, std::uint16_t family, std::uint16_t port) {
    core::Endpoint endpoint;
    if (family == AF_INET6) {
        std::array<std::uint8_t, 16> v6{};
        std::memcpy(v6.data(), bytes, v6.size());
        endpoint.address = core::IpAddress::v6(v6);
    } else {
        std::uint32_t v4 = 0;
        std::memcpy(&v4, bytes, sizeof v4);
        endpoint.address = core::IpAddress::v4FromNetworkOrder(v4);
    }
    endpoint.port = port;
    return endpoint;
}

SensedSocket sensedFrom(const portscope_owner& owner) {
    SensedSocket socket;
    if (owner.tgid != 0) {
        socket.owner =
            core::ProcessKey{static_cast<std::int32_t>(owner.tgid),
                             BpfSensor::startTicksFromBoottimeNs(owner.start_boottime_ns)};
        socket.uid = owner.uid;
        socket.command.assign(owner.comm, strnlen(owner.comm, sizeof owner.comm));
    }
    return socket;
}

// How many arguments the BTF tracepoint `name` passes (btf_trace_NAME is a pointer to a
// function whose first parameter is the context), or -1 when this kernel has no such
// tracepoint.
int tracepointArguments(const btf* kernel, const char* name) {
    if (kernel == nullptr) {
        return -1;
    }
    const std::string typedefName = std::string("btf_trace_") + name;
    const int id = btf__find_by_name_kind(kernel, typedefName.c_str(), BTF_KIND_TYPEDEF);
    if (id < 0) {
        return -1;
    }
    const btf_type* type = btf__type_by_id(kernel, static_cast<__u32>(id));
    for (int hops = 0; type != nullptr && hops < 4 && !btf_is_func_proto(type); ++hops) {
        type = btf__type_by_id(kernel, type->type); // typedef -> pointer -> function prototype
    }
    return type != nullptr && btf_is_func_proto(type) ? btf_vlen(type) - 1 : -1;
}

// Probes of one source in one namespace since the last poll.
struct ProbeTally {
    core::IpAddress address;
    std::uint32_t netns = 0;
    std::unordered_set<std::uint16_t> tcpPorts;
    std::unordered_set<std::uint16_t> udpPorts;
    std::uint64_t probes = 0;
};

} // namespace

struct BpfSensor::Impl {
    // Enough for every socket of a busy host between two polls; the oldest go first.
    static constexpr std::size_t kMaxLearnt = 1 << 18;

    portscope_sensor* skeleton = nullptr;
    ring_buffer* events = nullptr;
    bool countsUdp = false;
    bool seesProbes = false;
    bool listsSocketHolders = false;
    bool listsTcpSockets = false;
    std::array<std::uint64_t, 2> lostSeen{};
    // Keyed by netns and address bytes.
    std::unordered_map<std::string, ProbeTally> probeTallies;
    std::unordered_map<std::uint64_t, Learnt> learnt;
    std::deque<std::uint64_t> learntOrder;

    ~Impl() {
        if (events != nullptr) {
            ring_buffer__free(events);
        }
        if (skeleton != nullptr) {
            portscope_sensor__destroy(skeleton);
        }
    }

    static int onEvent(void* context, void* data, std::size_t size) {
        if (size < sizeof(portscope_state_event)) {
            return 0;
        }
        portscope_state_event event;
        std::memcpy(&event, data, sizeof event);
        static_cast<Impl*>(context)->learn(event);
        return 0;
    }

    static int onProbe(void* context, void* data, std::size_t size) {
        if (size < sizeof(portscope_probe_event)) {
            return 0;
        }
        portscope_probe_event probe;
        std::memcpy(&probe, data, sizeof probe);
        static_cast<Impl*>(context)->tally(probe);
        return 0;
    }

    void tally(const portscope_probe_event& probe) {
        std::string key(reinterpret_cast<const char*>(&probe.netns), sizeof probe.netns);
        key.append(reinterpret_cast<const char*>(probe.source_address),
                   sizeof probe.source_address);
        auto it = probeTallies.find(key);
        if (it == probeTallies.end()) {
            if (probeTallies.size() >= kMaxProbeSources) {
                return; // a flood from spoofed sources: the first ones are already named
            }
            it = probeTallies.emplace(key, ProbeTally{}).first;
            it->second.address = endpointOf(probe.source_address, probe.family, 0).address;
            it->second.netns = probe.netns;
        }
        ProbeTally& tally = it->second;
        ++tally.probes;
        auto& ports = probe.protocol == IPPROTO_TCP ? tally.tcpPorts : tally.udpPorts;
        ports.insert(probe.port); // at most 65,536 ports
    }

    void learn(const portscope_state_event& event) {
        if (event.remote_port == 0) {
            return;
        }
        auto [it, inserted] = learnt.try_emplace(event.cookie);
        if (inserted) {
            learntOrder.push_back(event.cookie);
            if (learntOrder.size() > kMaxLearnt) {
                learnt.erase(learntOrder.front());
                learntOrder.pop_front();
            }
        }
        it->second.remote = endpointOf(event.remote_address, event.family, event.remote_port);
    }
};

core::SystemText describeBpfLoadFailure(int error) {
    return loadFailureText(error);
}

void keepLibbpfMessagesQuiet() {
    static std::once_flag quiet;
    std::call_once(quiet, [] { libbpf_set_print(keepLibbpfWarning); });
}

bool BpfSensor::built() {
    return true;
}

std::unique_ptr<BpfSensor> BpfSensor::open(core::SystemText* whyNot, core::SystemText* partial,
                                           std::uint32_t eventBufferBytes) {
    keepLibbpfMessagesQuiet();

    auto impl = std::make_unique<Impl>();
    impl->skeleton = portscope_sensor__open();
    if (impl->skeleton == nullptr) {
        *whyNot = describeBpfLoadFailure(errno);
        return nullptr;
    }
    // Each program loads only where its tracepoint exists with the arguments it reads; the
    // state changes are the sensor's core, the rest is said to be missing.
    btf* kernel = btf__load_vmlinux_btf();
    const bool kernelTypesKnown = kernel != nullptr;
    const bool stateChanges = tracepointArguments(kernel, "inet_sock_set_state") >= 3;
    impl->countsUdp = tracepointArguments(kernel, "sock_send_length") >= 3 &&
                      tracepointArguments(kernel, "sock_recv_length") >= 3;
    impl->seesProbes = tracepointArguments(kernel, "tcp_send_reset") >= 2 &&
                       tracepointArguments(kernel, "kfree_skb") >= 3;
    // The task_file iterator's context type came with kernel 5.8.
    impl->listsSocketHolders =
        kernel != nullptr &&
        btf__find_by_name_kind(kernel, "bpf_iter__task_file", BTF_KIND_STRUCT) >= 0;
    // The tcp iterator's context type came with kernel 5.9, the helpers it casts with in 5.9
    // too.
    impl->listsTcpSockets =
        kernel != nullptr && btf__find_by_name_kind(kernel, "bpf_iter__tcp", BTF_KIND_STRUCT) >= 0;
    btf__free(kernel);
    if (!kernelTypesKnown) {
        *whyNot = describeBpfLoadFailure(ENOENT);
        return nullptr;
    }
    if (!stateChanges) {
        *whyNot = core::systemText(PORTSCOPE_TRANSLATABLE(
            "SystemText", "the kernel has no inet_sock_set_state tracepoint for BTF programs"));
        return nullptr;
    }
    // The probes' buffer is half the size of the state changes', as compiled (8 and 4 MiB).
    const auto pageBytes = static_cast<std::uint32_t>(sysconf(_SC_PAGESIZE));
    if (eventBufferBytes != 0 &&
        (bpf_map__set_max_entries(impl->skeleton->maps.events, eventBufferBytes) != 0 ||
         bpf_map__set_max_entries(impl->skeleton->maps.probes,
                                  std::max(pageBytes, eventBufferBytes / 2)) != 0)) {
        *whyNot = core::systemText(
            PORTSCOPE_TRANSLATABLE("SystemText", "the eBPF event buffer cannot have %1 bytes (it "
                                                 "takes a power of two of at least one page)"),
            {core::numberText(eventBufferBytes)});
        return nullptr;
    }
    auto& programs = impl->skeleton->progs;
    bpf_program__set_autoload(programs.on_sock_send_length, impl->countsUdp);
    bpf_program__set_autoload(programs.on_sock_recv_length, impl->countsUdp);
    bpf_program__set_autoload(programs.on_tcp_send_reset, impl->seesProbes);
    bpf_program__set_autoload(programs.on_kfree_skb, impl->seesProbes);
    bpf_program__set_autoload(programs.dump_socket_files, impl->listsSocketHolders);
    bpf_program__set_autoload(programs.dump_tcp_sockets, impl->listsTcpSockets);
    if (const int loaded = portscope_sensor__load(impl->skeleton); loaded != 0) {
        *whyNot = describeBpfLoadFailure(-loaded);
        return nullptr;
    }
    if (const int attached = portscope_sensor__attach(impl->skeleton); attached != 0) {
        *whyNot = core::systemText(
            PORTSCOPE_TRANSLATABLE("SystemText",
                                   "the kernel would not attach the eBPF programs to their "
                                   "tracepoints (%1)"),
            {core::verbatimText(std::strerror(-attached))});
        return nullptr;
    }
    impl->events = ring_buffer__new(bpf_map__fd(impl->skeleton->maps.events), &Impl::onEvent,
                                    impl.get(), nullptr);
    if (impl->events == nullptr ||
        ring_buffer__add(impl->events, bpf_map__fd(impl->skeleton->maps.probes), &Impl::onProbe,
                         impl.get()) != 0) {
        *whyNot = core::systemText(
            PORTSCOPE_TRANSLATABLE("SystemText", "the eBPF ring buffer cannot be read (%1)"),
            {core::verbatimText(std::strerror(errno))});
        return nullptr;
    }
    if (partial != nullptr) {
        std::vector<core::SystemText> missing;
        if (!impl->countsUdp) {
            missing.push_back(core::systemText(PORTSCOPE_TRANSLATABLE(
                "SystemText", "UDP byte counts need the sock_send_length tracepoint of kernel 6.3 "
                              "or later; UDP connections show no bytes or rates.")));
        }
        if (!impl->seesProbes) {
            missing.push_back(core::systemText(PORTSCOPE_TRANSLATABLE(
                "SystemText", "Naming the sources of port scans needs the tcp_send_reset and "
                              "kfree_skb (with drop reasons, kernel 5.17) tracepoints; "
                              "inbound-scan cannot say who scans.")));
        }
        if (missing.size() == 2) {
            // Two sentences, one after the other, as the language writes them.
            *partial =
                core::systemText(PORTSCOPE_TRANSLATABLE("SystemText", "%1 %2"), std::move(missing));
        } else if (missing.size() == 1) {
            *partial = std::move(missing.front());
        }
    }
    return std::unique_ptr<BpfSensor>(new BpfSensor(std::move(impl)));
}

BpfSensor::BpfSensor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
BpfSensor::~BpfSensor() = default;

BpfSensor::DrainResult BpfSensor::drain() {
    DrainResult result;
    const int consumed = ring_buffer__consume(impl_->events);
    if (consumed < 0) {
        result.error = -consumed;
    } else {
        result.events = static_cast<std::size_t>(consumed);
    }
    for (std::uint32_t slot = 0; slot < impl_->lostSeen.size(); ++slot) {
        std::uint64_t lost = 0;
        if (bpf_map__lookup_elem(impl_->skeleton->maps.lost_events, &slot, sizeof slot, &lost,
                                 sizeof lost, 0) == 0 &&
            lost > impl_->lostSeen[slot]) {
            (slot == PORTSCOPE_LOST_STATE_EVENTS ? result.lost : result.lostProbes) +=
                lost - impl_->lostSeen[slot];
            impl_->lostSeen[slot] = lost;
        }
    }
    return result;
}

int BpfSensor::changeDescriptor() const {
    return ring_buffer__epoll_fd(impl_->events);
}

std::optional<SensedSocket> BpfSensor::lookup(std::uint64_t cookie) const {
    std::optional<SensedSocket> found;
    portscope_owner owner{};
    if (bpf_map__lookup_elem(impl_->skeleton->maps.owners, &cookie, sizeof cookie, &owner,
                             sizeof owner, 0) == 0 &&
        owner.tgid != 0) {
        found = sensedFrom(owner);
    }
    const auto learnt = impl_->learnt.find(cookie);
    if (learnt != impl_->learnt.end()) {
        if (!found) {
            found.emplace();
        }
        found->remote = learnt->second.remote;
    }
    return found;
}

std::optional<UdpByteCounts> BpfSensor::udpBytes(std::uint64_t cookie) const {
    if (!impl_->countsUdp) {
        return std::nullopt;
    }
    portscope_udp_bytes bytes{};
    if (bpf_map__lookup_elem(impl_->skeleton->maps.udp_bytes, &cookie, sizeof cookie, &bytes,
                             sizeof bytes, 0) != 0) {
        return std::nullopt;
    }
    return UdpByteCounts{bytes.sent, bytes.received};
}

bool BpfSensor::countsUdp() const {
    return impl_->countsUdp;
}

bool BpfSensor::seesProbes() const {
    return impl_->seesProbes;
}

std::vector<core::ProbeSource> BpfSensor::takeProbeSources(std::uint64_t netns) {
    std::vector<core::ProbeSource> sources;
    for (const auto& [key, tally] : impl_->probeTallies) {
        if (netns != 0 && tally.netns != netns) {
            continue;
        }
        core::ProbeSource source;
        source.address = tally.address;
        source.tcpPorts = static_cast<std::uint32_t>(tally.tcpPorts.size());
        source.udpPorts = static_cast<std::uint32_t>(tally.udpPorts.size());
        source.probes = tally.probes;
        sources.push_back(source);
    }
    impl_->probeTallies.clear();
    return sources;
}

void BpfSensor::forget(std::uint64_t cookie) {
    bpf_map__delete_elem(impl_->skeleton->maps.owners, &cookie, sizeof cookie, 0);
    if (impl_->countsUdp) {
        bpf_map__delete_elem(impl_->skeleton->maps.udp_bytes, &cookie, sizeof cookie, 0);
    }
    // The order list keeps the cookie until it comes round; erasing a missing key is harmless.
    impl_->learnt.erase(cookie);
}

bool BpfSensor::listsSocketHolders() const {
    return impl_->listsSocketHolders && impl_->skeleton->links.dump_socket_files != nullptr;
}

namespace {

// Reads one pass of an iterator whose program writes fixed-size `Row`s, handing each to
// `onRow`; at most `maxRows`. False with errno set when the iterator cannot be created or read.
template <typename Row, typename OnRow>
bool readIteratorRows(bpf_link* link, std::size_t maxRows, OnRow onRow) {
    // Each read() of a new iterator file starts the walk anew: one file, read to its end, is
    // one consistent pass.
    const int iterator = bpf_iter_create(bpf_link__fd(link));
    if (iterator < 0) {
        return false;
    }
    constexpr std::size_t kRowSize = sizeof(Row);
    std::vector<char> buffer(std::size_t{1} << 16);
    std::size_t carried = 0; // bytes of a row split between two reads
    std::size_t rows = 0;
    int error = 0;
    while (rows < maxRows) {
        const ssize_t got = ::read(iterator, buffer.data() + carried, buffer.size() - carried);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            error = errno;
            break;
        }
        if (got == 0) {
            break;
        }
        const std::size_t available = carried + static_cast<std::size_t>(got);
        std::size_t offset = 0;
        for (; offset + kRowSize <= available && rows < maxRows; offset += kRowSize, ++rows) {
            Row row;
            std::memcpy(&row, buffer.data() + offset, kRowSize);
            onRow(row);
        }
        carried = available - offset;
        std::memmove(buffer.data(), buffer.data() + offset, carried);
    }
    ::close(iterator);
    if (error != 0) {
        errno = error;
        return false;
    }
    return true;
}

} // namespace

bool BpfSensor::listSocketHolders(std::vector<SocketHolder>& holders) const {
    holders.clear();
    if (!listsSocketHolders()) {
        errno = ENOTSUP;
        return false;
    }
    // Far more sockets than any kernel allows open (fs.nr_open times a few thousand processes
    // is bounded by fs.file-max); a runaway read stops here.
    constexpr std::size_t kMaxHolders = std::size_t{1} << 26;
    const bool read = readIteratorRows<portscope_socket_file>(
        impl_->skeleton->links.dump_socket_files, kMaxHolders,
        [&holders](const portscope_socket_file& row) {
            holders.push_back(SocketHolder{row.inode, static_cast<int>(row.tgid), row.fd,
                                           startTicksFromBoottimeNs(row.start_boottime_ns)});
        });
    if (!read) {
        holders.clear();
    }
    return read;
}

bool BpfSensor::listsTcpSockets() const {
    return impl_->listsTcpSockets;
}

bool BpfSensor::listTcpSockets(std::vector<core::Socket>& out) const {
    if (!listsTcpSockets()) {
        errno = ENOTSUP;
        return false;
    }
    const std::size_t before = out.size();
    constexpr std::size_t kMaxSockets = std::size_t{1} << 26;
    const bool read = readIteratorRows<portscope_tcp_socket>(
        impl_->skeleton->links.dump_tcp_sockets, kMaxSockets,
        [&out](const portscope_tcp_socket& row) {
            core::Socket& socket = out.emplace_back();
            socket.protocol = core::Protocol::Tcp;
            socket.state = core::fromKernelState(row.state, core::Protocol::Tcp);
            socket.local = endpointOf(row.local_address, row.family, row.local_port);
            socket.remote = endpointOf(row.remote_address, row.family, row.remote_port);
            socket.inode = row.inode;
            socket.cookie = row.cookie;
            socket.uid = row.uid;
            socket.interfaceIndex = row.interface;
            socket.receiveQueue = row.receive_queue;
            socket.sendQueue = row.send_queue;
            if (row.counters != 0) {
                socket.counters.present = true;
                socket.counters.hasBytesSent = true;
                socket.counters.bytesAcked = row.bytes_acked;
                socket.counters.bytesReceived = row.bytes_received;
                socket.counters.bytesSent = row.bytes_sent;
                socket.counters.segsIn = row.segs_in;
                socket.counters.segsOut = row.segs_out;
            }
        });
    if (!read) {
        out.resize(before);
    }
    return read;
}

#endif

} // namespace portscope::platform::linuxsys
