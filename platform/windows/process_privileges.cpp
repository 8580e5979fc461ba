#include "portscope/platform/process_privileges.h"

namespace portscope::platform {

// Windows has no file capabilities or setuid bits: a program runs elevated only when the
// user approved its UAC prompt (or is already elevated), so nobody gains rights through it.
std::string inheritedPrivilegeProblem() {
    return {};
}

} // namespace portscope::platform
