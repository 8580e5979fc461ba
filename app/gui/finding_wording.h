#pragma once
// The findings' sentences in the GUI's language. Core words a finding from English templates
// (findings_text.h); here each template is translated by Qt from the "FindingText" context of
// the installed catalogue (the platform layer's sentences from "SystemText"), and numbers take the
// default QLocale's separators. Without a translator the text is the English that core stored in
// the finding.

#include <QString>
#include <QStringList>

// Forward declaration only: moc cannot parse the C++20 standard headers of core.
namespace portscope::core {
struct Finding;
struct SystemText;
} // namespace portscope::core
namespace portscope::platform {
struct ActionResult;
} // namespace portscope::platform

namespace portscope::gui {

struct LocalizedFindingText {
    QString summary;
    QString action;
    QStringList details;
};

LocalizedFindingText localizedFindingText(const core::Finding& finding);
QString localizedSummary(const core::Finding& finding);
// "5 s", "3 h 5 min" in the GUI's language, as the findings say it.
QString localizedDuration(qint64 milliseconds);
// A sentence of the platform layer (a snapshot's warning) in the GUI's language, from the
// "SystemText" context.
QString localizedSystemText(const core::SystemText& text);
// Why a kill or a close did (not) work, in the GUI's language.
QString localizedActionMessage(const platform::ActionResult& result);

} // namespace portscope::gui
