#include "cli.h"
#include "commands.h"
#include "portscope/core/text.h"
#include "portscope/platform/system.h"
#include "session.h"

#include <ostream>

namespace portscope::cli {

int commandKill(const Options& options, std::ostream& out, std::ostream& err) {
    if (options.positional.size() != 1) {
        throw UsageError("kill needs exactly one PID");
    }
    const auto pid = parseNumber<std::int32_t>("PID", options.positional[0]);
    if (pid <= 0) {
        throw UsageError("PID must be positive");
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
    (result.ok() ? out : err) << core::terminalText(result.message) << '\n';
    return exitCodeFor(result.status);
}

} // namespace portscope::cli
