#include "linux/namespaces.h"

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <exception>
#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <system_error>
#include <thread>
#include <unistd.h>
#include <unordered_map>

namespace portscope::platform::linuxsys {

namespace {

bool isPidName(const char* name) {
    const std::string_view text = name;
    if (text.empty() || text.size() > 9) {
        return false;
    }
    for (const char* p = name; *p != '\0'; ++p) {
        if (*p < '0' || *p > '9') {
            return false;
        }
    }
    return true;
}

std::string errorText(int error) {
    return std::generic_category().message(error);
}

// Calls onEntry(name) for every entry of a directory except "." and "..". Returns 0, or the
// errno of opening the directory.
template <typename OnEntry>
int forEachEntry(const std::string& directory, OnEntry&& onEntry) {
    DIR* handle = ::opendir(directory.c_str());
    if (handle == nullptr) {
        return errno;
    }
    while (const dirent* entry = ::readdir(handle)) {
        const std::string_view name = entry->d_name;
        if (name != "." && name != "..") {
            onEntry(entry->d_name);
        }
    }
    ::closedir(handle);
    return 0;
}

} // namespace

std::vector<NetNamespace> listNetNamespaces(std::string_view procRoot, std::string* error) {
    return listNetNamespaces(procRoot, "/run/netns", error);
}

std::vector<NetNamespace> listNetNamespaces(std::string_view procRoot,
                                            std::string_view namedDirectory, std::string* error) {
    const std::string root(procRoot);
    std::vector<NetNamespace> namespaces;
    std::unordered_map<std::uint64_t, std::size_t> indexByInode;

    struct stat own {};
    const bool haveOwn = ::stat((root + "/self/ns/net").c_str(), &own) == 0;

    // /proc lists PIDs in ascending order, so each namespace's representative is its oldest
    // process, the least likely to exit soon.
    const int listError = forEachEntry(root, [&](const char* name) {
        if (!isPidName(name)) {
            return;
        }
        std::string path = root + '/' + name + "/ns/net";
        struct stat found {};
        if (::stat(path.c_str(), &found) != 0 ||
            indexByInode.count(static_cast<std::uint64_t>(found.st_ino)) != 0) {
            return; // gone, or another user's process we may not inspect
        }
        NetNamespace ns;
        ns.inode = found.st_ino;
        ns.representativePid = std::stoi(name);
        ns.path = std::move(path);
        ns.isOwn = haveOwn && found.st_ino == own.st_ino && found.st_dev == own.st_dev;
        indexByInode.emplace(ns.inode, namespaces.size());
        namespaces.push_back(std::move(ns));
    });
    if (error != nullptr) {
        *error =
            listError == 0 ? std::string() : "cannot list " + root + ": " + errorText(listError);
    }

    if (haveOwn && indexByInode.count(own.st_ino) == 0) {
        NetNamespace ns;
        ns.inode = own.st_ino;
        ns.representativePid = static_cast<std::int32_t>(::getpid());
        ns.path = root + "/self/ns/net";
        ns.isOwn = true;
        indexByInode.emplace(ns.inode, namespaces.size());
        namespaces.push_back(std::move(ns));
    }

    const std::string named(namedDirectory);
    forEachEntry(named, [&](const char* name) {
        std::string path = named + '/' + name;
        struct stat found {};
        // An unmounted leftover file lives on tmpfs, not on nsfs: not a namespace.
        if (::stat(path.c_str(), &found) != 0 || !haveOwn || found.st_dev != own.st_dev) {
            return;
        }
        const auto known = indexByInode.find(found.st_ino);
        if (known != indexByInode.end()) {
            NetNamespace& ns = namespaces[known->second];
            if (ns.name.empty()) {
                ns.name = name;
                ns.path = std::move(path); // a name outlives any one process
            }
            return;
        }
        NetNamespace ns;
        ns.inode = found.st_ino;
        ns.name = name;
        ns.path = std::move(path);
        indexByInode.emplace(ns.inode, namespaces.size());
        namespaces.push_back(std::move(ns));
    });

    std::sort(namespaces.begin(), namespaces.end(),
              [](const NetNamespace& a, const NetNamespace& b) {
                  if (a.isOwn != b.isOwn) {
                      return a.isOwn;
                  }
                  return a.inode < b.inode;
              });
    return namespaces;
}

int openNetNamespace(const NetNamespace& ns, std::string* error) {
    const int fd = ::open(ns.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int openError = errno;
        if (error != nullptr) {
            *error = "cannot open network namespace " + std::to_string(ns.inode) + " (" + ns.path +
                     "): " + errorText(openError);
        }
        return -1;
    }
    struct stat opened {};
    if (::fstat(fd, &opened) != 0 || static_cast<std::uint64_t>(opened.st_ino) != ns.inode) {
        ::close(fd);
        if (error != nullptr) {
            *error = "network namespace " + std::to_string(ns.inode) + " is gone (" + ns.path +
                     " now refers to another one)";
        }
        return -1;
    }
    return fd;
}

bool runInNetNamespace(int nsFd, const std::function<void()>& work, std::string* error) {
    const auto describeNamespace = [nsFd] {
        struct stat target {};
        return ::fstat(nsFd, &target) == 0 ? std::to_string(target.st_ino)
                                           : "(fd " + std::to_string(nsFd) + ")";
    };
    int setnsError = 0;
    bool entered = false;
    std::exception_ptr failure;
    try {
        std::thread worker([&] {
            if (::setns(nsFd, CLONE_NEWNET) != 0) {
                setnsError = errno;
                return;
            }
            entered = true;
            try {
                work();
            } catch (...) {
                failure = std::current_exception(); // handed to the caller below
            }
        });
        worker.join();
    } catch (const std::system_error& threadError) {
        if (error != nullptr) {
            *error = "cannot start a thread for network namespace " + describeNamespace() + ": " +
                     threadError.what();
        }
        return false;
    }
    if (!entered) {
        if (error != nullptr) {
            *error = "cannot enter network namespace " + describeNamespace() + ": " +
                     errorText(setnsError);
        }
        return false;
    }
    if (failure) {
        std::rethrow_exception(failure);
    }
    return true;
}

bool runInNetNamespace(const NetNamespace& ns, const std::function<void()>& work,
                       std::string* error) {
    const int fd = openNetNamespace(ns, error);
    if (fd < 0) {
        return false;
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    return runInNetNamespace(fd, work, error);
}

} // namespace portscope::platform::linuxsys
