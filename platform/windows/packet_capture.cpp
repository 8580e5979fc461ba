// Packet capture is not built on Windows yet: Npcap offers libpcap's API there, and the
// capture session and file writing are shared, so only this file would change.

#include "portscope/platform/packet_capture.h"

#include "portscope/platform/system.h"

#include <cstdio>

namespace portscope::platform {

namespace {

// The file is written through a C stream; it cannot be cut back on Windows here, so a failed
// write ends the capture with what was written before it.
class StreamOutput final : public CaptureOutput {
public:
    StreamOutput(core::UniqueFile file, std::string name)
        : file_(std::move(file)), name_(std::move(name)) {}

    bool write(std::string_view bytes, std::string& error) override {
        const std::size_t written = std::fwrite(bytes.data(), 1, bytes.size(), file_.get());
        size_ += written;
        if (written != bytes.size() || std::fflush(file_.get()) != 0) {
            error = "cannot write to " + name_;
            return false;
        }
        return true;
    }
    bool truncate(std::uint64_t) override { return false; }
    std::uint64_t size() const override { return size_; }
    const std::string& name() const override { return name_; }

private:
    core::UniqueFile file_;
    std::string name_;
    std::uint64_t size_ = 0;
};

} // namespace

std::unique_ptr<PacketCapture> openPacketCapture(const CaptureOptions&) {
    throw CaptureError(CaptureError::Kind::NotSupported,
                       "packet capture is not available on Windows yet");
}

std::string captureFilterProblem(const std::string&) {
    return {};
}

std::unique_ptr<CaptureOutput> CaptureOutput::createFile(const std::string& path) {
    return std::make_unique<StreamOutput>(createPrivateFile(path), path);
}

std::unique_ptr<CaptureOutput> CaptureOutput::standardOutput() {
    throw CaptureError(CaptureError::Kind::NotSupported,
                       "writing a capture to standard output is not available on Windows");
}

std::unique_ptr<CaptureOutput> CaptureOutput::adoptDescriptor(int, std::string) {
    throw CaptureError(CaptureError::Kind::NotSupported,
                       "writing a capture to a descriptor is not available on Windows");
}

std::string operatingSystemDescription() {
    return "Windows";
}

std::string localHostName() {
    return "this computer";
}

} // namespace portscope::platform
