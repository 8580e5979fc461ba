#pragma once
// The main window: process tree or flat connection table, filter bar with quick toggles,
// detail tabs (traffic chart, process details, findings), toolbar and status bar. It only
// adapts Updates from the engine to widgets; every decision about data lives in core.

#include <QIcon>
#include <QMainWindow>
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

QT_BEGIN_NAMESPACE
class QAction;
class QComboBox;
class QLabel;
class QFrame;
class QLineEdit;
class QMenu;
class QModelIndex;
class QPushButton;
class QScreen;
class QSplitter;
class QStackedWidget;
class QTabWidget;
class QTimer;
class QTreeView;
class QUrl;
QT_END_NAMESPACE

namespace portscope::core {
class SnapshotSource;
struct Connection;
struct ProcessKey;
struct ExportContext;
struct ProcessRow;
struct Update;
} // namespace portscope::core

namespace portscope::platform {
class HelperConnection;
} // namespace portscope::platform

namespace portscope::gui {

class AnchoredNote;
class ConnectionFilterProxy;
class ConnectionTableModel;
class ElevationController;
class FindingHistory;
class FindingNotifier;
class FindingsPanel;
class MonitorSession;
class ProcessDetailsPanel;
class ProcessPropertiesDialog;
class ProcessTreeModel;
class RecordingController;
class RemoteController;
class RowsShownLabel;
class CaptureController;
class SensorSetting;
class StatisticsPanel;
class TrafficChart;
class UpdateModel;
struct PrivilegeOptions;
struct SystemActions;

enum class ExportFormat { Csv, Json, Html };

class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(SystemActions actions, QWidget* parent = nullptr);
    ~MainWindow() override;

    // The size of a first start: 1280×800, or what fits on `screen` with its title bar.
    static QSize defaultWindowSize(const QScreen* screen);

    // Starts monitoring `source`, replacing the current session. Returns false (and says
    // why in a message box) when the engine refuses it.
    bool openSource(std::unique_ptr<core::SnapshotSource> source);
    bool openLiveSource();
    bool openReplayFile(const QString& path);
    // Starts connecting to "[user@]host[:port]" over SSH (main_window_remote.cpp); the
    // window switches to it once connected (remoteFinished). False, with the reason, for a
    // target that is not valid.
    bool connectToRemote(const QString& target, QString* error = nullptr);
    RemoteController* remote() const;

    bool exportTo(const QString& path, ExportFormat format, QString* error);
    // Writes one self-contained HTML report on the selected process: its connections,
    // findings, traffic graph and program hash, with the report header.
    bool exportProcessEvidenceTo(const QString& path, QString* error);

    // Writes every snapshot of the live session to `path` (a replay file) from the next poll
    // on, until stopRecording(), a write error or the end of the live source. The disk is
    // written on the engine thread. False (with the reason) when the file cannot be created
    // or the session is not live.
    bool startRecording(const QString& path, QString* error);
    void stopRecording();
    bool isRecording() const;
    QString recordingPath() const;

    // Replaces how the window finds out whether it runs as administrator and how it gets
    // the rights; the program uses PrivilegeOptions::platformDefaults().
    void setPrivilegeOptions(PrivilegeOptions options);
    // Elevates the platform's way (ElevationController): "Show all processes
    // (administrator)…" starts portscope-helper, then monitors, kills and closes through it;
    // "Restart as administrator" starts an elevated copy and quits.
    void requestAdministratorRights();
    // The live session reads the system through the privileged helper.
    bool usingHelper() const;

    void setPaused(bool paused);
    bool isPaused() const;
    void refreshNow();
    // Applies at once; values outside the engine's range are clamped.
    void setIntervalMs(int milliseconds);
    int intervalMs() const;
    void setGrouped(bool grouped);
    bool isGrouped() const;
    // Rows with findings sort first in both views (View menu; on by default).
    void setFlaggedFirst(bool flaggedFirst);
    bool isFlaggedFirst() const;
    // Parses and applies the filter now (typing waits a moment first).
    void applyFilterText(const QString& text);

    void killSelectedProcess();
    void closeSelectedConnection();
    void copySelection();
    // Opens the properties of the selected process (or of the selected connection's owner) in
    // a non-modal dialog, or raises the one already open for it; null when there is none.
    // Double-click and Alt+Enter do this.
    ProcessPropertiesDialog* showProcessProperties();
    // Selects the row at `index` (of the active view's proxy) and returns its right-click menu.
    std::unique_ptr<QMenu> rowContextMenu(const QModelIndex& index);
    // How folders and web pages are opened: QDesktopServices::openUrl unless replaced (tests).
    void setUrlOpener(std::function<bool(const QUrl&)> opener);

