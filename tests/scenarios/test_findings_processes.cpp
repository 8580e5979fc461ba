// Scenarios with real processes: programs that imitate system processes (masquerade), and a
// desktop-like load that must raise no finding at all (false positives).
//
// The programs are copies of the system's perl (always present on Debian, perl-base) under
// names and in places that malware favours; they only listen on loopback inside the test's
// own network namespace.

#include "findings_scenario.h"
#include "portscope/core/findings.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

using namespace portscope;
using namespace portscope::testing;
using namespace std::chrono_literals;

namespace {

constexpr const char* kPerl = "/usr/bin/perl";

// Listens on a loopback port and waits to be killed.
constexpr const char* kListenAndWait =
    "use IO::Socket::INET; my $s = IO::Socket::INET->new(Listen => 5, LocalAddr => "
    "'127.0.0.1', LocalPort => 0, Proto => 'tcp') or die \"listen: $!\"; sleep 300;";

std::string copyOfPerl(const ScratchDirectory& directory, const std::string& name) {
    const std::string path = directory.file(name);
    std::filesystem::copy_file(kPerl, path);
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
    return path;
}

const core::Finding* masqueradeOf(const core::Update& update, pid_t pid) {
    for (const auto& finding : update.findings) {
        if (finding.ruleId == core::rules::kMasquerade && finding.process.pid == pid) {
            return &finding;
        }
    }
    return nullptr;
}

} // namespace

TEST(MasqueradeScenario, ImitatorsOddPlacesAndDeletedProgramsAreNamedButTheRealOneIsNot) {
    if (!std::filesystem::exists(kPerl)) {
        GTEST_SKIP() << "needs " << kPerl;
    }
    ENTER_PRIVATE_NETWORK(network, false);
    const ScratchDirectory directory;
    Child imitator({copyOfPerl(directory, "scvhost.exe"), "-e", kListenAndWait});
    Child misplaced({copyOfPerl(directory, "sshd"), "-e", kListenAndWait});
    const std::string workerPath = copyOfPerl(directory, "worker");
    Child deleted({workerPath, "-e", kListenAndWait});
    Child genuine({kPerl, "-e", kListenAndWait});
    for (const Child* child : {&imitator, &misplaced, &deleted, &genuine}) {
        ASSERT_TRUE(waitForSocketOf(child->pid())) << "PID " << child->pid() << " never listened";
    }
    // The program removes its own file once it runs, as malware does to hide.
    ASSERT_TRUE(std::filesystem::remove(workerPath));

    WatchedEngine engine;
    const auto all = engine.waitForFinding([&](const core::Finding& finding) {
        return finding.ruleId == core::rules::kMasquerade && finding.process.pid == deleted.pid();
    });
    ASSERT_TRUE(all) << "no masquerade finding for the deleted program";
    engine.waitForUpdates(2);
    const auto updates = engine.updates();
    const core::Update& last = *updates.back();

    const core::Finding* fake = masqueradeOf(last, imitator.pid());
    ASSERT_NE(fake, nullptr) << "scvhost.exe was not flagged";
    EXPECT_EQ(fake->severity, core::Severity::High);
    EXPECT_TRUE(has(fake->summary, "scvhost.exe (PID " + std::to_string(imitator.pid()) +
                                       ") imitates the system process svchost.exe"))
        << fake->summary;
    EXPECT_EQ(fake->socketsTotal, 1u);
    ASSERT_EQ(fake->sockets.size(), 1u);
    EXPECT_EQ(fake->sockets[0].state, core::SocketState::Listen);

    const core::Finding* odd = masqueradeOf(last, misplaced.pid());
    ASSERT_NE(odd, nullptr) << "sshd outside the system directories was not flagged";
    EXPECT_TRUE(has(odd->summary, "carries the name of the system process sshd but runs from " +
                                      directory.file("sshd")))
        << odd->summary;

    const core::Finding* gone = masqueradeOf(last, deleted.pid());
    ASSERT_NE(gone, nullptr);
    EXPECT_EQ(gone->severity, core::Severity::High) << "deleted, and in /tmp";
    bool mentionsDeletion = false;
    for (const auto& detail : gone->details) {
        mentionsDeletion = mentionsDeletion || has(detail, "has been deleted");
    }
    EXPECT_TRUE(mentionsDeletion) << gone->summary;
    EXPECT_TRUE(has(gone->summary, "a directory anyone can write to")) << gone->summary;

    EXPECT_EQ(masqueradeOf(last, genuine.pid()), nullptr) << "perl in /usr/bin is fine";
}

