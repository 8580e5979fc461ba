#pragma once
// Privileges a front end must not hold, and the helper's drop to the few it needs.
//
// The GUI and portscope-cli run as the user who starts them. Given file capabilities
// (setcap) or a setuid bit, they would hand those privileges to every user of the machine:
// Qt loads platform plugins from wherever its caller says (-platformpluginpath,
// QT_QPA_PLATFORM_PLUGIN_PATH), and CAP_NET_ADMIN alone closes any connection without a
// prompt. Seeing and acting as administrator is portscope-helper's job, started through
// pkexec (docs/helper-protocol.md).

#include <span>
#include <string>

namespace portscope::platform {

// Why this process must not go on; empty when it may. Linux: the loader started it in
// secure-execution mode (AT_SECURE: setuid, setgid or file capabilities), or its real user
// is not root and it holds effective or permitted capabilities. A process whose real user is
// root runs as before: it has every privilege anyway, and nobody gains by it. Windows: always
// empty; there elevation is a UAC restart of the whole program, and nothing like a file
// capability lets another user start it elevated.
// Call it first thing in main(), before any library reads its environment.
std::string inheritedPrivilegeProblem();

#if defined(__linux__)
// Keeps, of this process's capabilities, only `keep` (CAP_* numbers) and only those it holds:
// every other capability leaves the bounding set (when CAP_SETPCAP allows it), the
// inheritable and ambient sets are cleared, effective and permitted become the kept ones,
// and no_new_privs is set, so that no program it might execute gains anything. The uid is
// unchanged. Capabilities belong to threads, so this must run while the process has a single
// thread. Throws std::runtime_error naming the step that failed.
void restrictCapabilities(std::span<const int> keep);
#endif

} // namespace portscope::platform
