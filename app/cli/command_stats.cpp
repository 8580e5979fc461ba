#include "catalogue.h"
#include "cli.h"
#include "commands.h"
#include "output.h"
#include "session.h"

#include <optional>
#include <ostream>

namespace portscope::cli {

int commandStats(const Options& options, std::ostream& out, std::ostream& err) {
    const std::string format = options.format.empty() ? "table" : options.format;
    validateFormat(format, {"table", "ndjson"});
    Options run = options;
    // The first poll only sets the baseline of the rates; --count counts printed tables.
    const std::uint64_t tables = options.count.value_or(options.duration ? 0 : 1);
    run.count = tables == 0 ? std::nullopt : std::optional<std::uint64_t>(tables + 1);
    std::int64_t previousNs = 0;
    bool countersSeen = false;
    auto result = runEngine(liveSource(options), run, [&](const core::Update& update) {
        const double seconds = static_cast<double>(update.steadyNs - previousNs) / 1e9;
        previousNs = update.steadyNs;
        countersSeen = countersSeen || update.counters.present;
        if (update.sequence < 2) {
            return;
        }
        if (format == "ndjson") {
            printCounterEvent(out, update, seconds, options.allCounters);
        } else {
            printCounterTable(out, update, seconds, options.allCounters,
                              wordingFor(options.language));
        }
        out.flush();
        if (!out) {
            requestStop();
        }
    });
    if (result.sourceFailed) {
        printError(err, result.finishMessage);
        return kExitFailure;
    }
    if (!countersSeen) {
        printError(err, "this system reports no host counters");
        return kExitNotSupported;
    }
    return result.interrupted ? kExitInterrupted : kExitOk;
}

} // namespace portscope::cli
