#pragma once
// Text from other processes and the network (process names, command lines, paths, user and
// host names, finding summaries) shown where Qt guesses whether a string is rich text:
// tooltips, message boxes, Qt::AutoText labels, chart titles. Qt takes "<b>x</b><img src=...>"
// for markup, so such text goes through one of these two functions before it is shown there.

#include <QString>

namespace portscope::gui {

// `plain` escaped for a place inside rich text: &, <, > and " become entities and a line break
// becomes <br>, so it reads as it was.
QString escapedForRichText(const QString& plain);

// `plain` as a whole rich text that shows it literally: escaped and marked as rich text with
// <qt>, so no guess can take it for markup. For a tooltip or a message box text.
QString literalRichText(const QString& plain);

} // namespace portscope::gui
