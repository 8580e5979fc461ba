// masquerade: a process that imitates a system process by name, runs a system process's
// name from an odd place, runs a deleted executable, or runs from a world-writable directory.

#include "findings_rules.h"
#include "portscope/core/system_processes.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace portscope::core::findings_detail {

namespace {

// Windows system processes, compared without ".exe".
constexpr std::array<std::string_view, 18> kWindowsNames{
    "svchost",  "spoolsv",  "lsass",   "csrss",     "smss",          "winlogon",
    "services", "explorer", "wininit", "taskhostw", "dllhost",       "conhost",
    "rundll32", "regsvr32", "ctfmon",  "msmpeng",   "searchindexer", "taskmgr"};

// Linux system processes, lower case: the daemons malware likes to imitate (cryptominers
// like "kworker" or "sshd"), and the processes whose end takes the session or the machine
// down. The kill confirmation warns about the same names (system_processes.h).
constexpr std::array<std::string_view, 31> kLinuxNames{"systemd",
                                                       "init",
                                                       "sshd",
                                                       "cron",
                                                       "crond",
                                                       "dbus-daemon",
                                                       "dbus-broker",
                                                       "rsyslogd",
                                                       "networkmanager",
                                                       "systemd-journald",
                                                       "systemd-resolved",
                                                       "systemd-networkd",
                                                       "systemd-timesyncd",
                                                       "systemd-udevd",
                                                       "systemd-logind",
                                                       "polkitd",
                                                       "avahi-daemon",
                                                       "cupsd",
                                                       "dhclient",
                                                       "chronyd",
                                                       "ntpd",
                                                       "agetty",
                                                       "login",
                                                       "xorg",
                                                       "xwayland",
                                                       "gdm",
                                                       "sddm",
                                                       "lightdm",
                                                       "wpa_supplicant",
                                                       "containerd",
                                                       "dockerd"};

// Kernel threads own no program file and no sockets; a process using one of these names
// and running a program is hiding.
constexpr std::array<std::string_view, 8> kKernelThreadNames{"kworker",   "kthreadd",   "ksoftirqd",
                                                             "kswapd0",   "kcompactd0", "migration",
                                                             "rcu_sched", "watchdog"};

// Real programs whose names sit close to a protected one.
constexpr std::array<std::string_view, 14> kLegitimateNeighbours{
    "ssh",   "scp",  "sftp",    "service", "docker", "chronyc", "syslogd",
    "klogd", "ntpq", "ntpdate", "smbd",    "nmbd",   "sssd",    "systemctl"};

bool endsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Linux truncates process names to 15 characters.
constexpr std::size_t kLinuxNameLimit = 15;

std::size_t allowedDistance(std::size_t length, const MasqueradeConfig& config) {
    if (length < 4) {
        return 0;
    }
    if (length < 8) {
        return 1;
    }
    return config.maxDistance;
}

std::string directoryOf(std::string_view path) {
    const auto slash = path.find_last_of("/\\");
    return slash == std::string_view::npos ? std::string() : std::string(path.substr(0, slash + 1));
}

bool inSystemDirectoryLinux(std::string_view path) {
    static constexpr std::array<std::string_view, 8> kDirs{
        "/usr/", "/bin/", "/sbin/", "/lib/", "/lib64/", "/snap/", "/nix/store/", "/opt/"};
    return std::any_of(kDirs.begin(), kDirs.end(),
                       [&](std::string_view dir) { return path.starts_with(dir); });
}

bool inSystemDirectoryWindows(std::string_view lowerPath, std::string_view name) {
    std::string normal(lowerPath);
    std::replace(normal.begin(), normal.end(), '/', '\\');
    const std::string dir = directoryOf(normal);
    if (name == "explorer") {
        return endsWith(dir, "\\windows\\");
    }
    if (name == "msmpeng") {
        return dir.find("\\windows defender\\") != std::string::npos;
    }
    return endsWith(dir, "\\windows\\system32\\") || endsWith(dir, "\\windows\\syswow64\\");
}

bool inWritableDirectory(std::string_view path, const MasqueradeConfig& config,
                         std::string* matched) {
    const std::string lowerPath = lowerCase(path);
    for (const std::string& entry : config.writableDirs) {
        if (entry.empty()) {
            continue;
        }
        const std::string lowerEntry = lowerCase(entry);
        const bool hit = lowerEntry.front() == '*'
                             ? lowerPath.find(lowerEntry.substr(1)) != std::string::npos
                             : lowerPath.starts_with(lowerEntry);
        if (hit) {
            *matched = entry;
            return true;
        }
    }
    return false;
}

} // namespace

