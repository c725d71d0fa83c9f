// The raftsim command line as one CLI11 app: main() parses with it and runs the chosen
// subcommand; the command-line fuzz harness (tools/fuzz/cli.cpp) parses with it alone.
#pragma once

#include <CLI/CLI.hpp>

namespace tools {

// Registers every subcommand, the version flag and the app's name on `app`; a parsed
// subcommand's callback does its work and stores its exit code in `code`.
void buildApp(CLI::App& app, int& code);

}  // namespace tools
