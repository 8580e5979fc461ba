#include "cli.h"
#include "commands.h"
#include "output.h"
#include "session.h"

#include <ostream>

namespace portscope::cli {

int commandWatch(const Options& options, std::ostream& out, std::ostream& err) {
    if (!options.format.empty() && options.format != "ndjson") {
        throw UsageError("watch writes NDJSON only; drop --format or use --format ndjson");
    }
    EventWriter writer(out, options.filter);
    auto result = runEngine(liveSource(options), options, [&](const core::Update& update) {
        writer.write(update);
        if (!out) {
            requestStop(); // the reader went away (closed pipe)
        }
    });
    if (result.sourceFailed) {
        printError(err, result.finishMessage);
        return kExitFailure;
    }
    return result.interrupted ? kExitInterrupted : kExitOk;
}

} // namespace portscope::cli
