#pragma once
// Sorting by the models' sort role and filtering by the core filter query plus the quick
// toggles. In the tree, a process row shows when any of its connections passes.

#include <QSortFilterProxyModel>
#include <memory>

namespace portscope::core {
class FilterQuery;
struct VisibilityToggles;
} // namespace portscope::core

namespace portscope::gui {

class UpdateModel;

class ConnectionFilterProxy final : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit ConnectionFilterProxy(QObject* parent = nullptr);
    ~ConnectionFilterProxy() override;

    void setUpdateModel(UpdateModel* model);
    UpdateModel* updateModel() const { return model_; }

    void setQuery(const core::FilterQuery& query);
    void setToggles(const core::VisibilityToggles& toggles);
    const core::FilterQuery& query() const;
    const core::VisibilityToggles& toggles() const;
    // False when the query is empty and every toggle shows its rows.
    bool filtering() const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    UpdateModel* model_ = nullptr;
    std::unique_ptr<core::FilterQuery> query_;
    std::unique_ptr<core::VisibilityToggles> toggles_;
};

} // namespace portscope::gui
