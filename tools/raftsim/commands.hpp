// The raftsim subcommands. Each registers itself on the app and returns the exit code
// through `code`: 0 all properties held, 1 a property was violated, 2 bad usage or input.
#pragma once

#include <CLI/CLI.hpp>

namespace tools {

void addRun(CLI::App& app, int& code);
void addSweep(CLI::App& app, int& code);
void addMerge(CLI::App& app, int& code);
void addBugs(CLI::App& app, int& code);
void addProperties(CLI::App& app, int& code);
void addBench(CLI::App& app, int& code);
void addCheck(CLI::App& app, int& code);
// `raftsim bench check`, registered by addBench.
void addBenchCheck(CLI::App& bench, int& code);
void addReplay(CLI::App& app, int& code);
void addShrink(CLI::App& app, int& code);
void addExport(CLI::App& app, int& code);
void addScenario(CLI::App& app, int& code);
void addStep(CLI::App& app, int& code);
void addServe(CLI::App& app, int& code);

// Exit codes.
constexpr int kHeld = 0;
constexpr int kViolated = 1;
constexpr int kBadInput = 2;
constexpr int kUnfinished = 3;   // a run stopped at its event cap: neither held nor violated
constexpr int kInterrupted = 130;  // SIGINT or SIGTERM: 128 + SIGINT, as shells report it

// True when progress lines belong on stderr: a terminal, and not under CI.
bool showProgress();

}  // namespace tools
