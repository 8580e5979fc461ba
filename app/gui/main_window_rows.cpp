// What the window does with one row: its right-click menu (RowContextMenu) and its properties
// window (ProcessPropertiesDialog), and how folders and web pages are opened for them.

#include "connection_filter_proxy.h"
#include "main_window.h"
#include "portscope/core/update.h"
#include "process_details_panel.h"
#include "process_parents.h"
#include "process_properties_dialog.h"
#include "row_context_menu.h"
#include "update_model.h"

#include <QDesktopServices>
#include <QItemSelectionModel>
#include <QMenu>
#include <QTreeView>
#include <QUrl>

namespace portscope::gui {

ProcessPropertiesDialog* MainWindow::showProcessProperties() {
    const core::ProcessRow* row = selectedProcess();
    if (row == nullptr || !row->process.key.valid()) {
        showActionMessage(tr("Select a process, or a connection that has one, to see its "
                             "properties."),
                          false);
        return nullptr;
    }
    const core::ProcessKey key = row->process.key;
    const std::pair<std::int32_t, std::uint64_t> id{key.pid, key.startTime};
    for (ProcessPropertiesDialog* open : findChildren<ProcessPropertiesDialog*>()) {
        if (open->isVisible() && open->process() == id) {
            open->raise();
            open->activateWindow();
            return open;
        }
    }
    auto* dialog = new ProcessPropertiesDialog(
        *row, latest_.get(), ProcessParents::shared().describe(row->process, latest_.get()),
        processPanel_->computedHash(key.pid, key.startTime), this);
    dialog->show();
    return dialog;
}

std::unique_ptr<QMenu> MainWindow::rowContextMenu(const QModelIndex& index) {
    QTreeView* view = activeView();
    if (!index.isValid()) {
        return nullptr;
    }
    // The actions lent to the menu act on the selection: make sure it holds the clicked row
    // (a right-click on a row that is part of a larger selection keeps that selection).
    if (!view->selectionModel()->isSelected(index.siblingAtColumn(0))) {
        view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                           QItemSelectionModel::Rows);
    }
    onSelectionChanged();

    const UpdateModel* model = activeProxy()->updateModel();
    const QModelIndex source = activeProxy()->mapToSource(index);
    RowContextMenu::Target target;
    if (const core::ProcessRow* process = model->processAt(source)) {
        target.process = *process;
    }
    if (const core::Connection* connection = model->connectionAt(source)) {
        target.connection = *connection;
    }
    RowContextMenu::Hooks hooks;
    hooks.properties = propertiesAction_;
    hooks.closeConnection = closeConnectionAction_;
    hooks.killProcess = killAction_;
    hooks.captureTraffic = captureAction_;
    hooks.copyRows = [this] { copySelection(); };
    hooks.setFilter = [this](const QString& filter) { applyFilterText(filter); };
    hooks.openUrl = [this](const QUrl& url) { return openUrl(url); };
    hooks.lookupTemplate = RowContextMenu::lookupTemplate();
    return RowContextMenu::build(target, hooks, this);
}

void MainWindow::showRowContextMenu(QTreeView* view, const QPoint& position) {
    if (view != activeView()) {
        return;
    }
    if (const std::unique_ptr<QMenu> menu = rowContextMenu(view->indexAt(position))) {
        menu->exec(view->viewport()->mapToGlobal(position));
    }
}

void MainWindow::onRowDoubleClicked(QTreeView* view, const QModelIndex& index) {
    const core::ProcessRow* row =
        activeProxy()->updateModel()->processAt(activeProxy()->mapToSource(index));
    if (row != nullptr && row->process.key.valid()) {
        showProcessProperties();
        return;
    }
    // The group of sockets no process owns has no properties; it folds as it used to.
    const QModelIndex first = index.siblingAtColumn(0);
    if (view->model()->hasChildren(first)) {
        view->setExpanded(first, !view->isExpanded(first));
    }
}

void MainWindow::setUrlOpener(std::function<bool(const QUrl&)> opener) {
    urlOpener_ = std::move(opener);
}

bool MainWindow::openUrl(const QUrl& url) {
    const bool opened = urlOpener_ ? urlOpener_(url) : QDesktopServices::openUrl(url);
    if (!opened) {
        showActionMessage(tr("Could not open %1: no program is set up to open it.")
                              .arg(url.isLocalFile() ? url.toLocalFile() : url.toDisplayString()),
                          false);
    }
    return opened;
}

} // namespace portscope::gui
