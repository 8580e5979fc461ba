#pragma once
// Runs programs for tests without a shell: posix_spawnp with the output captured.

#include <chrono>
#include <string>
#include <sys/types.h>
#include <vector>

namespace portscope::testing {

struct ProgramResult {
    int exitCode = -1; // -1 when it did not exit normally
    std::string out;
    std::string err;
};

// Runs argv[0] (searched in PATH) to completion; kills it (by its PID) after `timeout`.
ProgramResult runProgram(const std::vector<std::string>& argv,
                         std::chrono::milliseconds timeout = std::chrono::seconds(60));

// Starts a long-running child with stdout and stderr sent to /dev/null.
pid_t startChild(const std::vector<std::string>& argv);
bool isAlive(pid_t pid);
// SIGKILLs a child this test started and reaps it.
void killChild(pid_t pid);
// Waits for a child to exit; true when it did within `timeout`.
bool waitChildExit(pid_t pid, std::chrono::milliseconds timeout);

} // namespace portscope::testing
