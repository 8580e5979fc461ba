#!/usr/bin/env python3
"""Capture one fast loopback sender with portscope-cli and with tcpdump -w, one after the
other on the same steady traffic, while many other sockets exist; report CPU and drops.

Needs root (both capture), tcpdump, and a release build:
  cmake --preset release && cmake --build build/release --target portscope-cli portscope-loadgen
  sudo python3 tests/bench/capture_compare.py [--rate-mbit 1000] [--sockets 100000] [--seconds 10]
                                               [--rounds 4] [--compare-cli OTHER/portscope-cli]
                                               [--methods bpf,poll]

The sender is a child of this script: a loopback TCP connection that moves --rate-mbit of
64 KiB writes per second. portscope-cli captures it by its PID, once per --methods entry:
`bpf` by socket (the kernel keeps the sender's sockets' packets), `poll` from the interfaces
(the libpcap filter names its connection; it looks at the sender's own sockets and polls
every socket of the system only when they change). tcpdump captures the same connection by
its port. CPU is user + system
time of each capturing process. The tools take turns at going first (the first writer of a
round fills the page cache the second finds in use); the medians over the rounds are compared.
--compare-cli measures another build (an older one, say) the same way in the same run.
"""

import argparse
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def sender(port, rate_mbit, ready):
    """Runs in a child process: sends at the rate until killed."""
    connection = socket.create_connection(("127.0.0.1", port))
    chunk = b"x" * 65536
    per_second = rate_mbit * 1_000_000 / 8 / len(chunk)
    ready.write(b"1")
    ready.close()
    start = time.monotonic()
    sent = 0
    while time.monotonic() - start < 3600:
        connection.sendall(chunk)
        sent += 1
        ahead = sent / per_second - (time.monotonic() - start)
        if ahead > 0:
            time.sleep(ahead)


def start_traffic(rate_mbit):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        try:
            sender(port, rate_mbit, os.fdopen(write_end, "wb"))
        finally:
            os._exit(0)
    os.close(write_end)
    server, _ = listener.accept()

    def drain():
        while server.recv(1 << 20):
            pass

    threading.Thread(target=drain, daemon=True).start()
    os.read(read_end, 1)
    return pid, port


def progress_of(err):
    """(packets, drops) from the last progress line portscope-cli printed."""
    drops = re.findall(r"(\d+) dropped", err)
    packets = re.findall(r"captured (\d+) packets", err)
    return packets[-1] if packets else "?", drops[-1] if drops else "?"


def measured(argv, seconds, stop_with_sigint):
    """Runs argv; returns (cpu seconds, stderr text)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if stop_with_sigint:
        time.sleep(seconds)
        process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=seconds + 60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, err.decode(errors="replace")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate-mbit", type=int, default=1000)
    parser.add_argument("--sockets", type=int, default=100000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--build", default=os.path.join(ROOT, "build", "release"))
    parser.add_argument("--compare-cli", help="another portscope-cli to measure the same way")
    parser.add_argument("--rounds", type=int, default=4,
                        help="each tool this many times, taking turns at going first")
    parser.add_argument("--methods", default="bpf,poll",
                        help="portscope-cli's --sensor for each of its captures: bpf (by "
                             "socket), poll (from the interfaces)")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("needs root: both tools capture packets")
    if shutil.which("tcpdump") is None:
        sys.exit("needs tcpdump (apt-get install tcpdump)")
    cli = os.path.join(args.build, "app", "cli", "portscope-cli")
    loadgen = os.path.join(args.build, "tests", "bench", "portscope-loadgen")

    background = subprocess.Popen(  # the other sockets
        [loadgen, "--connections", str(args.sockets // 2), "--processes", "20",
         "--duration", str(int(args.seconds * 2 + 120))],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sender_pid = None
    try:
        time.sleep(max(5.0, args.sockets / 20000))  # the loadgen opens its sockets
        sender_pid, port = start_traffic(args.rate_mbit)
        time.sleep(1)
        with tempfile.TemporaryDirectory() as directory:
            def capture_with(program, method):
                path = os.path.join(directory, "portscope.pcapng")
                cpu, err = measured(
                    [program, "capture", "--sensor", method, "-w", path, "--pid",
                     str(sender_pid), "--duration", str(args.seconds)], args.seconds, False)
                size = os.path.getsize(path)
                os.remove(path)
                packets, drops = progress_of(err)
                return cpu, packets, drops, size

            def tcpdump():
                path = os.path.join(directory, "tcpdump.pcap")
                cpu, err = measured(
                    ["tcpdump", "-i", "any", "-w", path, "-s", "262144", f"tcp port {port}"],
                    args.seconds, True)
                size = os.path.getsize(path)
                os.remove(path)
                drops = re.search(r"(\d+) packets dropped by kernel", err)
                packets = re.search(r"(\d+) packets captured", err)
                return (cpu, packets.group(1) if packets else "?",
                        drops.group(1) if drops else "?", size)

            # The first writer of a run fills the page cache the second one then finds in use:
            # the tools take turns at going first.
            methods = [m for m in args.methods.split(",") if m]
            names = {"bpf": "portscope by socket", "poll": "portscope interfaces"}
            tools = [(names.get(m, "portscope " + m), lambda m=m: capture_with(cli, m))
                     for m in methods]
            tools.append(("tcpdump -w", tcpdump))
            if args.compare_cli:
                tools.insert(1, ("  --compare-cli",
                                 lambda: capture_with(args.compare_cli, methods[0])))
            results = {name: [] for name, _ in tools}
            print(f"traffic: {args.rate_mbit} Mbit/s on one loopback connection, "
                  f"{args.sockets} other sockets, {args.seconds:g} s per tool, "
                  f"{args.rounds} rounds")
            print(f"{'round':<6}{'tool':<24}{'CPU s':>8}{'CPU %':>8}{'packets':>10}"
                  f"{'dropped':>9}{'file MB':>9}")
            for round_number in range(args.rounds):
                order = tools if round_number % 2 == 0 else list(reversed(tools))
                for name, run in order:
                    cpu, packets, drops, size = run()
                    results[name].append(cpu)
                    print(f"{round_number + 1:<6}{name:<24}{cpu:>8.2f}"
                          f"{100 * cpu / args.seconds:>8.1f}{packets:>10}{drops:>9}"
                          f"{size / 1e6:>9.1f}", flush=True)
            # What following the connections costs alone: the same polls without a capture.
            cpu_polls, _ = measured([cli, "watch", "--pid", "1", "--duration", str(args.seconds)],
                                    args.seconds, False)
        theirs = statistics.median(results["tcpdump -w"])
        for name, _ in tools[:-1]:
            ours = statistics.median(results[name])
            print(f"median CPU s: {name.strip()} {ours:.2f}, tcpdump -w {theirs:.2f}: "
                  f"{ours / theirs:.2f} x")
        print(f"{'portscope-cli watch':<30}{cpu_polls:>8.2f}{100 * cpu_polls / args.seconds:>8.1f}"
              "   (the polls alone, no capture)")
    finally:
        if sender_pid:
            os.kill(sender_pid, signal.SIGKILL)
            os.waitpid(sender_pid, 0)
        background.send_signal(signal.SIGINT)
        try:
            background.wait(timeout=30)
        except subprocess.TimeoutExpired:
            background.kill()


if __name__ == "__main__":
    main()
