#include "host_name_resolver.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

namespace portscope::core {

namespace asio = boost::asio;

struct HostNameResolver::State {
    explicit State(std::size_t threads) : pool(threads) {}
    asio::thread_pool pool;
    std::mutex mutex;
    // An empty name records a failed lookup, so it is not retried on every tick.
    std::unordered_map<IpAddress, std::string> cache;
    std::unordered_set<IpAddress> pending;
    std::size_t cacheLimit = 0;
    bool stopped = false;
};

namespace {

asio::ip::address toAsio(const IpAddress& address) {
    if (address.family == Family::V4) {
        return asio::ip::address_v4(
            {address.bytes[0], address.bytes[1], address.bytes[2], address.bytes[3]});
    }
    asio::ip::address_v6::bytes_type raw;
    std::copy(address.bytes.begin(), address.bytes.end(), raw.begin());
    return asio::ip::address_v6(raw);
}

bool isLinkLocal(const IpAddress& address) {
    const IpAddress plain = address.unmapped();
    if (plain.family == Family::V4) {
        return plain.bytes[0] == 169 && plain.bytes[1] == 254;
    }
    return plain.bytes[0] == 0xfe && (plain.bytes[1] & 0xc0) == 0x80;
}

} // namespace

HostNameResolver::HostNameResolver(std::size_t threads, std::size_t cacheLimit)
    : state_(std::make_shared<State>(threads)) {
    state_->cacheLimit = cacheLimit;
}

HostNameResolver::~HostNameResolver() {
    shutdown();
}

bool HostNameResolver::worthLookingUp(const IpAddress& address) {
    return !address.isUnspecified() && !address.isLoopback() && !isLinkLocal(address);
}

std::optional<std::string> HostNameResolver::lookup(const IpAddress& address) {
    if (!worthLookingUp(address)) {
        return std::nullopt;
    }
    std::lock_guard lock(state_->mutex);
    if (state_->stopped) {
        return std::nullopt;
    }
    if (auto found = state_->cache.find(address); found != state_->cache.end()) {
        if (found->second.empty()) {
            return std::nullopt;
        }
        return found->second;
    }
    if (!state_->pending.insert(address).second) {
        return std::nullopt;
    }
    asio::post(state_->pool, [weak = std::weak_ptr<State>(state_), address] {
        std::string name;
        try {
            asio::io_context io;
            asio::ip::tcp::resolver resolver(io);
            const auto results = resolver.resolve(asio::ip::tcp::endpoint(toAsio(address), 0));
            if (!results.empty()) {
                name = results.begin()->host_name();
            }
        } catch (const std::exception&) {
            // No PTR record or the resolver failed; an empty name caches that answer.
        }
        if (name == toAsio(address).to_string()) {
            name.clear(); // getnameinfo echoes the numeric form when there is no name
        }
        auto state = weak.lock();
        if (!state) {
            return;
        }
        std::lock_guard lock(state->mutex);
        state->pending.erase(address);
        if (state->cache.size() >= state->cacheLimit) {
            state->cache.clear();
        }
        state->cache.emplace(address, std::move(name));
    });
    return std::nullopt;
}

void HostNameResolver::shutdown() {
    {
        std::lock_guard lock(state_->mutex);
        if (state_->stopped) {
            return;
        }
        state_->stopped = true;
    }
    // A lookup already inside getnameinfo cannot be cancelled; wait for it rather than
    // leave a thread running past our lifetime.
    state_->pool.stop();
    state_->pool.join();
}

} // namespace portscope::core
