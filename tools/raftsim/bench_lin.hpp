// `raftsim bench lin`: the cost of the linearizability check on long histories.
#pragma once

#include <CLI/CLI.hpp>

namespace tools {

void addBenchLin(CLI::App& bench, int& code);

}  // namespace tools
