#pragma once
// A seam for the OS layer. At 100k sockets the tracker fills tens of megabytes of fresh
// memory on a first poll, and the OS maps it page by page: one page fault per 4 KiB, which
// costs more than the work done in the page (far more in a virtual machine). A platform may
// install a function that advises the OS about such buffers before they are filled (Linux:
// transparent huge pages). Core makes no OS call itself; with no advisor nothing happens.

#include <cstddef>

namespace portscope::core {

// Must be safe to call from any thread, must not throw, and must not change the contents.
using LargeBufferAdvisor = void (*)(const void* data, std::size_t bytes);

void setLargeBufferAdvisor(LargeBufferAdvisor advisor); // nullptr removes it
// Calls the advisor, if any, for a buffer about to be filled.
void adviseLargeBuffer(const void* data, std::size_t bytes);

} // namespace portscope::core
