// PreVote in the model (Bounds::preVote, thesis §9.6): the correct core holds, and the
// bug of canonical/raft issue #196 (a late pre-vote grant counted as a vote) yields a
// shortest counterexample with two leaders of one term.
#include <doctest/doctest.h>

#include "sim/mc/cex_json.hpp"
#include "sim/mc/explore.hpp"
#include "sim/mc/tests/helpers.hpp"

using mc::Bounds;
using mc::SearchResult;
using mc::test::bfs;
using mc::test::checkHeld;
using mc::test::preset;
using mc::test::withBug;

TEST_CASE("prevote_twoNodesHoldWithGoldenCount") {
    Bounds b;
    b.nodes = 2;
    b.maxTerm = 2;
    b.maxLog = 1;
    b.values = 0;
    b.preVote = true;
    const SearchResult r = bfs(b);
    checkHeld(r);
    CHECK(r.states == 406681);
}

TEST_CASE("prevote_lateGrantCountedAsVote_twoLeadersInTenSteps") {
    const Bounds b = withBug(preset("elect3"), raft::Bug::PreVoteCountedAsVote);
    const SearchResult r = bfs(b);
    REQUIRE(r.counterexample.has_value());
    CHECK(r.counterexample->violation.property == "election-safety");
    CHECK(r.counterexample->steps.size() == 10);
    // Its JSON trace, pre-candidates and pre-votes included, re-executes to the same.
    const mc::ModelTrace path = mc::fromJson(nlohmann::json::parse(mc::toJson(b, *r.counterexample).dump()));
    const std::optional<mc::McViolation> v = mc::replayPath(path);
    REQUIRE(v.has_value());
    CHECK(v->property == "election-safety");
}
