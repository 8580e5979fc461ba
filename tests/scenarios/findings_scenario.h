#pragma once
// Support for the findings scenarios: the test's main thread moves into a network namespace
// of its own (so its traffic, its sockets and the netstat -s counters the engine reads are the
// test's alone), optionally joined by a veth pair to a second namespace, and an engine on the
// live source is run and watched.
//
// Nothing leaves the namespaces: the only interfaces are their loopbacks and the veth pair
// between them, and every namespace is removed when the test ends.

#include "loopback.h"
#include "portscope/core/engine.h"
#include "portscope/platform/system.h"
#include "test_process.h"

#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <gtest/gtest.h>
#include <mutex>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace portscope::testing {

inline constexpr std::string_view kNamespacePrefix = "pstest-";

// Removes namespaces that earlier runs of these tests left behind when they crashed: their
// names carry the PID of the test process, which must be gone.
inline void removeStaleNamespaces() {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/run/netns", error)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(kNamespacePrefix, 0) != 0) {
            continue;
        }
        const auto dash = name.find('-', kNamespacePrefix.size());
        const auto pid = std::atoi(name.substr(kNamespacePrefix.size(), dash).c_str());
        if (pid > 0 && kill(pid, 0) != 0 && errno == ESRCH) {
            runProgram({"ip", "netns", "delete", name});
        }
    }
}

class PrivateNetwork {
public:
    // Null, with the reason in *whyNot, when this machine cannot give the test a namespace
    // (not root, no `ip`, or nft missing when `needNft`).
    static std::unique_ptr<PrivateNetwork> create(bool needNft, std::string* whyNot) {
        if (geteuid() != 0) {
            *whyNot = "needs root to create network namespaces";
            return nullptr;
        }
        if (runProgram({"ip", "-V"}).exitCode != 0) {
            *whyNot = "needs `ip` (iproute2)";
            return nullptr;
        }
        if (needNft && runProgram({"nft", "--version"}).exitCode != 0) {
            *whyNot = "needs `nft` (the nftables package, listed in .ci/common.sh)";
            return nullptr;
        }
        removeStaleNamespaces();
        auto network = std::unique_ptr<PrivateNetwork>(new PrivateNetwork());
        network->original_ = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
        if (network->original_ < 0 || unshare(CLONE_NEWNET) != 0) {
            *whyNot = std::string("cannot enter a new network namespace: ") + std::strerror(errno);
            return nullptr;
        }
        network->entered_ = true;
        network->run({"ip", "link", "set", "lo", "up"});
        return network;
    }

    ~PrivateNetwork() {
        if (entered_ && setns(original_, CLONE_NEWNET) != 0) {
            ADD_FAILURE() << "cannot return to the original network namespace: "
                          << std::strerror(errno);
        }
        if (original_ >= 0) {
            close(original_);
        }
        if (!peer_.empty()) {
            const auto result = runProgram({"ip", "netns", "delete", peer_});
            EXPECT_EQ(result.exitCode, 0) << "ip netns delete " << peer_ << ": " << result.err;
        }
    }

    PrivateNetwork(const PrivateNetwork&) = delete;
    PrivateNetwork& operator=(const PrivateNetwork&) = delete;

    // Runs a command inside this namespace (children inherit the main thread's); throws when
    // it fails, with its error output.
    void run(const std::vector<std::string>& argv) {
        const auto result = runProgram(argv, std::chrono::seconds(20));
        if (result.exitCode != 0) {
            std::string line;
            for (const auto& arg : argv) {
                line += arg + " ";
            }
            throw std::runtime_error(line + "failed: " + result.err + result.out);
        }
    }

    // Loads an nftables ruleset into this namespace.
    void nft(const std::string& ruleset) {
        const auto path = std::filesystem::temp_directory_path() /
                          ("portscope-nft-" + std::to_string(getpid()) + ".nft");
        {
            std::ofstream file(path);
            file << ruleset;
        }
        try {
            run({"nft", "-f", path.string()});
        } catch (...) {
            std::filesystem::remove(path);
            throw;
        }
        std::filesystem::remove(path);
    }

    // Drops matching packets as they leave through loopback (both directions of a loopback
    // connection pass the output hook).
    void dropOnOutput(const std::string& match) {
        nft("table inet pstest {\n"
            "  chain out {\n"
            "    type filter hook output priority 0; policy accept;\n"
            "    " +
            match +
            " drop\n"
            "  }\n"
            "}\n");
    }

