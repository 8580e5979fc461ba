#include "capture_status.h"

#include "capture_controller.h"

#include <QDesktopServices>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProcess>
#include <QPushButton>
#include <QStandardPaths>
#include <QToolButton>
#include <QUrl>

namespace portscope::gui {

CaptureStatus::CaptureStatus(CaptureController* controller, QWidget* parent)
    : QWidget(parent), controller_(controller) {
    setObjectName(QStringLiteral("captureStatus"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    label_ = new QLabel(this);
    label_->setObjectName(QStringLiteral("captureStatusLabel"));
    label_->setTextFormat(Qt::PlainText);
    stop_ = new QPushButton(tr("Stop"), this);
    stop_->setObjectName(QStringLiteral("captureStop"));
    showInFolder_ = new QPushButton(tr("Show in folder"), this);
    showInFolder_->setObjectName(QStringLiteral("captureShowInFolder"));
    openInWireshark_ = new QPushButton(tr("Open in Wireshark"), this);
    openInWireshark_->setObjectName(QStringLiteral("captureOpenInWireshark"));
    // A small × rather than a word: at 1280 pixels the status bar has no room to spare.
    dismiss_ = new QToolButton(this);
    dismiss_->setObjectName(QStringLiteral("captureDismiss"));
    dismiss_->setText(QStringLiteral("×"));
    dismiss_->setToolTip(tr("Dismiss"));
    dismiss_->setAccessibleName(tr("Dismiss"));
    dismiss_->setAutoRaise(true);
    for (QWidget* widget :
         {static_cast<QWidget*>(label_), static_cast<QWidget*>(stop_),
          static_cast<QWidget*>(showInFolder_), static_cast<QWidget*>(openInWireshark_),
          static_cast<QWidget*>(dismiss_)}) {
        layout->addWidget(widget);
    }
    hide();

    connect(stop_, &QPushButton::clicked, controller_, &CaptureController::stop);
    connect(showInFolder_, &QPushButton::clicked, this, [this] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(path_).absolutePath()));
    });
    connect(openInWireshark_, &QPushButton::clicked, this, [this] {
        // An argument list, never a shell: the path may hold any character.
        QProcess::startDetached(wiresharkPath(), {QStringLiteral("-r"), path_});
    });
    connect(dismiss_, &QToolButton::clicked, this, &QWidget::hide);
    connect(controller_, &CaptureController::started, this, &CaptureStatus::onStarted);
    connect(controller_, &CaptureController::progress, this, &CaptureStatus::onProgress);
    connect(controller_, &CaptureController::finished, this, &CaptureStatus::onFinished);
}

QString CaptureStatus::wiresharkPath() {
    return QStandardPaths::findExecutable(QStringLiteral("wireshark"));
}

// The file's name, its middle left out when long (the default names run to 40 characters);
// the whole path is in the tooltip.
QString CaptureStatus::shownFileName(const QString& path) const {
    const QString name = QFileInfo(path).fileName();
    return label_->fontMetrics().elidedText(
        name, Qt::ElideMiddle, label_->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 18);
}

void CaptureStatus::onStarted(const QString& path, bool bySocket, const QString& whyNotBySocket) {
    path_ = path;
    method_ = bySocket ? tr("Each packet is taken as the process's sockets send or receive it, "
                            "and names its socket's process.")
                       : tr("Packets are taken from the network interfaces and named by their "
                            "addresses and ports.");
    if (!bySocket && !whyNotBySocket.isEmpty()) {
        method_ += QLatin1Char(' ') +
                   tr("Taking them by socket was not possible: %1").arg(whyNotBySocket.trimmed());
    }
    label_->setToolTip(method_ + QLatin1Char('\n') + path);
    stop_->show();
    showInFolder_->hide();
    openInWireshark_->hide();
    dismiss_->hide();
    onProgress(0, 0, 0);
    show();
}

void CaptureStatus::onProgress(quint64 packets, quint64 bytes, quint64 dropped) {
    packets_ = packets;
    dropped_ = dropped;
    const QLocale locale;
    label_->setText(
        tr("Capturing: %1 packets, %2, %3 dropped")
            .arg(locale.toString(packets), locale.formattedDataSize(static_cast<qint64>(bytes)))
            .arg(locale.toString(dropped)));
}

void CaptureStatus::onFinished(const QString& message, const QString& path, bool failed) {
    path_ = path;
    const QLocale locale;
    label_->setText(
        failed
            ? tr("Capture stopped by an error; the %1 packets before it are kept: %2")
                  .arg(locale.toString(packets_), message)
            : tr("Capture saved: %1 packets, %2 dropped, in %3")
                  .arg(locale.toString(packets_), locale.toString(dropped_), shownFileName(path)));
    label_->setToolTip(message + QLatin1Char('\n') + method_ + QLatin1Char('\n') + path);
    stop_->hide();
    showInFolder_->show();
    openInWireshark_->setVisible(!wiresharkPath().isEmpty());
    dismiss_->show();
    show();
}

} // namespace portscope::gui
