#pragma once
// Packet capture: libpcap on Linux (it needs CAP_NET_RAW), or packets taken where sockets send
// and receive them (the eBPF socket capture: root, or CAP_BPF and CAP_NET_ADMIN); either
// through portscope-helper (helper_client.h) for a program that runs as the user.
// CaptureSession writes what they capture to a pcapng file, each packet labelled with its
// process (docs/capture.md).

#include "portscope/core/packet_attribution.h"
#include "portscope/core/update.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace portscope::platform {

// A capture that cannot start or go on; the message is a sentence for users.
struct CaptureError : std::runtime_error {
    enum class Kind { Failed, PermissionDenied, BadFilter, NotSupported };
    CaptureError(Kind kind, const std::string& message) : std::runtime_error(message), kind(kind) {}
    Kind kind;
};

struct CaptureOptions {
    // Interface names; empty means "any" (every interface, cooked-v2 link headers).
    std::vector<std::string> interfaces;
    std::uint32_t snapLength = 262144;
    // The kernel's ring per interface: a quarter of a second at 1 Gbit/s, for when the
    // capture thread waits for a core. The kernel zeroes all of it when the capture opens
    // (64 MB cost 0.15 s of CPU, a quarter of what tcpdump spends on 8 s at 1 Gbit/s).
    std::uint32_t bufferBytes = 32u << 20;
    // Take packets where sockets send and receive them rather than from the interfaces: each
    // packet then names its socket, and the kernel copies only the selected sockets' packets
    // (PacketCapture::selectSockets). Linux with the eBPF sensor built; `interfaces` must be
    // empty. Such a capture sees no packet that no socket of this host sent or received.
    bool bySocket = false;
};

struct CapturedInterface {
    std::string name;
    std::uint16_t linkType = 0; // a pcapng LINKTYPE_ value
    std::uint32_t snapLength = 0;
    bool operator==(const CapturedInterface&) const = default;
};

struct CapturedPacket {
    std::uint32_t interface = 0; // index into interfaces()
    std::uint64_t timestampNs = 0;
    std::uint32_t originalLength = 0;
    std::string_view data; // valid only during the callback
    // Captures by socket only: the socket, and whether it sent or received the packet.
    core::PacketSocket socket;
    core::pcapng::Direction direction = core::pcapng::Direction::Unknown;
};

struct CaptureStatistics {
    std::uint64_t received = 0; // packets the filter passed
    std::uint64_t dropped = 0;  // for lack of buffer space
    std::uint64_t droppedByInterface = 0;
    bool operator==(const CaptureStatistics&) const = default;
};

class PacketCapture {
public:
    virtual ~PacketCapture() = default;
    virtual const std::vector<CapturedInterface>& interfaces() const = 0;
    // Replaces the kernel filter of every interface; an empty expression passes everything.
    // Throws CaptureError (BadFilter) naming the problem; the previous filter stays.
    virtual void setFilter(const std::string& expression) = 0;
    // Waits up to `timeout` for packets, then hands each (at most `maxPackets`) to `onPacket`.
    // Returns how many it handed over. Throws CaptureError when the capture failed.
    virtual std::size_t read(std::chrono::milliseconds timeout, std::size_t maxPackets,
                             const std::function<void(const CapturedPacket&)>& onPacket) = 0;
    // Per interface, in the order of interfaces().
    virtual std::vector<CaptureStatistics> statistics() = 0;

    // Whether packets are taken by socket (CaptureOptions::bySocket). Such a capture keeps what
    // selectSockets() says, nothing until it is first called, and setFilter() takes only the
    // user's expression, which it applies to the selected sockets' packets.
    virtual bool selectsBySocket() const { return false; }
    // Replaces the selection of a capture by socket. Throws CaptureError when it cannot.
    virtual void selectSockets(const core::SocketSelection& /*selection*/) {}
};

// libpcap on this system, or the socket capture for CaptureOptions::bySocket. Throws
// CaptureError: PermissionDenied without the privileges, NotSupported where PortScope has no
// such capture (the socket capture needs Linux, the eBPF sensor's build and cgroup v2).
std::unique_ptr<PacketCapture> openPacketCapture(const CaptureOptions& options);

class HelperConnection;

