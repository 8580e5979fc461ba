#pragma once
// The eBPF sensor (docs/sensor.md): BTF tracepoints that name the process behind every TCP
// connect and count UDP bytes per socket, for the live source to merge into its polls. Where
// PortScope was built without it (PORTSCOPE_BPF_SENSOR off), open() says so and the live
// source keeps to the poll sensor.

#include "linux/owners.h"
#include "portscope/core/model.h"
#include "portscope/core/system_text.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace portscope::platform::linuxsys {

// What the sensor learnt of one socket, by its cookie.
struct SensedSocket {
    core::ProcessKey owner; // pid 0 when no process was seen using the socket
    std::uint32_t uid = 0;
    std::string command; // the kernel's 15-character task name (comm)
    // The peer as the last TCP state change saw it: a refused connect has lost its port by
    // the time the socket is destroyed, the state change still has it.
    std::optional<core::Endpoint> remote;
};

struct UdpByteCounts {
    std::uint64_t sent = 0;
    std::uint64_t received = 0;
};

class BpfSensor {
public:
    // Whether this build contains the sensor at all.
    static bool built();

    // Loads and attaches the programs; null with a clause for users in *whyNot when the
    // kernel, the privileges or the build do not allow it. *partial (may be null) gets the
    // sentences saying which parts it loaded without (UDP counts need kernel 6.3), and stays
    // empty when it has them all.
    // `eventBufferBytes` sizes the state changes' ring buffer (0: as compiled, 8 MiB), and
    // the probes' buffer at half of it.
    static std::unique_ptr<BpfSensor> open(core::SystemText* whyNot,
                                           core::SystemText* partial = nullptr,
                                           std::uint32_t eventBufferBytes = 0);

    BpfSensor(const BpfSensor&) = delete;
    BpfSensor& operator=(const BpfSensor&) = delete;
    ~BpfSensor();

    struct DrainResult {
        std::size_t events = 0;       // state changes read
        std::uint64_t lost = 0;       // state changes the ring buffer could not take since
        std::uint64_t lostProbes = 0; // the last drain, and probes of closed ports
        int error = 0;                // errno of a failed read
    };
    // Reads every state change queued since the last drain. Bounded by the ring buffer's size.
    DrainResult drain();
    // Readable when state changes are queued that drain() has not read; the kernel wakes its
    // waiters once per drain (the first change after one). -1 when there is none.
    int changeDescriptor() const;

    // What is known of the socket with this cookie: the process from the kernel's map (or
    // from a state change read earlier), and the peer of its last state change.
    std::optional<SensedSocket> lookup(std::uint64_t cookie) const;

    // UDP payload bytes counted for the socket since the sensor started; nullopt when it has
    // moved none in that time or UDP counting is unavailable.
    std::optional<UdpByteCounts> udpBytes(std::uint64_t cookie) const;
    bool countsUdp() const;

    // The probes of closed ports read since the last call, by source, for the network
    // namespace with this inode (0: all of them). At most kMaxProbeSources sources a poll.
    std::vector<core::ProbeSource> takeProbeSources(std::uint64_t netns);
    bool seesProbes() const;
    static constexpr std::size_t kMaxProbeSources = core::kMaxProbeSourcesPerSnapshot;

    // Whether the sensor can list the sockets every process holds (the task_file iterator,
    // kernel 5.8 and later).
    bool listsSocketHolders() const;
    // Every socket every process holds, in one pass over the kernel's file tables; false
    // (with errno set) when the iterator is unavailable or could not be read. PIDs are those
    // of the initial PID namespace.
    bool listSocketHolders(std::vector<SocketHolder>& holders) const;

    // Whether the sensor can list this network namespace's TCP sockets itself (the tcp
    // iterator, kernel 5.9 and later).
    bool listsTcpSockets() const;
    // Appends every TCP socket of the network namespace this thread is in, with the fields
    // and counters the sock_diag dump gives, in one pass of the tcp iterator; false (with
    // errno set, `out` as it was) when the iterator is unavailable or could not be read.
    bool listTcpSockets(std::vector<core::Socket>& out) const;

    // The socket was destroyed: its entries go, so the maps hold live sockets only.
    void forget(std::uint64_t cookie);

    // Converts a kernel start_boottime (ns) to /proc/PID/stat's starttime (clock ticks).
    static std::uint64_t startTicksFromBoottimeNs(std::uint64_t nanoseconds);

    struct Impl;

private:
    explicit BpfSensor(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// For every loader of eBPF programs in builds with the sensor: a sentence saying why loading
// failed with `error`, in the user's terms (with libbpf's last warning where it has one), and
// the routing of libbpf's messages away from the terminal into that warning.
core::SystemText describeBpfLoadFailure(int error);
void keepLibbpfMessagesQuiet();

} // namespace portscope::platform::linuxsys
