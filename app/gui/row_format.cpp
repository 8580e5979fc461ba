#include "row_format.h"

#include "portscope/core/export.h"
#include "portscope/core/filter_query.h"
#include "portscope/core/units.h"
#include "portscope/core/update.h"
#include "process_icons.h"
#include "process_parents.h"
#include "rich_text.h"

#include <QBrush>
#include <QColor>
#include <QCoreApplication>
#include <QDateTime>
#include <QFont>
#include <QIcon>
#include <QLocale>

namespace portscope::gui {

namespace {

// Core's words for users (translatable.h, context "CoreText") in the GUI's language; `text`
// is one of core's string literals, so it ends in a NUL.
QString coreText(std::string_view text) {
    return QCoreApplication::translate("CoreText", text.data());
}

QString fromStd(std::string_view text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

QString timeText(std::int64_t unixMs) {
    if (unixMs == 0) {
        return QObject::tr("unknown");
    }
    return dateTimeText(unixMs);
}

// Addresses sort by family, then numerically, then by port; an IPv4-mapped address sorts
// with IPv4.
QByteArray endpointSortKey(const core::Endpoint& endpoint) {
    const core::IpAddress plain = endpoint.address.unmapped();
    QByteArray key;
    key.reserve(19);
    key.append(static_cast<char>(plain.family == core::Family::V4 ? 4 : 6));
    for (std::uint8_t byte : plain.bytes) {
        key.append(static_cast<char>(byte));
    }
    key.append(static_cast<char>(endpoint.port >> 8));
    key.append(static_cast<char>(endpoint.port & 0xFF));
    return key;
}

QString protocolText(const core::Socket& socket) {
    const bool v6 = socket.family() == core::Family::V6;
    if (socket.protocol == core::Protocol::Tcp) {
        return v6 ? QStringLiteral("TCP6") : QStringLiteral("TCP");
    }
    return v6 ? QStringLiteral("UDP6") : QStringLiteral("UDP");
}

QString remoteText(const core::Connection& connection) {
    const auto& remote = connection.socket.remote;
    if (remote.address.isUnspecified() && remote.port == 0) {
        return QStringLiteral("*");
    }
    QString text = fromStd(remote.toString());
    if (!connection.remoteHostName.empty()) {
        text += QStringLiteral("  (") + fromStd(connection.remoteHostName) + QLatin1Char(')');
    }
    return text;
}

QString stateText(const core::Connection& connection) {
    const QString state = fromStd(core::toString(connection.socket.state));
    if (connection.open) {
        return state;
    }
    if (connection.shortLived) {
        return QObject::tr("closed (short-lived)");
    }
    return QObject::tr("closed (was %1)").arg(state);
}

QString ownerText(const core::Connection& connection, const core::ProcessRow* owner) {
    if (owner != nullptr) {
        return fromStd(owner->process.name);
    }
    switch (connection.socket.ownerStatus) {
    case core::OwnerStatus::PermissionDenied:
        return QObject::tr("(hidden)");
    case core::OwnerStatus::NoInode:
        return QObject::tr("(kernel)");
    case core::OwnerStatus::NotResolved:
        return QObject::tr("(not looked up)");
    case core::OwnerStatus::Known:
    case core::OwnerStatus::Listener:
    case core::OwnerStatus::NotFound:
        break;
    }
    return QObject::tr("(unknown)");
}

QString userText(const core::Process& process) {
    if (!process.userName.empty()) {
        return fromStd(process.userName);
    }
    return QString::number(process.uid);
}

QString pathText(const core::Process& process) {
    QString path = fromStd(process.exePath);
    if (process.exeDeleted) {
        path += QObject::tr(" (deleted)");
    }
    return path;
}

QString processToolTip(const core::ProcessRow& row, const core::Update* update) {
    const core::Process& p = row.process;
    QString tip = QStringLiteral("<qt><b>%1</b> (PID %2)")
                      .arg(escapedForRichText(fromStd(p.name)), QString::number(p.key.pid));
    auto line = [&tip](const QString& label, const QString& value) {
        if (!value.isEmpty()) {
            tip += QStringLiteral("<br>%1: %2").arg(label, escapedForRichText(value));
        }
    };
    line(QObject::tr("Path"), pathText(p));
    line(QObject::tr("Command line"), fromStd(p.commandLine).left(500));
    line(QObject::tr("User"), userText(p));
    line(QObject::tr("Parent"),
         p.parentPid > 0 ? ProcessParents::shared().describe(p, update) : QString());
    line(QObject::tr("Started"), p.startedAtUnixMs != 0 ? timeText(p.startedAtUnixMs) : QString());
    line(QObject::tr("Details"), fromStd(p.detailsError));
    return tip + QStringLiteral("</qt>");
}

QString connectionsText(const core::ConnectionCounts& counts) {
    QStringList parts;
    if (counts.tcp > 0) {
        parts << QObject::tr("%1 TCP").arg(counts.tcp);
    }
    if (counts.udp > 0) {
        parts << QObject::tr("%1 UDP").arg(counts.udp);
    }
    if (counts.closedRecently > 0) {
        parts << QObject::tr("%1 closed").arg(counts.closedRecently);
    }
    return parts.join(QObject::tr(", ", "between the items of a list"));
}

QVariant rateCell(bool hasRate, double bytesPerSecond, int role) {
    switch (role) {
    case Qt::DisplayRole:
        return hasRate && bytesPerSecond > 0 ? rateText(bytesPerSecond) : QString();
    case roles::Sort:
        return hasRate ? bytesPerSecond : -1.0;
    case Qt::ToolTipRole:
        return hasRate ? QVariant() : QVariant(QObject::tr("No rate yet: it needs two samples."));
    default:
        return {};
    }
}

QVariant bytesCell(std::uint64_t sent, std::uint64_t received, int role) {
    switch (role) {
    case Qt::DisplayRole:
        return sent + received > 0 ? bytesText(sent + received) : QString();
    case roles::Sort:
        return static_cast<qulonglong>(sent + received);
    case Qt::ToolTipRole:
        return QObject::tr("Sent %1, received %2").arg(bytesText(sent), bytesText(received));
    default:
        return {};
    }
}

QVariant highlightCell(Field field, const RowHighlight& highlight, int role) {
    using Kind = RowHighlight::Kind;
    if (role == roles::HighlightKind) {
        return static_cast<int>(highlight.kind);
    }
    if (role == Qt::BackgroundRole) {
        QColor colour;
        int alpha = 0;
        switch (highlight.kind) {
        case Kind::None:
            return {};
        case Kind::Added:
            colour = QColor(46, 204, 64);
            alpha = 50 + 40 * highlight.ticksLeft;
            break;
        case Kind::Changed:
            colour = QColor(255, 215, 0);
            alpha = 50 + 40 * highlight.ticksLeft;
            break;
        case Kind::Closed:
            colour = QColor(230, 60, 50);
            alpha = 95;
            break;
        }
        colour.setAlpha(alpha);
        return QBrush(colour);
    }
    if (field != Field::Change) {
        return {};
    }
    switch (role) {
    case Qt::DisplayRole:
        switch (highlight.kind) {
        case Kind::Added:
            return QStringLiteral("+");
        case Kind::Changed:
            return QStringLiteral("~");
        case Kind::Closed:
            return QStringLiteral("x");
        case Kind::None:
            return QString();
        }
        return QString();
    case roles::Sort:
        return static_cast<int>(highlight.kind);
    case Qt::ToolTipRole:
        switch (highlight.kind) {
        case Kind::Added:
            return QObject::tr("New");
        case Kind::Changed:
            return QObject::tr("Changed");
        case Kind::Closed:
            return QObject::tr("Closed; kept visible for a few updates");
        case Kind::None:
            return {};
        }
        return {};
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::AlignCenter);
    case Qt::FontRole: {
        QFont font;
        font.setBold(true);
        return font;
    }
    default:
        return {};
    }
}

QIcon processIcon(const core::Process& process) {
    return ProcessIcons::shared().iconFor(fromStd(process.exePath), fromStd(process.name));
}

bool isNumeric(Field field) {
    switch (field) {
    case Field::Pid:
    case Field::SendRate:
    case Field::ReceiveRate:
    case Field::Bytes:
    case Field::Age:
    case Field::Connections:
        return true;
    default:
        return false;
    }
}

} // namespace

QString fieldTitle(Field field) {
    switch (field) {
    case Field::Name:
        return QObject::tr("Process");
    case Field::Change:
        return QStringLiteral("\u0394");
    case Field::Pid:
        return QObject::tr("PID");
    case Field::Protocol:
        return QObject::tr("Protocol");
    case Field::Local:
        return QObject::tr("Local address");
    case Field::Remote:
        return QObject::tr("Remote address");
    case Field::State:
        return QObject::tr("State");
    case Field::Scope:
        return QObject::tr("Scope");
    case Field::SendRate:
        return QObject::tr("Send");
    case Field::ReceiveRate:
        return QObject::tr("Receive");
    case Field::Bytes:
        return QObject::tr("Bytes");
    case Field::Age:
        return QObject::tr("Age");
    case Field::User:
        return QObject::tr("User");
    case Field::Connections:
        return QObject::tr("Connections");
    case Field::Severity:
        return QStringLiteral("!");
    case Field::Finding:
        return QObject::tr("Finding");
    case Field::Path:
        return QObject::tr("Path");
    }
    return {};
}

QString fieldToolTip(Field field) {
    switch (field) {
    case Field::Change:
        return QObject::tr("+ new, ~ changed, x closed");
    case Field::Scope:
        return QObject::tr("Where the remote end lives: loopback, lan, link-local, multicast, "
                           "internet; for listeners, the interfaces they listen on");
    case Field::SendRate:
        return QObject::tr("Bytes per second sent (acknowledged by the peer)");
    case Field::ReceiveRate:
        return QObject::tr("Bytes per second received");
    case Field::Bytes:
        return QObject::tr("Bytes sent plus received: for a connection, over its whole life as "
                           "the system counts them; for a process, while monitored");
    case Field::Age:
        return QObject::tr(
            "How long the connection has been seen; for closed ones, how long it lived");
    case Field::Severity:
        return QObject::tr("Severity of the most severe finding on this row (⚠ high, ▲ medium, "
                           "● low, ℹ info); sorts by severity");
    case Field::Finding:
        return QObject::tr("Behaviour findings on this row: severity and rule (⚠ high, ▲ medium, "
                           "● low, ℹ info); sorts by severity");
    default:
        return fieldTitle(field);
    }
}

void RowHighlight::advance(core::RowChange change, bool open, bool firstSeen) {
    if (!open) {
        kind = Kind::Closed;
        ticksLeft = 0;
        return;
    }
    if (firstSeen || change == core::RowChange::Added) {
        kind = Kind::Added;
        ticksLeft = kTicks;
        return;
    }
    if (change == core::RowChange::Changed) {
        kind = Kind::Changed;
        ticksLeft = kTicks;
        return;
    }
    if (kind == Kind::Closed) {
        // A closed row that is open again was reused by a new socket with the same identity.
        kind = Kind::None;
        ticksLeft = 0;
        return;
    }
    if (ticksLeft > 0) {
        --ticksLeft;
    }
    if (ticksLeft == 0) {
        kind = Kind::None;
    }
}

QVariant connectionCell(Field field, const core::Connection& connection,
                        const core::ProcessRow* owner, const RowHighlight& highlight, int role,
                        std::int64_t nowUnixMs, const core::Update* update) {
    if (QVariant value = highlightCell(field, highlight, role);
        value.isValid() || field == Field::Change) {
        return value;
    }
    if (role == Qt::TextAlignmentRole) {
        return isNumeric(field) ? QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter)
                                : QVariant();
    }
    const core::Socket& socket = connection.socket;
    switch (field) {
    case Field::Change:
        return {};
    case Field::Name:
        if (role == Qt::DisplayRole) {
            return ownerText(connection, owner);
        }
        if (role == roles::Sort) {
            return ownerText(connection, owner).toLower();
        }
        if (role == Qt::ToolTipRole) {
            return owner != nullptr ? processToolTip(*owner, update)
                                    : coreText(core::describe(socket.ownerStatus));
        }
        if (role == Qt::DecorationRole && owner != nullptr) {
            return processIcon(owner->process);
        }
        return {};
    case Field::Pid:
        if (role == Qt::DisplayRole) {
            return socket.owner.pid > 0 ? QString::number(socket.owner.pid) : QString();
        }
        if (role == roles::Sort) {
            return static_cast<qlonglong>(socket.owner.pid);
        }
        return {};
    case Field::Protocol:
        if (role == Qt::DisplayRole || role == roles::Sort) {
            return protocolText(socket);
        }
        return {};
    case Field::Local:
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
            return fromStd(socket.local.toString());
        }
        if (role == roles::Sort) {
            return endpointSortKey(socket.local);
        }
        return {};
    case Field::Remote:
        if (role == Qt::DisplayRole) {
            return remoteText(connection);
        }
        if (role == Qt::ToolTipRole) {
            return literalRichText(remoteText(connection)); // host names come from DNS
        }
        if (role == roles::Sort) {
            return endpointSortKey(socket.remote);
        }
        return {};
    case Field::State:
        if (role == Qt::DisplayRole) {
            return stateText(connection);
        }
        if (role == roles::Sort) {
            return (connection.open ? 0 : 100) + static_cast<int>(socket.state);
        }
        if (role == Qt::ToolTipRole && !connection.open) {
            return QObject::tr("Closed at %1").arg(timeText(connection.closedUnixMs));
        }
        return {};
    case Field::Scope: {
        const core::AddressScope scope = core::socketScope(socket);
        if (role == Qt::DisplayRole) {
            return fromStd(core::toString(scope));
        }
        if (role == Qt::ToolTipRole) {
            return coreText(core::describe(scope));
        }
        if (role == roles::Sort) {
            return static_cast<int>(scope);
        }
        return {};
    }
    case Field::SendRate:
        return rateCell(connection.hasRate, connection.sendBytesPerSecond, role);
    case Field::ReceiveRate:
        return rateCell(connection.hasRate, connection.receiveBytesPerSecond, role);
    case Field::Bytes:
        return bytesCell(connection.bytesSent, connection.bytesReceived, role);
    case Field::Age: {
        const std::int64_t end = connection.open ? nowUnixMs : connection.closedUnixMs;
        if (role == Qt::DisplayRole) {
            return connection.firstSeenUnixMs > 0 && end >= connection.firstSeenUnixMs
                       ? durationText(end - connection.firstSeenUnixMs)
                       : QString();
        }
        if (role == roles::Sort) {
            // Older first when ascending; the order of two open rows never changes with time.
            return static_cast<qlonglong>(-connection.firstSeenUnixMs);
        }
        if (role == Qt::ToolTipRole) {
            return QObject::tr("First seen %1").arg(timeText(connection.firstSeenUnixMs));
        }
        return {};
    }
    case Field::User:
        if (role == Qt::DisplayRole || role == roles::Sort) {
            return owner != nullptr ? userText(owner->process) : QString::number(socket.uid);
        }
        return {};
    case Field::Connections:
    case Field::Severity:
    case Field::Finding:
        return {};
    case Field::Path:
        if (owner != nullptr && (role == Qt::DisplayRole || role == roles::Sort)) {
            return pathText(owner->process);
        }
        if (owner != nullptr && role == Qt::ToolTipRole) {
            return literalRichText(pathText(owner->process));
        }
        return {};
    }
    return {};
}

