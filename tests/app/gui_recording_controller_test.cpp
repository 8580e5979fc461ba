// RecordingController on its own: it wraps live sources, writes what they poll into a real
// file that plays back, carries a recording across a switch of live sources, and ends it when
// a recorded session is opened, a session cannot start or the source ends.

#include "gui_test_support.h"
#include "portscope/core/replay.h"
#include "recording_controller.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <filesystem>
#include <gtest/gtest.h>

namespace portscope::gui {
namespace {

using namespace testing;

class RecordingControllerTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(dir.isValid());
        script->setSteady(
            snapshotAt(0, {tcpListener(1, 8080, {4321, 9})}, {process(4321, 9, "nginx")}));
    }

    // What a new session does: hands its source to the controller, then starts.
    std::unique_ptr<core::SnapshotSource> switchTo(bool live) {
        auto source = controller.prepareSource(scriptedSource(script, live));
        lastMessage = controller.sessionStarted();
        return source;
    }

    static std::size_t snapshotsIn(const QString& path) {
        core::ReplayReader reader(path.toStdString());
        std::size_t count = 0;
        while (reader.poll()) {
            ++count;
        }
        EXPECT_EQ(reader.error(), "");
        return count;
    }

    QTemporaryDir dir;
    std::shared_ptr<Script> script = std::make_shared<Script>();
    RecordingController controller;
    QString lastMessage;
};

TEST_F(RecordingControllerTest, OnlyALiveSessionCanBeRecorded) {
    QString error;
    EXPECT_FALSE(controller.canRecord());
    EXPECT_FALSE(controller.start(dir.filePath(QStringLiteral("none.psreplay")), &error));
    EXPECT_TRUE(error.contains(QStringLiteral("Only live monitoring can be recorded")));

    auto replay = switchTo(false);
    EXPECT_FALSE(controller.canRecord());
    EXPECT_EQ(replay->name(), "scripted") << "a recorded session is not wrapped";
    EXPECT_FALSE(controller.start(dir.filePath(QStringLiteral("none.psreplay")), &error));
    EXPECT_FALSE(QFile::exists(dir.filePath(QStringLiteral("none.psreplay"))));
}

TEST_F(RecordingControllerTest, RecordsWhatTheSourcePollsIntoAPrivateFile) {
    auto source = switchTo(true);
    ASSERT_TRUE(controller.canRecord());
    source->poll(); // before the recording: not in the file

    const QString path = dir.filePath(QStringLiteral("session.psreplay"));
    QSignalSpy changed(&controller, &RecordingController::stateChanged);
    QSignalSpy stopped(&controller, &RecordingController::stopped);
    QString error;
    ASSERT_TRUE(controller.start(path, &error)) << error.toStdString();
    EXPECT_TRUE(controller.recording());
    EXPECT_EQ(controller.path(), path);
    EXPECT_EQ(changed.count(), 1);
    const auto permissions = std::filesystem::status(path.toStdString()).permissions();
    EXPECT_EQ(permissions,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(source->poll().has_value());
    }
    EXPECT_EQ(controller.recordsWritten(), 3u);
    const QString message = controller.stop();
    EXPECT_EQ(message, QStringLiteral("Recording stopped. 3 snapshots saved to %1.")
                           .arg(QDir::toNativeSeparators(path)));
    ASSERT_EQ(stopped.count(), 1);
    EXPECT_EQ(stopped.at(0).at(0).toString(), message);
    EXPECT_FALSE(stopped.at(0).at(1).toBool());
    EXPECT_FALSE(controller.recording());
    source->poll(); // after the recording: not in the file either
    EXPECT_EQ(snapshotsIn(path), 3u);
    EXPECT_TRUE(controller.stop().isEmpty()) << "stopping twice says nothing";
}

