// The View > Sensor setting: it is saved, read back by the next window, announces a change so
// the live source is opened again, and the status bar names the sensor of each update.

#include "portscope/core/model.h"
#include "portscope/platform/system.h"
#include "sensor_setting.h"

#include <QAction>
#include <QLabel>
#include <QMenu>
#include <QSettings>
#include <QSignalSpy>
#include <QWidget>
#include <gtest/gtest.h>

namespace portscope::gui {
namespace {

QAction* actionFor(const SensorSetting& setting, std::string_view choice) {
    for (QAction* action : setting.menu()->actions()) {
        if (action->data().toString().toStdString() == choice) {
            return action;
        }
    }
    return nullptr;
}

TEST(SensorSettingTest, TheChoiceIsSavedAnnouncedAndReadBack) {
    QSettings().remove(QStringLiteral("monitor/sensor"));
    QWidget window;
    SensorSetting setting(&window);
    EXPECT_EQ(setting.choice(), platform::SensorChoice::Auto);
    ASSERT_NE(actionFor(setting, "auto"), nullptr);
    EXPECT_TRUE(actionFor(setting, "auto")->isChecked());

    QSignalSpy changed(&setting, &SensorSetting::changed);
    actionFor(setting, "poll")->trigger();
    EXPECT_EQ(setting.choice(), platform::SensorChoice::Poll);
    EXPECT_EQ(changed.count(), 1);
    actionFor(setting, "poll")->trigger(); // the same choice again changes nothing
    EXPECT_EQ(changed.count(), 1);

    SensorSetting next(&window);
    EXPECT_EQ(next.choice(), platform::SensorChoice::Poll);
    EXPECT_TRUE(actionFor(next, "poll")->isChecked());
    QSettings().remove(QStringLiteral("monitor/sensor"));
}

TEST(SensorSettingTest, ADamagedSavedValueMeansAutomatic) {
    QSettings().setValue(QStringLiteral("monitor/sensor"), QStringLiteral("kprobe"));
    QWidget window;
    SensorSetting setting(&window);
    EXPECT_EQ(setting.choice(), platform::SensorChoice::Auto);
    QSettings().remove(QStringLiteral("monitor/sensor"));
}

TEST(SensorSettingTest, TheStatusBarNamesTheSensorOfTheLastUpdate) {
    QWidget window;
    SensorSetting setting(&window);
    setting.showMode(core::SensorMode::Bpf);
    EXPECT_EQ(setting.statusLabel()->text(), QStringLiteral("eBPF events"));
    setting.showMode(core::SensorMode::Poll);
    EXPECT_EQ(setting.statusLabel()->text(), QStringLiteral("Polling"));
    EXPECT_FALSE(setting.statusLabel()->toolTip().isEmpty());
    setting.showMode(core::SensorMode::Unknown); // a replay
    EXPECT_TRUE(setting.statusLabel()->text().isEmpty());
}

} // namespace
} // namespace portscope::gui
