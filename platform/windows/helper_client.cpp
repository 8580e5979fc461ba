// Windows has no privileged helper: elevation there restarts the whole program through the
// UAC prompt (elevation.h, ElevationMethod::RestartAsAdministrator). helper_client.h is
// implemented all the same so that front ends compile one way on every OS; no connection can
// be made, so nothing past launch() and adopt() is ever reached.

#include "portscope/platform/helper_client.h"

namespace portscope::platform {

namespace {

constexpr const char* kNoHelper =
    "portscope-helper exists on Linux only; on Windows restart PortScope as administrator";

[[noreturn]] void throwNoHelper() {
    throw HelperError(kNoHelper);
}

} // namespace

struct HelperConnection::Impl {};

std::shared_ptr<HelperConnection> HelperConnection::launch(const HelperLaunch&,
                                                           const HelperOptions&) {
    throwNoHelper();
}

std::shared_ptr<HelperConnection> HelperConnection::connectOverSsh(const SshLaunch&,
                                                                   const HelperOptions&) {
    throw HelperError("Connecting to another machine over ssh is available on Linux only");
}

std::shared_ptr<HelperConnection> HelperConnection::adopt(int, int, const HelperOptions&) {
    throwNoHelper();
}

HelperConnection::HelperConnection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HelperConnection::~HelperConnection() = default;

const HelperInfo& HelperConnection::info() const {
    static const HelperInfo none;
    return none;
}

bool HelperConnection::connected() const {
    return false;
}

std::string HelperConnection::failure() const {
    return kNoHelper;
}

core::Snapshot HelperConnection::poll() {
    throwNoHelper();
}

ActionResult HelperConnection::killProcess(const core::ProcessKey&, std::chrono::milliseconds) {
    return {ActionStatus::NotSupported, kNoHelper};
}

ActionResult HelperConnection::closeConnection(const core::Socket&) {
    return {ActionStatus::NotSupported, kNoHelper};
}

void HelperConnection::disconnect() {}

std::unique_ptr<PacketCapture> HelperConnection::openCapture(const CaptureOptions&) {
    throw CaptureError(CaptureError::Kind::NotSupported, "portscope-helper is not used on Windows");
}

std::unique_ptr<core::SnapshotSource> makeHelperSource(std::shared_ptr<HelperConnection>) {
    throwNoHelper();
}

} // namespace portscope::platform
