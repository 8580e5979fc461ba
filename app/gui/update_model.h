#pragma once
// The common face of the two views' models: each adapts a stream of core Updates to Qt,
// applying every update as a diff so that selection and scroll position survive.

#include "finding_format.h"
#include "row_format.h"

#include <QAbstractItemModel>
#include <memory>
#include <vector>

namespace portscope::core {
struct Connection;
struct ProcessRow;
struct Update;
} // namespace portscope::core

namespace portscope::gui {

// True when every cell of the two versions of a row would look the same (the highlight
// aside, which the models compare themselves).
bool sameCells(const core::Connection& before, const core::Connection& after);
bool sameCells(const core::ProcessRow& before, const core::ProcessRow& after);
// Compares what the filter bar and the quick toggles read of a connection (state, owner,
// host name, open or closed); traffic and age are left out.
bool sameFilteredCells(const core::Connection& before, const core::Connection& after);
// Compares the owner columns a flat row shows; either may be null.
bool sameOwnerCells(const core::ProcessRow* before, const core::ProcessRow* after);

// The change a row shows between two versions: the tracker also reports queue movements as
// changes, which would keep busy rows yellow all the time; users look for state and owner.
core::RowChange shownChange(const core::Connection& before, const core::Connection& after);

// Both models give every index the same internal id as its siblings (the parent's node, or
// none for top-level rows); the proxy keys its cache of sort values on it.
class UpdateModel : public QAbstractItemModel {
    Q_OBJECT
public:
    UpdateModel(std::vector<Field> fields, QObject* parent);
    ~UpdateModel() override;

    // Applies one update as inserts, removes and batched dataChanged ranges; only the first
    // update after construction or clear() resets the model. Emits updateApplied() after.
    void applyUpdate(const std::shared_ptr<const core::Update>& update);
    virtual void clear() = 0;
    // True while applyUpdate() changes the rows, until just before updateApplied(): a proxy
    // can leave what it would redo after the update anyway (see ConnectionFilterProxy).
    bool applyingUpdate() const { return applying_; }

    // The connection a row shows, or null for a process row.
    virtual const core::Connection* connectionAt(const QModelIndex& index) const = 0;
    // The process a row shows, or the owner of a connection row; null when unknown.
    virtual const core::ProcessRow* processAt(const QModelIndex& index) const = 0;

    const std::shared_ptr<const core::Update>& currentUpdate() const { return current_; }
    // The findings attached to rows of the update being shown.
    const FindingIndex& findingBadges() const { return badges_; }
    const std::vector<Field>& fields() const { return fields_; }
    Field fieldAt(int column) const { return fields_.at(static_cast<std::size_t>(column)); }
    int columnOf(Field field) const; // -1 when the model has no such column

    int columnCount(const QModelIndex& parent = {}) const override;
    // Connection rows are flagged ItemNeverHasChildren, so that a view laying out its rows
    // need not ask each of them for children.
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // Whether the last applyUpdate() changed a cell that filters read (see
    // sameFilteredCells); rows it added or removed are not counted, proxies filter those as
    // they arrive. Lets a filtering proxy skip re-filtering ticks that only moved traffic.
    bool filteredCellsChanged() const { return filteredCellsChanged_; }

Q_SIGNALS:
    // Emitted after each applied update. Ages are computed against the update's time, so
    // views repaint on this signal rather than receiving a dataChanged for every row.
    void updateApplied();

protected:
    // The model's part of applyUpdate(): the reset or the diff, with its signals.
    virtual void applyRows(const std::shared_ptr<const core::Update>& update) = 0;

    // Emits dataChanged for each run of consecutive rows in `rows` (ascending).
    void emitChangedRanges(const std::vector<int>& rows, const QModelIndex& parent);

    // Rebuilds the badges for `update`; true when some row's badge changed, in which case the
    // Finding column needs repainting even on rows whose own data did not change.
    bool refreshFindingBadges(const core::Update& update);

    std::shared_ptr<const core::Update> current_;
    FindingIndex badges_;
    bool filteredCellsChanged_ = false;

private:
    std::vector<Field> fields_;
    bool applying_ = false;
};

} // namespace portscope::gui
