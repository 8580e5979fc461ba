#pragma once
// Sorting by the models' sort role and filtering by the core filter query plus the quick
// toggles. In the tree, a process row shows when any of its connections passes, and its
// Connections cell counts the connections shown under it ("3 of 40") while some are hidden.
//
// Qt's dynamic sorting re-sorts on every insert and dataChanged signal; one tick of a busy
// table sends hundreds of those, and at 10k rows that cost 60 ms on the GUI thread. Instead
// the proxy sorts and re-filters once, after the model has applied a whole update, and only
// when the update touched the sort column or the rows a filter hides.

#include <QList>
#include <QSortFilterProxyModel>
#include <QVariant>
#include <memory>
#include <unordered_map>
#include <vector>

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

    // The connection rows under a process row (a source index) that pass, and all of them.
    struct ChildCount {
        int shown = 0;
        int total = 0;
    };
    ChildCount childCount(const QModelIndex& sourceProcess) const;

    QVariant data(const QModelIndex& index, int role) const override;

    // Rows with findings sort above the rest, most severe first, whatever the column and
    // order; within a severity the column decides.
    void setFlaggedFirst(bool flaggedFirst);
    bool flaggedFirst() const { return flaggedFirst_; }

Q_SIGNALS:
    // Around a change of the query or the toggles (not around an update's re-filtering), so
    // that views can keep their selection and expanded rows across it.
    void filterAboutToChange();
    void filterChanged();

protected:
    void sourceRowsInserted(const QModelIndex& parent, int first, int last);
    void sourceDataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight);
    void settleAfterUpdate();
    void forgetSortValues();
    // Filters again for a new query or new toggles.
    void refilter();
    // True when the top-level rows are in the sort order.
    bool inOrder() const;
    // The sort value of a row as it compares fastest: read once per settle for the row and
    // its siblings. A text becomes its rank among the siblings' case-folded texts, so that a
    // sort of 100k rows by process name compares numbers, not strings, at each step.
    struct SortKey {
        int type = 0;          // QMetaType id of the value; UnknownType for an empty cell
        qlonglong integer = 0; // the value, or a text's rank
        qulonglong unsignedInteger = 0;
        double real = 0;
        QString text;
        QByteArray bytes;
        int severity = -1; // roles::FindingSeverity

        static SortKey of(const QVariant& value);
        // Ranks the texts of a set of siblings (of() leaves them folded, unranked).
        static void rankTexts(std::vector<SortKey>& siblings);
        static int compare(const SortKey& a, const SortKey& b); // <0, 0 or >0, same set
    };
    const SortKey& cachedSortKey(const QModelIndex& source) const;
    // The sort value of a source cell: the model's, or the shown count of a process row's
    // Connections cell while filtering.
    QVariant sortValue(const QModelIndex& source) const;
    bool sortsByConnections() const;
    // Whether the connection at `source` (a connection row) passes.
    bool accepts(const QModelIndex& source) const;

    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    UpdateModel* model_ = nullptr;
    int connectionsColumn_ = -1; // the model's Connections column, -1 without one
    QList<QMetaObject::Connection> modelConnections_;
    // Since the last settle; mutable because lessThan() leaves sorting during an update to
    // the settle.
    mutable bool orderMayHaveChanged_ = false;
    mutable bool childOrderMayHaveChanged_ = false; // rows under a parent: inOrder() does not look
    // Since the last settle, a row arrived that brings a hidden process back.
    bool refilterNeeded_ = false;
    bool flaggedFirst_ = false;
    bool sortValuesCached_ = false; // only while settling: the source does not change then
    // The sort values of each set of siblings, by the internal id they share (UpdateModel).
    mutable std::unordered_map<quintptr, std::vector<SortKey>> sortKeys_;
    // The last set looked up: a sort compares siblings, one set after another.
    mutable quintptr lastSortKeysId_ = 0;
    mutable std::vector<SortKey>* lastSortKeys_ = nullptr;
    mutable std::unordered_map<int, ChildCount> childCounts_; // by source row, per update
    std::unique_ptr<core::FilterQuery> query_;
    std::unique_ptr<core::VisibilityToggles> toggles_;
};

} // namespace portscope::gui
