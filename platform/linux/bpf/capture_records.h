#pragma once
// What the kernel side of the socket capture (capture.bpf.c) shares with its loader
// (socket_capture.cpp): the selection maps' keys and values and the packet records. Fixed-width
// fields only, laid out without padding holes, so both compilers agree on every offset.

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

// The most of one packet a record carries. An IPv4 packet is at most 65,535 bytes (loopback's
// segments come close); longer ones (BIG TCP) are cut here, and the record says by how much.
#define PORTSCOPE_CAPTURE_MAX_BYTES 65536

// The program wakes the reader once this much waits in the ring; the reader looks at least
// once per read timeout for what waits below it.
#define PORTSCOPE_CAPTURE_WAKEUP_BYTES (1 << 20)

#define PORTSCOPE_CAPTURE_INBOUND 1
#define PORTSCOPE_CAPTURE_OUTBOUND 2

// One packet as a socket sent or received it, starting at its IP header; `captured` bytes
// follow the record.
struct portscope_packet_record {
    __u64 timestamp_ns; // CLOCK_MONOTONIC (bpf_ktime_get_ns)
    __u64 cookie;       // the socket that sent or received it
    __u32 length;       // the packet's whole length
    __u32 captured;     // the bytes that follow, at most PORTSCOPE_CAPTURE_MAX_BYTES
    __u32 interface;    // ifindex, in the socket's network namespace
    __u32 owner_tgid;   // the process the kernel selected the socket for; 0 when user space did
    __u8 direction;     // PORTSCOPE_CAPTURE_INBOUND or _OUTBOUND
    __u8 padding[7];
};

// A socket the kernel selected itself: one a selected process created, or one a selected
// listener accepted (user space selects those its polls name in a map of its own).
struct portscope_selected_socket {
    __u32 owner_tgid; // the creating process when the kernel selected it; 0 otherwise
    __u32 padding;
};

// Key of selected_ports: a listener whose accepted connections are selected.
#define PORTSCOPE_CAPTURE_PORT_KEY(protocol, port) (((__u32)(protocol) << 16) | (__u32)(port))

// Slots of the capture_config array.
#define PORTSCOPE_CAPTURE_EVERY_SOCKET 0

// Slots of the per-CPU capture_counters array.
#define PORTSCOPE_CAPTURE_PASSED 0  // packets selected
#define PORTSCOPE_CAPTURE_DROPPED 1 // selected, but the ring buffer was full
#define PORTSCOPE_CAPTURE_COUNTERS 2
