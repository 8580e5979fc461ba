#include "cli.h"

#include <csignal>
#include <iostream>

namespace {

extern "C" void onInterrupt(int) {
    portscope::cli::requestStop();
}

} // namespace

int main(int argc, char** argv) {
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
#if !defined(_WIN32)
    // A closed pipe (portscope-cli watch | head) should end us quietly, not kill us mid-write.
    std::signal(SIGPIPE, SIG_IGN);
#endif
    std::ios::sync_with_stdio(false);
    return portscope::cli::run({argv + 1, argv + argc}, std::cout, std::cerr);
}
