// `raftsim check`: explore every interleaving within bounds and check every property.
// Exit 0: held (and not vacuous), 1: violated (counterexample printed and written),
// 2: bad input. --impl NAME explores another implementation through the node seam
// (check_seam.cpp).
#include <fmt/format.h>

#include "tools/raftsim/check_flags.hpp"
#include "tools/raftsim/check_report.hpp"
#include "tools/raftsim/check_seam.hpp"
#include "tools/raftsim/commands.hpp"
#include "tools/raftsim/interrupt.hpp"
#include "traces/model_trace.hpp"

namespace tools {

namespace {

struct CheckArgs {
    CheckFlags flags;
    std::string out = "raftsim-check-counterexample.json";
};

// The counterexample as a model-checker trace (traces/FORMAT.md) that `raftsim replay` reads.
void writeCounterexample(const CheckArgs& args, const mc::Bounds& b, const mc::Counterexample& cex) {
    const std::string repro = fmt::format("raftsim check --preset {} {} {}", args.flags.preset,
                                        b.describe(), args.flags.modeFlags());
    traces::writeTrace(args.out, mc::record(b, cex, repro));
    fmt::print("written: {} (raftsim replay {} --steps walks through it)\n", args.out, args.out);
}

int runCheck(const CheckArgs& args) {
    if (args.flags.usesSeam()) return runSeamCheck(args.flags);
    const mc::Bounds bounds = args.flags.resolve();
    mc::SearchOptions options = args.flags.searchOptions();
    const bool progress = args.flags.showsProgress();
    options.progress = progressLine(progress);
    const bool bfs = options.mode == mc::SearchMode::Bfs;
    options.interrupt = &catchInterrupts();
    fmt::print("raftsim check --preset {} {} {} --jobs {}\n", args.flags.preset, bounds.describe(),
               args.flags.modeFlags(), options.jobs);
    const TimedSearch t = timedSearch(bounds, options);
    endProgressLine(progress);
    for (const std::string& refusal : t.result.refusals) fmt::print("{}\n", refusal);
    fmt::print("{}", checkFigures(t.result, t.seconds, bfs ? options.jobs : 1));
    if (t.result.counterexample) {
        const mc::Counterexample& cex = *t.result.counterexample;
        const std::string how = bfs ? " (shortest counterexample: BFS)"
                                : cex.foundSteps > 0 ? fmt::format(" (random walk of {} steps, shortened)", cex.foundSteps)
                                                     : "";
        fmt::print("VIOLATED {}{}\n{}", cex.violation.property, how, counterexampleText(cex));
        writeCounterexample(args, bounds, cex);
        return kViolated;
    }
    if (options.interrupted()) {
        fmt::print("interrupted: the figures above are partial; nothing is proved\n");
        return kInterrupted;
    }
    if (options.mode == mc::SearchMode::Walk) {
        fmt::print("held in {} random walks of up to {} steps (a sample of the state space, not a proof)\n",
                   options.walks, options.walkDepth);
        return kHeld;
    }
    if (!t.result.complete) {
        fmt::print("held so far: stopped at --max-states before exhausting the bounds\n");
        return kHeld;
    }
    if (!t.result.sawLeader || !t.result.sawCommit) {
        fmt::print("VACUOUS: every property held, but no state {} within these bounds\n",
                   !t.result.sawLeader ? "had a leader" : "committed an entry");
        return kViolated;
    }
    fmt::print("held: every property holds in every state within the bounds (exhausted)\n");
    return kHeld;
}

}  // namespace

void addCheck(CLI::App& app, int& code) {
    auto* cmd = app.add_subcommand("check", "model checking: explore every interleaving within bounds");
    auto args = std::make_shared<CheckArgs>();
    args->flags.add(*cmd, "tla-small");
    cmd->add_option("--out", args->out, "where to write a counterexample (a trace for raftsim replay)");
    cmd->callback([args, &code] { code = runCheck(*args); });
}

}  // namespace tools
