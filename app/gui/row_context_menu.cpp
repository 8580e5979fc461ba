#include "row_context_menu.h"

#include "portscope/core/address_scope.h"
#include "portscope/core/filter_query.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFileInfo>
#include <QInputDialog>
#include <QKeySequence>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>

namespace portscope::gui {

namespace {

constexpr const char* kLookupTemplateKey = "lookup/remoteAddressUrl";
constexpr QLatin1StringView kAddressPlaceholder("{address}");

QString fromStd(const std::string& text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

// A name or filter short enough for a menu entry or its tooltip.
QString shortened(const QString& text) {
    constexpr qsizetype kMaxShown = 40;
    return text.size() > kMaxShown ? text.left(kMaxShown - 1) + QChar(0x2026) : text;
}

// Menu texts treat '&' as the mark of a shortcut letter; a name shown in one is taken literally.
QString menuLiteral(const QString& text) {
    return shortened(text).replace(QLatin1Char('&'), QStringLiteral("&&"));
}

bool hasRemote(const core::Connection& connection) {
    return !connection.socket.remote.address.isUnspecified();
}

// Sets `action` on or off; when off, the tooltip and the status bar say why.
void enableOrExplain(QAction* action, const QString& whyNot, const QString& whatItDoes) {
    action->setEnabled(whyNot.isEmpty());
    const QString tip = whyNot.isEmpty() ? whatItDoes : whyNot;
    action->setToolTip(tip);
    action->setStatusTip(tip);
}

} // namespace

QString RowContextMenu::processFilter(const core::Process& process) {
    return QStringLiteral("pid:%1").arg(process.key.pid);
}

QString RowContextMenu::processNameFilter(const core::Process& process) {
    return QStringLiteral("proc:") + fromStd(core::quotedFilterValue(process.name));
}

QString RowContextMenu::localPortFilter(const core::Connection& connection) {
    return QStringLiteral("lport:%1").arg(connection.socket.local.port);
}

QString RowContextMenu::remotePortFilter(const core::Connection& connection) {
    return QStringLiteral("rport:%1").arg(connection.socket.remote.port);
}

QString RowContextMenu::remoteAddress(const core::Connection& connection) {
    return fromStd(connection.socket.remote.address.unmapped().toString());
}

QString RowContextMenu::lookupRefusal(const core::IpAddress& address) {
    const core::IpAddress plain = address.unmapped();
    const QString text = fromStd(plain.toString());
    switch (core::builtInScope(plain)) {
    case core::AddressScope::Global:
        return {};
    case core::AddressScope::Unspecified:
        return tr("%1 is the unspecified address: the socket has no peer to look up.").arg(text);
    case core::AddressScope::Loopback:
        return tr("%1 is this computer (loopback): there is nothing to look up.").arg(text);
    case core::AddressScope::Multicast:
        return tr("%1 is a multicast or broadcast address, not one computer.").arg(text);
    case core::AddressScope::Documentation:
    case core::AddressScope::Reserved:
        return tr("%1 is in a reserved range that is never routed on the Internet.").arg(text);
    default:
        return tr("%1 is a local-network address: a public look-up site knows nothing about it.")
            .arg(text);
    }
}

QString RowContextMenu::lookupTemplateProblem(const QString& lookupTemplate) {
    const QUrl sample(QString(lookupTemplate).replace(kAddressPlaceholder, QStringLiteral("x")),
                      QUrl::StrictMode);
    const QString scheme = sample.scheme().toLower();
    if (!lookupTemplate.contains(kAddressPlaceholder) || !sample.isValid() ||
        (scheme != QLatin1String("https") && scheme != QLatin1String("http")) ||
        sample.host().isEmpty()) {
        return tr("The address look-up site must be an http or https address that contains "
                  "{address}, such as %1.")
            .arg(defaultLookupTemplate());
    }
    return {};
}

QUrl RowContextMenu::lookupUrl(const QString& lookupTemplate, const core::IpAddress& address) {
    if (!lookupTemplateProblem(lookupTemplate).isEmpty()) {
        return {};
    }
    // Every character but letters, digits and "-._~" is escaped: an IPv6 address's colons
    // cannot be read as a port or a scheme wherever {address} stands.
    const QByteArray escaped = QUrl::toPercentEncoding(fromStd(address.unmapped().toString()));
    const QString text =
        QString(lookupTemplate).replace(kAddressPlaceholder, QString::fromLatin1(escaped));
    const QUrl url = QUrl::fromEncoded(text.toUtf8(), QUrl::StrictMode);
    return url.isValid() ? url : QUrl();
}

QString RowContextMenu::defaultLookupTemplate() {
    return QStringLiteral("https://rdap.org/ip/{address}");
}

QString RowContextMenu::lookupTemplate() {
    const QString stored =
        QSettings().value(QLatin1String(kLookupTemplateKey), defaultLookupTemplate()).toString();
    return stored.trimmed().isEmpty() ? defaultLookupTemplate() : stored.trimmed();
}

bool RowContextMenu::editLookupTemplate(QWidget* parent) {
    QString text = lookupTemplate();
    for (int attempt = 0; attempt < 10; ++attempt) { // bounded: a user may keep getting it wrong
        bool ok = false;
        text = QInputDialog::getText(
                   parent, tr("Address look-up site"),
                   tr("The web page that Look up remote address opens; {address} stands for the "
                      "address.\nFor example %1 or https://www.whois.com/whois/{address}")
                       .arg(defaultLookupTemplate()),
                   QLineEdit::Normal, text, &ok)
                   .trimmed();
        if (!ok) {
            return false;
        }
        if (text.isEmpty()) {
            text = defaultLookupTemplate();
        }
        const QString problem = lookupTemplateProblem(text);
        if (problem.isEmpty()) {
            QSettings().setValue(QLatin1String(kLookupTemplateKey), text);
            return true;
        }
        QMessageBox::warning(parent, tr("Address look-up site"), problem);
    }
    return false;
}

std::unique_ptr<QMenu> RowContextMenu::build(const Target& target, const Hooks& hooks,
                                             QWidget* parent) {
    auto menu = std::make_unique<QMenu>(parent);
    menu->setObjectName(QStringLiteral("rowContextMenu"));
    menu->setToolTipsVisible(true);
    QMenu* m = menu.get();
    const bool haveProcess = target.process && target.process->process.key.valid();
    const core::Process* process = haveProcess ? &target.process->process : nullptr;
    const core::Connection* connection = target.connection ? &*target.connection : nullptr;
    const QString noProcess = connection != nullptr
                                  ? tr("No process is known for this connection; its Process "
                                       "cell's tooltip says why.")
                                  : tr("This row has no process.");
    const QString noConnection =
        tr("This is a process row; right-click one of its connections for this.");

    auto add = [m](const QString& text, const char* objectName) {
        QAction* action = m->addAction(text);
        action->setObjectName(QString::fromLatin1(objectName));
        return action;
    };

    if (hooks.properties != nullptr) {
        m->addAction(hooks.properties);
        m->setDefaultAction(hooks.properties); // what a double-click does
        m->addSeparator();
    }

    // Copying.
    QAction* copyRemote = add(tr("Copy &remote address"), "copyRemoteAddressAction");
    if (connection == nullptr) {
        enableOrExplain(copyRemote, noConnection, {});
    } else if (!hasRemote(*connection)) {
        enableOrExplain(copyRemote,
                        tr("This socket has no remote address: it listens or is not connected."),
                        {});
    } else {
        const QString address = remoteAddress(*connection);
        enableOrExplain(copyRemote, {}, tr("Copy %1 to the clipboard").arg(address));
        QObject::connect(copyRemote, &QAction::triggered, m,
                         [address] { QApplication::clipboard()->setText(address); });
    }
    QAction* copyRows = add(tr("Copy &row") + QLatin1Char('\t') +
                                QKeySequence(QKeySequence::Copy).toString(QKeySequence::NativeText),
                            "copyRowAction");
    enableOrExplain(copyRows, {},
                    tr("Copy the selected rows, with the column titles, as tab-separated text"));
    QObject::connect(copyRows, &QAction::triggered, m, [copy = hooks.copyRows] {
        if (copy) {
            copy();
        }
    });
    m->addSeparator();

    // Filtering.
    const auto addFilter = [&](const QString& text, const char* objectName, const QString& filter,
                               const QString& whyNot) {
        QAction* action = add(text, objectName);
        enableOrExplain(action, whyNot, tr("Set the filter to %1").arg(shortened(filter)));
        if (whyNot.isEmpty()) {
            QObject::connect(action, &QAction::triggered, m, [setFilter = hooks.setFilter, filter] {
                if (setFilter) {
                    setFilter(filter);
                }
            });
        }
    };
    addFilter(process != nullptr ? tr("Filter to this &process (PID %1)").arg(process->key.pid)
                                 : tr("Filter to this &process"),
              "filterProcessAction", process != nullptr ? processFilter(*process) : QString(),
              process != nullptr ? QString() : noProcess);
    if (process != nullptr && !process->name.empty()) {
        addFilter(tr("Filter to process &name “%1”").arg(menuLiteral(fromStd(process->name))),
                  "filterProcessNameAction", processNameFilter(*process), {});
    }
    if (connection != nullptr) {
        // A port that is not there yet is not shown as "port 0".
        const std::uint16_t localPort = connection->socket.local.port;
        const std::uint16_t remotePort = connection->socket.remote.port;
        addFilter(localPort != 0 ? tr("Filter to &local port %1").arg(localPort)
                                 : tr("Filter to &local port"),
                  "filterLocalPortAction", localPortFilter(*connection),
                  localPort != 0 ? QString() : tr("This socket is not bound to a port yet."));
        addFilter(remotePort != 0 ? tr("Filter to remote p&ort %1").arg(remotePort)
                                  : tr("Filter to remote p&ort"),
                  "filterRemotePortAction", remotePortFilter(*connection),
                  remotePort != 0
                      ? QString()
                      : tr("This socket has no remote port: it listens or is not connected."));
    } else {
        addFilter(tr("Filter to this p&ort"), "filterLocalPortAction", {}, noConnection);
    }
    m->addSeparator();

    // Outside PortScope: the program's folder and the address's owner.
    QAction* openFolder = add(tr("Open file &location"), "openFileLocationAction");
    const QString exe = process != nullptr ? fromStd(process->exePath) : QString();
    const QString folder = exe.isEmpty() ? QString() : QFileInfo(exe).absolutePath();
    if (process == nullptr) {
        enableOrExplain(openFolder, noProcess, {});
    } else if (exe.isEmpty()) {
        enableOrExplain(openFolder,
                        tr("The program's path is unknown: it may belong to another user (File › "
                           "Show all processes)."),
                        {});
    } else if (!QFileInfo(folder).isDir()) {
        enableOrExplain(openFolder,
                        tr("The folder %1 does not exist on this computer.")
                            .arg(QDir::toNativeSeparators(folder)),
                        {});
    } else {
        enableOrExplain(openFolder, {},
                        tr("Open %1 in the file manager").arg(QDir::toNativeSeparators(folder)));
        QObject::connect(openFolder, &QAction::triggered, m,
                         [openUrl = hooks.openUrl, url = QUrl::fromLocalFile(folder)] {
                             if (openUrl) {
                                 openUrl(url);
                             }
                         });
    }

    QAction* lookUp = add(tr("Look &up remote address…"), "lookUpRemoteAddressAction");
    if (connection == nullptr) {
        enableOrExplain(lookUp, noConnection, {});
    } else if (const QString refusal = lookupRefusal(connection->socket.remote.address);
               !refusal.isEmpty()) {
        enableOrExplain(lookUp, refusal, {});
    } else if (const QString problem = lookupTemplateProblem(hooks.lookupTemplate);
               !problem.isEmpty()) {
        enableOrExplain(lookUp, problem + QLatin1Char(' ') + tr("Edit › Address look-up site…"),
                        {});
    } else {
        const QUrl url = lookupUrl(hooks.lookupTemplate, connection->socket.remote.address);
        enableOrExplain(lookUp, {}, tr("Open %1 in the web browser").arg(url.toDisplayString()));
        QObject::connect(lookUp, &QAction::triggered, m, [openUrl = hooks.openUrl, url] {
            if (openUrl) {
                openUrl(url);
            }
        });
    }
    m->addSeparator();

    // Acting on the system.
    for (QAction* action : {hooks.captureTraffic, hooks.closeConnection, hooks.killProcess}) {
        if (action != nullptr) {
            m->addAction(action);
        }
    }
    return menu;
}

} // namespace portscope::gui
