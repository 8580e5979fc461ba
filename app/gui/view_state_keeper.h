#pragma once
// Keeps a list's selection and its expanded processes across a change of the filter or the
// Show switches. A proxy forgets a row it hides: without this, typing a filter letter by
// letter, or widening it again, dropped the selection and collapsed every process that was
// hidden for a moment. Rows are remembered by what they show (process key, connection id),
// not by position, until the user selects something else.

#include "portscope/core/model.h"

#include <QObject>
#include <cstdint>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

QT_BEGIN_NAMESPACE
class QModelIndex;
class QTreeView;
QT_END_NAMESPACE

namespace portscope::gui {

class ConnectionFilterProxy;

// Not a Q_OBJECT: it has no signals or slots of its own, and moc cannot read core's headers.
class ViewStateKeeper final : public QObject {
public:
    // `view` shows `proxy`; both outlive the keeper.
    ViewStateKeeper(QTreeView* view, ConnectionFilterProxy* proxy, QObject* parent);

private:
    // A row as the user knows it: a process (connection 0) or one of its connections.
    struct RowIdentity {
        core::ProcessKey process; // in the tree: the process row or the connection's parent
        std::uint64_t connection = 0;
        auto operator<=>(const RowIdentity&) const = default;
    };
    // Where the model's rows are now, keyed by identity.
    struct RowLookup {
        std::unordered_map<std::uint64_t, int> connectionRows; // flat rows
        std::vector<std::pair<core::ProcessKey, int>> processRows;
        std::optional<int> processRow(const core::ProcessKey& key) const;
    };

    void rememberSelection();
    void beforeFilterChange();
    void afterFilterChange();
    RowIdentity identityOf(const QModelIndex& source) const;
    RowLookup lookup() const;
    QModelIndex sourceIndexOf(const RowIdentity& identity, const RowLookup& rows) const;
    bool keepsExpansion() const;

    QTreeView* view_;
    ConnectionFilterProxy* proxy_;
    bool filterChanging_ = false;
    std::vector<RowIdentity> selected_;
    std::optional<RowIdentity> current_;
    std::set<core::ProcessKey> expanded_;
};

} // namespace portscope::gui
