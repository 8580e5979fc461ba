#include "cli.h"
#include "portscope/platform/process_privileges.h"
#include "portscope/platform/system.h"

#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#if defined(_WIN32)
// shellapi.h needs the types of windows.h.
// clang-format off
#include <windows.h>
#include <shellapi.h>
// clang-format on
#endif

namespace {

extern "C" void onInterrupt(int) {
    portscope::cli::requestStop();
}

#if defined(_WIN32)
// Process names, paths and host names are printed as UTF-8; the console shows them right only
// in its UTF-8 code page. The user's own code page comes back when we exit.
class Utf8Console {
public:
    Utf8Console() : previous_(GetConsoleOutputCP()) {
        if (previous_ != 0) {
            SetConsoleOutputCP(CP_UTF8);
        }
    }
    ~Utf8Console() {
        if (previous_ != 0) {
            SetConsoleOutputCP(previous_);
        }
    }
    Utf8Console(const Utf8Console&) = delete;
    Utf8Console& operator=(const Utf8Console&) = delete;

private:
    UINT previous_;
};

// argv in the ANSI code page loses characters outside it (a filter on a process name in
// another script); the wide command line has them all.
std::vector<std::string> utf8Arguments(int argc, char** argv) {
    int count = 0;
    wchar_t** wide = CommandLineToArgvW(GetCommandLineW(), &count);
    if (wide == nullptr) {
        return {argv + 1, argv + argc};
    }
    std::vector<std::string> arguments;
    for (int i = 1; i < count; ++i) {
        const int bytes =
            WideCharToMultiByte(CP_UTF8, 0, wide[i], -1, nullptr, 0, nullptr, nullptr);
        std::string argument(bytes > 0 ? static_cast<std::size_t>(bytes) : 1, '\0');
        if (bytes > 0) {
            WideCharToMultiByte(CP_UTF8, 0, wide[i], -1, argument.data(), bytes, nullptr, nullptr);
        }
        argument.resize(argument.size() - 1); // the terminating NUL
        arguments.push_back(std::move(argument));
    }
    LocalFree(wide);
    return arguments;
}
#endif

} // namespace

int main(int argc, char** argv) {
    // With capabilities from its program file, every user could close any connection
    // through us without a prompt; --elevated is the way to act as administrator.
    if (const auto problem = portscope::platform::inheritedPrivilegeProblem(); !problem.empty()) {
        std::cerr << "portscope-cli: refusing to run: " << problem
                  << ". Any user who can run this program could use these privileges through "
                     "it. Remove them from the program file (for example sudo setcap -r "
                     "\"$(command -v portscope-cli)\") and use --elevated instead, which "
                     "starts portscope-helper through pkexec after asking for authorization.\n";
        return 1;
    }
    portscope::platform::installLargeBufferAdvice();
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
#if !defined(_WIN32)
    // A closed pipe (portscope-cli watch | head) should end us quietly, not kill us mid-write.
    std::signal(SIGPIPE, SIG_IGN);
#endif
    std::ios::sync_with_stdio(false);
#if defined(_WIN32)
    const Utf8Console console;
    return portscope::cli::run(utf8Arguments(argc, argv), std::cout, std::cerr);
#else
    return portscope::cli::run({argv + 1, argv + argc}, std::cout, std::cerr);
#endif
}
