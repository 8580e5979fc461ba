#pragma once
// The socket capture (docs/capture.md): packets taken where this host's sockets send and
// receive them, through cgroup eBPF programs (linux/bpf/capture.bpf.c), each with its socket's
// cookie, and only for the sockets selected. openPacketCapture() opens it for
// CaptureOptions::bySocket.

#include "portscope/platform/packet_capture.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace portscope::platform::linuxsys {

// A pcap-filter expression compiled for raw IP packets, the socket capture's framing. It
// lives with the libpcap code (packet_capture.cpp): libpcap's and the kernel's BPF headers
// cannot be included together.
class RawPacketFilter {
public:
    // Throws CaptureError (BadFilter) saying what libpcap found wrong.
    explicit RawPacketFilter(const std::string& expression);
    ~RawPacketFilter();
    RawPacketFilter(const RawPacketFilter&) = delete;
    RawPacketFilter& operator=(const RawPacketFilter&) = delete;
    bool matches(std::string_view packet, std::uint32_t originalLength) const;

private:
    struct Program;
    std::unique_ptr<Program> program_;
};

// Throws CaptureError: NotSupported without the eBPF build or cgroup v2, PermissionDenied
// without the privileges (root, or CAP_BPF with CAP_NET_ADMIN).
std::unique_ptr<PacketCapture> openSocketCapture(const CaptureOptions& options);

// Where the unified (v2) cgroup hierarchy is mounted, read from /proc/self/mountinfo's text;
// empty when it is not mounted.
std::string cgroup2MountPoint(std::string_view mountinfo);

} // namespace portscope::platform::linuxsys
