#include "traffic_chart.h"

#include "portscope/core/history.h"
#include "rich_text.h"
#include "row_format.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLabel>
#include <QLineSeries>
#include <QPen>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

namespace portscope::gui {

namespace {

struct Unit {
    double divisor;
    const char* label;
};

// 1024-based, as the tables show rates.
Unit unitFor(double maxBytesPerSecond) {
    if (maxBytesPerSecond >= 1024.0 * 1024.0 * 1024.0) {
        return {1024.0 * 1024.0 * 1024.0, "GB/s"};
    }
    if (maxBytesPerSecond >= 1024.0 * 1024.0) {
        return {1024.0 * 1024.0, "MB/s"};
    }
    if (maxBytesPerSecond >= 1024.0) {
        return {1024.0, "KB/s"};
    }
    return {1.0, "B/s"};
}

// A round axis maximum at or above `value`, so the peak fills most of the height.
double niceCeiling(double value) {
    if (value <= 0) {
        return 1.0;
    }
    const double power = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0}) {
        if (value <= step * power) {
            return step * power;
        }
    }
    return 10.0 * power;
}

} // namespace

TrafficChart::TrafficChart(QWidget* parent) : QWidget(parent) {
    chart_ = new QChart();
    chart_->legend()->setAlignment(Qt::AlignBottom);
    chart_->setMargins(QMargins(4, 4, 4, 4));
    chart_->setBackgroundRoundness(0);

    send_ = new QLineSeries(chart_);
    send_->setName(tr("Send"));
    send_->setPen(QPen(QColor(220, 90, 40), 2));
    receive_ = new QLineSeries(chart_);
    receive_->setName(tr("Receive"));
    receive_->setPen(QPen(QColor(40, 120, 210), 2));
    chart_->addSeries(receive_);
    chart_->addSeries(send_);

    timeAxis_ = new QDateTimeAxis(chart_);
    timeAxis_->setFormat(QStringLiteral("HH:mm"));
    timeAxis_->setTickCount(11);
    rateAxis_ = new QValueAxis(chart_);
    rateAxis_->setLabelFormat(QStringLiteral("%g"));
    rateAxis_->setMin(0);
    rateAxis_->setTickType(QValueAxis::TicksDynamic);
    rateAxis_->setTickAnchor(0);
    chart_->addAxis(timeAxis_, Qt::AlignBottom);
    chart_->addAxis(rateAxis_, Qt::AlignLeft);
    for (QLineSeries* series : {send_, receive_}) {
        series->attachAxis(timeAxis_);
        series->attachAxis(rateAxis_);
    }

    view_ = new QChartView(chart_, this);
    view_->setRenderHint(QPainter::Antialiasing);
    view_->setObjectName(QStringLiteral("trafficChartView"));
    summary_ = new QLabel(this);
    summary_->setObjectName(QStringLiteral("trafficSummary"));
    summary_->setTextFormat(Qt::PlainText);
    summary_->setWordWrap(true);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(summary_);
    layout->addWidget(view_, 1);
    showSamples({}, tr("whole machine"), QDateTime::currentMSecsSinceEpoch());
}

TrafficChart::~TrafficChart() = default;

void TrafficChart::showSamples(const std::vector<core::RateSample>& samples, const QString& subject,
                               std::int64_t nowUnixMs) {
    const std::int64_t start = nowUnixMs - kWindowMs;
    double peak = 0;
    const core::RateSample* latest = nullptr;
    for (const auto& sample : samples) {
        if (sample.unixMs >= start && sample.unixMs <= nowUnixMs) {
            peak = std::max({peak, static_cast<double>(sample.sendBytesPerSecond),
                             static_cast<double>(sample.receiveBytesPerSecond)});
            latest = &sample;
        }
    }
    const Unit unit = unitFor(peak);
    QList<QPointF> sendPoints;
    QList<QPointF> receivePoints;
    sendPoints.reserve(static_cast<qsizetype>(samples.size()));
    receivePoints.reserve(static_cast<qsizetype>(samples.size()));
    for (const auto& sample : samples) {
        if (sample.unixMs < start || sample.unixMs > nowUnixMs) {
            continue;
        }
        const auto x = static_cast<qreal>(sample.unixMs);
        sendPoints.append(QPointF(x, sample.sendBytesPerSecond / unit.divisor));
        receivePoints.append(QPointF(x, sample.receiveBytesPerSecond / unit.divisor));
    }
    send_->replace(sendPoints);
    receive_->replace(receivePoints);

    timeAxis_->setRange(QDateTime::fromMSecsSinceEpoch(start),
                        QDateTime::fromMSecsSinceEpoch(nowUnixMs));
    const double top = niceCeiling(peak / unit.divisor * 1.1);
    rateAxis_->setRange(0, top);
    // Ticks at round steps of the top, so labels read 0, 1, 2... rather than 0, 1.25, 2.5.
    rateAxis_->setTickInterval(niceCeiling(top / 5.0));
    unit_ = QString::fromLatin1(unit.label);
    rateAxis_->setTitleText(unit_);
    // The chart title is rich text and process names are not to be trusted.
    chart_->setTitle(tr("Traffic of %1, last 10 minutes").arg(escapedForRichText(subject)));

    if (sendPoints.isEmpty()) {
        summary_->setText(tr("No traffic recorded for %1 yet. A process gets a history once it "
                             "moves bytes while selected or busy.")
                              .arg(subject));
    } else {
        summary_->setText(tr("Now: send %1, receive %2. Peak in view: %3.")
                              .arg(rateText(latest->sendBytesPerSecond),
                                   rateText(latest->receiveBytesPerSecond), rateText(peak)));
    }
}

void TrafficChart::showPending(const QString& subject, std::int64_t nowUnixMs) {
    showSamples({}, subject, nowUnixMs);
    summary_->setText(tr("Loading the traffic history of %1 with the next update…").arg(subject));
}

QString TrafficChart::unitLabel() const {
    return unit_;
}

int TrafficChart::pointCount() const {
    return static_cast<int>(send_->count());
}

} // namespace portscope::gui
