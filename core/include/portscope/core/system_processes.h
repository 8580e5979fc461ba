#pragma once
// Which processes the system itself needs. One list serves both the masquerade finding (a
// process imitating one of these names) and the kill confirmation (ending one of these
// usually takes the session or the machine down with it).

#include "portscope/core/model.h"

#include <string_view>

namespace portscope::core {

// A Linux system daemon or kernel thread, compared without regard to case: "sshd",
// "NetworkManager", "systemd-*", "kworker/0:1".
bool isSystemProcessName(std::string_view name);

// Ending `process` is likely to log users out, cut network access or make the system
// unstable: one of the first processes started, or a system process running as root.
bool looksLikeSystemProcess(const Process& process);

} // namespace portscope::core
