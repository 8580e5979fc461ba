#include "log_sender.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#if defined(BOOST_ASIO_HAS_LOCAL_SOCKETS)
#include <boost/asio/local/datagram_protocol.hpp>
#endif

#include <algorithm>
#include <array>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

namespace portscope::cli {

namespace asio = boost::asio;
using Kind = core::LogTarget::Kind;

constexpr std::size_t kMaxBatchBytes = 64 * 1024;

class LogSender::Impl {
public:
    explicit Impl(LogSenderOptions options)
        : options_(std::move(options)), work_(asio::make_work_guard(io_)), tcp_(io_), udp_(io_),
#if defined(BOOST_ASIO_HAS_LOCAL_SOCKETS)
          journal_(io_),
#endif
          retryTimer_(io_), deadline_(io_), retryDelay_(options_.firstRetry) {
        options_.queueLimit = std::max<std::size_t>(options_.queueLimit, 1);
        asio::post(io_, [this] { connect(); });
        thread_ = std::thread([this] { io_.run(); });
    }

    ~Impl() {
        asio::post(io_, [this] {
            stopping_ = true;
            retryTimer_.cancel();
            deadline_.cancel();
            closeSockets();
            work_.reset();
        });
        thread_.join();
    }

    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    void send(core::EcsEvent event) {
        {
            const std::lock_guard lock(mutex_);
            if (queue_.size() >= options_.queueLimit) {
                // The oldest event not being written goes; those in flight stay, so that
                // their completion removes the right entries.
                ++droppedPending_;
                ++stats_.dropped;
                if (queue_.size() <= inFlight_) {
                    return; // a queue of 1 with its event in flight: the new one goes
                }
                queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(inFlight_));
            }
            queue_.push_back(std::move(event));
        }
        asio::post(io_, [this] { pump(); });
    }

    bool drain(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        return drained_.wait_for(lock, timeout,
                                 [&] { return queue_.empty() && droppedPending_ == 0; });
    }

    LogSenderStats stats() const {
        const std::lock_guard lock(mutex_);
        LogSenderStats stats = stats_;
        stats.queued = queue_.size();
        return stats;
    }

    std::string lastProblem() const {
        const std::lock_guard lock(mutex_);
        return lastProblem_;
    }

private:
    // ---- on the delivery thread only

    void connect() {
        if (stopping_) {
            return;
        }
        boost::system::error_code error;
        switch (options_.target.kind) {
        case Kind::SyslogUdp: {
            asio::ip::udp::resolver resolver(io_);
            const auto endpoints =
                resolver.resolve(options_.target.host, std::to_string(options_.target.port), error);
            if (!error) {
                asio::connect(udp_, endpoints, error);
            }
            finishConnect(error);
            return;
        }
        case Kind::Journal:
#if defined(BOOST_ASIO_HAS_LOCAL_SOCKETS)
            journal_.open(asio::local::datagram_protocol(), error);
            if (!error) {
                journal_.connect(asio::local::datagram_protocol::endpoint(options_.journalSocket),
                                 error);
            }
#else
            error = asio::error::operation_not_supported;
#endif
            finishConnect(error);
            return;
        case Kind::SyslogTcp: {
            asio::ip::tcp::resolver resolver(io_);
            const auto endpoints =
                resolver.resolve(options_.target.host, std::to_string(options_.target.port), error);
            if (error) {
                finishConnect(error);
                return;
            }
            armDeadline(options_.connectTimeout);
            asio::async_connect(
                tcp_, endpoints,
                [this](const boost::system::error_code& result, const asio::ip::tcp::endpoint&) {
                    deadline_.cancel();
                    finishConnect(result);
                });
            return;
        }
        }
    }

    void finishConnect(const boost::system::error_code& error) {
        if (stopping_) {
            return;
        }
        if (error) {
            lostConnection(error);
            return;
        }
        connected_ = true;
        if (options_.target.kind == Kind::SyslogTcp) {
            watchForClose();
        }
        pump();
    }

    // A syslog receiver never writes to us: a read that completes means it closed the
    // connection (or reset it), which a write alone would notice only one message too late.
    void watchForClose() {
        tcp_.async_read_some(asio::buffer(readBuffer_),
                             [this](const boost::system::error_code& error, std::size_t) {
                                 if (!error) {
                                     watchForClose();
                                 } else if (connected_ && error != asio::error::operation_aborted) {
                                     lostConnection(error);
                                 }
                             });
    }

    void armDeadline(std::chrono::milliseconds timeout) {
        deadline_.expires_after(timeout);
        deadline_.async_wait([this](const boost::system::error_code& error) {
            if (!error) {
                // Cancels the connect or write, whose handler then reconnects.
                closeSockets();
            }
        });
    }

    void closeSockets() {
        boost::system::error_code ignored;
        tcp_.close(ignored);
        udp_.close(ignored);
#if defined(BOOST_ASIO_HAS_LOCAL_SOCKETS)
        journal_.close(ignored);
#endif
    }

