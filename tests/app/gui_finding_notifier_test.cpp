// FindingNotifier on updates from the real tracker and findings engine: a process that
// carries a system daemon's name but runs from a home directory raises a high-severity
// masquerade finding, which is announced once per finding and session.

#include "finding_notifier.h"
#include "gui_test_support.h"
#include "portscope/core/findings.h"
#include "portscope/core/findings_engine.h"
#include "portscope/core/tracker.h"

#include <QSignalSpy>
#include <QWidget>
#include <algorithm>
#include <gtest/gtest.h>

namespace portscope::gui {
namespace {

using namespace testing;

core::Process impostor(std::int32_t pid, const std::string& name) {
    core::Process p = process(pid, 5, name, "/home/bob/.cache/" + name);
    p.parentPid = 1;
    return p;
}

class FindingNotifierTest : public ::testing::Test {
protected:
    // One tick of the real pipeline with `processes`, each owning a listener.
    std::shared_ptr<const core::Update> step(const std::vector<core::Process>& processes) {
        std::vector<core::Socket> sockets;
        for (const auto& p : processes) {
            sockets.push_back(tcpListener(static_cast<std::uint64_t>(p.key.pid),
                                          static_cast<std::uint16_t>(5000 + p.key.pid % 1000),
                                          p.key));
        }
        auto update = tracker.apply(snapshotAt(tick++, std::move(sockets), processes));
        findings.evaluate(const_cast<core::Update&>(*update));
        return update;
    }

    QWidget window;
    FindingNotifier notifier{&window};
    core::Tracker tracker;
    core::FindingsEngine findings;
    int tick = 0;
};

int highFindings(const core::Update& update) {
    return static_cast<int>(
        std::count_if(update.findings.begin(), update.findings.end(),
                      [](const core::Finding& f) { return f.severity == core::Severity::High; }));
}

TEST_F(FindingNotifierTest, AnnouncesEachHighFindingOnceAndAgainAfterAReset) {
    QSignalSpy announced(&notifier, &FindingNotifier::findingAnnounced);
    QSignalSpy notices(&notifier, &FindingNotifier::noticeRaised);

    const auto first = step({impostor(77, "sshd")});
    ASSERT_EQ(first->findings.size(), 1u);
    const core::Finding& finding = first->findings.front();
    ASSERT_EQ(finding.severity, core::Severity::High);
    notifier.notify(*first);
    ASSERT_EQ(announced.count(), 1);
    EXPECT_EQ(announced.at(0).at(0).value<std::uint64_t>(), finding.id);
    const QString text = announced.at(0).at(1).toString();
    EXPECT_TRUE(text.contains(QStringLiteral("masquerade sshd (PID 77): "))) << text.toStdString();
    EXPECT_TRUE(text.contains(QString::fromStdString(finding.summary))) << text.toStdString();
    ASSERT_EQ(notices.count(), 1);
    EXPECT_EQ(notices.at(0).at(0).toString(), text);
    EXPECT_EQ(notifier.noticeFindingId(), finding.id);

    // The finding stays active: nothing new to say.
    for (int i = 0; i < 3; ++i) {
        notifier.notify(*step({impostor(77, "sshd")}));
    }
    EXPECT_EQ(announced.count(), 1);
    EXPECT_EQ(notices.count(), 1);

    // A second impostor: only it is announced, and the notice points at it.
    const auto second = step({impostor(77, "sshd"), impostor(78, "Xorg")});
    const int highNow = highFindings(*second);
    ASSERT_GE(highNow, 2);
    notifier.notify(*second);
    ASSERT_EQ(announced.count(), highNow);
    for (int i = 1; i < highNow; ++i) {
        EXPECT_TRUE(announced.at(i).at(1).toString().contains(QStringLiteral("Xorg (PID 78)")));
    }
    EXPECT_EQ(notices.count(), 2);
    EXPECT_NE(notifier.noticeFindingId(), finding.id);

    // A new engine numbers its findings afresh: after reset() everything active is news.
    notifier.reset();
    notifier.notify(*second);
    EXPECT_EQ(announced.count(), 2 * highNow);
    ASSERT_EQ(notices.count(), 3);
    EXPECT_EQ(notices.at(2).at(0).toString().count(QLatin1Char('\n')), highNow - 1)
        << "one line each";
}

TEST_F(FindingNotifierTest, FindingsBelowHighSeverityAreNotAnnounced) {
    QSignalSpy announced(&notifier, &FindingNotifier::findingAnnounced);
    core::Update update;
    core::Finding medium;
    medium.id = 5;
    medium.ruleId = std::string(core::rules::kMasquerade);
    medium.severity = core::Severity::Medium;
    medium.summary = "medium";
    update.findings.push_back(medium);
    notifier.notify(update);
    EXPECT_EQ(announced.count(), 0);
    EXPECT_EQ(notifier.noticeFindingId(), 0u);
}

} // namespace
} // namespace portscope::gui
