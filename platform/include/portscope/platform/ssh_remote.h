#pragma once
// Another machine over SSH: the target ("[user@]host[:port]"), the argument vector of the
// system's ssh client that starts portscope-helper there, and the plain sentence for each way
// such a connection fails. HelperConnection::connectOverSsh() (helper_client.h) runs it and
// speaks the helper protocol over the channel; docs/remote.md describes it for users.
//
// Nothing here goes through a shell on this side: ssh gets an argument vector. The remote
// side's shell does see the command, so only a checked absolute path goes there.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portscope::platform {

struct SshTarget {
    std::string user; // empty: ssh's own choice (its config, or the local user name)
    std::string host; // a name or an address, IPv6 without brackets
    std::optional<std::uint16_t> port;

    // "[user@]host[:port]", IPv6 as "[::1]:2222" or a bare "::1". Returns nullopt with a
    // sentence in `error` for anything ssh could take for an option (a leading '-'), for
    // characters no host or user name has, and for a bad port.
    static std::optional<SshTarget> parse(std::string_view text, std::string* error);
    // "user@host:port" as the user wrote it, for titles and messages.
    std::string display() const;
    // "ssh -p 2222 user@host": the command a user types to reach it.
    std::string sshCommand() const;
    // "[host]:2222" or "host": how known_hosts names it.
    std::string knownHostsName() const;
};

struct SshLaunch {
    SshTarget target;
    // An absolute path, never looked up in $PATH.
    std::string sshPath = "/usr/bin/ssh";
    std::string configFile;           // -F FILE; empty: ssh's usual configuration
    std::vector<std::string> options; // each one "-o KEY=VALUE"
    // The helper on the remote machine: an absolute path of plain characters, since the
    // remote shell reads it.
    std::string remoteHelperPath = "/usr/libexec/portscope/portscope-helper";
    bool throughSudo = false; // `sudo -n` on the remote: root's view without logging in as root
    // No prompts at all (BatchMode): what a script wants. Otherwise ssh asks for passwords and
    // passphrases on the terminal, or through `askpassProgram`.
    bool batchMode = true;
    // An unknown host key is refused (StrictHostKeyChecking=yes) unless this is set; then
    // ssh shows the key's fingerprint and asks the user to confirm it (=ask). A changed key is
    // refused either way.
    bool confirmNewHostKey = false;
    // Asks for passwords, passphrases and host-key confirmations (SSH_ASKPASS, forced).
    // The program is run with kAskpassEnvironment set.
    std::string askpassProgram;
    // The handshake includes the connection and any prompt the user answers.
    std::chrono::milliseconds handshakeTimeout{std::chrono::minutes(3)};
};

// Set (to "1") in the environment of the askpass program, so that PortScope started as
// SSH_ASKPASS knows to show one question and print the answer.
inline constexpr const char* kAskpassEnvironment = "PORTSCOPE_SSH_ASKPASS";

// Why `launch` cannot be used: a relative ssh path, a remote helper path the remote shell
// could misread, an option that is not KEY=VALUE. Empty when it can.
std::string sshLaunchProblem(const SshLaunch& launch);

// The --ssh options of portscope and portscope-cli, as given. Each front end reads its own
// command-line syntax into this; applySshCommandLine() gives both the same meaning and checks.
struct SshCommandLine {
    std::optional<std::string> target;     // --ssh [USER@]HOST[:PORT]
    std::optional<std::string> configFile; // --ssh-config FILE
    std::vector<std::string> options;      // --ssh-option KEY=VALUE, repeatable
    std::optional<std::string> helperPath; // --ssh-helper PATH on the remote machine
    bool sudo = false;                     // --ssh-sudo
    bool interactive = false;              // --ssh-interactive: ssh may ask on the terminal
};

// Sets in `launch` what `given` holds; what it leaves unset keeps the front end's default.
// Returns the sentence saying what is wrong: a target SshTarget::parse() refuses (no host, a
// bad port), or what sshLaunchProblem() refuses (an empty or relative helper path, an option
// that is not KEY=VALUE). Empty when the launch can be used.
std::string applySshCommandLine(const SshCommandLine& given, SshLaunch& launch);

// The full argument vector, ssh first: ssh -T -x -a -o ... [-F FILE] [-p PORT] [-l USER] --
// HOST [sudo -n --] HELPER.
std::vector<std::string> sshArguments(const SshLaunch& launch);

// The environment entries ("NAME=VALUE") added to ours for ssh.
std::vector<std::string> sshEnvironment(const SshLaunch& launch);

// How a session over ssh ended, as far as this side can tell.
struct SshOutcome {
    std::string reason;            // the protocol side's view ("the helper closed the connection")
    std::optional<int> waitStatus; // ssh's wait status, when it has exited
    std::string errorOutput;       // the end of ssh's stderr (the remote's stderr too)
    bool established = false;      // the handshake had completed
    bool versionMismatch = false;  // the helper refused our protocol version, or we refused its
};

// One sentence (or two) for the user: host unreachable, authentication failed, host key
// unknown or changed, portscope-helper missing on the host, protocol version mismatch
// ("update PortScope on HOST to 0.1.0"), connection lost; otherwise ssh's own last words.
std::string explainSshFailure(const SshTarget& target, const SshOutcome& outcome);

} // namespace portscope::platform
