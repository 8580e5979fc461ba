#pragma once
// What `watch --format ecs` and `agent` share: run the engine on the live source and hand
// every ECS event to stdout, one JSON object a line, or to a LogSender for --output.

#include "options.h"

#include <iosfwd>

namespace portscope::cli {

// `connections`: connection events too, not only findings, warnings and drop notices.
int streamEcs(const Options& options, bool connections, std::ostream& out, std::ostream& err);

} // namespace portscope::cli
