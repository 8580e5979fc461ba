#include "process_tree_model.h"

#include "portscope/core/update.h"
#include "row_sync.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace portscope::gui {

namespace {

struct ConnectionNode {
    std::uint64_t id = 0;
    const core::Connection* connection = nullptr;
    RowHighlight highlight;
    bool fresh = false; // inserted by the update being applied
};

// The figures of the group row that holds connections no process owns.
core::ProcessRow unownedSummary(const std::vector<const core::Connection*>& connections) {
    core::ProcessRow summary;
    for (const core::Connection* connection : connections) {
        summary.counts.add(*connection);
        if (connection->hasRate) {
            summary.hasRate = true;
            summary.sendBytesPerSecond += connection->sendBytesPerSecond;
            summary.receiveBytesPerSecond += connection->receiveBytesPerSecond;
        }
        summary.bytesSentTotal += connection->bytesSent;
        summary.bytesReceivedTotal += connection->bytesReceived;
    }
    return summary;
}

} // namespace

struct ProcessTreeModel::ProcessNode {
    core::ProcessKey key;
    const core::ProcessRow* row = nullptr; // null for the unowned group
    core::ProcessRow unowned;              // the group's own figures
    RowHighlight highlight;
    bool fresh = false;
    std::vector<ConnectionNode> children;
    const core::ProcessRow& shown() const { return row != nullptr ? *row : unowned; }
};

// What the next update holds for one top-level row.
struct ProcessTreeModel::Group {
    core::ProcessKey key;
    const core::ProcessRow* row = nullptr;
    std::vector<const core::Connection*> connections;
};

ProcessTreeModel::ProcessTreeModel(QObject* parent) : UpdateModel(defaultFields(), parent) {}

ProcessTreeModel::~ProcessTreeModel() = default;

std::vector<Field> ProcessTreeModel::defaultFields() {
    return {Field::Name,  Field::Severity,    Field::Change,   Field::Pid,
            Field::User,  Field::Connections, Field::Local,    Field::Remote,
            Field::State, Field::Scope,       Field::SendRate, Field::ReceiveRate,
            Field::Bytes, Field::Age,         Field::Finding,  Field::Path};
}

std::vector<ProcessTreeModel::Group> ProcessTreeModel::groupsOf(const core::Update& update) {
    std::vector<Group> groups;
    groups.reserve(update.processes.size() + 1);
    groups.push_back(Group{core::ProcessKey{}, nullptr, {}}); // the unowned group sorts first
    for (const auto& process : update.processes) {
        groups.push_back(
            Group{process.process.key, process.process.key.valid() ? &process : nullptr, {}});
    }
    for (const auto& connection : update.connections) {
        const core::ProcessRow* owner =
            connection.socket.owner.valid() ? update.findProcess(connection.socket.owner) : nullptr;
        const std::size_t slot =
            owner != nullptr ? 1 + static_cast<std::size_t>(owner - update.processes.data()) : 0;
        groups[slot].connections.push_back(&connection);
    }
    // Rows with a key that cannot be a process are left out; their sockets went unowned above.
    groups.erase(std::remove_if(groups.begin() + 1, groups.end(),
                                [](const Group& group) { return group.row == nullptr; }),
                 groups.end());
    if (groups.front().connections.empty()) {
        groups.erase(groups.begin());
    }
    return groups;
}

