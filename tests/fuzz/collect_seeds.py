#!/usr/bin/env python3
"""Collects the seed corpora of the fuzz targets that read text and bytes from the system.

    python3 tests/fuzz/collect_seeds.py            # from the source root, on Linux

Writes tests/fuzz/corpus/{proc_text,sock_diag,windows_socket_table,findings_config,
filter_query}. Sources: the captured fixtures of tests/platform, this machine's /proc (reduced
to loopback sockets and this script's own process), a sock_diag dump of loopback sockets this
script opens, the config examples of docs/findings.md and the query examples of
core/include/portscope/core/filter_query.h. The seeds of the helper protocol and the replay
reader are written by fuzz_corpus_tests (FuzzSeeds.WritesSeedsWhenAsked) instead.
"""

import os
import re
import socket
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")
LINUX_FIXTURES = os.path.join(ROOT, "tests", "platform", "linux", "fixtures")
WINDOWS_FIXTURES = os.path.join(ROOT, "tests", "platform", "windows", "fixtures")

# The selector bytes of fuzz_proc_text.cpp.
PROC_TCP4, PROC_TCP6, PROC_UDP4, PROC_UDP6 = 0, 1, 2, 3
PROC_SNMP, PROC_NETSTAT, PROC_STAT, PROC_STATUS, PROC_CMDLINE, PROC_EXE = 4, 5, 6, 7, 8, 9

# TableKind of platform/windows/socket_table.h, in declaration order.
TABLE_KINDS = ["MIB_TCPTABLE_OWNER_PID", "MIB_TCPTABLE_OWNER_MODULE", "MIB_TCP6TABLE_OWNER_PID",
               "MIB_TCP6TABLE_OWNER_MODULE", "MIB_UDPTABLE_OWNER_PID", "MIB_UDPTABLE_OWNER_MODULE",
               "MIB_UDP6TABLE_OWNER_PID", "MIB_UDP6TABLE_OWNER_MODULE", "MIB_TCPTABLE",
               "MIB_TCP6TABLE"]


def write(target, name, data):
    directory = os.path.join(CORPUS, target)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as out:
        out.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def loopback_lines(table, family):
    """The header and the rows of a /proc/net table whose local address is loopback."""
    loopback = "0100007F" if family == 4 else "00000000000000000000000001000000"
    lines = table.decode().splitlines(keepends=True)
    rows = [line for line in lines[1:] if line.split()[1].startswith(loopback)]
    return (lines[0] + "".join(rows[:8])).encode()


def proc_seeds():
    for name, selector in [("net_tcp.txt", PROC_TCP4), ("net_tcp6.txt", PROC_TCP6),
                           ("net_udp.txt", PROC_UDP4), ("net_udp6.txt", PROC_UDP6),
                           ("net_tcp_malformed.txt", PROC_TCP4),
                           ("net_tcp_header_only.txt", PROC_TCP4),
                           ("snmp_host_snmp.txt", PROC_SNMP), ("snmp_netns_netstat.txt", PROC_NETSTAT),
                           ("proc_stat_cat.txt", PROC_STAT), ("proc_stat_kthreadd.txt", PROC_STAT),
                           ("proc_stat_name_with_close_paren.txt", PROC_STAT),
                           ("proc_stat_name_with_control_chars.txt", PROC_STAT),
                           ("proc_status_cat.txt", PROC_STATUS),
                           ("proc_cmdline_control_chars.bin", PROC_CMDLINE),
                           ("proc_cmdline_spaces.bin", PROC_CMDLINE)]:
        write("proc_text", "fixture-" + name.split(".")[0], bytes([selector]) + read(
            os.path.join(LINUX_FIXTURES, name)))
    # This machine, now: loopback sockets only, and this script's own process.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    udp6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    udp6.bind(("::1", 0))
    for name, selector, family in [("tcp", PROC_TCP4, 4), ("tcp6", PROC_TCP6, 6),
                                   ("udp", PROC_UDP4, 4), ("udp6", PROC_UDP6, 6)]:
        write("proc_text", "live-net-" + name,
              bytes([selector]) + loopback_lines(read("/proc/net/" + name), family))
    write("proc_text", "live-snmp", bytes([PROC_SNMP]) + read("/proc/net/snmp"))
    write("proc_text", "live-netstat", bytes([PROC_NETSTAT]) + read("/proc/net/netstat"))
    write("proc_text", "live-stat", bytes([PROC_STAT]) + read("/proc/self/stat"))
    write("proc_text", "live-status", bytes([PROC_STATUS]) + read("/proc/self/status"))
    btime = [line for line in read("/proc/stat").splitlines(keepends=True)
             if line.startswith((b"btime", b"processes", b"ctxt"))]
    write("proc_text", "live-proc-stat-btime", bytes([PROC_STATUS]) + b"".join(btime))
    write("proc_text", "live-cmdline", bytes([PROC_CMDLINE]) + read("/proc/self/cmdline"))
    write("proc_text", "live-exe", bytes([PROC_EXE]) + os.readlink("/proc/self/exe").encode())
    write("proc_text", "exe-deleted", bytes([PROC_EXE]) + b"/tmp/.x/payload (deleted)")
    listener.close()
    udp6.close()


