#include "sensor_setting.h"

#include "portscope/core/model.h"
#include "portscope/platform/system.h"

#include <QAction>
#include <QActionGroup>
#include <QLabel>
#include <QMenu>
#include <QSettings>

namespace portscope::gui {

namespace {

const QString kSettingKey = QStringLiteral("monitor/sensor");

} // namespace

SensorSetting::SensorSetting(QWidget* parent)
    : QObject(parent), choice_(platform::SensorChoice::Auto) {
    const QString saved = QSettings().value(kSettingKey).toString();
    choice_ =
        platform::parseSensorChoice(saved.toStdString()).value_or(platform::SensorChoice::Auto);

    menu_ = new QMenu(tr("&Sensor"), parent);
    menu_->setObjectName(QStringLiteral("sensorMenu"));
    group_ = new QActionGroup(this);
    const struct {
        platform::SensorChoice choice;
        QString text;
        QString tip;
    } entries[] = {
        {platform::SensorChoice::Auto, tr("&Automatic"),
         tr("Use the eBPF sensor where the kernel and the privileges allow it, else poll")},
        {platform::SensorChoice::Bpf, tr("&eBPF events"),
         tr("Name the process behind every connect and count UDP bytes; needs the "
            "administrator helper or root")},
        {platform::SensorChoice::Poll, tr("&Polling only"),
         tr("Read the socket tables at each refresh and load nothing into the kernel")},
    };
    for (const auto& entry : entries) {
        QAction* action = menu_->addAction(entry.text);
        action->setCheckable(true);
        action->setChecked(entry.choice == choice_);
        action->setToolTip(entry.tip);
        action->setStatusTip(entry.tip);
        action->setData(QString::fromUtf8(platform::toString(entry.choice).data()));
        group_->addAction(action);
        const platform::SensorChoice choice = entry.choice;
        connect(action, &QAction::triggered, this, [this, choice] { choose(choice); });
    }

    label_ = new QLabel(parent);
    label_->setObjectName(QStringLiteral("statusSensor"));
    label_->setTextFormat(Qt::PlainText);
}

void SensorSetting::choose(platform::SensorChoice choice) {
    if (choice == choice_) {
        return;
    }
    choice_ = choice;
    QSettings().setValue(kSettingKey, QString::fromUtf8(platform::toString(choice).data()));
    Q_EMIT changed();
}

void SensorSetting::showMode(core::SensorMode mode) {
    switch (mode) {
    case core::SensorMode::Bpf:
        label_->setText(tr("eBPF events"));
        label_->setToolTip(tr("The eBPF sensor names the process behind every connect, even one "
                              "refused within a millisecond, and counts UDP bytes."));
        break;
    case core::SensorMode::Poll:
        label_->setText(tr("Polling"));
        label_->setToolTip(tr("The socket tables are read at each refresh: a connection that "
                              "opens and closes between two refreshes shows no process, and UDP "
                              "shows no byte counts."));
        break;
    case core::SensorMode::Unknown:
        label_->clear();
        label_->setToolTip({});
        break;
    }
}

} // namespace portscope::gui
