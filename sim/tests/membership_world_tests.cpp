// Membership changes in the simulated world (--membership, sim/world_membership.cpp):
// the operator's changes happen and commit, a spare host joins as a voter, a leader that
// removes itself steps down, a removed server does not disrupt, and runs without the
// feature are as before.
#include <doctest/doctest.h>

#include <functional>

#include "core/node.hpp"
#include "sim/world.hpp"

using namespace sim;
using raft::ChangeKind;
using raft::NodeId;

namespace {

// The event hash of seed 4, three nodes, swarm faults, membership off: as before the
// feature existed (the default sweep's 11,331,482 events were checked with it).
constexpr std::uint64_t kPinnedHash = 8925055623420266744ull;

SimOptions withMembership(int nodes, std::uint64_t seed, bool faults) {
    SimOptions o;
    o.nodes = nodes;
    o.membership = true;
    o.safetyPhaseUs = 6'000'000;
    o.livenessPhaseUs = 4'000'000;
    if (faults) o.faults = swarmFaults(seed);
    return o;
}

// No operator: the liveness phase (in which it asks for nothing) starts at once, and the
// test asks for the changes itself.
SimOptions quietOperator(int nodes) {
    SimOptions o;
    o.nodes = nodes;
    o.membership = true;
    o.safetyPhaseUs = 1;
    o.livenessPhaseUs = 6'000'000;
    return o;
}

// The leader of the highest term among the running nodes, kNoNode if none.
NodeId leaderOf(const World& w) {
    NodeId best = raft::kNoNode;
    for (NodeId id = 0; id < w.nodeCount(); ++id) {
        const raft::Node* n = w.node(id);
        if (n == nullptr || n->role() != raft::Role::Leader) continue;
        if (best == raft::kNoNode || n->currentTerm() > w.node(best)->currentTerm()) best = id;
    }
    return best;
}

// Steps until `done` holds (true) or the run ends (false).
bool stepUntil(World& w, const std::function<bool()>& done) {
    while (!done()) {
        if (!w.step()) return false;
    }
    return true;
}

// Steps until a leader has committed an entry of its term; returns it.
NodeId settledLeader(World& w) {
    NodeId leader = raft::kNoNode;
    REQUIRE(stepUntil(w, [&] {
        leader = leaderOf(w);
        if (leader == raft::kNoNode) return false;
        const raft::Node& n = *w.node(leader);
        return n.commitIndex() > 0 && n.log().termAt(n.commitIndex()) == n.currentTerm() &&
               n.membershipIndex() <= n.commitIndex() && n.catchUpNode() == raft::kNoNode;
    }));
    return leader;
}

}  // namespace

TEST_CASE("membership: the operator's changes are accepted and commit, and every property holds") {
    RunStats total;
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
        World w(withMembership(3, seed, /*faults=*/seed % 2 == 0), seed);
        const RunResult r = w.run();
        INFO("seed " << seed << ": " << (r.violation ? r.violation->property + ": " + r.violation->details : ""));
        REQUIRE_FALSE(r.violation);
        CHECK(r.stats.livenessRecoveryUs >= 0);
        total.membershipAsked += r.stats.membershipAsked;
        total.membershipAccepted += r.stats.membershipAccepted;
        for (std::size_t k = 0; k < total.membershipRefused.size(); ++k) {
            total.membershipRefused[k] += r.stats.membershipRefused[k];
        }
        // Some node runs a configuration from the log, committed there.
        bool committedChange = false;
        for (NodeId id = 0; id < w.nodeCount(); ++id) {
            const raft::Node* n = w.node(id);
            committedChange |= n != nullptr && n->membershipIndex() > 0 && n->membershipIndex() <= n->commitIndex();
        }
        CHECK(committedChange);
    }
    CHECK(total.membershipAsked > 10);
    CHECK(total.membershipAccepted > 5);
    CHECK(total.membershipRefused[static_cast<std::size_t>(raft::ChangeRefusal::NotLeader)] > 0);
}

