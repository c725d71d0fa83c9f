// `raftsim check --impl NAME`: the exhaustive check of an implementation behind the node
// seam (sim/seamcheck/), reported as `check` reports raftsim's core.
#pragma once

#include "tools/raftsim/check_flags.hpp"

namespace tools {

// Exit 0 held, 1 violated (or vacuous), 2 bad input, 3 unfinished (--max-states),
// 130 interrupted. Throws CLI::ValidationError for flags the seam explorer refuses.
int runSeamCheck(const CheckFlags& flags);

}  // namespace tools
