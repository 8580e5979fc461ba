#pragma once
// Reverse DNS for the engine: names for the remote addresses of connections, never looked up
// on the poll path. The engine asks on every tick; a name not known yet is missing from that
// update and picked up by a later one.

#include "portscope/core/net.h"

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace portscope::core {

class HostNameResolver {
public:
    virtual ~HostNameResolver() = default;

    // The name of `address` if it is known now; nothing when it is not known yet (a lookup
    // may have been started) or when it has none. Called on the engine thread: must not
    // block.
    virtual std::optional<std::string> lookup(const IpAddress& address) = 0;
    // Ends all lookups: when it returns, none is running and lookup() answers nothing. May be
    // called more than once.
    virtual void shutdown() = 0;
};

// The resolver the engine uses unless given another: lookups on a small pool of threads, a
// cache that remembers failures too (so that an address without a name is not asked for on
// every tick), and a pending set so that one address is never looked up twice at once.
// Loopback, link-local and unspecified addresses are never looked up.
class CachingHostNameResolver final : public HostNameResolver {
public:
    // Looks up one address, blocking, on a pool thread; returns its name, or "" when it has
    // none. May throw, which counts as no name.
    using ReverseLookup = std::function<std::string(const IpAddress& address)>;

    // The default `reverseLookup` asks the system's resolver (getnameinfo). When the cache
    // holds `cacheLimit` answers it is emptied, and fills again from later lookups.
    explicit CachingHostNameResolver(std::size_t threads = 3, std::size_t cacheLimit = 8192,
                                     ReverseLookup reverseLookup = {});
    ~CachingHostNameResolver() override;
    CachingHostNameResolver(const CachingHostNameResolver&) = delete;
    CachingHostNameResolver& operator=(const CachingHostNameResolver&) = delete;

    std::optional<std::string> lookup(const IpAddress& address) override;
    // Waits for a lookup already inside the system resolver, which cannot be cancelled.
    void shutdown() override;

    static bool worthLookingUp(const IpAddress& address);
    std::size_t pendingCount() const; // lookups started and not finished
    std::size_t cachedCount() const;  // answers held, names and failures alike

private:
    struct State;
    std::shared_ptr<State> state_;
};

} // namespace portscope::core
