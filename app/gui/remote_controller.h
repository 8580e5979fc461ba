#pragma once
// Another machine in the window, over SSH (platform/ssh_remote.h). Connects off the GUI
// thread, since ssh may wait for the network or for the user to answer a password or
// host-key prompt, and holds the connection for the window to read and act through. When the
// connection drops it keeps the host, says the view is stale, and offers Reconnect in a
// notice of its own that the window places above its views.

#include "portscope/platform/ssh_remote.h"

#include <QObject>
#include <QString>
#include <memory>

class QFrame;
class QLabel;
class QPushButton;
class QWidget;

namespace portscope::platform {
class HelperConnection;
} // namespace portscope::platform

namespace portscope::gui {

struct SystemActions;

class RemoteController final : public QObject {
    Q_OBJECT
public:
    explicit RemoteController(QWidget* noticeParent);
    ~RemoteController() override;

    // What every connection starts from: ssh's configuration file and options, the helper's
    // path there, sudo. The target comes with each connectTo().
    void setDefaults(platform::SshLaunch defaults) { defaults_ = std::move(defaults); }
    const platform::SshLaunch& defaults() const { return defaults_; }

    // Starts connecting; ends with connected() or failed(). Ignored while a connection is
    // being made.
    void connectTo(const platform::SshTarget& target);
    void reconnect();
    bool connecting() const { return pending_ != nullptr; }

    // The window shows the machine of helper(); set by the window once its session runs.
    void setShown(std::shared_ptr<platform::HelperConnection> helper);
    // The window shows something else now: the connection is ended and the notice hidden.
    void forget();
    // The window's session through helper() ended with `reason`: the view is stale.
    void markLost(const QString& reason);

    bool shown() const { return helper_ != nullptr; }
    bool stale() const { return stale_; }
    const std::shared_ptr<platform::HelperConnection>& helper() const { return helper_; }
    // "alice@db1:2222", plain text (the user typed it); empty when nothing remote is shown.
    QString host() const;
    // Kill and close through the remote helper; only while shown().
    SystemActions actions() const;

    // "Connection to HOST lost … [Reconnect]": hidden unless the view is stale.
    QFrame* notice() const { return notice_; }
    QPushButton* reconnectButton() const { return reconnectButton_; }

Q_SIGNALS:
    void connected(std::shared_ptr<platform::HelperConnection> helper);
    void failed(const QString& message);
    void stateChanged();

private:
    struct Pending;
    void onFinished(std::shared_ptr<platform::HelperConnection> helper, const QString& error);

    platform::SshLaunch defaults_;
    platform::SshTarget lastTarget_;
    std::shared_ptr<Pending> pending_;
    std::shared_ptr<platform::HelperConnection> helper_;
    bool stale_ = false;
    QFrame* notice_ = nullptr;
    QLabel* noticeLabel_ = nullptr;
    QPushButton* reconnectButton_ = nullptr;
};

} // namespace portscope::gui
