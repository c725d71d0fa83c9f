// `raftsim replay FILE [--steps] [--expect-verdict V]`: re-executes a trace of either
// engine and compares it event by event; with --steps, prints every event and the nodes
// after it (a stepper). Exit 0: reproduced identically (and the verdict is the one
// expected); 1: diverged, or another verdict; 2: the file cannot be read as a trace.
#include <fmt/format.h>

#include <iostream>

#include "tools/raftsim/commands.hpp"
#include "traces/model_replay.hpp"
#include "traces/model_trace.hpp"
#include "traces/stepper.hpp"

namespace tools {

namespace {

// With --steps, the recorded witness's operations are marked where they happen, and the
// witness the replay's own check found is listed after the last event.
traces::Comparison replaySim(const traces::Trace& recorded, bool steps) {
    traces::Comparison c =
        traces::replay(recorded, steps ? traces::simStepper(std::cout, recorded.witness) : traces::WorldWatcher{});
    if (steps && c.witness) traces::printWitness(std::cout, *c.witness);
    return c;
}

traces::Comparison replayModel(const mc::ModelTrace& recorded, bool steps) {
    if (steps) traces::printInitial(std::cout, recorded);
    const mc::Rerun replayed =
        mc::rerun(recorded, steps ? traces::modelStepper(std::cout, recorded) : mc::StepObserver{});
    return traces::compare(recorded, replayed);
}

std::string verdictOf(const traces::Comparison& c) {
    if (!c.violated.empty()) return c.violated;
    return c.unfinished ? "unfinished" : "held";
}

// Whether the replayed verdict is `expected`: held, violated, or a property's name.
bool verdictIs(const std::string& expected, const traces::Comparison& c) {
    if (expected == "held") return c.violated.empty() && !c.unfinished;
    if (expected == "violated") return !c.violated.empty();
    return c.violated == expected;
}

}  // namespace

void addReplay(CLI::App& app, int& code) {
    auto* cmd = app.add_subcommand("replay", "re-execute a trace (simulator or model checker) and compare it event by event");
    struct Args {
        std::string file;
        bool steps = false;
        std::string expect;
    };
    auto a = std::make_shared<Args>();
    cmd->add_option("FILE", a->file, "the trace (JSON)")->required();
    cmd->add_flag("--steps", a->steps, "print every event and every node's state after it");
    cmd->add_option("--expect-verdict", a->expect,
                    "held, violated or a property's name: exit 1 unless the replay ends so");
    cmd->callback([a, &code] {
        const traces::AnyTrace recorded = traces::readAnyTrace(a->file);
        const traces::Comparison c = std::holds_alternative<traces::Trace>(recorded)
                                         ? replaySim(std::get<traces::Trace>(recorded), a->steps)
                                         : replayModel(std::get<mc::ModelTrace>(recorded), a->steps);
        std::cout.flush();
        fmt::print("{}: {}\n", a->file, c.report);
        code = c.identical ? kHeld : kViolated;
        if (c.identical && !a->expect.empty() && !verdictIs(a->expect, c)) {
            fmt::print("{}: expected verdict {}, got {}\n", a->file, a->expect, verdictOf(c));
            code = kViolated;
        }
    });
}

}  // namespace tools
