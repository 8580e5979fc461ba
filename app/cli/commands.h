#pragma once
// One function per command, each in its own command_NAME.cpp. cli.cpp lists them with their
// names; the options they read are parsed once, in options.cpp.

#include "options.h"

#include <iosfwd>

namespace portscope::cli {

// Each prints its results to `out` and its errors to `err`, and returns an ExitCode.
int commandSnapshot(const Options& options, std::ostream& out, std::ostream& err);
int commandWatch(const Options& options, std::ostream& out, std::ostream& err);
int commandRecord(const Options& options, std::ostream& out, std::ostream& err);
int commandReplay(const Options& options, std::ostream& out, std::ostream& err);
int commandKill(const Options& options, std::ostream& out, std::ostream& err);
int commandClose(const Options& options, std::ostream& out, std::ostream& err);
int commandCapture(const Options& options, std::ostream& out, std::ostream& err);
int commandStats(const Options& options, std::ostream& out, std::ostream& err);
int commandAgent(const Options& options, std::ostream& out, std::ostream& err);

} // namespace portscope::cli