    // A second namespace joined to this one by a veth pair; `ours` and `theirs` are
    // addresses with prefix length, such as "198.18.0.1/30".
    void addPeer(const std::string& ours, const std::string& theirs) {
        peer_ = std::string(kNamespacePrefix) + std::to_string(getpid()) + "-peer";
        run({"ip", "netns", "add", peer_});
        run({"ip", "link", "add", "psveth0", "type", "veth", "peer", "name", "psveth1", "netns",
             peer_});
        run({"ip", "addr", "add", ours, "dev", "psveth0"});
        run({"ip", "link", "set", "psveth0", "up"});
        run({"ip", "-n", peer_, "addr", "add", theirs, "dev", "psveth1"});
        run({"ip", "-n", peer_, "link", "set", "psveth1", "up"});
        run({"ip", "-n", peer_, "link", "set", "lo", "up"});
    }

    // Runs `work` on a thread inside the peer namespace: sockets it creates live there.
    template <typename Work>
    auto inPeer(Work work) -> decltype(work()) {
        if (peer_.empty()) {
            throw std::logic_error("addPeer() first");
        }
        std::packaged_task<decltype(work())()> task([&] {
            const int fd = open(("/run/netns/" + peer_).c_str(), O_RDONLY | O_CLOEXEC);
            if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) {
                const std::string why = std::strerror(errno);
                if (fd >= 0) {
                    close(fd);
                }
                throw std::runtime_error("cannot enter " + peer_ + ": " + why);
            }
            close(fd);
            return work();
        });
        auto result = task.get_future();
        std::thread(std::move(task)).join();
        return result.get();
    }

private:
    PrivateNetwork() = default;
    int original_ = -1;
    bool entered_ = false;
    std::string peer_;
};

// An engine on the live source of the current namespace (other namespaces are left out so
// the machine's own traffic cannot interfere), with its updates kept for the test.
class WatchedEngine {
public:
    explicit WatchedEngine(core::FindingsConfig config = {},
                           std::chrono::milliseconds interval = core::Engine::kMinInterval,
                           platform::SensorChoice sensor = platform::SensorChoice::Poll)
        : WatchedEngine(liveSource(sensor), engineOptions(std::move(config), interval)) {}

    // An engine on any source, such as a helper's.
    WatchedEngine(std::unique_ptr<core::SnapshotSource> source, core::EngineOptions options) {
        core::EngineEvents events;
        events.onUpdate = [this](const core::UpdatePtr& update) {
            std::lock_guard lock(mutex_);
            updates_.push_back(update);
            changed_.notify_all();
        };
        events.onFinished = [this](const std::string& message, bool) {
            std::lock_guard lock(mutex_);
            finishMessage_ = message;
            changed_.notify_all();
        };
        engine_ = std::make_unique<core::Engine>(std::move(source), options, std::move(events));
        engine_->start();
    }

    static std::unique_ptr<core::SnapshotSource> liveSource(platform::SensorChoice sensor) {
        platform::LiveSourceOptions source;
        source.includeOtherNamespaces = false;
        source.sensor = sensor;
        return platform::makeLiveSource(source);
    }

    static core::EngineOptions engineOptions(core::FindingsConfig config,
                                             std::chrono::milliseconds interval) {
        core::EngineOptions options;
        options.interval = interval;
        options.findings = std::move(config);
        return options;
    }

    ~WatchedEngine() { engine_->stop(); }

    // Waits for the first update with a finding that `match` accepts; returns a copy of it
    // and the update's sequence, or nothing after `timeout`.
    std::optional<std::pair<core::Finding, std::uint64_t>>
    waitForFinding(const std::function<bool(const core::Finding&)>& match,
                   std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
        std::unique_lock lock(mutex_);
        std::size_t checked = 0;
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (true) {
            for (; checked < updates_.size(); ++checked) {
                for (const auto& finding : updates_[checked]->findings) {
                    if (match(finding)) {
                        return std::make_pair(finding, updates_[checked]->sequence);
                    }
                }
            }
            if (!finishMessage_.empty() ||
                changed_.wait_until(lock, deadline) == std::cv_status::timeout) {
                return std::nullopt;
            }
        }
    }

    // Waits until `count` more updates arrived; returns the sequence of the last one.
    std::uint64_t waitForUpdates(std::size_t count,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
        std::unique_lock lock(mutex_);
        const std::size_t target = updates_.size() + count;
        changed_.wait_for(lock, timeout, [&] { return updates_.size() >= target; });
        return updates_.empty() ? 0 : updates_.back()->sequence;
    }

    std::vector<core::UpdatePtr> updates() {
        std::lock_guard lock(mutex_);
        return updates_;
    }

