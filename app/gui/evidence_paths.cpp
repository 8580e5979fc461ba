#include "evidence_paths.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

namespace portscope::gui {

namespace {

constexpr auto kLastFolderKey = "export/lastFolder";

QString fileNamePart(const QString& text) {
    QString out;
    for (const QChar c : text.left(64)) {
        const bool plain = (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
                           (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) ||
                           (c >= QLatin1Char('0') && c <= QLatin1Char('9')) ||
                           c == QLatin1Char('.') || c == QLatin1Char('-');
        out += plain ? c : QLatin1Char('_');
    }
    return out;
}

} // namespace

QString evidenceFolder() {
    const QString last = QSettings().value(QLatin1String(kLastFolderKey)).toString();
    if (!last.isEmpty() && QFileInfo(last).isDir()) {
        return last;
    }
    // A file dialog opened on a folder that does not exist shows the current directory,
    // which for a program started from a menu is anywhere.
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (!documents.isEmpty() && QFileInfo(documents).isDir()) {
        return documents;
    }
    return QDir::homePath();
}

void rememberEvidenceFolder(const QString& filePath) {
    QSettings().setValue(QLatin1String(kLastFolderKey), QFileInfo(filePath).absolutePath());
}

QString suggestedEvidencePath(const QString& host, const QString& subject, const QString& suffix) {
    QString name = fileNamePart(host.isEmpty() ? QStringLiteral("host") : host);
    if (!subject.isEmpty()) {
        name += QLatin1Char('-') + fileNamePart(subject);
    }
    return QDir(evidenceFolder())
        .filePath(QStringLiteral("portscope-%1-%2.%3")
                      .arg(name,
                           QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")),
                           suffix));
}

} // namespace portscope::gui
