#pragma once
// Hints to the kernel about large buffers that a poll fills once and reads a few times.

#include <cstddef>

namespace portscope::platform::linuxsys {

// Asks for transparent huge pages behind the 2 MiB-aligned part of [data, data + bytes), so
// that filling a 15 MB socket list costs a few dozen page faults instead of thousands (each
// costs microseconds, many more in a virtual machine). Buffers under 4 MiB are left alone.
// Only a hint: it changes no contents and is ignored where huge pages are off.
void adviseHugePages(const void* data, std::size_t bytes);

} // namespace portscope::platform::linuxsys
