// The reductions are checked before they are used (sim/mc/audit.hpp): a node that breaks
// their assumptions has them refused, and is then searched without them.
#include <doctest/doctest.h>

#include <deque>
#include <unordered_set>

#include "sim/mc/audit.hpp"
#include "sim/mc/dead.hpp"
#include "sim/mc/model.hpp"

using mc::Bounds;
using mc::Model;

namespace {

Bounds withBug(Bounds b, raft::Bug bug) {
    b.bugs.enable(bug);
    return b;
}

// Whether a breadth-first search of `m` meets a violation.
bool findsViolation(Model& m) {
    std::unordered_set<std::uint64_t> seen;
    std::deque<mc::State> queue{m.initial()};
    seen.insert(m.fingerprint(queue.front()));
    std::vector<mc::Event> events;
    mc::State next;
    while (!queue.empty()) {
        const mc::State s = std::move(queue.front());
        queue.pop_front();
        m.enabled(s, events);
        for (const mc::Event& e : events) {
            const mc::StepResult r = m.step(s, e, next);
            if (!r.inBounds) continue;
            if (r.violation) return true;
            if (seen.insert(m.fingerprint(next)).second) queue.push_back(next);
        }
    }
    return false;
}

}  // namespace

TEST_CASE("audit_referenceCore_keepsBothReductions") {
    const mc::ReductionVerdict& v = mc::auditReductions(Bounds{});
    CHECK(v.deadHolds);
    CHECK(v.symmetryHolds);
    CHECK(Model(Bounds{}).refusals().empty());
}

// The two switches below make a node act on stale messages that the rules call dead.
// The audit's own explorations see it, without the list of known switches.
TEST_CASE("audit_explorationRefusesDeadReduction_forNodesThatActOnStaleMessages") {
    for (const raft::Bug bug : {raft::Bug::StaleTermAppend, raft::Bug::StaleVoteCounted}) {
        CAPTURE(raft::bugInfo(bug).name);
        const std::string why = mc::auditDeadMessages(withBug(Bounds{}, bug));
        CHECK(why.find("node states are reachable without it") != std::string::npos);
    }
}

// What the reduction hides from a search that trusts it, the audited model finds.
TEST_CASE("audit_changedCoreHiddenByTrustedReduction_isFound") {
    const Bounds b = withBug(mc::presetByName("elect3").value(), raft::Bug::StaleVoteCounted);
    Model trusting(b, mc::Reductions::AsGiven);
    Model audited(b);
    CHECK_FALSE(findsViolation(trusting));
    CHECK(findsViolation(audited));
    REQUIRE(audited.refusals().size() == 1);
    CHECK(audited.refusals()[0].starts_with("dead-message reduction refused: "));
}

// The audit refuses nothing that is sound: with every other switch the dead-message
// reduction reaches the same node states, and no switch breaks symmetry.
TEST_CASE("audit_keepsReductions_forSwitchesThatDoNotBreakThem") {
    int deadKept = 0;
    for (const raft::BugInfo& info : raft::bugCatalog()) {
        CAPTURE(info.name);
        const Bounds b = withBug(Bounds{}, info.bug);
        const mc::ReductionVerdict& v = mc::auditReductions(b);
        CHECK(v.symmetryHolds);
        if (!mc::deadRulesCover(b) || !mc::knownToBreakDeadRules(b.bugs).empty()) continue;
        if (info.bug == raft::Bug::StaleTermAppend || info.bug == raft::Bug::StaleVoteCounted) {
            CHECK_FALSE(v.deadHolds);
            continue;
        }
        CHECK(v.deadHolds);
        ++deadKept;
    }
    CHECK(deadKept >= 7);
}

TEST_CASE("audit_knownSwitch_refusedWithoutExploring_andSaysWhich") {
    const Bounds b = withBug(Bounds{}, raft::Bug::ForgetVote);
    const mc::ReductionVerdict& v = mc::auditReductions(b);
    CHECK_FALSE(v.deadHolds);
    CHECK(v.deadWhy == "--bug forget-vote changes what a node does with messages the rules call dead");
    CHECK(v.symmetryHolds);
}

TEST_CASE("audit_symmetryHolds_withCheckQuorumAndPreVote") {
    Bounds b;
    b.checkQuorum = true;
    CHECK(mc::auditSymmetry(b).empty());
    b.checkQuorum = false;
    b.preVote = true;
    CHECK(mc::auditSymmetry(b).empty());
}

// Spares, membership changes and snapshots name servers in node sets, which symmetry
// renames; the audit's exhaustive explorations find no orbit the symmetric search misses.
TEST_CASE("audit_symmetryHolds_withSparesChangesAndSnapshots") {
    Bounds b;
    b.values = 0;
    b.spares = 1;
    b.configChanges = 1;
    CHECK(mc::symmetryCovers(b));
    CHECK(mc::auditSymmetry(b).empty());
    Bounds snap;
    snap.snapshots = 1;
    CHECK(mc::symmetryCovers(snap));
    CHECK(mc::auditSymmetry(snap).empty());
    b.snapshots = 1;
    CHECK(mc::auditSymmetry(b).empty());
    b.asyncWrites = true;
    CHECK_FALSE(mc::symmetryCovers(b));
}
