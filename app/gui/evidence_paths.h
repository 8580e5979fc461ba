#pragma once
// Where evidence goes: exports, recordings and captures share one folder (the last one used,
// else Documents, else home) and one naming scheme, portscope-HOST[-SUBJECT]-TIME.SUFFIX,
// so that a ticket's files sit together and say which machine they are about.

#include <QString>

namespace portscope::gui {

QString evidenceFolder();
// Remembers the folder of a file just written, for the next suggestion.
void rememberEvidenceFolder(const QString& filePath);
// A path in evidenceFolder(). Host and subject may hold anything: only letters, digits, '-'
// and '.' reach the file name.
QString suggestedEvidencePath(const QString& host, const QString& subject, const QString& suffix);

} // namespace portscope::gui