MasqueradeRule::Verdict MasqueradeRule::judge(const Process& process,
                                              const MasqueradeConfig& config) {
    Verdict verdict;
    std::vector<Reason>& reasons = verdict.reasons;
    auto reason = [&](Severity severity, std::string key) -> FindingMessage& {
        reasons.push_back({severity, {std::move(key), {}}});
        return reasons.back().message;
    };
    const std::string lowerName = lowerCase(process.name);
    const bool windowsStyle = endsWith(lowerName, ".exe");
    std::string base = windowsStyle ? lowerName.substr(0, lowerName.size() - 4) : lowerName;
    // "kworker/0:1" is kworker on CPU 0.
    if (const auto slash = base.find('/'); slash != std::string::npos && !windowsStyle) {
        base.resize(slash);
    }
    std::vector<std::string> protectedNames;
    if (windowsStyle) {
        protectedNames.assign(kWindowsNames.begin(), kWindowsNames.end());
    } else {
        protectedNames.assign(kLinuxNames.begin(), kLinuxNames.end());
    }
    for (const std::string& extra : config.names) {
        std::string name = lowerCase(extra);
        const bool extraWindows = endsWith(name, ".exe");
        if (extraWindows == windowsStyle) {
            protectedNames.push_back(extraWindows ? name.substr(0, name.size() - 4) : name);
        }
    }
    const bool truncated = !windowsStyle && base.size() == kLinuxNameLimit;
    auto comparable = [&](const std::string& name) {
        return truncated && name.size() > kLinuxNameLimit ? name.substr(0, kLinuxNameLimit) : name;
    };
    const bool isKernelThreadName =
        !windowsStyle && std::find(kKernelThreadNames.begin(), kKernelThreadNames.end(), base) !=
                             kKernelThreadNames.end();
    if (isKernelThreadName && !process.exePath.empty()) {
        reason(Severity::High, "masquerade.kernel-thread-name").text("exe", process.exePath);
    }

    std::string exactName;
    for (const std::string& name : protectedNames) {
        if (comparable(name) == base) {
            exactName = name;
            break;
        }
    }
    const bool neighbour = std::find(kLegitimateNeighbours.begin(), kLegitimateNeighbours.end(),
                                     base) != kLegitimateNeighbours.end();
    if (exactName.empty() && !neighbour && !isKernelThreadName) {
        std::size_t best = SIZE_MAX;
        std::string closest;
        for (const std::string& name : protectedNames) {
            const std::string target = comparable(name);
            const std::size_t allowed = allowedDistance(target.size(), config);
            if (allowed == 0 || base.size() < 3) {
                continue;
            }
            const std::size_t distance = editDistance(base, target);
            if (distance > 0 && distance <= allowed && distance < best) {
                best = distance;
                closest = name;
            }
        }
        if (!closest.empty()) {
            verdict.imitated = windowsStyle ? closest + ".exe" : closest;
            reason(Severity::High, "masquerade.imitates")
                .text("imitated", verdict.imitated)
                .count("distance", best);
        }
    }

    if (!exactName.empty() && !process.exePath.empty()) {
        const bool expected = windowsStyle
                                  ? inSystemDirectoryWindows(lowerCase(process.exePath), exactName)
                                  : inSystemDirectoryLinux(process.exePath);
        if (!expected) {
            verdict.imitated = windowsStyle ? exactName + ".exe" : exactName;
            reason(Severity::High, "masquerade.system-name-elsewhere")
                .text("imitated", verdict.imitated)
                .text("exe", process.exePath);
        }
    }

    std::string writableDir;
    const bool writable =
        !process.exePath.empty() && inWritableDirectory(process.exePath, config, &writableDir);
    if (process.exeDeleted) {
        const bool systemPlace =
            !writable && (windowsStyle ? false : inSystemDirectoryLinux(process.exePath));
        reason(systemPlace ? Severity::Low : Severity::Medium, "masquerade.deleted-executable")
            .text("exe", process.exePath);
    }
    if (writable) {
        reason(process.exeDeleted ? Severity::High : Severity::Medium,
               "masquerade.writable-directory")
            .text("exe", process.exePath)
            .text("directory", writableDir);
    }

    if (reasons.empty()) {
        return verdict;
    }
    std::stable_sort(reasons.begin(), reasons.end(),
                     [](const Reason& a, const Reason& b) { return a.severity > b.severity; });
    verdict.severity = reasons.front().severity;
    return verdict;
}

