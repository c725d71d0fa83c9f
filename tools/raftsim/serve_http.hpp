// The HTTP side of `raftsim serve` (cpp-httplib, localhost only): routes the page's
// requests to a step::Live session. Built only when cpp-httplib is found.
#pragma once

#include "traces/step/live.hpp"

namespace tools {

// Serves until the process is stopped. `port` 0: any free port. Prints the address on
// stdout once listening. Throws std::runtime_error when it cannot bind.
void serveHttp(step::Live& live, int port);

}  // namespace tools