    void lostConnection(const boost::system::error_code& error) {
        connected_ = false;
        writing_ = false;
        closeSockets();
        {
            const std::lock_guard lock(mutex_);
            inFlight_ = 0;
            ++stats_.reconnects;
            lastProblem_ = error.message();
        }
        if (stopping_) {
            return;
        }
        retryTimer_.expires_after(retryDelay_);
        retryDelay_ = std::min(retryDelay_ * 2, options_.maxRetry);
        retryTimer_.async_wait([this](const boost::system::error_code& waitError) {
            if (!waitError) {
                connect();
            }
        });
    }

    std::string frame(const core::EcsEvent& event) const {
        switch (options_.target.kind) {
        case Kind::SyslogTcp:
            return core::octetCounted(core::syslogMessage(options_.header, event));
        case Kind::SyslogUdp:
            return core::syslogMessage(options_.header, event);
        case Kind::Journal:
            return core::journalDatagram(event, options_.header.appName);
        }
        return {};
    }

    void pump() {
        if (!connected_ || writing_ || stopping_) {
            return;
        }
        // Over TCP, the events queued go out together, up to kMaxBatchBytes: a burst (the
        // first update of a busy server lists thousands of connections) then costs a few
        // writes instead of one system call per event. A datagram carries one event.
        auto bytes = std::make_shared<std::string>();
        std::size_t batch = 0;
        std::uint64_t dropNotice = 0;
        {
            const std::lock_guard lock(mutex_);
            if (droppedPending_ > 0) {
                dropNotice = droppedPending_;
            } else if (queue_.empty()) {
                drained_.notify_all();
                return;
            } else {
                const bool stream = options_.target.kind == Kind::SyslogTcp;
                while (batch < queue_.size() &&
                       (batch == 0 || (stream && bytes->size() < kMaxBatchBytes))) {
                    *bytes += frame(queue_[batch]);
                    ++batch;
                }
                inFlight_ = batch;
            }
        }
        if (dropNotice > 0) {
            const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
            *bytes = frame(core::ecsDroppedEvent(dropNotice, now, {options_.header.hostName}));
        }
        writing_ = true;
        auto done = [this, bytes, dropNotice, batch](const boost::system::error_code& error,
                                                     std::size_t) {
            deadline_.cancel();
            if (error == asio::error::message_size && dropNotice == 0) {
                // An event too large for one datagram can never go; waiting for it would
                // stop every event behind it, so it is dropped and counted.
                writing_ = false;
                {
                    const std::lock_guard lock(mutex_);
                    inFlight_ = 0;
                    queue_.erase(queue_.begin(),
                                 queue_.begin() + static_cast<std::ptrdiff_t>(batch));
                    droppedPending_ += batch;
                    stats_.dropped += batch;
                }
                pump();
                return;
            }
            if (error) {
                // Already handled when the read saw the receiver go, or when stopping.
                if (connected_ && !stopping_) {
                    lostConnection(error);
                }
                return;
            }
            writing_ = false;
            retryDelay_ = options_.firstRetry;
            {
                const std::lock_guard lock(mutex_);
                if (dropNotice > 0) {
                    droppedPending_ -= dropNotice;
                } else {
                    inFlight_ = 0;
                    queue_.erase(queue_.begin(),
                                 queue_.begin() + static_cast<std::ptrdiff_t>(batch));
                    stats_.sent += batch;
                }
                lastProblem_.clear();
            }
            pump();
        };
        armDeadline(options_.writeTimeout);
        switch (options_.target.kind) {
        case Kind::SyslogTcp:
            asio::async_write(tcp_, asio::buffer(*bytes), done);
            break;
        case Kind::SyslogUdp:
            udp_.async_send(asio::buffer(*bytes), done);
            break;
        case Kind::Journal:
#if defined(BOOST_ASIO_HAS_LOCAL_SOCKETS)
            journal_.async_send(asio::buffer(*bytes), done);
#endif
            break;
        }
    }

    LogSenderOptions options_;
    asio::io_context io_;
    asio::executor_work_guard<asio::io_context::executor_type> work_;
    asio::ip::tcp::socket tcp_;
    asio::ip::udp::socket udp_;
#if defined(BOOST_ASIO_HAS_LOCAL_SOCKETS)
    asio::local::datagram_protocol::socket journal_;
#endif
    asio::steady_timer retryTimer_;
    asio::steady_timer deadline_;
    std::chrono::milliseconds retryDelay_;
    std::array<char, 256> readBuffer_{};
    bool connected_ = false;
    bool writing_ = false;
    bool stopping_ = false;
    std::thread thread_;

    // ---- shared with the engine's thread
    mutable std::mutex mutex_;
    std::condition_variable drained_;
    std::deque<core::EcsEvent> queue_;
    std::size_t inFlight_ = 0;         // the first inFlight_ events are being written
    std::uint64_t droppedPending_ = 0; // dropped since the last drop notice went out
    LogSenderStats stats_;
    std::string lastProblem_;
};

LogSender::LogSender(LogSenderOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

LogSender::~LogSender() {
    impl_->drain(kDrainTimeout);
}

void LogSender::send(core::EcsEvent event) {
    impl_->send(std::move(event));
}

bool LogSender::drain(std::chrono::milliseconds timeout) {
    return impl_->drain(timeout);
}

LogSenderStats LogSender::stats() const {
    return impl_->stats();
}

std::string LogSender::lastProblem() const {
    return impl_->lastProblem();
}

} // namespace portscope::cli
