#pragma once
// Recording the live session to a replay file. Every live source the window monitors is
// wrapped in a core::RecordingSource (see prepareSource()); start() attaches a ReplayWriter to it,
// and the engine thread writes each snapshot from the next poll on. A recording goes on
// across a switch between live sources (to the helper and back) in the same file, and ends
// when the user stops it, a write fails, the source ends or a recorded session is opened.

#include <QObject>
#include <QString>
#include <cstdint>
#include <memory>

namespace portscope::core {
class ReplayWriter;
class RecordingSource;
class SnapshotSource;
} // namespace portscope::core

namespace portscope::gui {

class RecordingController final : public QObject {
    Q_OBJECT
public:
    explicit RecordingController(QObject* parent = nullptr);
    ~RecordingController() override;

    bool recording() const { return !path_.isEmpty(); }
    QString path() const { return path_; }
    std::uint64_t recordsWritten() const;
    // A live session is there to record.
    bool canRecord() const { return source_ != nullptr; }

    // Creates `path` (owner-only, never through a link) and records into it from the next poll
    // on, replacing a recording in progress. False with the reason when the file cannot be
    // created or no live session runs.
    bool start(const QString& path, QString* error);
    // Closes the file; returns the sentence saying what was saved where. Empty when not
    // recording.
    QString stop();

    // A new session is about to replace the current one: the writer, if any, is taken off the
    // current source to be carried over, and a live `source` is wrapped so that it can be
    // recorded. Returns the source the session should poll.
    std::unique_ptr<core::SnapshotSource>
    prepareSource(std::unique_ptr<core::SnapshotSource> source);
    // The prepared session runs: the carried recording goes on in it, or ends when it is a
    // recorded session. Returns the sentence to show when the recording ended, else empty.
    QString sessionStarted();
    // The prepared session could not start: the carried recording ends as failed. Returns the
    // sentence to show, empty when nothing was recorded.
    QString sessionFailed();
    // The session's source ended (`failed` when by an error): the recording ends with it.
    QString sourceEnded(bool failed);

Q_SIGNALS:
    // recording(), path() or canRecord() changed.
    void stateChanged();
    // A recording ended: `message` names the file and the number of snapshots; `failed` when
    // by an error.
    void stopped(const QString& message, bool failed);
    // A write failed on the engine thread and the recording stopped (after stopped()).
    void writeFailed(const QString& message);

private:
    void onWriteFailed(const QString& reason);
    // Ends the recording state after the writer has been closed; returns the message.
    QString end(const QString& why, std::uint64_t records, bool failed);

    QString path_;
    core::RecordingSource* source_ = nullptr;   // the live session's source, owned by its engine
    core::RecordingSource* prepared_ = nullptr; // the next session's, until it starts
    std::unique_ptr<core::ReplayWriter> carried_;
};

} // namespace portscope::gui
