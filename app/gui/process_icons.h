#pragma once
// The icon beside a process: the one the desktop has for its program, else a neutral tile.
// On Linux that is the Icon= of a .desktop entry whose Exec or TryExec names the program
// (platform/desktop_entries.h), loaded from the icon theme or the absolute path it gives; on
// Windows the program file's own icon. The tile is the same grey for every process, with the
// name's first letter, so that colour in the list only ever means a finding.

#include <QHash>
#include <QIcon>
#include <QObject>
#include <QString>
#include <filesystem>
#include <memory>
#include <vector>

namespace portscope::platform {
class DesktopIconIndex;
}

namespace portscope::gui {

class ProcessIcons final : public QObject {
    Q_OBJECT
public:
    struct Options {
        // The XDG data directories whose applications/ and pixmaps/ folders are read, most
        // important first; empty means those of the environment, read when the index is built.
        std::vector<std::filesystem::path> dataDirectories;
    };

    explicit ProcessIcons(Options options, QObject* parent = nullptr);
    ~ProcessIcons() override;

    // The icon for a process running `exePath`, cached per path. The first call starts reading
    // the desktop entries on a worker thread (never on the GUI thread, which paints meanwhile);
    // until they are read, and for a program no entry names, the neutral tile.
    QIcon iconFor(const QString& exePath, const QString& name);
    // Whether the desktop entries have been read (always true where there are none to read).
    bool ready() const { return ready_; }

    // The instance the views use, made on first use and owned by the application.
    static ProcessIcons& shared();
    // The neutral tile: grey, with the first letter of `name`.
    static QIcon genericIcon(const QString& name);

    // The largest image file an Icon= path may name; a bigger one is not loaded.
    static constexpr qint64 kMaxIconFileBytes = 4 * 1024 * 1024;

Q_SIGNALS:
    // The desktop entries have been read: icons may now differ from those painted so far.
    void iconsChanged();

private:
    void startIndex();
    QIcon desktopIcon(const QString& exePath) const;
    QIcon loadIcon(const QString& iconValue) const;

    Options options_;
    std::shared_ptr<const platform::DesktopIconIndex> index_;
    bool started_ = false;
    bool ready_ = false;
    QHash<QString, QIcon> cache_; // exe path -> the desktop's icon, or a null icon for none
};

} // namespace portscope::gui
