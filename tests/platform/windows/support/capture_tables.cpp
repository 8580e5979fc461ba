// Opens known loopback sockets, then writes every socket table Windows returns for them as raw
// bytes, with a scene file naming the sockets, so that tests can parse real buffers:
//   windows_capture_tables.exe OUTPUT_DIR
// Files: <TABLE>.bin for each table class, holding only the rows of the sockets it opened, and
// scene.txt with one line per socket opened:
//   tcp4 LISTEN 127.0.0.1 50001 0.0.0.0 0

#include "support/win_test_support.h"
#include "windows/socket_list.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <set>
#include <string>
#include <vector>

using namespace portscope;
using portscope::platform::winsys::TableBuffer;
using portscope::platform::winsys::TableKind;

namespace {

bool writeFile(const std::wstring& path, std::span<const std::uint8_t> bytes) {
    FILE* file = ::_wfopen(path.c_str(), L"wb");
    if (file == nullptr) {
        return false;
    }
    const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
    return std::fclose(file) == 0 && ok;
}

std::string endpointText(const char* address, std::uint16_t port) {
    return std::string(address) + " " + std::to_string(port);
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: windows_capture_tables OUTPUT_DIR\n");
        return 2;
    }
    const std::wstring directory = wintest::programPath(argv[1]);
    std::string scene;

    auto listener4 = wintest::listenOnLoopback(AF_INET);
    auto pair4 = wintest::connectOnLoopback(AF_INET);
    auto udp4 = wintest::udpOnLoopback(AF_INET);
    if (!listener4.valid() || !pair4 || !udp4.valid()) {
        std::fprintf(stderr, "cannot open IPv4 loopback sockets\n");
        return 1;
    }
    scene += "tcp4 LISTEN " + endpointText("127.0.0.1", listener4.localPort()) + " 0.0.0.0 0\n";
    scene += "tcp4 ESTABLISHED " + endpointText("127.0.0.1", pair4->client.localPort()) + " " +
             endpointText("127.0.0.1", pair4->listener.localPort()) + "\n";
    scene += "udp4 BOUND " + endpointText("127.0.0.1", udp4.localPort()) + " 0.0.0.0 0\n";

    std::optional<wintest::ConnectedPair> pair6;
    wintest::TestSocket listener6;
    wintest::TestSocket udp6;
    if (wintest::ipv6LoopbackAvailable()) {
        listener6 = wintest::listenOnLoopback(AF_INET6);
        pair6 = wintest::connectOnLoopback(AF_INET6);
        udp6 = wintest::udpOnLoopback(AF_INET6);
        if (listener6.valid()) {
            scene += "tcp6 LISTEN " + endpointText("::1", listener6.localPort()) + " :: 0\n";
        }
        if (pair6) {
            scene += "tcp6 ESTABLISHED " + endpointText("::1", pair6->client.localPort()) + " " +
                     endpointText("::1", pair6->listener.localPort()) + "\n";
        }
        if (udp6.valid()) {
            scene += "udp6 BOUND " + endpointText("::1", udp6.localPort()) + " :: 0\n";
        }
    }

    std::set<std::uint16_t> scenePorts;
    for (const auto* socket : {&listener4, &udp4, &listener6, &udp6}) {
        if (socket->valid()) {
            scenePorts.insert(socket->localPort());
        }
    }
    for (const auto* pair : {&pair4, &pair6}) {
        if (*pair) {
            scenePorts.insert((*pair)->client.localPort());
            scenePorts.insert((*pair)->listener.localPort());
        }
    }

    int failures = 0;
    for (const auto kind :
         {TableKind::Tcp4OwnerPid, TableKind::Tcp4OwnerModule, TableKind::Tcp6OwnerPid,
          TableKind::Tcp6OwnerModule, TableKind::Udp4OwnerPid, TableKind::Udp4OwnerModule,
          TableKind::Udp6OwnerPid, TableKind::Udp6OwnerModule, TableKind::Tcp4Basic,
          TableKind::Tcp6Basic}) {
        TableBuffer buffer;
        const DWORD error = buffer.fill(kind);
        const std::string name(platform::winsys::toString(kind));
        if (error != NO_ERROR) {
            std::fprintf(stderr, "%s: error %lu\n", name.c_str(),
                         static_cast<unsigned long>(error));
            ++failures;
            continue;
        }
        // The rows of the scene's sockets, byte for byte as Windows wrote them, under the
        // table's own header; the machine's other sockets are left out so that the fixture
        // does not depend on what else was running.
        const auto bytes = buffer.bytes();
        const auto layout = platform::winsys::layoutOf(kind);
        std::vector<core::Socket> sockets;
        platform::winsys::parseSocketTable(bytes, kind, sockets);
        std::vector<std::uint8_t> kept(bytes.begin(), bytes.begin() + layout.rowsOffset);
        std::uint32_t rows = 0;
        for (std::size_t i = 0; i < sockets.size(); ++i) {
            if (!scenePorts.count(sockets[i].local.port) &&
                !scenePorts.count(sockets[i].remote.port)) {
                continue;
            }
            const auto* row = bytes.data() + layout.rowsOffset + i * layout.rowSize;
            kept.insert(kept.end(), row, row + layout.rowSize);
            ++rows;
        }
        std::memcpy(kept.data(), &rows, sizeof rows);
        std::wstring path = directory + L"\\" + std::wstring(name.begin(), name.end()) + L".bin";
        if (!writeFile(path, kept)) {
            std::fprintf(stderr, "%s: cannot write\n", name.c_str());
            ++failures;
        }
        std::printf("%s: %u of %zu rows, %zu bytes\n", name.c_str(), rows, sockets.size(),
                    kept.size());
    }
    if (!writeFile(directory + L"\\scene.txt",
                   {reinterpret_cast<const std::uint8_t*>(scene.data()), scene.size()})) {
        ++failures;
    }
    std::printf("%s", scene.c_str());
    return failures == 0 ? 0 : 1;
}