void MasqueradeRule::begin(const TickContext& tick) {
    ++generation_;
    anyFlagged_ = false;
    for (const ProcessRow& row : tick.update.processes) {
        const Process& process = row.process;
        auto [it, inserted] = cache_.try_emplace(process.key);
        Cached& cached = it->second;
        if (inserted || cached.name != process.name || cached.exePath != process.exePath ||
            cached.exeDeleted != process.exeDeleted) {
            cached.name = process.name;
            cached.exePath = process.exePath;
            cached.exeDeleted = process.exeDeleted;
            cached.verdict = judge(process, tick.config.masquerade);
        }
        cached.seenGeneration = generation_;
        cached.evidence.clear();
        cached.sockets = 0;
        anyFlagged_ = anyFlagged_ || !cached.verdict.reasons.empty();
    }
    for (auto it = cache_.begin(); it != cache_.end();) {
        if (it->second.seenGeneration != generation_) {
            it = cache_.erase(it);
        } else {
            ++it;
        }
    }
}

void MasqueradeRule::observe(const TickContext&, const Connection& connection) {
    if (!anyFlagged_ || !connection.socket.owner.valid()) {
        return;
    }
    const auto it = cache_.find(connection.socket.owner);
    if (it == cache_.end() || it->second.verdict.reasons.empty()) {
        return;
    }
    ++it->second.sockets;
    if (it->second.evidence.size() < Finding::kMaxEvidenceSockets) {
        it->second.evidence.push_back(evidenceOf(connection));
    }
}

void MasqueradeRule::end(const TickContext& tick, std::vector<Observation>& out) {
    if (!anyFlagged_) {
        return;
    }
    for (const ProcessRow& row : tick.update.processes) {
        const auto it = cache_.find(row.process.key);
        if (it == cache_.end() || it->second.verdict.reasons.empty()) {
            continue;
        }
        const Cached& cached = it->second;
        const Actor actor{row.process.key, 0};
        Observation o;
        o.ruleId = rules::kMasquerade;
        setActor(o, actor);
        o.severity = cached.verdict.severity;
        o.magnitude = static_cast<double>(cached.verdict.reasons.size());
        o.headline = cached.verdict.reasons.front().message;
        for (const Reason& reason : cached.verdict.reasons) {
            o.evidence.push_back(reason.message);
        }
        if (!row.process.commandLine.empty()) {
            o.evidence.emplace_back().key = "masquerade.command-line";
            o.evidence.back().text("command-line", row.process.commandLine);
        }
        if (row.process.parentPid > 0) {
            o.evidence.emplace_back().key = "masquerade.parent";
            o.evidence.back().count("pid", row.process.parentPid);
        }
        o.sockets = cached.evidence;
        o.socketsTotal = cached.sockets;
        out.push_back(std::move(o));
    }
}

} // namespace portscope::core::findings_detail

namespace portscope::core {

bool isSystemProcessName(std::string_view name) {
    using namespace findings_detail;
    std::string base = lowerCase(name);
    // "kworker/0:1" is kworker on CPU 0.
    if (const auto slash = base.find('/'); slash != std::string::npos) {
        base.resize(slash);
    }
    auto listed = [&base](const auto& names) {
        return std::find(names.begin(), names.end(), base) != names.end();
    };
    return base.starts_with("systemd") || listed(kLinuxNames) || listed(kKernelThreadNames);
}

bool looksLikeSystemProcess(const Process& process) {
    if (process.key.pid < 100) {
        return true;
    }
    return process.uid == 0 && isSystemProcessName(process.name);
}

} // namespace portscope::core
