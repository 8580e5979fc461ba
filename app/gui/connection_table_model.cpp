#include "connection_table_model.h"

#include "portscope/core/update.h"
#include "row_sync.h"

namespace portscope::gui {

ConnectionTableModel::ConnectionTableModel(QObject* parent)
    : UpdateModel(defaultFields(), parent) {}

ConnectionTableModel::~ConnectionTableModel() = default;

std::vector<Field> ConnectionTableModel::defaultFields() {
    // Who first: the process and its findings are what a user scans the list for.
    return {Field::Change,   Field::Name,     Field::Severity,    Field::Pid,
            Field::Protocol, Field::Local,    Field::Remote,      Field::State,
            Field::Scope,    Field::SendRate, Field::ReceiveRate, Field::Bytes,
            Field::Age,      Field::Finding,  Field::User,        Field::Path};
}

void ConnectionTableModel::applyRows(const std::shared_ptr<const core::Update>& update) {
    const auto& connections = update->connections;
    if (!current_) {
        beginResetModel();
        refreshFindingBadges(*update);
        current_ = update;
        rows_.clear();
        rows_.reserve(connections.size());
        for (const auto& connection : connections) {
            Row row{connection.id,
                    &connection,
                    update->findProcess(connection.socket.owner),
                    {},
                    false};
            // Everything is new in the first update; marking it all green would say nothing.
            row.highlight.advance(core::RowChange::None, connection.open, false);
            rows_.push_back(row);
        }
        endResetModel();
        return;
    }

    // The previous update stays alive until the end: kept rows still point into it.
    const std::shared_ptr<const core::Update> previous = current_;
    const bool badgesChanged = refreshFindingBadges(*update);
    filteredCellsChanged_ = false;
    removeScatteredGoneRows(connections);
    syncRows(
        rows_, connections, [](const Row& row) { return row.id; },
        [](const core::Connection& connection) { return connection.id; },
        [&](const core::Connection& connection) {
            Row row{
                connection.id, &connection, update->findProcess(connection.socket.owner), {}, true};
            row.highlight.advance(connection.change, connection.open, true);
            return row;
        },
        [this](int first, int last) { beginRemoveRows({}, first, last); },
        [this] { endRemoveRows(); },
        [this](int first, int last) { beginInsertRows({}, first, last); },
        [this] { endInsertRows(); });

    std::vector<int> changed;
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        Row& row = rows_[i];
        if (row.fresh) {
            row.fresh = false; // built from this update by the insert above
            continue;
        }
        const core::Connection& next = connections[i];
        const core::ProcessRow* owner = update->findProcess(next.socket.owner);
        const RowHighlight before = row.highlight;
        row.highlight.advance(shownChange(*row.connection, next), next.open, false);
        if (!sameFilteredCells(*row.connection, next) || !sameOwnerCells(row.owner, owner)) {
            filteredCellsChanged_ = true;
        }
        if (!(row.highlight == before) || !sameCells(*row.connection, next) ||
            !sameOwnerCells(row.owner, owner)) {
            changed.push_back(static_cast<int>(i));
        }
        row.connection = &next;
        row.owner = owner;
    }
    current_ = update;
    emitChangedRanges(changed, {});
    if (badgesChanged && !rows_.empty()) {
        // Whole rows: the severity tint colours every column.
        Q_EMIT dataChanged(index(0, 0),
                           index(static_cast<int>(rows_.size()) - 1, columnCount() - 1));
    }
}

void ConnectionTableModel::removeScatteredGoneRows(const std::vector<core::Connection>& next) {
    std::vector<bool> kept;
    const std::size_t runs = markKeptRows(
        rows_, next, [](const Row& row) { return row.id; },
        [](const core::Connection& connection) { return connection.id; }, kept);
    if (runs <= kGoneRunsWorthALayoutChange) {
        return; // syncRows() removes the few runs one by one
    }
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::NoLayoutChangeHint);
    std::vector<int> newRow;
    const std::size_t keptCount = moveGoneRowsToEnd(rows_, kept, newRow);
    const QModelIndexList before = persistentIndexList();
    QModelIndexList after;
    after.reserve(before.size());
    for (const QModelIndex& index : before) {
        after.push_back(createIndex(newRow[static_cast<std::size_t>(index.row())], index.column()));
    }
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::NoLayoutChangeHint);

    beginRemoveRows({}, static_cast<int>(keptCount), static_cast<int>(rows_.size()) - 1);
    rows_.resize(keptCount);
    endRemoveRows();
}

void ConnectionTableModel::clear() {
    beginResetModel();
    rows_.clear();
    current_.reset();
    badges_.clear();
    endResetModel();
}

const core::Connection* ConnectionTableModel::connectionAt(const QModelIndex& index) const {
    if (!index.isValid() || index.model() != this ||
        index.row() >= static_cast<int>(rows_.size())) {
        return nullptr;
    }
    return rows_[static_cast<std::size_t>(index.row())].connection;
}

const core::ProcessRow* ConnectionTableModel::processAt(const QModelIndex& index) const {
    if (!index.isValid() || index.model() != this ||
        index.row() >= static_cast<int>(rows_.size())) {
        return nullptr;
    }
    return rows_[static_cast<std::size_t>(index.row())].owner;
}

QModelIndex ConnectionTableModel::index(int row, int column, const QModelIndex& parent) const {
    // Not columnCount(): a sort asks for an index at each comparison.
    if (parent.isValid() || row < 0 || column < 0 || row >= static_cast<int>(rows_.size()) ||
        column >= static_cast<int>(fields().size())) {
        return {};
    }
    return createIndex(row, column);
}

QModelIndex ConnectionTableModel::parent(const QModelIndex&) const {
    return {};
}

int ConnectionTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

bool ConnectionTableModel::hasChildren(const QModelIndex& parent) const {
    return !parent.isValid() && !rows_.empty();
}

QVariant ConnectionTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= static_cast<int>(rows_.size())) {
        return {};
    }
    const Row& row = rows_[static_cast<std::size_t>(index.row())];
    // A flat row carries its own findings and those of its process, so that every row of a
    // flagged process stands out.
    const FindingBadge badge = strongerBadge(
        badges_.forConnection(row.id),
        row.owner != nullptr ? badges_.forProcess(row.owner->process.key) : FindingBadge{});
    if (QVariant value = findingRowCell(fieldAt(index.column()), badge, role); value.isValid()) {
        return value;
    }
    return connectionCell(fieldAt(index.column()), *row.connection, row.owner, row.highlight, role,
                          current_ ? current_->unixMs : 0, current_.get());
}

} // namespace portscope::gui
