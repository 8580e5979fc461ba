#pragma once
// The right-click menu of a process or connection row, with what TCPView and CurrPorts users
// reach for: properties, copy the remote address or the row, filter to the process or a port,
// open the program's folder, look the remote address up on a web site, close the connection
// and kill the process. An entry that cannot act on the row is disabled and says why in its
// tooltip and status tip.
//
// The menu acts on copies of the row, so an update that arrives while it is open changes
// nothing. Files and web pages open through a replaceable function (QDesktopServices by
// default, never a shell), so tests see the URL without starting a browser.

#include "portscope/core/update.h"

#include <QCoreApplication>
#include <QString>
#include <QUrl>
#include <functional>
#include <memory>
#include <optional>

QT_BEGIN_NAMESPACE
class QAction;
class QMenu;
class QWidget;
QT_END_NAMESPACE

namespace portscope::gui {

class RowContextMenu {
    Q_DECLARE_TR_FUNCTIONS(RowContextMenu)
public:
    // The row right-clicked: a process row has no connection, a connection row has its owner
    // when one is known.
    struct Target {
        std::optional<core::ProcessRow> process;
        std::optional<core::Connection> connection;
    };
    // What the window lends the menu. The actions are the window's own, so that their state,
    // shortcuts and tooltips are the same in the menu as in the toolbar and menu bar.
    struct Hooks {
        QAction* properties = nullptr;
        QAction* closeConnection = nullptr;
        QAction* killProcess = nullptr;
        QAction* captureTraffic = nullptr;
        std::function<void()> copyRows; // the selected rows, as Edit › Copy does
        std::function<void(const QString& filterText)> setFilter;
        std::function<bool(const QUrl& url)> openUrl;
        QString lookupTemplate; // the address look-up site, with {address}
    };

    static std::unique_ptr<QMenu> build(const Target& target, const Hooks& hooks, QWidget* parent);

    // Filter texts in the filter bar's language (core/filter_query.h).
    static QString processFilter(const core::Process& process);          // pid:1234
    static QString processNameFilter(const core::Process& process);      // proc:"name", quoted
    static QString localPortFilter(const core::Connection& connection);  // lport:22
    static QString remotePortFilter(const core::Connection& connection); // rport:443

    // The remote address alone ("93.184.216.34", "2001:db8::1"); an IPv4-mapped one as IPv4.
    static QString remoteAddress(const core::Connection& connection);
    // Why `address` is not worth looking up on a public site (loopback, private, unspecified,
    // multicast, reserved), or empty when it is.
    static QString lookupRefusal(const core::IpAddress& address);
    // The page for `address`: the template with {address} replaced by the address,
    // percent-encoded. Empty when the template is not usable (see lookupTemplateProblem).
    static QUrl lookupUrl(const QString& lookupTemplate, const core::IpAddress& address);
    // Why a template cannot be used (not http or https, no {address}), or empty.
    static QString lookupTemplateProblem(const QString& lookupTemplate);

    // The template in the settings, or the default (RDAP, which answers for every registry).
    static QString lookupTemplate();
    static QString defaultLookupTemplate();
    // Asks for a new template (Edit › Address look-up site…) and saves it; false on cancel.
    static bool editLookupTemplate(QWidget* parent);
};

} // namespace portscope::gui
