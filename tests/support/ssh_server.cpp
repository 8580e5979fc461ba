#include "ssh_server.h"

#include "test_process.h"

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <sched.h>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace portscope::testing {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

std::atomic<int> serversMade{0};

std::string readText(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

void writeText(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::trunc);
    out << text;
    if (!out) {
        throw std::runtime_error("cannot write " + path.string());
    }
}

void run(const std::vector<std::string>& argv) {
    const auto result = runProgram(argv, 30s);
    if (result.exitCode != 0) {
        std::string command;
        for (const auto& arg : argv) {
            command += (command.empty() ? "" : " ") + arg;
        }
        throw std::runtime_error(command + " failed (" + std::to_string(result.exitCode) +
                                 "): " + result.err);
    }
}

void makeKey(const fs::path& path, const std::string& passphrase = "") {
    run({"ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "portscope-test", "-f",
         path.string()});
}

struct ProcessEntry {
    pid_t pid = 0;
    pid_t parent = 0;
    std::string name;
};

std::vector<ProcessEntry> processTable() {
    std::vector<ProcessEntry> table;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator("/proc", error)) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) {
            continue;
        }
        const std::string stat = readText(entry.path() / "stat");
        const auto open = stat.find('(');
        const auto close = stat.rfind(')');
        if (open == std::string::npos || close == std::string::npos || close < open) {
            continue;
        }
        std::istringstream fields(stat.substr(close + 2));
        std::string state;
        ProcessEntry process;
        fields >> state >> process.parent;
        process.pid = static_cast<pid_t>(std::stol(name));
        process.name = stat.substr(open + 1, close - open - 1);
        table.push_back(std::move(process));
    }
    return table;
}

// Every process below `root`: what the sshd we started has started.
std::vector<ProcessEntry> descendantsOf(pid_t root) {
    const auto table = processTable();
    std::vector<ProcessEntry> found;
    std::vector<pid_t> parents{root};
    // A tree of at most the whole table: each round adds a generation or stops.
    for (std::size_t round = 0; round < table.size() && !parents.empty(); ++round) {
        std::vector<pid_t> next;
        for (const auto& process : table) {
            if (std::find(parents.begin(), parents.end(), process.parent) != parents.end()) {
                found.push_back(process);
                next.push_back(process.pid);
            }
        }
        parents = std::move(next);
    }
    return found;
}

int killAll(const std::vector<ProcessEntry>& processes, bool onlySshd) {
    int killed = 0;
    for (const auto& process : processes) {
        if (process.pid > 0 && (!onlySshd || process.name == "sshd") &&
            ::kill(process.pid, SIGKILL) == 0) {
            ++killed;
        }
    }
    return killed;
}

} // namespace

