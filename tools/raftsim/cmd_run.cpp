// `raftsim run`: one seeded simulation, with its swarm configuration and verdict.
#include <fmt/format.h>

#include "tools/raftsim/commands.hpp"
#include "tools/raftsim/failure.hpp"
#include "tools/raftsim/flags.hpp"
#include "tools/raftsim/parse.hpp"
#include "tools/raftsim/report.hpp"

namespace tools {

void addRun(CLI::App& app, int& code) {
    auto* cmd = app.add_subcommand("run", "run one seeded simulation and check every property");
    struct Args {
        std::uint64_t seed = 1;
        SimFlags flags;
        std::string trace;
    };
    auto args = std::make_shared<Args>();
    cmd->add_option("--seed", args->seed, "the seed (decides faults, timings, everything)")->check(unsignedInteger());
    args->flags.add(*cmd);
    cmd->add_option("--trace", args->trace, "record the run and write its trace (JSON) here");
    cmd->callback([args, &code] {
        const sim::SimOptions options = args->flags.optionsFor(args->seed);
        fmt::print("raftsim run --seed {}{}\n{}", args->seed, args->flags.repro(),
                   sim::describe(options));
        sim::RunResult result;
        if (args->trace.empty()) {
            result = sim::World(options, args->seed).run();
        } else {
            result = writeTrace(args->trace, args->seed, args->flags);
        }
        fmt::print("{}{}\n", runSummary(result), verdictLine(result));
        if (!args->trace.empty()) fmt::print("trace: {}\n  replay: {}\n", args->trace, replayCommand(args->trace));
        code = result.violation ? kViolated : result.eventCapReached ? kUnfinished : kHeld;
    });
}

}  // namespace tools
