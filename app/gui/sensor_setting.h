#pragma once
// The View > Sensor setting (docs/sensor.md) and the status bar's note of the sensor in use.
// Kept apart from MainWindow, which only places the menu and the label and asks for the choice.

#include "sensor_enums.h"

#include <QObject>

class QActionGroup;
class QLabel;
class QMenu;
class QWidget;

namespace portscope::gui {

class SensorSetting : public QObject {
    Q_OBJECT
public:
    // Reads the saved choice ("monitor/sensor"; automatic when none was saved).
    explicit SensorSetting(QWidget* parent);

    platform::SensorChoice choice() const { return choice_; }
    QMenu* menu() const { return menu_; }
    QLabel* statusLabel() const { return label_; }

    // Says in the status bar which sensor the last update came from; nothing for a replay.
    void showMode(core::SensorMode mode);

Q_SIGNALS:
    // The user picked another sensor and saved it; the live source should be opened again.
    void changed();

private:
    void choose(platform::SensorChoice choice);

    platform::SensorChoice choice_;
    QMenu* menu_ = nullptr;
    QActionGroup* group_ = nullptr;
    QLabel* label_ = nullptr;
};

} // namespace portscope::gui
