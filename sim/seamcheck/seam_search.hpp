// Exhaustive breadth-first search through the node seam (`raftsim check --impl NAME`):
// SeamModel's states, shortest counterexample first, single-threaded. The result and
// its counterexample are mc::search's types, so `check` reports both alike.
#pragma once

#include "sim/mc/explore.hpp"
#include "sim/node_seam.hpp"

namespace mc::seam {

// Only options.maxStates, interrupt and progress apply. Throws std::invalid_argument
// when the implementation cannot be explored or the bounds ask for what the seam model
// does not do (SeamModel's constructor).
SearchResult seamSearch(const sim::Implementation& impl, const Bounds& bounds, const SearchOptions& options);

}  // namespace mc::seam
