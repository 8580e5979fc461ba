// A process for the Windows tests to inspect and stop. It only sleeps, and ends by itself
// after at most the number of seconds given as its first argument (default 60), so a test that
// fails to stop it leaves nothing running for long.

#include <cstdlib>
#include <windows.h>

int main(int argc, char** argv) {
    long seconds = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 60;
    if (seconds <= 0 || seconds > 600) {
        seconds = 60;
    }
    ::Sleep(static_cast<DWORD>(seconds) * 1000);
    return 0;
}
