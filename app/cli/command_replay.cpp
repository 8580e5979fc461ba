#include "catalogue.h"
#include "cli.h"
#include "commands.h"
#include "output.h"
#include "portscope/core/engine.h"
#include "portscope/core/replay.h"
#include "portscope/core/text.h"
#include "session.h"

#include <memory>
#include <ostream>

namespace portscope::cli {

int commandReplay(const Options& options, std::ostream& out, std::ostream& err) {
    if (options.positional.size() != 1) {
        throw UsageError("replay needs exactly one FILE");
    }
    const std::string format = options.format.empty() ? "ndjson" : options.format;
    validateFormat(format, {"ndjson", "table", "csv", "json"});
    std::unique_ptr<core::ReplayReader> reader;
    try {
        reader = std::make_unique<core::ReplayReader>(options.positional[0]);
    } catch (const std::exception& error) {
        printError(err, error.what());
        return kExitFailure;
    }
    const core::ReplayReader* replay = reader.get();
    std::string damage;
    std::uint64_t recordsRead = 0;
    EventWriter writer(out, options.filter);
    Options replayOptions = options;
    if (!options.paced) {
        replayOptions.interval = core::Engine::kMinInterval; // unused: unpaced replays at once
    }
    auto result = runEngine(
        std::move(reader), replayOptions,
        [&](const core::Update& update) {
            if (format == "ndjson") {
                writer.write(update);
            }
        },
        [&] {
            damage = replay->error();
            recordsRead = replay->recordsRead();
        });
    if (format != "ndjson" && result.last) {
        printFinalState(out, format, *result.last, options.filter, wordingFor(options.language));
    }
    if (result.interrupted) {
        return kExitInterrupted;
    }
    if (!damage.empty()) {
        err << "portscope-cli: " << core::terminalText(options.positional[0]) << ": "
            << core::terminalText(damage) << " (kept " << recordsRead
            << " records read before it)\n";
        return kExitPartialReplay;
    }
    return kExitOk;
}

} // namespace portscope::cli
