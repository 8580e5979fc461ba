#pragma once
// Announces, from a thread of its own, that a source has news between two polls
// (core::SnapshotSource::announceChanges): it waits for a descriptor to become readable, asks
// the source whether that means changes, and calls back at most once until the source has
// polled again, so that a burst of events costs the engine one early poll.

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace portscope::platform::linuxsys {

class ChangeWatcher {
public:
    // `descriptor` stays the caller's. `hasChanges` runs on the watcher's thread when the
    // descriptor is readable; it returns whether the source has changes. When it returns
    // false the watcher waits a little before looking again, since the descriptor may stay
    // readable (another thread is about to read it).
    ChangeWatcher(int descriptor, std::function<bool()> hasChanges);
    ~ChangeWatcher(); // stops the thread
    ChangeWatcher(const ChangeWatcher&) = delete;
    ChangeWatcher& operator=(const ChangeWatcher&) = delete;

    // Starts calling `onChanges`, or with an empty function stops: once it returns, no call
    // is under way or will come.
    void setCallback(std::function<void()> onChanges);
    // The source has polled: the next changes are announced again.
    void rearm();
    // Changes seen on another thread (by a reader of the same descriptor): announced now if
    // the watcher is armed.
    void notify();

private:
    void run();
    void stopThread(); // with controlMutex_ held

    int descriptor_;
    int wakeFd_ = -1; // an eventfd that ends the thread's wait
    std::function<bool()> hasChanges_;
    std::mutex controlMutex_; // serialises setCallback() and the destructor
    std::mutex mutex_;
    std::condition_variable armedOrStopping_;
    std::function<void()> onChanges_;
    bool armed_ = true;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace portscope::platform::linuxsys
