// Smoke test of the Windows build: portscope-cli.exe snapshot --format json, run as a separate
// process, must list a TCP listener and a UDP socket this test opened on loopback.
//
// In CI this runs under Wine 8, which implements the socket tables but reports owner PID 0 for
// every socket, has no EStats and only pretends to close connections. So under Wine the test
// checks the socket rows, and that owners are reported as not found rather than invented; on
// Windows it also checks that the owner is this test process.

#include "bracket_scan.h"
#include "support/win_test_support.h"
#include "windows/win32.h"

#include <gtest/gtest.h>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace portscope::wintest;

// The objects of the snapshot's "connections" array, as text. The exporter writes compact JSON;
// strings may hold braces, so the scan honours quotes and escapes.
std::vector<std::string> connectionObjects(const std::string& json) {
    std::vector<std::string> objects;
    const auto start = json.find("\"connections\":[");
    if (start == std::string::npos) {
        return objects;
    }
    // Between the objects of an array stand only commas and white space, never a string.
    std::size_t at = json.find_first_of("{]", start + 15);
    while (at != std::string::npos && json[at] == '{') {
        const std::size_t close = portscope::testing::closingBracket(json, at);
        if (close == std::string::npos) {
            break;
        }
        objects.push_back(json.substr(at, close - at + 1));
        at = json.find_first_of("{]", close + 1);
    }
    return objects;
}

bool has(const std::string& object, const std::string& field) {
    return object.find(field) != std::string::npos;
}

const std::string* findSocket(const std::vector<std::string>& objects, std::string_view protocol,
                              std::string_view address, std::uint16_t port) {
    const std::string wanted = "\"local_address\":\"" + std::string(address) +
                               "\",\"local_port\":" + std::to_string(port) + ",";
    const std::string protocolField = "\"protocol\":\"" + std::string(protocol) + "\"";
    for (const auto& object : objects) {
        if (has(object, wanted) && has(object, protocolField)) {
            return &object;
        }
    }
    return nullptr;
}

TEST(CliSmoke, SnapshotJsonListsSocketsOpenedOnLoopback) {
    TestSocket listener = listenOnLoopback(AF_INET);
    ASSERT_TRUE(listener.valid());
    TestSocket udp = udpOnLoopback(AF_INET);
    ASSERT_TRUE(udp.valid());

    const auto run = runProgram(programPath(PORTSCOPE_CLI_PATH), L"snapshot --format json", 120000);
    ASSERT_TRUE(run.has_value()) << "portscope-cli.exe did not start or did not finish";
    ASSERT_EQ(run->exitCode, 0u) << run->standardOutput;

    const std::string& json = run->standardOutput;
    EXPECT_EQ(json.rfind("{\"format\":\"portscope-snapshot\"", 0), 0u) << json.substr(0, 200);
    EXPECT_TRUE(has(json, "\"source\":\"windows iphlpapi"));
    const auto objects = connectionObjects(json);
    ASSERT_FALSE(objects.empty()) << json.substr(0, 500);

    const std::string* tcp = findSocket(objects, "TCP", "127.0.0.1", listener.localPort());
    ASSERT_NE(tcp, nullptr) << "listener on 127.0.0.1:" << listener.localPort()
                            << " missing from: " << json.substr(0, 2000);
    EXPECT_TRUE(has(*tcp, "\"state\":\"LISTEN\"")) << *tcp;
    EXPECT_TRUE(has(*tcp, "\"family\":\"IPv4\"")) << *tcp;
    EXPECT_TRUE(has(*tcp, "\"remote_address\":\"0.0.0.0\",\"remote_port\":0,")) << *tcp;
    // Windows reports no byte counters for a listener; "null", never a made-up 0.
    EXPECT_TRUE(has(*tcp, "\"bytes_sent\":null")) << *tcp;

    const std::string* udpRow = findSocket(objects, "UDP", "127.0.0.1", udp.localPort());
    ASSERT_NE(udpRow, nullptr) << "UDP socket on 127.0.0.1:" << udp.localPort() << " missing";
    EXPECT_TRUE(has(*udpRow, "\"state\":\"BOUND\"")) << *udpRow;
    EXPECT_TRUE(has(*udpRow, "\"bytes_sent\":null")) << *udpRow;

    if (portscope::platform::winsys::isRunningUnderWine()) {
        // Wine's tables carry PID 0 for every socket: the row must say the owner is unknown.
        EXPECT_TRUE(has(*tcp, "\"pid\":null")) << *tcp;
        EXPECT_TRUE(has(*tcp, "\"owner_status\":\"not-found\"")) << *tcp;
        EXPECT_TRUE(has(json, "Running under Wine")) << "the snapshot should warn about Wine";
    } else {
        const std::string ownPid = "\"pid\":" + std::to_string(::GetCurrentProcessId()) + ",";
        EXPECT_TRUE(has(*tcp, ownPid)) << *tcp;
        EXPECT_TRUE(has(*tcp, "\"owner_status\":\"known\"")) << *tcp;
    }
}

TEST(CliSmoke, UnknownCommandFailsWithUsageError) {
    const auto run = runProgram(programPath(PORTSCOPE_CLI_PATH), L"no-such-command", 60000);
    ASSERT_TRUE(run.has_value());
    EXPECT_NE(run->exitCode, 0u);
}

} // namespace
