#include "tools/raftsim/check_seam.hpp"

#include <fmt/format.h>

#include <chrono>

#include "sim/implementations.hpp"
#include "sim/seamcheck/seam_search.hpp"
#include "tools/raftsim/check_report.hpp"
#include "tools/raftsim/commands.hpp"
#include "tools/raftsim/interrupt.hpp"

namespace tools {

namespace {

const sim::Implementation& implementationOf(const CheckFlags& flags) {
    const std::string& name = flags.impl;
    if (name.starts_with("process:")) {
        throw CLI::ValidationError("--impl", "check cannot explore a process: it can neither copy nor fingerprint "
                                             "itself (use run or sweep with --impl process:COMMAND)");
    }
    if (const sim::Implementation* impl = sim::implementationByName(name)) return *impl;
    if (name.starts_with("canonical") && sim::implementationByName("canonical") == nullptr) {
        throw CLI::ValidationError("--impl", fmt::format("'{}': this build lacks libraft-dev (canonical/raft), so it "
                                                         "has no canonical adapter (tools/setup.sh installs it)",
                                                         name));
    }
    throw CLI::ValidationError("--impl", fmt::format("unknown implementation '{}' (this build has: {})", name,
                                                     sim::implementationNames()));
}

void refuseFlags(const CheckFlags& flags) {
    if (flags.mode != "bfs") {
        throw CLI::ValidationError("--mode", fmt::format("--mode {}: --impl {} explores breadth-first only (--mode bfs)",
                                                         flags.mode, flags.impl));
    }
    const mc::Bounds b = flags.resolve();
    // The seam's node interface has no reads or transfers (canonical/raft has no ReadIndex).
    if (b.reads > 0 || b.followerReads || b.transfers > 0) {
        throw CLI::ValidationError("--reads", "reads and transfers are explored in the core's model only "
                                             "(--impl raftsim without --through-seam)");
    }
    if (b.spares > 0 || b.configChanges > 0 || b.snapshots > 0) {
        throw CLI::ValidationError("--max-config-changes", "membership changes and snapshots are explored in the "
                                                           "core's model only (--impl raftsim without --through-seam)");
    }
    if (b.fifo) {
        throw CLI::ValidationError("--fifo", "FIFO links are explored in the core's model only "
                                             "(--impl raftsim without --through-seam)");
    }
    if (!flags.bugs.empty() && flags.impl != "raftsim") {
        throw CLI::ValidationError("--bug", "bug switches are raftsim's core's; --impl " + flags.impl + " has none");
    }
}

std::string figures(const mc::SearchResult& r, double seconds) {
    const double rate = seconds > 0 ? static_cast<double>(r.states) / seconds : 0.0;
    return fmt::format("distinct states {}, transitions {}, depth {}, {:.2f}s, {:.0f} states/s (1 job)\n"
                       "sometimes: leader elected {}, entry committed {}\n",
                       r.states, r.transitions, r.depth, seconds, rate, r.sawLeader ? "yes" : "NO",
                       r.sawCommit ? "yes" : "NO");
}

int verdict(const mc::SearchResult& r, const mc::SearchOptions& options) {
    if (r.counterexample) {
        const mc::Counterexample& cex = *r.counterexample;
        fmt::print("VIOLATED {} (shortest counterexample: BFS)\n{}", cex.violation.property, counterexampleText(cex));
        fmt::print("no trace written: model-checker traces replay on raftsim's core\n");
        return kViolated;
    }
    if (options.interrupted()) {
        fmt::print("interrupted: the figures above are partial; nothing is proved\n");
        return kInterrupted;
    }
    if (!r.complete) {
        fmt::print("unfinished: stopped at --max-states before exhausting the bounds\n");
        return kUnfinished;
    }
    if (!r.sawLeader || !r.sawCommit) {
        fmt::print("VACUOUS: every property held, but no state {} within these bounds\n",
                   !r.sawLeader ? "had a leader" : "committed an entry");
        return kViolated;
    }
    fmt::print("held: every property holds in every state within the bounds (exhausted)\n");
    return kHeld;
}

}  // namespace

int runSeamCheck(const CheckFlags& flags) {
    const sim::Implementation& impl = flags.impl == "raftsim" ? sim::coreImplementation() : implementationOf(flags);
    refuseFlags(flags);
    mc::Bounds bounds = flags.resolve();
    bounds.symmetry = false;
    bounds.dropDead = false;
    mc::SearchOptions options = flags.searchOptions();
    const bool progress = flags.showsProgress();
    options.progress = progressLine(progress);
    options.interrupt = &catchInterrupts();
    fmt::print("raftsim check --impl {} --preset {} {} --mode bfs\n", impl.name(), flags.preset, bounds.describe());
    fmt::print("through the node seam: no symmetry or dead-message reduction (the core model's); one job\n");
    const auto start = std::chrono::steady_clock::now();
    const mc::SearchResult r = mc::seam::seamSearch(impl, bounds, options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    endProgressLine(progress);
    fmt::print("{}", figures(r, seconds));
    return verdict(r, options);
}

}  // namespace tools