void ProcessTreeModel::applyRows(const std::shared_ptr<const core::Update>& update) {
    filteredCellsChanged_ = false;
    const std::vector<Group> groups = groupsOf(*update);
    auto buildNode = [](const Group& group, bool initial) {
        auto node = std::make_unique<ProcessNode>();
        node->key = group.key;
        node->row = group.row;
        if (group.row == nullptr) {
            node->unowned = unownedSummary(group.connections);
        }
        const core::ProcessRow& shown = node->shown();
        const bool open = group.row == nullptr || shown.counts.tcp + shown.counts.udp > 0;
        // The unowned group is bookkeeping, not an event: it never lights up as new.
        const bool announce = !initial && group.row != nullptr;
        node->highlight.advance(announce ? core::RowChange::Added : core::RowChange::None, open,
                                announce);
        node->children.reserve(group.connections.size());
        for (const core::Connection* connection : group.connections) {
            ConnectionNode child{connection->id, connection, {}, false};
            child.highlight.advance(initial ? core::RowChange::None : connection->change,
                                    connection->open, !initial);
            node->children.push_back(child);
        }
        return node;
    };

    if (!current_) {
        beginResetModel();
        refreshFindingBadges(*update);
        current_ = update;
        nodes_.clear();
        nodes_.reserve(groups.size());
        for (const Group& group : groups) {
            nodes_.push_back(buildNode(group, true));
        }
        endResetModel();
        return;
    }

    // The previous update stays alive until the end: kept rows still point into it.
    const std::shared_ptr<const core::Update> previous = current_;
    const bool badgesChanged = refreshFindingBadges(*update);
    syncRows(
        nodes_, groups, [](const std::unique_ptr<ProcessNode>& node) { return node->key; },
        [](const Group& group) { return group.key; },
        [&](const Group& group) {
            auto node = buildNode(group, false);
            node->fresh = true;
            return node;
        },
        [this](int first, int last) { beginRemoveRows({}, first, last); },
        [this] { endRemoveRows(); },
        [this](int first, int last) { beginInsertRows({}, first, last); },
        [this] { endInsertRows(); });

    removeScatteredGoneChildren(groups);

    std::vector<int> changedProcesses;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        ProcessNode& node = *nodes_[i];
        const Group& group = groups[i];
        if (node.fresh) {
            node.fresh = false;
            continue;
        }
        syncChildren(node, static_cast<int>(i), group);

        const core::ProcessRow before = node.shown();
        const RowHighlight highlightBefore = node.highlight;
        node.row = group.row;
        if (group.row == nullptr) {
            node.unowned = unownedSummary(group.connections);
        }
        const core::ProcessRow& after = node.shown();
        const bool open = group.row == nullptr || after.counts.tcp + after.counts.udp > 0;
        node.highlight.advance(group.row != nullptr ? after.change : core::RowChange::None, open,
                               false);
        if (!(before.process == after.process)) {
            filteredCellsChanged_ = true; // name, user or path: read by proc:, user:, text
        }
        if (!(node.highlight == highlightBefore) || !sameCells(before, after)) {
            changedProcesses.push_back(static_cast<int>(i));
        }
    }
    current_ = update;
    emitChangedRanges(changedProcesses, {});
    if (badgesChanged) {
        emitFindingColumnChanged();
    }
}

void ProcessTreeModel::removeScatteredGoneChildren(const std::vector<Group>& groups) {
    std::vector<std::vector<bool>> kept(nodes_.size());
    std::vector<std::size_t> runsOf(nodes_.size(), 0);
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        if (!nodes_[i]->fresh) {
            runsOf[i] = markKeptRows(
                nodes_[i]->children, groups[i].connections,
                [](const ConnectionNode& child) { return child.id; },
                [](const core::Connection* connection) { return connection->id; }, kept[i]);
        }
    }
    if (std::accumulate(runsOf.begin(), runsOf.end(), std::size_t{0}) <=
        kGoneRunsWorthALayoutChange) {
        return;
    }
    // One layout change for all processes: a proxy maps and sorts everything anew on each.
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::NoLayoutChangeHint);
    std::unordered_map<const ProcessNode*, std::vector<int>> newRows;
    std::vector<std::size_t> keptCounts(nodes_.size(), 0);
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        ProcessNode& node = *nodes_[i];
        if (runsOf[i] == 0) {
            keptCounts[i] = node.children.size();
            continue;
        }
        keptCounts[i] = moveGoneRowsToEnd(node.children, kept[i], newRows[&node]);
    }
    const QModelIndexList before = persistentIndexList();
    QModelIndexList after;
    after.reserve(before.size());
    for (const QModelIndex& index : before) {
        const auto moved =
            index.internalPointer() != nullptr ? newRows.find(nodeOf(index)) : newRows.end();
        after.push_back(moved == newRows.end()
                            ? index
                            : createIndex(moved->second[static_cast<std::size_t>(index.row())],
                                          index.column(), index.internalPointer()));
    }
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::NoLayoutChangeHint);

    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        ProcessNode& node = *nodes_[i];
        if (keptCounts[i] == node.children.size()) {
            continue;
        }
        beginRemoveRows(createIndex(static_cast<int>(i), 0, nullptr),
                        static_cast<int>(keptCounts[i]),
                        static_cast<int>(node.children.size()) - 1);
        node.children.resize(keptCounts[i]);
        endRemoveRows();
    }
}

