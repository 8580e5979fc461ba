#include "remote_connect_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace portscope::gui {

RemoteConnectDialog::RemoteConnectDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Connect to remote machine"));
    auto* intro = new QLabel(
        tr("PortScope runs <code>ssh HOST portscope-helper</code> and shows that machine's "
           "processes and connections. The machine needs PortScope installed and an SSH "
           "server; your ssh configuration, keys and ssh-agent are used, and passwords are "
           "asked for here."),
        this);
    intro->setWordWrap(true);
    hostEdit_ = new QLineEdit(this);
    hostEdit_->setObjectName(QStringLiteral("remoteHost"));
    hostEdit_->setPlaceholderText(tr("user@host:port"));
    sudo_ = new QCheckBox(tr("Start the helper through sudo (sudo -n, no password prompt)"), this);
    problem_ = new QLabel(this);
    problem_->setTextFormat(Qt::PlainText); // it quotes what was typed
    problem_->setWordWrap(true);
    buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons_->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(hostEdit_, &QLineEdit::textChanged, this, &RemoteConnectDialog::validate);

    auto* form = new QFormLayout;
    form->addRow(tr("&Machine:"), hostEdit_);
    form->addRow(QString(), sudo_);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(problem_);
    layout->addWidget(buttons_);
    validate();
}

void RemoteConnectDialog::setTarget(const QString& text) {
    hostEdit_->setText(text);
}

void RemoteConnectDialog::setThroughSudo(bool throughSudo) {
    sudo_->setChecked(throughSudo);
}

std::optional<platform::SshTarget> RemoteConnectDialog::target() const {
    return platform::SshTarget::parse(hostEdit_->text().trimmed().toStdString(), nullptr);
}

bool RemoteConnectDialog::throughSudo() const {
    return sudo_->isChecked();
}

void RemoteConnectDialog::validate() {
    std::string problem;
    const QString text = hostEdit_->text().trimmed();
    const bool valid =
        !text.isEmpty() && platform::SshTarget::parse(text.toStdString(), &problem).has_value();
    problem_->setText(text.isEmpty() || valid ? QString() : QString::fromStdString(problem));
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(valid);
}

} // namespace portscope::gui
