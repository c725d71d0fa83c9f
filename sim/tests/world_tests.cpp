// The simulator end to end: determinism, every fault kind exercised, bugs caught.
#include <doctest/doctest.h>

#include "sim/world.hpp"

using namespace sim;

namespace {

SimOptions allFaults(std::uint64_t seed) {
    SimOptions o;
    o.nodes = 5;
    o.safetyPhaseUs = 5'000'000;
    o.livenessPhaseUs = 5'000'000;
    o.faults = swarmFaults(seed);
    o.faults.dropPpm = 50'000;
    o.faults.duplicatePpm = 20'000;
    o.faults.reorderPpm = 50'000;
    for (int k = 0; k < static_cast<int>(Nemesis::Count_); ++k) o.faults.enable(static_cast<Nemesis>(k));
    return o;
}

RunResult runSeed(const SimOptions& o, std::uint64_t seed) { return World(o, seed).run(); }

}  // namespace

TEST_CASE("world: the same seed gives the same event stream; another seed does not") {
    const SimOptions o = allFaults(7);
    const RunResult first = runSeed(o, 7);
    const RunResult second = runSeed(o, 7);
    CHECK(first.eventHash == second.eventHash);
    CHECK(first.stats.events == second.stats.events);
    CHECK(first.stats.entriesCommitted == second.stats.entriesCommitted);
    CHECK(first.stats.network.sent == second.stats.network.sent);
    const RunResult other = runSeed(allFaults(8), 8);
    CHECK(other.eventHash != first.eventHash);
}

TEST_CASE("world: swarm configurations differ by seed and are deterministic") {
    const FaultConfig a = swarmFaults(1), b = swarmFaults(1), c = swarmFaults(2);
    CHECK(a.nemesisKinds == b.nemesisKinds);
    CHECK(a.dropPpm == b.dropPpm);
    CHECK(a.latencyMaxUs == b.latencyMaxUs);
    bool differs = false;
    for (std::uint64_t s = 2; s < 20 && !differs; ++s) {
        const FaultConfig d = swarmFaults(s);
        differs = d.nemesisKinds != a.nemesisKinds || d.dropPpm != a.dropPpm;
    }
    CHECK(differs);
    CHECK(describe(SimOptions{.faults = c}).find("nemesis") != std::string::npos);
}

TEST_CASE("world: every fault kind happens and the correct core survives it") {
    RunStats total;
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
        const RunResult r = runSeed(allFaults(seed), seed);
        INFO("seed " << seed << ": " << (r.violation ? r.violation->details : std::string()));
        REQUIRE_FALSE(r.violation);
        for (std::size_t k = 0; k < total.nemesis.size(); ++k) total.nemesis[k] += r.stats.nemesis[k];
        total.network.dropped += r.stats.network.dropped;
        total.network.duplicated += r.stats.network.duplicated;
        total.network.reordered += r.stats.network.reordered;
        total.network.partitioned += r.stats.network.partitioned;
        total.network.clogged += r.stats.network.clogged;
        total.restarts += r.stats.restarts;
        total.leadersElected += r.stats.leadersElected;
        total.entriesCommitted += r.stats.entriesCommitted;
        total.clientOk += r.stats.clientOk;
    }
    for (std::size_t k = 0; k < total.nemesis.size(); ++k) {
        INFO("fault kind " << name(static_cast<Nemesis>(k)));
        CHECK(total.nemesis[k] > 0);
    }
    CHECK(total.network.dropped > 0);
    CHECK(total.network.duplicated > 0);
    CHECK(total.network.reordered > 0);
    CHECK(total.network.partitioned > 0);
    CHECK(total.network.clogged > 0);
    CHECK(total.restarts > 0);
    // "Sometimes" properties: the runs did real work.
    CHECK(total.leadersElected >= 40);
    CHECK(total.entriesCommitted > 1000);
    CHECK(total.clientOk > 100);
}

TEST_CASE("world: without faults a leader is elected, commits, and clients succeed") {
    SimOptions o;
    o.nodes = 3;
    o.safetyPhaseUs = 2'000'000;
    o.livenessPhaseUs = 1'000'000;
    const RunResult r = runSeed(o, 3);
    CHECK_FALSE(r.violation);
    CHECK(r.stats.leadersElected >= 1);
    CHECK(r.stats.entriesCommitted > 10);
    CHECK(r.stats.clientOk > 10);
    CHECK(r.stats.clientInfo == 0);
    CHECK(r.stats.livenessRecoveryUs >= 0);
}

TEST_CASE("world: client history records invoke before completion") {
    SimOptions o = allFaults(5);
    World world(o, 5);
    const RunResult r = world.run();
    REQUIRE_FALSE(r.violation);
    std::size_t completed = 0;
    for (const Operation& op : world.clients().history()) {
        if (op.outcome == Outcome::Pending) continue;
        ++completed;
        CHECK(op.completeUs >= op.invokeUs);
    }
    CHECK(completed > 10);
}

