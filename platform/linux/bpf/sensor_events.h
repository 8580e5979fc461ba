#pragma once
// What the kernel side of the eBPF sensor (sensor.bpf.c) shares with the loader
// (bpf_sensor.cpp): map values and ring-buffer records. Fixed-width fields only, laid out
// without padding holes, so both compilers agree on every offset.

#ifndef __VMLINUX_H__
#include <linux/types.h> // __u8 ... __u64, as the kernel's own headers spell them
#endif

#define PORTSCOPE_COMM_LEN 16

// The process that was running when a socket was created, connected, or sent or received
// data. startBoottimeNs is the thread group leader's start_boottime, which /proc/PID/stat
// reports (in clock ticks) as starttime: together with tgid it names one process even after
// the PID is reused.
struct portscope_owner {
    __u64 start_boottime_ns;
    __u32 tgid;
    __u32 uid;
    char comm[PORTSCOPE_COMM_LEN];
};

// UDP payload bytes moved through one socket, as sendmsg and recvmsg returned them.
struct portscope_udp_bytes {
    __u64 sent;
    __u64 received;
};

// One TCP state change (inet_sock_set_state). Addresses are in network byte order, ports in
// host byte order; IPv4 addresses use the first four bytes.
// The owner is not repeated here: the loader reads it from the owners map by cookie.
struct portscope_state_event {
    __u64 cookie;
    __u8 local_address[16];
    __u8 remote_address[16];
    __u16 family; // AF_INET or AF_INET6
    __u16 local_port;
    __u16 remote_port;
    __u8 old_state;
    __u8 new_state;
};

// A probe of a closed port that this host turned away: a TCP segment answered with a reset by
// no socket (tcp_send_reset), or a UDP datagram dropped for want of a socket (kfree_skb,
// SKB_DROP_REASON_NO_SOCKET). The source is the prober's address as the packet carried it.
struct portscope_probe_event {
    __u8 source_address[16]; // network byte order; IPv4 in the first four bytes
    __u32 netns;             // inode of the network namespace the packet arrived in
    __u16 family;            // AF_INET or AF_INET6
    __u16 port;              // the closed port probed, host byte order
    __u8 protocol;           // IPPROTO_TCP or IPPROTO_UDP
    __u8 padding[3];
};

// Slots of the lost_events array.
#define PORTSCOPE_LOST_STATE_EVENTS 0
#define PORTSCOPE_LOST_PROBE_EVENTS 1

// One open file of a process that is a socket (the task_file iterator), for the owner search:
// the same facts /proc/PID/fd gives as "socket:[inode]", read in one pass over every process.
// Only thread group leaders are listed, as /proc/PID/fd lists the leader's file table.
struct portscope_socket_file {
    __u64 inode;             // the socket's inode number, as in /proc/PID/fd and sock_diag
    __u64 start_boottime_ns; // the process's start_boottime, as in portscope_owner
    __u32 tgid;
    __u32 fd;
};

// One TCP socket of this network namespace (the tcp iterator), with what the sock_diag dump
// reports of it: the same fields, read from the same kernel structures, in one pass over the
// kernel's TCP tables.
struct portscope_tcp_socket {
    __u64 cookie;
    __u64 inode; // 0 for a socket no process holds (TIME_WAIT, a pending request, an orphan)
    __u64 bytes_acked;
    __u64 bytes_received;
    __u64 bytes_sent;
    __u8 local_address[16]; // network byte order; IPv4 in the first four bytes
    __u8 remote_address[16];
    __u32 uid;
    __u32 interface;
    __u32 receive_queue;
    __u32 send_queue;
    __u32 segs_in;
    __u32 segs_out;
    __u16 family; // AF_INET or AF_INET6
    __u16 local_port;
    __u16 remote_port;
    __u8 state;    // the kernel's TCP state; for TIME_WAIT its substate, as sock_diag says
    __u8 counters; // 1 when the counters and queues are the socket's own (a full socket)
};
