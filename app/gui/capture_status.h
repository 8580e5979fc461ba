#pragma once
// The status bar's capture indicator: packets, bytes and drops with a Stop button while a
// capture runs; at its end the message, "Show in folder", and "Open in Wireshark" when
// Wireshark is installed.

#include <QWidget>

class QLabel;
class QPushButton;
class QToolButton;

namespace portscope::gui {

class CaptureController;

class CaptureStatus final : public QWidget {
    Q_OBJECT
public:
    CaptureStatus(CaptureController* controller, QWidget* parent = nullptr);

    // Where Wireshark is; empty when it is not installed. Tests replace it.
    static QString wiresharkPath();

private:
    void onStarted(const QString& path, bool bySocket, const QString& whyNotBySocket);
    QString shownFileName(const QString& path) const;
    void onProgress(quint64 packets, quint64 bytes, quint64 dropped);
    void onFinished(const QString& message, const QString& path, bool failed);

    CaptureController* controller_;
    QLabel* label_ = nullptr;
    QPushButton* stop_ = nullptr;
    QPushButton* showInFolder_ = nullptr;
    QPushButton* openInWireshark_ = nullptr;
    QToolButton* dismiss_ = nullptr;
    QString path_;
    QString method_; // how packets are taken, for the tooltips
    quint64 packets_ = 0;
    quint64 dropped_ = 0;
};

} // namespace portscope::gui