namespace {

// Runs seeds with a bug switched on until one is caught; returns the property.
std::string firstCaught(raft::Bug bug, std::uint64_t seeds) {
    for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
        SimOptions o = allFaults(seed);
        o.bugs.enable(bug);
        const RunResult r = runSeed(o, seed);
        if (r.violation) return r.violation->property;
    }
    return "not caught";
}

}  // namespace

TEST_CASE("world: a node that forgets its vote is caught") {
    const std::string property = firstCaught(raft::Bug::ForgetVote, 20);
    CHECK((property == "durability" || property == "single-vote"));
}

TEST_CASE("world: a node that votes without the log check is caught") {
    const std::string property = firstCaught(raft::Bug::VoteNoLogCheck, 50);
    CHECK((property == "leader-completeness" || property == "state-machine-safety" ||
           property == "log-matching"));
}

TEST_CASE("world: a follower that truncates on stale appends is caught") {
    const std::string property = firstCaught(raft::Bug::TruncateOnStaleAppend, 50);
    CHECK(property != "not caught");
}

TEST_CASE("world: a liveness phase that cannot make progress is reported") {
    // A cluster of 2 needs both nodes; with a 1 ms liveness phase nobody can win in time.
    SimOptions o;
    o.nodes = 2;
    o.safetyPhaseUs = 1'000;
    o.livenessPhaseUs = 1'000;
    const RunResult r = runSeed(o, 1);
    REQUIRE(r.violation);
    CHECK(r.violation->property == "liveness");
    CHECK(r.violation->details.find("n0:") != std::string::npos);
}

// A tripped core assertion is a finding of the run, reported like any property, and the
// run stops there instead of crashing the process (and the sweep around it).
TEST_CASE("world: a core assertion tripped in a step is a core-invariant violation, not a crash") {
    SimOptions o;
    o.nodes = 3;
    World world(o, 1);
    auto leader = [&world]() -> const raft::Node* {
        for (raft::NodeId id = 0; id < world.nodeCount(); ++id) {
            if (world.node(id) != nullptr && world.node(id)->role() == raft::Role::Leader) return world.node(id);
        }
        return nullptr;
    };
    for (int i = 0; i < 100'000 && leader() == nullptr; ++i) REQUIRE(world.step());
    const raft::Node* l = leader();
    REQUIRE(l != nullptr);
    // A follower acknowledges entries the leader never had: the leader asserts matchIndex
    // <= its lastIndex (core/node.cpp), and the world reports it.
    raft::Message ack{.kind = raft::MsgKind::AppendEntriesResponse, .from = static_cast<raft::NodeId>((l->id() + 1) % 3),
                      .to = l->id(), .term = l->currentTerm(), .success = true, .matchIndex = l->log().lastIndex() + 100};
    world.inject(l->id(), raft::Receive{ack});
    REQUIRE(world.violation().has_value());
    CHECK(world.violation()->property == std::string(name(Property::CoreInvariant)));
    CHECK(world.violation()->details.find("core/node.cpp:") == 0);
    CHECK(world.violation()->details.find("invariant failed: m.matchIndex <= log_.lastIndex()") != std::string::npos);
    CHECK(world.violation()->details.find("matchIndex=") != std::string::npos);
    CHECK_FALSE(world.step());  // the run ended at the finding
}

// A run may start from given disks (a scenario's end): each node comes up with its term,
// vote and log, and those logs take part in the checks from the first event.
TEST_CASE("world_initialDisks_nodesStartFromThemAndAreChecked") {
    SimOptions o;
    o.nodes = 3;
    o.initialDisks = {raft::DurableState{.currentTerm = 2, .votedFor = 0, .log = {raft::Entry{.term = 1}, raft::Entry{.term = 2}}},
                      raft::DurableState{.currentTerm = 2, .votedFor = 0, .log = {raft::Entry{.term = 1}}},
                      raft::DurableState{.currentTerm = 1}};
    World w(o, 7);
    CHECK(w.node(0)->currentTerm() == 2);
    CHECK(w.node(0)->log().lastIndex() == 2);
    CHECK(w.node(2)->log().lastIndex() == 0);
    const RunResult r = w.run();
    CHECK_FALSE(r.violation);
    CHECK(r.stats.leadersElected >= 1);

    // Two disks with different entries at index 1 of term 1 break log matching at once.
    o.initialDisks[1].log[0].data = 99;
    World broken(o, 7);
    REQUIRE(broken.violation().has_value());
    CHECK(broken.violation()->property == "log-matching");
}
