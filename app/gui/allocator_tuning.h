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

} // namespace portscope::gui
