// The ssh client's command line for a remote helper, and the sentences for its failures.
// OS-free: only text in and text out, so every rule is tested without a network.

#include "portscope/platform/ssh_remote.h"

#include "portscope/core/text.h"

#include <algorithm>
#include <array>
#include <charconv>

#if defined(_WIN32)
#define PORTSCOPE_EXITED(status) true
#define PORTSCOPE_EXIT_CODE(status) (status)
#else
#include <sys/wait.h>
#define PORTSCOPE_EXITED(status) WIFEXITED(status)
#define PORTSCOPE_EXIT_CODE(status) WEXITSTATUS(status)
#endif

namespace portscope::platform {

namespace {

constexpr std::size_t kMaxHostLength = 253;
constexpr std::size_t kMaxUserLength = 64;
constexpr int kSshFailed = 255;       // ssh's own status for its own errors
constexpr int kCommandNotFound = 127; // the remote shell's
constexpr int kNotExecutable = 126;

bool isAsciiAlphaNumeric(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool allOf(std::string_view text, bool (*accepted)(char)) {
    return std::all_of(text.begin(), text.end(), accepted);
}

bool hostNameCharacter(char c) {
    return isAsciiAlphaNumeric(c) || c == '.' || c == '-' || c == '_';
}

bool ipv6Character(char c) {
    return isAsciiAlphaNumeric(c) || c == ':' || c == '.' || c == '%';
}

bool userNameCharacter(char c) {
    return isAsciiAlphaNumeric(c) || c == '.' || c == '-' || c == '_';
}

bool pathCharacter(char c) {
    return isAsciiAlphaNumeric(c) || c == '/' || c == '.' || c == '-' || c == '_' || c == '+';
}

bool optionKeyCharacter(char c) {
    return isAsciiAlphaNumeric(c);
}

std::optional<SshTarget> refuse(std::string* error, std::string message) {
    if (error != nullptr) {
        *error = std::move(message);
    }
    return std::nullopt;
}

// The lines of ssh's stderr that say something, the last one last.
std::vector<std::string> meaningfulLines(std::string_view text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        auto line = text.substr(start, end - start);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
            line.remove_suffix(1);
        }
        if (!line.empty() && !line.starts_with("Warning: Permanently added") &&
            !line.starts_with("@@@@")) {
            lines.emplace_back(line);
        }
        start = end + 1;
    }
    return lines;
}

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

// The line of `text` holding `part`, quoted safely; else the last line.
std::string quotedLine(const std::vector<std::string>& lines, std::string_view part = {}) {
    if (lines.empty()) {
        return {};
    }
    auto found = std::find_if(lines.rbegin(), lines.rend(), [&](const std::string& line) {
        return !part.empty() && contains(line, part);
    });
    const std::string& line = found == lines.rend() ? lines.back() : *found;
    return "\"" + core::excerptForDisplay(line, 200) + "\"";
}

std::string withQuote(std::string sentence, const std::string& quote) {
    return quote.empty() ? sentence : sentence + " (ssh: " + quote + ")";
}

} // namespace

std::optional<SshTarget> SshTarget::parse(std::string_view text, std::string* error) {
    SshTarget target;
    if (text.empty()) {
        return refuse(error, "no host given; use [user@]host[:port]");
    }
    if (const auto at = text.rfind('@'); at != std::string_view::npos) {
        const auto user = text.substr(0, at);
        if (user.empty() || user.size() > kMaxUserLength || user.front() == '-' ||
            !allOf(user, userNameCharacter)) {
            return refuse(error, "'" + core::excerptForDisplay(user, 80) +
                                     "' is not a user name: use letters, digits, '.', '_' and "
                                     "'-', not starting with '-'");
        }
        target.user = std::string(user);
        text.remove_prefix(at + 1);
    }
    std::string_view portText;
    bool portGiven = false; // a ':' after the host, even with nothing after it
    if (text.starts_with('[')) {
        const auto close = text.find(']');
        if (close == std::string_view::npos) {
            return refuse(error, "an IPv6 address in brackets needs its ']'");
        }
        target.host = std::string(text.substr(1, close - 1));
        const auto rest = text.substr(close + 1);
        if (!rest.empty() && !rest.starts_with(':')) {
            return refuse(error, "only ':PORT' may follow ']'");
        }
        portGiven = !rest.empty();
        portText = rest.empty() ? rest : rest.substr(1);
        if (target.host.empty() || !allOf(target.host, ipv6Character)) {
            return refuse(error, "'" + core::excerptForDisplay(target.host, 80) +
                                     "' is not an IPv6 address");
        }
    } else if (std::count(text.begin(), text.end(), ':') > 1) {
        if (!allOf(text, ipv6Character)) {
            return refuse(error,
                          "'" + core::excerptForDisplay(text, 80) + "' is not an IPv6 address");
        }
        target.host = std::string(text); // a bare IPv6 address has no port
    } else {
        const auto colon = text.find(':');
        target.host = std::string(text.substr(0, colon));
        portGiven = colon != std::string_view::npos;
        portText = portGiven ? text.substr(colon + 1) : std::string_view{};
        if (target.host.empty() || target.host.size() > kMaxHostLength ||
            target.host.front() == '-' || !allOf(target.host, hostNameCharacter)) {
            return refuse(error, "'" + core::excerptForDisplay(target.host, 80) +
                                     "' is not a host name: use letters, digits, '.', '_' and "
                                     "'-', not starting with '-'");
        }
    }
    if (target.host.front() == '-') {
        return refuse(error, "a host name cannot start with '-'");
    }
    if (portGiven) {
        unsigned port = 0;
        const auto [end, failure] =
            std::from_chars(portText.data(), portText.data() + portText.size(), port);
        if (failure != std::errc{} || end != portText.data() + portText.size() || port == 0 ||
            port > 65535) {
            return refuse(error, "'" + core::excerptForDisplay(portText, 20) +
                                     "' is not a port: use a number from 1 to 65535");
        }
        target.port = static_cast<std::uint16_t>(port);
    }
    return target;
}

