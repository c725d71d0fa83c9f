// Log compaction in the world (sim/world_snapshots.cpp): nodes snapshot their state
// machines, lagging followers install a leader's snapshot, a restarted node starts from
// its disk's snapshot, a crash loses a snapshot not yet durable, and the checker's
// snapshot-consistency property compares state machines by index.
#include <doctest/doctest.h>

#include <vector>

#include "sim/world.hpp"

using namespace sim;

namespace {

// Faults of every kind, and a snapshot every `every` applied entries.
SimOptions compacting(std::uint64_t seed, std::uint32_t every) {
    SimOptions o;
    o.nodes = 5;
    o.safetyPhaseUs = 5'000'000;
    o.livenessPhaseUs = 3'000'000;
    o.faults = swarmFaults(seed);
    o.faults.dropPpm = 50'000;
    for (int k = 0; k < static_cast<int>(Nemesis::Count_); ++k) o.faults.enable(static_cast<Nemesis>(k));
    o.snapshotEvery = every;
    return o;
}

// What a step-by-step run saw of restarts: restarts whose node came back with a snapshot,
// and those whose node came back with an older snapshot than it held in memory when it
// went down (the newer one was not durable yet).
struct Restarts {
    int fromSnapshot = 0;
    int lostUndurable = 0;
};

Restarts watchRestarts(World& w) {
    Restarts seen;
    std::vector<raft::Index> heldWhenUp(static_cast<std::size_t>(w.nodeCount()), 0);
    std::vector<bool> wasUp(static_cast<std::size_t>(w.nodeCount()), true);
    while (w.step()) {
        for (raft::NodeId id = 0; id < w.nodeCount(); ++id) {
            const raft::Node* n = w.node(id);
            if (n == nullptr) {
                wasUp[id] = false;
                continue;
            }
            const raft::Index held = n->snapshot().meta.lastIncludedIndex;
            if (!wasUp[id]) {
                if (held > 0) {
                    seen.fromSnapshot += 1;
                    // Restored at Start: the state machine is where the snapshot is, or later.
                    CHECK(w.applied(id) >= held);
                }
                if (held < heldWhenUp[id]) seen.lostUndurable += 1;
            }
            wasUp[id] = true;
            heldWhenUp[id] = held;
        }
    }
    return seen;
}

}  // namespace

TEST_CASE("snapshots: nodes take them, lagging followers install them, and every property holds") {
    RunStats total;
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
        const RunResult r = World(compacting(seed, 8), seed).run();
        INFO("seed " << seed << ": " << (r.violation ? r.violation->property + ": " + r.violation->details : ""));
        REQUIRE_FALSE(r.violation);
        total.snapshotsTaken += r.stats.snapshotsTaken;
        total.snapshotsInstalled += r.stats.snapshotsInstalled;
        total.entriesCommitted += r.stats.entriesCommitted;
    }
    CHECK(total.snapshotsTaken > total.entriesCommitted / 8);  // every node, every 8 entries
    CHECK(total.snapshotsInstalled > 0);
}

TEST_CASE("snapshots: a restarted node starts from its disk's snapshot; a crash loses one not yet durable") {
    Restarts total;
    for (std::uint64_t seed = 1; seed <= 30 && (total.fromSnapshot == 0 || total.lostUndurable == 0); ++seed) {
        SimOptions o = compacting(seed, 4);
        o.faults.nemesisKinds = 1u << static_cast<int>(Nemesis::Crash);
        o.faults.nemesisIntervalUs = 50'000;
        o.faults.diskLatencyMinUs = 2'000;
        o.faults.diskLatencyMaxUs = 20'000;
        World w(o, seed);
        const Restarts seen = watchRestarts(w);
        INFO("seed " << seed);
        REQUIRE_FALSE(w.violation());
        total.fromSnapshot += seen.fromSnapshot;
        total.lostUndurable += seen.lostUndurable;
    }
    CHECK(total.fromSnapshot > 0);
    CHECK(total.lostUndurable > 0);
}

TEST_CASE("snapshots: off, a run is the run it always was; on, it differs") {
    SimOptions off = compacting(3, 0);
    const RunResult a = World(off, 3).run();
    CHECK(a.stats.snapshotsTaken == 0);
    CHECK(a.stats.snapshotsInstalled == 0);
    // Pinned when the world learned log compaction (the default sweep's event count, in
    // the README, did not move then either): a run without snapshots must not change.
    CHECK(a.eventHash == 0xcffb84816f9d25cbULL);
    const RunResult b = World(compacting(3, 8), 3).run();
    CHECK(b.stats.snapshotsTaken > 0);
    CHECK(b.eventHash != a.eventHash);
}

TEST_CASE("snapshots: the swarm turns them on for some seeds, at 4..64 entries") {
    int on = 0;
    for (std::uint64_t seed = 1; seed <= 64; ++seed) {
        const std::uint32_t every = swarmSnapshots(seed);
        CHECK(every == swarmSnapshots(seed));
        if (every == 0) continue;
        on += 1;
        CHECK(every >= 4);
        CHECK(every <= 64);
    }
    CHECK(on > 10);
    CHECK(on < 54);
}

TEST_CASE("snapshots: the checker reports two state machines that differ at one index") {
    Checker checker(3);
    checker.onState(0, 5, 0x1234, "applied");
    checker.onState(1, 5, 0x1234, "snapshot installed");
    checker.onState(1, 6, 0x9999, "applied");
    CHECK_FALSE(checker.violation());
    checker.onState(2, 5, 0x4321, "snapshot restored");
    REQUIRE(checker.violation());
    CHECK(checker.violation()->property == "snapshot-consistency");
    CHECK(checker.violation()->details.find("index 5") != std::string::npos);
    CHECK(checker.violation()->details.find("0000000000004321") != std::string::npos);
}
