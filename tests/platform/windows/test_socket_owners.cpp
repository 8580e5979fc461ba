// Socket owners on Windows, from sockets that name this test program's PID (Wine's own tables
// carry PID 0 for every socket, so the sockets are made here), with the list of processes
// replaced by one that fails.

#include "common/source_conditions.h"
#include "windows/processes.h"
#include "windows/socket_owners.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace {

using namespace portscope;
using platform::common::SourceConditions;
using platform::winsys::ProcessList;
using platform::winsys::SocketOwners;

core::Socket socketOwnedBy(std::int32_t pid) {
    core::Socket socket;
    socket.protocol = core::Protocol::Tcp;
    socket.state = core::SocketState::Established;
    socket.owner.pid = pid;
    return socket;
}

std::int32_t ownPid() {
    return static_cast<std::int32_t>(::GetCurrentProcessId());
}

TEST(SocketOwnersTest, AProcessListThatCannotBeReadIsReported) {
    bool listFails = true;
    int listings = 0;
    SocketOwners owners(false, [&](std::string* error) {
        ++listings;
        if (listFails) {
            *error = "Not enough memory resources are available (error 8)";
            return ProcessList{};
        }
        return platform::winsys::listProcesses(error);
    });
    SourceConditions conditions;
    std::vector<core::Socket> sockets{socketOwnedBy(ownPid()), socketOwnedBy(ownPid())};
    auto processes = owners.resolve(sockets, conditions);

    ASSERT_EQ(processes.size(), 1u);
    EXPECT_EQ(processes[0].key.pid, ownPid());
    EXPECT_EQ(processes[0].socketCount, 2u);
    EXPECT_EQ(sockets[0].ownerStatus, core::OwnerStatus::Known);
    EXPECT_EQ(listings, 1) << "one list per poll, however many owners";
    const auto* found = conditions.find("process-list");
    ASSERT_NE(found, nullptr) << "the failed process list was dropped silently";
    const std::string english = found->english();
    const std::string* warning = &english;
    EXPECT_NE(warning->find("Not enough memory resources"), std::string::npos) << *warning;

    // Cached details need no list: the warning stays, as those details still lack it.
    processes = owners.resolve(sockets, conditions);
    EXPECT_EQ(listings, 1);
    EXPECT_NE(conditions.find("process-list"), nullptr);

    // A new owner needs the list again; now it works, and the warning goes.
    listFails = false;
    std::vector<core::Socket> others{socketOwnedBy(ownPid())};
    SocketOwners fresh(false, [&](std::string* error) {
        ++listings;
        return platform::winsys::listProcesses(error);
    });
    fresh.resolve(others, conditions);
    EXPECT_EQ(conditions.find("process-list"), nullptr);
}

TEST(SocketOwnersTest, PidZeroHasNoOwner) {
    SocketOwners owners(false, [](std::string*) {
        ADD_FAILURE() << "no process to read";
        return ProcessList{};
    });
    SourceConditions conditions;
    std::vector<core::Socket> sockets{socketOwnedBy(0)};
    sockets[0].state = core::SocketState::TimeWait;
    EXPECT_TRUE(owners.resolve(sockets, conditions).empty());
    EXPECT_EQ(sockets[0].ownerStatus, core::OwnerStatus::NoInode);
    EXPECT_TRUE(conditions.empty());
}

} // namespace
