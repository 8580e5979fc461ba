#include "connection_filter_proxy.h"

#include "portscope/core/filter_query.h"
#include "row_format.h"
#include "update_model.h"

#include <QHash>
#include <QStringList>
#include <algorithm>

namespace portscope::gui {

ConnectionFilterProxy::ConnectionFilterProxy(QObject* parent)
    : QSortFilterProxyModel(parent), query_(std::make_unique<core::FilterQuery>()),
      toggles_(std::make_unique<core::VisibilityToggles>()) {
    setSortRole(roles::Sort);
    setDynamicSortFilter(false);
    setRecursiveFilteringEnabled(true);
}

ConnectionFilterProxy::~ConnectionFilterProxy() = default;

void ConnectionFilterProxy::setUpdateModel(UpdateModel* model) {
    for (const auto& connection : modelConnections_) {
        disconnect(connection);
    }
    modelConnections_.clear();
    model_ = model;
    connectionsColumn_ = model != nullptr ? model->columnOf(Field::Connections) : -1;
    setSourceModel(model);
    if (model == nullptr) {
        return;
    }
    modelConnections_ = {
        connect(model, &QAbstractItemModel::rowsInserted, this,
                [this](const QModelIndex& parent, int first, int last) {
                    sourceRowsInserted(parent, first, last);
                }),
        connect(model, &QAbstractItemModel::dataChanged, this,
                &ConnectionFilterProxy::sourceDataChanged),
        connect(model, &UpdateModel::updateApplied, this,
                &ConnectionFilterProxy::settleAfterUpdate),
        // A source layout change (only ever part of an update) makes the proxy map its rows
        // anew. The top-level rows are mapped now, in source order (see lessThan()), so that
        // settleAfterUpdate() sorts them with the rest: one sort per update, not two.
        connect(model, &QAbstractItemModel::layoutChanged, this,
                [this] {
                    childCounts_.clear();
                    (void)rowCount();
                }),
        connect(model, &QAbstractItemModel::rowsRemoved, this, [this] { childCounts_.clear(); }),
        connect(model, &QAbstractItemModel::modelReset, this, [this] { childCounts_.clear(); }),
    };
}

void ConnectionFilterProxy::sourceRowsInserted(const QModelIndex& parent, int first, int last) {
    childCounts_.clear();
    // Inserted rows are filtered as they arrive, but land unsorted at the end.
    orderMayHaveChanged_ = true;
    childOrderMayHaveChanged_ |= parent.isValid();
    // Rows inserted under a process the filter hides are not looked at: if one of them
    // passes, the process has to come back, which takes a re-filtering.
    if (parent.isValid() && filtering() && !refilterNeeded_ && !mapFromSource(parent).isValid()) {
        for (int row = first; row <= last && !refilterNeeded_; ++row) {
            refilterNeeded_ = filterAcceptsRow(row, parent);
        }
    }
}

void ConnectionFilterProxy::sourceDataChanged(const QModelIndex& topLeft,
                                              const QModelIndex& bottomRight) {
    const int column = sortColumn();
    const int severityColumn = model_ != nullptr ? model_->columnOf(Field::Severity) : -1;
    const auto touches = [&](int wanted) {
        return wanted >= topLeft.column() && wanted <= bottomRight.column();
    };
    if (touches(column) || (flaggedFirst_ && severityColumn >= 0 && touches(severityColumn))) {
        orderMayHaveChanged_ = true;
        childOrderMayHaveChanged_ |= topLeft.parent().isValid();
    }
}

void ConnectionFilterProxy::forgetSortValues() {
    sortValuesCached_ = false;
    // The top-level rows' storage is kept for the next settle: at 100k rows it is megabytes,
    // which would otherwise be allocated, faulted in and freed once per update.
    std::vector<SortKey> topLevel;
    if (const auto it = sortKeys_.find(0); it != sortKeys_.end()) {
        topLevel = std::move(it->second);
        topLevel.clear();
    }
    sortKeys_.clear();
    sortKeys_.emplace(0, std::move(topLevel));
    lastSortKeys_ = nullptr;
}

void ConnectionFilterProxy::settleAfterUpdate() {
    childCounts_.clear(); // the update changed cells the filter reads
    if (filtering() && (refilterNeeded_ || (model_ != nullptr && model_->filteredCellsChanged()))) {
        invalidateFilter(); // a changed state or address may now pass or fail the filter
        orderMayHaveChanged_ |= sortsByConnections();
    }
    if (orderMayHaveChanged_ && sortColumn() >= 0) {
        // Each row's sort value is read once, not at each of the sort's comparisons.
        sortValuesCached_ = true;
        if (childOrderMayHaveChanged_ || !inOrder()) {
            // Without dynamic sorting, sort() re-sorts even for the same column and order;
            // the layout change it signals keeps selections and persistent indexes, but
            // makes the view lay out every row again, so it is only paid when needed.
            sort(sortColumn(), sortOrder());
        }
        forgetSortValues();
    }
    orderMayHaveChanged_ = false;
    childOrderMayHaveChanged_ = false;
    refilterNeeded_ = false;
}

void ConnectionFilterProxy::setQuery(const core::FilterQuery& query) {
    Q_EMIT filterAboutToChange();
    *query_ = query;
    refilter();
    Q_EMIT filterChanged();
}

void ConnectionFilterProxy::setToggles(const core::VisibilityToggles& toggles) {
    if (*toggles_ == toggles) {
        return;
    }
    Q_EMIT filterAboutToChange();
    *toggles_ = toggles;
    refilter();
    Q_EMIT filterChanged();
}

void ConnectionFilterProxy::refilter() {
    childCounts_.clear();
    invalidateFilter();
    if (sortsByConnections()) {
        sort(sortColumn(), sortOrder()); // the shown counts changed
    }
}

bool ConnectionFilterProxy::sortsByConnections() const {
    return sortColumn() >= 0 && sortColumn() == connectionsColumn_;
}

void ConnectionFilterProxy::setFlaggedFirst(bool flaggedFirst) {
    if (flaggedFirst_ == flaggedFirst) {
        return;
    }
    flaggedFirst_ = flaggedFirst;
    if (sortColumn() >= 0) {
        sort(sortColumn(), sortOrder());
    }
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
    // A process row fails: recursive filtering shows it when one of its connections passes.
    return accepts(model_->index(sourceRow, 0, sourceParent));
}

bool ConnectionFilterProxy::accepts(const QModelIndex& source) const {
    const core::Connection* connection = model_->connectionAt(source);
    return connection != nullptr && toggles_->accepts(*connection) &&
           query_->matches(*connection, model_->processAt(source));
}

ConnectionFilterProxy::ChildCount
ConnectionFilterProxy::childCount(const QModelIndex& sourceProcess) const {
    if (model_ == nullptr || !sourceProcess.isValid() || sourceProcess.parent().isValid()) {
        return {};
    }
    const QModelIndex process = sourceProcess.siblingAtColumn(0);
    if (const auto cached = childCounts_.find(process.row()); cached != childCounts_.end()) {
        return cached->second;
    }
    ChildCount count;
    count.total = model_->rowCount(process);
    if (!filtering()) {
        count.shown = count.total;
    } else {
        for (int row = 0; row < count.total; ++row) {
            count.shown += accepts(model_->index(row, 0, process)) ? 1 : 0;
        }
    }
    childCounts_.emplace(process.row(), count);
    return count;
}

QVariant ConnectionFilterProxy::data(const QModelIndex& index, int role) const {
    const bool countRole = role == Qt::DisplayRole || role == Qt::ToolTipRole;
    // Cheapest first: every cell that is painted passes through here.
    if (!countRole || index.column() != connectionsColumn_ || !filtering() ||
        index.parent().isValid()) {
        return QSortFilterProxyModel::data(index, role);
    }
    // A process row while filtering: the count follows the filter, so that it matches the
    // rows the user sees when the process is expanded.
    const QModelIndex source = mapToSource(index);
    const ChildCount count = childCount(source);
    if (count.shown == count.total) {
        return QSortFilterProxyModel::data(index, role);
    }
    if (role == Qt::DisplayRole) {
        return tr("%L1 of %L2").arg(count.shown).arg(count.total);
    }
    return tr("The filter shows %L1 of this process's %L2 connections.\nAll of them: %3")
        .arg(count.shown)
        .arg(count.total)
        .arg(source.data(Qt::ToolTipRole).toString());
}

QVariant ConnectionFilterProxy::sortValue(const QModelIndex& source) const {
    if (filtering() && !source.parent().isValid() && sortsByConnections()) {
        // Every process by its shown rows, so that the order matches the counts on screen.
        return static_cast<qlonglong>(childCount(source).shown);
    }
    return source.data(roles::Sort);
}

namespace {

// <0, 0 or >0, like strcmp. Strings compare without regard to case.
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

// The case-folded form of a sort text. Most are ASCII and many repeat from one row to the next
// (a protocol, a process name), which both cost less than QString::toCaseFolded().
QString foldedForSorting(const QString& text) {
    static thread_local QString lastText;
    static thread_local QString lastFolded;
    if (text.isSharedWith(lastText) || text == lastText) {
        return lastFolded;
    }
    bool upper = false;
    for (const QChar c : text) {
        if (c.unicode() >= 0x80) {
            lastFolded = text.toCaseFolded();
            lastText = text;
            return lastFolded;
        }
        upper = upper || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'));
    }
    QString folded = text;
    if (upper) {
        for (QChar& c : folded) { // detaches once
            if (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) {
                c = QChar(c.unicode() + ('a' - 'A'));
            }
        }
    }
    lastText = text;
    lastFolded = folded;
    return folded;
}

} // namespace

ConnectionFilterProxy::SortKey ConnectionFilterProxy::SortKey::of(const QVariant& value) {
    SortKey key;
    key.type = value.typeId();
    // The type is known, so the value is read in place: QVariant::toLongLong() and the like
    // go through QMetaType's conversion, which cost more than the rest of a sort key.
    switch (key.type) {
    case QMetaType::Double:
        key.real = *static_cast<const double*>(value.constData());
        break;
    case QMetaType::Int:
        key.integer = *static_cast<const int*>(value.constData());
        break;
    case QMetaType::LongLong:
        key.integer = *static_cast<const qlonglong*>(value.constData());
        break;
    case QMetaType::ULongLong:
        key.unsignedInteger = *static_cast<const qulonglong*>(value.constData());
        break;
    case QMetaType::QByteArray:
        key.bytes = value.toByteArray();
        break;
    case QMetaType::QString:
        key.text = foldedForSorting(value.toString());
        break;
    default:
        break;
    }
    return key;
}

// The same order as compareSortValues, without converting a QVariant at each comparison.
int ConnectionFilterProxy::SortKey::compare(const SortKey& a, const SortKey& b) {
    if (a.type != b.type) {
        return (a.type != QMetaType::UnknownType ? 1 : 0) -
               (b.type != QMetaType::UnknownType ? 1 : 0);
    }
    auto order = [](const auto& x, const auto& y) { return x < y ? -1 : (y < x ? 1 : 0); };
    switch (a.type) {
    case QMetaType::Double:
        return order(a.real, b.real);
    case QMetaType::Int:
    case QMetaType::LongLong:
        return order(a.integer, b.integer);
    case QMetaType::ULongLong:
        return order(a.unsignedInteger, b.unsignedInteger);
    case QMetaType::QByteArray:
        return order(a.bytes, b.bytes);
    case QMetaType::QString:
        return order(a.integer, b.integer); // ranked by rankTexts()
    default:
        return 0;
    }
}

void ConnectionFilterProxy::SortKey::rankTexts(std::vector<SortKey>& siblings) {
    // Few distinct texts as a rule (process names, protocols, states): rank those, then look
    // each row's text up.
    QHash<QString, qlonglong> ranks;
    for (const SortKey& key : siblings) {
        if (key.type == QMetaType::QString) {
            ranks.insert(key.text, 0);
        }
    }
    if (ranks.isEmpty()) {
        return;
    }
    QStringList distinct = ranks.keys();
    std::sort(distinct.begin(), distinct.end(), [](const QString& a, const QString& b) {
        return QString::compare(a, b, Qt::CaseSensitive) < 0;
    });
    for (qsizetype rank = 0; rank < distinct.size(); ++rank) {
        ranks[distinct[rank]] = rank;
    }
    for (SortKey& key : siblings) {
        if (key.type == QMetaType::QString) {
            key.integer = ranks.value(key.text);
            key.text.clear();
        }
    }
}

const ConnectionFilterProxy::SortKey&
ConnectionFilterProxy::cachedSortKey(const QModelIndex& source) const {
    const quintptr siblings = source.internalId();
    if (lastSortKeys_ == nullptr || lastSortKeysId_ != siblings) {
        lastSortKeys_ = &sortKeys_[siblings]; // map nodes stay put as the map grows
        lastSortKeysId_ = siblings;
    }
    std::vector<SortKey>& keys = *lastSortKeys_;
    if (keys.empty()) {
        const QModelIndex parent = source.parent();
        const int rows = sourceModel()->rowCount(parent);
        keys.reserve(static_cast<std::size_t>(rows));
        for (int row = 0; row < rows; ++row) {
            const QModelIndex cell = sourceModel()->index(row, source.column(), parent);
            SortKey key = SortKey::of(sortValue(cell));
            if (flaggedFirst_) {
                key.severity = cell.data(roles::FindingSeverity).toInt();
            }
            keys.push_back(std::move(key));
        }
        SortKey::rankTexts(keys);
    }
    return keys[static_cast<std::size_t>(source.row())];
}

bool ConnectionFilterProxy::inOrder() const {
    // Top-level rows only: looking at children would make the proxy map the rows of every
    // collapsed process, which it otherwise leaves for when they are shown.
    const int rows = rowCount();
    const int column = sortColumn();
    const bool ascending = sortOrder() == Qt::AscendingOrder;
    QModelIndex previous;
    for (int row = 0; row < rows; ++row) {
        const QModelIndex current = mapToSource(index(row, column));
        if (previous.isValid() &&
            (ascending ? lessThan(current, previous) : lessThan(previous, current))) {
            return false;
        }
        previous = current;
    }
    return true;
}

bool ConnectionFilterProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    if (!sortValuesCached_ && model_ != nullptr && model_->applyingUpdate()) {
        // While the model applies an update, Qt sorts each set of rows it maps anew (after a
        // layout change, every process that gets a new connection) and the rows it inserts,
        // reading every value at each comparison; settleAfterUpdate() sorts all of them once
        // more with cached values. Until then, the source order does.
        orderMayHaveChanged_ = true;
        childOrderMayHaveChanged_ = true;
        return left.row() < right.row();
    }
    if (flaggedFirst_) {
        const int leftSeverity = sortValuesCached_ ? cachedSortKey(left).severity
                                                   : left.data(roles::FindingSeverity).toInt();
        const int rightSeverity = sortValuesCached_ ? cachedSortKey(right).severity
                                                    : right.data(roles::FindingSeverity).toInt();
        if (leftSeverity != rightSeverity) {
            // A descending sort reverses this answer; flagged rows stay on top either way.
            const bool ascending = sortOrder() == Qt::AscendingOrder;
            return ascending ? leftSeverity > rightSeverity : leftSeverity < rightSeverity;
        }
    }
    const int order = sortValuesCached_
                          ? SortKey::compare(cachedSortKey(left), cachedSortKey(right))
                          : compareSortValues(sortValue(left), sortValue(right));
    if (order != 0) {
        return order < 0;
    }
    // Ties keep the source order (process key, connection id), so equal rows do not swap
    // places from one update to the next.
    return left.row() < right.row();
}

} // namespace portscope::gui
