// ElevationController on its own: the privileged-helper way with the real portscope-helper
// (started without pkexec, since no one can answer a polkit dialog here), and the restart way
// of Windows with the restart itself injected, so that its code path runs on every OS.

#include "elevation_controller.h"
#include "gui_test_support.h"
#include "portscope/platform/helper_client.h"
#include "privileges.h"
#include "system_actions.h"

#include <QSignalSpy>
#include <gtest/gtest.h>

namespace portscope::gui {
namespace {

using namespace testing;
using platform::ActionStatus;
using platform::ElevationMethod;

PrivilegeOptions helperOptions(bool administrator) {
    PrivilegeOptions options;
    options.runningAsAdministrator = [administrator] { return administrator; };
    options.elevation = {ElevationMethod::PrivilegedHelper, false};
#ifdef PORTSCOPE_HELPER_PATH
    options.helperLaunch.helperPath = PORTSCOPE_HELPER_PATH;
#endif
    options.helperLaunch.elevate = false;
    options.helperLaunch.handshakeTimeout = std::chrono::seconds(20);
    return options;
}

// The restart way, answering with `result` and counting the restarts asked for.
PrivilegeOptions restartOptions(platform::ActionResult result, int* restarts) {
    PrivilegeOptions options;
    options.runningAsAdministrator = [] { return false; };
    options.elevation = {ElevationMethod::RestartAsAdministrator, true};
    options.restartAsAdministrator = [result, restarts] {
        ++*restarts;
        return result;
    };
    return options;
}

TEST(ElevationController, AnAdministratorIsOfferedNothing) {
    ElevationController controller(helperOptions(true));
    QSignalSpy changed(&controller, &ElevationController::stateChanged);
    EXPECT_TRUE(controller.administrator());
    EXPECT_FALSE(controller.offered());
    EXPECT_FALSE(controller.offeredFor(3, true));
    EXPECT_FALSE(controller.explainsHiddenOwners(3));
    controller.request();
    EXPECT_FALSE(controller.launching());
    EXPECT_EQ(changed.count(), 0);
}

TEST(ElevationController, TheHelperWayIsOfferedForHiddenOwnersOnly) {
    ElevationController controller(helperOptions(false));
    EXPECT_TRUE(controller.offered());
    EXPECT_TRUE(controller.available());
    EXPECT_TRUE(controller.offeredFor(1, false));
    EXPECT_FALSE(controller.offeredFor(0, true)) << "the helper cures no source warning";
    EXPECT_EQ(controller.actionText(), QStringLiteral("Show all processes (&administrator)…"));
    EXPECT_EQ(controller.actionIconText(), QStringLiteral("All processes (admin)…"));
    EXPECT_TRUE(controller.hiddenOwnersHint(QStringLiteral("X"))
                    .startsWith(QStringLiteral(
                        "X because PortScope runs without privileges. <b>Show all processes")));
}

TEST(ElevationController, AFailedHelperLaunchSaysWhyAndMayBeTriedAgain) {
    PrivilegeOptions options = helperOptions(false);
    options.helperLaunch.elevate = true;
    options.helperLaunch.pkexecPath = "/nonexistent/pkexec";
    ElevationController controller(std::move(options));
    QSignalSpy failed(&controller, &ElevationController::failed);
    QSignalSpy started(&controller, &ElevationController::helperStarted);
    controller.request();
    EXPECT_TRUE(controller.launching()) << "the launch runs on a thread of its own";
    EXPECT_EQ(controller.actionText(), QStringLiteral("Waiting for authorization…"));
    EXPECT_FALSE(controller.available());
    ASSERT_TRUE(waitFor([&] { return failed.count() == 1; }));
    EXPECT_TRUE(
        failed.at(0).at(0).toString().contains(QStringLiteral("/nonexistent/pkexec was not found")))
        << failed.at(0).at(0).toString().toStdString();
    EXPECT_EQ(started.count(), 0);
    EXPECT_FALSE(controller.launching());
    EXPECT_EQ(controller.helper(), nullptr);
    EXPECT_TRUE(controller.available());
}

#ifdef PORTSCOPE_HELPER_PATH

TEST(ElevationController, StartsTheRealHelperAndActsThroughIt) {
    ElevationController controller(helperOptions(false));
    QSignalSpy started(&controller, &ElevationController::helperStarted);
    QSignalSpy failed(&controller, &ElevationController::failed);
    controller.request();
    ASSERT_TRUE(waitFor([&] { return started.count() + failed.count() == 1; }, 20000));
    ASSERT_EQ(started.count(), 1) << failed.at(0).at(0).toString().toStdString();
    ASSERT_NE(controller.helper(), nullptr);
    EXPECT_TRUE(controller.helper()->connected());
    EXPECT_GT(controller.helper()->info().pid, 0);
    EXPECT_FALSE(controller.launching());

    // Its source reads the system; its actions go to the helper.
    auto source = platform::makeHelperSource(controller.helper());
    EXPECT_NE(source->name().find("portscope-helper"), std::string::npos) << source->name();
    ASSERT_TRUE(source->poll().has_value());
    const SystemActions actions = controller.helperActions();
    const auto result = actions.killProcess(core::ProcessKey{999999999, 1});
    EXPECT_EQ(result.status, ActionStatus::NoSuchProcess) << result.message;

    controller.setHelperInUse(true);
    EXPECT_EQ(controller.actionText(), QStringLiteral("Showing all processes (administrator)"));
    EXPECT_FALSE(controller.available());
    EXPECT_FALSE(controller.explainsHiddenOwners(5)) << "the helper shows every owner";
    controller.dropHelper();
    EXPECT_EQ(controller.helper(), nullptr);
    EXPECT_FALSE(controller.helperInUse());
    EXPECT_TRUE(controller.available());
}

#endif

TEST(ElevationController, TheRestartWayIsOfferedForSourceWarningsToo) {
    int restarts = 0;
    ElevationController controller(restartOptions({ActionStatus::Done, "started"}, &restarts));
    EXPECT_TRUE(controller.offeredFor(0, true));
    EXPECT_TRUE(controller.offeredFor(2, false));
    EXPECT_FALSE(controller.offeredFor(0, false));
    EXPECT_EQ(controller.actionText(), QStringLiteral("Restart as &administrator…"));
    EXPECT_TRUE(controller.actionIconText().isEmpty()) << "Qt derives it from the text";
    EXPECT_TRUE(controller.hiddenOwnersHint(QStringLiteral("X"))
                    .contains(QStringLiteral("<b>Restart as administrator</b>")));
}

TEST(ElevationController, ARestartAsksTheProgramToQuit) {
    int restarts = 0;
    ElevationController controller(restartOptions({ActionStatus::Done, "started"}, &restarts));
    QSignalSpy restarting(&controller, &ElevationController::restartStarted);
    QSignalSpy failed(&controller, &ElevationController::failed);
    controller.request();
    EXPECT_EQ(restarts, 1);
    EXPECT_EQ(restarting.count(), 1);
    EXPECT_EQ(failed.count(), 0);
    EXPECT_EQ(controller.helper(), nullptr);
}

TEST(ElevationController, ADeclinedRestartSaysWhyAndTheProgramGoesOn) {
    int restarts = 0;
    const std::string declined =
        "PortScope was not restarted: the administrator prompt was declined.";
    ElevationController controller(
        restartOptions({ActionStatus::PermissionDenied, declined}, &restarts));
    QSignalSpy restarting(&controller, &ElevationController::restartStarted);
    QSignalSpy failed(&controller, &ElevationController::failed);
    controller.request();
    ASSERT_EQ(failed.count(), 1);
    EXPECT_EQ(failed.at(0).at(0).toString(), QString::fromStdString(declined));
    EXPECT_EQ(restarting.count(), 0);
    EXPECT_TRUE(controller.available());
}

} // namespace
} // namespace portscope::gui
