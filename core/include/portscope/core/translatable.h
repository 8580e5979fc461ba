#pragma once
// Marks English text of core for the message catalogues (resources/translations/*.ts). The
// text is unchanged here; a front end looks up its translation by context and text: the GUI
// through Qt (QCoreApplication::translate), the CLI in the catalogue compiled into it
// (docs/architecture.md, "Languages"). lupdate reads PORTSCOPE_TRANSLATABLE as Qt's
// QT_TRANSLATE_NOOP (app/gui/CMakeLists.txt), so the context and the text must be string
// literals at each use, and each text must be unique within its context.
//
// Contexts: "FindingText" for the findings' sentences, "CoreText" for core's other words
// shown to users (address scopes, socket owner status), "SystemText" for the platform layer's
// sentences (a snapshot's warnings, why a kill or a close failed; core/system_text.h), and
// "CliText" for the CLI's own words in its human-readable output.

#define PORTSCOPE_TRANSLATABLE(context, text) text
