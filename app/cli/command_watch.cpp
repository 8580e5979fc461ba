#include "cli.h"
#include "commands.h"
#include "ecs_stream.h"
#include "output.h"
#include "session.h"

#include <ostream>

namespace portscope::cli {

int commandWatch(const Options& options, std::ostream& out, std::ostream& err) {
    const std::string format = options.format.empty() ? "ndjson" : options.format;
    validateFormat(format, {"ndjson", "ecs"});
    if (format == "ecs") {
        return streamEcs(options,
                         options.events.value_or(core::AgentEvents::All) == core::AgentEvents::All,
                         out, err);
    }
    if (options.output || options.events) {
        throw UsageError("--output and --events go with --format ecs");
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
