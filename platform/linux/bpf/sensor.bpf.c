// The kernel side of the eBPF sensor. Only BTF tracepoints (tp_btf) are used: they need no
// tracefs, may call bpf_get_socket_cookie, and load where kprobes and fentry are refused.
//
// - inet_sock_set_state: every TCP state change, with its 4-tuple and cookie, into a ring
//   buffer. The change to SYN_SENT runs in the connecting task, so the owner is known there.
// - sock_send_length / sock_recv_length (kernel 6.3+): run in the task that sends or
//   receives, so they name the owner of any socket that moves data, and count UDP bytes.
// - a task_file iterator (no tracepoint) lists the sockets each process holds, for the owner
//   search at start-up.
// vmlinux.h comes first: the libbpf headers and sensor_events.h build on its types.
#include "vmlinux.h"
// clang-format off
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "sensor_events.h"
// clang-format on

char LICENSE[] SEC("license") = "GPL";

#define PORTSCOPE_AF_INET 2
#define PORTSCOPE_AF_INET6 10
#define PORTSCOPE_TCP_ESTABLISHED 1
#define PORTSCOPE_TCP_SYN_SENT 2
#define PORTSCOPE_TCP_SYN_RECV 3
#define PORTSCOPE_TCP_CLOSE 7
#define PORTSCOPE_TCP_TIME_WAIT 6
#define PORTSCOPE_TCP_LISTEN 10
#define PORTSCOPE_TCP_NEW_SYN_RECV 12

// cookie -> the process behind the socket. LRU: a busy host evicts the oldest sockets rather
// than refusing new ones; the loader sizes it before load.
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 65536);
    __type(key, __u64);
    __type(value, struct portscope_owner);
} owners SEC(".maps");

// cookie -> UDP bytes, read by the poll.
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 65536);
    __type(key, __u64);
    __type(value, struct portscope_udp_bytes);
} udp_bytes SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 1 << 23);
} events SEC(".maps");

// Probes of closed ports, for the loader to count by source between polls.
struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 1 << 22);
} probes SEC(".maps");

// Records the ring buffers could not take (PORTSCOPE_LOST_*); the loader compares them between
// polls.
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u64);
} lost_events SEC(".maps");

static __always_inline void count_lost(__u32 slot) {
    __u64* lost = bpf_map_lookup_elem(&lost_events, &slot);
    if (lost) {
        __sync_fetch_and_add(lost, 1);
    }
}

static __always_inline void current_owner(struct portscope_owner* owner) {
    struct task_struct* task = (struct task_struct*)bpf_get_current_task_btf();
    owner->tgid = (__u32)(bpf_get_current_pid_tgid() >> 32);
    owner->uid = (__u32)bpf_get_current_uid_gid();
    owner->start_boottime_ns = task->group_leader->start_boottime;
    bpf_get_current_comm(owner->comm, sizeof(owner->comm));
}

// Notes the current task as the owner unless it already is: one lookup on the common path.
static __always_inline void remember_current_owner(__u64 cookie) {
    __u32 tgid = (__u32)(bpf_get_current_pid_tgid() >> 32);
    if (tgid == 0) {
        return; // the idle task: softirq work with no process behind it
    }
    struct portscope_owner* known = bpf_map_lookup_elem(&owners, &cookie);
    if (known && known->tgid == tgid) {
        return;
    }
    struct portscope_owner owner = {};
    current_owner(&owner);
    bpf_map_update_elem(&owners, &cookie, &owner, BPF_ANY);
}

