#pragma once
// PortScope as ssh's SSH_ASKPASS program: ssh runs it with one question (a password, a key's
// passphrase, or whether to trust an unknown host key, with its fingerprint) and reads the
// answer from its output. The window's ssh connections set this up (ssh_remote.h,
// kAskpassEnvironment); the program never asks anything on its own.

#include <QString>

class QWidget;

namespace portscope::gui {

enum class AskpassQuestion {
    Secret,       // a password or passphrase: typed hidden
    Confirmation, // "Are you sure you want to continue connecting (yes/no/[fingerprint])?"
};

AskpassQuestion askpassQuestionOf(const QString& prompt);

// Whether this process was started by ssh as its askpass program.
bool startedAsAskpass();

// Shows the question and prints the answer (with a newline) to stdout. Returns the exit
// status for ssh: 0 answered, 1 cancelled.
int runAskpass(const QString& prompt);

} // namespace portscope::gui
