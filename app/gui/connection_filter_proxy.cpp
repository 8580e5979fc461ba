#include "connection_filter_proxy.h"

#include "portscope/core/filter_query.h"
#include "row_format.h"
#include "update_model.h"

namespace portscope::gui {

ConnectionFilterProxy::ConnectionFilterProxy(QObject* parent)
    : QSortFilterProxyModel(parent), query_(std::make_unique<core::FilterQuery>()),
      toggles_(std::make_unique<core::VisibilityToggles>()) {
    setSortRole(roles::Sort);
    setDynamicSortFilter(true);
    setRecursiveFilteringEnabled(true);
}

ConnectionFilterProxy::~ConnectionFilterProxy() = default;

void ConnectionFilterProxy::setUpdateModel(UpdateModel* model) {
    model_ = model;
    setSourceModel(model);
}

void ConnectionFilterProxy::setQuery(const core::FilterQuery& query) {
    *query_ = query;
    invalidateFilter();
}

void ConnectionFilterProxy::setToggles(const core::VisibilityToggles& toggles) {
    if (*toggles_ == toggles) {
        return;
    }
    *toggles_ = toggles;
    invalidateFilter();
}

const core::FilterQuery& ConnectionFilterProxy::query() const {
    return *query_;
}

const core::VisibilityToggles& ConnectionFilterProxy::toggles() const {
    return *toggles_;
}

bool ConnectionFilterProxy::filtering() const {
    return !query_->empty() || !toggles_->showsEverything();
}

bool ConnectionFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    if (model_ == nullptr || !filtering()) {
        return true;
    }
    const QModelIndex index = model_->index(sourceRow, 0, sourceParent);
    const core::Connection* connection = model_->connectionAt(index);
    if (connection == nullptr) {
        // A process row: recursive filtering shows it when one of its connections passes.
        return false;
    }
    return toggles_->accepts(*connection) && query_->matches(*connection, model_->processAt(index));
}

namespace {

// <0, 0 or >0, like strcmp.
int compareSortValues(const QVariant& a, const QVariant& b) {
    if (a.typeId() != b.typeId()) {
        // An empty cell sorts before a filled one.
        return (a.isValid() ? 1 : 0) - (b.isValid() ? 1 : 0);
    }
    auto order = [](const auto& x, const auto& y) { return x < y ? -1 : (y < x ? 1 : 0); };
    switch (a.typeId()) {
    case QMetaType::Double:
        return order(a.toDouble(), b.toDouble());
    case QMetaType::Int:
    case QMetaType::LongLong:
        return order(a.toLongLong(), b.toLongLong());
    case QMetaType::ULongLong:
        return order(a.toULongLong(), b.toULongLong());
    case QMetaType::QByteArray:
        return order(a.toByteArray(), b.toByteArray());
    case QMetaType::QString:
        return QString::compare(a.toString(), b.toString(), Qt::CaseInsensitive);
    default:
        return 0;
    }
}

} // namespace

bool ConnectionFilterProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    const int order = compareSortValues(left.data(roles::Sort), right.data(roles::Sort));
    if (order != 0) {
        return order < 0;
    }
    // Ties keep the source order (process key, connection id), so equal rows do not swap
    // places from one update to the next.
    return left.row() < right.row();
}

} // namespace portscope::gui
