// Shortening a model path that breaks a property: steps are deleted, in halves, then
// quarters, down to single steps, for as long as the path still re-executes (every step
// enabled where it stands, within the bounds) and breaks the same property. Random
// walks find deep counterexamples with detours; this takes the detours out. The same
// input always gives the same output.
#pragma once

#include "sim/mc/cex_json.hpp"

namespace mc {

// `trace` must break a property (trace.verdict set) when re-executed; throws
// std::runtime_error otherwise. The result is re-executed: its records and verdict are
// those of the shorter path.
ModelTrace shorten(const ModelTrace& trace);

}  // namespace mc
