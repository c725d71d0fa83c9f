// The JSON report written for a failing seed.
#pragma once

#include <cstdint>
#include <string>

#include "sim/world.hpp"
#include "tools/raftsim/flags.hpp"

namespace tools {

// The command that reproduces a seed.
std::string reproCommand(std::uint64_t seed, const SimFlags& flags);
// Writes the report; throws std::runtime_error naming the path if it cannot.
void writeFailure(const std::string& path, std::uint64_t seed, const SimFlags& flags,
                  const sim::RunResult& result);

}  // namespace tools
