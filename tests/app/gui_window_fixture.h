#pragma once
// What the window tests share: a MainWindow fed by a scripted source, and the ways to wait
// for it and reach its widgets. Each test sets the window and the script up in its SetUp().

#include "gui_test_support.h"
#include "main_window.h"
#include "system_actions.h"

#include <QSettings>
#include <QString>
#include <gtest/gtest.h>
#include <memory>

namespace portscope::gui::testing {

class WindowFixture : public ::testing::Test {
protected:
    void TearDown() override { window.reset(); }

    // A fresh window (no saved settings) polling every 250 ms, shown, with an empty script.
    void openWindow(SystemActions actions = {}) {
        QSettings().clear();
        window = std::make_unique<MainWindow>(std::move(actions));
        window->setIntervalMs(250);
        window->show();
        script = std::make_shared<Script>();
    }

    void start(bool live = true) {
        ASSERT_TRUE(window->openSource(scriptedSource(script, live)));
        ASSERT_TRUE(waitFor([&] { return window->latestUpdate() != nullptr; }));
    }
    std::uint64_t sequence() const {
        return window->latestUpdate() ? window->latestUpdate()->sequence : 0;
    }
    template <typename T>
    T* child(const char* name) const {
        T* found = window->findChild<T*>(QString::fromLatin1(name));
        EXPECT_NE(found, nullptr) << name;
        return found;
    }

    std::unique_ptr<MainWindow> window;
    std::shared_ptr<Script> script;
};

} // namespace portscope::gui::testing
