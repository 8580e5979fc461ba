// Where exports, recordings and captures are suggested: one folder for a ticket's files,
// one naming scheme, and never a folder that does not exist.

#include "evidence_paths.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QTemporaryDir>
#include <gtest/gtest.h>

namespace portscope::gui {
namespace {

class EvidencePaths : public ::testing::Test {
protected:
    void SetUp() override {
        QSettings().clear();
        ASSERT_TRUE(home.isValid());
        savedHome = qgetenv("HOME");
        savedConfig = qgetenv("XDG_CONFIG_HOME");
        qputenv("HOME", home.path().toLocal8Bit());
        qputenv("XDG_CONFIG_HOME",
                QDir(home.path()).filePath(QStringLiteral("config")).toLocal8Bit());
    }
    void TearDown() override {
        qputenv("HOME", savedHome);
        qputenv("XDG_CONFIG_HOME", savedConfig);
        QSettings().clear();
    }
    QTemporaryDir home;
    QByteArray savedHome;
    QByteArray savedConfig;
};

TEST_F(EvidencePaths, WithoutADocumentsFolderTheHomeFolderIsSuggested) {
    const QString path =
        suggestedEvidencePath(QStringLiteral("db1"), QString(), QStringLiteral("html"));
    EXPECT_EQ(QFileInfo(path).absolutePath(), QDir(home.path()).absolutePath());
    EXPECT_TRUE(QFileInfo(path).fileName().startsWith(QStringLiteral("portscope-db1-")));
    EXPECT_TRUE(path.endsWith(QStringLiteral(".html")));
}

TEST_F(EvidencePaths, TheDocumentsFolderWhenItExists) {
    ASSERT_TRUE(QDir(home.path()).mkdir(QStringLiteral("Documents")));
    const QString path =
        suggestedEvidencePath(QStringLiteral("db1"), QString(), QStringLiteral("pcapng"));
    EXPECT_EQ(QFileInfo(path).absolutePath(),
              QDir(home.path()).filePath(QStringLiteral("Documents")));
}

TEST_F(EvidencePaths, TheLastFolderUsedServesExportsRecordingsAndCapturesAlike) {
    QTemporaryDir ticket;
    rememberEvidenceFolder(QDir(ticket.path()).filePath(QStringLiteral("report.html")));
    for (const char* suffix : {"html", "psreplay", "pcapng"}) {
        const QString path =
            suggestedEvidencePath(QStringLiteral("db1"), QString(), QString::fromLatin1(suffix));
        EXPECT_EQ(QFileInfo(path).absolutePath(), QDir(ticket.path()).absolutePath()) << suffix;
    }
    // A folder that has gone since is not suggested.
    const QString gone = ticket.path();
    ticket.remove();
    EXPECT_NE(QFileInfo(suggestedEvidencePath(QStringLiteral("h"), {}, QStringLiteral("csv")))
                  .absolutePath(),
              QDir(gone).absolutePath());
}

TEST_F(EvidencePaths, HostileHostAndProcessNamesNeverShapeThePath) {
    const QString path =
        suggestedEvidencePath(QStringLiteral("../../etc/x y"), QStringLiteral("sshd;rm -rf /-42"),
                              QStringLiteral("html"));
    EXPECT_EQ(QFileInfo(path).absolutePath(), QDir(home.path()).absolutePath());
    EXPECT_FALSE(QFileInfo(path).fileName().contains(QLatin1Char('/')));
    EXPECT_TRUE(QFileInfo(path).fileName().startsWith(
        QStringLiteral("portscope-.._.._etc_x_y-sshd_rm_-rf__-42-")));
}

} // namespace
} // namespace portscope::gui
