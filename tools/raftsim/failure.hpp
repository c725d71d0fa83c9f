// Traces of failing (or requested) runs, and the commands that reproduce them.
#pragma once

#include <cstdint>
#include <string>

#include "sim/world.hpp"
#include "tools/raftsim/flags.hpp"

namespace tools {

// The command that re-runs a seed from its flags.
std::string reproCommand(std::uint64_t seed, const SimFlags& flags);
// The command that replays a trace file.
std::string replayCommand(const std::string& path);

// Runs the seed with recording on and writes its trace (traces/FORMAT.md) to `path`;
// throws std::runtime_error naming the path if it cannot. Returns the run's result.
sim::RunResult writeTrace(const std::string& path, std::uint64_t seed, const SimFlags& flags);

}  // namespace tools
