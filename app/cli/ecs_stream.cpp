#include "ecs_stream.h"

#include "cli.h"
#include "log_sender.h"
#include "output.h"
#include "session.h"

#include <memory>
#include <ostream>
#if defined(_WIN32)
#include <process.h>
#else
#include <unistd.h>
#endif

namespace portscope::cli {

namespace {

std::unique_ptr<LogSender> senderFor(const Options& options, const std::string& hostName) {
    if (!options.output) {
        return nullptr;
    }
    LogSenderOptions senderOptions;
    senderOptions.target = *options.output;
    senderOptions.queueLimit = options.queueLimit;
    senderOptions.header.hostName = hostName;
    senderOptions.header.facility = options.facility;
#if defined(_WIN32)
    senderOptions.header.processId = static_cast<std::int32_t>(_getpid());
#else
    senderOptions.header.processId = static_cast<std::int32_t>(getpid());
#endif
    return std::make_unique<LogSender>(std::move(senderOptions));
}

} // namespace

int streamEcs(const Options& options, bool connections, std::ostream& out, std::ostream& err) {
#if !defined(__linux__)
    if (options.output && options.output->kind == core::LogTarget::Kind::Journal) {
        throw UsageError("the journal output needs Linux with systemd; use syslog:// or "
                         "syslog+tcp:// here");
    }
#endif
    const std::string hostName = localHostName();
    EcsWriter writer(options.filter, core::EcsHost{hostName}, connections);
    auto source = liveSource(options);
    const auto sender = senderFor(options, hostName);
    std::uint64_t written = 0; // to stdout
    std::int64_t lastHeartbeatMs = 0;
    const auto heartbeatMs = std::chrono::milliseconds(options.heartbeat).count();
    auto result = runEngine(std::move(source), options, [&](const core::Update& update) {
        auto events = writer.eventsOf(update);
        // The first update starts the clock; a heartbeat at start would only say "started".
        if (lastHeartbeatMs == 0) {
            lastHeartbeatMs = update.unixMs;
        } else if (heartbeatMs > 0 && update.unixMs - lastHeartbeatMs >= heartbeatMs) {
            lastHeartbeatMs = update.unixMs;
            core::AgentHealth health;
            health.sent = written;
            if (sender) {
                const auto stats = sender->stats();
                health = {stats.sent, stats.dropped, stats.reconnects, stats.queued};
            }
            events.push_back(core::ecsHeartbeatEvent(health, update.unixMs, {hostName}));
        }
        for (auto& event : events) {
            if (sender) {
                sender->send(std::move(event)); // queues; the engine never waits
            } else {
                out << event.json << '\n';
                ++written;
            }
        }
        if (!sender) {
            out.flush();
            if (!out) {
                requestStop(); // the reader went away (closed pipe)
            }
        }
    });
    if (sender) {
        const bool drained = sender->drain(LogSender::kDrainTimeout);
        const auto stats = sender->stats();
        if (!drained || stats.dropped > 0) {
            std::string problem = sender->lastProblem();
            printError(err, std::to_string(stats.sent) + " events sent to " +
                                core::toString(*options.output) + ", " +
                                std::to_string(stats.dropped) + " dropped, " +
                                std::to_string(stats.queued) + " not delivered" +
                                (problem.empty() ? "" : " (" + problem + ")"));
        }
    }
    if (result.sourceFailed) {
        printError(err, result.finishMessage);
        return kExitFailure;
    }
    return result.interrupted ? kExitInterrupted : kExitOk;
}

} // namespace portscope::cli