void ProcessTreeModel::syncChildren(ProcessNode& node, int nodeRow, const Group& group) {
    const QModelIndex parentIndex = createIndex(nodeRow, 0, nullptr);
    syncRows(
        node.children, group.connections, [](const ConnectionNode& child) { return child.id; },
        [](const core::Connection* connection) { return connection->id; },
        [](const core::Connection* connection) {
            ConnectionNode child{connection->id, connection, {}, true};
            child.highlight.advance(connection->change, connection->open, true);
            return child;
        },
        [&](int first, int last) { beginRemoveRows(parentIndex, first, last); },
        [this] { endRemoveRows(); },
        [&](int first, int last) { beginInsertRows(parentIndex, first, last); },
        [this] { endInsertRows(); });

    std::vector<int> changed;
    for (std::size_t i = 0; i < node.children.size(); ++i) {
        ConnectionNode& child = node.children[i];
        const core::Connection* next = group.connections[i];
        if (child.fresh) {
            child.fresh = false;
            continue;
        }
        const RowHighlight before = child.highlight;
        child.highlight.advance(shownChange(*child.connection, *next), next->open, false);
        if (!sameFilteredCells(*child.connection, *next)) {
            filteredCellsChanged_ = true;
        }
        if (!(child.highlight == before) || !sameCells(*child.connection, *next)) {
            changed.push_back(static_cast<int>(i));
        }
        child.connection = next;
    }
    emitChangedRanges(changed, parentIndex);
}

void ProcessTreeModel::emitFindingColumnChanged() {
    // Whole rows: the severity tint colours every column.
    const int lastColumn = columnCount() - 1;
    if (nodes_.empty()) {
        return;
    }
    Q_EMIT dataChanged(index(0, 0), index(static_cast<int>(nodes_.size()) - 1, lastColumn));
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        const auto& children = nodes_[i]->children;
        if (!children.empty()) {
            const QModelIndex parentIndex = createIndex(static_cast<int>(i), 0, nullptr);
            Q_EMIT dataChanged(
                index(0, 0, parentIndex),
                index(static_cast<int>(children.size()) - 1, lastColumn, parentIndex));
        }
    }
}

void ProcessTreeModel::clear() {
    beginResetModel();
    nodes_.clear();
    current_.reset();
    badges_.clear();
    endResetModel();
}

int ProcessTreeModel::rowOfNode(const ProcessNode* node) const {
    const auto it =
        std::lower_bound(nodes_.begin(), nodes_.end(), node->key,
                         [](const std::unique_ptr<ProcessNode>& candidate,
                            const core::ProcessKey& key) { return candidate->key < key; });
    if (it == nodes_.end() || it->get() != node) {
        return -1;
    }
    return static_cast<int>(it - nodes_.begin());
}

ProcessTreeModel::ProcessNode* ProcessTreeModel::nodeOf(const QModelIndex& index) const {
    return static_cast<ProcessNode*>(index.internalPointer());
}

QModelIndex ProcessTreeModel::indexOfProcess(const core::ProcessKey& key) const {
    const auto it =
        std::lower_bound(nodes_.begin(), nodes_.end(), key,
                         [](const std::unique_ptr<ProcessNode>& candidate,
                            const core::ProcessKey& wanted) { return candidate->key < wanted; });
    if (it == nodes_.end() || (*it)->key != key) {
        return {};
    }
    return createIndex(static_cast<int>(it - nodes_.begin()), 0, nullptr);
}

