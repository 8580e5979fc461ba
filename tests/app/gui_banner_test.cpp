// The warning banner: what it offers depends on whether the view is live.

#include "gui_test_support.h"
#include "gui_window_fixture.h"
#include "main_window.h"
#include "privileges.h"
#include "system_actions.h"

#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <gtest/gtest.h>

namespace portscope::gui {
namespace {

using namespace testing;

const core::ProcessKey kServer{4321, 987654};

class BannerTest : public WindowFixture {
protected:
    void SetUp() override {
        openWindow();
        core::Socket hidden = tcpSocket(9, "10.0.0.2", 22, "10.0.0.3", 5000);
        hidden.ownerStatus = core::OwnerStatus::PermissionDenied;
        auto snapshot = snapshotAt(0, {hidden, tcpListener(1, 8080, kServer)},
                                   {process(kServer.pid, kServer.startTime, "aaa-server")});
        snapshot.warnings.push_back(core::verbatimText("Owners of 1 socket are hidden."));
        script->setSteady(snapshot);
    }
};

// Rights asked for now would not reveal the owners a recording could not see.
TEST_F(BannerTest, ARecordedSessionOffersNoAdministratorRights) {
    PrivilegeOptions unprivileged;
    unprivileged.runningAsAdministrator = [] { return false; };
    window->setPrivilegeOptions(unprivileged);
    start(false);
    auto* banner = child<QLabel>("warningBanner");
    ASSERT_TRUE(waitFor([&] { return banner->isVisible(); }));
    EXPECT_TRUE(banner->text().contains(QStringLiteral("Owners of 1 socket are hidden.")))
        << "the recording's own warning stays";
    EXPECT_FALSE(banner->text().contains(QStringLiteral("without privileges")))
        << banner->text().toStdString();
    EXPECT_FALSE(child<QPushButton>("bannerAdministratorButton")->isVisible());
}

// The same snapshot live, without privileges: the banner explains and offers the helper.
TEST_F(BannerTest, ALiveSessionWithoutPrivilegesOffersTheHelper) {
    PrivilegeOptions unprivileged;
    unprivileged.runningAsAdministrator = [] { return false; };
    window->setPrivilegeOptions(unprivileged);
    start(true);
    auto* banner = child<QLabel>("warningBanner");
    ASSERT_TRUE(waitFor([&] { return banner->isVisible(); }));
    EXPECT_TRUE(banner->text().contains(QStringLiteral("without privileges")));
    EXPECT_TRUE(child<QPushButton>("bannerAdministratorButton")->isVisible());
}

} // namespace
} // namespace portscope::gui
