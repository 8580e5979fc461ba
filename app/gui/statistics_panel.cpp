#include "statistics_panel.h"

#include "portscope/core/update.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <cmath>

namespace portscope::gui {
namespace {

const QColor kFlaggedBackground(0xfd, 0xe2, 0xe1);

QString rateText(const core::CounterRate& rate) {
    if (!rate.hasRate) {
        return QStringLiteral("–");
    }
    // Whole numbers for busy counters; a decimal for slow ones so that 0.5/s is not "0".
    const int decimals = std::abs(rate.perSecond) >= 100 ? 0 : 1;
    return QLocale().toString(rate.perSecond, 'f', decimals);
}

} // namespace

StatisticsPanel::StatisticsPanel(QWidget* parent) : QWidget(parent) {
    heading_ = new QLabel(this);
    heading_->setObjectName(QStringLiteral("statisticsHeading"));
    heading_->setTextFormat(Qt::PlainText);

    table_ = new QTreeWidget(this);
    table_->setObjectName(QStringLiteral("statisticsTable"));
    table_->setRootIsDecorated(false);
    table_->setUniformRowHeights(true);
    table_->setAlternatingRowColors(true);
    table_->setHeaderLabels({tr("Counter"), tr("Value"), tr("Per second"), tr("Cited by")});
    table_->header()->setStretchLastSection(true);
    table_->setColumnWidth(NameColumn, 260);
    table_->setColumnWidth(ValueColumn, 130);
    table_->setColumnWidth(RateColumn, 110);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(heading_);
    layout->addWidget(table_, 1);
    showCounters(nullptr);
}

StatisticsPanel::~StatisticsPanel() = default;

void StatisticsPanel::showCounters(const core::Update* update) {
    if (update == nullptr || update->counterRates.empty()) {
        table_->clear();
        names_.clear();
        heading_->setText(update == nullptr
                              ? tr("No data yet.")
                              : tr("The source reports no protocol counters (netstat -s)."));
        return;
    }
    const auto& rates = update->counterRates;
    bool sameNames = names_.size() == rates.size();
    for (std::size_t i = 0; sameNames && i < rates.size(); ++i) {
        sameNames = names_[i] == rates[i].name;
    }
    if (!sameNames) {
        table_->clear();
        names_.clear();
        names_.reserve(rates.size());
        for (const core::CounterRate& rate : rates) {
            auto* item = new QTreeWidgetItem(table_);
            item->setText(NameColumn, QString::fromStdString(rate.name));
            item->setTextAlignment(ValueColumn, Qt::AlignRight | Qt::AlignVCenter);
            item->setTextAlignment(RateColumn, Qt::AlignRight | Qt::AlignVCenter);
            names_.push_back(rate.name);
        }
    }
    const QLocale locale;
    int flagged = 0;
    for (std::size_t i = 0; i < rates.size(); ++i) {
        const core::CounterRate& rate = rates[i];
        QTreeWidgetItem* item = table_->topLevelItem(static_cast<int>(i));
        item->setText(ValueColumn, locale.toString(static_cast<qlonglong>(rate.value)));
        item->setText(RateColumn, rateText(rate));
        QStringList rules;
        for (const std::string& rule : rate.findings) {
            rules << QString::fromStdString(rule);
        }
        item->setText(FindingsColumn, rules.join(tr(", ", "between the items of a list")));
        QFont font = item->font(NameColumn);
        font.setBold(rate.flagged());
        for (int column = 0; column <= FindingsColumn; ++column) {
            item->setBackground(column, rate.flagged() ? QBrush(kFlaggedBackground) : QBrush());
            item->setFont(column, font);
        }
        item->setToolTip(NameColumn,
                         rate.flagged()
                             ? tr("Cited by an active finding: %1")
                                   .arg(rules.join(tr(", ", "between the items of a list")))
                             : QString());
        flagged += rate.flagged() ? 1 : 0;
    }
    heading_->setText(flagged > 0
                          ? tr("%n counter(s); %1 behind active findings (highlighted).", nullptr,
                               static_cast<int>(rates.size()))
                                .arg(flagged)
                          : tr("%n counter(s), with the rate over the last update interval.",
                               nullptr, static_cast<int>(rates.size())));
}

} // namespace portscope::gui
