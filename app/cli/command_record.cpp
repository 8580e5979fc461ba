#include "cli.h"
#include "commands.h"
#include "output.h"
#include "portscope/core/recording_source.h"
#include "portscope/core/text.h"
#include "portscope/platform/system.h"
#include "session.h"

#include <memory>
#include <ostream>

namespace portscope::cli {

int commandRecord(const Options& options, std::ostream& out, std::ostream& err) {
    if (options.positional.size() != 1) {
        throw UsageError("record needs exactly one FILE");
    }
    const std::string& path = options.positional[0];
    std::unique_ptr<core::RecordingSource> recorder;
    try {
        auto source = liveSource(options); // before the file, which may hold an old recording
        recorder = std::make_unique<core::RecordingSource>(std::move(source),
                                                           platform::createPrivateFile(path), path);
    } catch (const std::exception& error) {
        printError(err, error.what());
        return kExitFailure;
    }
    if (!options.count && !options.duration) {
        err << "Recording to " << core::terminalText(path) << " until Ctrl+C...\n";
    }
    auto result = runEngine(std::move(recorder), options, [&](const core::Update& update) {
        err << "\rrecorded " << update.sequence << " snapshots, " << update.connections.size()
            << " connections" << std::flush;
    });
    err << '\n';
    out << "Recorded " << result.updates << " snapshots to " << core::terminalText(path) << '\n';
    if (result.sourceFailed) {
        printError(err, result.finishMessage);
        return kExitFailure;
    }
    return kExitOk;
}

} // namespace portscope::cli
