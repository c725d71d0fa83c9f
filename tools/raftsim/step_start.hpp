// Where `raftsim step` and `raftsim serve` start: a fresh cluster from flags like
// `check`'s, the end of a scenario's steps, or the end of a model trace's path.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "traces/step/stepper.hpp"

namespace tools {

struct StepArgs {
    int nodes = 3;
    std::vector<std::string> bugs;
    bool checkQuorum = false;
    bool emptyHeartbeats = false;
    int batch = 0;
    std::string scenarioFile;
    std::string traceFile;
    bool clusterFlags = false;  // set by the callback: a cluster flag was given
};

// Registers the flags on `cmd`; call `noteClusterFlags` in the callback.
struct StepFlags {
    std::vector<CLI::Option*> cluster;
    void noteClusterFlags(StepArgs& a) const;
};
StepFlags addStepFlags(CLI::App* cmd, StepArgs& a);

// Throws std::runtime_error (one line: what and where) on bad flags or files.
std::unique_ptr<step::Stepper> startStepper(const StepArgs& a);

// The command line that starts the same session.
std::string reproOf(const StepArgs& a, const std::string& subcommand);

}  // namespace tools