std::string SshTarget::display() const {
    std::string text = user.empty() ? std::string() : user + "@";
    const bool ipv6 = host.find(':') != std::string::npos;
    text += ipv6 && port ? "[" + host + "]" : host;
    if (port) {
        text += ":" + std::to_string(*port);
    }
    return text;
}

std::string SshTarget::sshCommand() const {
    std::string text = "ssh ";
    if (port) {
        text += "-p " + std::to_string(*port) + " ";
    }
    return text + (user.empty() ? std::string() : user + "@") + host;
}

std::string SshTarget::knownHostsName() const {
    return port && *port != 22 ? "[" + host + "]:" + std::to_string(*port) : host;
}

std::string sshLaunchProblem(const SshLaunch& launch) {
    if (launch.sshPath.empty() || launch.sshPath.front() != '/') {
        return "the ssh client must be named by an absolute path, not \"" +
               core::excerptForDisplay(launch.sshPath, 100) + "\"";
    }
    const auto& helper = launch.remoteHelperPath;
    if (helper.empty() || helper.front() != '/' || !allOf(helper, pathCharacter)) {
        return "the remote helper must be an absolute path of letters, digits and '/._+-', not "
               "\"" +
               core::excerptForDisplay(helper, 100) + "\"";
    }
    if (!launch.target.host.empty() && launch.target.host.front() == '-') {
        return "a host name cannot start with '-'";
    }
    for (const auto& option : launch.options) {
        const auto equals = option.find('=');
        if (equals == std::string::npos || equals == 0 ||
            !allOf(std::string_view(option).substr(0, equals), optionKeyCharacter)) {
            return "an ssh option must read KEY=VALUE, such as Port=2222, not \"" +
                   core::excerptForDisplay(option, 100) + "\"";
        }
    }
    if (!launch.configFile.empty() && launch.configFile.front() == '-') {
        return "an ssh configuration file cannot start with '-'";
    }
    return {};
}

std::string applySshCommandLine(const SshCommandLine& given, SshLaunch& launch) {
    if (given.target) {
        std::string problem;
        const auto target = SshTarget::parse(*given.target, &problem);
        if (!target) {
            return problem;
        }
        launch.target = *target;
    }
    if (given.configFile) {
        launch.configFile = *given.configFile;
    }
    launch.options.insert(launch.options.end(), given.options.begin(), given.options.end());
    if (given.helperPath) {
        launch.remoteHelperPath = *given.helperPath;
    }
    launch.throughSudo = given.sudo;
    if (given.interactive) {
        // On a terminal, ssh itself asks for passwords and shows an unknown key's fingerprint.
        launch.batchMode = false;
        launch.confirmNewHostKey = true;
    }
    return sshLaunchProblem(launch);
}

std::vector<std::string> sshArguments(const SshLaunch& launch) {
    std::vector<std::string> args{launch.sshPath,
                                  "-T", // no terminal: the channel carries binary frames
                                  "-x", // no X11 forwarding
                                  "-a", // no agent forwarding
                                  "-o", "ClearAllForwardings=yes", "-o", "PermitLocalCommand=no",
                                  "-o", "ControlMaster=no", "-o", "ConnectTimeout=20",
                                  // A machine that vanishes is noticed within half a minute.
                                  "-o", "ServerAliveInterval=10", "-o", "ServerAliveCountMax=3",
                                  "-o", launch.batchMode ? "BatchMode=yes" : "BatchMode=no",
                                  // The first value of an option wins in ssh, so this one
                                  // holds whatever a configuration file says.
                                  "-o",
                                  launch.confirmNewHostKey && !launch.batchMode
                                      ? "StrictHostKeyChecking=ask"
                                      : "StrictHostKeyChecking=yes"};
    if (!launch.configFile.empty()) {
        args.insert(args.end(), {"-F", launch.configFile});
    }
    for (const auto& option : launch.options) {
        args.insert(args.end(), {"-o", option});
    }
    if (launch.target.port) {
        args.insert(args.end(), {"-p", std::to_string(*launch.target.port)});
    }
    if (!launch.target.user.empty()) {
        args.insert(args.end(), {"-l", launch.target.user});
    }
    args.insert(args.end(), {"--", launch.target.host});
    if (launch.throughSudo) {
        args.insert(args.end(), {"sudo", "-n", "--"});
    }
    args.push_back(launch.remoteHelperPath);
    return args;
}

