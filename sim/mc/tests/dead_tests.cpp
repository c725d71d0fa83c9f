// Dropping dead messages must not change what the nodes can reach: explore small bounds
// with and without it and compare the set of reachable node states (the bag left out).
#include <doctest/doctest.h>

#include <deque>
#include <set>
#include <unordered_set>

#include "core/hash.hpp"
#include "sim/mc/dead.hpp"
#include "sim/mc/model.hpp"

using mc::Bounds;
using mc::Model;
using mc::State;

namespace {

// Everything in a state but the messages in flight.
std::uint64_t nodesOnly(const Model& m, const State& s) {
    raft::Hasher h;
    for (int i = 0; i < m.bounds().nodes; ++i) {
        h.add(m.node(s, i).fingerprint());
        h.add(s.env[i]);
        if (m.tracksDurable()) h.add(m.durable(s, i).currentTerm);
    }
    h.add(s.crashes);
    for (const auto leader : s.leaderOf) h.add(leader);
    for (const auto c : s.committed) h.add(c);
    return h.digest();
}

struct Reach {
    std::set<std::uint64_t> nodeStates;
    std::size_t states = 0;
    std::size_t violations = 0;
};

Reach explore(Bounds b, bool dropDead) {
    b.symmetry = false;
    b.dropDead = dropDead;
    Model m(b, mc::Reductions::AsGiven);  // the rules themselves, not the audit's verdict
    Reach reach;
    std::unordered_set<std::uint64_t> seen;
    std::deque<State> queue{m.initial()};
    seen.insert(m.fingerprint(queue.front()));
    std::vector<mc::Event> events;
    State next;
    while (!queue.empty()) {
        const State s = std::move(queue.front());
        queue.pop_front();
        reach.nodeStates.insert(nodesOnly(m, s));
        m.enabled(s, events);
        for (const mc::Event& e : events) {
            const mc::StepResult r = m.step(s, e, next);
            if (!r.inBounds) continue;
            if (r.violation) ++reach.violations;
            if (seen.insert(m.fingerprint(next)).second) queue.push_back(next);
        }
    }
    reach.states = seen.size();
    return reach;
}

void checkSameNodeStates(const Bounds& b) {
    const Reach kept = explore(b, false);
    const Reach dropped = explore(b, true);
    CHECK(dropped.states < kept.states);  // the reduction does something
    CHECK(dropped.nodeStates.size() == kept.nodeStates.size());
    CHECK(dropped.nodeStates == kept.nodeStates);
    if (b.bugs.empty()) {
        CHECK(kept.violations == 0);
        CHECK(dropped.violations == 0);
    } else {
        CHECK((kept.violations == 0) == (dropped.violations == 0));
    }
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
