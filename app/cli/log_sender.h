#pragma once
// Agent mode's delivery: events go to a syslog receiver (UDP, or TCP with octet counting) or
// the systemd journal from a thread of their own, so that a slow or absent receiver never
// holds up the engine. Events wait in a bounded queue while the receiver is away; when it is
// full the oldest are dropped and counted, and the count is sent as an event of its own once
// delivery resumes. A lost connection is retried with a backoff that doubles up to a cap.

#include "portscope/core/ecs.h"
#include "portscope/core/log_output.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace portscope::cli {

struct LogSenderOptions {
    core::LogTarget target;
    core::SyslogHeader header; // host name, facility, process ID
    std::size_t queueLimit = 10'000;
    std::chrono::milliseconds firstRetry{250};
    std::chrono::milliseconds maxRetry{30'000};
    std::chrono::milliseconds connectTimeout{5'000};
    std::chrono::milliseconds writeTimeout{5'000};
    std::string journalSocket = "/run/systemd/journal/socket";
};

struct LogSenderStats {
    std::uint64_t sent = 0;
    std::uint64_t dropped = 0;    // removed from a full queue, in all
    std::uint64_t reconnects = 0; // connections lost or refused
    std::size_t queued = 0;
};

class LogSender {
public:
    // Starts the delivery thread; connecting happens there.
    explicit LogSender(LogSenderOptions options);
    // Waits at most `drainTimeout` for the queue to empty, then stops.
    ~LogSender();
    LogSender(const LogSender&) = delete;
    LogSender& operator=(const LogSender&) = delete;

    // Queues one event; returns at once.
    void send(core::EcsEvent event);
    // Waits until every queued event was handed to the receiver, or `timeout` passed; true
    // when the queue is empty.
    bool drain(std::chrono::milliseconds timeout);
    LogSenderStats stats() const;
    // The last delivery problem ("connection refused"), "" once delivery works.
    std::string lastProblem() const;

    static constexpr std::chrono::milliseconds kDrainTimeout{3'000};

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace portscope::cli
