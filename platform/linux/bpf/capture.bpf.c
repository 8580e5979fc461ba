// The kernel side of the socket capture (docs/capture.md): packets are taken where a socket
// sends or receives them, so each comes with the cookie of its socket, and only the selected
// sockets' packets are copied at all.
//
// - cgroup_skb ingress and egress, attached to the root of cgroup v2, see every packet a
//   socket of this host sends or receives, from its IP header on.
// - cgroup/sock_create runs in the process that creates a socket: a selected process's new
//   socket is selected before its first packet, without waiting for a poll; cgroup/
//   sock_release forgets it again.
// vmlinux.h comes first: the libbpf headers and capture_records.h build on its types.
#include "vmlinux.h"
// clang-format off
#include <bpf/bpf_helpers.h>
#include "capture_records.h"
// clang-format on

char LICENSE[] SEC("license") = "GPL";

// Packet records; the loader sizes it before load.
struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 1 << 25);
} packets SEC(".maps");

// cookie -> 1: the sockets user space selected. A plain hash: user space adds and removes
// its entries itself, and none may give way to another behind its back.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 65536);
    __type(key, __u64);
    __type(value, __u8);
} selected_sockets SEC(".maps");

// cookie -> the process it was selected for: the sockets the kernel selected itself (created
// by a selected process, accepted by a selected listener). Removed when the socket is
// released; LRU, so that a flood of new sockets evicts the oldest of these, never a socket
// user space selected.
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 65536);
    __type(key, __u64);
    __type(value, struct portscope_selected_socket);
} kernel_selected_sockets SEC(".maps");

// tgid -> 1: processes whose new sockets are selected as they are created.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, __u32);
    __type(value, __u8);
} selected_processes SEC(".maps");

// PORTSCOPE_CAPTURE_PORT_KEY(protocol, port) -> 1: listeners whose accepted connections are
// selected from their first packet, before a poll has named them. User space names the
// listeners its polls found; the kernel adds those of selected sockets it sees listening.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, __u32);
    __type(value, __u8);
} selected_ports SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 4096);
    __type(key, __u32);
    __type(value, __u8);
} kernel_selected_ports SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u32);
} capture_config SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, PORTSCOPE_CAPTURE_COUNTERS);
    __type(key, __u32);
    __type(value, __u64);
} capture_counters SEC(".maps");

static __always_inline void count(__u32 slot) {
    __u64* counter = bpf_map_lookup_elem(&capture_counters, &slot);
    if (counter) {
        *counter += 1; // per CPU: no other writer
    }
}

// Whether the socket's packets are wanted; *owner gets the process the kernel selected it for.
static __always_inline int selected(struct __sk_buff* skb, __u64 cookie, __u32* owner) {
    __u32 slot = PORTSCOPE_CAPTURE_EVERY_SOCKET;
    __u32* every = bpf_map_lookup_elem(&capture_config, &slot);
    if (every && *every) {
        return 1;
    }
    struct bpf_sock* sk = skb->sk;
    if (sk) {
        sk = bpf_sk_fullsock(sk);
    }
    int chosen = bpf_map_lookup_elem(&selected_sockets, &cookie) != 0;
    if (!chosen) {
        struct portscope_selected_socket* known =
            bpf_map_lookup_elem(&kernel_selected_sockets, &cookie);
        if (known) {
            *owner = known->owner_tgid;
            chosen = 1;
        }
    }
    if (!sk) {
        return chosen;
    }
    __u32 port = PORTSCOPE_CAPTURE_PORT_KEY(sk->protocol, sk->src_port);
    if (chosen) {
        // A selected socket that listens (one opened since the last poll, say): the
        // connections it accepts are selected too, from their first packet.
        if (sk->state == BPF_TCP_LISTEN && !bpf_map_lookup_elem(&selected_ports, &port)) {
            __u8 one = 1;
            bpf_map_update_elem(&kernel_selected_ports, &port, &one, BPF_ANY);
        }
        return 1;
    }
    // A connection a selected listener accepted shares its local port. Until a poll names it,
    // that is how it is known; its first packet selects it for the rest. The port says
    // nothing of the network namespace: user space keeps only what its listener owns.
    if (!bpf_map_lookup_elem(&selected_ports, &port) &&
        !bpf_map_lookup_elem(&kernel_selected_ports, &port)) {
        return 0;
    }
    struct portscope_selected_socket accepted = {};
    bpf_map_update_elem(&kernel_selected_sockets, &cookie, &accepted, BPF_NOEXIST);
    return 1;
}

