#pragma once
// Send and receive rate over the last ten minutes, as two lines with a unit-scaled axis.

#include <QWidget>
#include <cstdint>
#include <vector>

QT_BEGIN_NAMESPACE
class QChart;
class QChartView;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace portscope::core {
struct RateSample;
}

namespace portscope::gui {

class TrafficChart final : public QWidget {
    Q_OBJECT
public:
    static constexpr std::int64_t kWindowMs = 10 * 60 * 1000;

    explicit TrafficChart(QWidget* parent = nullptr);
    ~TrafficChart() override;

    // Shows the samples (oldest first) of the ten minutes before `nowUnixMs`.
    void showSamples(const std::vector<core::RateSample>& samples, const QString& subject,
                     std::int64_t nowUnixMs);

    // An empty chart for `subject` whose samples are on their way.
    void showPending(const QString& subject, std::int64_t nowUnixMs);

    // For tests: what the axis currently says.
    QString unitLabel() const;
    int pointCount() const;

private:
    QChart* chart_ = nullptr;
    QChartView* view_ = nullptr;
    QLineSeries* send_ = nullptr;
    QLineSeries* receive_ = nullptr;
    QDateTimeAxis* timeAxis_ = nullptr;
    QValueAxis* rateAxis_ = nullptr;
    QLabel* summary_ = nullptr;
    QString unit_;
};

} // namespace portscope::gui