TEST_CASE("membership: spare hosts start outside the cluster; one is added and becomes a voter") {
    World w(quietOperator(3), 11);
    CHECK(w.nodeCount() == 5);
    const NodeId leader = settledLeader(w);
    CHECK(w.node(3)->membership().members() == 0);  // joinsCluster: no configuration yet
    w.inject(leader, raft::ChangeMembership{.kind = ChangeKind::AddVoter, .node = 3});
    REQUIRE(stepUntil(w, [&] {
        const raft::Node* n = w.node(leader);
        return n->membership().isVoter(3) && n->membershipIndex() <= n->commitIndex();
    }));
    REQUIRE(stepUntil(w, [&] { return w.node(3)->membership().isVoter(3); }));
    CHECK(w.node(3)->log().lastIndex() >= w.node(leader)->membershipIndex());
    CHECK(w.node(3)->membership().voters == 0b1111);
    CHECK_FALSE(w.run().violation);
}

TEST_CASE("membership: a leader that removes itself steps down once the removal commits") {
    World w(quietOperator(3), 5);
    const NodeId leader = settledLeader(w);
    w.inject(leader, raft::ChangeMembership{.kind = ChangeKind::RemoveServer, .node = leader});
    CHECK_FALSE(w.node(leader)->membership().isVoter(leader));
    CHECK(w.node(leader)->role() == raft::Role::Leader);  // until the removal commits
    REQUIRE(stepUntil(w, [&] { return w.node(leader)->commitIndex() >= w.node(leader)->membershipIndex(); }));
    CHECK(w.node(leader)->role() != raft::Role::Leader);
    // The two others elect a leader between them, and it commits.
    REQUIRE(stepUntil(w, [&] {
        const NodeId next = leaderOf(w);
        return next != raft::kNoNode && next != leader;
    }));
    const RunResult r = w.run();
    CHECK_FALSE(r.violation);
    CHECK(leaderOf(w) != leader);
}

TEST_CASE("membership: a removed server does not disrupt the cluster") {
    World w(quietOperator(3), 8);
    const NodeId leader = settledLeader(w);
    const NodeId removed = leader == 2 ? 1 : 2;
    w.inject(leader, raft::ChangeMembership{.kind = ChangeKind::RemoveServer, .node = removed});
    REQUIRE(stepUntil(w, [&] { return w.node(leader)->commitIndex() >= w.node(leader)->membershipIndex(); }));
    // The removed server never hears of the commit: cut it off, let its timers fire
    // again and again, then let it talk to the others.
    for (NodeId other = 0; other < w.nodeCount(); ++other) {
        if (other == removed) continue;
        w.setLink(removed, other, false);
        w.setLink(other, removed, false);
    }
    const raft::Term term = w.node(leader)->currentTerm();
    const raft::Micros until = w.now() + 2'000'000;
    REQUIRE(stepUntil(w, [&] { return w.now() >= until; }));
    w.setLink(0, 0, true);  // heals every link
    const raft::Micros later = w.now() + 2'000'000;
    REQUIRE(stepUntil(w, [&] { return w.now() >= later; }));
    CHECK(leaderOf(w) == leader);
    CHECK(w.node(leader)->currentTerm() == term);
    CHECK_FALSE(w.run().violation);
}

TEST_CASE("membership: off, a run is as before (same hosts, same event hash)") {
    SimOptions o;
    o.nodes = 3;
    o.faults = swarmFaults(4);
    CHECK(hostCount(o) == 3);
    World w(o, 4);
    CHECK(w.nodeCount() == 3);
    const RunResult r = w.run();
    CHECK(r.stats.membershipAsked == 0);
    // Pinned from the build before membership changes existed.
    CHECK(r.eventHash == kPinnedHash);
}

TEST_CASE("membership: a liveness finding names each node's configuration, and only with membership") {
    // PreVote with the precandidate-keeps-leader bug stalls elections after the heal;
    // with membership changes the stalled nodes may disagree on who votes (thesis §4.1),
    // so the finding says, per node, the voters (and learners) it counts.
    for (const bool membership : {true, false}) {
        CAPTURE(membership);
        std::optional<Violation> caught;
        for (std::uint64_t seed = 1; seed <= 20 && !caught; ++seed) {
            SimOptions o = withMembership(3, seed, true);
            o.membership = membership;
            o.preVote = true;
            o.bugs.enable(raft::Bug::PreCandidateKeepsLeader);
            caught = World(o, seed).run().violation;
        }
        REQUIRE(caught);
        REQUIRE(caught->property == "liveness");
        CHECK((caught->details.find("/voters{") != std::string::npos) == membership);
    }
}
