// canonical/raft explored exhaustively through the node seam (sim/seamcheck/, `raftsim
// check --impl canonical`): within small bounds every property holds and the run is not
// vacuous, and a broken adapter is caught with a counterexample.
#include <doctest/doctest.h>

#include "sim/canonical/canonical.hpp"
#include "sim/seamcheck/seam_search.hpp"

using sim::canonical::CanonicalImplementation;
using sim::canonical::Flaw;

namespace {

// Two servers: one election (canonical/raft bootstraps every node into term 1), the
// bootstrap configuration entry and one client value.
mc::Bounds twoServers() {
    mc::Bounds b = mc::presetByName("tiny").value();
    b.symmetry = false;
    b.dropDead = false;
    return b;
}

}  // namespace

TEST_CASE("check: canonical/raft holds every property within two servers, term 2, log 2") {
    const mc::SearchResult r = mc::seam::seamSearch(sim::canonical::implementation(), twoServers(), {});
    MESSAGE("canonical, ", twoServers().describe(), ": ", r.states, " states, depth ", r.depth);
    CHECK(r.complete);
    CHECK_FALSE(r.counterexample.has_value());
    CHECK(r.sawLeader);
    CHECK(r.sawCommit);
}

TEST_CASE("check: the same search twice gives the same figures") {
    mc::Bounds b = twoServers();
    b.maxLog = 1;
    const mc::SearchResult first = mc::seam::seamSearch(sim::canonical::implementation(), b, {});
    const mc::SearchResult second = mc::seam::seamSearch(sim::canonical::implementation(), b, {});
    CHECK(first.states == second.states);
    CHECK(first.transitions == second.transitions);
    CHECK(first.depth == second.depth);
}

// A node whose vote is never written votes twice in a term across a crash: three
// servers, one crash, and two leaders of term 2.
TEST_CASE("check: a canonical/raft adapter that drops set_vote is caught, shortest counterexample first") {
    mc::Bounds b = twoServers();
    b.nodes = 3;
    b.maxLog = 1;
    b.maxCrashes = 1;
    const CanonicalImplementation broken(Flaw::DropSetVote);
    const mc::SearchResult r = mc::seam::seamSearch(broken, b, {});
    REQUIRE(r.counterexample.has_value());
    MESSAGE(broken.name(), ": ", r.counterexample->violation.property, " after ", r.counterexample->steps.size(),
            " steps (", r.states, " states)");
    CHECK(r.counterexample->violation.property == "election-safety");
    bool crashed = false;
    for (const mc::PathStep& step : r.counterexample->steps) crashed = crashed || step.event.kind == mc::EventKind::Crash;
    CHECK(crashed);
    // The sound adapter within the same bounds holds.
    const mc::SearchResult sound = mc::seam::seamSearch(sim::canonical::implementation(), b, {});
    CHECK_FALSE(sound.counterexample.has_value());
    CHECK(sound.complete);
}
