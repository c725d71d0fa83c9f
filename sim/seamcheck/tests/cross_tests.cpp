// The explorer through the seam checked against the core's own model checker: on
// raftsim's core (sim::coreImplementation(), through NodeUnderTest and its hooks) and
// with the core model's reductions off, both must find exactly the same number of
// distinct states, the same "sometimes" witnesses, and violations of the same property
// at the same depth.
#include <doctest/doctest.h>

#include <string>

#include "sim/implementations.hpp"
#include "sim/mc/explore.hpp"
#include "sim/seamcheck/seam_search.hpp"

namespace {

mc::Bounds unreduced(mc::Bounds b) {
    b.symmetry = false;
    b.dropDead = false;
    return b;
}

mc::Bounds preset(const char* name) { return unreduced(mc::presetByName(name).value()); }

struct Both {
    mc::SearchResult model;
    mc::SearchResult seam;
};

Both exploreBoth(const mc::Bounds& b) {
    const mc::SearchOptions options;
    return {mc::search(b, options), mc::seam::seamSearch(sim::coreImplementation(), b, options)};
}

void requireSameSpace(const mc::Bounds& b) {
    const Both r = exploreBoth(b);
    CAPTURE(b.describe());
    REQUIRE(r.model.complete);
    REQUIRE(r.seam.complete);
    MESSAGE(b.describe(), ": model ", r.model.states, " states, seam ", r.seam.states);
    CHECK(r.seam.states == r.model.states);
    CHECK(r.seam.transitions == r.model.transitions);
    CHECK(r.seam.depth == r.model.depth);
    CHECK(r.seam.sawLeader == r.model.sawLeader);
    CHECK(r.seam.sawCommit == r.model.sawCommit);
}

}  // namespace

TEST_CASE("seamExplorer_coreThroughTheSeam_sameStatesAsTheModel_tiny") { requireSameSpace(preset("tiny")); }

TEST_CASE("seamExplorer_coreThroughTheSeam_sameStatesAsTheModel_crashDropDuplicate") {
    mc::Bounds b = preset("tiny");
    b.maxLog = 1;
    b.maxCrashes = 1;
    b.drop = true;
    b.duplicate = true;
    requireSameSpace(b);
}

TEST_CASE("seamExplorer_coreThroughTheSeam_sameStatesAsTheModel_threeNodes") {
    mc::Bounds b = preset("elect3");
    b.maxTerm = 1;
    requireSameSpace(b);
}

TEST_CASE("seamExplorer_coreThroughTheSeam_sameStatesAsTheModel_preVoteCheckQuorum") {
    mc::Bounds b = preset("tiny");
    b.maxTerm = 1;
    b.preVote = true;
    b.checkQuorum = true;
    requireSameSpace(b);
}

TEST_CASE("seamExplorer_coreWithABug_sameShortestCounterexampleAsTheModel") {
    mc::Bounds b = preset("elect3");
    b.bugs.enable(raft::Bug::VoteNoLogCheck);
    const Both r = exploreBoth(b);
    REQUIRE(r.model.counterexample.has_value());
    REQUIRE(r.seam.counterexample.has_value());
    CHECK(r.seam.counterexample->violation.property == r.model.counterexample->violation.property);
    CHECK(r.seam.counterexample->steps.size() == r.model.counterexample->steps.size());
    CHECK(r.seam.depth == r.model.depth);
}

TEST_CASE("seamExplorer_maxStates_stopsIncomplete") {
    mc::SearchOptions options;
    options.maxStates = 50;
    const mc::SearchResult r = mc::seam::seamSearch(sim::coreImplementation(), preset("tiny"), options);
    CHECK_FALSE(r.complete);
    CHECK(r.states >= 50);
    CHECK_FALSE(r.counterexample.has_value());
}

TEST_CASE("seamExplorer_asyncWrites_refused") {
    CHECK_THROWS_AS(mc::seam::seamSearch(sim::coreImplementation(), preset("lost-writes-2"), mc::SearchOptions{}),
                    std::invalid_argument);
}