QModelIndex ProcessTreeModel::index(int row, int column, const QModelIndex& parent) const {
    // Not columnCount(): a sort asks for an index at each comparison.
    if (row < 0 || column < 0 || column >= static_cast<int>(fields().size())) {
        return {};
    }
    if (!parent.isValid()) {
        if (row >= static_cast<int>(nodes_.size())) {
            return {};
        }
        return createIndex(row, column, nullptr);
    }
    if (parent.internalPointer() != nullptr || parent.row() >= static_cast<int>(nodes_.size())) {
        return {}; // connection rows have no children
    }
    ProcessNode* node = nodes_[static_cast<std::size_t>(parent.row())].get();
    if (row >= static_cast<int>(node->children.size())) {
        return {};
    }
    return createIndex(row, column, node);
}

QModelIndex ProcessTreeModel::parent(const QModelIndex& child) const {
    if (!child.isValid() || child.internalPointer() == nullptr) {
        return {};
    }
    const int row = rowOfNode(nodeOf(child));
    return row < 0 ? QModelIndex() : createIndex(row, 0, nullptr);
}

int ProcessTreeModel::rowCount(const QModelIndex& parent) const {
    if (!parent.isValid()) {
        return static_cast<int>(nodes_.size());
    }
    if (parent.internalPointer() != nullptr || parent.column() != 0 ||
        parent.row() >= static_cast<int>(nodes_.size())) {
        return 0;
    }
    return static_cast<int>(nodes_[static_cast<std::size_t>(parent.row())]->children.size());
}

bool ProcessTreeModel::hasChildren(const QModelIndex& parent) const {
    return rowCount(parent) > 0;
}

const core::Connection* ProcessTreeModel::connectionAt(const QModelIndex& index) const {
    if (!index.isValid() || index.model() != this || index.internalPointer() == nullptr) {
        return nullptr;
    }
    const ProcessNode* node = nodeOf(index);
    if (index.row() >= static_cast<int>(node->children.size())) {
        return nullptr;
    }
    return node->children[static_cast<std::size_t>(index.row())].connection;
}

const core::ProcessRow* ProcessTreeModel::processAt(const QModelIndex& index) const {
    if (!index.isValid() || index.model() != this) {
        return nullptr;
    }
    if (index.internalPointer() != nullptr) {
        return nodeOf(index)->row;
    }
    if (index.row() >= static_cast<int>(nodes_.size())) {
        return nullptr;
    }
    return nodes_[static_cast<std::size_t>(index.row())]->row;
}

QVariant ProcessTreeModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid()) {
        return {};
    }
    const Field field = fieldAt(index.column());
    if (index.internalPointer() == nullptr) {
        if (index.row() >= static_cast<int>(nodes_.size())) {
            return {};
        }
        const ProcessNode& node = *nodes_[static_cast<std::size_t>(index.row())];
        if (QVariant value = findingRowCell(field, badges_.forProcess(node.key), role);
            value.isValid()) {
            return value;
        }
        return processCell(field, node.shown(), node.highlight, role, current_.get());
    }
    const ProcessNode* node = nodeOf(index);
    if (index.row() >= static_cast<int>(node->children.size())) {
        return {};
    }
    const ConnectionNode& child = node->children[static_cast<std::size_t>(index.row())];
    const bool rowWide = role == Qt::BackgroundRole || role == roles::HighlightKind;
    if (QVariant value = findingRowCell(field, badges_.forConnection(child.id), role);
        value.isValid()) {
        return value;
    }
    switch (field) {
    case Field::Name:
        // The process is the parent row; its connection rows lead with their protocol.
        return connectionCell(Field::Protocol, *child.connection, node->row, child.highlight, role,
                              current_ ? current_->unixMs : 0);
    case Field::Pid:
    case Field::User:
    case Field::Path:
    case Field::Connections:
        if (!rowWide) {
            return {}; // shown once, on the process row
        }
        break;
    default:
        break;
    }
    return connectionCell(field, *child.connection, node->row, child.highlight, role,
                          current_ ? current_->unixMs : 0);
}

} // namespace portscope::gui
