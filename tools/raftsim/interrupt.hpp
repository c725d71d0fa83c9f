// SIGINT and SIGTERM during long work (a sweep): the first one sets a flag the work
// polls, so it stops starting new pieces, prints what it has and exits 130; a second
// one ends the process at once, as usual.
#pragma once

#include <atomic>

namespace tools {

// Installs the handlers (once; later calls do nothing) and returns the flag they set.
const std::atomic<bool>& catchInterrupts();

}  // namespace tools