SshServer::SshServer() {
    if (::geteuid() != 0) {
        throw std::runtime_error("needs root: ip netns add");
    }
    namespace_ = "portscope-ssh-" + std::to_string(::getpid()) + "-" +
                 std::to_string(serversMade.fetch_add(1));
    std::string pattern = (fs::temp_directory_path() / "portscope-ssh-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
    }
    directory_ = pattern;
    for (const char* program : {"/usr/sbin/sshd", "/usr/bin/ssh", "/usr/bin/ssh-keygen"}) {
        if (::access(program, X_OK) != 0) {
            throw std::runtime_error(std::string(program) +
                                     " is missing: install openssh-server and openssh-client");
        }
    }
    makeKey(directory_ / "host_key");
    makeKey(directory_ / "other_host_key");
    makeKey(directory_ / "user_key");
    makeKey(directory_ / "wrong_user_key");
    makeKey(directory_ / "passphrase_user_key", kKeyPassphrase);
    writeText(directory_ / "authorized_keys", readText(directory_ / "user_key.pub") +
                                                  readText(directory_ / "passphrase_user_key.pub"));
    // sshd refuses to start without its privilege-separation directory.
    fs::create_directories("/run/sshd");

    run({"ip", "netns", "add", namespace_});
    namespaceCreated_ = true;
    run({"ip", "netns", "exec", namespace_, "ip", "link", "set", "lo", "up"});

    const std::string dir = directory_.string();
    writeText(directory_ / "sshd_config",
              "ListenAddress 127.0.0.1:" + std::to_string(kPort) + "\nHostKey " + dir +
                  "/host_key\nAuthorizedKeysFile " + dir +
                  "/authorized_keys\n"
                  // The temporary directory is not laid out the way StrictModes wants.
                  "StrictModes no\nPidFile none\nUsePAM no\nUseDNS no\n"
                  "PermitRootLogin prohibit-password\nPasswordAuthentication no\n"
                  "KbdInteractiveAuthentication no\nPrintMotd no\nLoginGraceTime 30\n");
    const std::string hostKey = readText(directory_ / "host_key.pub");
    const std::string otherHostKey = readText(directory_ / "other_host_key.pub");
    writeText(directory_ / "known_hosts", "[127.0.0.1]:" + std::to_string(kPort) + " " + hostKey);
    writeText(directory_ / "changed_known_hosts",
              "[127.0.0.1]:" + std::to_string(kPort) + " " + otherHostKey);
    writeText(directory_ / "empty_known_hosts", "");
    writeClientConfig("ssh_config", "known_hosts", "user_key");

    const std::string logPath = (directory_ / "sshd.log").string();
    std::vector<std::string> argv{"/usr/sbin/ip",
                                  "netns",
                                  "exec",
                                  namespace_,
                                  "/usr/sbin/sshd",
                                  "-D",
                                  "-e",
                                  "-f",
                                  (directory_ / "sshd_config").string()};
    if (::access(argv[0].c_str(), X_OK) != 0) {
        argv[0] = "/usr/bin/ip";
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::vector<char*> raw;
    for (auto& arg : argv) {
        raw.push_back(arg.data());
    }
    raw.push_back(nullptr);
    const int spawned = posix_spawn(&sshdPid_, raw[0], &actions, nullptr, raw.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) {
        sshdPid_ = -1;
        throw std::runtime_error(std::string("cannot start sshd: ") + std::strerror(spawned));
    }
    for (int attempt = 0; attempt < 100; ++attempt) {
        if (log().find("Server listening") != std::string::npos) {
            return;
        }
        if (!isAlive(sshdPid_)) {
            break;
        }
        std::this_thread::sleep_for(100ms);
    }
    throw std::runtime_error("sshd did not start listening: " + log());
}

SshServer::~SshServer() {
    for (const pid_t pid : inside_) {
        // Only a child still running and not yet reaped (a test may have waited for it):
        // a reaped PID may belong to someone else by now.
        if (::waitpid(pid, nullptr, WNOHANG) == 0) {
            killChild(pid);
        }
    }
    if (sshdPid_ > 0) {
        // The sessions, their helpers and the pre-authentication processes; then sshd.
        killAll(descendantsOf(sshdPid_), false);
        killChild(sshdPid_);
    }
    if (namespaceCreated_) {
        runProgram({"ip", "netns", "delete", namespace_}, 30s);
    }
    std::error_code ignored;
    fs::remove_all(directory_, ignored);
}

std::string SshServer::target() const {
    return "127.0.0.1:" + std::to_string(kPort);
}

std::string SshServer::writeClientConfig(const std::string& name, const std::string& knownHosts,
                                         const std::string& identity) const {
    const std::string dir = directory_.string();
    // ssh cannot reach the namespace's loopback from here; a relay started inside it can.
    // bash's /dev/tcp keeps the test free of netcat. The server's end of the connection
    // ends the relay (the foreground half), and with it the half that writes (whose input
    // is named, since bash gives a background job /dev/null).
    const std::string relay =
        "ip netns exec " + namespace_ +
        " bash -c 'exec 3<>/dev/tcp/127.0.0.1/%p 4<&0; cat <&4 >&3 & trap \"kill "
        "$! 2>/dev/null\" EXIT HUP TERM; cat <&3'";
    const fs::path path = directory_ / name;
    writeText(path, "Host *\n  User root\n  IdentityFile " + dir + "/" + identity +
                        "\n  IdentitiesOnly yes\n  PreferredAuthentications publickey\n"
                        "  UserKnownHostsFile " +
                        dir + "/" + knownHosts +
                        "\n  GlobalKnownHostsFile /dev/null\n  ProxyCommand " + relay + "\n");
    return path.string();
}

std::string SshServer::clientConfigWithUnknownHostKey() const {
    return writeClientConfig("ssh_config_unknown", "empty_known_hosts", "user_key");
}

std::string SshServer::clientConfigWithChangedHostKey() const {
    return writeClientConfig("ssh_config_changed", "changed_known_hosts", "user_key");
}

std::string SshServer::clientConfigWithWrongKey() const {
    return writeClientConfig("ssh_config_wrong_key", "known_hosts", "wrong_user_key");
}

std::string SshServer::clientConfigWithPassphraseKey() const {
    return writeClientConfig("ssh_config_passphrase", "known_hosts", "passphrase_user_key");
}

pid_t SshServer::startInside(const std::vector<std::string>& argv) {
    std::vector<std::string> command{"ip", "netns", "exec", namespace_};
    command.insert(command.end(), argv.begin(), argv.end());
    const pid_t pid = startChild(command); // ip execs the program: the PID stays
    inside_.push_back(pid);
    return pid;
}

pid_t SshServer::startListenerInside(std::uint16_t port) {
    const std::string path = "/run/netns/" + namespace_;
    int ready[2];
    if (::pipe2(ready, O_CLOEXEC) != 0) {
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0) {
        // Only system calls from here on: the test process may have threads.
        const int ns = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (ns < 0 || ::setns(ns, CLONE_NEWNET) != 0) {
            ::_exit(1);
        }
        const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (listener < 0 ||
            ::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
            ::listen(listener, 4) != 0 || ::write(ready[1], "1", 1) != 1) {
            ::_exit(2);
        }
        for (;;) {
            ::pause();
        }
    }
    ::close(ready[1]);
    char byte = 0;
    const bool listening = ::read(ready[0], &byte, 1) == 1;
    ::close(ready[0]);
    inside_.push_back(pid);
    if (!listening) {
        throw std::runtime_error("the listener in the namespace did not start");
    }
    return pid;
}

int SshServer::dropConnections() {
    // Only sshd's own processes, as when the network fails: the helpers notice by themselves.
    return killAll(descendantsOf(sshdPid_), true);
}

std::string SshServer::log() const {
    return readText(directory_ / "sshd.log");
}

} // namespace portscope::testing
