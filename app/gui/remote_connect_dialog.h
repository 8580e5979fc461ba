#pragma once
// File › Connect to remote machine…: asks for "[user@]host[:port]" and checks it as the
// user types, so that nothing ssh could take for an option is ever passed on.

#include "portscope/platform/ssh_remote.h"

#include <QDialog>
#include <optional>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace portscope::gui {

class RemoteConnectDialog final : public QDialog {
    Q_OBJECT
public:
    explicit RemoteConnectDialog(QWidget* parent = nullptr);

    void setTarget(const QString& text);
    void setThroughSudo(bool throughSudo);
    // The target typed, when it is valid.
    std::optional<platform::SshTarget> target() const;
    bool throughSudo() const;

    QLineEdit* hostEdit() const { return hostEdit_; }
    QLabel* problemLabel() const { return problem_; }
    QDialogButtonBox* buttons() const { return buttons_; }

private:
    void validate();

    QLineEdit* hostEdit_ = nullptr;
    QCheckBox* sudo_ = nullptr;
    QLabel* problem_ = nullptr;
    QDialogButtonBox* buttons_ = nullptr;
};

} // namespace portscope::gui
