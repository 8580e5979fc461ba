// Recording the live session from the window: the file it writes plays back through
// ReplayReader with the snapshots the source produced, an unwritable path is refused, and a
// write error (the file size limit standing in for a full disk) stops the recording cleanly.

#include "gui_test_support.h"
#include "gui_window_fixture.h"
#include "main_window.h"
#include "monitor_session.h"
#include "portscope/core/replay.h"
#include "system_actions.h"

#include <QAction>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <csignal>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <vector>

namespace portscope::gui {
namespace {

using namespace testing;

const core::ProcessKey kWeb{4321, 987654};
const core::ProcessKey kTool{5555, 111};

std::vector<core::Process> processes() {
    return {process(kWeb.pid, kWeb.startTime, "nginx", "/usr/sbin/nginx", "www-data", 33),
            process(kTool.pid, kTool.startTime, "curl")};
}

std::vector<core::Socket> sockets() {
    return {tcpListener(1, 8080, kWeb), tcpSocket(2, "127.0.0.1", 8080, "127.0.0.1", 41000, kWeb),
            tcpSocket(3, "127.0.0.1", 41000, "127.0.0.1", 8080, kTool)};
}

std::vector<core::Snapshot> readAll(const QString& path, std::string* error) {
    core::ReplayReader reader(path.toStdString());
    std::vector<core::Snapshot> snapshots;
    while (auto snapshot = reader.poll()) {
        snapshots.push_back(std::move(*snapshot));
    }
    *error = reader.error();
    return snapshots;
}

class RecordingTest : public WindowFixture {
protected:
    void SetUp() override {
        QSettings().clear();
        ASSERT_TRUE(dir.isValid());
        window = std::make_unique<MainWindow>(SystemActions{});
        window->setIntervalMs(250);
        window->show();
        script = std::make_shared<Script>();
        script->setSteady(snapshotAt(0, sockets(), processes()));
    }

