#include "rich_text.h"

namespace portscope::gui {

QString escapedForRichText(const QString& plain) {
    QString escaped = plain.toHtmlEscaped();
    escaped.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    return escaped;
}

QString literalRichText(const QString& plain) {
    return QStringLiteral("<qt>") + escapedForRichText(plain) + QStringLiteral("</qt>");
}

} // namespace portscope::gui
