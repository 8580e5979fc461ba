#include "capture_dialog.h"

#include "evidence_paths.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QSysInfo>

namespace portscope::gui {

CaptureDialog::CaptureDialog(const CaptureTarget& target, const QString& host, QWidget* parent)
    : QDialog(parent) {
    setObjectName(QStringLiteral("captureDialog"));
    setWindowTitle(tr("Capture traffic"));
    auto* form = new QFormLayout(this);

    auto* what = new QLabel(target.description.toHtmlEscaped(), this);
    what->setTextFormat(Qt::PlainText);
    what->setText(target.description);
    form->addRow(tr("Capture:"), what);

    auto* fileRow = new QHBoxLayout;
    path_ = new QLineEdit(defaultPath(host), this);
    path_->setObjectName(QStringLiteral("capturePath"));
    path_->setMinimumWidth(360);
    auto* browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, &CaptureDialog::browse);
    fileRow->addWidget(path_, 1);
    fileRow->addWidget(browse);
    form->addRow(tr("File:"), fileRow);

    duration_ = new QSpinBox(this);
    duration_->setObjectName(QStringLiteral("captureDuration"));
    duration_->setRange(0, 24 * 3600);
    duration_->setValue(60);
    duration_->setSuffix(tr(" s"));
    duration_->setSpecialValueText(tr("until stopped"));
    form->addRow(tr("Duration:"), duration_);

    maxSize_ = new QSpinBox(this);
    maxSize_->setObjectName(QStringLiteral("captureMaxSize"));
    maxSize_->setRange(0, 1'000'000);
    maxSize_->setValue(100);
    maxSize_->setSuffix(tr(" MB"));
    maxSize_->setSpecialValueText(tr("no limit"));
    form->addRow(tr("Size limit:"), maxSize_);

    auto* note = new QLabel(tr("Each packet's comment names its process; Wireshark shows it as "
                               "frame.comment. Packets can hold passwords and other secrets: "
                               "the file is readable by you only."),
                            this);
    note->setWordWrap(true);
    form->addRow(note);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Start capture"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

CaptureSettings CaptureDialog::settings() const {
    return {path_->text(), duration_->value(), maxSize_->value()};
}

QString CaptureDialog::defaultPath(const QString& host) {
    return suggestedEvidencePath(host, QString(), QStringLiteral("pcapng"));
}

void CaptureDialog::browse() {
    const QString chosen = QFileDialog::getSaveFileName(
        this, tr("Capture to"), path_->text(), tr("pcapng capture (*.pcapng);;All files (*)"));
    if (!chosen.isEmpty()) {
        path_->setText(chosen);
    }
}

} // namespace portscope::gui
