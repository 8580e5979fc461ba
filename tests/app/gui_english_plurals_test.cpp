// English plurals. English is the language of the sources, whose "%n active finding(s)." reads
// badly as it stands; the English catalogue (resources/translations/portscope_en.ts) gives
// each such string its singular and plural form. It is installed when English is chosen and
// when the system speaks a language PortScope has no translation for.

#include "findings_panel.h"
#include "language.h"
#include "portscope/core/findings.h"
#include "portscope/core/update.h"

#include <QLabel>
#include <QLocale>
#include <gtest/gtest.h>
#include <memory>

namespace portscope::gui {
namespace {

core::Finding newListener(core::FindingId id) {
    core::Finding finding;
    finding.id = id;
    finding.ruleId = std::string(core::rules::kNewListener);
    finding.severity = core::Severity::Low;
    finding.process = core::ProcessKey{static_cast<std::int32_t>(900 + id), 77};
    finding.processName = "listener";
    finding.summary = "listener listens on a new port";
    return finding;
}

// The heading of a Findings tab that lists `count` findings.
QString findingsHeading(int count) {
    auto update = std::make_shared<core::Update>();
    update->unixMs = 1'700'000'000'000;
    for (int id = 1; id <= count; ++id) {
        update->findings.push_back(newListener(static_cast<core::FindingId>(id)));
    }
    FindingsPanel panel;
    panel.showFindings(update, 0, 0);
    const auto* heading = panel.findChild<QLabel*>(QStringLiteral("findingsHeading"));
    return heading != nullptr ? heading->text() : QStringLiteral("(no heading)");
}

// InstalledTranslations::install makes its locale the default; the other tests of this process
// expect the one they started with.
class EnglishPlurals : public ::testing::Test {
protected:
    void TearDown() override { QLocale::setDefault(startLocale_); }

private:
    QLocale startLocale_;
};

TEST_F(EnglishPlurals, EnglishCountsOneFindingAndTwoFindings) {
    InstalledTranslations english;
    EXPECT_TRUE(english.install(QLocale(QLocale::English, QLocale::UnitedStates)));
    EXPECT_EQ(findingsHeading(1).toStdString(), "1 active finding.");
    EXPECT_EQ(findingsHeading(2).toStdString(), "2 active findings.");
}

TEST_F(EnglishPlurals, AnUntranslatedSystemLanguageGetsEnglishWithItsPlurals) {
    InstalledTranslations french;
    EXPECT_FALSE(french.install(QLocale(QLocale::French, QLocale::France)))
        << "PortScope has no French; the GUI speaks English";
    EXPECT_FALSE(french.hasQtTranslation()) << "Qt's own dialogs speak English too";
    EXPECT_EQ(findingsHeading(1).toStdString(), "1 active finding.");
    EXPECT_EQ(findingsHeading(2).toStdString(), "2 active findings.");
}

TEST_F(EnglishPlurals, TheLanguageMenuListsEnglishOnce) {
    int english = 0;
    for (const LanguageOption& language : availableLanguages()) {
        english += language.code == QStringLiteral("en") ? 1 : 0;
    }
    EXPECT_EQ(english, 1);
}

} // namespace
} // namespace portscope::gui
