#pragma once
// A "remote machine" for the ssh tests: a network namespace of its own (ip netns add, deleted
// at the end) with the system's sshd (openssh-server) listening on its loopback, a host key
// and an authorized key generated in a temporary directory, and ssh client configurations
// that reach it from this namespace. Needs root.
//
// OpenSSH takes ~ from the password database, not $HOME, so every client configuration here
// names its own key and known_hosts file; ssh gets it with -F.

#include <cstdint>
#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

namespace portscope::testing {

class SshServer {
public:
    static constexpr std::uint16_t kPort = 2222;

    // Creates the namespace, the keys and the configuration, and starts sshd; throws
    // std::runtime_error naming what failed (sshd or ssh-keygen missing, ip netns refused).
    SshServer();
    ~SshServer(); // stops sshd and everything it started, deletes the namespace and the files
    SshServer(const SshServer&) = delete;
    SshServer& operator=(const SshServer&) = delete;

    const std::string& namespaceName() const { return namespace_; }
    const std::filesystem::path& directory() const { return directory_; }
    pid_t sshdPid() const { return sshdPid_; }
    // "127.0.0.1:2222", for --ssh.
    std::string target() const;

    // A client configuration that reaches the server and trusts its host key.
    std::string clientConfig() const { return (directory_ / "ssh_config").string(); }
    // The same, with an empty known_hosts file.
    std::string clientConfigWithUnknownHostKey() const;
    // The same, with another key recorded for the server.
    std::string clientConfigWithChangedHostKey() const;
    // The same, offering a key the server does not accept.
    std::string clientConfigWithWrongKey() const;
    // The same, offering an accepted key that ssh can use only with kKeyPassphrase.
    std::string clientConfigWithPassphraseKey() const;
    static constexpr const char* kKeyPassphrase = "correct horse battery";

    // A process started in the namespace, e.g. {"sleep", "60"}; killed by the destructor.
    pid_t startInside(const std::vector<std::string>& argv);
    // A process in the namespace that listens on 127.0.0.1:`port` there and then waits.
    pid_t startListenerInside(std::uint16_t port);
    // Ends every session as a network failure would: SIGKILL to the sshd processes below the
    // sshd we started (not to the helpers they run). Returns how many were killed.
    int dropConnections();
    // sshd's log (-e): its own view of each connection.
    std::string log() const;

private:
    std::string writeClientConfig(const std::string& name, const std::string& knownHosts,
                                  const std::string& identity) const;

    std::string namespace_;
    std::filesystem::path directory_;
    pid_t sshdPid_ = -1;
    bool namespaceCreated_ = false;
    std::vector<pid_t> inside_;
};

} // namespace portscope::testing
