#include "catalogue.h"
#include "cli.h"
#include "commands.h"
#include "output.h"
#include "portscope/core/text.h"
#include "portscope/platform/system.h"
#include "session.h"

#include <ostream>

namespace portscope::cli {

int commandClose(const Options& options, std::ostream& out, std::ostream& err) {
    if (!options.local || !options.remote) {
        throw UsageError("close needs --local ADDR:PORT and --remote ADDR:PORT");
    }
    const auto helper = connectHelper(options);
    auto source = helper ? platform::makeHelperSource(helper) : liveSource(options);
    const auto snapshot = source->poll();
    if (!snapshot) {
        printError(err, "the system source returned no snapshot");
        return kExitFailure;
    }
    auto sameEndpoint = [](const core::Endpoint& a, const core::Endpoint& b) {
        return a.port == b.port && a.address.unmapped() == b.address.unmapped();
    };
    for (const auto& socket : snapshot->sockets) {
        if (socket.protocol == core::Protocol::Tcp && sameEndpoint(socket.local, *options.local) &&
            sameEndpoint(socket.remote, *options.remote) &&
            socket.state != core::SocketState::Listen) {
            const auto result =
                helper ? helper->closeConnection(socket) : platform::closeConnection(socket);
            (result.ok() ? out : err)
                << core::terminalText(platform::wordedMessage(result, wordingFor(options.language)))
                << '\n';
            return exitCodeFor(result.status);
        }
    }
    err << "portscope-cli: no TCP connection from " << options.local->toString() << " to "
        << options.remote->toString() << '\n';
    return kExitRefused;
}

} // namespace portscope::cli
