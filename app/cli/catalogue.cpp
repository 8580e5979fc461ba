#include "catalogue.h"

#include <cstdlib>
#include <map>
#include <memory>

namespace portscope::cli {
namespace {

std::string key(std::string_view context, std::string_view english) {
    std::string out(context);
    out += '\n';
    out += english;
    return out;
}

std::string_view environment(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string_view() : std::string_view(value);
}

// "ja_JP.UTF-8" -> "ja"; "" for the C locale.
std::string languageOfLocale(std::string_view locale) {
    const std::size_t end = locale.find_first_of("_.@:");
    std::string language(locale.substr(0, end));
    return language == "C" || language == "POSIX" ? std::string() : language;
}

bool available(const std::string& language) {
    for (const std::string& known : availableLanguages()) {
        if (known == language) {
            return true;
        }
    }
    return false;
}

} // namespace

std::vector<std::string> availableLanguages() {
    std::vector<std::string> languages{"en"};
    for (const Catalogue& catalogue : compiledCatalogues()) {
        languages.emplace_back(catalogue.language);
    }
    return languages;
}

std::string languageFromEnvironment() {
    std::string_view locale = environment("LC_ALL");
    if (locale.empty()) {
        locale = environment("LC_MESSAGES");
    }
    if (locale.empty()) {
        locale = environment("LANG");
    }
    const std::string fromLocale = languageOfLocale(locale);
    if (fromLocale.empty()) {
        return "en";
    }
    // LANGUAGE lists choices in order ("ja:en"); the first one we have wins.
    std::string_view choices = environment("LANGUAGE");
    for (std::size_t i = 0; i < 16 && !choices.empty(); ++i) {
        const std::size_t colon = choices.find(':');
        const std::string language = languageOfLocale(choices.substr(0, colon));
        if (!language.empty() && available(language)) {
            return language;
        }
        choices = colon == std::string_view::npos ? std::string_view() : choices.substr(colon + 1);
    }
    return available(fromLocale) ? fromLocale : "en";
}

CatalogueWording::CatalogueWording(const Catalogue& catalogue) {
    for (const CatalogueEntry& entry : catalogue.entries) {
        translations_.emplace(key(entry.context, entry.english), entry.translation);
    }
}

std::string CatalogueWording::translate(const char* context, const char* english) const {
    const auto it = translations_.find(key(context, english));
    return it == translations_.end() ? std::string(english) : std::string(it->second);
}

const core::FindingWording& wordingFor(std::string_view language) {
    // Built once, on first use; thread-safe as a static's initialisation is.
    static const auto wordings = [] {
        std::map<std::string, std::unique_ptr<CatalogueWording>, std::less<>> out;
        for (const Catalogue& catalogue : compiledCatalogues()) {
            out.emplace(std::string(catalogue.language),
                        std::make_unique<CatalogueWording>(catalogue));
        }
        return out;
    }();
    const auto it = wordings.find(language);
    return it == wordings.end() ? core::englishWording() : *it->second;
}

} // namespace portscope::cli
