#pragma once
// The languages of portscope-cli's human-readable output. The translations are those of the
// GUI (resources/translations/*.ts), compiled into the program as a table by
// generate_catalogues.cmake; JSON, NDJSON and CSV stay in English for the programs that
// read them.

#include "portscope/core/findings_text.h"

#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace portscope::cli {

struct CatalogueEntry {
    std::string_view context; // "FindingText", "CoreText", "SystemText", "CliText"
    std::string_view english;
    std::string_view translation;
};

struct Catalogue {
    std::string_view language; // "ja"
    std::span<const CatalogueEntry> entries;
};

// Every translation compiled in (generated).
const std::vector<Catalogue>& compiledCatalogues();

// "en" and the language of every compiled catalogue.
std::vector<std::string> availableLanguages();

// The language the environment asks for, as POSIX programs read it: LC_ALL, else
// LC_MESSAGES, else LANG ("ja_JP.UTF-8" gives "ja"); LANGUAGE's first entry wins over them
// unless the locale is C or POSIX. "en" when none names a language we have.
std::string languageFromEnvironment();

// Words findings and the CLI's labels from one catalogue.
class CatalogueWording final : public core::FindingWording {
public:
    explicit CatalogueWording(const Catalogue& catalogue);
    std::string translate(const char* context, const char* english) const override;

private:
    std::unordered_map<std::string, std::string_view> translations_; // context + '\n' + English
};

// The wording of `language` ("en" or one of availableLanguages()); English for any other.
const core::FindingWording& wordingFor(std::string_view language);

} // namespace portscope::cli
