// `raftsim bench bugs`: the mutation score of the harness. Each historical bug is
// switched on in turn and the default sweep runs until the first violation.
#pragma once

#include <CLI/CLI.hpp>

namespace tools {

void addBenchBugs(CLI::App& bench, int& code);

}  // namespace tools
