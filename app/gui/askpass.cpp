#include "askpass.h"

#include "portscope/platform/ssh_remote.h"

#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <cstdio>

namespace portscope::gui {

AskpassQuestion askpassQuestionOf(const QString& prompt) {
    return prompt.contains(QStringLiteral("(yes/no")) ? AskpassQuestion::Confirmation
                                                      : AskpassQuestion::Secret;
}

bool startedAsAskpass() {
    return qEnvironmentVariable(platform::kAskpassEnvironment) == QStringLiteral("1");
}

int runAskpass(const QString& prompt) {
    QString answer;
    if (askpassQuestionOf(prompt) == AskpassQuestion::Confirmation) {
        // The prompt names the host and the key's fingerprint: shown as plain text, and
        // "No" is the default, so that Enter never trusts a key.
        QMessageBox box(QMessageBox::Warning, QObject::tr("Unknown host key"), prompt,
                        QMessageBox::Yes | QMessageBox::No);
        box.setTextFormat(Qt::PlainText);
        box.setInformativeText(QObject::tr("Compare the fingerprint with the one the machine's "
                                           "administrator gives you. Trust this key?"));
        box.setDefaultButton(QMessageBox::No);
        answer = box.exec() == QMessageBox::Yes ? QStringLiteral("yes") : QStringLiteral("no");
    } else {
        QInputDialog dialog;
        dialog.setWindowTitle(QObject::tr("PortScope: SSH"));
        dialog.setLabelText(prompt);
        if (auto* label = dialog.findChild<QLabel*>()) {
            label->setTextFormat(Qt::PlainText); // a key's path may hold anything
        }
        dialog.setTextEchoMode(QLineEdit::Password);
        if (dialog.exec() != QDialog::Accepted) {
            return 1;
        }
        answer = dialog.textValue();
    }
    const QByteArray bytes = answer.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, static_cast<std::size_t>(bytes.size()), stdout);
    std::fflush(stdout);
    return 0;
}

} // namespace portscope::gui
