#include "cli.h"

#include "commands.h"
#include "options.h"
#include "output.h"
#include "session.h"

#include <algorithm>
#include <array>
#include <ostream>
#include <string_view>

namespace portscope::cli {

namespace {

struct Command {
    std::string_view name;
    int (*run)(const Options& options, std::ostream& out, std::ostream& err);
    bool takesArguments; // a FILE or PID after the command
};

// Every command portscope-cli knows. A new command is a command_NAME.cpp, its declaration
// in commands.h, a row here, and its lines in the usage text.
constexpr std::array kCommands{
    Command{"snapshot", commandSnapshot, false}, Command{"watch", commandWatch, false},
    Command{"record", commandRecord, true},      Command{"replay", commandReplay, true},
    Command{"kill", commandKill, true},          Command{"close", commandClose, false},
    Command{"stats", commandStats, false},       Command{"agent", commandAgent, false},
    Command{"capture", commandCapture, false},
};

const Command* findCommand(std::string_view name) {
    const auto found = std::find_if(kCommands.begin(), kCommands.end(),
                                    [&](const Command& command) { return command.name == name; });
    return found == kCommands.end() ? nullptr : &*found;
}

} // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    clearStopRequest();
    try {
        Options options = parseArguments(args);
        if (options.command == "help" || options.command == "--help" || options.command == "-h") {
            out << usageText();
            return kExitOk;
        }
        if (options.command == "--version") {
            out << "portscope-cli " << kVersion << '\n';
            return kExitOk;
        }
        const Command* command = findCommand(options.command);
        if ((command == nullptr || !command->takesArguments) && !options.positional.empty()) {
            throw UsageError("unexpected argument '" + options.positional[0] + "'");
        }
        options.findings = findingsConfigOf(options, err);
        if (command == nullptr) {
            throw UsageError("unknown command '" + options.command + "'");
        }
        return command->run(options, out, err);
    } catch (const UsageError& error) {
        printError(err, error.what());
        err << '\n' << usageText();
        return kExitUsage;
    } catch (const std::exception& error) {
        printError(err, error.what());
        return kExitFailure;
    }
}

} // namespace portscope::cli
