// The sockets of other network namespaces, with the namespace list and the dumps replaced by
// fakes: a dump that fails or a namespace that refuses entry is reported, never dropped.

#include "linux/other_namespaces.h"

#include <gtest/gtest.h>
#include <memory>
#include <string>
#include <vector>

namespace {

using portscope::core::Socket;
using portscope::platform::common::SourceConditions;
using portscope::platform::linuxsys::NetNamespace;
using portscope::platform::linuxsys::OtherNamespaceSockets;

constexpr std::uint64_t kOwnInode = 4026531840;
constexpr std::uint64_t kContainerInode = 4026532999;

std::vector<NetNamespace> ownAndOneContainer() {
    NetNamespace own;
    own.inode = kOwnInode;
    own.isOwn = true;
    NetNamespace container;
    container.inode = kContainerInode;
    container.representativePid = 4242;
    container.path = "/proc/4242/ns/net";
    return {own, container};
}

Socket socketWithInode(std::uint64_t inode) {
    Socket socket;
    socket.inode = inode;
    return socket;
}

// A namespace whose dump fails in part, as when IPv6 is missing inside a container.
struct FlakyDump {
    bool fail = true;
    int dumps = 0;
    bool operator()(std::vector<Socket>& out, std::string* error) {
        ++dumps;
        out.push_back(socketWithInode(77));
        if (fail) {
            *error = "sock_diag dump of UDP over IPv6: Address family not supported by protocol";
            return false;
        }
        return true;
    }
};

TEST(OtherNamespaceSocketsTest, AFailedDumpIsReportedAndItsSocketsKept) {
    auto flaky = std::make_shared<FlakyDump>();
    int opens = 0;
    OtherNamespaceSockets namespaces(ownAndOneContainer, [&](const NetNamespace& ns, std::string*) {
        EXPECT_EQ(ns.inode, kContainerInode) << "our own namespace is dumped elsewhere";
        ++opens;
        return OtherNamespaceSockets::Dump(
            [flaky](std::vector<Socket>& out, std::string* error) { return (*flaky)(out, error); });
    });
    SourceConditions conditions;
    std::vector<Socket> sockets{socketWithInode(1)};
    namespaces.collect(sockets, conditions);

    ASSERT_EQ(sockets.size(), 2u);
    EXPECT_EQ(sockets[0].netns, 0u) << "sockets of our own namespace are left alone";
    EXPECT_EQ(sockets[1].netns, kContainerInode);
    const auto* found = conditions.find("namespace-dumps");
    ASSERT_NE(found, nullptr) << "the failed dump was dropped silently";
    const std::string english = found->english();
    const std::string* warning = &english;
    EXPECT_NE(warning->find(std::to_string(kContainerInode)), std::string::npos) << *warning;
    EXPECT_NE(warning->find("UDP over IPv6: Address family not supported"), std::string::npos)
        << *warning;
    EXPECT_EQ(conditions.find("namespaces"), nullptr);

    // Once the dump works again the warning goes; the socket was opened only once.
    flaky->fail = false;
    sockets.clear();
    namespaces.collect(sockets, conditions);
    EXPECT_EQ(sockets.size(), 1u);
    EXPECT_EQ(conditions.find("namespace-dumps"), nullptr);
    EXPECT_EQ(opens, 1);
    EXPECT_EQ(flaky->dumps, 2);
}

TEST(OtherNamespaceSocketsTest, ANamespaceThatCannotBeEnteredIsReportedAndNotRetriedAtOnce) {
    int opens = 0;
    OtherNamespaceSockets namespaces(ownAndOneContainer,
                                     [&](const NetNamespace&, std::string* error) {
                                         ++opens;
                                         *error = "setns: Operation not permitted";
                                         return OtherNamespaceSockets::Dump();
                                     });
    SourceConditions conditions;
    std::vector<Socket> sockets;
    namespaces.collect(sockets, conditions);
    namespaces.collect(sockets, conditions);
    EXPECT_TRUE(sockets.empty());
    EXPECT_EQ(opens, 1) << "a refusal is remembered until the namespaces are listed again";
    const auto* found = conditions.find("namespaces");
    ASSERT_NE(found, nullptr);
    const std::string english = found->english();
    const std::string* warning = &english;
    EXPECT_NE(warning->find("1 other network namespace"), std::string::npos) << *warning;
    EXPECT_NE(warning->find("setns: Operation not permitted"), std::string::npos) << *warning;
    EXPECT_EQ(conditions.find("namespace-dumps"), nullptr);
}

TEST(OtherNamespaceSocketsTest, OnlyOurOwnNamespaceMeansNoWarnings) {
    OtherNamespaceSockets namespaces(
        [] { return std::vector<NetNamespace>{ownAndOneContainer().front()}; },
        [](const NetNamespace&, std::string*) -> OtherNamespaceSockets::Dump {
            ADD_FAILURE() << "nothing to open";
            return {};
        });
    SourceConditions conditions;
    conditions.set("namespaces", "stale");
    conditions.set("namespace-dumps", "stale");
    std::vector<Socket> sockets;
    namespaces.collect(sockets, conditions);
    EXPECT_TRUE(conditions.empty());
}

} // namespace
