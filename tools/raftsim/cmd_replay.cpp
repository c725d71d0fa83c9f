// `raftsim replay FILE [--steps]`: re-executes a trace of either engine and compares it
// event by event; with --steps, prints every event and the nodes after it (a stepper).
#include <fmt/format.h>

#include <iostream>

#include "tools/raftsim/commands.hpp"
#include "traces/model_replay.hpp"
#include "traces/model_trace.hpp"
#include "traces/stepper.hpp"

namespace tools {

namespace {

traces::Comparison replaySim(const traces::Trace& recorded, bool steps) {
    const traces::Trace replayed =
        traces::rerun(recorded, steps ? traces::simStepper(std::cout) : traces::WorldWatcher{});
    return traces::compare(recorded, replayed);
}

traces::Comparison replayModel(const mc::ModelTrace& recorded, bool steps) {
    if (steps) traces::printInitial(std::cout, recorded);
    const mc::Rerun replayed =
        mc::rerun(recorded, steps ? traces::modelStepper(std::cout, recorded) : mc::StepObserver{});
    return traces::compare(recorded, replayed);
}

}  // namespace

void addReplay(CLI::App& app, int& code) {
    auto* cmd = app.add_subcommand("replay", "re-execute a trace (simulator or model checker) and compare it event by event");
    struct Args {
        std::string file;
        bool steps = false;
    };
    auto a = std::make_shared<Args>();
    cmd->add_option("FILE", a->file, "the trace (JSON)")->required();
    cmd->add_flag("--steps", a->steps, "print every event and every node's state after it");
    cmd->callback([a, &code] {
        const traces::AnyTrace recorded = traces::readAnyTrace(a->file);
        const traces::Comparison c = std::holds_alternative<traces::Trace>(recorded)
                                         ? replaySim(std::get<traces::Trace>(recorded), a->steps)
                                         : replayModel(std::get<mc::ModelTrace>(recorded), a->steps);
        std::cout.flush();
        fmt::print("{}: {}\n", a->file, c.report);
        code = c.identical ? kHeld : kViolated;
    });
}

}  // namespace tools
