#pragma once
// Reverse DNS off the poll path: a small pool of threads, a cache that remembers failures
// too, and a pending set so one address is never looked up twice at once. Results are
// picked up by the next tick.

#include "portscope/core/net.h"

#include <memory>
#include <optional>
#include <string>

namespace portscope::core {

class HostNameResolver {
public:
    explicit HostNameResolver(std::size_t threads = 3, std::size_t cacheLimit = 8192);
    ~HostNameResolver();
    HostNameResolver(const HostNameResolver&) = delete;
    HostNameResolver& operator=(const HostNameResolver&) = delete;

    // The cached name, or nothing yet (a lookup is queued) or nothing at all (it failed or
    // the address is never looked up: loopback, link-local, unspecified).
    std::optional<std::string> lookup(const IpAddress& address);
    void shutdown();

    static bool worthLookingUp(const IpAddress& address);

private:
    struct State;
    std::shared_ptr<State> state_;
};

} // namespace portscope::core
