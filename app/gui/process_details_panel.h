#pragma once
// The Process tab: who a process is (path, command line, user, parent, start time) and, on
// request, the SHA-256 of its executable, computed on a worker thread.

#include <QHash>
#include <QWidget>
#include <cstdint>

QT_BEGIN_NAMESPACE
class QLabel;
class QPushButton;
QT_END_NAMESPACE

namespace portscope::core {
struct ProcessRow;
struct Update;
} // namespace portscope::core

namespace portscope::gui {

class ProcessDetailsPanel final : public QWidget {
    Q_OBJECT
public:
    explicit ProcessDetailsPanel(QWidget* parent = nullptr);
    ~ProcessDetailsPanel() override;

    // `row` null clears the panel. `update` (may be null) supplies the parent's name.
    void showProcess(const core::ProcessRow* row, const core::Update* update);
    // Starts hashing the shown executable; hashReady follows on the GUI thread.
    void computeHash();
    QString hashText() const;

Q_SIGNALS:
    void hashReady(const QString& path, const QString& result);

private:
    void setHashText(const QString& text);

    QLabel* name_ = nullptr;
    QLabel* pid_ = nullptr;
    QLabel* user_ = nullptr;
    QLabel* path_ = nullptr;
    QLabel* commandLine_ = nullptr;
    QLabel* parent_ = nullptr;
    QLabel* started_ = nullptr;
    QLabel* hash_ = nullptr;
    QLabel* note_ = nullptr;
    QPushButton* hashButton_ = nullptr;

    QString shownPath_;
    bool shownPathDeleted_ = false;
    QString hashingPath_;
    QHash<QString, QString> hashes_; // path -> "sha256 hex" or an error sentence
};

} // namespace portscope::gui
