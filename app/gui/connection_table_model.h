#pragma once
// The flat view: one row per connection (open ones and tombstones), in connection-id order;
// the proxy sorts and filters.

#include "update_model.h"

#include <cstdint>
#include <vector>

namespace portscope::gui {

class ConnectionTableModel final : public UpdateModel {
    Q_OBJECT
public:
    explicit ConnectionTableModel(QObject* parent = nullptr);
    ~ConnectionTableModel() override;

    static std::vector<Field> defaultFields();

    void clear() override;
    const core::Connection* connectionAt(const QModelIndex& index) const override;
    const core::ProcessRow* processAt(const QModelIndex& index) const override;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;

protected:
    void applyRows(const std::shared_ptr<const core::Update>& update) override;

private:
    // Removes the rows whose connection `next` no longer lists when they are many and
    // scattered; syncRows() handles the usual few.
    void removeScatteredGoneRows(const std::vector<core::Connection>& next);

    struct Row {
        std::uint64_t id = 0;
        const core::Connection* connection = nullptr;
        const core::ProcessRow* owner = nullptr;
        RowHighlight highlight;
        bool fresh = false; // inserted by the update being applied
    };
    std::vector<Row> rows_;
};

} // namespace portscope::gui
