#include "linux/change_watcher.h"

#include <cerrno>
#include <cstdint>
#include <poll.h>
#include <string>
#include <sys/eventfd.h>
#include <system_error>
#include <unistd.h>

namespace portscope::platform::linuxsys {

namespace {

// How long the watcher leaves a readable descriptor alone when it was not news for it.
constexpr int kRetryMs = 20;

} // namespace

ChangeWatcher::ChangeWatcher(int descriptor, std::function<bool()> hasChanges)
    : descriptor_(descriptor), hasChanges_(std::move(hasChanges)) {
    wakeFd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wakeFd_ < 0) {
        throw std::system_error(errno, std::generic_category(), "eventfd");
    }
}

ChangeWatcher::~ChangeWatcher() {
    std::lock_guard control(controlMutex_);
    stopThread();
    ::close(wakeFd_);
}

void ChangeWatcher::setCallback(std::function<void()> onChanges) {
    // One caller at a time starts or stops the thread (an engine stopping, a session ending).
    std::lock_guard control(controlMutex_);
    stopThread();
    if (!onChanges) {
        return;
    }
    std::lock_guard lock(mutex_);
    onChanges_ = std::move(onChanges);
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void ChangeWatcher::stopThread() {
    {
        std::lock_guard lock(mutex_);
        if (!thread_.joinable()) {
            return;
        }
        stopping_ = true;
        onChanges_ = nullptr;
    }
    armedOrStopping_.notify_all();
    const std::uint64_t one = 1;
    (void)!::write(wakeFd_, &one, sizeof one);
    thread_.join();
    std::uint64_t drained = 0;
    (void)!::read(wakeFd_, &drained, sizeof drained);
}

void ChangeWatcher::rearm() {
    {
        std::lock_guard lock(mutex_);
        armed_ = true;
    }
    armedOrStopping_.notify_all();
}

void ChangeWatcher::notify() {
    // Called under the lock, so that it never runs after setCallback({}) returned, which
    // empties it under the same lock.
    std::lock_guard lock(mutex_);
    if (armed_ && onChanges_) {
        armed_ = false;
        onChanges_();
    }
}

void ChangeWatcher::run() {
    while (true) {
        {
            std::unique_lock lock(mutex_);
            armedOrStopping_.wait(lock, [this] { return stopping_ || armed_; });
            if (stopping_) {
                return;
            }
        }
        pollfd ready[2] = {{descriptor_, POLLIN, 0}, {wakeFd_, POLLIN, 0}};
        const int polled = ::poll(ready, 2, -1);
        if (polled < 0 && errno != EINTR) {
            return; // the descriptor is unusable: the periodic polls still see every change
        }
        if ((ready[1].revents & POLLIN) != 0) {
            return;
        }
        if ((ready[0].revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) {
            notify(); // the source's reader sees the failure at its next poll: let it be now
            return;
        }
        if ((ready[0].revents & POLLIN) == 0) {
            continue;
        }
        if (hasChanges_()) {
            notify();
        } else {
            pollfd wake{wakeFd_, POLLIN, 0};
            if (::poll(&wake, 1, kRetryMs) > 0) {
                return;
            }
        }
    }
}

} // namespace portscope::platform::linuxsys
