#pragma once
// Properties of one process, as TCPView and Task Manager users expect from a double-click:
// name, PID, parent with its name, user, start time, program path, command line, SHA-256 (if
// computed), connection counts and findings. Non-modal, so monitoring goes on beside it; it
// shows the process as it was when opened. Every value is selectable plain text, and Copy puts
// the lot on the clipboard as readable lines for a ticket.

#include <QDialog>
#include <QString>
#include <cstdint>
#include <utility>

QT_BEGIN_NAMESPACE
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
QT_END_NAMESPACE

// Forward declarations only: moc reads this header.
namespace portscope::core {
struct ProcessRow;
struct Update;
} // namespace portscope::core

namespace portscope::gui {

class ProcessPropertiesDialog final : public QDialog {
    Q_OBJECT
public:
    // `parentText` is the parent with its name ("1234 (bash)"); `hash` the SHA-256 computed
    // for the process, or empty. `update` (may be null) supplies the findings and the time.
    ProcessPropertiesDialog(const core::ProcessRow& row, const core::Update* update,
                            const QString& parentText, const QString& hash,
                            QWidget* parent = nullptr);
    ~ProcessPropertiesDialog() override;

    // The process shown, as (PID, start time).
    std::pair<std::int32_t, std::uint64_t> process() const { return process_; }
    // What Copy puts on the clipboard: one "Label: value" line per property.
    QString text() const { return text_; }
    void copyToClipboard();

private:
    void addRow(const QString& label, QWidget* value, const QString& plain);

    std::pair<std::int32_t, std::uint64_t> process_;
    QString text_;
    QFormLayout* form_ = nullptr;
};

} // namespace portscope::gui
