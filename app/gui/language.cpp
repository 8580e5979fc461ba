#include "language.h"

#include <QAction>
#include <QActionGroup>
#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QMenu>
#include <QSettings>

namespace portscope::gui {
namespace {

const QString kSettingKey = QStringLiteral("ui/language");
const QString kResourceFolder = QStringLiteral(":/i18n");
// English is the language of the sources; its catalogue only gives the plural forms of the
// strings with %n ("1 active finding.", "2 active findings.").
const QString kEnglish = QStringLiteral("en");

// Where Qt's own translations may be: Qt's configured folder (Debian:
// /usr/share/qt6/translations from qt6-translations-l10n), then a "translations" folder next
// to the program, where windeployqt puts them.
QStringList qtTranslationFolders() {
    return {QLibraryInfo::path(QLibraryInfo::TranslationsPath),
            QCoreApplication::applicationDirPath() + QStringLiteral("/translations")};
}

} // namespace

QString languageSetting() {
    return QSettings().value(kSettingKey).toString();
}

void setLanguageSetting(const QString& code) {
    QSettings settings;
    if (code.isEmpty()) {
        settings.remove(kSettingKey);
    } else {
        settings.setValue(kSettingKey, code);
    }
}

QList<LanguageOption> availableLanguages() {
    QList<LanguageOption> languages{{QStringLiteral("en"), QStringLiteral("English")}};
    const QStringList files =
        QDir(kResourceFolder).entryList({QStringLiteral("portscope_*.qm")}, QDir::Files);
    for (const QString& file : files) {
        const QString code = file.mid(10, file.size() - 13); // portscope_<code>.qm
        if (code == kEnglish) {
            continue; // listed first
        }
        const QLocale locale(code);
        languages.push_back({code, locale.nativeLanguageName()});
    }
    return languages;
}

QLocale localeForSetting(const QString& setting) {
    return setting.isEmpty() ? QLocale::system() : QLocale(setting);
}

InstalledTranslations::~InstalledTranslations() {
    if (portscope_) {
        QCoreApplication::removeTranslator(portscope_.get());
    }
    if (qt_) {
        QCoreApplication::removeTranslator(qt_.get());
    }
}

bool InstalledTranslations::install(const QLocale& locale) {
    QLocale::setDefault(locale);
    auto portscope = std::make_unique<QTranslator>();
    // Tries each of the locale's UI languages in turn ("ja-JP", "ja"...), else English.
    const bool translated =
        portscope->load(locale, QStringLiteral("portscope"), QStringLiteral("_"), kResourceFolder);
    if (!translated && !portscope->load(QStringLiteral("portscope_") + kEnglish, kResourceFolder)) {
        return false;
    }
    QCoreApplication::installTranslator(portscope.get());
    const QLocale language(portscope->language());
    portscope_ = std::move(portscope);
    if (!translated) {
        return false;
    }
    // Qt's own dialogs speak the language PortScope's catalogue was found in.
    for (const QString& folder : qtTranslationFolders()) {
        auto qt = std::make_unique<QTranslator>();
        if (qt->load(language, QStringLiteral("qtbase"), QStringLiteral("_"), folder)) {
            QCoreApplication::installTranslator(qt.get());
            qt_ = std::move(qt);
            break;
        }
    }
    return true;
}

QMenu* makeLanguageMenu(QWidget* parent) {
    auto* menu = new QMenu(QCoreApplication::translate("portscope::gui::LanguageMenu",
                                                       "&Language (applies after a restart)"),
                           parent);
    menu->setObjectName(QStringLiteral("languageMenu"));
    auto* group = new QActionGroup(menu);
    const QString current = languageSetting();
    auto addChoice = [&](const QString& code, const QString& name) {
        QAction* action = menu->addAction(name);
        action->setCheckable(true);
        action->setChecked(code == current);
        action->setData(code);
        group->addAction(action);
    };
    addChoice(QString(),
              QCoreApplication::translate("portscope::gui::LanguageMenu", "System default"));
    menu->addSeparator();
    for (const LanguageOption& language : availableLanguages()) {
        addChoice(language.code, language.nativeName);
    }
    QObject::connect(group, &QActionGroup::triggered, menu, [](QAction* action) {
        const QString code = action->data().toString();
        setLanguageSetting(action->data().toString());
    });
    return menu;
}

} // namespace portscope::gui
