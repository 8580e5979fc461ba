#include "view_state_keeper.h"

#include "connection_filter_proxy.h"
#include "portscope/core/update.h"
#include "update_model.h"

#include <QItemSelectionModel>
#include <QTreeView>
#include <algorithm>

namespace portscope::gui {

ViewStateKeeper::ViewStateKeeper(QTreeView* view, ConnectionFilterProxy* proxy, QObject* parent)
    : QObject(parent), view_(view), proxy_(proxy) {
    connect(proxy, &ConnectionFilterProxy::filterAboutToChange, this,
            &ViewStateKeeper::beforeFilterChange);
    connect(proxy, &ConnectionFilterProxy::filterChanged, this,
            &ViewStateKeeper::afterFilterChange);
    connect(view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ViewStateKeeper::rememberSelection);
    connect(view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &ViewStateKeeper::rememberSelection);
}

bool ViewStateKeeper::keepsExpansion() const {
    return view_->rootIsDecorated();
}

std::optional<int> ViewStateKeeper::RowLookup::processRow(const core::ProcessKey& key) const {
    const auto it =
        std::lower_bound(processRows.begin(), processRows.end(), key,
                         [](const std::pair<core::ProcessKey, int>& entry,
                            const core::ProcessKey& wanted) { return entry.first < wanted; });
    if (it == processRows.end() || it->first != key) {
        return std::nullopt;
    }
    return it->second;
}

ViewStateKeeper::RowIdentity ViewStateKeeper::identityOf(const QModelIndex& source) const {
    const UpdateModel* model = proxy_->updateModel();
    RowIdentity identity;
    if (const core::Connection* connection = model->connectionAt(source)) {
        identity.connection = connection->id;
    }
    // In the tree a connection belongs to its parent row; the unowned group has no key.
    const QModelIndex processRow = source.parent().isValid() ? source.parent() : source;
    if (processRow != source || identity.connection == 0) {
        if (const core::ProcessRow* process = model->processAt(processRow)) {
            identity.process = process->process.key;
        }
    }
    return identity;
}

void ViewStateKeeper::rememberSelection() {
    if (filterChanging_) {
        return; // rows the filter hides are still wanted
    }
    QItemSelectionModel* selection = view_->selectionModel();
    selected_.clear();
    for (const QModelIndex& row : selection->selectedRows()) {
        selected_.push_back(identityOf(proxy_->mapToSource(row)));
    }
    const QModelIndex current = selection->currentIndex();
    current_ =
        current.isValid() ? std::optional(identityOf(proxy_->mapToSource(current))) : std::nullopt;
}

void ViewStateKeeper::beforeFilterChange() {
    filterChanging_ = true;
    if (!keepsExpansion()) {
        return;
    }
    // The shown processes tell their state now; hidden ones keep what they had.
    const int rows = proxy_->rowCount();
    for (int row = 0; row < rows; ++row) {
        const QModelIndex index = proxy_->index(row, 0);
        const RowIdentity identity = identityOf(proxy_->mapToSource(index));
        if (view_->isExpanded(index)) {
            expanded_.insert(identity.process);
        } else {
            expanded_.erase(identity.process);
        }
    }
}

ViewStateKeeper::RowLookup ViewStateKeeper::lookup() const {
    const UpdateModel* model = proxy_->updateModel();
    RowLookup rows;
    const int count = model->rowCount();
    for (int row = 0; row < count; ++row) {
        const QModelIndex index = model->index(row, 0);
        if (const core::Connection* connection = model->connectionAt(index)) {
            rows.connectionRows.emplace(connection->id, row);
        } else {
            rows.processRows.emplace_back(identityOf(index).process, row);
        }
    }
    std::sort(rows.processRows.begin(), rows.processRows.end());
    return rows;
}

QModelIndex ViewStateKeeper::sourceIndexOf(const RowIdentity& identity,
                                           const RowLookup& rows) const {
    const UpdateModel* model = proxy_->updateModel();
    if (const auto flat = rows.connectionRows.find(identity.connection);
        identity.connection != 0 && flat != rows.connectionRows.end()) {
        return model->index(flat->second, 0);
    }
    const std::optional<int> processRow = rows.processRow(identity.process);
    if (!processRow) {
        return {};
    }
    const QModelIndex process = model->index(*processRow, 0);
    if (identity.connection == 0) {
        return process;
    }
    const int children = model->rowCount(process);
    for (int row = 0; row < children; ++row) {
        const QModelIndex child = model->index(row, 0, process);
        const core::Connection* connection = model->connectionAt(child);
        if (connection != nullptr && connection->id == identity.connection) {
            return child;
        }
    }
    return {};
}

void ViewStateKeeper::afterFilterChange() {
    const RowLookup rows = lookup();
    if (keepsExpansion()) {
        for (auto it = expanded_.begin(); it != expanded_.end();) {
            const std::optional<int> row = rows.processRow(*it);
            if (!row) {
                it = expanded_.erase(it); // the process is gone
                continue;
            }
            const QModelIndex shown = proxy_->mapFromSource(proxy_->updateModel()->index(*row, 0));
            if (shown.isValid() && !view_->isExpanded(shown)) {
                view_->expand(shown);
            }
            ++it;
        }
    }

    QItemSelection wanted;
    for (const RowIdentity& identity : selected_) {
        const QModelIndex shown = proxy_->mapFromSource(sourceIndexOf(identity, rows));
        if (shown.isValid()) {
            wanted.select(shown, shown);
        }
    }
    QItemSelectionModel* selection = view_->selectionModel();
    const QModelIndex current =
        current_ ? proxy_->mapFromSource(sourceIndexOf(*current_, rows)) : QModelIndex();
    if (current.isValid() && current != selection->currentIndex()) {
        selection->setCurrentIndex(current, QItemSelectionModel::NoUpdate);
    }
    if (!wanted.isEmpty()) {
        selection->select(wanted, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
    if (current.isValid()) {
        view_->scrollTo(current);
    }
    filterChanging_ = false;
}

} // namespace portscope::gui
