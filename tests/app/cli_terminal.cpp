// What portscope-cli writes to a terminal carries no control characters from the data:
// process names, config lines and file names are escaped visibly. Run through the real
// binary as well as in-process, with a real process whose name holds escape sequences.

#include "cli_test_support.h"
#include "loopback.h"
#include "portscope/core/replay.h"
#include "portscope/platform/system.h"
#include "test_process.h"

#include <array>
#include <chrono>
#include <gtest/gtest.h>
#include <string_view>
#include <sys/prctl.h>
#include <unistd.h>

using namespace portscope;
using namespace portscope::testing;
using namespace std::chrono_literals;

namespace {

// Sets the window title, clears the screen, and the same again through an 8-bit CSI (C1).
const std::string kHostileName = "\x1b]0;pwned\x07"
                                 "evil\x1b[2J\xc2\x9b"
                                 "31m\x7f\xff";

// What a terminal would act on: C0 controls but the line breaks we write ourselves, DEL,
// and C1 controls in UTF-8.
std::string terminalControlsIn(std::string_view text) {
    std::string found;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        const bool c1 = byte == 0xC2 && i + 1 < text.size() &&
                        static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                        static_cast<unsigned char>(text[i + 1]) <= 0x9F;
        if ((byte < 0x20 && byte != '\n') || byte == 0x7F || c1) {
            found += "byte " + std::to_string(byte) + " at " + std::to_string(i) + "; ";
        }
    }
    return found;
}

std::string cliPath() {
    return PORTSCOPE_CLI_PATH;
}

std::string hostileReplay(const TempDir& dir) {
    const std::string path = dir.file("hostile.psreplay");
    core::Snapshot snapshot;
    snapshot.steadyNs = 1'000'000'000;
    snapshot.unixMs = 1'700'000'000'000;
    snapshot.sourceName = kHostileName;
    snapshot.warnings.push_back(portscope::core::verbatimText("note " + kHostileName));
    core::Process process;
    process.key = {4242, 99};
    process.name = kHostileName;
    process.exePath = "/tmp/" + kHostileName;
    process.commandLine = kHostileName;
    process.userName = kHostileName;
    snapshot.processes.push_back(process);
    core::Socket socket;
    socket.protocol = core::Protocol::Tcp;
    socket.state = core::SocketState::Listen;
    socket.local = {core::IpAddress::v4(127, 0, 0, 1), 4444}; // a backdoor port: a finding
    socket.remote = {core::IpAddress::anyOf(core::Family::V4), 0};
    socket.cookie = 7;
    socket.inode = 7;
    socket.owner = process.key;
    socket.ownerStatus = core::OwnerStatus::Known;
    snapshot.sockets.push_back(socket);
    core::ReplayWriter writer(platform::createPrivateFile(path), path);
    writer.write(snapshot);
    return path;
}

} // namespace

TEST(CliTerminal, AHostileProcessNameInAReplayIsEscapedInTheTable) {
    TempDir dir;
    const std::string path = hostileReplay(dir);
    const CliRun inProcess = runCli({"replay", path, "--format", "table"});
    ASSERT_EQ(inProcess.exitCode, 0) << inProcess.err;
    const ProgramResult binary = runProgram({cliPath(), "replay", path, "--format", "table"});
    ASSERT_EQ(binary.exitCode, 0) << binary.err;
    for (const std::string* text : {&inProcess.out, &inProcess.err, &binary.out, &binary.err}) {
        EXPECT_EQ(terminalControlsIn(*text), "") << *text;
    }
    EXPECT_EQ(inProcess.out, binary.out);
    EXPECT_NE(binary.out.find("\\x1b]0;pwned\\x07evil\\x1b[2J\\x9b31m\\x7f\\xff"),
              std::string::npos)
        << binary.out;
    EXPECT_NE(binary.out.find("suspicious-port"), std::string::npos)
        << "the finding's summary, which names the process, is in the table too";
}

TEST(CliTerminal, AHostileConfigAndFileNameAreEscapedInWarningsAndErrors) {
    TempDir dir;
    const std::string replay = hostileReplay(dir);
    const std::string config = dir.write("findings.conf", "[fanout-scan]\n"
                                                          "hosts = " +
                                                              kHostileName +
                                                              "\n"
                                                              "[" +
                                                              kHostileName +
                                                              "]\n"
                                                              "[masquerade]\n" +
                                                              kHostileName + " = 1\n");
    const ProgramResult run =
        runProgram({cliPath(), "replay", replay, "--format", "table", "--config", config});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_EQ(terminalControlsIn(run.err), "") << run.err;
    EXPECT_NE(run.err.find("line 2: fanout-scan.hosts: expected a whole number from 2 to "
                           "1000000, not '\\x1b]0;pwned\\x07evil\\x1b[2J\\x9b31m\\x7f\\xff'"),
              std::string::npos)
        << run.err;
    EXPECT_NE(run.err.find("line 3: [\\x1b]0;pwned"), std::string::npos) << run.err;

    const ProgramResult missing =
        runProgram({cliPath(), "replay", dir.file(kHostileName + ".psreplay")});
    EXPECT_EQ(missing.exitCode, cli::kExitFailure);
    EXPECT_EQ(terminalControlsIn(missing.err), "") << missing.err;
    EXPECT_NE(missing.err.find("\\x1b]0;pwned"), std::string::npos) << missing.err;

    const ProgramResult usage = runProgram({cliPath(), "snapshot", "--format", kHostileName});
    EXPECT_EQ(usage.exitCode, cli::kExitUsage);
    EXPECT_EQ(terminalControlsIn(usage.err), "") << usage.err;
}

// A live process whose name (comm) holds escape sequences, as any user can set it.
TEST(CliTerminal, ALiveProcessWithEscapesInItsNameIsEscapedInTheSnapshotTable) {
    std::array<int, 2> ready{};
    ASSERT_EQ(pipe(ready.data()), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        // comm holds 15 bytes: the title sequence and a clear-screen.
        prctl(PR_SET_NAME, "\x1b]0;pwn\x07\x1b[2J", 0, 0, 0);
        const Fd listener = tcpListener("127.0.0.1");
        const std::uint16_t port = localEndpoint(listener.get()).port;
        (void)!write(ready[1], &port, sizeof port);
        pause(); // holds the listener until the test kills it
        _exit(0);
    }
    close(ready[1]);
    std::uint16_t listening = 0;
    const auto got = read(ready[0], &listening, sizeof listening);
    close(ready[0]);
    if (got != static_cast<ssize_t>(sizeof listening)) {
        killChild(child);
        FAIL() << "the child did not start listening";
    }
    const std::string port = std::to_string(listening);

    const ProgramResult run = runProgram({cliPath(), "snapshot", "--port", port}, 60s);
    killChild(child);
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_EQ(terminalControlsIn(run.out), "") << run.out;
    EXPECT_EQ(terminalControlsIn(run.err), "") << run.err;
    // The Linux source already renders controls in names as '?'; either way the row shows.
    EXPECT_NE(run.out.find("]0;pwn"), std::string::npos) << run.out;
}