// One record of `size` bytes of room (a constant, so the verifier knows the reservation) for
// `take` bytes of the packet. Records come in a few sizes so that a small packet does not hold
// 64 KB of the ring.
static __always_inline void emit(struct __sk_buff* skb, __u64 take, const __u64 size, __u64 cookie,
                                 __u32 owner, __u8 direction) {
    // The verifier wants the length proven between 1 and `size`; the empty asm keeps clang
    // from merging the two checks into one the verifier cannot follow.
    if (take < 1) {
        return;
    }
    asm volatile("" : "+r"(take));
    if (take > size) {
        return;
    }
    struct portscope_packet_record* record =
        bpf_ringbuf_reserve(&packets, sizeof(*record) + size, 0);
    if (!record) {
        count(PORTSCOPE_CAPTURE_DROPPED);
        return;
    }
    if (bpf_skb_load_bytes(skb, 0, record + 1, take) != 0) {
        bpf_ringbuf_discard(record, 0);
        return;
    }
    record->timestamp_ns = bpf_ktime_get_ns();
    record->cookie = cookie;
    record->length = skb->len;
    record->captured = (__u32)take;
    record->interface = skb->ifindex;
    record->owner_tgid = owner;
    record->direction = direction;
    __builtin_memset(record->padding, 0, sizeof(record->padding));
    // The reader is woken once a batch has gathered, not for every packet: at 1 Gbit/s a
    // wakeup per packet spent a fifth of the capture's CPU in context switches. What waits
    // below the mark is read when the reader's wait times out (socket_capture.cpp).
    __u64 waiting = bpf_ringbuf_query(&packets, BPF_RB_AVAIL_DATA);
    bpf_ringbuf_submit(record, waiting >= PORTSCOPE_CAPTURE_WAKEUP_BYTES ? BPF_RB_FORCE_WAKEUP
                                                                         : BPF_RB_NO_WAKEUP);
    count(PORTSCOPE_CAPTURE_PASSED);
}

static __always_inline void capture(struct __sk_buff* skb, __u8 direction) {
    __u64 cookie = bpf_get_socket_cookie(skb);
    __u32 owner = 0;
    if (!selected(skb, cookie, &owner)) {
        return;
    }
    // 64 bits wide: clang then checks the register it passes on, not a zero-extended copy.
    __u64 length = skb->len;
    __u64 take = length < PORTSCOPE_CAPTURE_MAX_BYTES ? length : PORTSCOPE_CAPTURE_MAX_BYTES;
    if (take <= 128) {
        emit(skb, take, 128, cookie, owner, direction);
    } else if (take <= 512) {
        emit(skb, take, 512, cookie, owner, direction);
    } else if (take <= 1536) {
        emit(skb, take, 1536, cookie, owner, direction);
    } else if (take <= 4096) {
        emit(skb, take, 4096, cookie, owner, direction);
    } else if (take <= 9216) {
        emit(skb, take, 9216, cookie, owner, direction);
    } else if (take <= 16384) {
        emit(skb, take, 16384, cookie, owner, direction);
    } else if (take <= 32768) {
        emit(skb, take, 32768, cookie, owner, direction);
    } else {
        emit(skb, take, PORTSCOPE_CAPTURE_MAX_BYTES, cookie, owner, direction);
    }
}

// Both return 1: the capture only looks, it never drops a packet.
SEC("cgroup_skb/ingress")
int capture_ingress(struct __sk_buff* skb) {
    capture(skb, PORTSCOPE_CAPTURE_INBOUND);
    return 1;
}

SEC("cgroup_skb/egress")
int capture_egress(struct __sk_buff* skb) {
    capture(skb, PORTSCOPE_CAPTURE_OUTBOUND);
    return 1;
}

// Returns 1: the capture never refuses a socket.
SEC("cgroup/sock_create")
int select_created_socket(struct bpf_sock* sk) {
    __u32 tgid = (__u32)(bpf_get_current_pid_tgid() >> 32);
    if (bpf_map_lookup_elem(&selected_processes, &tgid)) {
        __u64 cookie = bpf_get_socket_cookie(sk);
        struct portscope_selected_socket created = {.owner_tgid = tgid};
        bpf_map_update_elem(&kernel_selected_sockets, &cookie, &created, BPF_ANY);
    }
    return 1;
}

// The socket is gone: the kernel's own selection of it goes too. Returns 1: it never refuses.
SEC("cgroup/sock_release")
int forget_released_socket(struct bpf_sock* sk) {
    __u64 cookie = bpf_get_socket_cookie(sk);
    bpf_map_delete_elem(&kernel_selected_sockets, &cookie);
    return 1;
}
