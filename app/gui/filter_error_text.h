#pragma once
// The filter bar's error line: where the query goes wrong, counted in characters, and why,
// worded from core's error parts so that it can be translated.

#include <QString>

namespace portscope::core {
struct FilterQueryError;
}

namespace portscope::gui {

// "Filter not applied, character 6: Unknown field 'stat:'. Did you mean state:? …" for
// `error` in `query`.
QString filterErrorText(const QString& query, const core::FilterQueryError& error);

} // namespace portscope::gui