NETLINK_SOCK_DIAG = 4
SOCK_DIAG_BY_FAMILY = 20
NLMSG_DONE = 3
NLM_F_REQUEST, NLM_F_DUMP = 1, 0x300
INET_DIAG_INFO = 2


def sock_diag_dump(family, protocol):
    """The raw reply to one dump request, keeping only sockets bound to loopback."""
    request = struct.pack("=BBBxI", family, protocol, 1 << (INET_DIAG_INFO - 1), 0xFFFFFFFF)
    request += bytes(48)  # inet_diag_sockid: match everything
    header = struct.pack("=IHHII", 16 + len(request), SOCK_DIAG_BY_FAMILY,
                         NLM_F_REQUEST | NLM_F_DUMP, 1, 0)
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_SOCK_DIAG) as nl:
        nl.sendto(header + request, (0, 0))
        kept = b""
        for _ in range(1000):
            reply = nl.recv(65536)
            offset = 0
            while offset + 16 <= len(reply):
                length, kind = struct.unpack_from("=IH", reply, offset)
                message = reply[offset:offset + length]
                offset += (length + 3) & ~3
                if kind == NLMSG_DONE:
                    return kept + message
                source = message[16 + 8:16 + 8 + (4 if family == socket.AF_INET else 16)]
                if source in (bytes([127, 0, 0, 1]), bytes(15) + b"\1"):
                    kept += message + bytes((-len(message)) % 4)
    raise RuntimeError("no NLMSG_DONE")


def sock_diag_seeds():
    for name in ["diag_tcp4.bin", "diag_tcp6.bin", "diag_udp4.bin", "diag_udp6.bin",
                 "diag_destroy_events.bin"]:
        selector = 1 if "udp" in name else 0
        write("sock_diag", "fixture-" + name.split(".")[0], bytes([selector]) +
              read(os.path.join(LINUX_FIXTURES, name)))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    client = socket.create_connection(listener.getsockname())
    server, _ = listener.accept()
    client.sendall(b"x" * 1000)
    server.recv(1000)
    udp6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    udp6.bind(("::1", 0))
    listener6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    listener6.bind(("::1", 0))
    listener6.listen()
    for name, family, protocol, selector in [
            ("tcp4", socket.AF_INET, socket.IPPROTO_TCP, 0),
            ("tcp6", socket.AF_INET6, socket.IPPROTO_TCP, 0),
            ("udp6", socket.AF_INET6, socket.IPPROTO_UDP, 1)]:
        write("sock_diag", "live-" + name, bytes([selector]) + sock_diag_dump(family, protocol))
    for s in (client, server, listener, udp6, listener6):
        s.close()


def windows_seeds():
    for index, kind in enumerate(TABLE_KINDS):
        write("windows_socket_table", kind, bytes([index]) +
              read(os.path.join(WINDOWS_FIXTURES, kind + ".bin")))


def config_seeds():
    text = read(os.path.join(ROOT, "docs", "findings.md")).decode()
    blocks = [b for b in re.findall(r"```\n(.*?)```", text, re.S) if re.search(r"^\[", b, re.M)]
    for index, block in enumerate(blocks):
        write("findings_config", "docs-%d.conf" % index, block.encode())
    write("findings_config", "problems.conf",
          b"[fanout-scan]\nhosts = ten\nwindw = 5s\n[nope]\nx=1\nkey outside\n"
          b"[suspicious-port]\nports = 6666-6669, 31337 # irc\n[scope]\n"
          b"internal = 10.0.0.0/8, fd12:3456::/48, ::ffff:10.1.2.3/128\n")


def query_seeds():
    header = read(os.path.join(ROOT, "core", "include", "portscope", "core",
                               "filter_query.h")).decode()
    examples = ["firefox", '"my app"', "port:443", "port:135-139", "lport:22", "rport:80,443",
                "pid:1234", "proc:ssh", "state:listen", "proto:tcp", "family:6", "scope:internet",
                "scope:lan", "user:root", "host:example.org", "ip:10.0.0.0/8", "ip:fe80::/10",
                "-state:time_wait", "!proc:chrome", '"a \\" b \\\\ c" pid:1-100 -scope:loopback']
    for example in examples:
        assert example.split(":")[0].lstrip("-!\"") in header or example.startswith('"')
    write("filter_query", "all-terms", " ".join(examples).encode())
    for index, example in enumerate(examples):
        write("filter_query", "term-%02d" % index, example.encode())


if __name__ == "__main__":
    if sys.platform != "linux":
        sys.exit("collect_seeds.py reads /proc and sock_diag: run it on Linux")
    proc_seeds()
    sock_diag_seeds()
    windows_seeds()
    config_seeds()
    query_seeds()
