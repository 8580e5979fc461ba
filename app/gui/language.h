#pragma once
// Which language the GUI speaks: the system's (LANGUAGE, LC_ALL, LC_MESSAGES, LANG on Linux;
// the user's display language on Windows), or the one picked in View › Language, which is
// kept in QSettings and applies from the next start. PortScope's translations are embedded
// as Qt resources (:/i18n/portscope_<language>.qm, from resources/translations/); Qt's own,
// for its standard dialogs and buttons (qtbase_<language>.qm), come from Qt's translations
// folder or a "translations" folder next to the program (Windows).

#include <QList>
#include <QLocale>
#include <QString>
#include <QTranslator>
#include <memory>
#include <vector>

class QMenu;
class QWidget;

namespace portscope::gui {

// The View › Language setting: "" for the system's language, else a language code ("en",
// "ja").
QString languageSetting();
void setLanguageSetting(const QString& code);

struct LanguageOption {
    QString code;       // "en", "ja"
    QString nativeName; // "English", "日本語": a language is listed in its own words
};
// English and every language with an embedded translation.
QList<LanguageOption> availableLanguages();

// The locale the GUI uses for `setting` ("" for the system's).
QLocale localeForSetting(const QString& setting);

// The translators of one language, installed on the application for as long as this lives.
class InstalledTranslations {
public:
    InstalledTranslations() = default;
    InstalledTranslations(const InstalledTranslations&) = delete;
    InstalledTranslations& operator=(const InstalledTranslations&) = delete;
    ~InstalledTranslations();

    // Loads PortScope's and Qt's translations for `locale` and makes `locale` the default for
    // QLocale(). Returns false when PortScope has no translation for it, and then the GUI
    // speaks English, with English plurals ("1 active finding.", "2 active findings.").
    bool install(const QLocale& locale);
    bool hasQtTranslation() const { return qt_ != nullptr; }

private:
    std::unique_ptr<QTranslator> portscope_;
    std::unique_ptr<QTranslator> qt_;
};

// View › Language: the system's language, English and each translation, checked as set;
// choosing one saves it. Its title says that the choice applies when PortScope starts again.
QMenu* makeLanguageMenu(QWidget* parent);

} // namespace portscope::gui
