#include "sim/mc/bounds.hpp"

#include <fmt/format.h>

#include <array>
#include <stdexcept>

namespace mc {

namespace {

Bounds make(int nodes, int maxTerm, int maxLog, int maxCrashes, bool drop, bool duplicate) {
    Bounds b;
    b.nodes = nodes;
    b.maxTerm = maxTerm;
    b.maxLog = maxLog;
    b.maxCrashes = maxCrashes;
    b.drop = drop;
    b.duplicate = duplicate;
    return b;
}

Bounds lostWrites(int nodes, int maxTerm) {
    Bounds b = make(nodes, maxTerm, 2, 1, false, false);
    b.asyncWrites = true;
    return b;
}

// Logs of leader no-ops only: enough for reads to have something to be stale about.
Bounds noOps(int reads, int transfers) {
    Bounds b = make(3, 2, 1, 0, false, false);
    b.values = 0;
    b.reads = reads;
    b.transfers = transfers;
    return b;
}

// A voter and a spare: the cluster grows to two and shrinks back (or its leader removes
// itself), the spare a learner on the way in or for good (thesis §4.1-§4.2).
Bounds membership() {
    Bounds b = make(1, 2, 3, 0, false, false);
    b.values = 0;
    b.spares = 1;
    b.configChanges = 2;
    return b;
}

// Three voters and a spare, one change: the least in which a learner's acknowledgement
// can stand in for a voter's (with two voters the other voter still needs the leader's
// vote). Over 150 million states without exhausting in five minutes, with symmetry: its
// first ones are pinned, and a bug there has a short counterexample.
Bounds membership3() {
    Bounds b = make(3, 1, 2, 0, false, false);
    b.values = 0;
    b.spares = 1;
    b.configChanges = 1;
    return b;
}

// Three servers and a spare over FIFO links, two changes: the cluster grows to four and
// shrinks back, or the spare joins as a learner and is promoted, or a voter is demoted
// to a learner (thesis §4.1-§4.2). With the bag's reorderings it does not exhaust (over
// 350 million states); links that deliver in order, as TCP streams do, make it 14
// million.
Bounds membershipGrow() {
    Bounds b = membership3();
    b.maxLog = 3;
    b.configChanges = 2;
    b.fifo = true;
    return b;
}

// A leader compacts what it committed; a follower it left behind gets the snapshot.
Bounds snapshot() {
    Bounds b = make(2, 2, 2, 0, false, false);
    b.snapshots = 1;
    return b;
}

const std::array<Preset, 13> kPresets{{
    {"tla-small",
     "TLC's yardstick on raft.tla: 3 servers, 1 value, term <= 2, log <= 2, one copy",
     make(3, 2, 2, 0, false, false)},
    {"tiny", "2 servers, term <= 2, log <= 2 (golden counts)", make(2, 2, 2, 0, false, false)},
    {"tiny-faults", "2 servers, term <= 2, log <= 2, one crash, drop and duplicate",
     [] {
         Bounds b = make(2, 2, 2, 1, true, true);
         b.maxCopies = 2;
         return b;
     }()},
    {"small-crash", "3 servers, term <= 2, log <= 2, one crash", make(3, 2, 2, 1, false, false)},
    {"elect3", "3 servers, term <= 3, log <= 1: elections only", make(3, 3, 1, 0, false, false)},
    {"lost-writes-1", "1 server, term <= 3, log <= 2, one crash, writes that a crash can lose",
     lostWrites(1, 3)},
    {"lost-writes-2", "2 servers, term <= 2, log <= 2, one crash, writes that a crash can lose",
     lostWrites(2, 2)},
    {"reads3", "3 servers, term <= 2, log <= 1 (leader no-ops only), one ReadIndex read at any node",
     noOps(1, 0)},
    {"transfer3", "3 servers, term <= 2, log <= 1 (leader no-ops only), one leadership transfer", noOps(0, 1)},
    {"membership",
     "1 server and a spare, term <= 2, log <= 3 (no-ops and configurations), two membership changes",
     membership()},
    {"membership3",
     "3 servers and a spare, term <= 1, log <= 2 (no-ops and configurations), one membership change "
     "(does not exhaust in minutes)",
     membership3()},
    {"membership-grow",
     "3 servers and a spare, FIFO links, term <= 1, log <= 3, two membership changes (grow to 4 and shrink "
     "back, or a learner promoted or a voter demoted)",
     membershipGrow()},
    {"snapshot", "2 servers, 1 value, term <= 2, log <= 2, one snapshot (a leader installs it on a follower)",
     snapshot()},
}};

}  // namespace

std::span<const Preset> presets() { return kPresets; }

std::optional<Bounds> presetByName(std::string_view name) {
    for (const Preset& p : kPresets) {
        if (p.name == name) return p.bounds;
    }
    return std::nullopt;
}

std::string Bounds::validate() const {
    if (nodes < 1 || nodes > kMaxNodes) return fmt::format("nodes must be 1..{}", kMaxNodes);
    if (maxTerm < 1 || maxTerm > kMaxTerm) return fmt::format("max term must be 1..{}", kMaxTerm);
    if (maxLog < 0 || maxLog > kMaxLog) return fmt::format("max log must be 0..{}", kMaxLog);
    if (maxCopies < 1 || maxCopies > kMaxCopies) {
        return fmt::format("max copies must be 1..{}", kMaxCopies);
    }
    if (maxCrashes < 0 || maxCrashes > 255) return "max crashes must be 0..255";
    if (maxBatch < 1 || maxBatch > kMaxLog) return fmt::format("max batch must be 1..{}", kMaxLog);
    if (values < 0 || values > kMaxValues) return fmt::format("values must be 0..{}", kMaxValues);
    if (reads < 0 || reads > kMaxReads) return fmt::format("reads must be 0..{}", kMaxReads);
    if (transfers < 0 || transfers > kMaxTransfers) return fmt::format("transfers must be 0..{}", kMaxTransfers);
    if (spares < 0 || servers() > kMaxNodes) return fmt::format("nodes and spares must be {} at most", kMaxNodes);
    if (configChanges < 0 || configChanges > kMaxConfigChanges) {
        return fmt::format("config changes must be 0..{}", kMaxConfigChanges);
    }
    if (snapshots < 0 || snapshots > kMaxSnapshots) return fmt::format("snapshots must be 0..{}", kMaxSnapshots);
    if (fifo && (duplicate || maxCopies != 1)) return "fifo links carry one copy of a message: no duplicate, max copies 1";
    if (snapshots > 0 && asyncWrites) return "snapshots with async writes are not modelled";
    return {};
}

raft::Config Bounds::configFor(raft::NodeId id) const {
    if (const std::string why = validate(); !why.empty()) throw std::invalid_argument(why);
    raft::Config c;
    c.id = id;
    c.clusterSize = nodes;
    c.joinsCluster = id >= nodes;  // a spare
    c.maxEntriesPerAppend = maxBatch;
    c.emptyHeartbeats = emptyHeartbeats;
    c.checkQuorum = checkQuorum;
    c.preVote = preVoteOn();
    c.followerReads = followerReadsOn();
    c.bugs = bugs;
    return c;
}

std::string Bounds::describe() const {
    std::string s = fmt::format("--nodes {} --max-term {} --max-log {} --max-copies {} "
                                "--max-crashes {} --values {}",
                                nodes, maxTerm, maxLog, maxCopies, maxCrashes, values);
    if (maxBatch != kMaxLog) s += fmt::format(" --max-batch {}", maxBatch);
    if (drop) s += " --drop";
    if (duplicate) s += " --duplicate";
    if (fifo) s += " --fifo";
    if (!symmetry) s += " --no-symmetry";
    if (!dropDead) s += " --keep-dead";
    if (emptyHeartbeats) s += " --empty-heartbeats";
    if (checkQuorum) s += " --check-quorum";
    if (asyncWrites) s += " --async-writes";
    if (preVote) s += " --pre-vote";
    if (followerReads) s += " --follower-reads";
    if (transfers > 0) s += fmt::format(" --transfers {}", transfers);
    if (reads > 0) s += fmt::format(" --reads {}", reads);
    if (spares > 0) s += fmt::format(" --spares {}", spares);
    if (configChanges > 0) s += fmt::format(" --max-config-changes {}", configChanges);
    if (snapshots > 0) s += fmt::format(" --snapshots {}", snapshots);
    for (const raft::BugInfo& info : raft::bugCatalog()) {
        if (bugs.has(info.bug)) s += fmt::format(" --bug {}", info.name);
    }
    return s;
}

}  // namespace mc
