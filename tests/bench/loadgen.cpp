// portscope-loadgen: holds N loopback TCP connections (plus some UDP sockets) spread over M
// processes, optionally opening and closing K more per second, for a bounded time.
// Every address is on 127.0.0.0/8. Children die with the parent; everything closes on exit,
// the held connections with a reset so that no TIME_WAIT sockets outlive the run.

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <string>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

struct Options {
    long connections = 1000;
    long processes = 4;
    long udpSockets = 10;
    long churnPerSecond = 0;
    bool churnReset = false; // close churned connections with a reset instead of FIN
    double durationSeconds = 60;
};

std::atomic<bool> stopping{false};

extern "C" void onStop(int) {
    stopping.store(true);
}

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "portscope-loadgen: %s: %s\n", what.c_str(), std::strerror(errno));
    std::exit(1);
}

void usage() {
    std::fprintf(stderr,
                 "Usage: portscope-loadgen [--connections N] [--processes M] [--udp U]\n"
                 "                         [--churn K] [--churn-close fin|reset]\n"
                 "                         [--duration SECONDS]\n"
                 "Holds N loopback TCP connections (2N sockets) over M processes, U UDP sockets,\n"
                 "and opens and closes K extra connections per second (client first; with FIN\n"
                 "each leaves a TIME_WAIT socket for a minute, with reset none). Prints 'ready'\n"
                 "when set up, naming the churn listener, and 'done churned=N' at the end.\n");
    std::exit(2);
}

long parseLong(const char* text, const char* option) {
    char* end = nullptr;
    errno = 0;
    const long value = std::strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < 0) {
        std::fprintf(stderr, "portscope-loadgen: %s expects a non-negative number\n", option);
        std::exit(2);
    }
    return value;
}

sockaddr_in loopback(int hostByte, std::uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(0x7F000000u | static_cast<std::uint32_t>(hostByte));
    return address;
}

// A reset instead of FIN: the socket is gone at once and leaves no TIME_WAIT behind.
void closeWithReset(int fd) {
    const linger abortive{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
    close(fd);
}

int listenOn(int hostByte, sockaddr_in& bound) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        die("socket");
    }
    bound = loopback(hostByte, 0);
    if (bind(fd, reinterpret_cast<sockaddr*>(&bound), sizeof bound) != 0 || listen(fd, 4096) != 0) {
        die("listen");
    }
    socklen_t length = sizeof bound;
    getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length);
    return fd;
}

// Connects `count` clients to `target` and accepts each; returns every fd.
void connectMany(int listener, const sockaddr_in& target, long count, std::vector<int>& fds) {
    for (long i = 0; i < count && !stopping.load(); ++i) {
        const int client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (client < 0) {
            die("socket (raise the fd limit?)");
        }
        if (connect(client, reinterpret_cast<const sockaddr*>(&target), sizeof target) != 0) {
            die("connect");
        }
        const int server = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (server < 0) {
            die("accept");
        }
        fds.push_back(client);
        fds.push_back(server);
    }
}

void raiseFdLimit(long needed) {
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    const rlim_t wanted = static_cast<rlim_t>(needed + 256);
    if (limit.rlim_cur >= wanted) {
        return;
    }
    limit.rlim_cur = std::min<rlim_t>(wanted, limit.rlim_max);
    if (limit.rlim_cur < wanted) {
        // Root may raise the hard limit too.
        limit.rlim_max = wanted;
        limit.rlim_cur = wanted;
    }
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
        die("cannot raise the open-file limit to " + std::to_string(wanted));
    }
}

void waitUntil(std::chrono::steady_clock::time_point deadline) {
    while (!stopping.load() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

// One child: its own listener on 127.0.0.(index+1), `count` connections to it.
[[noreturn]] void runHolder(int index, long count, int readyFd,
                            std::chrono::steady_clock::time_point deadline) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    raiseFdLimit(2 * count + 16);
    sockaddr_in target{};
    const int listener = listenOn(1 + index % 250, target);
    std::vector<int> fds;
    fds.reserve(static_cast<std::size_t>(2 * count));
    connectMany(listener, target, count, fds);
    const char ready = 'r';
    if (write(readyFd, &ready, 1) != 1) {
        die("write");
    }
    close(readyFd);
    waitUntil(deadline);
    for (int fd : fds) {
        closeWithReset(fd);
    }
    close(listener);
    std::_Exit(0);
}

} // namespace

