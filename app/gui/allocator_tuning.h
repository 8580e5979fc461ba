#pragma once
// How the GUI asks the C library to manage its memory.

namespace portscope::gui {

// Makes blocks of 1 MB and more come from the system and go back to it when freed.
//
// Every update, the GUI builds and drops buffers of megabytes: the snapshot, the proxy's
// sort values and mappings, the views' row layouts. glibc raises its mmap threshold to the
// size of each large block freed (up to 32 MB), after which such blocks come from its heaps
// and stay resident there once freed: at 105k connections that kept about 30 MB more
// resident than the program used. A fixed threshold returns them, for a few thousand page
// faults per update. Elsewhere than glibc this does nothing.
void returnLargeBlocksToTheSystem();

// Gives the pages of freed memory inside the C library's heaps back to the system.
//
// glibc returns a heap's free memory only from its top; a block still in use above it
// keeps the rest resident. At 105k connections the first updates (every row new, the
// first layout and sort) leave about 40 MB free but resident in the GUI thread's heap for
// good. Cheap when there is little to give back; a monitor calls it now and then
// (MonitorSession, every kReturnFreedPagesIntervalMs). Elsewhere than glibc this does
// nothing.
void returnFreedHeapPages();
inline constexpr int kReturnFreedPagesIntervalMs = 10'000;

} // namespace portscope::gui
