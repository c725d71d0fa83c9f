// `raftsim bench check`: model-checking speed and memory on a preset (tla-small by
// default, beside TLC's figures on raft.tla). Figures, not a test.
#include <fmt/format.h>
#include <sys/resource.h>

#include "tools/raftsim/check_flags.hpp"
#include "tools/raftsim/check_report.hpp"
#include "tools/raftsim/commands.hpp"

namespace tools {

namespace {

double peakMemoryMb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

int benchCheck(const CheckFlags& flags) {
    if (flags.usesSeam()) {
        throw CLI::ValidationError("--impl", "bench check times raftsim's core model only (try `raftsim check --impl " +
                                                 flags.impl + "`)");
    }
    const mc::Bounds bounds = flags.resolve();
    mc::SearchOptions options = flags.searchOptions();
    const bool progress = flags.showsProgress();
    options.progress = progressLine(progress);
    fmt::print("bench check: --preset {} {} {} --jobs {}\n", flags.preset, bounds.describe(),
               flags.modeFlags(), options.jobs);
    const TimedSearch t = timedSearch(bounds, options);
    endProgressLine(progress);
    fmt::print("{}peak memory {:.1f} MB; verdict {}{}\n", checkFigures(t.result, t.seconds, options.jobs),
               peakMemoryMb(),
               t.result.counterexample ? t.result.counterexample->violation.property : "held",
               t.result.complete ? " (exhausted)" : " (not exhausted)");
    if (flags.preset == "tla-small") {
        fmt::print("yardstick: TLC on raft.tla (same bounds, its own encoding) ran at 6,000 to "
                   "11,000 distinct states/s and had not finished after 17 min (8.3M states)\n");
    }
    return t.result.counterexample ? kViolated : kHeld;
}

}  // namespace

void addBenchCheck(CLI::App& bench, int& code) {
    auto* cmd = bench.add_subcommand("check", "model-checking speed on a preset (tla-small)");
    auto flags = std::make_shared<CheckFlags>();
    flags->add(*cmd, "tla-small");
    flags->jobs = 2;
    cmd->callback([flags, &code] { code = benchCheck(*flags); });
}

}  // namespace tools
