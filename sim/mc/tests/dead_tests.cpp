// Dropping dead messages must not change what the nodes can reach: explore small bounds
// with and without it and compare the set of reachable node states (the bag left out).
#include <doctest/doctest.h>

#include "sim/mc/audit.hpp"
#include "sim/mc/dead.hpp"
#include "sim/mc/model.hpp"

using mc::Bounds;
using mc::Model;

namespace {

mc::Reach explore(Bounds b, bool dropDead) {
    b.symmetry = false;
    b.dropDead = dropDead;
    Model m(b, mc::Reductions::AsGiven);  // the rules themselves, not the audit's verdict
    return mc::reachable(m, false);
}

void checkSameNodeStates(const Bounds& b) {
    const mc::Reach kept = explore(b, false);
    const mc::Reach dropped = explore(b, true);
    CHECK(dropped.states < kept.states);  // the reduction does something
    CHECK(dropped.nodeStates.size() == kept.nodeStates.size());
    CHECK(dropped.nodeStates == kept.nodeStates);
    if (b.bugs.empty()) CHECK_FALSE(kept.violation);
    CHECK(kept.violation == dropped.violation);
}

Bounds preset(const char* name) {
    const std::optional<Bounds> b = mc::presetByName(name);
    REQUIRE(b.has_value());
    return *b;
}

}  // namespace

TEST_CASE("dropDead_tiny_sameReachableNodeStates") { checkSameNodeStates(preset("tiny")); }

TEST_CASE("dropDead_tinyWithACrash_sameReachableNodeStates") {
    Bounds b = preset("tiny");
    b.maxCrashes = 1;
    checkSameNodeStates(b);
}

TEST_CASE("dropDead_tinyOneEntryEmptyHeartbeats_sameReachableNodeStates") {
    Bounds b = preset("tiny");
    b.maxLog = 1;
    b.emptyHeartbeats = true;
    checkSameNodeStates(b);
}

TEST_CASE("dropDead_threeNodesOneEntry_sameReachableNodeStates") {
    Bounds b = preset("tla-small");
    b.maxLog = 1;
    b.maxTerm = 1;
    checkSameNodeStates(b);
}

// The switches not known to break the rules (mc::knownToBreakDeadRules) change what a node does
// with live messages only: the reduction must reach the same node states with them on.
TEST_CASE("dropDead_withEachBugItHoldsFor_sameReachableNodeStates") {
    int checked = 0;
    for (const raft::BugInfo& info : raft::bugCatalog()) {
        Bounds b = preset("tiny");
        b.bugs.enable(info.bug);
        if (!mc::knownToBreakDeadRules(b.bugs).empty()) continue;
        CAPTURE(info.name);
        checkSameNodeStates(b);
        ++checked;
    }
    CHECK(checked >= 7);
}
