// Golden state counts pin the model; bug switches must yield counterexamples (the
// shortest, in BFS), and the correct core none.
#include <doctest/doctest.h>

#include "sim/mc/cex_json.hpp"
#include "sim/mc/explore.hpp"

using mc::Bounds;
using mc::SearchOptions;
using mc::SearchResult;

namespace {

Bounds preset(const char* name) {
    const std::optional<Bounds> b = mc::presetByName(name);
    REQUIRE(b.has_value());
    return *b;
}

SearchOptions withJobs(int jobs, bool depthFirst = false) {
    SearchOptions o;
    o.jobs = jobs;
    o.depthFirst = depthFirst;
    o.capacity = 1024;  // small, so the table grows (and BFS defers inserts) during the search
    return o;
}

void checkHeld(const SearchResult& r) {
    CHECK(r.complete);
    CHECK_FALSE(r.counterexample.has_value());
    CHECK(r.sawLeader);
    CHECK(r.sawCommit);
}

Bounds withBug(Bounds b, raft::Bug bug) {
    b.bugs.enable(bug);
    return b;
}

}  // namespace

TEST_CASE("search_tiny_goldenCountWhateverTheJobsOrMode") {
    const Bounds b = preset("tiny");
    for (const SearchOptions& o : {withJobs(1), withJobs(2), withJobs(3), withJobs(1, true)}) {
        const SearchResult r = mc::search(b, o);
        checkHeld(r);
        CHECK(r.states == 3327);
        CHECK(r.transitions == 11877);
        if (!o.depthFirst) CHECK(r.depth == 21);
    }
}

TEST_CASE("search_tiny_withoutSymmetry_twiceTheStatesSameVerdict") {
    Bounds b = preset("tiny");
    b.symmetry = false;
    const SearchResult r = mc::search(b, withJobs(2));
    checkHeld(r);
    CHECK(r.states == 6650);  // 2 nodes: almost every state has a distinct mirror image
    CHECK(r.depth == 21);
}

TEST_CASE("search_tiny_keepingDeadMessages_moreStatesSameVerdict") {
    Bounds b = preset("tiny");
    b.dropDead = false;
    const SearchResult r = mc::search(b, withJobs(2));
    checkHeld(r);
    CHECK(r.states == 20118);
    CHECK(r.transitions == 77672);
    CHECK(r.depth == 23);
}

TEST_CASE("search_tinyWithACrash_goldenCount") {
    Bounds b = preset("tiny");
    b.maxCrashes = 1;
    const SearchResult r = mc::search(b, withJobs(2));
    checkHeld(r);
    CHECK(r.states == 14811);
}

TEST_CASE("search_maxStates_stopsIncomplete") {
    SearchOptions o = withJobs(1);
    o.maxStates = 1000;
    const SearchResult r = mc::search(preset("tla-small"), o);
    CHECK_FALSE(r.complete);
    CHECK(r.states >= 1000);
    CHECK_FALSE(r.counterexample.has_value());
}

namespace {

struct BugCase {
    raft::Bug bug;
    const char* preset;
    int maxCrashes;
    const char* property;
    std::size_t steps;  // of the shortest counterexample
};

const BugCase kBugCases[] = {
    {raft::Bug::VoteNoLogCheck, "elect3", 0, "leader-completeness", 8},
    {raft::Bug::ForgetVote, "small-crash", 1, "election-safety", 8},
    {raft::Bug::StaleTermAppend, "elect3", 0, "leader-append-only", 7},
    {raft::Bug::TruncateOnStaleAppend, "tiny", 0, "commit-monotonic", 9},
};

}  // namespace

TEST_CASE("search_bugSwitches_yieldShortestCounterexamples") {
    for (const BugCase& c : kBugCases) {
        CAPTURE(raft::bugInfo(c.bug).name);
        Bounds b = withBug(preset(c.preset), c.bug);
        b.maxCrashes = c.maxCrashes;
        for (const bool symmetry : {true, false}) {
            CAPTURE(symmetry);
            b.symmetry = symmetry;
            const SearchResult r = mc::search(b, withJobs(2));
            REQUIRE(r.counterexample.has_value());
            CHECK(r.counterexample->violation.property == c.property);
            CHECK(r.counterexample->steps.size() == c.steps);
        }
    }
}

TEST_CASE("search_bugSwitch_dfsFindsItToo") {
    const Bounds b = withBug(preset("tiny"), raft::Bug::TruncateOnStaleAppend);
    const SearchResult r = mc::search(b, withJobs(1, true));
    REQUIRE(r.counterexample.has_value());
    CHECK(r.counterexample->violation.property == "commit-monotonic");
    CHECK(r.counterexample->steps.size() >= 9);  // not necessarily the shortest
}

TEST_CASE("counterexample_json_replaysToTheSameViolation") {
    for (const BugCase& c : kBugCases) {
        CAPTURE(raft::bugInfo(c.bug).name);
        Bounds b = withBug(preset(c.preset), c.bug);
        b.maxCrashes = c.maxCrashes;
        const SearchResult r = mc::search(b, withJobs(1));
        REQUIRE(r.counterexample.has_value());
        const nlohmann::json j = nlohmann::json::parse(mc::toJson(b, *r.counterexample).dump());
        const mc::LoadedPath path = mc::fromJson(j);
        CHECK(path.steps.size() == c.steps);
        const std::optional<mc::McViolation> v = mc::replayPath(path);
        REQUIRE(v.has_value());
        CHECK(v->property == c.property);
    }
}

TEST_CASE("counterexample_json_rejectsAnEventNotEnabled") {
    const Bounds b = withBug(preset("tiny"), raft::Bug::TruncateOnStaleAppend);
    const SearchResult r = mc::search(b, withJobs(1));
    REQUIRE(r.counterexample.has_value());
    mc::LoadedPath path = mc::fromJson(mc::toJson(b, *r.counterexample));
    path.steps.erase(path.steps.begin());  // the first election never happened
    CHECK_THROWS_AS(mc::replayPath(path), std::runtime_error);
}
