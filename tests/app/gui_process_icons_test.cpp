// Process icons from the desktop's entries: a temporary XDG data directory with real .desktop
// files and images, read the way a desktop session would.

#include "process_icons.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <gtest/gtest.h>
#include <utility>

namespace portscope::gui {
namespace {

// The colour at the middle of what `icon` draws at list size.
QColor centreColour(const QIcon& icon) {
    return icon.pixmap(QSize(16, 16)).toImage().pixelColor(8, 8);
}

TEST(ProcessIconsTest, UsesTheIconOfTheDesktopEntryThatNamesTheProgram) {
    QTemporaryDir data;
    ASSERT_TRUE(data.isValid());
    const QDir root(data.path());
    ASSERT_TRUE(root.mkpath(QStringLiteral("applications")));
    ASSERT_TRUE(root.mkpath(QStringLiteral("pixmaps")));
    ASSERT_TRUE(root.mkpath(QStringLiteral("images")));
    const auto writeImage = [](const QString& path, QColor colour) {
        QImage image(16, 16, QImage::Format_ARGB32);
        image.fill(colour);
        ASSERT_TRUE(image.save(path, "PNG"));
    };
    const QString absoluteIcon = root.filePath(QStringLiteral("images/tool.png"));
    writeImage(absoluteIcon, Qt::red);
    writeImage(root.filePath(QStringLiteral("pixmaps/portscope-test-viewer.png")), Qt::blue);
    const auto writeEntry = [&](const QString& name, const QString& body) {
        QFile file(root.filePath(QStringLiteral("applications/") + name));
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        file.write(("[Desktop Entry]\nType=Application\nName=Test\n" + body).toUtf8());
    };
    writeEntry(QStringLiteral("tool.desktop"),
               QStringLiteral("Exec=/opt/portscope-test/tool %F\nIcon=") + absoluteIcon + "\n");
    writeEntry(QStringLiteral("viewer.desktop"),
               QStringLiteral("Exec=env A=1 portscope-test-viewer\nIcon=portscope-test-viewer\n"));
    writeEntry(QStringLiteral("shell.desktop"),
               QStringLiteral("Exec=sh -c x\nIcon=") + absoluteIcon + "\n");

    // The data directories come from the environment, as on a desktop.
    const QByteArray savedDirs = qgetenv("XDG_DATA_DIRS");
    const QByteArray savedHome = qgetenv("XDG_DATA_HOME");
    qputenv("XDG_DATA_DIRS", QFile::encodeName(data.path()));
    qputenv("XDG_DATA_HOME", QFile::encodeName(root.filePath(QStringLiteral("none"))));
    ProcessIcons icons(ProcessIcons::Options{});
    QSignalSpy ready(&icons, &ProcessIcons::iconsChanged);
    const QIcon first =
        icons.iconFor(QStringLiteral("/opt/portscope-test/tool"), QStringLiteral("tool"));
    ASSERT_TRUE(ready.wait(5000) || ready.count() == 1);
    qputenv("XDG_DATA_DIRS", savedDirs);
    qputenv("XDG_DATA_HOME", savedHome);
    EXPECT_TRUE(icons.ready());

    const QColor grey = centreColour(ProcessIcons::genericIcon(QStringLiteral("tool")));
    EXPECT_NE(grey, QColor(Qt::red));
    EXPECT_EQ(centreColour(first), grey) << "the tile until the entries are read";
    // By path, with the icon an absolute file.
    EXPECT_EQ(centreColour(icons.iconFor(QStringLiteral("/opt/portscope-test/tool"),
                                         QStringLiteral("tool"))),
              QColor(Qt::red));
    // By file name, with the icon in pixmaps/.
    EXPECT_EQ(centreColour(icons.iconFor(QStringLiteral("/usr/local/bin/portscope-test-viewer"),
                                         QStringLiteral("viewer"))),
              QColor(Qt::blue));
    // No entry, no path, or only a shell entry: the same grey tile for every name.
    for (const auto& [path, name] : {std::pair{"/usr/bin/portscope-unknown", "unknown"},
                                     std::pair{"", "tool"}, std::pair{"/bin/sh", "sh"}}) {
        const QIcon icon = icons.iconFor(QString::fromLatin1(path), QString::fromLatin1(name));
        EXPECT_EQ(centreColour(icon).rgb() & 0x00ffffffu,
                  centreColour(ProcessIcons::genericIcon(QString::fromLatin1(name))).rgb() &
                      0x00ffffffu)
            << path;
        EXPECT_NE(centreColour(icon), QColor(Qt::red)) << path;
    }
}

} // namespace
} // namespace portscope::gui