// The tracepoints' arguments are BTF pointers: their fields are read directly (relocated
// like BPF_CORE_READ, but without a helper call each), which halves the cost per event.
//
// Only the changes a view shows get a record: a connect (SYN_SENT, with the peer a refused
// connect loses later), an accepted connection (ESTABLISHED after SYN_RECV), a new listener,
// and the end of a connection that was established. The steps between (FIN_WAIT1, CLOSE_WAIT,
// ...) and the end of a connect that never got through (its SYN_SENT was recorded) add
// nothing a poll does not see: they cost no record, no cookie and no wakeup.
static __always_inline int worth_recording(int old_state, int new_state) {
    switch (new_state) {
    case PORTSCOPE_TCP_SYN_SENT:
    case PORTSCOPE_TCP_LISTEN:
        return 1;
    case PORTSCOPE_TCP_ESTABLISHED:
        return old_state == PORTSCOPE_TCP_SYN_RECV;
    case PORTSCOPE_TCP_CLOSE:
        return old_state != PORTSCOPE_TCP_SYN_SENT;
    default:
        return 0;
    }
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(on_inet_sock_set_state, struct sock* sk, int old_state, int new_state) {
    if (sk->sk_protocol != IPPROTO_TCP || !worth_recording(old_state, new_state)) {
        return 0;
    }
    __u64 cookie = bpf_get_socket_cookie(sk);
    if (new_state == PORTSCOPE_TCP_SYN_SENT) {
        // tcp_connect runs in the connecting task: this is the moment to learn the owner.
        remember_current_owner(cookie);
    }
    struct portscope_state_event* event = bpf_ringbuf_reserve(&events, sizeof(*event), 0);
    if (!event) {
        count_lost(PORTSCOPE_LOST_STATE_EVENTS);
        return 0;
    }
    event->cookie = cookie;
    const struct sock_common* common = &sk->__sk_common;
    __u16 family = common->skc_family;
    event->family = family;
    event->local_port = common->skc_num;
    event->remote_port = __builtin_bswap16(common->skc_dport);
    __builtin_memset(event->local_address, 0, sizeof(event->local_address));
    __builtin_memset(event->remote_address, 0, sizeof(event->remote_address));
    if (family == PORTSCOPE_AF_INET6) {
        __builtin_memcpy(event->local_address, &common->skc_v6_rcv_saddr, 16);
        __builtin_memcpy(event->remote_address, &common->skc_v6_daddr, 16);
    } else {
        __u32 local = common->skc_rcv_saddr;
        __u32 remote = common->skc_daddr;
        __builtin_memcpy(event->local_address, &local, 4);
        __builtin_memcpy(event->remote_address, &remote, 4);
    }
    event->old_state = (__u8)old_state;
    event->new_state = (__u8)new_state;
    // Adaptive wakeup: only the first change after the loader has read the buffer wakes a
    // waiter (an irq_work), so a view learns of it at once and a burst costs one wakeup.
    bpf_ringbuf_submit(event, 0);
    return 0;
}

static __always_inline void count_udp(struct sock* sk, int length, int sending) {
    if (length <= 0) {
        return;
    }
    __u16 family = sk->__sk_common.skc_family;
    if (family != PORTSCOPE_AF_INET && family != PORTSCOPE_AF_INET6) {
        return;
    }
    __u64 cookie = bpf_get_socket_cookie(sk);
    remember_current_owner(cookie);
    if (sk->sk_protocol != IPPROTO_UDP) {
        return;
    }
    struct portscope_udp_bytes* bytes = bpf_map_lookup_elem(&udp_bytes, &cookie);
    if (!bytes) {
        struct portscope_udp_bytes zero = {};
        bpf_map_update_elem(&udp_bytes, &cookie, &zero, BPF_NOEXIST);
        bytes = bpf_map_lookup_elem(&udp_bytes, &cookie);
        if (!bytes) {
            return;
        }
    }
    if (sending) {
        __sync_fetch_and_add(&bytes->sent, (__u64)length);
    } else {
        __sync_fetch_and_add(&bytes->received, (__u64)length);
    }
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(on_sock_send_length, struct sock* sk, int ret, int flags) {
    count_udp(sk, ret, 1);
    return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(on_sock_recv_length, struct sock* sk, int ret, int flags) {
    count_udp(sk, ret, 0);
    return 0;
}

#define PORTSCOPE_IPPROTO_TCP 6
#define PORTSCOPE_IPPROTO_UDP 17

// Reports the source of a packet that reached no socket, from its IP and transport headers.
// `protocol` is what the packet must carry to be reported.
static __always_inline void report_probe(const struct sk_buff* skb, __u8 protocol) {
    unsigned char* head = skb->head;
    // The IP header in one read: 40 bytes hold an IPv6 header, or IPv4's with what follows.
    __u8 ip[40];
    if (bpf_probe_read_kernel(ip, sizeof(ip), head + skb->network_header) != 0) {
        return;
    }
    struct portscope_probe_event probe = {};
    if ((ip[0] >> 4) == 4 && ip[9] == protocol) {
        probe.family = PORTSCOPE_AF_INET;
        __builtin_memcpy(probe.source_address, &ip[12], 4);
    } else if ((ip[0] >> 4) == 6 && ip[6] == protocol) {
        probe.family = PORTSCOPE_AF_INET6;
        __builtin_memcpy(probe.source_address, &ip[8], 16);
    } else {
        return;
    }
    __u16 ports[2];
    if (bpf_probe_read_kernel(ports, sizeof(ports), head + skb->transport_header) != 0) {
        return;
    }
    probe.port = __builtin_bswap16(ports[1]); // the destination port
    probe.protocol = protocol;
    struct net_device* device = skb->dev;
    probe.netns = device ? device->nd_net.net->ns.inum : 0;
    if (bpf_ringbuf_output(&probes, &probe, sizeof(probe), BPF_RB_NO_WAKEUP) != 0) {
        count_lost(PORTSCOPE_LOST_PROBE_EVENTS);
    }
}

// A reset sent with no socket behind it answers a segment to a closed port.
SEC("tp_btf/tcp_send_reset")
int BPF_PROG(on_tcp_send_reset, const struct sock* sk, const struct sk_buff* skb) {
    if (sk == 0 && skb != 0) {
        report_probe(skb, PORTSCOPE_IPPROTO_TCP);
    }
    return 0;
}

// A UDP datagram dropped because no socket wanted it (the kernel also answers it with an ICMP
// port unreachable, but those are rate limited).
SEC("tp_btf/kfree_skb")
int BPF_PROG(on_kfree_skb, struct sk_buff* skb, void* location, enum skb_drop_reason reason) {
    if (reason == bpf_core_enum_value(enum skb_drop_reason, SKB_DROP_REASON_NO_SOCKET)) {
        report_probe(skb, PORTSCOPE_IPPROTO_UDP);
    }
    return 0;
}

#define PORTSCOPE_S_IFMT 0170000
#define PORTSCOPE_S_IFSOCK 0140000
#define PORTSCOPE_SOCKFS_MAGIC 0x534F434B

// Lists every socket that a process holds open, for the owner search at start-up: one pass
// over all file tables instead of a readlink per fd under /proc. The file of an O_PATH
// descriptor on a socket's path name is no socket (its inode lives in a disk file system), so
// only inodes of the socket file system count, as "socket:[inode]" in /proc/PID/fd does.
SEC("iter/task_file")
int dump_socket_files(struct bpf_iter__task_file* ctx) {
    struct task_struct* task = ctx->task;
    struct file* file = ctx->file;
    if (!task || !file) {
        return 0;
    }
    // Threads that share the leader's table are skipped by the kernel already; one with a
    // table of its own (unshare(CLONE_FILES)) is not what /proc/PID/fd shows.
    if (task->pid != task->tgid) {
        return 0;
    }
    struct inode* inode = file->f_inode;
    if (!inode || (inode->i_mode & PORTSCOPE_S_IFMT) != PORTSCOPE_S_IFSOCK ||
        inode->i_sb->s_magic != PORTSCOPE_SOCKFS_MAGIC) {
        return 0;
    }
    struct portscope_socket_file row = {
        .inode = inode->i_ino,
        .start_boottime_ns = task->start_boottime,
        .tgid = (__u32)task->tgid,
        .fd = ctx->fd,
    };
    bpf_seq_write(ctx->meta->seq, &row, sizeof row);
    return 0;
}

// Every TCP socket of the network namespace that creates the iterator, as the sock_diag dump
// reports it (inet_diag_fill: full sockets; inet_twsk_diag_fill: TIME_WAIT, by substate;
// inet_req_diag_fill: pending requests), for polls that need no netlink dump for TCP.
SEC("iter/tcp")
int dump_tcp_sockets(struct bpf_iter__tcp* ctx) {
    struct sock_common* common = ctx->sk_common;
    if (!common) {
        return 0;
    }
    struct portscope_tcp_socket row = {};
    __u16 family = common->skc_family;
    row.family = family;
    row.state = common->skc_state;
    row.local_port = common->skc_num;
    row.remote_port = __builtin_bswap16(common->skc_dport);
    row.interface = common->skc_bound_dev_if;
    row.cookie = bpf_get_socket_cookie(common);
    if (family == PORTSCOPE_AF_INET6) {
        __builtin_memcpy(row.local_address, &common->skc_v6_rcv_saddr, 16);
        __builtin_memcpy(row.remote_address, &common->skc_v6_daddr, 16);
    } else {
        __u32 local = common->skc_rcv_saddr;
        __u32 remote = common->skc_daddr;
        __builtin_memcpy(row.local_address, &local, 4);
        __builtin_memcpy(row.remote_address, &remote, 4);
    }
    // uid, inode and queues stay 0 but for full sockets, as sock_diag reports them. The state
    // says which kind of socket this is, so only that cast is made (this runs per socket).
    struct tcp_sock* tcp = 0;
    if (row.state == PORTSCOPE_TCP_TIME_WAIT) {
        struct tcp_timewait_sock* timewait = bpf_skc_to_tcp_timewait_sock(common);
        if (timewait) {
            row.state = timewait->tw_sk.tw_substate;
        }
    } else if (row.state == PORTSCOPE_TCP_NEW_SYN_RECV) {
        row.state = PORTSCOPE_TCP_SYN_RECV;
    } else {
        tcp = bpf_skc_to_tcp_sock(common);
    }
    if (tcp) {
        struct sock* sk = &tcp->inet_conn.icsk_inet.sk;
        row.uid = ctx->uid;
        struct socket* socket = sk->sk_socket;
        if (socket) {
            struct file* file = socket->file;
            if (file) {
                row.inode = file->f_inode->i_ino;
            }
        }
        if (row.state == PORTSCOPE_TCP_LISTEN) {
            row.receive_queue = sk->sk_ack_backlog;
            row.send_queue = sk->sk_max_ack_backlog;
        } else {
            __s32 unread = (__s32)(tcp->rcv_nxt - tcp->copied_seq);
            row.receive_queue = unread > 0 ? (__u32)unread : 0;
            row.send_queue = tcp->write_seq - tcp->snd_una;
        }
        row.bytes_acked = tcp->bytes_acked;
        row.bytes_received = tcp->bytes_received;
        row.bytes_sent = tcp->bytes_sent;
        row.segs_in = tcp->segs_in;
        row.segs_out = tcp->segs_out;
        row.counters = 1;
    }
    bpf_seq_write(ctx->meta->seq, &row, sizeof row);
    return 0;
}
