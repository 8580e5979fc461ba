#include "process_icons.h"

#include "portscope/platform/desktop_entries.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QFont>
#include <QFutureWatcher>
#include <QPainter>
#include <QPixmap>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#ifdef Q_OS_WIN
#include <QFileIconProvider>
#endif

namespace portscope::gui {

namespace {

// Enough for every program of a long session; bounds the memory all the same.
constexpr qsizetype kMaxCachedIcons = 4096;

// Image files an Icon= path may name. Anything else (a device, a document) is not handed to
// the image readers.
bool isIconFile(const QFileInfo& file) {
    static const QStringList kSuffixes{QStringLiteral("png"), QStringLiteral("svg"),
                                       QStringLiteral("svgz"), QStringLiteral("xpm")};
    return file.isFile() && file.size() <= ProcessIcons::kMaxIconFileBytes &&
           kSuffixes.contains(file.suffix().toLower());
}

// An icon that draws something at list size: a theme may list a picture in a format this Qt
// cannot read (SVG without the SVG plugin), which would leave a blank.
QIcon drawable(const QIcon& icon) {
    return !icon.isNull() && !icon.pixmap(QSize(16, 16)).isNull() ? icon : QIcon();
}

using IndexPointer = std::shared_ptr<const platform::DesktopIconIndex>;

} // namespace

ProcessIcons::ProcessIcons(Options options, QObject* parent)
    : QObject(parent), options_(std::move(options)) {
#ifndef Q_OS_LINUX
    // Other systems keep icons in the program files; there is nothing to read first.
    started_ = true;
    ready_ = true;
#endif
}

ProcessIcons::~ProcessIcons() = default;

ProcessIcons& ProcessIcons::shared() {
    static QPointer<ProcessIcons> instance;
    if (instance.isNull()) {
        instance = new ProcessIcons(Options{}, QCoreApplication::instance());
    }
    return *instance;
}

QIcon ProcessIcons::iconFor(const QString& exePath, const QString& name) {
    if (!exePath.isEmpty()) {
        if (!started_) {
            startIndex();
        }
        if (ready_) {
            auto it = cache_.constFind(exePath);
            if (it == cache_.constEnd()) {
                if (cache_.size() >= kMaxCachedIcons) {
                    cache_.clear();
                }
                it = cache_.insert(exePath, desktopIcon(exePath));
            }
            if (!it->isNull()) {
                return *it;
            }
        }
    }
    return genericIcon(name);
}

void ProcessIcons::startIndex() {
    started_ = true;
    if (options_.dataDirectories.empty()) {
        options_.dataDirectories = platform::xdgDataDirectories();
    }
    std::vector<std::filesystem::path> applicationDirs;
    for (const std::filesystem::path& dir : options_.dataDirectories) {
        applicationDirs.push_back(dir / "applications");
    }
    auto* watcher = new QFutureWatcher<IndexPointer>(this);
    connect(watcher, &QFutureWatcher<IndexPointer>::finished, this, [this, watcher] {
        index_ = watcher->result();
        watcher->deleteLater();
        ready_ = true;
        cache_.clear();
        Q_EMIT iconsChanged();
    });
    watcher->setFuture(QtConcurrent::run([applicationDirs = std::move(applicationDirs)] {
        return IndexPointer(std::make_shared<const platform::DesktopIconIndex>(
            platform::DesktopIconIndex::build(applicationDirs)));
    }));
}

QIcon ProcessIcons::desktopIcon(const QString& exePath) const {
#ifdef Q_OS_WIN
    return drawable(QFileIconProvider().icon(QFileInfo(exePath)));
#else
    if (!index_) {
        return {};
    }
    const std::string icon = index_->iconFor(exePath.toStdString());
    return icon.empty() ? QIcon() : loadIcon(QString::fromStdString(icon));
#endif
}

QIcon ProcessIcons::loadIcon(const QString& iconValue) const {
    if (iconValue.startsWith(QLatin1Char('/'))) {
        const QFileInfo file(iconValue);
        return isIconFile(file) ? drawable(QIcon(file.absoluteFilePath())) : QIcon();
    }
    if (QIcon themed = drawable(QIcon::fromTheme(iconValue)); !themed.isNull()) {
        return themed;
    }
    // Older programs put their icon in pixmaps/ rather than in a theme.
    for (const std::filesystem::path& dir : options_.dataDirectories) {
        const QString pixmaps =
            QString::fromStdString((dir / "pixmaps").string()) + QLatin1Char('/') + iconValue;
        for (const QString& candidate :
             {pixmaps + QStringLiteral(".png"), pixmaps + QStringLiteral(".svg"),
              pixmaps + QStringLiteral(".xpm"), pixmaps}) {
            if (const QFileInfo file(candidate); isIconFile(file)) {
                if (QIcon icon = drawable(QIcon(candidate)); !icon.isNull()) {
                    return icon;
                }
            }
        }
    }
    return {};
}

QIcon ProcessIcons::genericIcon(const QString& name) {
    static QHash<QChar, QIcon> cache;
    const QChar letter = name.isEmpty() ? QLatin1Char('?') : name.at(0).toUpper();
    if (const auto it = cache.constFind(letter); it != cache.constEnd()) {
        return *it;
    }
    QPixmap pixmap(32, 32);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setBrush(QColor(0x8a, 0x8f, 0x96));
    painter.setPen(Qt::NoPen);
    painter.drawRoundedRect(QRectF(1, 1, 30, 30), 7, 7);
    QFont font;
    font.setPixelSize(20);
    font.setBold(true);
    painter.setFont(font);
    painter.setPen(Qt::white);
    painter.drawText(QRectF(0, 0, 32, 32), Qt::AlignCenter, QString(letter));
    painter.end();
    QIcon icon(pixmap);
    cache.insert(letter, icon);
    return icon;
}

} // namespace portscope::gui
