// `raftsim step [--nodes N] [--bug NAME]... [--check-quorum] [--empty-heartbeats]
// [--batch B] [--scenario FILE | --trace FILE]`: an interactive stepper. The student
// chooses what happens next (a numbered choice or a scenario command), goes back, runs
// until a goal, and saves the session as a scenario or a model trace.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "tools/raftsim/commands.hpp"
#include "tools/raftsim/step_start.hpp"
#include "traces/step/repl.hpp"

namespace tools {

namespace {

bool wantColour() {
    const char* no = std::getenv("NO_COLOR");
    const char* term = std::getenv("TERM");
    return isatty(STDOUT_FILENO) != 0 && (no == nullptr || *no == '\0') && (term == nullptr || std::string_view(term) != "dumb");
}

}  // namespace

void addStep(CLI::App& app, int& code) {
    auto* cmd = app.add_subcommand("step", "step through Raft yourself: choose what happens next, go back, save");
    auto a = std::make_shared<StepArgs>();
    const StepFlags flags = addStepFlags(cmd, *a);
    cmd->callback([a, &code, flags] {
        flags.noteClusterFlags(*a);
        const std::unique_ptr<step::Stepper> s = startStepper(*a);
        const bool terminal = isatty(STDIN_FILENO) != 0;
        const step::ReplOptions o{.colour = wantColour(), .echo = !terminal, .prompt = terminal, .repro = reproOf(*a, "step")};
        code = step::repl(*s, std::cin, std::cout, o);
        std::cout.flush();
    });
}

}  // namespace tools
