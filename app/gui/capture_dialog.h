#pragma once
// "Capture traffic…": what is captured, the file, and the limits. The file name defaults to
// the Documents folder with the host name and the time.

#include "capture_controller.h"

#include <QDialog>

class QLineEdit;
class QSpinBox;

namespace portscope::gui {

class CaptureDialog final : public QDialog {
    Q_OBJECT
public:
    // `host` names the machine in the suggested file name.
    CaptureDialog(const CaptureTarget& target, const QString& host, QWidget* parent = nullptr);

    CaptureSettings settings() const;

    // Documents/portscope-HOST-yyyyMMdd-HHmmss.pcapng, the host name reduced to letters,
    // digits, dots and dashes.
    static QString defaultPath(const QString& host);

private:
    void browse();

    QLineEdit* path_ = nullptr;
    QSpinBox* duration_ = nullptr;
    QSpinBox* maxSize_ = nullptr;
};

} // namespace portscope::gui
