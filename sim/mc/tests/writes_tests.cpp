// Writes that take steps (Bounds::asyncWrites): a crash loses what a node had not yet
// written and what waited on it. With them, the model shows bugs of write timing that
// instant writes hide, and the correct core holds (thesis §3.8, §10.2.1).
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

TEST_CASE("writes_lostWritesPresets_holdWithGoldenCounts") {
    const SearchResult one = bfs(preset("lost-writes-1"));
    checkHeld(one);
    CHECK(one.states == 100);
    for (const int jobs : {1, 2}) {
        const SearchResult two = bfs(preset("lost-writes-2"), jobs);
        checkHeld(two);
        CHECK(two.states == 474468);
    }
}

// The one-node leader of issue 17: it committed its no-op before the write completed;
// the crash took the no-op and a later leader lacks it. Five steps, the shortest.
TEST_CASE("writes_selfCountBeforePersist_oneNodeLosesACommittedEntry") {
    const Bounds b = withBug(preset("lost-writes-1"), raft::Bug::SelfCountBeforePersist);
    const SearchResult r = bfs(b);
    REQUIRE(r.counterexample.has_value());
    CHECK(r.counterexample->violation.property == "leader-completeness");
    REQUIRE(r.counterexample->steps.size() == 5);
    CHECK(r.counterexample->steps[1].event.kind == mc::EventKind::DiskDone);  // the term, not the no-op
    CHECK(r.counterexample->steps[2].event.kind == mc::EventKind::Crash);
    // Its JSON trace re-executes to the same violation.
    const nlohmann::json j = nlohmann::json::parse(mc::toJson(b, *r.counterexample).dump());
    const mc::ModelTrace path = mc::fromJson(j);
    CHECK(path.bounds.asyncWrites);
    const std::optional<mc::McViolation> v = mc::replayPath(path);
    REQUIRE(v.has_value());
    CHECK(v->property == "leader-completeness");
}

// Two nodes hide that bug: what the leader sends waits for its write, so no other vote
// or acknowledgement can be counted before it.
TEST_CASE("writes_selfCountBeforePersist_twoNodesHoldBecauseSendsWait") {
    checkHeld(bfs(withBug(preset("lost-writes-2"), raft::Bug::SelfCountBeforePersist)));
}

// The switch instant writes could not show: a follower acknowledges an entry it has
// not written, crashes, and the leader commits on its word.
TEST_CASE("writes_ackBeforePersist_yieldsAShortestCounterexample") {
    Bounds b = preset("lost-writes-2");
    b.nodes = 3;
    b.maxLog = 1;
    b.values = 0;
    b = withBug(b, raft::Bug::AckBeforePersist);
    const SearchResult r = bfs(b);
    REQUIRE(r.counterexample.has_value());
    CHECK(r.counterexample->violation.property == "commit-quorum");
    CHECK(r.counterexample->steps.size() == 10);
    const mc::PathStep& last = r.counterexample->steps.back();
    CHECK(last.message.kind == raft::MsgKind::AppendEntriesResponse);
}

TEST_CASE("writes_asyncWrites_roundTripThroughTheTraceBounds") {
    const Bounds b = preset("lost-writes-1");
    CHECK(b.asyncWrites);
    CHECK(b.describe().find("--async-writes") != std::string::npos);
}
