#include "update_model.h"

#include "portscope/core/update.h"

#include <QScopedValueRollback>
#include <algorithm>

namespace portscope::gui {

core::RowChange shownChange(const core::Connection& before, const core::Connection& after) {
    if (after.change == core::RowChange::Added || after.change == core::RowChange::Closed) {
        return after.change;
    }
    const bool visible = before.socket.state != after.socket.state ||
                         before.socket.owner != after.socket.owner || before.open != after.open;
    return visible ? core::RowChange::Changed : core::RowChange::None;
}

bool sameCells(const core::Connection& a, const core::Connection& b) {
    return a.open == b.open && a.socket.state == b.socket.state && a.shortLived == b.shortLived &&
           a.closedUnixMs == b.closedUnixMs && a.hasRate == b.hasRate &&
           a.sendBytesPerSecond == b.sendBytesPerSecond &&
           a.receiveBytesPerSecond == b.receiveBytesPerSecond && a.bytesSent == b.bytesSent &&
           a.bytesReceived == b.bytesReceived && a.socket.owner == b.socket.owner &&
           a.socket.ownerStatus == b.socket.ownerStatus && a.socket.uid == b.socket.uid &&
           a.firstSeenUnixMs == b.firstSeenUnixMs && a.remoteHostName == b.remoteHostName;
}

bool sameCells(const core::ProcessRow& a, const core::ProcessRow& b) {
    const auto& ca = a.counts;
    const auto& cb = b.counts;
    return ca.tcp == cb.tcp && ca.udp == cb.udp && ca.listening == cb.listening &&
           ca.established == cb.established && ca.closedRecently == cb.closedRecently &&
           a.hasRate == b.hasRate && a.sendBytesPerSecond == b.sendBytesPerSecond &&
           a.receiveBytesPerSecond == b.receiveBytesPerSecond &&
           a.bytesSentTotal == b.bytesSentTotal && a.bytesReceivedTotal == b.bytesReceivedTotal &&
           a.process == b.process;
}

bool sameFilteredCells(const core::Connection& a, const core::Connection& b) {
    return a.open == b.open && a.socket.state == b.socket.state &&
           a.socket.owner == b.socket.owner && a.socket.ownerStatus == b.socket.ownerStatus &&
           a.socket.uid == b.socket.uid && a.remoteHostName == b.remoteHostName;
}

bool sameOwnerCells(const core::ProcessRow* a, const core::ProcessRow* b) {
    if (a == nullptr || b == nullptr) {
        return a == b;
    }
    return a->process.name == b->process.name && a->process.userName == b->process.userName &&
           a->process.uid == b->process.uid && a->process.exePath == b->process.exePath &&
           a->process.exeDeleted == b->process.exeDeleted;
}

UpdateModel::UpdateModel(std::vector<Field> fields, QObject* parent)
    : QAbstractItemModel(parent), fields_(std::move(fields)) {}

UpdateModel::~UpdateModel() = default;

void UpdateModel::applyUpdate(const std::shared_ptr<const core::Update>& update) {
    if (!update) {
        return;
    }
    {
        const QScopedValueRollback<bool> applying(applying_, true);
        applyRows(update);
    }
    Q_EMIT updateApplied();
}

int UpdateModel::columnOf(Field field) const {
    const auto it = std::find(fields_.begin(), fields_.end(), field);
    return it == fields_.end() ? -1 : static_cast<int>(it - fields_.begin());
}

Qt::ItemFlags UpdateModel::flags(const QModelIndex& index) const {
    const Qt::ItemFlags flags = QAbstractItemModel::flags(index);
    return connectionAt(index) != nullptr ? flags | Qt::ItemNeverHasChildren : flags;
}

int UpdateModel::columnCount(const QModelIndex& parent) const {
    if (parent.isValid() && parent.column() != 0) {
        return 0;
    }
    return static_cast<int>(fields_.size());
}

QVariant UpdateModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 ||
        section >= static_cast<int>(fields_.size())) {
        return {};
    }
    const Field field = fieldAt(section);
    if (role == Qt::DisplayRole) {
        return fieldTitle(field);
    }
    if (role == Qt::ToolTipRole) {
        return fieldToolTip(field);
    }
    return {};
}

bool UpdateModel::refreshFindingBadges(const core::Update& update) {
    FindingIndex next;
    next.rebuild(update);
    const bool changed = !next.sameBadgesAs(badges_);
    badges_ = std::move(next);
    return changed;
}

void UpdateModel::emitChangedRanges(const std::vector<int>& rows, const QModelIndex& parent) {
    const int lastColumn = columnCount(parent) - 1;
    std::size_t i = 0;
    while (i < rows.size()) {
        std::size_t j = i;
        while (j + 1 < rows.size() && rows[j + 1] == rows[j] + 1) {
            ++j;
        }
        Q_EMIT dataChanged(index(rows[i], 0, parent), index(rows[j], lastColumn, parent));
        i = j + 1;
    }
}

} // namespace portscope::gui
