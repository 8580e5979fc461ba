#pragma once
// The main window: process tree or flat connection table, filter bar with quick toggles,
// detail tabs (traffic chart, process details, findings), toolbar and status bar. It only
// adapts Updates from the engine to widgets; every decision about data lives in core.

#include <QIcon>
#include <QMainWindow>
#include <array>
#include <cstdint>
#include <memory>
#include <unordered_set>

QT_BEGIN_NAMESPACE
class QAction;
class QComboBox;
class QLabel;
class QFrame;
class QLineEdit;
class QPushButton;
class QSystemTrayIcon;
class QSplitter;
class QStackedWidget;
class QTabWidget;
class QTimer;
class QTreeView;
QT_END_NAMESPACE

namespace portscope::platform {
class HelperConnection;
} // namespace portscope::platform

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
class FindingsPanel;
class StatisticsPanel;
class MonitorSession;
class ProcessDetailsPanel;
class ProcessTreeModel;
class RecordableSource;
struct PrivilegeOptions;
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

    // Writes every snapshot of the live session to `path` (a replay file) from the next poll
    // on, until stopRecording(), a write error or the end of the live source. The disk is
    // written on the engine thread. False (with the reason) when the file cannot be created
    // or the session is not live.
    bool startRecording(const QString& path, QString* error);
    void stopRecording();
    bool isRecording() const { return !recordingPath_.isEmpty(); }
    QString recordingPath() const { return recordingPath_; }

    // Replaces how the window finds out whether it runs as administrator and how it starts
    // the privileged helper; the program uses PrivilegeOptions::platformDefaults().
    void setPrivilegeOptions(PrivilegeOptions options);
    // "Show all processes (administrator)…" on Linux: starts portscope-helper off the GUI
    // thread (the authorization dialog may stay open for minutes), then monitors through it
    // and kills and closes through it. "Restart as administrator" on Windows.
    void requestAdministratorRights();
    // The live session reads the system through the privileged helper.
    bool usingHelper() const { return helperSession_; }

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
    FindingsPanel* findingsPanel() const { return findingsPanel_; }
    StatisticsPanel* statisticsPanel() const { return statisticsPanel_; }
    QTabWidget* detailTabs() const { return detailTabs_; }
    // The in-window notice of new high-severity findings, and its text.
    QFrame* findingNotice() const { return findingNotice_; }
    QString findingNoticeText() const;
    // Shows the Findings tab with `id` selected (the notice's "Show" button).
    void showFinding(std::uint64_t id);

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
    void announceFindings(const core::Update& update);
    void updateActionStates();
    void onIntervalChosen(int comboIndex);
    void onTogglesChanged();
    void showActionMessage(const QString& message, bool ok);

    const core::ProcessRow* selectedProcess() const;
    const core::Connection* selectedConnection() const;
    void runProcessKill(const core::ProcessRow& row);

    void chooseExportFile();
    void chooseReplayFile();
    void toggleRecording();
    void onRecordingFailed(const QString& message);
    // Ends the recording state after the writer has been closed; returns the message to show.
    QString endRecording(const QString& why, std::uint64_t records, bool failed);
    void cancelHelperLaunch();
    void updateRecordingStatus();
    bool startSession(std::unique_ptr<core::SnapshotSource> source, bool viaHelper);
    void onHelperLaunched(std::shared_ptr<platform::HelperConnection> helper, const QString& error);
    void dropHelper();
    void updatePrivilegeActions();
    void setBannerVisible(bool visible);
    void showFilterHelp();

    void loadSettings();
    void saveSettings() const;

    std::unique_ptr<SystemActions> actions_;
    std::unique_ptr<SystemActions> userActions_; // actions_ while no helper is in use
    std::unique_ptr<PrivilegeOptions> privileges_;
    bool administrator_ = false; // privileges_->runningAsAdministrator(), asked once
    std::shared_ptr<platform::HelperConnection> helper_;
    bool helperSession_ = false;
    bool launchingHelper_ = false;
    struct LaunchChannel;
    std::shared_ptr<LaunchChannel> launchChannel_; // the pending helper launch, if any
    RecordableSource* recordable_ = nullptr;       // the live session's source, owned by its engine
    QString recordingPath_;
    QIcon recordIcon_; // the record action's icon while not recording
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
    QFrame* bannerFrame_ = nullptr;
    QLabel* banner_ = nullptr;
    QPushButton* bannerAdministratorButton_ = nullptr;
    QLabel* actionMessage_ = nullptr;

    QTabWidget* detailTabs_ = nullptr;
    TrafficChart* traffic_ = nullptr;
    ProcessDetailsPanel* processPanel_ = nullptr;
    FindingsPanel* findingsPanel_ = nullptr;
    StatisticsPanel* statisticsPanel_ = nullptr;

    QFrame* findingNotice_ = nullptr;
    QLabel* findingNoticeLabel_ = nullptr;
    std::uint64_t noticeFindingId_ = 0;
    QSystemTrayIcon* trayIcon_ = nullptr; // created on the first announcement, if available
    std::unordered_set<std::uint64_t> announcedFindings_;

    QLabel* statusCounts_ = nullptr;
    QLabel* statusRates_ = nullptr;
    QLabel* statusPoll_ = nullptr;
    QLabel* statusPaused_ = nullptr;
    QLabel* statusSource_ = nullptr;
    QLabel* statusRecording_ = nullptr;

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
    QAction* recordAction_ = nullptr;
    QAction* administratorAction_ = nullptr;
    QAction* findAction_ = nullptr;
    QAction* quitAction_ = nullptr;
    QAction* filterHelpAction_ = nullptr;
    QAction* aboutAction_ = nullptr;
    // TCP, UDP, IPv4, IPv6, listening, loopback, TIME_WAIT: checked means shown.
    std::array<QAction*, 7> toggleActions_{};
};

} // namespace portscope::gui