int main(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (i + 1 >= argc) {
            usage();
        }
        if (arg == "--connections") {
            options.connections = parseLong(argv[++i], "--connections");
        } else if (arg == "--processes") {
            options.processes = std::max(1L, parseLong(argv[++i], "--processes"));
        } else if (arg == "--udp") {
            options.udpSockets = parseLong(argv[++i], "--udp");
        } else if (arg == "--churn") {
            options.churnPerSecond = parseLong(argv[++i], "--churn");
        } else if (arg == "--churn-close") {
            const std::string mode = argv[++i];
            if (mode != "fin" && mode != "reset") {
                std::fprintf(stderr, "portscope-loadgen: --churn-close expects fin or reset\n");
                return 2;
            }
            options.churnReset = mode == "reset";
        } else if (arg == "--duration") {
            options.durationSeconds = std::atof(argv[++i]);
            if (options.durationSeconds <= 0 || options.durationSeconds > 3600) {
                std::fprintf(stderr, "portscope-loadgen: --duration must be 0 to 3600 s\n");
                return 2;
            }
        } else {
            usage();
        }
    }
    std::signal(SIGINT, onStop);
    std::signal(SIGTERM, onStop);
    const auto deadline =
        std::chrono::steady_clock::now() +
        std::chrono::milliseconds(static_cast<long>(options.durationSeconds * 1000));

    int readyPipe[2];
    if (pipe2(readyPipe, O_CLOEXEC) != 0) {
        die("pipe");
    }
    std::vector<pid_t> children;
    const long perProcess = options.connections / options.processes;
    for (long p = 0; p < options.processes; ++p) {
        const long count = perProcess + (p < options.connections % options.processes ? 1 : 0);
        const pid_t child = fork();
        if (child < 0) {
            die("fork");
        }
        if (child == 0) {
            close(readyPipe[0]);
            runHolder(static_cast<int>(p), count, readyPipe[1], deadline);
        }
        children.push_back(child);
    }
    close(readyPipe[1]);
    for (std::size_t ready = 0; ready < children.size();) {
        char byte;
        const auto n = read(readyPipe[0], &byte, 1);
        if (n == 1) {
            ++ready;
        } else if (n == 0 || (n < 0 && errno != EINTR)) {
            std::fprintf(stderr, "portscope-loadgen: a holder process failed\n");
            for (pid_t child : children) {
                kill(child, SIGKILL);
            }
            return 1;
        }
    }
    close(readyPipe[0]);

    raiseFdLimit(options.udpSockets + 64);
    std::vector<int> udp;
    for (long i = 0; i < options.udpSockets; ++i) {
        const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_in address = loopback(1, 0);
        if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
            die("udp socket");
        }
        udp.push_back(fd);
    }
    // The churn listener exists before 'ready', so that a monitor can tell churned
    // connections (those to this port) from held ones.
    sockaddr_in churnTarget{};
    const int churnListener = options.churnPerSecond > 0 ? listenOn(254, churnTarget) : -1;
    char churnAddress[INET_ADDRSTRLEN] = "none";
    if (churnListener >= 0) {
        inet_ntop(AF_INET, &churnTarget.sin_addr, churnAddress, sizeof churnAddress);
    }
    std::printf("ready %ld tcp connections (%ld sockets) in %ld processes, %ld udp, "
                "churn_listener=%s:%u pid=%ld\n",
                options.connections, 2 * options.connections, options.processes, options.udpSockets,
                churnAddress,
                churnListener >= 0 ? static_cast<unsigned>(ntohs(churnTarget.sin_port)) : 0U,
                static_cast<long>(getpid()));
    std::fflush(stdout);

    unsigned long churned = 0;
    if (churnListener >= 0) {
        // Short connections in batches every 10 ms; each closes at once, client first.
        const int listener = churnListener;
        const sockaddr_in target = churnTarget;
        const auto batchEvery = std::chrono::milliseconds(10);
        const double perBatch = static_cast<double>(options.churnPerSecond) / 100.0;
        double owed = 0;
        auto next = std::chrono::steady_clock::now();
        while (!stopping.load() && std::chrono::steady_clock::now() < deadline) {
            owed += perBatch;
            std::vector<int> fds;
            const long batch = static_cast<long>(owed);
            owed -= static_cast<double>(batch);
            connectMany(listener, target, batch, fds);
            for (int fd : fds) {
                if (options.churnReset) {
                    closeWithReset(fd);
                } else {
                    close(fd);
                }
            }
            churned += fds.size() / 2;
            next += batchEvery;
            std::this_thread::sleep_until(next);
        }
    } else {
        waitUntil(deadline);
    }
    for (int fd : udp) {
        close(fd);
    }
    if (churnListener >= 0) {
        close(churnListener);
    }
    for (pid_t child : children) {
        kill(child, SIGTERM);
    }
    for (pid_t child : children) {
        waitpid(child, nullptr, 0);
    }
    std::printf("done churned=%lu\n", churned);
    return 0;
}
