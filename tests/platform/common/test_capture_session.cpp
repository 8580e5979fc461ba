// CaptureSession against a capture that records what it is asked: which kernel filter holds
// before the first Update.

#include "portscope/platform/packet_capture.h"

#include <gtest/gtest.h>
#include <thread>

using namespace portscope;

namespace {

class RecordingCapture final : public platform::PacketCapture {
public:
    explicit RecordingCapture(std::vector<std::string>& filters) : filters_(filters) {}
    const std::vector<platform::CapturedInterface>& interfaces() const override {
        return interfaces_;
    }
    void setFilter(const std::string& expression) override { filters_.push_back(expression); }
    std::size_t read(std::chrono::milliseconds timeout, std::size_t,
                     const std::function<void(const platform::CapturedPacket&)>&) override {
        std::this_thread::sleep_for(timeout); // no packet came
        return 0;
    }
    std::vector<platform::CaptureStatistics> statistics() override { return {{}}; }

private:
    std::vector<std::string>& filters_;
    std::vector<platform::CapturedInterface> interfaces_{{"any", 276, 262144}};
};

// Keeps nothing: these tests are about the kernel filter, on every platform.
class DiscardingOutput final : public platform::CaptureOutput {
public:
    bool write(std::string_view bytes, std::string&) override {
        size_ += bytes.size();
        return true;
    }
    bool truncate(std::uint64_t size) override {
        size_ = size;
        return true;
    }
    std::uint64_t size() const override { return size_; }
    const std::string& name() const override { return name_; }

private:
    std::uint64_t size_ = 0;
    std::string name_ = "discarded";
};

std::unique_ptr<platform::CaptureOutput> nullOutput() {
    return std::make_unique<DiscardingOutput>();
}

platform::CaptureSessionOptions selecting(std::string userFilter) {
    platform::CaptureSessionOptions options;
    options.selector = [](const core::Connection&, const core::ProcessRow*) { return true; };
    options.userFilter = std::move(userFilter);
    return options;
}

} // namespace

// The first poll of a busy system takes a second; unfiltered, the kernel's ring overflowed
// with other processes' packets before the capture began.
TEST(CaptureSession, APidCaptureLetsNoPacketInBeforeTheFirstUpdate) {
    std::vector<std::string> filters;
    platform::CaptureSession session(std::make_unique<RecordingCapture>(filters), nullOutput(),
                                     selecting(""));
    ASSERT_EQ(filters.size(), 1u);
    EXPECT_EQ(filters[0], core::PacketAttributor::kNothing);
}

TEST(CaptureSession, TheUserFilterJoinsTheEmptySelectionFromTheStart) {
    std::vector<std::string> filters;
    platform::CaptureSession session(std::make_unique<RecordingCapture>(filters), nullOutput(),
                                     selecting("port 80"));
    ASSERT_EQ(filters.size(), 1u);
    EXPECT_EQ(filters[0],
              core::PacketAttributor::combineFilters(core::PacketAttributor::kNothing, "port 80"));
}

TEST(CaptureSession, AWholeSystemCaptureStartsWithTheUserFilterOnly) {
    std::vector<std::string> filters;
    platform::CaptureSessionOptions options;
    options.userFilter = "udp";
    platform::CaptureSession session(std::make_unique<RecordingCapture>(filters), nullOutput(),
                                     options);
    ASSERT_EQ(filters.size(), 1u);
    EXPECT_EQ(filters[0], "udp");
}
