#include "portscope/core/host_name_resolver.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

namespace portscope::core {

namespace asio = boost::asio;

struct CachingHostNameResolver::State {
    State(std::size_t threads, std::size_t maxCachedNames, ReverseLookup lookup)
        : pool(threads), reverseLookup(std::move(lookup)), cacheLimit(maxCachedNames) {}
    asio::thread_pool pool;
    const ReverseLookup reverseLookup;
    const std::size_t cacheLimit;
    mutable std::mutex mutex;
    // An empty name records a failed lookup, so it is not retried on every tick.
    std::unordered_map<IpAddress, std::string> cache;
    std::unordered_set<IpAddress> pending;
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

std::string systemReverseLookup(const IpAddress& address) {
    std::string name;
    try {
        asio::io_context io;
        asio::ip::tcp::resolver resolver(io);
        const auto results = resolver.resolve(asio::ip::tcp::endpoint(toAsio(address), 0));
        if (!results.empty()) {
            name = results.begin()->host_name();
        }
    } catch (const std::exception&) {
        // No PTR record or the resolver failed: no name.
    }
    if (name == toAsio(address).to_string()) {
        name.clear(); // getnameinfo echoes the numeric form when there is no name
    }
    return name;
}

bool isLinkLocal(const IpAddress& address) {
    const IpAddress plain = address.unmapped();
    if (plain.family == Family::V4) {
        return plain.bytes[0] == 169 && plain.bytes[1] == 254;
    }
    return plain.bytes[0] == 0xfe && (plain.bytes[1] & 0xc0) == 0x80;
}

} // namespace

CachingHostNameResolver::CachingHostNameResolver(std::size_t threads, std::size_t cacheLimit,
                                                 ReverseLookup reverseLookup)
    : state_(std::make_shared<State>(threads, cacheLimit,
                                     reverseLookup ? std::move(reverseLookup)
                                                   : ReverseLookup(&systemReverseLookup))) {}

CachingHostNameResolver::~CachingHostNameResolver() {
    shutdown();
}

bool CachingHostNameResolver::worthLookingUp(const IpAddress& address) {
    return !address.isUnspecified() && !address.isLoopback() && !isLinkLocal(address);
}

std::optional<std::string> CachingHostNameResolver::lookup(const IpAddress& address) {
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
    // The task holds no reference to the state while it waits for the resolver, so that the
    // state (and its pool) is never destroyed from one of the pool's own threads.
    asio::post(state_->pool, [weak = std::weak_ptr<State>(state_), address,
                              reverseLookup = state_->reverseLookup] {
        std::string name;
        try {
            name = reverseLookup(address);
        } catch (const std::exception&) {
            // A failed lookup is remembered like one that found no name.
        }
        auto state = weak.lock();
        if (!state) {
            return;
        }
        std::lock_guard guard(state->mutex);
        state->pending.erase(address);
        if (state->cache.size() >= state->cacheLimit) {
            state->cache.clear();
        }
        state->cache.emplace(address, std::move(name));
    });
    return std::nullopt;
}

void CachingHostNameResolver::shutdown() {
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

std::size_t CachingHostNameResolver::pendingCount() const {
    std::lock_guard lock(state_->mutex);
    return state_->pending.size();
}

std::size_t CachingHostNameResolver::cachedCount() const {
    std::lock_guard lock(state_->mutex);
    return state_->cache.size();
}

} // namespace portscope::core
