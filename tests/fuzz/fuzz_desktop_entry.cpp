// Fuzz target for the Desktop Entry parser (platform/desktop_entries.h): the *.desktop files in
// ~/.local/share/applications are written by whatever programs the user runs, and the GUI reads
// them to find process icons.
//
// Input: one byte that picks what is parsed (bit 0 clear: a whole file; set: an Exec= value on
// its own), then the text.

#include "fuzz_target.h"
#include "portscope/platform/desktop_entries.h"

#include <string>
#include <string_view>

namespace {

using namespace portscope;

constexpr std::string_view kTarget = "desktop_entry";
using portscope::fuzz::require;

bool hasControlCharacter(std::string_view text) {
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            return true;
        }
    }
    return false;
}

// What the GUI hands to the file system and the icon theme: bounded, no control characters,
// and a path only when it is absolute.
void checkProgram(std::string_view program) {
    if (program.empty()) {
        return;
    }
    require(kTarget, program.size() <= platform::kMaxDesktopValueBytes, "a program over the cap");
    require(kTarget, !hasControlCharacter(program), "a program with a control character");
    require(kTarget, program.front() == '/' || program.find('/') == std::string_view::npos,
            "a relative path as program");
}

void file(std::string_view text) {
    const auto entry = platform::parseDesktopEntry(text);
    if (!entry) {
        return;
    }
    require(kTarget, text.size() <= platform::kMaxDesktopEntryBytes,
            "an entry read from an oversized file");
    require(kTarget, !entry->icon.empty(), "an entry without an icon");
    require(kTarget, entry->icon.size() <= platform::kMaxDesktopValueBytes, "an icon over the cap");
    require(kTarget, !hasControlCharacter(entry->icon), "an icon with a control character");
    if (entry->icon.front() != '/') {
        require(kTarget, entry->icon.find('/') == std::string::npos && entry->icon.front() != '.',
                "a theme icon name that leaves the theme's folders");
    } else {
        require(kTarget, entry->icon.find("/../") == std::string::npos, "an icon path that climbs");
    }
    require(kTarget, !entry->program.empty() || !entry->tryExec.empty(),
            "an entry naming no program");
    checkProgram(entry->program);
    checkProgram(entry->tryExec);

    // The index finds the icon by the program it names.
    platform::DesktopIconIndex index;
    index.add(*entry);
    const std::string& named = entry->program.empty() ? entry->tryExec : entry->program;
    require(kTarget, index.iconFor(named) == entry->icon, "the index lost the entry's program");
}

void exec(std::string_view value) {
    const std::string program = platform::desktopExecProgram(value);
    checkProgram(program);
    require(kTarget, program.size() <= value.size(), "a program longer than its Exec value");
}

} // namespace

constexpr portscope::fuzz::HeapBudget kBudget{64 * 1024, 16};

PORTSCOPE_FUZZ_TARGET(desktop_entry, kBudget) {
    if (size == 0) {
        return 0;
    }
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    if ((data[0] & 1u) == 0) {
        file(text);
    } else {
        exec(text);
    }
    return 0;
}
