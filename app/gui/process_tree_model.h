#pragma once
// The grouped view: one row per process with its connections as children. Connections no
// process owns (TIME_WAIT, hidden owners) sit under a "(no process)" group row.

#include "update_model.h"

#include <cstdint>
#include <memory>

namespace portscope::core {
struct ProcessKey;
}

namespace portscope::gui {

class ProcessTreeModel final : public UpdateModel {
    Q_OBJECT
public:
    explicit ProcessTreeModel(QObject* parent = nullptr);
    ~ProcessTreeModel() override;

    static std::vector<Field> defaultFields();

    void clear() override;
    const core::Connection* connectionAt(const QModelIndex& index) const override;
    const core::ProcessRow* processAt(const QModelIndex& index) const override;

    // The top-level row of a process (column 0), or an invalid index.
    QModelIndex indexOfProcess(const core::ProcessKey& key) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;

protected:
    void applyRows(const std::shared_ptr<const core::Update>& update) override;

private:
    struct ProcessNode;
    struct Group;

    static std::vector<Group> groupsOf(const core::Update& update);
    void syncChildren(ProcessNode& node, int nodeRow, const Group& group);
    // Removes the connection rows `groups` no longer lists when they are many and scattered,
    // for every process at once; syncChildren() handles the usual few. nodes_ must match
    // groups row for row.
    void removeScatteredGoneChildren(const std::vector<Group>& groups);
    ProcessNode* nodeOf(const QModelIndex& index) const; // the parent node for child rows
    int rowOfNode(const ProcessNode* node) const;
    void emitFindingColumnChanged();

    std::vector<std::unique_ptr<ProcessNode>> nodes_; // sorted by key
};

} // namespace portscope::gui
