#include "catalogue.h"
#include "cli.h"
#include "commands.h"
#include "portscope/core/text.h"
#include "portscope/platform/system.h"
#include "session.h"

#include <optional>
#include <ostream>

namespace portscope::cli {

namespace {

// Over ssh the process is identified by the remote machine's view: the start time given, or
// the one of the socket owner with that PID. The helper checks it again before the signal.
int killRemote(const Options& options, std::int32_t pid, std::ostream& out, std::ostream& err) {
    const auto helper = connectHelper(options);
    std::optional<core::ProcessKey> key;
    if (options.startTime) {
        key = core::ProcessKey{pid, *options.startTime};
    } else {
        const auto snapshot = helper->poll();
        for (const auto& process : snapshot.processes) {
            if (process.key.pid == pid) {
                key = process.key;
                out << "Terminating " << core::terminalText(process.name) << " (PID " << pid
                    << ", user " << core::terminalText(process.userName) << ", "
                    << core::terminalText(process.exePath) << ") on "
                    << core::terminalText(helper->info().remoteHost) << '\n';
                break;
            }
        }
    }
    if (!key) {
        err << "portscope-cli: PID " << pid << " owns no socket on "
            << core::terminalText(helper->info().remoteHost)
            << "; give its --start-time to stop it\n";
        return kExitRefused;
    }
    const auto result = helper->killProcess(*key);
    (result.ok() ? out : err) << core::terminalText(
                                     platform::wordedMessage(result, wordingFor(options.language)))
                              << '\n';
    return exitCodeFor(result.status);
}

} // namespace

int commandKill(const Options& options, std::ostream& out, std::ostream& err) {
    if (options.positional.size() != 1) {
        throw UsageError("kill needs exactly one PID");
    }
    const auto pid = parseNumber<std::int32_t>("PID", options.positional[0]);
    if (pid <= 0) {
        throw UsageError("PID must be positive");
    }
    if (options.ssh.target) {
        return killRemote(options, pid, out, err);
    }
    auto key = platform::currentProcessKey(pid);
    if (!key) {
        err << "portscope-cli: no process with PID " << pid << '\n';
        return kExitRefused;
    }
    if (options.startTime && *options.startTime != key->startTime) {
        err << "portscope-cli: PID " << pid << " now belongs to another process (start time "
            << key->startTime << ", expected " << *options.startTime << "); nothing was killed\n";
        return kExitRefused;
    }
    if (const auto details = platform::processDetails(*key)) {
        out << "Terminating " << core::terminalText(details->name) << " (PID " << pid << ", user "
            << core::terminalText(details->userName) << ", " << core::terminalText(details->exePath)
            << ")\n";
    }
    const auto helper = connectHelper(options);
    const auto result = helper ? helper->killProcess(*key) : platform::killProcess(*key);
    (result.ok() ? out : err) << core::terminalText(
                                     platform::wordedMessage(result, wordingFor(options.language)))
                              << '\n';
    return exitCodeFor(result.status);
}

} // namespace portscope::cli