QVariant processCell(Field field, const core::ProcessRow& row, const RowHighlight& highlight,
                     int role, const core::Update* update) {
    if (QVariant value = highlightCell(field, highlight, role);
        value.isValid() || field == Field::Change) {
        return value;
    }
    if (role == Qt::TextAlignmentRole) {
        return isNumeric(field) ? QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter)
                                : QVariant();
    }
    const core::Process& process = row.process;
    const bool unowned = !process.key.valid();
    switch (field) {
    case Field::Name:
        if (role == Qt::DisplayRole) {
            return unowned ? unownedGroupName() : fromStd(process.name);
        }
        if (role == roles::Sort) {
            return unowned ? QString() : fromStd(process.name).toLower();
        }
        if (role == Qt::ToolTipRole) {
            return unowned ? QObject::tr("Sockets without an owning process: TIME_WAIT and "
                                         "half-open requests belong to the kernel, and owners "
                                         "of other users' sockets are hidden without root.")
                           : processToolTip(row, update);
        }
        if (role == Qt::DecorationRole && !unowned) {
            return processIcon(process);
        }
        if (role == Qt::FontRole && unowned) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case Field::Pid:
        if (role == Qt::DisplayRole) {
            return unowned ? QString() : QString::number(process.key.pid);
        }
        if (role == roles::Sort) {
            return static_cast<qlonglong>(process.key.pid);
        }
        return {};
    case Field::User:
        if (!unowned && (role == Qt::DisplayRole || role == roles::Sort)) {
            return userText(process);
        }
        return {};
    case Field::Connections:
        if (role == Qt::DisplayRole) {
            return connectionsText(row.counts);
        }
        if (role == roles::Sort) {
            return static_cast<qlonglong>(row.counts.tcp + row.counts.udp);
        }
        if (role == Qt::ToolTipRole) {
            return QObject::tr("TCP %1, UDP %2, listening %3, established %4, closed recently %5")
                .arg(row.counts.tcp)
                .arg(row.counts.udp)
                .arg(row.counts.listening)
                .arg(row.counts.established)
                .arg(row.counts.closedRecently);
        }
        return {};
    case Field::SendRate:
        return rateCell(row.hasRate, row.sendBytesPerSecond, role);
    case Field::ReceiveRate:
        return rateCell(row.hasRate, row.receiveBytesPerSecond, role);
    case Field::Bytes:
        return bytesCell(row.bytesSentTotal, row.bytesReceivedTotal, role);
    case Field::Path:
        if (!unowned && (role == Qt::DisplayRole || role == roles::Sort)) {
            return pathText(process);
        }
        if (!unowned && role == Qt::ToolTipRole) {
            return literalRichText(pathText(process));
        }
        return {};
    case Field::Change:
    case Field::Protocol:
    case Field::Local:
    case Field::Remote:
    case Field::State:
    case Field::Scope:
    case Field::Age:
    case Field::Severity:
    case Field::Finding:
        return {};
    }
    return {};
}