    MonitorSession* session() const { return session_.get(); }
    ProcessTreeModel* treeModel() const { return treeModel_; }
    ConnectionTableModel* tableModel() const { return tableModel_; }
    ConnectionFilterProxy* activeProxy() const;
    QTreeView* activeView() const;
    const std::shared_ptr<const core::Update>& latestUpdate() const { return latest_; }
    FindingsPanel* findingsPanel() const { return findingsPanel_; }
    StatisticsPanel* statisticsPanel() const { return statisticsPanel_; }
    QTabWidget* detailTabs() const { return detailTabs_; }
    // The one-line notice area above the filter bar: the active high and medium findings,
    // grouped by rule, and how many ended; and its text.
    QFrame* findingNotice() const { return findingNotice_; }
    QString findingNoticeText() const;
    // Shows the Findings tab with `id` selected (the notice's "Show all" button).
    void showFinding(std::uint64_t id);
    // Selects the process of finding `id` in the list and scrolls to it, so that Kill and the
    // Process tab apply to it; false (with the reason shown) when it is not listed.
    bool goToFindingProcess(std::uint64_t id);

Q_SIGNALS:
    // An update reached the widgets.
    void updateShown(std::uint64_t sequence);
    // A kill or close finished off the GUI thread.
    void actionCompleted(bool ok, const QString& message);
    // A high-severity finding was announced (once per finding id and session).
    void findingAnnounced(std::uint64_t id, const QString& text);
    // A recording ended: stopped by the user (failed = false) or by a write error.
    void recordingStopped(const QString& message, bool failed);
    // requestAdministratorRights() finished: the helper runs, or the sentence saying why not.
    void elevationFinished(bool ok, const QString& message);
    // A connection to a remote machine finished: the window shows it, or the reason why not.
    void remoteFinished(bool ok, const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildActions();
    void buildToggleActions();
    void buildMenus();
    void buildToolBars();
    void buildCentralArea();
    void buildStatusBar();
    QTreeView* makeView(ConnectionFilterProxy* proxy, const char* objectName);
    void showHeaderMenu(QTreeView* view, const QPoint& position);
    void showRowContextMenu(QTreeView* view, const QPoint& position);
    void onRowDoubleClicked(QTreeView* view, const QModelIndex& index);
    bool openUrl(const QUrl& url);

    void onUpdate(const std::shared_ptr<const core::Update>& update);
    void onSourceFinished(const QString& message, bool failed);
    void onSelectionChanged();
    void updateStatus(const core::Update& update);
    void updateBanner(const core::Update& update);
    void updateFindingNotice();
    void updateDetails();
    void updateActionStates();
    void onIntervalChosen(int comboIndex);
    void onTogglesChanged();
    void showActionMessage(const QString& message, bool ok);

    const core::ProcessRow* selectedProcess() const;
    // Every process selected, directly or through one of its connections; the current one
    // first.
    std::vector<core::ProcessRow> selectedProcesses() const;
    const core::Connection* selectedConnection() const;
    // The kill and close in force: the helper's while one runs, else the user's own.
    SystemActions systemActions() const;
    void runProcessKill(const core::ProcessRow& row);
    bool revealProcess(const core::ProcessKey& key);
    void closeFindingConnections(std::uint64_t id);

    void chooseExportFile();
    // What a report says about where, when and how it was taken.
    core::ExportContext exportContext() const;
    // Documents (or the folder last exported to) / portscope-HOST[-SUBJECT]-TIME.html.
    QString suggestedExportPath(const QString& subject = {}) const;
    void chooseProcessEvidenceFile();
    // "Capture traffic…" of the selected connection, else of the selected process.
    void captureTraffic();
    void chooseReplayFile();
    void toggleRecording();
    void updateRecordAction();
    void updateRecordingStatus();
    bool startSession(std::unique_ptr<core::SnapshotSource> source, bool viaHelper);
    void onHelperStarted();
    void onElevationFailed(const QString& message);
    void updatePrivilegeActions();
    void setBannerVisible(bool visible);
    void showFilterHelp();

    // A remote machine over SSH (main_window_remote.cpp).
    void buildRemote();
    void chooseRemoteMachine();
    void onRemoteConnected(std::shared_ptr<platform::HelperConnection> helper);
    void showRemoteIdentity();
    // True when the finished source was the remote one: the view is then marked stale.
    bool onRemoteSourceFinished(const QString& message, bool failed);
    QString shownHostName() const;
    void describeRemoteIn(core::ExportContext& context) const;

    void loadSettings();
    void saveSettings() const;

    // What the window acts with and through.
    std::unique_ptr<SystemActions> userActions_; // kill and close as the user
    ElevationController* elevation_ = nullptr;
    SensorSetting* sensor_ = nullptr;
    bool sessionIsLive_ = false;
    RecordingController* recording_ = nullptr;
    RemoteController* remote_ = nullptr;
    QAction* connectRemoteAction_ = nullptr;
    CaptureController* capture_ = nullptr;
    FindingNotifier* findingNotifier_ = nullptr;
    std::unique_ptr<FindingHistory> findingHistory_; // findings that ended this session
    std::function<bool(const QUrl&)> urlOpener_;     // null: QDesktopServices

    // The session and what it showed last.
    std::unique_ptr<MonitorSession> session_;
    std::shared_ptr<const core::Update> latest_;
    std::int32_t focusedPid_ = 0;
    std::uint64_t focusedStart_ = 0;
    int intervalMs_ = 1000;
    bool paused_ = false;

    // Models and views.
    ProcessTreeModel* treeModel_ = nullptr;
    ConnectionTableModel* tableModel_ = nullptr;
    ConnectionFilterProxy* treeProxy_ = nullptr;
    ConnectionFilterProxy* tableProxy_ = nullptr;
    QTreeView* treeView_ = nullptr;
    QTreeView* tableView_ = nullptr;
    QStackedWidget* viewStack_ = nullptr;
    QSplitter* splitter_ = nullptr;

    // Filter bar, banner and messages above the views.
    QLineEdit* filterEdit_ = nullptr;
    AnchoredNote* filterError_ = nullptr;
    RowsShownLabel* rowsShown_ = nullptr; // "12 of 180 processes shown"
    QTimer* filterTimer_ = nullptr;
    QFrame* bannerFrame_ = nullptr;
    QLabel* banner_ = nullptr;
    QPushButton* bannerAdministratorButton_ = nullptr;
    QLabel* actionMessage_ = nullptr;

    // Detail tabs.
    QTabWidget* detailTabs_ = nullptr;
    TrafficChart* traffic_ = nullptr;
    ProcessDetailsPanel* processPanel_ = nullptr;
    FindingsPanel* findingsPanel_ = nullptr;
    StatisticsPanel* statisticsPanel_ = nullptr;

    QFrame* findingNotice_ = nullptr;
    QLabel* findingNoticeLabel_ = nullptr;

    // Status bar.
    QLabel* statusCounts_ = nullptr;
    QLabel* statusRates_ = nullptr;
    QLabel* statusPoll_ = nullptr;
    QLabel* statusPaused_ = nullptr;
    QLabel* statusSource_ = nullptr;
    QLabel* statusRecording_ = nullptr;

    // Toolbar, menus and shortcuts.
    QComboBox* intervalCombo_ = nullptr;
    QIcon recordIcon_; // the record action's icon while not recording
    QAction* pauseAction_ = nullptr;
    QAction* refreshAction_ = nullptr;
    QAction* groupAction_ = nullptr;
    QAction* flaggedFirstAction_ = nullptr;
    QAction* resolveAction_ = nullptr;
    QAction* killAction_ = nullptr;
    QAction* closeConnectionAction_ = nullptr;
    QAction* copyAction_ = nullptr;
    QAction* propertiesAction_ = nullptr;
    QAction* exportAction_ = nullptr;
    QAction* openReplayAction_ = nullptr;
    QAction* openLiveAction_ = nullptr;
    QAction* recordAction_ = nullptr;
    QAction* captureAction_ = nullptr; // for the process and connection context menus too
    QAction* administratorAction_ = nullptr;
    QAction* findAction_ = nullptr;
    QAction* quitAction_ = nullptr;
    QAction* filterHelpAction_ = nullptr;
    QAction* aboutAction_ = nullptr;
    // TCP, UDP, IPv4, IPv6, listening, loopback, TIME_WAIT: checked means shown.
    std::array<QAction*, 7> toggleActions_{};
};

} // namespace portscope::gui
