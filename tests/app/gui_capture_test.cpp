// "Capture traffic…" on a process row: the dialog, the status-bar indicator and the file,
// against this test's own loopback traffic on the live system.

#include "connection_filter_proxy.h"
#include "gui_test_support.h"
#include "loopback.h"
#include "main_window.h"
#include "portscope/core/pcapng.h"
#include "process_tree_model.h"
#include "system_actions.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDir>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>
#include <atomic>
#include <fstream>
#include <gtest/gtest.h>
#include <iostream>
#include <iterator>
#include <sys/socket.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace portscope::gui::testing {
namespace {

using namespace std::chrono_literals;

TEST(GuiCapture, ACaptureOnAProcessRowWritesItsPacketsWithItsPid) {
    // Traffic of this very process on loopback while the capture runs.
    const portscope::testing::Fd listener = portscope::testing::tcpListener("127.0.0.1");
    const auto client =
        portscope::testing::tcpConnect(portscope::testing::localEndpoint(listener.get()));
    const auto server = portscope::testing::acceptOne(listener.get());
    std::atomic<bool> sending{true};
    std::thread sender([&] {
        for (int i = 0; i < 2000 && sending; ++i) { // 20 s at most
            (void)!::send(client.get(), "GUI-CAPTURE", 11, MSG_NOSIGNAL);
            char buffer[64];
            (void)!::recv(server.get(), buffer, sizeof buffer, MSG_DONTWAIT);
            std::this_thread::sleep_for(10ms);
        }
    });

    auto window = std::make_unique<MainWindow>(SystemActions{});
    window->setIntervalMs(250);
    window->show();
    ASSERT_TRUE(window->openLiveSource());
    const core::ProcessKey self{static_cast<std::int32_t>(::getpid()), 0};
    core::ProcessKey key;
    ASSERT_TRUE(waitFor([&] {
        if (!window->latestUpdate()) {
            return false;
        }
        for (const auto& row : window->latestUpdate()->processes) {
            if (row.process.key.pid == self.pid) {
                key = row.process.key;
                return true;
            }
        }
        return false;
    }));
    window->setGrouped(true);
    const QModelIndex source = window->treeModel()->indexOfProcess(key);
    ASSERT_TRUE(source.isValid());
    window->activeView()->selectionModel()->setCurrentIndex(
        window->activeProxy()->mapFromSource(source),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);

    QTemporaryDir directory;
    const QString path = directory.filePath(QStringLiteral("gui.pcapng"));
    bool answered = false;
    QTimer::singleShot(50, window.get(), [&] {
        auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
        ASSERT_NE(dialog, nullptr);
        EXPECT_EQ(dialog->objectName(), QStringLiteral("captureDialog"));
        auto* file = dialog->findChild<QLineEdit*>(QStringLiteral("capturePath"));
        EXPECT_TRUE(file->text().endsWith(QStringLiteral(".pcapng")));
        file->setText(path);
        dialog->findChild<QSpinBox*>(QStringLiteral("captureDuration"))->setValue(2);
        answered = true;
        dialog->accept();
    });
    auto* capture = window->findChild<QAction*>(QStringLiteral("captureAction"));
    ASSERT_NE(capture, nullptr);
    ASSERT_TRUE(capture->isEnabled());
    capture->trigger();
    ASSERT_TRUE(answered);

    auto* status = window->findChild<QLabel*>(QStringLiteral("captureStatusLabel"));
    ASSERT_NE(status, nullptr);
    EXPECT_TRUE(waitFor([&] { return status->text().startsWith(QStringLiteral("Capturing")); }));
    ASSERT_TRUE(
        waitFor([&] { return status->text().startsWith(QStringLiteral("Capture saved")); }, 15000))
        << status->text().toStdString();
    sending = false;
    sender.join();
    EXPECT_TRUE(
        window->findChild<QPushButton*>(QStringLiteral("captureShowInFolder"))->isVisible());
    // For the screenshot in docs/capture.md: the window stays up this long under Xvfb.
    if (const int pauseMs = qEnvironmentVariableIntValue("PORTSCOPE_CAPTURE_SCREENSHOT_MS");
        pauseMs > 0) {
        window->setGeometry(0, 0, 1280, 800);
        QTest::qWait(500);
        std::cout << "capture screenshot: ready" << std::endl;
        QTest::qWait(pauseMs);
    }

    struct stat info {};
    ASSERT_EQ(::stat(path.toLocal8Bit().constData(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    std::ifstream in(path.toStdString(), std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), {}};
    const auto read = core::pcapng::readFile(bytes);
    EXPECT_EQ(read.error, "");
    ASSERT_GT(read.packets.size(), 20u);
    for (const auto& packet : read.packets) {
        ASSERT_EQ(packet.comments.size(), 1u);
        EXPECT_NE(packet.comments[0].find("PID " + std::to_string(self.pid) + " "),
                  std::string::npos)
            << packet.comments[0];
    }
}

} // namespace
} // namespace portscope::gui::testing