QString unownedGroupName() {
    return QObject::tr("(no process)");
}

QString rateText(double bytesPerSecond) {
    return QString::fromStdString(core::formatRate(bytesPerSecond));
}

QString bytesText(std::uint64_t bytes) {
    return QString::fromStdString(core::formatBytes(bytes));
}

QString durationText(std::int64_t milliseconds) {
    const std::int64_t seconds = std::max<std::int64_t>(0, milliseconds / 1000);
    if (seconds < 60) {
        return QObject::tr("%1 s").arg(seconds);
    }
    const std::int64_t minutes = seconds / 60;
    if (minutes < 60) {
        return QObject::tr("%1 min %2 s").arg(minutes).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    }
    const std::int64_t hours = minutes / 60;
    if (hours < 24) {
        return QObject::tr("%1 h %2 min").arg(hours).arg(minutes % 60, 2, 10, QLatin1Char('0'));
    }
    return QObject::tr("%1 d %2 h").arg(hours / 24).arg(hours % 24);
}

QString dateTimeText(std::int64_t unixMs) {
    const QDateTime when = QDateTime::fromMSecsSinceEpoch(unixMs);
    const QLocale locale;
    if (locale.language() == QLocale::C) {
        return when.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    }
    return locale.toString(when.date(), QLocale::ShortFormat) + QLatin1Char(' ') +
           when.toString(QStringLiteral("HH:mm:ss"));
}

} // namespace portscope::gui