    // Waits for the first update from now on that `match` accepts; null after `timeout`.
    core::UpdatePtr waitForUpdate(const std::function<bool(const core::Update&)>& match,
                                  std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        std::size_t checked = updates_.size();
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (true) {
            for (; checked < updates_.size(); ++checked) {
                if (match(*updates_[checked])) {
                    return updates_[checked];
                }
            }
            if (!finishMessage_.empty() ||
                changed_.wait_until(lock, deadline) == std::cv_status::timeout) {
                return nullptr;
            }
        }
    }

private:
    std::unique_ptr<core::Engine> engine_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<core::UpdatePtr> updates_;
    std::string finishMessage_;
};

// A child process that this test started, killed by its PID when the test ends.
class Child {
public:
    explicit Child(const std::vector<std::string>& argv) : pid_(startChild(argv)) {}
    ~Child() { killChild(pid_); }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    pid_t pid() const { return pid_; }

private:
    pid_t pid_;
};

// A temporary directory removed with everything in it when the test ends.
class ScratchDirectory {
public:
    ScratchDirectory() {
        char pattern[] = "/tmp/portscope-scenario-XXXXXX";
        if (mkdtemp(pattern) == nullptr) {
            throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
        }
        path_ = pattern;
    }
    ~ScratchDirectory() {
        std::error_code error;
        std::filesystem::remove_all(path_, error);
    }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

// Sockets on any address. Only for addresses inside the test's own namespaces: the loopback
// helpers of loopback.h refuse anything but loopback, for tests that share the machine's.
inline sockaddr_in socketAddress(const std::string& address, std::uint16_t port) {
    sockaddr_in in{};
    in.sin_family = AF_INET;
    in.sin_port = htons(port);
    if (inet_pton(AF_INET, address.c_str(), &in.sin_addr) != 1) {
        throw std::invalid_argument("not an IPv4 address: " + address);
    }
    return in;
}

inline Fd listenInNamespace(const std::string& address, std::uint16_t port = 0, int backlog = 128) {
    Fd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    const int yes = 1;
    setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    const auto in = socketAddress(address, port);
    if (!fd || bind(fd.get(), reinterpret_cast<const sockaddr*>(&in), sizeof in) != 0 ||
        listen(fd.get(), backlog) != 0) {
        throw std::runtime_error("listen on " + address + ": " + std::strerror(errno));
    }
    return fd;
}

inline Fd connectInNamespace(const std::string& address, std::uint16_t port, bool blocking) {
    Fd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (blocking ? 0 : SOCK_NONBLOCK), 0));
    const auto in = socketAddress(address, port);
    if (!fd) {
        throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    }
    if (connect(fd.get(), reinterpret_cast<const sockaddr*>(&in), sizeof in) != 0 &&
        !(errno == EINPROGRESS && !blocking)) {
        throw std::runtime_error("connect to " + address + ": " + std::strerror(errno));
    }
    return fd;
}

// Makes room for `descriptors` open files, raising the soft limit toward the hard one.
inline bool ensureDescriptors(rlim_t descriptors) {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return false;
    }
    if (limit.rlim_cur >= descriptors) {
        return true;
    }
    if (limit.rlim_max < descriptors) {
        return false;
    }
    limit.rlim_cur = descriptors;
    return setrlimit(RLIMIT_NOFILE, &limit) == 0;
}

// Waits until `pid` holds a socket (its program has started and opened it).
inline bool waitForSocketOf(pid_t pid,
                            std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const std::string fdDir = "/proc/" + std::to_string(pid) + "/fd";
    while (std::chrono::steady_clock::now() < deadline) {
        std::error_code error;
        for (const auto& entry : std::filesystem::directory_iterator(fdDir, error)) {
            std::error_code linkError;
            const auto target = std::filesystem::read_symlink(entry.path(), linkError);
            if (!linkError && target.string().rfind("socket:", 0) == 0) {
                return true;
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

// A finding should follow the situation within a few polls of the engine.
inline constexpr std::uint64_t kFewTicks = 6;

inline core::ProcessKey self() {
    const auto key = platform::currentProcessKey(getpid());
    if (!key) {
        throw std::runtime_error("cannot read this process's own start time");
    }
    return *key;
}

inline bool has(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

} // namespace portscope::testing

// Enters a private network of the test's own, or skips the test saying why it cannot.
#define ENTER_PRIVATE_NETWORK(network, needNft)                                                    \
    std::string whyNot;                                                                            \
    auto network = ::portscope::testing::PrivateNetwork::create(needNft, &whyNot);                 \
    if (!network) {                                                                                \
        GTEST_SKIP() << "this scenario " << whyNot;                                                \
    }
