// Replay of a model-checker trace: its steps re-executed through mc::Model (mc::rerun)
// and compared, step by step, with the recorded states, then the verdict.
#pragma once

#include <optional>
#include <string>

#include "sim/mc/cex_json.hpp"
#include "traces/replay.hpp"

namespace traces {

Comparison compare(const mc::ModelTrace& recorded, const mc::Rerun& replayed);

std::string verdictText(const std::optional<mc::TraceVerdict>& verdict);

}  // namespace traces
