#pragma once
// portscope-cli: the headless front end. Its logic lives here, apart from main(), so tests
// can run a command in-process and read what it printed.

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace portscope::cli {

// Documented in docs/cli.md; scripts depend on them.
enum ExitCode : int {
    kExitOk = 0,
    kExitFailure = 1,       // the source or a file failed
    kExitUsage = 2,         // bad arguments: usage text was printed
    kExitRefused = 3,       // kill/close refused: no such process or connection, or PID reused
    kExitPermission = 4,    // the OS denied the action
    kExitNotSupported = 5,  // the OS or kernel lacks the feature
    kExitPartialReplay = 6, // a replay file was corrupt or truncated after some records
    kExitInterrupted = 130, // SIGINT
};

// The version --version prints and capture files name.
inline constexpr std::string_view kVersion = "0.1.0";

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// Set from a signal handler; long-running commands end cleanly when it becomes true.
void requestStop();

} // namespace portscope::cli
