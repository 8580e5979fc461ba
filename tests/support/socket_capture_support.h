#pragma once
// Whether this machine can capture by socket (platform/packet_capture.h's
// CaptureOptions::bySocket): root, the eBPF build, a kernel that loads the programs, cgroup v2.
// Header-only: it needs the platform library, which not every user of the test support links.

#include "portscope/platform/packet_capture.h"

#include <string>

namespace portscope::testing {

// True when a capture by socket opens; otherwise false with the reason in *whyNot. A failure
// other than NotSupported or PermissionDenied is a defect and propagates.
inline bool canCaptureBySocket(std::string* whyNot = nullptr) {
    try {
        platform::CaptureOptions options;
        options.bySocket = true;
        platform::openPacketCapture(options);
        return true;
    } catch (const platform::CaptureError& error) {
        if (error.kind != platform::CaptureError::Kind::NotSupported &&
            error.kind != platform::CaptureError::Kind::PermissionDenied) {
            throw;
        }
        if (whyNot != nullptr) {
            *whyNot = error.what();
        }
        return false;
    }
}

} // namespace portscope::testing
