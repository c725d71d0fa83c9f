// Text reports of runs: the summary of one run and the table of a sweep.
#pragma once

#include <cstdint>
#include <string>

#include "sim/world.hpp"

namespace tools {

std::string runSummary(const sim::RunResult& result);
std::string verdictLine(const sim::RunResult& result);
// The linearizability check's outcome, one line without its label.
std::string linSummary(const sim::RunResult& result);

}  // namespace tools