namespace {

// A small "desktop": four loopback services and a DNS-like UDP responder in one process...
constexpr const char* kServers = R"(
use IO::Socket::INET; use IO::Select;
my $select = IO::Select->new; my %listening;
for my $port (8081 .. 8084) {
    my $l = IO::Socket::INET->new(Listen => 64, LocalAddr => '127.0.0.1', LocalPort => $port,
                                  Proto => 'tcp', ReuseAddr => 1) or die "listen $port: $!";
    $select->add($l); $listening{$l} = 1;
}
my $dns = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 5300, Proto => 'udp')
    or die "udp: $!";
$select->add($dns);
while (1) {
    for my $fh ($select->can_read(1)) {
        if ($listening{$fh}) { my $c = $fh->accept; $select->add($c) if $c; }
        elsif ($fh == $dns) { my $from = $dns->recv(my $q, 512); $dns->send('answer', 0, $from) if defined $from; }
        else {
            my $n = sysread($fh, my $data, 4096);
            if (!$n) { $select->remove($fh); close $fh; } else { syswrite($fh, $data); }
        }
    }
}
)";

// ...and a "browser" with forty long connections, a little traffic on them, a short request
// every half second and a DNS-like query every three quarters of a second.
constexpr const char* kBrowser = R"(
use IO::Socket::INET;
my @long;
for my $i (0 .. 39) {
    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => 8081 + $i % 4,
                                  Proto => 'tcp') or die "connect: $!";
    push @long, $s;
}
my $dns = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => 5300, Proto => 'udp')
    or die "udp: $!";
my $tick = 0;
while (1) {
    $tick++;
    for (1 .. 5) { my $s = $long[int(rand(@long))]; syswrite($s, "ping\n"); sysread($s, my $b, 64); }
    if ($tick % 2 == 0) {
        my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => 8081 + int(rand(4)),
                                      Proto => 'tcp');
        if ($s) { syswrite($s, "GET /\n"); sysread($s, my $b, 64); close $s; }
    }
    if ($tick % 3 == 0) { $dns->send('query'); $dns->recv(my $a, 512); }
    select(undef, undef, undef, 0.25);
}
)";

} // namespace

TEST(FalsePositiveScenario, ADesktopLikeLoadRaisesNoFinding) {
    if (!std::filesystem::exists(kPerl)) {
        GTEST_SKIP() << "needs " << kPerl;
    }
    ENTER_PRIVATE_NETWORK(network, false);
    WatchedEngine engine; // default thresholds
    engine.waitForUpdates(1);
    Child servers({kPerl, "-e", kServers});
    ASSERT_TRUE(waitForSocketOf(servers.pid()));
    std::this_thread::sleep_for(200ms); // all four listeners are up
    Child browser({kPerl, "-e", kBrowser});
    ASSERT_TRUE(waitForSocketOf(browser.pid()));

    engine.waitForUpdates(32); // 8 s at 0.25 s
    ASSERT_TRUE(isAlive(servers.pid())) << "the servers died; the load did not run";
    ASSERT_TRUE(isAlive(browser.pid())) << "the browser died; the load did not run";
    const auto updates = engine.updates();
    std::size_t established = 0;
    std::size_t listening = 0;
    std::size_t shortConnections = 0;
    for (const auto& connection : updates.back()->connections) {
        if (connection.socket.owner.pid == browser.pid() &&
            connection.socket.state == core::SocketState::Established && connection.open) {
            ++established;
        }
        if (connection.socket.owner.pid == servers.pid() && connection.open &&
            connection.socket.state == core::SocketState::Listen) {
            ++listening;
        }
    }
    for (const auto& update : updates) {
        shortConnections += update->added.size();
        for (const auto& finding : update->findings) {
            ADD_FAILURE() << "update " << update->sequence << ": " << finding.ruleId << ": "
                          << finding.summary;
        }
    }
    EXPECT_GE(established, 40u) << "the load was not visible";
    EXPECT_EQ(listening, 4u);
    EXPECT_GT(shortConnections, 100u) << "the short requests were not visible";
}
