#pragma once
// The `netstat -s` counters, from /proc/net/snmp and /proc/net/netstat.

#include "portscope/core/model.h"

#include <string>
#include <string_view>
#include <vector>

namespace portscope::platform::linuxsys {

// Both files hold pairs of lines, a header naming the counters and a line of values:
//   Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ...
//   Tcp: 1 200 120000 -1 ...
// Every counter read is appended to `counters.all` as "Tcp.RtoAlgorithm" in file order, and
// the ones HostCounters names are also stored in their typed fields. Nothing is cleared
// first, so one HostCounters can collect both files. A header without its value line, a
// value line without its header, a pair whose field counts differ, or a value that is not a
// number is described in `errors` (when given) and skipped; the rest is still read.
// `present` is left alone.
void parseSnmp(std::string_view text, core::HostCounters& counters,
               std::vector<std::string>* errors);
void parseNetstat(std::string_view text, core::HostCounters& counters,
                  std::vector<std::string>* errors);

// Reads net/snmp and net/netstat under `procRoot` ("/proc/PID" gives that process's network
// namespace). `present` is true when at least one of the files could be read.
core::HostCounters readHostCounters(const std::string& procRoot = "/proc",
                                    std::vector<std::string>* errors = nullptr);

} // namespace portscope::platform::linuxsys
