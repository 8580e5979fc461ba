#include "catalogue.h"
#include "cli.h"
#include "commands.h"
#include "output.h"
#include "portscope/core/findings_engine.h"
#include "portscope/core/text.h"
#include "portscope/core/tracker.h"
#include "session.h"

#include <optional>
#include <ostream>
#include <system_error>
#include <thread>

namespace portscope::cli {

namespace {

// Joins a thread when the scope ends, also when it ends with an exception.
struct JoinOnExit {
    std::thread& thread;
    ~JoinOnExit() {
        if (thread.joinable()) {
            thread.join();
        }
    }
};

} // namespace

int commandSnapshot(const Options& options, std::ostream& out, std::ostream& err) {
    const std::string format = options.format.empty() ? "table" : options.format;
    validateFormat(format, {"table", "csv", "json"});
    auto source = liveSource(options, SourceUse::OnePoll);
    core::Tracker tracker;
    // The first poll keeps two threads in the kernel (the dump and the walk of /proc), and
    // the dump ends first: meanwhile its core gets the tracker's memory ready.
    std::thread prepare;
    try {
        prepare = std::thread(
            [&tracker, expected = source->expectedSocketCount()] { tracker.prepare(expected); });
    } catch (const std::system_error&) {
        // No thread: the first apply() sizes the tables itself.
    }
    std::optional<core::Snapshot> snapshot;
    {
        const JoinOnExit joinPrepare(prepare);
        snapshot = source->poll();
    }
    if (!snapshot) {
        printError(err, "the system source returned no snapshot");
        return kExitFailure;
    }
    const auto update = tracker.apply(*snapshot);
    // One poll shows what needs no history: half-open floods, suspicious ports, masquerades.
    core::FindingsEngine(options.findings).evaluate(*update);
    if (format == "table") {
        if (options.ssh.target) {
            err << "note: showing " << core::terminalText(*options.ssh.target) << " (over ssh)\n";
        }
        const core::FindingWording& wording = wordingFor(options.language);
        for (const auto& warning : update->warnings) {
            err << "note: " << core::terminalText(core::wordSystemText(warning, wording)) << '\n';
        }
    }
    printFinalState(out, format, *update, options.filter, wordingFor(options.language));
    return kExitOk;
}

} // namespace portscope::cli