TEST_F(RecordingControllerTest, ARefusedFileLeavesTheStateAlone) {
    switchTo(true);
    const QString target = dir.filePath(QStringLiteral("target"));
    const QString link = dir.filePath(QStringLiteral("link.psreplay"));
    ASSERT_TRUE(QFile::link(target, link));
    QString error;
    EXPECT_FALSE(controller.start(link, &error));
    EXPECT_FALSE(error.isEmpty());
    EXPECT_FALSE(controller.recording());
    EXPECT_FALSE(QFile::exists(target)) << "nothing is written through a link";
}

TEST_F(RecordingControllerTest, ARecordingGoesOnAcrossASwitchOfLiveSources) {
    auto first = switchTo(true);
    const QString path = dir.filePath(QStringLiteral("switch.psreplay"));
    QString error;
    ASSERT_TRUE(controller.start(path, &error)) << error.toStdString();
    first->poll();
    first->poll();

    QSignalSpy stopped(&controller, &RecordingController::stopped);
    auto second = switchTo(true); // e.g. to the administrator helper
    EXPECT_TRUE(lastMessage.isEmpty());
    EXPECT_TRUE(controller.recording());
    EXPECT_EQ(stopped.count(), 0);
    first->poll(); // the old source writes no more
    second->poll();
    second->poll();
    second->poll();
    controller.stop();
    EXPECT_EQ(snapshotsIn(path), 5u);
}

TEST_F(RecordingControllerTest, OpeningARecordedSessionEndsTheRecording) {
    auto live = switchTo(true);
    const QString path = dir.filePath(QStringLiteral("ended.psreplay"));
    QString error;
    ASSERT_TRUE(controller.start(path, &error)) << error.toStdString();
    live->poll();
    QSignalSpy stopped(&controller, &RecordingController::stopped);
    switchTo(false);
    EXPECT_TRUE(lastMessage.startsWith(
        QStringLiteral("Recording stopped because a recorded session was opened. 1 snapshot")))
        << lastMessage.toStdString();
    ASSERT_EQ(stopped.count(), 1);
    EXPECT_FALSE(stopped.at(0).at(1).toBool());
    EXPECT_FALSE(controller.recording());
    EXPECT_FALSE(controller.canRecord());
    EXPECT_EQ(snapshotsIn(path), 1u);
}

TEST_F(RecordingControllerTest, ASessionThatCannotStartEndsTheRecordingAsFailed) {
    auto live = switchTo(true);
    const QString path = dir.filePath(QStringLiteral("failed.psreplay"));
    QString error;
    ASSERT_TRUE(controller.start(path, &error)) << error.toStdString();
    live->poll();
    live->poll();
    auto next = controller.prepareSource(scriptedSource(script, true));
    QSignalSpy stopped(&controller, &RecordingController::stopped);
    const QString message = controller.sessionFailed();
    EXPECT_TRUE(message.startsWith(
        QStringLiteral("Recording stopped because monitoring could not go on. 2 snapshots saved")))
        << message.toStdString();
    ASSERT_EQ(stopped.count(), 1);
    EXPECT_TRUE(stopped.at(0).at(1).toBool());
    EXPECT_FALSE(controller.canRecord());
    EXPECT_EQ(snapshotsIn(path), 2u);
}

TEST_F(RecordingControllerTest, TheRecordingEndsWithItsSource) {
    auto live = switchTo(true);
    const QString path = dir.filePath(QStringLiteral("source.psreplay"));
    QString error;
    ASSERT_TRUE(controller.start(path, &error)) << error.toStdString();
    live->poll();
    QSignalSpy stopped(&controller, &RecordingController::stopped);
    const QString message = controller.sourceEnded(true);
    EXPECT_TRUE(message.startsWith(
        QStringLiteral("Recording stopped because the source ended. 1 snapshot saved")));
    ASSERT_EQ(stopped.count(), 1);
    EXPECT_TRUE(stopped.at(0).at(1).toBool());
    EXPECT_TRUE(controller.sourceEnded(false).isEmpty()) << "nothing more to end";
    EXPECT_EQ(snapshotsIn(path), 1u);
}

} // namespace
} // namespace portscope::gui
