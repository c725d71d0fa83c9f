#include "tools/raftsim/check_flags.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "sim/options.hpp"
#include "sim/recovery.hpp"
#include "tools/raftsim/commands.hpp"
#include "tools/raftsim/parse.hpp"

namespace tools {

void CheckFlags::add(CLI::App& cmd, const std::string& defaultPreset) {
    preset = defaultPreset;
    std::string names;
    for (const mc::Preset& p : mc::presets()) names += fmt::format("\n  {}: {}", p.name, p.description);
    cmd.add_option("--preset", preset, "start from these bounds:" + names);
    given_.nodes = cmd.add_option("--nodes", bounds.nodes, "servers")->check(CLI::Range(1, mc::kMaxNodes));
    given_.maxTerm = cmd.add_option("--max-term", bounds.maxTerm, "highest term an election may start")
                         ->check(CLI::Range(1, mc::kMaxTerm));
    given_.maxLog = cmd.add_option("--max-log", bounds.maxLog, "longest log (leader no-ops count)")
                        ->check(CLI::Range(0, mc::kMaxLog));
    given_.maxCopies = cmd.add_option("--max-copies", bounds.maxCopies, "copies of one message in flight")
                           ->check(CLI::Range(1, mc::kMaxCopies));
    given_.maxBatch = cmd.add_option("--max-batch", bounds.maxBatch, "entries in one AppendEntries")
                          ->check(CLI::Range(1, mc::kMaxLog));
    given_.maxCrashes = cmd.add_option("--max-crashes", bounds.maxCrashes,
                                       "crashes in total (a crashed node may restart)")
                            ->check(CLI::Range(0, 255));
    given_.values = cmd.add_option("--values", bounds.values, "client values")
                        ->check(CLI::Range(0, mc::kMaxValues));
    given_.drop = cmd.add_flag("--drop", bounds.drop, "messages may be lost");
    given_.duplicate = cmd.add_flag("--duplicate", bounds.duplicate, "messages may be duplicated");
    given_.fifo = cmd.add_flag("--fifo", bounds.fifo,
                               "each link delivers in the order sent, as a TCP stream (with --max-copies 1)");
    cmd.add_flag("--no-symmetry", noSymmetry, "do not merge states equal up to renaming nodes");
    given_.emptyHeartbeats = cmd.add_flag("--empty-heartbeats", bounds.emptyHeartbeats,
                                          "heartbeats carry no entries; entries follow their answer");
    given_.checkQuorum = cmd.add_flag("--check-quorum", bounds.checkQuorum,
                                      "a leader that has not heard from a majority steps down (thesis §6.2)");
    given_.asyncWrites = cmd.add_flag("--async-writes", bounds.asyncWrites,
                                      "writes complete in steps of their own; a crash loses those pending");
    given_.preVote = cmd.add_flag("--pre-vote", bounds.preVote,
                                  "PreVote: ask before raising the term (thesis §9.6)");
    given_.followerReads = cmd.add_flag("--follower-reads", bounds.followerReads,
                                        "followers serve reads through their leader's read index (thesis §6.4)");
    given_.transfers = cmd.add_option("--transfers", bounds.transfers,
                                      "leadership transfers over a path, each to a named follower or the most up "
                                      "to date (thesis §3.10)")
                           ->check(CLI::Range(0, mc::kMaxTransfers));
    given_.reads = cmd.add_option("--reads", bounds.reads,
                                  "ReadIndex reads over a path, at any node (thesis §6.4; checked by read-freshness)")
                       ->check(CLI::Range(0, mc::kMaxReads));
    given_.spares = cmd.add_option("--spares", bounds.spares,
                                   "servers beyond --nodes that start outside the configuration, for "
                                   "membership changes to add")
                        ->check(CLI::Range(0, mc::kMaxNodes - 1));
    given_.configChanges = cmd.add_option("--max-config-changes", bounds.configChanges,
                                          "membership changes over a path, each at a leader: add a voter or "
                                          "learner, demote, remove (the leader too; thesis §4.1-§4.3)")
                               ->check(CLI::Range(0, mc::kMaxConfigChanges));
    given_.snapshots = cmd.add_option("--snapshots", bounds.snapshots,
                                      "snapshots over a path, each at a node's applied index; leaders install "
                                      "them on lagging followers (thesis §5.1-§5.3)")
                           ->check(CLI::Range(0, mc::kMaxSnapshots));
    cmd.add_flag("--keep-dead", keepDead,
                 "keep messages whose delivery can change nothing (see sim/mc/dead.hpp)");
    cmd.add_option("--bug", bugs, "switch on a historical bug (see `raftsim bugs`)");
    cmd.add_option("--mode", mode, "bfs (shortest counterexample), dfs, or walk (random walks: deeper, no proof)")
        ->check(CLI::IsMember({"bfs", "dfs", "walk"}));
    cmd.add_option("--walks", walks, "walk mode: how many walks")
        ->check(unsignedInteger())
        ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40));
    cmd.add_option("--max-depth", walkDepth, "walk mode: steps in one walk at most")->check(CLI::Range(1, 1'000'000));
    cmd.add_option("--seed", seed, "walk mode: the seed of the walks' random choices")->check(unsignedInteger());
    cmd.add_option("--jobs,-j", jobs, "BFS threads (0: one per core)")->check(CLI::Range(0, 256));
    cmd.add_option("--max-states", maxStates, "stop after this many distinct states (0: none)")
        ->check(unsignedInteger());
    cmd.add_option("--capacity", capacity, "initial visited-table slots")
        ->check(unsignedInteger())
        ->check(CLI::Range(std::uint64_t{16}, std::uint64_t{4'000'000'000}));
    cmd.add_option("--impl", impl,
                   "the Raft to explore: raftsim (its own core, with the model's reductions), or an "
                   "implementation built in (e.g. canonical), explored through the node seam without "
                   "reductions, breadth-first (docs/ADAPTERS.md)");
    cmd.add_flag("--through-seam", throughSeam, "explore raftsim's core through the node seam (for tests)")
        ->group("");
    cmd.add_option("--progress", progress, "progress lines on stderr: auto, always or never")
        ->check(CLI::IsMember({"auto", "always", "never"}));
}

std::string CheckFlags::modeFlags() const {
    if (mode != "walk") return fmt::format("--mode {}", mode);
    return fmt::format("--mode walk --seed {} --walks {} --max-depth {}", seed, walks, walkDepth);
}

bool CheckFlags::showsProgress() const {
    return progress == "always" || (progress == "auto" && showProgress());
}

mc::Bounds CheckFlags::resolve() const {
    std::optional<mc::Bounds> base = mc::presetByName(preset);
    if (!base) throw CLI::ValidationError("--preset", "unknown preset " + preset);
    mc::Bounds b = *base;
    if (given_.nodes->count() > 0) b.nodes = bounds.nodes;
    if (given_.maxTerm->count() > 0) b.maxTerm = bounds.maxTerm;
    if (given_.maxLog->count() > 0) b.maxLog = bounds.maxLog;
    if (given_.maxCopies->count() > 0) b.maxCopies = bounds.maxCopies;
    if (given_.maxBatch->count() > 0) b.maxBatch = bounds.maxBatch;
    if (given_.maxCrashes->count() > 0) b.maxCrashes = bounds.maxCrashes;
    if (given_.values->count() > 0) b.values = bounds.values;
    if (given_.drop->count() > 0) b.drop = bounds.drop;
    if (given_.duplicate->count() > 0) b.duplicate = bounds.duplicate;
    if (given_.fifo->count() > 0) b.fifo = true;
    if (given_.emptyHeartbeats->count() > 0) b.emptyHeartbeats = true;
    if (given_.checkQuorum->count() > 0) b.checkQuorum = true;
    if (given_.asyncWrites->count() > 0) b.asyncWrites = true;
    if (given_.preVote->count() > 0) b.preVote = true;
    if (given_.followerReads->count() > 0) b.followerReads = true;
    if (given_.transfers->count() > 0) b.transfers = bounds.transfers;
    if (given_.reads->count() > 0) b.reads = bounds.reads;
    if (given_.spares->count() > 0) b.spares = bounds.spares;
    if (given_.configChanges->count() > 0) b.configChanges = bounds.configChanges;
    if (given_.snapshots->count() > 0) b.snapshots = bounds.snapshots;
    if (noSymmetry) b.symmetry = false;
    if (keepDead) b.dropDead = false;
    for (const std::string& name : bugs) {
        const auto bug = raft::bugByName(name);
        if (!bug) throw CLI::ValidationError("--bug", "unknown bug " + name + " (see `raftsim bugs`)");
        if (*bug == raft::Bug::TransferNeverAborted) {
            throw CLI::ValidationError("--bug", name + " breaks transfer-ends, a bound in heartbeats, and the model "
                                                      "has no clock (try `raftsim sweep --bug " + name + "`)");
        }
        if (sim::slowsRecoveryOnly(*bug)) {
            throw CLI::ValidationError("--bug", name + " slows elections but breaks no property, and the model has "
                                                      "no clock (try `raftsim sweep --bug " + name +
                                                      " --max-recovery-timeouts 4`)");
        }
        if (*bug == raft::Bug::PreCandidateKeepsLeader) {
            throw CLI::ValidationError("--bug", name + " stops elections but breaks no safety property, which is all "
                                                      "the model checks (try `raftsim sweep --standing-fault on "
                                                      "--bug " + name + "`)");
        }
        if (sim::livesInLeases(*bug)) {
            throw CLI::ValidationError("--bug", name + " lives in leases, which need a clock; the model has "
                                                      "none (try `raftsim sweep --bug " + name + "`)");
        }
        if (*bug == raft::Bug::SnapshotAckBeforePersist) {
            throw CLI::ValidationError("--bug", name + " acknowledges a snapshot before its write is done, and the "
                                                      "model writes snapshots at once (try `raftsim sweep --snapshots "
                                                      "on --bug " + name + "`)");
        }
        if (sim::livesInSessions(*bug)) {
            throw CLI::ValidationError("--bug", name + " lives in client sessions, which the model does not "
                                                      "have (try `raftsim sweep --bug " + name + "`)");
        }
        b.bugs.enable(*bug);
        // A bug that lives in reads or transfers turns them on, unless their bound is given.
        if (sim::livesInReads(*bug) && given_.reads->count() == 0) b.reads = std::max(b.reads, 1);
        if (sim::livesInTransfer(*bug) && given_.transfers->count() == 0) b.transfers = std::max(b.transfers, 1);
        if (sim::livesInSnapshots(*bug) && given_.snapshots->count() == 0) b.snapshots = std::max(b.snapshots, 1);
    }
    if (const std::string why = b.validate(); !why.empty()) throw CLI::ValidationError(why);
    return b;
}

mc::SearchOptions CheckFlags::searchOptions() const {
    mc::SearchOptions o;
    o.mode = mode == "dfs" ? mc::SearchMode::Dfs : mode == "walk" ? mc::SearchMode::Walk : mc::SearchMode::Bfs;
    o.walks = walks;
    o.walkDepth = walkDepth;
    o.seed = seed;
    o.jobs = jobs > 0 ? jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    o.maxStates = maxStates;
    o.capacity = capacity;
    return o;
}

}  // namespace tools
