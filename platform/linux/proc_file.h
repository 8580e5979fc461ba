#pragma once
// The one way PortScope reads a file under /proc.

#include <cstddef>
#include <limits>
#include <string>

namespace portscope::platform::linuxsys {

inline constexpr std::size_t kNoSizeLimit = std::numeric_limits<std::size_t>::max();

// Reads a whole file into `out`, at most `maxBytes` (a /proc file reports size 0, so it is
// read until EOF). The reads grow geometrically, so a one-line stat file costs one small
// read and a /proc/net table of 100k sockets a handful of large ones. Returns 0 on success;
// else the errno value, with `out` empty.
int readProcFile(const std::string& path, std::string& out, std::size_t maxBytes = kNoSizeLimit);

// "cannot read PATH: REASON", for a failure of readProcFile.
std::string procFileError(const std::string& path, int error);

} // namespace portscope::platform::linuxsys