struct OpenedCapture {
    std::unique_ptr<PacketCapture> capture;
    std::string whyNotBySocket; // why a capture by socket was asked for and given up
};
// Opens `options` here, or through `helper` when it is not null. With options.bySocket and
// `fallBack`, a capture by socket that cannot open gives way to one from the interfaces, and
// says why; without `fallBack`, its CaptureError is thrown.
OpenedCapture openCaptureFallingBack(CaptureOptions options, HelperConnection* helper,
                                     bool fallBack);

// Checks a pcap-filter expression without capturing; empty when it compiles, else why not.
std::string captureFilterProblem(const std::string& expression);

// Where the capture file goes: a new private file (0600, never through a link, as
// createPrivateFile()) or standard output. A write that fails is cut back to the blocks before
// it where the output can be cut, so that the file stays readable.
class CaptureOutput {
public:
    static std::unique_ptr<CaptureOutput> createFile(const std::string& path);
    static std::unique_ptr<CaptureOutput> standardOutput();
    // Writes to an open descriptor (the GUI's or a test's); takes ownership of `fd`.
    static std::unique_ptr<CaptureOutput> adoptDescriptor(int fd, std::string name);

    virtual ~CaptureOutput() = default;
    // Writes all of `bytes`, or returns false with the reason and leaves the output as it was
    // before the call (when it can be cut; a pipe cannot).
    virtual bool write(std::string_view bytes, std::string& error) = 0;
    // Cuts the output back to `size` bytes; false where it cannot be cut.
    virtual bool truncate(std::uint64_t size) = 0;
    virtual std::uint64_t size() const = 0;
    virtual const std::string& name() const = 0;
};

std::string localHostName();

// Why a capture ended.
enum class CaptureEnd { Stopped, Duration, Count, SizeLimit, WriteFailed, CaptureFailed };
std::string_view describe(CaptureEnd end);

struct CaptureProgress {
    std::uint64_t packets = 0; // written to the file
    std::uint64_t bytes = 0;   // of the file
    std::uint64_t dropped = 0; // by the kernel, for lack of buffer space
    std::uint64_t unowned = 0; // packets no process owned
    std::uint64_t skipped = 0; // owned by processes not selected
};

struct CaptureResult {
    CaptureEnd end = CaptureEnd::Stopped;
    std::string message; // a sentence: why it ended, and what was kept
    CaptureProgress progress;
};

struct CaptureSessionOptions {
    // Which connections to capture; null for all of them (PacketAttributor::Selector).
    core::PacketAttributor::Selector selector;
    // Which processes are captured whole (PacketAttributor::ProcessSelector): a capture by
    // socket then keeps their new sockets' packets from the first.
    core::PacketAttributor::ProcessSelector processSelector;
    // Processes captured whole from the start, though they may hold no socket yet
    // (PacketAttributor::setWholeProcesses).
    std::vector<core::ProcessKey> wholeProcesses;
    // Describes a process of this computer that a packet names before any poll listed it
    // (localProcess() where the capture is local); null: such packets name the PID alone.
    std::function<std::optional<core::Process>(std::int32_t pid)> describeProcess;
    std::string selectionText; // how the user chose them, for the file's comment
    std::string userFilter;    // pcap-filter expression, combined with the process filter
    std::optional<std::chrono::milliseconds> duration;
    std::optional<std::uint64_t> maxPackets;
    std::optional<std::uint64_t> maxBytes;
    std::string hostName = localHostName();
    std::string application = "PortScope";
};

// Captures, attributes and writes. learn() may be called from any thread (the engine's);
// run() on one thread until a limit, a failure or `stopRequested`.
class CaptureSession {
public:
    CaptureSession(std::unique_ptr<PacketCapture> capture, std::unique_ptr<CaptureOutput> output,
                   CaptureSessionOptions options);
    ~CaptureSession();
    CaptureSession(const CaptureSession&) = delete;
    CaptureSession& operator=(const CaptureSession&) = delete;

    void learn(core::UpdatePtr update);
    CaptureResult run(const std::function<bool()>& stopRequested,
                      const std::function<void(const CaptureProgress&)>& onProgress = {});

private:
    struct State;
    std::unique_ptr<State> state_;
};

// The process with this PID on this computer now, as CaptureSessionOptions::describeProcess
// wants it; nullopt when there is none or it cannot be read.
std::optional<core::Process> localProcess(std::int32_t pid);

// This system's name for the file's comment: uname's system, release and machine.
std::string operatingSystemDescription();
// This computer's host name (uname's node name).
std::string localHostName();

} // namespace portscope::platform
