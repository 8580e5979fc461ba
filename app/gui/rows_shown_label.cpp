#include "rows_shown_label.h"

#include "connection_filter_proxy.h"
#include "update_model.h"

#include <QFontMetrics>
#include <algorithm>

namespace portscope::gui {

RowsShownLabel::RowsShownLabel(QWidget* parent) : QLabel(parent) {
    setObjectName(QStringLiteral("rowsShown"));
    setTextFormat(Qt::PlainText);
    setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    setToolTip(tr("Rows the filter and the Show switches let through, of all rows"));
    // Room for six-digit counts in either wording, whatever the language.
    const QFontMetrics metrics(font());
    constexpr int kLarge = 888888;
    const int widest = std::max(
        metrics.horizontalAdvance(tr("%L1 of %L2 processes shown").arg(kLarge).arg(kLarge)),
        metrics.horizontalAdvance(tr("%L1 of %L2 connections shown").arg(kLarge).arg(kLarge)));
    setFixedWidth(widest + 2 * margin() + 8);
}

void RowsShownLabel::watch(ConnectionFilterProxy* proxy, Rows rows) {
    for (const auto& connection : connections_) {
        disconnect(connection);
    }
    connections_.clear();
    proxy_ = proxy;
    rows_ = rows;
    if (proxy != nullptr) {
        // Every way the proxy's top-level rows come and go: an update, a new filter, a reset.
        const auto refreshNow = [this] { refresh(); };
        connections_ = {
            connect(proxy, &QAbstractItemModel::rowsInserted, this, refreshNow),
            connect(proxy, &QAbstractItemModel::rowsRemoved, this, refreshNow),
            connect(proxy, &QAbstractItemModel::modelReset, this, refreshNow),
            connect(proxy, &QAbstractItemModel::layoutChanged, this, refreshNow),
            connect(proxy, &ConnectionFilterProxy::filterChanged, this, refreshNow),
        };
        if (UpdateModel* model = proxy->updateModel()) {
            // A row the filter hides arrives without a signal from the proxy.
            connections_.append(connect(model, &UpdateModel::updateApplied, this, refreshNow));
        }
    }
    refresh();
}

QString RowsShownLabel::textFor(int shown, int total) const {
    return rows_ == Rows::Processes ? tr("%L1 of %L2 processes shown").arg(shown).arg(total)
                                    : tr("%L1 of %L2 connections shown").arg(shown).arg(total);
}

void RowsShownLabel::refresh() {
    const int shown = proxy_ != nullptr ? proxy_->rowCount() : 0;
    const int total = proxy_ != nullptr && proxy_->sourceModel() != nullptr
                          ? proxy_->sourceModel()->rowCount()
                          : 0;
    // Nothing to say when every row shows, an active filter that hides nothing included.
    const QString text = shown < total ? textFor(shown, total) : QString();
    if (text != this->text()) {
        setText(text);
    }
}

} // namespace portscope::gui
