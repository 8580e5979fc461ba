#pragma once
// Getting administrator rights for the window, the way the platform does it
// (portscope/platform/elevation.h). With a privileged helper (Linux) it starts
// portscope-helper off the GUI thread, since the authorization dialog may stay open for
// minutes, and holds the connection for the window to read and act through. With a restart
// (Windows) it starts the elevated copy and asks the program to quit. It also words the
// action and the banner's hint for the method in use.

#include <QObject>
#include <QString>
#include <cstddef>
#include <memory>

namespace portscope::platform {
class HelperConnection;
enum class ElevationMethod;
} // namespace portscope::platform

namespace portscope::gui {

struct PrivilegeOptions;
struct SystemActions;

class ElevationController final : public QObject {
    Q_OBJECT
public:
    explicit ElevationController(PrivilegeOptions options, QObject* parent = nullptr);
    // A launch still waiting for authorization is abandoned; its helper, if it comes, is told
    // goodbye on the way out.
    ~ElevationController() override;

    // Replaces how the controller finds out whether it runs as administrator, and how it
    // elevates; asks runningAsAdministrator() once.
    void setOptions(PrivilegeOptions options);

    platform::ElevationMethod method() const;
    bool administrator() const { return administrator_; }
    bool launching() const { return launchChannel_ != nullptr; }
    // The started helper, from helperStarted() until dropHelper().
    const std::shared_ptr<platform::HelperConnection>& helper() const { return helper_; }
    // Kill and close through the helper; only while helper() is set.
    SystemActions helperActions() const;
    // Whether the window's session reads the system through the helper now.
    void setHelperInUse(bool inUse);
    bool helperInUse() const { return helperInUse_; }

    // The action exists here: the platform has a way, and this process lacks the rights.
    bool offered() const;
    // The action may be used now: offered, no launch pending, the helper not in use.
    bool available() const;
    // An update hides the owners of `hiddenOwners` sockets: whether the banner explains that
    // elevation would show them.
    bool explainsHiddenOwners(std::size_t hiddenOwners) const;
    // Whether the banner offers the action, for an update with `hiddenOwners` hidden owners
    // and (or not) warnings from its source.
    bool offeredFor(std::size_t hiddenOwners, bool sourceWarnings) const;

    QString actionText() const;     // with its mnemonic
    QString actionIconText() const; // empty: Qt derives it from actionText()
    QString actionToolTip() const;
    // The banner's sentence after "<b>The owners of 3 sockets are hidden</b>" (`hidden`).
    QString hiddenOwnersHint(const QString& hidden) const;

    // Starts the platform's elevation. Finishes with helperStarted(), restartStarted() or
    // failed(); does nothing for an administrator or while a launch is pending.
    void request();
    // Forgets the helper (it exited, or the window goes on without it).
    void dropHelper();

Q_SIGNALS:
    // launching(), helper() or helperInUse() changed.
    void stateChanged();
    void helperStarted();
    // The elevated copy runs; this one should quit.
    void restartStarted();
    // Elevation did not happen; the sentence says why. Nothing changed.
    void failed(const QString& message);

private:
    struct LaunchChannel;
    void launchHelper();
    void restart();
    void onHelperLaunched(std::shared_ptr<platform::HelperConnection> helper, const QString& error);
    void cancelLaunch();

    std::unique_ptr<PrivilegeOptions> options_;
    bool administrator_ = false;
    std::shared_ptr<LaunchChannel> launchChannel_; // the pending helper launch, if any
    std::shared_ptr<platform::HelperConnection> helper_;
    bool helperInUse_ = false;
};

} // namespace portscope::gui
