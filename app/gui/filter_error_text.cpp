#include "filter_error_text.h"

#include "portscope/core/filter_query.h"

#include <QObject>

namespace portscope::gui {

namespace {

QString fromStd(const std::string& text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

// What the parts of `error` say, without the position.
QString reason(const core::FilterQueryError& error) {
    using Kind = core::FilterErrorKind;
    const QString subject = fromStd(error.subject);
    const QString suggestion = fromStd(error.suggestion);
    const QString maximum = QString::number(error.maximum);
    switch (error.kind) {
    case Kind::NothingToNegate:
        return QObject::tr("'%1' must be followed by the term to exclude, e.g. -state:time_wait.")
            .arg(subject);
    case Kind::TextAfterQuote:
        return QObject::tr("Put a space after the closing quote before the next term.");
    case Kind::TextAfterQuoteInValue:
        return QObject::tr("Put a space (next term) or a comma (another alternative) after the "
                           "closing quote.");
    case Kind::UnclosedQuote:
        return QObject::tr("The quote opened here is never closed; add a closing \".");
    case Kind::UnknownField: {
        const QString known = fromStd(std::string(core::knownFilterFields()));
        return suggestion.isEmpty()
                   ? QObject::tr("Unknown field '%1:'. Known fields: %2. To search for text "
                                 "containing ':', put it in quotes.")
                         .arg(subject, known)
                   : QObject::tr("Unknown field '%1:'. Did you mean %2:? Known fields: %3. To "
                                 "search for text containing ':', put it in quotes.")
                         .arg(subject, suggestion, known);
    }
    case Kind::MissingValue:
        return QObject::tr("'%1:' needs a value, e.g. %2.").arg(subject, fromStd(error.example));
    case Kind::EmptyAlternative:
        return QObject::tr("'%1:' has an empty alternative; remove the extra comma.").arg(subject);
    case Kind::NotAPort:
        return QObject::tr("'%1' is not a port (0-%2) or a range such as 135-139.")
            .arg(subject, maximum);
    case Kind::PortOutOfRange:
        return QObject::tr("'%1' is out of range: a port lies within 0-%2.").arg(subject, maximum);
    case Kind::NotAProcessId:
        return QObject::tr("'%1' is not a process id (0-%2) or a range such as 100-200.")
            .arg(subject, maximum);
    case Kind::ProcessIdOutOfRange:
        return QObject::tr("'%1' is out of range: a process id lies within 0-%2.")
            .arg(subject, maximum);
    case Kind::BackwardsRange:
        return QObject::tr("The range %1 is backwards; write %2-%3.")
            .arg(subject)
            .arg(error.low)
            .arg(error.high);
    case Kind::UnknownState:
        return suggestion.isEmpty()
                   ? QObject::tr("'%1' is not a socket state. Use listen, established, syn_sent, "
                                 "syn_recv, fin_wait1, fin_wait2, time_wait, close_wait, "
                                 "last_ack, closing, bound, or closed for connections that have "
                                 "gone.")
                         .arg(subject)
                   : QObject::tr("'%1' is not a socket state. Did you mean %2?")
                         .arg(subject, suggestion);
    case Kind::UnknownProtocol:
        return suggestion.isEmpty()
                   ? QObject::tr("'%1' is not a protocol. Use tcp, udp, tcp4, tcp6, udp4 or udp6.")
                         .arg(subject)
                   : QObject::tr("'%1' is not a protocol. Did you mean %2?")
                         .arg(subject, suggestion);
    case Kind::UnknownFamily:
        return QObject::tr("'%1' is not an address family. Use 4, 6, ipv4 or ipv6.").arg(subject);
    case Kind::UnknownScope:
        return suggestion.isEmpty()
                   ? QObject::tr("'%1' is not a scope. Use loopback, lan, link-local, private, "
                                 "ula, multicast, internet or any.")
                         .arg(subject)
                   : QObject::tr("'%1' is not a scope. Did you mean %2?").arg(subject, suggestion);
    case Kind::BadAddressRange:
        return QObject::tr("'%1' is not a range of addresses: write the lower address first, both "
                           "of one family, e.g. 192.168.0.1-192.168.0.100.")
            .arg(subject);
    case Kind::BadAddress:
        // The address parser's reason comes from core, in English.
        return error.detail.empty()
                   ? QObject::tr("'%1' is not an IP address, a network such as 10.0.0.0/8, or a "
                                 "range such as 192.168.0.1-192.168.0.100.")
                         .arg(subject)
                   : QObject::tr("'%1' is not an IP address, a network such as 10.0.0.0/8, or a "
                                 "range such as 192.168.0.1-192.168.0.100 (%2).")
                         .arg(subject, fromStd(error.detail));
    }
    return fromStd(error.message);
}

} // namespace

QString filterErrorText(const QString& query, const core::FilterQueryError& error) {
    const QByteArray utf8 = query.toUtf8();
    const std::size_t character = core::characterNumber(
        std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size())), error.position);
    return QObject::tr("Filter not applied, character %1: %2")
        .arg(QString::number(character), reason(error));
}

} // namespace portscope::gui
