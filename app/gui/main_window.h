#pragma once
// The main window: process tree or flat connection table, filter bar with quick toggles,
// detail tabs (traffic chart, process details, findings), toolbar and status bar. It only
// adapts Updates from the engine to widgets; every decision about data lives in core.

#include <QMainWindow>
#include <array>
#include <cstdint>
#include <memory>

QT_BEGIN_NAMESPACE
class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QSplitter;
class QStackedWidget;
class QTabWidget;
class QTimer;
class QTreeView;
QT_END_NAMESPACE

namespace portscope::core {
class SnapshotSource;
struct Connection;
struct ProcessRow;
struct Update;
} // namespace portscope::core

namespace portscope::gui {

class ConnectionFilterProxy;
struct SystemActions;
class ConnectionTableModel;
class MonitorSession;
class ProcessDetailsPanel;
class ProcessTreeModel;
class TrafficChart;
class UpdateModel;

enum class ExportFormat { Csv, Json, Html };

class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(SystemActions actions, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Starts monitoring `source`, replacing the current session. Returns false (and says
    // why in a message box) when the engine refuses it.
    bool openSource(std::unique_ptr<core::SnapshotSource> source);
    bool openLiveSource();
    bool openReplayFile(const QString& path);

    bool exportTo(const QString& path, ExportFormat format, QString* error);

    void setPaused(bool paused);
    bool isPaused() const;
    void refreshNow();
    // Applies at once; values outside the engine's range are clamped.
    void setIntervalMs(int milliseconds);
    int intervalMs() const;
    void setGrouped(bool grouped);
    bool isGrouped() const;
    // Parses and applies the filter now (typing waits a moment first).
    void applyFilterText(const QString& text);

    void killSelectedProcess();
    void closeSelectedConnection();
    void copySelection();

    MonitorSession* session() const { return session_.get(); }
    ProcessTreeModel* treeModel() const { return treeModel_; }
    ConnectionTableModel* tableModel() const { return tableModel_; }
    ConnectionFilterProxy* activeProxy() const;
    QTreeView* activeView() const;
    const std::shared_ptr<const core::Update>& latestUpdate() const { return latest_; }

Q_SIGNALS:
    // An update reached the widgets.
    void updateShown(std::uint64_t sequence);
    // A kill or close finished off the GUI thread.
    void actionCompleted(bool ok, const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildActions();
    void buildMenus();
    void buildToolBars();
    void buildCentralArea();
    void buildStatusBar();
    QTreeView* makeView(ConnectionFilterProxy* proxy, const char* objectName);
    void showHeaderMenu(QTreeView* view, const QPoint& position);

    void onUpdate(const std::shared_ptr<const core::Update>& update);
    void onSourceFinished(const QString& message, bool failed);
    void onSelectionChanged();
    void updateStatus(const core::Update& update);
    void updateBanner(const core::Update& update);
    void updateDetails();
    void updateActionStates();
    void onIntervalChosen(int comboIndex);
    void onTogglesChanged();
    void showActionMessage(const QString& message, bool ok);

    const core::ProcessRow* selectedProcess() const;
    const core::Connection* selectedConnection() const;
    void runProcessKill(const core::ProcessRow& row);

    void chooseExportFile();
    void chooseReplayFile();
    void showFilterHelp();

    void loadSettings();
    void saveSettings() const;

    std::unique_ptr<SystemActions> actions_;
    std::unique_ptr<MonitorSession> session_;
    std::shared_ptr<const core::Update> latest_;
    std::int32_t focusedPid_ = 0;
    std::uint64_t focusedStart_ = 0;
    int intervalMs_ = 1000;
    bool paused_ = false;

    ProcessTreeModel* treeModel_ = nullptr;
    ConnectionTableModel* tableModel_ = nullptr;
    ConnectionFilterProxy* treeProxy_ = nullptr;
    ConnectionFilterProxy* tableProxy_ = nullptr;
    QTreeView* treeView_ = nullptr;
    QTreeView* tableView_ = nullptr;
    QStackedWidget* viewStack_ = nullptr;
    QSplitter* splitter_ = nullptr;

    QLineEdit* filterEdit_ = nullptr;
    QLabel* filterError_ = nullptr;
    QTimer* filterTimer_ = nullptr;
    QLabel* banner_ = nullptr;
    QLabel* actionMessage_ = nullptr;

    QTabWidget* detailTabs_ = nullptr;
    TrafficChart* traffic_ = nullptr;
    ProcessDetailsPanel* processPanel_ = nullptr;

    QLabel* statusCounts_ = nullptr;
    QLabel* statusRates_ = nullptr;
    QLabel* statusPoll_ = nullptr;
    QLabel* statusPaused_ = nullptr;
    QLabel* statusSource_ = nullptr;

    QComboBox* intervalCombo_ = nullptr;
    QAction* pauseAction_ = nullptr;
    QAction* refreshAction_ = nullptr;
    QAction* groupAction_ = nullptr;
    QAction* resolveAction_ = nullptr;
    QAction* killAction_ = nullptr;
    QAction* closeConnectionAction_ = nullptr;
    QAction* copyAction_ = nullptr;
    QAction* exportAction_ = nullptr;
    QAction* openReplayAction_ = nullptr;
    QAction* openLiveAction_ = nullptr;
    QAction* findAction_ = nullptr;
    QAction* quitAction_ = nullptr;
    QAction* filterHelpAction_ = nullptr;
    QAction* aboutAction_ = nullptr;
    // TCP, UDP, IPv4, IPv6, listening, loopback, TIME_WAIT: checked means shown.
    std::array<QAction*, 7> toggleActions_{};
};

} // namespace portscope::gui