std::vector<std::string> sshEnvironment(const SshLaunch& launch) {
    if (launch.askpassProgram.empty() || launch.batchMode) {
        return {};
    }
    return {"SSH_ASKPASS=" + launch.askpassProgram, "SSH_ASKPASS_REQUIRE=force",
            std::string(kAskpassEnvironment) + "=1"};
}

std::string explainSshFailure(const SshTarget& target, const SshOutcome& outcome) {
    const std::string host = core::sanitizeForDisplay(target.display(), 300);
    const auto lines = meaningfulLines(outcome.errorOutput);
    const std::string& text = outcome.errorOutput;
    // -1 when ssh did not exit normally. A plain int: mingw's GCC took an optional<int> for
    // maybe-uninitialized.
    const int exitCode = outcome.waitStatus && PORTSCOPE_EXITED(*outcome.waitStatus)
                             ? PORTSCOPE_EXIT_CODE(*outcome.waitStatus)
                             : -1;

    if (outcome.versionMismatch) {
        return "PortScope on " + host +
               " speaks another version of the helper protocol than this program (" +
               core::excerptForDisplay(outcome.reason, 300) + "). Update PortScope on " + host +
               " to " PORTSCOPE_VERSION ", the version of this program.";
    }
    if (exitCode == kSshFailed || !outcome.established) {
        if (contains(text, "REMOTE HOST IDENTIFICATION HAS CHANGED") ||
            (contains(text, "host key for") && contains(text, "has changed"))) {
            return "The host key of " + host +
                   " has changed since it was recorded, so PortScope did not connect. Someone "
                   "may be intercepting the connection, or the machine was reinstalled; if "
                   "you know it was, remove the old key with 'ssh-keygen -R " +
                   core::sanitizeForDisplay(target.knownHostsName(), 300) + "' and connect again.";
        }
        if (contains(text, "Host key verification failed") ||
            contains(text, "host key is known for")) {
            return "The host key of " + host +
                   " is not known, so PortScope did not connect. Compare its fingerprint with "
                   "the one the machine's administrator gives you, then connect once with '" +
                   core::sanitizeForDisplay(target.sshCommand(), 300) +
                   "' (or from the window, which asks you to confirm it) to record it.";
        }
        if (contains(text, "Permission denied") || contains(text, "Too many authentication")) {
            return withQuote("Authentication to " + host +
                                 " failed: no key or password was accepted. Load your key "
                                 "into ssh-agent, or connect from the window, which asks for "
                                 "passwords and passphrases.",
                             quotedLine(lines, "Permission denied"));
        }
        if (contains(text, "Could not resolve hostname")) {
            return withQuote("Cannot reach " + host + ": the name is not known.",
                             quotedLine(lines, "Could not resolve"));
        }
        for (const std::string_view unreachable :
             {"Connection refused", "No route to host", "Network is unreachable",
              "Connection timed out", "Operation timed out", "Host is unreachable"}) {
            if (!outcome.established && contains(text, unreachable)) {
                return withQuote("Cannot reach " + host + ": " + std::string(unreachable) + ".",
                                 quotedLine(lines, unreachable));
            }
        }
    }
    if (!outcome.established &&
        (exitCode == kCommandNotFound || contains(text, "command not found"))) {
        return withQuote("portscope-helper is not installed on " + host +
                             ". Install the PortScope package there (the remote side needs "
                             "nothing else).",
                         quotedLine(lines));
    }
    if (!outcome.established && exitCode == kNotExecutable) {
        return withQuote("portscope-helper on " + host + " cannot be run.", quotedLine(lines));
    }
    if (!outcome.established && contains(text, "sudo:")) {
        return withQuote("sudo on " + host +
                             " refused to start portscope-helper without a password. Allow it "
                             "in sudoers (NOPASSWD for that one program), or connect as a user "
                             "who may read the system.",
                         quotedLine(lines, "sudo:"));
    }
    if (outcome.established) {
        return withQuote("The connection to " + host +
                             " was lost: " + core::excerptForDisplay(outcome.reason, 300) + ".",
                         quotedLine(lines));
    }
    std::string sentence = "Cannot start portscope-helper on " + host + ": " +
                           core::excerptForDisplay(outcome.reason, 300);
    if (exitCode >= 0) {
        sentence += " (ssh exited with status " + std::to_string(exitCode) + ")";
    }
    return withQuote(sentence + ".", quotedLine(lines));
}

} // namespace portscope::platform