    QTemporaryDir dir;
};

TEST_F(RecordingTest, RecordsTheLiveSessionIntoAFileThatPlaysBack) {
    start();
    auto* record = child<QAction>("recordAction");
    auto* status = child<QLabel>("statusRecording");
    ASSERT_TRUE(record->isEnabled());
    EXPECT_FALSE(status->isVisible());

    const QString path = dir.filePath(QStringLiteral("session.psreplay"));
    QString error;
    ASSERT_TRUE(window->startRecording(path, &error)) << error.toStdString();
    EXPECT_TRUE(window->isRecording());
    EXPECT_EQ(record->text(), QStringLiteral("Stop &recording"));
    EXPECT_TRUE(status->isVisible());
    EXPECT_TRUE(status->text().contains(QStringLiteral("Recording to session.psreplay")))
        << status->text().toStdString();

    const std::uint64_t startedAt = sequence();
    ASSERT_TRUE(waitFor([&] { return sequence() >= startedAt + 3; }));
    // curl's connection closes while recording.
    auto fewer = sockets();
    fewer.pop_back();
    script->setSteady(snapshotAt(0, fewer, processes()));
    const std::uint64_t closedAt = sequence();
    ASSERT_TRUE(waitFor([&] { return sequence() >= closedAt + 3; }));

    QSignalSpy stopped(window.get(), &MainWindow::recordingStopped);
    record->trigger(); // "Stop recording"
    ASSERT_EQ(stopped.count(), 1);
    EXPECT_FALSE(stopped.at(0).at(1).toBool());
    EXPECT_TRUE(stopped.at(0).at(0).toString().contains(path))
        << stopped.at(0).at(0).toString().toStdString();
    EXPECT_FALSE(window->isRecording());
    EXPECT_FALSE(status->isVisible());
    EXPECT_EQ(record->text(), QStringLiteral("&Record session…"));

    std::string readError;
    const auto snapshots = readAll(path, &readError);
    EXPECT_EQ(readError, "");
    ASSERT_GE(snapshots.size(), 5u);
    EXPECT_TRUE(stopped.at(0).at(0).toString().contains(
        QStringLiteral("%1 snapshots saved").arg(snapshots.size())));
    EXPECT_EQ(snapshots.front().sockets.size(), 3u);
    EXPECT_EQ(snapshots.back().sockets.size(), 2u);
    for (std::size_t i = 0; i < snapshots.size(); ++i) {
        EXPECT_EQ(snapshots[i].sourceName, "scripted");
        ASSERT_EQ(snapshots[i].processes.size(), 2u);
        EXPECT_EQ(snapshots[i].processes[0].name, "nginx");
        EXPECT_EQ(snapshots[i].processes[0].key, kWeb);
        if (i > 0) {
            EXPECT_GT(snapshots[i].unixMs, snapshots[i - 1].unixMs);
        }
    }

    // Nothing is written after the stop.
    const auto size = QFileInfo(path).size();
    const std::uint64_t stoppedAt = sequence();
    ASSERT_TRUE(waitFor([&] { return sequence() >= stoppedAt + 2; }));
    EXPECT_EQ(QFileInfo(path).size(), size);

    // The window opens its own recording: the closed connection is a tombstone at the end.
    ASSERT_TRUE(window->openReplayFile(path));
    ASSERT_TRUE(waitFor([&] { return window->session()->finished(); }, 10000));
    EXPECT_EQ(sequence(), snapshots.size());
    EXPECT_FALSE(record->isEnabled()); // a recorded session is not recorded again
}

TEST_F(RecordingTest, AnUnwritablePathIsRefusedWithTheReason) {
    start();
    const QString path = dir.filePath(QStringLiteral("missing/session.psreplay"));
    QString error;
    EXPECT_FALSE(window->startRecording(path, &error));
    EXPECT_TRUE(error.contains(path)) << error.toStdString();
    EXPECT_TRUE(error.contains(QStringLiteral("No such file or directory"))) << error.toStdString();
    EXPECT_FALSE(window->isRecording());
    EXPECT_FALSE(child<QLabel>("statusRecording")->isVisible());
}

TEST_F(RecordingTest, ALinkAtThePathIsRefusedAndTheRecordingIsPrivate) {
    start();
    const QString victim = dir.filePath(QStringLiteral("victim"));
    {
        QFile file(victim);
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        file.write("precious");
    }
    const QString link = dir.filePath(QStringLiteral("session.psreplay"));
    ASSERT_TRUE(QFile::link(victim, link));
    QString error;
    EXPECT_FALSE(window->startRecording(link, &error));
    EXPECT_TRUE(error.contains(link)) << error.toStdString();
    EXPECT_TRUE(error.contains(QStringLiteral("symbolic link"))) << error.toStdString();
    EXPECT_FALSE(window->isRecording());
    QFile victimFile(victim);
    ASSERT_TRUE(victimFile.open(QIODevice::ReadOnly));
    EXPECT_EQ(victimFile.readAll(), QByteArray("precious"));

    const mode_t savedMask = ::umask(022);
    const QString path = dir.filePath(QStringLiteral("private.psreplay"));
    const bool started = window->startRecording(path, &error);
    ::umask(savedMask);
    ASSERT_TRUE(started) << error.toStdString();
    window->stopRecording();
    EXPECT_EQ(QFileInfo(path).permissions(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                 QFileDevice::ReadUser | QFileDevice::WriteUser);
}

TEST_F(RecordingTest, OnlyLiveSessionsCanBeRecorded) {
    start(false);
    QString error;
    EXPECT_FALSE(window->startRecording(dir.filePath(QStringLiteral("x.psreplay")), &error));
    EXPECT_TRUE(error.contains(QStringLiteral("Only live monitoring"))) << error.toStdString();
    EXPECT_FALSE(child<QAction>("recordAction")->isEnabled());
    EXPECT_FALSE(QFileInfo::exists(dir.filePath(QStringLiteral("x.psreplay"))));
}

// Restores the file size limit and SIGXFSZ however the test ends.
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes) {
        ::getrlimit(RLIMIT_FSIZE, &saved_);
        previousHandler_ = std::signal(SIGXFSZ, SIG_IGN); // EFBIG instead of a core dump
        rlimit limit = saved_;
        limit.rlim_cur = bytes;
        ok_ = ::setrlimit(RLIMIT_FSIZE, &limit) == 0;
    }
    ~FileSizeLimit() {
        ::setrlimit(RLIMIT_FSIZE, &saved_);
        std::signal(SIGXFSZ, previousHandler_);
    }
    bool ok() const { return ok_; }

private:
    rlimit saved_{};
    void (*previousHandler_)(int) = nullptr;
    bool ok_ = false;
};

TEST_F(RecordingTest, AWriteErrorStopsTheRecordingAndKeepsTheCompleteRecords) {
    start();
    window->setPaused(true); // the test decides when each snapshot is polled
    QTest::qWait(300);
    const std::size_t record = core::replay::kRecordHeaderSize +
                               core::encodeSnapshot(snapshotAt(0, sockets(), processes())).size();
    // Room for the header and two records: the third write fails as on a full disk.
    const FileSizeLimit limit(core::replay::kFileHeaderSize + 2 * record + record / 2);
    ASSERT_TRUE(limit.ok());

    const QString path = dir.filePath(QStringLiteral("full.psreplay"));
    QString error;
    ASSERT_TRUE(window->startRecording(path, &error)) << error.toStdString();
    QSignalSpy stopped(window.get(), &MainWindow::recordingStopped);
    for (int poll = 0; poll < 3; ++poll) {
        const std::uint64_t before = sequence();
        window->refreshNow();
        ASSERT_TRUE(waitFor([&] { return sequence() > before; }));
    }
    ASSERT_TRUE(waitFor([&] { return stopped.count() == 1; }));
    EXPECT_TRUE(stopped.at(0).at(1).toBool()); // failed
    const QString message = stopped.at(0).at(0).toString();
    EXPECT_TRUE(message.contains(QStringLiteral("File too large"))) << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("2 snapshots saved"))) << message.toStdString();
    EXPECT_FALSE(window->isRecording());
    EXPECT_FALSE(child<QLabel>("statusRecording")->isVisible());
    auto* shown = child<QLabel>("actionMessage");
    EXPECT_TRUE(shown->isVisible());
    EXPECT_EQ(shown->text(), message);

    // Monitoring goes on, and a new recording can start.
    const std::uint64_t after = sequence();
    window->refreshNow();
    ASSERT_TRUE(waitFor([&] { return sequence() > after; }));

    std::string readError;
    const auto snapshots = readAll(path, &readError);
    EXPECT_EQ(snapshots.size(), 2u);
    EXPECT_NE(readError, ""); // the torn third record
}

} // namespace
} // namespace portscope::gui
