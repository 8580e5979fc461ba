#pragma once
// The Process tab: who a process is (path, command line, user, parent, start time) and, on
// request, the SHA-256 of the program it runs, computed on a worker thread from the running
// image (platform::readExecutableImage), not from whatever file now has its path.

#include <QHash>
#include <QWidget>
#include <cstdint>
#include <utility>
#include <vector>

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
    // Starts hashing the program of the shown process; hashReady follows on the GUI thread.
    void computeHash();
    QString hashText() const;
    QString findingsText() const; // the process's active findings, one a line
    // The hash shown for the process (PID, start time): the digest, or empty when none was
    // computed.
    QString computedHash(std::int32_t pid, std::uint64_t startTime) const;
    // Every SHA-256 computed so far: (PID, start time) -> hex digest.
    std::vector<std::pair<std::pair<std::int32_t, std::uint64_t>, QString>> computedHashes() const;

Q_SIGNALS:
    void hashReady(const QString& result);

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
    QLabel* findings_ = nullptr;
    QLabel* note_ = nullptr;
    QPushButton* hashButton_ = nullptr;

    // A process as PID and start time, the fields of core::ProcessKey (whose header moc
    // cannot parse); PID 0 is none.
    using ProcessId = std::pair<std::int32_t, std::uint64_t>;
    ProcessId shownProcess_{};
    ProcessId hashingProcess_{};
    // Digests computed. Keyed by process, not path: another process may run another file
    // under the same path, and a PID reused later is another key.
    QHash<ProcessId, QString> hashes_;
};

} // namespace portscope::gui
